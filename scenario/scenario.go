package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// Version is the scenario format version this package reads.
const Version = 1

// Env is what decoding checks names against.
type Env struct {
	// Catalog holds the rule ids that covers: and violations: may name. When
	// nil, ids are not checked.
	Catalog *sim.Catalog
	// Consts resolves constant names. When nil, every family's constants
	// are used.
	Consts *sim.ConstTable
	// Settings are the profile settings a per-profile want: may name
	// (setting:). When nil, every family's settings are used.
	Settings []sim.SettingInfo
	// MaxFileSize is the largest file Load reads, in bytes; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
}

// NewEnv returns an Env with the given catalog (normally Catalog()) and
// every registered family's constants and profile settings.
func NewEnv(cat *sim.Catalog) *Env {
	t := current()
	return &Env{Catalog: cat, Consts: t.consts, Settings: t.settings}
}

// consts returns the constant table of every registered family.
func consts() *sim.ConstTable { return current().consts }

// Scenario is a decoded scenario file: every name in it has been resolved and
// every reference checked, so that running it fails only on what the backend
// does.
type Scenario struct {
	// File is the name the scenario was parsed under, normally its path.
	File string
	// Description says what the scenario checks, and the source.
	Description string
	// Covers lists the catalog rule ids the scenario asserts: with the
	// rule's fault switch armed (a modeled rule) or its deciding setting
	// flipped (a model choice), the scenario fails.
	Covers []string
	// Documents lists model-choice ids the scenario shows but cannot
	// falsify: no fault switch breaks them and no profile setting decides
	// them, so no run of the scenario can fail for them.
	Documents []string
	// Profiles lists the profiles the scenario applies to; nil means all.
	Profiles []string
	// Seed is passed to the backend constructor.
	Seed uint64
	// Threads are the threads the scenario uses; Threads[0] makes every step
	// that names no thread.
	Threads []string
	// Golden asks for the trace to be compared with the .trace file next to
	// the scenario.
	Golden bool
	// Recorded names the real system a recorded scenario comes from (see
	// Recording.Marshal); "" for a written one.
	Recorded string
	// Steps are the top-level steps, in order.
	Steps []*Step

	stepCount   int   // the top-level steps, kept in Steps or not
	last        *Step // the last top-level step
	observed    []Citation
	needs       []backend.Capability
	needsAt     map[backend.Capability]string
	golden      *yaml.Node
	threadsNode *yaml.Node
}

// Needs returns the backend capabilities the scenario's steps need, in the
// order they are first needed.
func (s *Scenario) Needs() []backend.Capability { return slices.Clone(s.needs) }

// StepCount returns the number of the scenario's top-level steps, whether
// Steps holds them or they were handed on as they were decoded (RunFile on
// the model backend).
func (s *Scenario) StepCount() int { return max(s.stepCount, len(s.Steps)) }

// lastStep returns the scenario's last top-level step, nil for none.
func (s *Scenario) lastStep() *Step {
	if n := len(s.Steps); n > 0 {
		return s.Steps[n-1]
	}
	return s.last
}

// Observed returns the Wine test lines the scenario's steps cite with
// observed:, in the order they are written (steps inside on_callback
// included).
func (s *Scenario) Observed() []Citation { return slices.Clone(s.observed) }

// Citation is one Wine test line a step cites with observed:: the step
// encodes what that ok() line records Windows returns.
type Citation struct {
	sim.TestLine
	// Step is the citing step; Step.Pos() locates it.
	Step *Step
}

// String writes the citation as "scenario-position: wine-path:line".
func (c Citation) String() string { return c.Step.Pos() + ": " + c.TestLine.String() }

// Supports reports whether the scenario applies to a profile.
func (s *Scenario) Supports(profile string) bool {
	return s.Profiles == nil || slices.Contains(s.Profiles, profile)
}

// GoldenProfile is the profile the golden trace is recorded under: the
// scenario's first profile, or the default profile when it lists none.
func (s *Scenario) GoldenProfile() string {
	if len(s.Profiles) > 0 {
		return s.Profiles[0]
	}
	return sim.DefaultProfile
}

