package scenario

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// maxErrors bounds the problems reported for one file; past it the decoder
// stops adding more, so that a binary file does not print thousands of lines.
const maxErrors = 50

// maxCallbackDepth bounds the nesting of on_callback steps.
const maxCallbackDepth = 8

// maxTreeDepth bounds the nesting of the YAML tree the decoder walks.
const maxTreeDepth = 64

// Field is one key of a step, of the scenario's top level, or of a mapping
// nested in a step. The table of fields is the only description of the
// format: the decoder, `simrun help steps` and the generated documentation
// all read it.
type Field struct {
	// Name is the key as written in YAML.
	Name string
	// Type says which values the key accepts.
	Type *Type
	// Required keys must be written; the others take Default.
	Required bool
	// Default is the YAML text the decoder uses when the key is left out,
	// "" when a missing key means "not given" (not compared, not passed).
	Default string
	// Doc says what the key means, in one line.
	Doc string
	// Needs lists backend capabilities that writing this key requires.
	Needs []backend.Capability
}

// Type is the kind of value a Field accepts.
type Type struct {
	// Name is the type as help and docs print it: bool, handle, ms ...
	Name string
	// Doc says which values are accepted, in one line.
	Doc string
	// Fields are the keys of a mapping type, nil for other types.
	Fields []Field
	// Elem is the element type of a list type, nil for other types.
	Elem *Type
	// Scalar is, for a mapping type (one with Fields) that may also be
	// written as a single value, the type of that value: a count is 4, or
	// {at_least: 1}. Nil for every other type. The schema (WriteSchema)
	// takes either form.
	Scalar *Type

	decode func(d *decoder, n *yaml.Node, path string) (any, bool)
	// schema writes the JSON Schema of the values decode accepts (see
	// WriteSchema); nil for a type made of Fields (and a Scalar) or an
	// Elem, whose schema is made from theirs.
	schema func(s *schemaWriter) jsonObject
	// brief says how a value of this type appears in a step's summary:
	// briefBare writes it as is, briefQuoted quotes strings, briefNone
	// leaves it out (nested steps, mappings).
	brief briefStyle
}

type briefStyle uint8

const (
	briefNone briefStyle = iota
	briefBare
	briefQuoted
	briefFlow // as briefBare, with a mapping written out in flow style
)

// value is one decoded key.
type value struct {
	node  *yaml.Node // the value as written, or the enclosing node for a default
	v     any
	given bool // written in the file, not defaulted
}

// values holds the decoded keys of one mapping, in the order of its field
// table. A mapping has a handful of keys: a slice, made in one allocation
// and searched in order, costs a step far less than a map would.
type values []namedValue

// namedValue is one decoded key and its name.
type namedValue struct {
	name string
	value
}

// at returns the value of the key name, nil when it has none.
func (vs values) at(name string) *value {
	for i := range vs {
		if vs[i].name == name {
			return &vs[i].value
		}
	}
	return nil
}

func (vs values) get(name string) any {
	if v := vs.at(name); v != nil {
		return v.v
	}
	return nil
}

func (vs values) has(name string) bool { return vs.at(name) != nil }

func (vs values) bool(name string) bool        { b, _ := vs.get(name).(bool); return b }
func (vs values) u32(name string) uint32       { u, _ := vs.get(name).(uint32); return u }
func (vs values) str(name string) string       { s, _ := vs.get(name).(string); return s }
func (vs values) strPtr(name string) *string   { p, _ := vs.get(name).(*string); return p }
func (vs values) strs(name string) []string    { s, _ := vs.get(name).([]string); return s }
func (vs values) handle(name string) handleRef { h, _ := vs.get(name).(handleRef); return h }
func (vs values) handles(name string) []handleRef {
	h, _ := vs.get(name).([]handleRef)
	return h
}

// pair is one key and its value in a YAML mapping.
type pair struct{ key, val *yaml.Node }

// decoder walks the YAML tree of one file, collecting every problem it finds
// together with its position, and keeping the scope the static checks need.
type decoder struct {
	file string
	env  *Env
	errs ErrorList

	threads       []string       // declared threads, in order
	vars          map[string]int // handle variables bound so far -> the line of their as:
	buffers       map[string]int // notify buffers named so far -> the line first naming them
	exited        map[string]int // thread -> the line of its exit_thread step
	callbackDepth int

	deferred *yaml.Node // the steps: node decodeStream decodes itself, nil for none

	cur      *Step                         // the step being decoded
	badArgs  map[string]bool               // fields of cur written but not decoded; nil for none yet
	observed []Citation                    // observed: citations so far
	needsAt  map[backend.Capability]string // capability -> first step needing it
	needs    []backend.Capability          // in order of first need

	wants map[wantKey]*expectation[result] // scalar want: values decoded so far
}

