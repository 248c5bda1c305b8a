package scenario

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// The value types of the format. Each decodes a node into one Go type:
//
//	tBool bool, tUint32 uint32, tUint64 uint64, tMs uint32, tDuration
//	time.Duration, tString/tText string, tStrPtr *string, tStrings []string,
//	tHandle handleRef, tHandles []handleRef, tThread/tBufferDef/tBufferRef
//	string, tStatus sim.Errno, tCode sim.Code, tExitCode uint32,
//	constType uint32, enumType string, objectType values, listType []values.
var (
	tBool = &Type{
		Name: "bool", Doc: "true or false", brief: briefBare,
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": "boolean"} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "a bool (true or false)", "!!bool")
			if !ok {
				return nil, false
			}
			switch strings.ToLower(s) {
			case "true":
				return true, true
			case "false":
				return false, true
			}
			d.errorf(n, "%s: want a bool (true or false), got %s", path, describe(n))
			return nil, false
		},
	}

	tUint32 = &Type{
		Name: "uint32", Doc: "a non-negative integer (decimal, 0x hex or 0o octal)", brief: briefBare,
		schema: func(*schemaWriter) jsonObject { return uint32Schema() },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.uint(n, path, 32)
		},
	}

	tUint64 = &Type{
		Name: "uint64", Doc: "a non-negative integer", brief: briefBare,
		schema: func(*schemaWriter) jsonObject {
			return jsonObject{"type": "integer", "minimum": 0, "maximum": uint64(math.MaxUint64)}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			v, ok := d.uint(n, path, 64)
			if !ok {
				return nil, false
			}
			return uint64(v.(uint64)), true
		},
	}

	tMs = &Type{
		Name: "ms", Doc: "a timeout in milliseconds: a uint32, or INFINITE", brief: briefBare,
		schema: func(*schemaWriter) jsonObject {
			return jsonObject{"anyOf": []any{jsonObject{"const": "INFINITE"}, uint32Schema()}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && n.Value == "INFINITE" {
				return sim.INFINITE, true
			}
			if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
				d.errorf(n, "%s: want milliseconds (a uint32 or INFINITE), got %s%s", path, describe(n), suggest(n.Value, []string{"INFINITE"}))
				return nil, false
			}
			return d.uint(n, path, 32)
		},
	}

	tDuration = &Type{
		Name: "duration", Doc: "a Go duration such as 200ms, 5s or 24h", brief: briefBare,
		schema: func(*schemaWriter) jsonObject {
			// time.ParseDuration reads a bare 0, signed or not; YAML
			// reads the unsigned one as an integer.
			return jsonObject{"anyOf": []any{
				jsonObject{"type": "string", "pattern": `^(?:[-+]?0|\+?` + durationSyntax + `)$`},
				jsonObject{"type": "integer", "const": 0},
			}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "a duration such as 200ms", "!!str", "!!int")
			if !ok {
				return nil, false
			}
			v, err := time.ParseDuration(s)
			if err != nil && wellFormedDuration.MatchString(s) {
				d.errorf(n, "%s: %s is out of range: a duration is at most %s (about 292 years, the virtual clock's whole range)", path, quoteName(s), time.Duration(math.MaxInt64))
				return nil, false
			}
			if err != nil {
				d.errorf(n, "%s: want a duration such as 200ms or 5s, got %s", path, describe(n))
				return nil, false
			}
			if v < 0 {
				d.errorf(n, "%s: a negative duration (%s) makes no sense here", path, s)
				return nil, false
			}
			return v, true
		},
	}

	tString = &Type{
		Name: "string", Doc: "a string", brief: briefQuoted,
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": "string"} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.scalar(n, path, "a string", "!!str")
		},
	}

	tText = &Type{
		Name: "text", Doc: "free text, not empty",
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": "string", "pattern": `\S`} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "text", "!!str")
			if !ok {
				return nil, false
			}
			if strings.TrimSpace(s) == "" {
				d.errorf(n, "%s: must not be empty", path)
				return nil, false
			}
			return s, true
		},
	}

	tStrPtr = &Type{
		Name: "string|null", Doc: `a string, or null for a NULL pointer ("" is the empty string)`, brief: briefQuoted,
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": []string{"string", "null"}} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if isNull(n) {
				return (*string)(nil), true
			}
			s, ok := d.scalar(n, path, "a string or null", "!!str")
			if !ok {
				return nil, false
			}
			return &s, true
		},
	}

	tStrings = &Type{
		Name: "[string]", Doc: "a list of strings", brief: briefQuoted,
		schema: func(*schemaWriter) jsonObject { return stringList() },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return sequenceOf(d, n, path, func(d *decoder, it *yaml.Node, p string) (string, bool) { return d.scalar(it, p, "a string", "!!str") })
		},
	}

	tHandle = &Type{
		Name: "handle", Doc: "a variable bound by an earlier as:, NULL, INVALID_HANDLE_VALUE or BOGUS (a value never issued)", brief: briefBare,
		schema: (*schemaWriter).handles,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.handleRef(n, path)
		},
	}

	tHandles = &Type{
		Name: "[handle]", Doc: "a list of handles", brief: briefBare,
		schema: func(s *schemaWriter) jsonObject { return jsonObject{"type": "array", "items": s.handles()} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return sequenceOf(d, n, path, (*decoder).handleRef)
		},
	}

	tThread = &Type{
		Name: "thread", Doc: "a thread declared under threads:", brief: briefBare,
		schema: (*schemaWriter).identifier,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.threadRef(n, path)
		},
	}

	tBufferDef = &Type{
		Name: "buffer|null", Doc: "a SERVICE_NOTIFY buffer name, created on first use and the same buffer each time the name is used; or null for a NULL pointer", brief: briefBare,
		schema: func(*schemaWriter) jsonObject {
			return jsonObject{"type": []string{"string", "null"}, "pattern": identRE.String()}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if isNull(n) {
				return "", true
			}
			s, ok := d.ident(n, path, "buffer")
			if ok {
				if _, seen := d.buffers[s]; !seen {
					d.buffers[s] = n.Line
				}
			}
			return s, ok
		},
	}

	tBufferRef = &Type{
		Name: "buffer", Doc: "a buffer named by an earlier NotifyServiceStatusChange", brief: briefBare,
		schema: (*schemaWriter).identifier,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "a buffer name", "!!str")
			if !ok {
				return nil, false
			}
			if _, seen := d.buffers[s]; !seen {
				d.errorf(n, "%s: unknown buffer %q: no earlier NotifyServiceStatusChange names it%s", path, s, suggest(s, mapKeys(d.buffers)))
				return nil, false
			}
			return s, true
		},
	}

	tStatus = &Type{
		Name: "status", Doc: "a Win32 error name such as ERROR_SUCCESS", brief: briefBare,
		schema: func(s *schemaWriter) jsonObject { return s.codeNames(sim.KindWin32) },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.win32Code(n, path)
		},
	}

	tCode = &Type{
		Name: "code", Doc: "a status code name: Win32 (ERROR_*), NTSTATUS (STATUS_*) or HRESULT (E_*, NTE_*)", brief: briefBare,
		schema: func(s *schemaWriter) jsonObject {
			return jsonObject{"anyOf": []any{s.codeNames(sim.KindWin32), s.codeNames(sim.KindNTStatus), s.codeNames(sim.KindHResult)}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "a status code name", "!!str")
			if !ok {
				return nil, false
			}
			c, err := sim.ParseCode(s)
			if err != nil {
				d.errorf(n, "%s: %v", path, err)
				return nil, false
			}
			return c, true
		},
	}

	tExitCode = &Type{
		Name: "exit-code", Doc: "a Win32 error name, or an integer", brief: briefBare,
		schema: func(s *schemaWriter) jsonObject {
			return jsonObject{"anyOf": []any{s.codeNames(sim.KindWin32), uint32Schema()}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
				return d.uint(n, path, 32)
			}
			e, ok := d.win32Code(n, path)
			if !ok {
				return nil, false
			}
			return uint32(e.(sim.Errno)), true
		},
	}

	tRuleIDs = &Type{
		Name: "[rule-id]", Doc: "a list of catalog rule ids, in the order the violations were reported", brief: briefNone,
		schema: func(s *schemaWriter) jsonObject { return jsonObject{"type": "array", "items": s.ruleIDs(false)} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return sequenceOf(d, n, path, (*decoder).ruleID)
		},
	}
)