// GoldenFile is the golden trace's path: the scenario's path with .trace
// in place of .yaml (or .yml).
func (s *Scenario) GoldenFile() string {
	return trimExt(s.File) + ".trace"
}

// Step is one decoded step.
type Step struct {
	// Kind is what the step does.
	Kind *StepKind
	// File is the scenario file the step is in.
	File string
	// Line and Col locate the step's mapping in File, counting from 1.
	Line, Col int
	// Thread is the thread the step names with thread:, "" for the default
	// (the scenario's first thread, or the callback's thread inside
	// on_callback).
	Thread string
	// As is the variable the step binds its handle to, "" for none.
	As string
	// Note is the step's free-text note.
	Note string
	// Observed lists the Wine test lines the step cites with observed:.
	Observed []sim.TestLine

	args    values
	want    *wantSpec
	expect  values // the expect: modifier, nil when not given
	summary string
}

// Pos returns "file:line:col".
func (st *Step) Pos() string { return fmt.Sprintf("%s:%d:%d", st.File, st.Line, st.Col) }

// String returns the step as failure messages show it, for example
// `OpenService(scm, "svc1", SERVICE_ALL_ACCESS)`.
func (st *Step) String() string { return st.summary }

// wantSpec is a decoded want: (and error:).
type wantSpec struct {
	results *expectation[result]
	err     *expectation[sim.Errno] // error: given with WAIT_FAILED, nil when not
}

// Load reads and decodes a scenario file. See Parse.
func Load(path string, env *Env) (*Scenario, error) {
	var limit int64
	if env != nil {
		limit = env.MaxFileSize
	}
	data, err := readScenarioFile(path, limit)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, env)
}

// Parse decodes a scenario. name is used in positions and to find the golden
// trace. Decoding problems come back as an ErrorList holding every problem
// found, in order of position. A nil env means NewEnv(nil).
func Parse(name string, data []byte, env *Env) (*Scenario, error) {
	var steps []*Step
	s, err := decodeFile(name, data, env, streamHooks{
		each:  func(st *Step) { steps = append(steps, st) },
		reset: func() { steps = nil },
	})
	if err != nil {
		return nil, err
	}
	s.Steps = steps
	return s, nil
}

// Validate decodes a scenario file as Load does and returns its problems,
// without keeping its steps: a file of any length is checked in the memory
// of a batch of its steps.
func Validate(path string, env *Env) error {
	var limit int64
	if env != nil {
		limit = env.MaxFileSize
	}
	data, err := readScenarioFile(path, limit)
	if err != nil {
		return err
	}
	_, err = decodeFile(path, data, env, streamHooks{})
	return err
}

// completeEnv fills in what env leaves out: nil means NewEnv(nil), and nil
// constants or settings mean every family's.
func completeEnv(env *Env) *Env {
	if env == nil {
		env = NewEnv(nil)
	}
	if env.Consts == nil || env.Settings == nil {
		e := *env
		if e.Consts == nil {
			e.Consts = current().consts
		}
		if e.Settings == nil {
			e.Settings = current().settings
		}
		env = &e
	}
	return env
}

// decodeFile decodes a scenario, handing its top level and then its steps
// to h as they are decoded (see decodeStream); the Scenario it returns has
// no Steps, h.each has had them. A file decodeStream does not take, and
// every problem, goes to decodeTree, whose steps are then handed to h.
func decodeFile(name string, data []byte, env *Env, h streamHooks) (*Scenario, error) {
	env = completeEnv(env)
	if e := precheckYAML(name, data); e != nil {
		return nil, ErrorList{e}
	}
	if s, ok := decodeStream(name, data, env, h); ok {
		return s, nil
	}
	s, err := decodeTree(name, data, env)
	if err != nil {
		return nil, err
	}
	steps := s.Steps
	s.Steps = nil
	if h.begin != nil {
		h.begin(s)
	}
	for _, st := range steps {
		if h.each != nil {
			h.each(st)
		}
	}
	return s, nil
}