func newDecoder(file string, env *Env) *decoder {
	return &decoder{
		file:    file,
		env:     env,
		vars:    map[string]int{},
		buffers: map[string]int{},
		exited:  map[string]int{},
		needsAt: map[backend.Capability]string{},
	}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	d.errorAt(line, col, format, args...)
}

func (d *decoder) errorAt(line, col int, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	if len(d.errs) == maxErrors {
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Col: col, Msg: "too many errors"})
	}
}

// need records that the step being decoded needs caps.
func (d *decoder) need(caps ...backend.Capability) {
	for _, c := range caps {
		if _, ok := d.needsAt[c]; ok {
			continue
		}
		where := ""
		if d.cur != nil {
			where = d.cur.Kind.Name + " at " + d.cur.Pos()
		}
		d.needsAt[c] = where
		d.needs = append(d.needs, c)
	}
}

// suggest appends " (did you mean X?)" when a candidate is close to s.
func suggest(s string, candidates []string) string {
	if n := sim.Nearest(s, candidates); n != "" {
		return " (did you mean " + n + "?)"
	}
	return ""
}

// plainTags are the YAML tags a scenario may write explicitly: they name
// what a plain value already is. Any other (!!binary, !!timestamp, !foo)
// would be read as a plain value and its meaning silently dropped.
var plainTags = map[string]bool{"!!str": true, "!!int": true, "!!bool": true, "!!float": true, "!!null": true, "!!seq": true, "!!map": true}

// checkTree reports the YAML features the format leaves out: aliases and
// merge keys (a scenario reads literally, top to bottom) and absurd nesting.
// It reports whether the tree is usable.
func (d *decoder) checkTree(n *yaml.Node, depth int) bool {
	if n == nil {
		return true
	}
	if depth > maxTreeDepth {
		d.errorf(n, "nesting deeper than %d levels", maxTreeDepth)
		return false
	}
	if n.Style&yaml.TaggedStyle != 0 && !plainTags[n.ShortTag()] {
		d.errorf(n, "the YAML tag %s is not supported: write the value plainly", quoteName(n.Tag))
		return false
	}
	switch n.Kind {
	case yaml.AliasNode:
		d.errorf(n, "aliases (*%s) are not supported: write the value out", n.Value)
		return false
	case yaml.MappingNode:
		ok := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				d.errorf(k, "merge keys (<<) are not supported: write the fields out")
				ok = false
			}
		}
		for _, c := range n.Content {
			ok = d.checkTree(c, depth+1) && ok
		}
		return ok
	}
	ok := true
	for _, c := range n.Content {
		ok = d.checkTree(c, depth+1) && ok
	}
	return ok
}

func isNull(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names a node's YAML type for messages.
func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!null":
		if n.Value == "" {
			return "nothing (null)"
		}
		return "null"
	case "!!bool":
		return "bool " + n.Value
	case "!!int":
		return "integer " + n.Value
	case "!!float":
		return "number " + n.Value
	case "!!str":
		return fmt.Sprintf("string %q", n.Value)
	}
	return fmt.Sprintf("%s %q", n.ShortTag(), n.Value)
}

// mapping returns the pairs of a mapping node, reporting a node of another
// kind and keys written twice.
func (d *decoder) mapping(n *yaml.Node, path string) ([]pair, bool) {
	if n.Kind == yaml.AliasNode {
		return nil, false // reported by checkTree
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping, got %s", path, describe(n))
		return nil, false
	}
	pairs := make([]pair, 0, len(n.Content)/2)
	// A step's mapping has a few keys: looking back through the pairs
	// kept so far finds a key written twice without a map; a long
	// mapping gets one.
	var seen map[string]*yaml.Node
	if len(n.Content) > 2*maxScannedKeys {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: a key must be a plain word, got %s", path, describe(k))
			ok = false
			continue
		}
		if first := repeatedKey(pairs, seen, k.Value); first != nil {
			d.errorf(k, "%s: key %q written twice (first at line %d)", path, k.Value, first.Line)
			ok = false
			continue
		}
		if seen != nil {
			seen[k.Value] = k
		}
		pairs = append(pairs, pair{k, v})
	}
	return pairs, ok
}

// maxScannedKeys is the most keys a mapping may have for mapping to look
// for a repeated key by scanning the pairs instead of through a map.
const maxScannedKeys = 16

