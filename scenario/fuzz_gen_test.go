package scenario

import (
	"fmt"
	"strings"
)

// A generated scenario: fuzz bytes turned into a scenario file through the
// step table, so that the fuzzer's mutations reach the models. A scenario
// file mutated byte by byte rarely stays valid YAML (of 57,000 mutations of
// the bundled files one fuzzing run tried, 369 parsed, all of them seeds);
// a byte here chooses a step kind, whether a field is given and which of a
// few values of its type it gets, so nearly every input parses.
//
// The choices are the step table's own: every step kind, every field, the
// constants of each constant group and the words of each enum, handles
// bound by earlier steps. A value of the wrong kind (a 0 where a name is
// wanted) comes up now and then, and its file is refused like any other.

// maxGenSteps bounds the top-level steps of a generated scenario, and
// maxGenDepth the nesting of mappings, lists and on_callback steps.
const (
	maxGenSteps = 40
	maxGenDepth = 3
)

// gen reads choices from fuzz bytes; past their end every choice is 0.
type gen struct {
	data     []byte
	env      *Env
	pools    map[*Type][]string // see genPools
	vars     []string           // handle variables bound so far
	nVars    int
	depth    int
	callback bool // writing on_callback steps, which take no thread:
}

func (g *gen) next() int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b)
}

func (g *gen) pick(opts ...string) string { return opts[g.next()%len(opts)] }

// chance is true for about one choice in n.
func (g *gen) chance(n int) bool { return g.next()%n == 0 }

// generate writes the scenario file the bytes choose.
func generate(data []byte, env *Env) []byte {
	g := &gen{data: data, env: env, pools: genPools()}
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\ndescription: generated\ncovers: [kernel.wait.alertable-sleep]\nseed: %d\nthreads: [main, worker]\nsteps:\n", g.next())
	kinds := StepKinds()
	for i := 0; i < maxGenSteps && len(g.data) > 0; i++ {
		fmt.Fprintf(&b, "  - %s\n", g.step(kinds))
	}
	if !strings.HasSuffix(b.String(), "steps:\n") {
		return []byte(b.String())
	}
	return []byte(b.String() + "  - SleepEx: {ms: 0}\n")
}