// uint decodes a non-negative integer of the given bit size; the result is
// uint32 for 32 bits and uint64 for 64.
func (d *decoder) uint(n *yaml.Node, path string, bits int) (any, bool) {
	s, ok := d.scalar(n, path, "a non-negative integer", "!!int")
	if !ok {
		return nil, false
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 0, bits)
	if err != nil {
		if strings.HasPrefix(s, "-") {
			d.errorf(n, "%s: want a non-negative integer, got %s", path, s)
		} else {
			d.errorf(n, "%s: %s does not fit in %d bits", path, s, bits)
		}
		return nil, false
	}
	if bits == 32 {
		return uint32(v), true
	}
	return v, true
}

// win32Code decodes a Win32 error name into a sim.Errno.
func (d *decoder) win32Code(n *yaml.Node, path string) (any, bool) {
	s, ok := d.scalar(n, path, "a Win32 error name", "!!str")
	if !ok {
		return nil, false
	}
	c, err := sim.ParseCode(s)
	if err != nil {
		d.errorf(n, "%s: %v", path, err)
		return nil, false
	}
	if c.Kind != sim.KindWin32 {
		d.errorf(n, "%s: %s is %s value; a Win32 error code is expected here", path, s, map[sim.Kind]string{sim.KindNTStatus: "an NTSTATUS", sim.KindHResult: "an HRESULT"}[c.Kind])
		return nil, false
	}
	return sim.Errno(c.Value), true
}