// repeatedKey returns the key node of pairs named key, nil when there is
// none; seen, when not nil, indexes pairs by key.
func repeatedKey(pairs []pair, seen map[string]*yaml.Node, key string) *yaml.Node {
	if seen != nil {
		return seen[key]
	}
	for _, p := range pairs {
		if p.key.Value == key {
			return p.key
		}
	}
	return nil
}

// valueOf returns the value of the pair named key, nil when there is none.
func valueOf(pairs []pair, key string) *yaml.Node {
	for _, p := range pairs {
		if p.key.Value == key {
			return p.val
		}
	}
	return nil
}

// sequence returns the items of a sequence node.
func (d *decoder) sequence(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	if n.Kind == yaml.AliasNode {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: want a list, got %s", path, describe(n))
		return nil, false
	}
	return n.Content, true
}

// scalar returns the text of a scalar with one of the given tags.
func (d *decoder) scalar(n *yaml.Node, path, want string, tags ...string) (string, bool) {
	if n.Kind == yaml.AliasNode {
		return "", false
	}
	if n.Kind == yaml.ScalarNode && slices.Contains(tags, n.ShortTag()) {
		if i := strings.IndexByte(n.Value, 0); i >= 0 {
			// A Windows name ends at its first NUL: the model would
			// keep what the real call never sees.
			d.errorf(n, "%s: %s holds a NUL character (at byte %d), which no name or value here may", path, quoteName(n.Value), i)
			return "", false
		}
		return n.Value, true
	}
	d.errorf(n, "%s: want %s, got %s", path, want, describe(n))
	return "", false
}

func fieldNames(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

func findField(fields []Field, name string) *Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

// fields decodes a mapping against a field table: unknown keys are reported
// with the nearest known one, missing required keys are reported at the
// mapping, and defaults are decoded from their YAML text by the same code as
// written values. A null node stands for an empty mapping. what names the
// mapping in messages ("OpenService", "expect"); prefix is put before field
// names in messages about values ("expect.").
func (d *decoder) fields(n *yaml.Node, what, prefix string, fields []Field) (values, bool) {
	label := what
	if prefix != "" {
		label = strings.TrimSuffix(prefix, ".")
	}
	var pairs []pair
	ok := true
	if !isNull(n) {
		if n.Kind != yaml.MappingNode {
			d.mapping(n, label) // reports the wrong kind
			return nil, false
		}
		pairs, ok = d.mapping(n, label)
	}
	for _, p := range pairs {
		if findField(fields, p.key.Value) == nil {
			d.errorf(p.key, "unknown field %q in %s%s", p.key.Value, what, suggest(p.key.Value, fieldNames(fields)))
			ok = false
		}
	}
	vs := make(values, 0, len(fields))
	for i := range fields {
		f := &fields[i]
		// The keys of pairs are distinct (mapping dropped a repeated
		// one), and a mapping's keys are few: a scan finds the value.
		vn := valueOf(pairs, f.Name)
		has := vn != nil
		if !has {
			if f.Required {
				d.errorf(n, "%s: missing field %q", what, f.Name)
				ok = false
				continue
			}
			if f.Default == "" {
				continue
			}
			if vn = d.defaultNode(f, n); vn == nil {
				ok = false
				continue
			}
		}
		v, good := f.Type.decode(d, vn, prefix+f.Name)
		if !good {
			if has && d.cur != nil {
				if d.badArgs == nil {
					d.badArgs = map[string]bool{}
				}
				d.badArgs[prefix+f.Name] = true
			}
			ok = false
			continue
		}
		vs = append(vs, namedValue{f.Name, value{node: vn, v: v, given: has}})
		if has {
			d.need(f.Needs...)
		}
	}
	return vs, ok
}

// defaultNode parses a field's default text and places it at the position of
// the mapping it is missing from.
func (d *decoder) defaultNode(f *Field, at *yaml.Node) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(f.Default), &doc); err != nil || len(doc.Content) != 1 {
		d.errorf(at, "internal error: default %q of field %s does not parse", f.Default, f.Name)
		return nil
	}
	n := doc.Content[0]
	var place func(*yaml.Node)
	place = func(x *yaml.Node) {
		x.Line, x.Column = at.Line, at.Column
		for _, c := range x.Content {
			place(c)
		}
	}
	place(n)
	return n
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// ident decodes a name the scenario defines: a thread, variable or buffer.
func (d *decoder) ident(n *yaml.Node, path, what string) (string, bool) {
	s, ok := d.scalar(n, path, what+" name", "!!str")
	if !ok {
		return "", false
	}
	if !identRE.MatchString(s) {
		d.errorf(n, "%s: %q is not a valid %s name (letters, digits, _ and -, not starting with a digit)", path, s, what)
		return "", false
	}
	return s, true
}