// step writes one step as a flow mapping: the kind with its fields, and
// the modifiers the bytes choose.
func (g *gen) step(kinds []*StepKind) string {
	k := kinds[g.next()%len(kinds)]
	var parts []string
	if k.Value != nil {
		parts = append(parts, k.Name+": "+g.value(k.Value.Type))
	} else {
		parts = append(parts, k.Name+": "+g.fields(k.Fields))
	}
	if !g.callback && g.chance(6) {
		parts = append(parts, "thread: "+g.pick("main", "worker"))
	}
	if k.Expect != nil && g.chance(3) {
		parts = append(parts, "expect: "+g.fields(k.Expect.Fields))
	}
	if k.BindsHandle {
		v := fmt.Sprintf("v%d", g.nVars)
		g.nVars++
		g.vars = append(g.vars, v)
		parts = append(parts, "as: "+v)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// fields writes a flow mapping of fields: each required one, and each
// other one when the bytes say so; of fields that exclude each other (the
// data fields of a registry value, a program's typical: and its reports)
// one at most.
func (g *gen) fields(fs []Field) string {
	var parts []string
	exclusive := false
	for _, f := range fs {
		if !f.Required && !g.chance(2) {
			continue
		}
		if genExclusive[f.Name] {
			if exclusive {
				continue
			}
			exclusive = true
		}
		v := g.value(f.Type)
		if f.Name == "api" {
			v = g.pick(genFaultCalls...)
		}
		parts = append(parts, f.Name+": "+v)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// genExclusive are field names of which a mapping takes one.
var genExclusive = map[string]bool{"string": true, "multi": true, "dword": true, "qword": true, "hex": true,
	"typical": true, "on_start": true, "on_control": true}

// genFaultCalls are the calls inject: takes.
var genFaultCalls = []string{"ControlService", "CryptAcquireContext", "CryptReleaseContext", "NCryptCreatePersistedKey",
	"NCryptOpenKey", "NCryptOpenStorageProvider", "NtFlushKey", "StartService"}

var (
	genNumbers   = []string{"0", "1", "2", "4", "7", "100", "0xFFFFFFFF"}
	genStrings   = []string{"svc1", "svc2", "V", `""`, `'A\B'`, "Ünïcode", strings.Repeat("x", 300)}
	genDurations = []string{"0s", "1ms", "50ms", "200ms", "1s", "5s", "30s", "1h", "2562047h"}
	genKeyNames  = []string{`'\Registry\Machine\SOFTWARE'`, `'\Registry\Machine\SOFTWARE\App'`, `'\Registry\Machine\SOFTWARE\App\Sub'`,
		`'\Registry\Machine\SYSTEM\X'`, `'\Registry'`, `'\Registry\Machine\H1'`, `'\Registry\User\.DEFAULT'`, "App", "Sub", `''`}
	genCodes = []string{"ERROR_SUCCESS", "ERROR_ACCESS_DENIED", "ERROR_SERVICE_LOGON_FAILED", "ERROR_INVALID_HANDLE",
		"STATUS_ACCESS_DENIED", "STATUS_REGISTRY_IO_FAILED", "NTE_BAD_FLAGS", "NTE_NO_MEMORY"}
)

// genPools are the values the generator picks from, for the types whose
// value is one word or list picked from a few.
func genPools() map[*Type][]string {
	return map[*Type][]string{
		tBool:          {"true", "false"},
		tUint32:        genNumbers,
		tUint64:        genNumbers,
		tExitCode:      genNumbers,
		tInt32:         {"0", "1", "2", "-1", "2147483647", "-2147483648"},
		tPreviousCount: {"0", "1", "unwritten"},
		tMs:            {"0", "1", "10", "100", "1000", "5000", "INFINITE"},
		tDuration:      genDurations,
		tString:        genStrings,
		tText:          genStrings,
		tStrPtr:        append([]string{"null"}, genStrings...),
		tStrings:       {"[]", "[a]", "[svc1, svc2]"},
		tThread:        {"main", "worker"},
		tBufferDef:     {"n1", "n2"},
		tBufferRef:     {"n1", "n2"},
		tStatus:        {"ERROR_SUCCESS", "ERROR_SERVICE_LOGON_FAILED", "ERROR_ACCESS_DENIED"},
		tCode:          genCodes,
		tStatusSet:     genCodes,
		tRuleIDs:       {"[]"},
		tKeyName:       genKeyNames,
		tHex:           {`""`, "00ff", "0102030405"},
		tCount:         {"0", "1", "4", "{at_least: 1}", "{added: 0}", "{added: {at_most: 8}}"},
	}
}

// value writes a value of type t.
func (g *gen) value(t *Type) string {
	g.depth++
	defer func() { g.depth-- }()
	if pool, ok := g.pools[t]; ok {
		return g.pick(pool...)
	}
	switch t {
	case tHandle:
		return g.handle()
	case tHKey:
		if g.chance(3) {
			return g.pick("HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_PERFORMANCE_DATA")
		}
		return g.handle()
	case tHandles:
		hs := []string{g.handle()}
		for g.chance(2) && len(hs) < 4 {
			hs = append(hs, g.handle())
		}
		return "[" + strings.Join(hs, ", ") + "]"
	case tControlMap:
		if g.depth > maxGenDepth {
			return "{}"
		}
		return "{" + g.pick("SERVICE_CONTROL_STOP", "SERVICE_CONTROL_PAUSE", "128") + ": " + g.value(tReports) + "}"
	case tCallbackSteps:
		return g.callbackSteps()
	}
	return g.composite(t)
}

// callbackSteps writes the on_callback steps of a registration.
func (g *gen) callbackSteps() string {
	if g.depth > maxGenDepth {
		return "[]"
	}
	var steps []string
	outer := g.callback
	g.callback = true
	for g.chance(2) && len(steps) < 3 {
		steps = append(steps, g.step(StepKinds()))
	}
	g.callback = outer
	return "[" + strings.Join(steps, ", ") + "]"
}

// composite writes a value of a type made from the tables: an enum's word,
// a constant group's names, a list of a type, or a mapping of fields; a
// number for a type the generator does not know.
func (g *gen) composite(t *Type) string {
	if words, ok := strings.CutPrefix(t.Doc, "one of "); ok && t.Fields == nil && t.Elem == nil {
		return g.pick(strings.Split(words, ", ")...) // an enumType
	}
	if group := constGroupOf(t); group != "" {
		names := g.env.Consts.Names(group)
		if len(names) == 0 || g.chance(8) {
			return g.pick(genNumbers...)
		}
		v := g.pick(names...)
		if g.chance(3) {
			v += "|" + g.pick(names...)
		}
		return v
	}
	switch {
	case t.Elem != nil && g.depth > maxGenDepth:
		return "[]"
	case t.Elem != nil:
		var items []string
		for g.chance(2) && len(items) < 3 {
			items = append(items, g.value(t.Elem))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case t.Fields != nil && g.depth > maxGenDepth:
		return "{}"
	case t.Fields != nil:
		return g.fields(t.Fields)
	}
	return g.pick(genNumbers...)
}

// handle writes a handle: a variable bound earlier, or a fixed value.
func (g *gen) handle() string {
	if len(g.vars) > 0 && !g.chance(4) {
		return g.vars[g.next()%len(g.vars)]
	}
	return g.pick("NULL", "INVALID_HANDLE_VALUE", "BOGUS")
}

// constGroupOf returns the constant group of a constType, "" for any other
// type.
func constGroupOf(t *Type) string {
	constTypesMu.Lock()
	defer constTypesMu.Unlock()
	for group, ct := range constTypes {
		if ct == t {
			return group
		}
	}
	return ""
}