// handleRef is a handle as a step names it: a variable, or a fixed value.
type handleRef struct {
	name  string     // the variable, "" for a fixed value
	fixed sim.Handle // the value when name is ""
}

// BOGUS is the handle value scenarios write as BOGUS: one no handle table
// ever issues (handle values are issued upwards from 4, and this one is far
// above anything a scenario opens).
const BOGUS = sim.Handle(0xDEAD0)

var fixedHandles = map[string]sim.Handle{
	"NULL":                 0,
	"INVALID_HANDLE_VALUE": sim.INVALID_HANDLE_VALUE,
	"BOGUS":                BOGUS,
}

func isFixedHandle(name string) bool {
	_, ok := fixedHandles[name]
	return ok
}

func (d *decoder) handleRef(n *yaml.Node, path string) (handleRef, bool) {
	if isNull(n) && (n.Value == "NULL" || n.Value == "null") {
		return handleRef{fixed: 0}, true
	}
	s, ok := d.scalar(n, path, "a handle (a variable, NULL, INVALID_HANDLE_VALUE or BOGUS)", "!!str")
	if !ok {
		return handleRef{}, false
	}
	if h, fixed := fixedHandles[s]; fixed {
		return handleRef{fixed: h}, true
	}
	if _, bound := d.vars[s]; !bound {
		cands := append(mapKeys(d.vars), "NULL", "INVALID_HANDLE_VALUE", "BOGUS")
		d.errorf(n, "%s: undefined variable %q%s", path, s, suggest(s, cands))
		return handleRef{}, false
	}
	return handleRef{name: s}, true
}

func (d *decoder) threadRef(n *yaml.Node, path string) (string, bool) {
	s, ok := d.scalar(n, path, "a thread name", "!!str")
	if !ok {
		return "", false
	}
	for _, t := range d.threads {
		if t == s {
			return s, true
		}
	}
	if hint := suggest(s, d.threads); hint != "" {
		d.errorf(n, "%s: unknown thread %q%s", path, s, hint)
	} else {
		d.errorf(n, "%s: unknown thread %q (declared: %s)", path, s, strings.Join(d.threads, ", "))
	}
	return "", false
}

func (d *decoder) ruleID(n *yaml.Node, path string) (string, bool) {
	s, ok := d.scalar(n, path, "a catalog rule id", "!!str")
	if !ok {
		return "", false
	}
	if s == "" {
		d.errorf(n, "%s: empty rule id", path)
		return "", false
	}
	if cat := d.env.Catalog; cat != nil {
		if _, known := cat.Lookup(s); !known {
			d.errorf(n, "%s: unknown catalog id %q%s", path, s, suggest(s, cat.IDs()))
			return "", false
		}
	}
	return s, true
}

var (
	constTypesMu sync.Mutex
	constTypes   = map[string]*Type{}
)

// constType is the type of a field holding an SDK constant of a group: names
// of the group joined by "|", or an integer for values with no name (an
// invalid control code, an empty mask).
func constType(group string) *Type {
	constTypesMu.Lock()
	defer constTypesMu.Unlock()
	if t := constTypes[group]; t != nil {
		return t
	}
	t := &Type{
		Name:   group,
		Doc:    "names of the " + group + " group joined by |, or an integer",
		brief:  briefBare,
		schema: func(s *schemaWriter) jsonObject { return s.constants(group) },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.constant(n, path, group)
		},
	}
	constTypes[group] = t
	return t
}