// decodeTree decodes a scenario from the YAML tree of the whole file.
func decodeTree(name string, data []byte, env *Env) (*Scenario, error) {
	d := newDecoder(name, env)
	root, err := parseYAML(data)
	if err != nil {
		if line, col, ok := tabIndent(data); ok {
			return nil, ErrorList{{File: name, Line: line, Col: col, Msg: "not valid YAML: a tab in the indentation: YAML indents with spaces"}}
		}
		return nil, ErrorList{yamlError(name, data, err)}
	}
	if root == nil {
		return nil, ErrorList{{File: name, Line: 1, Col: 1, Msg: "empty file: a scenario is a mapping with version, description, covers and steps"}}
	}
	if !d.checkTree(root, 0) {
		return nil, d.sorted()
	}
	s, ok := d.top(root)
	if !ok {
		return nil, d.sorted()
	}
	if d.refuseVacuous(s.Steps); len(d.errs) > 0 {
		return nil, d.sorted()
	}
	s.stepCount = len(s.Steps)
	if n := len(s.Steps); n > 0 {
		s.last = s.Steps[n-1]
	}
	s.observed = d.observed
	s.needs = d.needs
	s.needsAt = d.needsAt
	return s, nil
}

// top decodes the top level of a scenario, its steps too unless the
// decoder defers them (decodeStream); ok is false when it found a problem.
func (d *decoder) top(root *yaml.Node) (*Scenario, bool) {
	s := &Scenario{File: d.file}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "a scenario is a mapping with version, description, covers and steps, got %s", describe(root))
		return nil, false
	}
	vs, _ := d.fields(root, "scenario", "", topFields)
	if !hasKey(root, "covers") && !hasKey(root, "documents") {
		d.errorf(root, "scenario: missing field %q", "covers")
	}
	if len(d.errs) > 0 {
		return nil, false
	}
	s.Description = vs.str("description")
	s.Covers = vs.strs("covers")
	s.Documents = vs.strs("documents")
	if vs.has("documents") {
		d.checkDocuments(vs.at("documents").node, s.Covers)
	}
	if len(d.errs) > 0 {
		return nil, false
	}
	s.Profiles = vs.strs("profiles")
	s.Seed, _ = vs.get("seed").(uint64)
	s.Threads = vs.strs("threads")
	s.threadsNode = vs.at("threads").node
	s.Golden = vs.bool("golden")
	s.Recorded = vs.str("recorded")
	if s.Golden && vs.at("golden") != nil {
		s.golden = vs.at("golden").node
	}
	s.Steps, _ = vs.get("steps").([]*Step)
	return s, true
}

