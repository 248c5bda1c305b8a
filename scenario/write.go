package scenario

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Script is a scenario built in Go, to be written out as a YAML file that
// Load reads back: the conformance suite turns a failing, shrunk property
// run into one, so that the failure can be replayed with simrun and kept as
// a regression scenario.
type Script struct {
	// Description says what the scenario checks and where it comes from.
	Description string
	// Covers lists the catalog ids the scenario asserts; at least one.
	Covers []string
	// Profiles lists the profiles it applies to; nil means every profile.
	Profiles []string
	// Seed is the backend's seed; 0 leaves the field out (the default, 1).
	Seed uint64
	// Threads are the threads the steps use; nil means the default [main].
	Threads []string
	// Steps are the steps, in order.
	Steps []ScriptStep
}

// ScriptStep is one step of a Script: a step kind with its arguments (or
// its single value) and the modifiers.
type ScriptStep struct {
	// Kind is the step kind's name (OpenSCManager, SleepEx, callbacks, ...).
	Kind string
	// Args are the kind's fields, written in this order. Leave it nil for a
	// kind that takes a single value.
	Args []Arg
	// Value is the single value of kinds such as advance, callbacks and
	// violations.
	Value any
	// Thread, As, Want, Error and Note are the modifiers; "" leaves one
	// out.
	Thread, As, Want, Error, Note string
	// Expect is the expect: modifier's fields; nil leaves it out.
	Expect []Arg
}

// Arg is one field of a step, or of a mapping inside a step's value.
//
// A value is written as: a string as a string (quoted when YAML would read
// it as anything else); Raw as given, for constant names, handle variables
// and durations; nil as null; bool and integers as such; []string as a flow
// sequence; []Arg as a flow mapping; [][]Arg as a sequence of flow mappings.
type Arg struct {
	Key   string
	Value any
}

// Raw is a scalar written without quotes, as the scenario format reads
// names: SERVICE_NOTIFY_RUNNING|SERVICE_NOTIFY_STOPPED, svc1, 200ms.
type Raw string

// Marshal writes s as a scenario file. It checks the step kinds and their
// field names against the step table, so that what it writes decodes; the
// values themselves are checked when the file is loaded.
func (s *Script) Marshal() ([]byte, error) {
	doc := mapNode(0)
	add := func(k string, v *yaml.Node) { doc.Content = append(doc.Content, str(k), v) }
	add("version", intNode(Version))
	desc := str(strings.TrimRight(s.Description, "\n") + "\n")
	desc.Style = yaml.LiteralStyle
	add("description", desc)
	if len(s.Covers) == 0 {
		return nil, fmt.Errorf("script: covers: list at least one catalog id")
	}
	add("covers", flowStrings(s.Covers))
	if len(s.Profiles) > 0 {
		add("profiles", flowStrings(s.Profiles))
	}
	if s.Seed != 0 {
		add("seed", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(s.Seed)})
	}
	if len(s.Threads) > 0 {
		add("threads", flowStrings(s.Threads))
	}
	steps := &yaml.Node{Kind: yaml.SequenceNode}
	for i, st := range s.Steps {
		n, err := st.node()
		if err != nil {
			return nil, fmt.Errorf("script: steps[%d]: %w", i, err)
		}
		steps.Content = append(steps.Content, n)
	}
	add("steps", steps)

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	return b.Bytes(), nil
}

func (st ScriptStep) node() (*yaml.Node, error) {
	k := lookupKind(st.Kind)
	if k == nil {
		return nil, fmt.Errorf("unknown step kind %q", st.Kind)
	}
	var kv *yaml.Node
	if k.Value != nil {
		if st.Args != nil {
			return nil, fmt.Errorf("%s takes a single value, not fields", st.Kind)
		}
		v, err := valueNode(st.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", st.Kind, err)
		}
		kv = v
	} else {
		kv = mapNode(yaml.FlowStyle)
		for _, a := range st.Args {
			if findField(k.Fields, a.Key) == nil {
				return nil, fmt.Errorf("%s has no field %q", st.Kind, a.Key)
			}
			v, err := valueNode(a.Value)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", st.Kind, a.Key, err)
			}
			kv.Content = append(kv.Content, str(a.Key), v)
		}
	}
	n := mapNode(0)
	n.Content = append(n.Content, str(st.Kind), kv)
	for _, m := range []struct{ key, val string }{{"thread", st.Thread}, {"as", st.As}, {"want", st.Want}, {"error", st.Error}} {
		if m.val != "" {
			n.Content = append(n.Content, str(m.key), raw(m.val))
		}
	}
	if st.Expect != nil {
		v, err := valueNode(st.Expect)
		if err != nil {
			return nil, fmt.Errorf("%s: expect: %w", st.Kind, err)
		}
		n.Content = append(n.Content, str("expect"), v)
	}
	if st.Note != "" {
		n.Content = append(n.Content, str("note"), str(st.Note))
	}
	return n, nil
}

func valueNode(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	case string:
		return str(x), nil
	case Raw:
		return raw(string(x)), nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}, nil
	case int, int64, uint32, uint64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(x)}, nil
	case []string:
		return flowStrings(x), nil
	case []Arg:
		n := mapNode(yaml.FlowStyle)
		for _, a := range x {
			e, err := valueNode(a.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Key, err)
			}
			n.Content = append(n.Content, str(a.Key), e)
		}
		return n, nil
	case [][]Arg:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, m := range x {
			e, err := valueNode(m)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, e)
		}
		return n, nil
	}
	return nil, fmt.Errorf("cannot write a %T", v)
}

func mapNode(style yaml.Style) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Style: style}
}

// str is a string scalar; the encoder quotes it if YAML would read it as
// another type.
func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// raw is a plain scalar, written as given.
func raw(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(i)}
}

func flowStrings(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, str(s))
	}
	return n
}