// constOf returns the value of the constant field name of vs as T, the
// type its group's SDK constants have (a service state, a notify mask):
// constType decodes every group to uint32.
func constOf[T ~uint32](vs values, name string) T { return T(vs.u32(name)) }

func (d *decoder) constant(n *yaml.Node, path, group string) (any, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		return d.uint(n, path, 32)
	}
	s, ok := d.scalar(n, path, group+" names joined by |, or an integer", "!!str")
	if !ok {
		return nil, false
	}
	var v uint32
	offset := 0
	for _, part := range strings.Split(s, "|") {
		name := strings.TrimSpace(part)
		x, found := d.env.Consts.Lookup(group, name)
		if !found {
			_, err := d.env.Consts.Parse(group, name)
			if err == nil || !strings.Contains(err.Error(), "did you mean") {
				err = fmt.Errorf("unknown %s constant %q%s", group, name, otherGroup(d.env.Consts, group, name))
			}
			line, col := n.Line, n.Column
			if n.Style == 0 && !strings.Contains(s, "\n") {
				col += offset + strings.Index(part, name)
			}
			d.errorAt(line, col, "%s: %v", path, err)
			return nil, false
		}
		v |= x
		offset += len(part) + 1
	}
	return v, true
}

// otherGroup names the group a constant belongs to when it is not the one
// expected, as a hint: " (SERVICE_ALL_ACCESS is a service-access constant)".
func otherGroup(t *sim.ConstTable, group, name string) string {
	constTypesMu.Lock()
	groups := mapKeysSorted(constTypes)
	constTypesMu.Unlock()
	for _, g := range groups {
		if _, ok := t.Lookup(g, name); ok && g != group {
			return fmt.Sprintf(" (%s is a %s constant)", name, g)
		}
	}
	return ""
}

// enumType accepts one of a fixed set of words.
func enumType(name string, words ...string) *Type {
	return &Type{
		Name:   name,
		Doc:    "one of " + strings.Join(words, ", "),
		brief:  briefBare,
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": "string", "enum": words} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "one of "+strings.Join(words, ", "), "!!str")
			if !ok {
				return nil, false
			}
			for _, w := range words {
				if s == w {
					return s, true
				}
			}
			d.errorf(n, "%s: want one of %s, got %q%s", path, strings.Join(words, ", "), s, suggest(s, words))
			return nil, false
		},
	}
}

// objectType is a mapping with its own field table; it decodes to values.
func objectType(name, doc string, fields []Field) *Type {
	return &Type{
		Name: name, Doc: doc, Fields: fields, brief: briefNone,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if isNull(n) {
				d.errorf(n, "%s: want a mapping, got %s", path, describe(n))
				return nil, false
			}
			vs, ok := d.fields(n, path, path+".", fields)
			if !ok {
				return nil, false
			}
			return vs, true
		},
	}
}

// item is one decoded mapping of a list, with its position.
type item struct {
	node *yaml.Node
	vals values
}

// listType is a list of mappings of one object type; it decodes to []item.
// sequenceOf decodes a YAML sequence element by element, naming each element
// path[i] in messages. It reports every bad element, not only the first.
func sequenceOf[T any](d *decoder, n *yaml.Node, path string, elem func(d *decoder, it *yaml.Node, path string) (T, bool)) ([]T, bool) {
	items, ok := d.sequence(n, path)
	if !ok {
		return nil, false
	}
	out := make([]T, 0, len(items))
	for i, it := range items {
		v, good := elem(d, it, fmt.Sprintf("%s[%d]", path, i))
		ok = ok && good
		out = append(out, v)
	}
	return out, ok
}

func listType(elem *Type, doc string) *Type {
	return &Type{
		Name: "[" + elem.Name + "]", Doc: doc, Elem: elem, brief: briefNone,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			nodes, ok := d.sequence(n, path)
			if !ok {
				return nil, false
			}
			out := make([]item, 0, len(nodes))
			for i, it := range nodes {
				v, good := elem.decode(d, it, fmt.Sprintf("%s[%d]", path, i))
				if !good {
					ok = false
					continue
				}
				out = append(out, item{node: it, vals: v.(values)})
			}
			return out, ok
		},
	}
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// wellFormedDuration matches what time.ParseDuration takes when the value
// fits: a string it refuses that matches is out of range, not misspelt.
var wellFormedDuration = regexp.MustCompile(`^\+?` + durationSyntax + `$`)

// durationSyntax is one or more numbers, each with its unit, as
// time.ParseDuration reads them.
const durationSyntax = `(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+`