func (d *decoder) sorted() ErrorList {
	sort.SliceStable(d.errs, func(i, j int) bool {
		a, b := d.errs[i], d.errs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return d.errs
}

// errExtraDocument reports a second YAML document in a file.
type errExtraDocument struct{ line int }

// Error says what is wrong; the position is added by yamlError.
func (e errExtraDocument) Error() string {
	return "a scenario file holds one YAML document; another one starts here"
}

// parseYAML returns the root node of the file's only document, or nil for a
// file with no document at all.
func parseYAML(data []byte) (root *yaml.Node, err error) {
	defer func() {
		// The YAML library is not expected to panic, but a scenario file
		// must never crash the runner.
		if v := recover(); v != nil {
			root, err = nil, fmt.Errorf("yaml: %v", v)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, err
	default:
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		return nil, errExtraDocument{line}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns an error of the YAML library into a positioned Error. The
// library gives a line but no column, and the line is only near the
// problem: the Error has no column (Col 0) and quotes that line.
func yamlError(file string, data []byte, err error) *Error {
	var extra errExtraDocument
	if errors.As(err, &extra) {
		return &Error{File: file, Line: max(extra.line, 1), Col: 1, Msg: extra.Error()}
	}
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if line, convErr := strconv.Atoi(m[1]); convErr == nil && line > 0 {
			msg := "not valid YAML near line " + m[1] + ": " + m[2]
			if text := nearLine(data, line); text != "" {
				msg += "; line " + m[1] + " reads " + text
			}
			return &Error{File: file, Line: line, Msg: msg}
		}
	}
	return &Error{File: file, Line: 1, Col: 1, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// topFields is the top level of a scenario file.
var topFields = []Field{
	{Name: "version", Type: tVersion, Required: true, Doc: "format version; this runner reads 1"},
	{Name: "description", Type: tText, Required: true, Doc: "what the scenario checks, and the source of the behavior"},
	{Name: "covers", Type: tCovers, Doc: "the catalog rule ids the scenario asserts (required unless documents: is given): each must make it fail when broken (its fault switch armed, or for a model choice its deciding setting flipped)"},
	{Name: "documents", Type: tDocuments, Doc: "model-choice ids the scenario shows but no run can falsify (no fault switch breaks them, no profile setting decides them); an id is either covered or documented"},
	{Name: "profiles", Type: tProfiles, Doc: "profiles the scenario applies to; under another profile it is skipped (default: every profile)"},
	{Name: "seed", Type: tUint64, Default: "1", Doc: "seed of the backend's random source"},
	{Name: "threads", Type: tThreadDecls, Default: "[main]", Doc: "threads the steps run on; the first is every step's default"},
	{Name: "golden", Type: tBool, Default: "false", Doc: "compare the trace with <file without .yaml>.trace (backends with the trace capability)"},
	{Name: "recorded", Type: tText, Doc: "written by simrun record: the real system the results come from. Callbacks that ran during one step then match in any order (a real system queues each from its own thread), and contract violations are not asserted (a real system reports none)"},
	{Name: "steps", Type: tSteps, Required: true, Doc: "the steps, run in order; the scenario stops at the first failing one"},
}

// TopFields returns the keys of a scenario file's top level.
func TopFields() []Field { return slices.Clone(topFields) }

var (
	tVersion = &Type{
		Name: "version", Doc: "the integer 1",
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": "integer", "const": Version} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			v, ok := d.uint(n, path, 32)
			if !ok {
				return nil, false
			}
			if v.(uint32) != Version {
				d.errorf(n, "%s: unsupported version %d (this runner reads version %d)", path, v, Version)
				return nil, false
			}
			return v, true
		},
	}

	tCovers = &Type{
		Name: "[rule-id]", Doc: "a non-empty list of catalog rule ids",
		schema: func(s *schemaWriter) jsonObject {
			return jsonObject{"type": "array", "items": s.ruleIDs(false), "minItems": 1, "uniqueItems": true}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			v, ok := tRuleIDs.decode(d, n, path)
			if ok && len(v.([]string)) == 0 {
				d.errorf(n, "%s: list at least one catalog rule id", path)
				return nil, false
			}
			if ids, _ := v.([]string); ok && n.Kind == yaml.SequenceNode && len(n.Content) == len(ids) {
				for i, id := range ids {
					if j := slices.Index(ids, id); j < i {
						d.errorf(n.Content[i], "%s[%d]: %s is listed twice (first at %s[%d], line %d)", path, i, id, path, j, n.Content[j].Line)
						ok = false
					}
				}
			}
			return v, ok
		},
	}

	tDocuments = &Type{
		Name: "[rule-id]", Doc: "a list of model-choice catalog rule ids", brief: briefNone,
		schema: func(s *schemaWriter) jsonObject { return jsonObject{"type": "array", "items": s.ruleIDs(true)} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return sequenceOf(d, n, path, (*decoder).ruleID)
		},
	}

	tProfiles = &Type{
		Name: "[profile]", Doc: "a non-empty list of profile names",
		schema: func(s *schemaWriter) jsonObject {
			return jsonObject{"type": "array", "items": s.profileNames(), "minItems": 1}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			v, ok := tStrings.decode(d, n, path)
			if !ok {
				return nil, false
			}
			names := v.([]string)
			if len(names) == 0 {
				d.errorf(n, "%s: list at least one profile, or leave the field out for all of them", path)
				return nil, false
			}
			var known []string
			for _, p := range sim.Profiles() {
				known = append(known, p.Name)
			}
			for i, name := range names {
				if !slices.Contains(known, name) {
					if hint := suggest(name, known); hint != "" {
						d.errorf(n.Content[i], "%s[%d]: unknown profile %q%s", path, i, name, hint)
					} else {
						d.errorf(n.Content[i], "%s[%d]: unknown profile %q (known: %s)", path, i, name, strings.Join(known, ", "))
					}
					ok = false
				}
			}
			return names, ok
		},
	}

	tThreadDecls = &Type{
		Name: "[name]", Doc: "a non-empty list of thread names",
		schema: func(s *schemaWriter) jsonObject {
			return jsonObject{"type": "array", "items": s.identifier(), "minItems": 1, "uniqueItems": true}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			items, ok := d.sequence(n, path)
			if !ok {
				return nil, false
			}
			if len(items) == 0 {
				d.errorf(n, "%s: declare at least one thread", path)
				return nil, false
			}
			var names []string
			for i, it := range items {
				name, good := d.ident(it, fmt.Sprintf("%s[%d]", path, i), "thread")
				if !good {
					ok = false
					continue
				}
				if slices.Contains(names, name) {
					d.errorf(it, "%s[%d]: thread %q declared twice", path, i, name)
					ok = false
					continue
				}
				names = append(names, name)
			}
			d.threads = names
			return names, ok
		},
	}

	tSteps = &Type{
		Name: "[step]", Doc: "a list of steps",
		schema: func(*schemaWriter) jsonObject {
			return jsonObject{"type": "array", "items": jsonObject{"$ref": "#/definitions/step"}, "minItems": 1}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.steps(n, path)
		},
	}

	tCallbackSteps = &Type{
		Name: "[step]", Doc: "steps run inside the callback, on the callback's thread",
		schema: func(*schemaWriter) jsonObject {
			return jsonObject{"type": "array", "items": jsonObject{"$ref": "#/definitions/callback-step"}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if d.callbackDepth >= maxCallbackDepth {
				d.errorf(n, "%s: on_callback nested more than %d deep", path, maxCallbackDepth)
				return nil, false
			}
			outer := d.cur
			d.callbackDepth++
			steps, ok := d.steps(n, path)
			d.callbackDepth--
			d.cur = outer
			return steps, ok
		},
	}
)

// modifiers are the keys a step may have besides its kind.
var modifiers = []Field{
	{Name: "thread", Type: tThread, Doc: "the thread that makes the call (default: the first declared thread; not allowed inside on_callback)"},
	{Name: "as", Type: &Type{Name: "name", Doc: "a new variable name", schema: (*schemaWriter).identifier}, Doc: "bind the returned handle to a variable (also when the call fails: then it is NULL)"},
	{Name: "want", Type: tWant, Doc: "the expected result; default ERROR_SUCCESS for calls returning a status. [A, B]: any of them passes; {win8: A, win7: B, setting: id}: per profile (win8's value for every profile not listed; a profile differing from win8 needs setting:, a profile setting declaring that difference)"},
	{Name: "error", Type: tStatusSet, Doc: "the Win32 error expected with want: WAIT_FAILED"},
	{Name: "observed", Type: tCitations, Doc: "the Wine test lines (path from the Wine source root, then :line, e.g. dlls/advapi32/tests/service.c:1234) whose ok() records, for Windows, what this step expects"},
	{Name: "expect", Type: &Type{Name: "{status fields}", Doc: "state, accepted, exit_code, ...", schema: kindDecides}, Doc: "fields of the status structure the call fills, to compare (ControlService, QueryServiceStatus, QueryServiceStatusEx)"},
	{Name: "note", Type: tText, Doc: "free text, for the reader"},
}

// Modifiers returns the keys every step may have besides its kind.
func Modifiers() []Field { return slices.Clone(modifiers) }

func isModifier(key string) bool { return findField(modifiers, key) != nil }

func (d *decoder) steps(n *yaml.Node, path string) ([]*Step, bool) {
	if n == d.deferred {
		return nil, true // decodeStream decodes them
	}
	items, ok := d.sequence(n, path)
	if !ok {
		return nil, false
	}
	if len(items) == 0 && d.callbackDepth == 0 {
		d.errorf(n, "%s: a scenario needs at least one step", path)
		return nil, false
	}
	out := make([]*Step, 0, len(items))
	for _, it := range items {
		if st, good := d.step(it); good {
			out = append(out, st)
		} else {
			ok = false
		}
	}
	return out, ok
}

// kindNames lists step kinds and modifiers, for suggestions.
func kindNames() []string {
	out := fieldNames(modifiers)
	for _, k := range current().kinds {
		out = append(out, k.Name)
	}
	return out
}

// step decodes one step: its kind and the call's arguments, its modifiers
// and the kind's own check. The parts are in decode_step.go; each runs even
// when one before it failed, so that every problem is reported, in this
// order.
func (d *decoder) step(n *yaml.Node) (*Step, bool) {
	st := &Step{File: d.file, Line: n.Line, Col: n.Column}
	if n.Kind != yaml.MappingNode {
		if n.Kind != yaml.AliasNode {
			d.errorf(n, "a step is a mapping with one step kind (see simrun help steps), got %s", describe(n))
		}
		return nil, false
	}
	kindVal, mods, ok := d.stepKeys(n, st)
	if st.Kind == nil {
		d.kindless(n, mods, !ok)
		return nil, false
	}
	outer, outerBad := d.cur, d.badArgs
	d.cur, d.badArgs = st, nil // made by the first bad field
	defer func() { d.cur, d.badArgs = outer, outerBad }()
	d.need(st.Kind.Needs...)

	ok = d.stepThread(n, st, mods.get("thread")) && ok
	kindVal, good := d.expectInArguments(st.Kind, kindVal)
	ok = good && ok
	ok = d.stepArguments(st, kindVal) && ok
	ok = d.stepWant(st, mods.get("want")) && ok
	ok = d.stepError(st, mods.get("error"), mods.get("want") != nil) && ok
	ok = d.stepObserved(st, mods.get("observed")) && ok
	ok = d.stepExpect(st, mods.get("expect")) && ok
	ok = d.stepNote(st, mods.get("note")) && ok
	ok = d.stepCheck(st) && ok
	ok = d.stepAs(st, mods.get("as")) && ok
	st.summary = summarize(st, kindVal)
	return st, ok
}

func mapKeysSorted[V any](m map[string]V) []string {
	out := mapKeys(m)
	sort.Strings(out)
	return out
}

// want decodes want: for a step kind.
func (d *decoder) want(n *yaml.Node, k *StepKind) (*wantSpec, bool) {
	if k.Returns == ReturnsNothing {
		d.errorf(n, "want: %s returns nothing to compare", k.Name)
		return nil, false
	}
	// A scalar want: decodes the same wherever it is written, and the
	// expectation is only read once decoded: steps that write the same
	// one share it. Most steps write one of a few.
	scalar := n.Kind == yaml.ScalarNode
	var key wantKey
	if scalar {
		key = wantKey{k.Returns, n.ShortTag(), n.Value}
		if e := d.wants[key]; e != nil {
			return &wantSpec{results: e}, true
		}
	}
	e, ok := expectOf(d, n, "want", d.resultOf(k))
	if !ok {
		return nil, false
	}
	if scalar {
		if d.wants == nil {
			d.wants = map[wantKey]*expectation[result]{}
		}
		d.wants[key] = e
	}
	return &wantSpec{results: e}, true
}

// wantKey is what a scalar want: decodes from: what the kind returns, the
// scalar's tag and its text.
type wantKey struct {
	returns    Returns
	tag, value string
}

var waitNames = []string{"WAIT_OBJECT_0", "WAIT_ABANDONED_0", "WAIT_IO_COMPLETION", "WAIT_TIMEOUT", "WAIT_FAILED", "deadlock"}

// parseWaitResult parses WAIT_OBJECT_0, WAIT_OBJECT_0+2, WAIT_ABANDONED_0+1,
// WAIT_TIMEOUT, WAIT_IO_COMPLETION or WAIT_FAILED.
func parseWaitResult(s string) (sim.WaitResult, error) {
	name, idx, plus := strings.Cut(strings.ReplaceAll(s, " ", ""), "+")
	var base sim.WaitResult
	switch name {
	case "WAIT_OBJECT_0":
		base = sim.WAIT_OBJECT_0
	case "WAIT_ABANDONED_0":
		base = sim.WAIT_ABANDONED_0
	case "WAIT_IO_COMPLETION", "WAIT_TIMEOUT", "WAIT_FAILED":
		if plus {
			return 0, fmt.Errorf("%s takes no +index", name)
		}
		switch name {
		case "WAIT_IO_COMPLETION":
			return sim.WAIT_IO_COMPLETION, nil
		case "WAIT_TIMEOUT":
			return sim.WAIT_TIMEOUT, nil
		}
		return sim.WAIT_FAILED, nil
	default:
		return 0, fmt.Errorf("unknown wait result %q%s", s, suggest(name, waitNames))
	}
	if !plus {
		return base, nil
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 || i >= sim.MAXIMUM_WAIT_OBJECTS {
		return 0, fmt.Errorf("%q: the index after + must be 0 to %d", s, sim.MAXIMUM_WAIT_OBJECTS-1)
	}
	return base + sim.WaitResult(i), nil
}

// summarize renders a step as `Kind(arg, arg)` from the arguments written in
// the file, in the order of the kind's field table.
func summarize(st *Step, kindVal *yaml.Node) string {
	k := st.Kind
	if k.Value != nil {
		if k.Value.Type.brief == briefNone {
			return k.Name
		}
		return k.Name + "(" + briefText(kindVal, k.Value.Type.brief) + ")"
	}
	// Built in a buffer on the stack, then copied once into a string of
	// its exact size: every step has a summary, and keeps it.
	var buf [96]byte
	b := append(append(buf[:0], k.Name...), '(')
	first := true
	for _, f := range k.Fields {
		v := st.args.at(f.Name)
		if v == nil || !v.given || f.Type.brief == briefNone {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = append(b, briefText(v.node, f.Type.brief)...)
	}
	return string(append(b, ')'))
}

func briefText(n *yaml.Node, style briefStyle) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return "NULL"
		}
		if style == briefQuoted && n.ShortTag() == "!!str" {
			return strconv.Quote(n.Value)
		}
		return n.Value
	case yaml.SequenceNode:
		parts := make([]string, len(n.Content))
		for i, c := range n.Content {
			parts[i] = briefText(c, style)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case yaml.MappingNode:
		if style != briefFlow {
			break
		}
		parts := make([]string, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, briefText(n.Content[i], style)+": "+briefText(n.Content[i+1], style))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "{...}"
}

// checkDocuments reports the ids of a documents: list (the sequence n) that
// cannot be documented: an id that is not a model choice (a modeled rule
// has a fault switch, so it is covered; a fault-injection rule is covered
// by the scenario's inject: steps; an out-of-scope rule is shown by no
// scenario), and an id the scenario covers as well.
func (d *decoder) checkDocuments(n *yaml.Node, covers []string) {
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	for i, it := range n.Content {
		id := it.Value
		if slices.Contains(covers, id) {
			d.errorf(it, "documents[%d]: %s is in covers: too; an id is either covered (falsifiable) or documented", i, id)
			continue
		}
		if cat := d.env.Catalog; cat != nil {
			if r, ok := cat.Lookup(id); ok && r.Status != sim.ModelChoice {
				var choices []string
				for _, c := range cat.Rules() {
					if c.Status == sim.ModelChoice {
						choices = append(choices, c.ID)
					}
				}
				d.errorf(it, "documents[%d]: %s is %s, not a model choice%s; list a %s id in covers:", i, id, r.Status, suggest(id, choices), r.Status)
			}
		}
	}
}

// hasKey reports whether mapping n writes key, whatever its value.
func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}
