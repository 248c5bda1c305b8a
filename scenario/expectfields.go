package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// This file holds the comparison of an expect: whose fields are plain
// values a call gave (a number, a name, a constant): a normal run compares
// each field given with what the call gave; a recording run compares
// nothing and records, for each field given, what the call gave, which
// the recording writes in the field's place (see rewriteExpect). A field
// the call gave nothing for (a buffer too short to hold the member) is
// dropped from the recording, since no run can compare it.

// expectRecord is what a recorded call gave for one expect: field: node
// is written in the field's place, or, when nil, the field is dropped.
type expectRecord struct {
	field string
	node  *yaml.Node
}

// expectCheck compares, or records, the fields of one step's expect:.
// Make it with newExpectCheck, feed it what the call gave, field by field,
// and end with done.
type expectCheck struct {
	r         *runner
	st        *Step
	vs        values
	recording bool
	rec       *stepRecord // where a recording run writes; nil when it keeps nothing of st
	diffs     []string
}

// newExpectCheck starts the comparison of st's expect:.
func (r *runner) newExpectCheck(st *Step) *expectCheck {
	c := &expectCheck{r: r, st: st, vs: st.expect, recording: r.recording()}
	if c.recording {
		c.rec = r.recOf(st)
	}
	return c
}

// newAssertCheck starts the comparison of the fields of st, an assertion
// step that states what it expects in its own fields: those are compared
// in a recording run too (an assertion records nothing).
func (r *runner) newAssertCheck(st *Step) *expectCheck {
	return &expectCheck{r: r, st: st, vs: st.args}
}

// given reports whether the expect: has field.
func (c *expectCheck) given(field string) bool { return c.vs.has(field) }

// record keeps node as what the call gave for field.
func (c *expectCheck) record(field string, node *yaml.Node) {
	if c.rec != nil {
		c.rec.expect = append(c.rec.expect, expectRecord{field: field, node: node})
	}
}

// u32 compares a number.
func (c *expectCheck) u32(field string, got uint32) {
	switch {
	case !c.given(field):
	case c.recording:
		c.record(field, ymInt(uint64(got)))
	case c.vs.u32(field) != got:
		c.diffs = append(c.diffs, fmt.Sprintf("%s: got %d, want %d", field, got, c.vs.u32(field)))
	}
}

// str compares a string.
func (c *expectCheck) str(field, got string) {
	switch {
	case !c.given(field):
	case c.recording:
		c.record(field, ymStr(got))
	case c.vs.str(field) != got:
		c.diffs = append(c.diffs, fmt.Sprintf("%s: got %q, want %q", field, got, c.vs.str(field)))
	}
}

// constant compares a value of a constant group, shown by its names.
func (c *expectCheck) constant(field, group string, got uint32) {
	switch {
	case !c.given(field):
	case c.recording:
		c.record(field, constNode(group, got))
	case c.vs.u32(field) != got:
		c.diffs = append(c.diffs, fmt.Sprintf("%s: got %s, want %s", field, constText(group, got), constText(group, c.vs.u32(field))))
	}
}

// gaveNothing says that the call gave nothing the given fields could be
// compared with. A recording drops them; a normal run fails the step with
// why (the fields given are then not compared).
func (c *expectCheck) gaveNothing(why string, fields ...string) {
	var given []string
	for _, f := range fields {
		if c.given(f) {
			given = append(given, f)
		}
	}
	if len(given) == 0 {
		return
	}
	if c.recording {
		for _, f := range given {
			c.record(f, nil)
		}
		return
	}
	c.diffs = append(c.diffs, why)
}

// done fails the step with every difference found.
func (c *expectCheck) done() {
	if len(c.diffs) > 0 {
		c.r.failf(c.st, "%s", strings.Join(c.diffs, "; "))
	}
}

// rewriteExpect writes what a recorded call gave into the expect: of its
// node n: each recorded field in its place, a dropped field removed, and
// expect: itself removed when no field is left.
func rewriteExpect(n *yaml.Node, recs []expectRecord) {
	x := ymGet(n, "expect")
	if x == nil || x.Kind != yaml.MappingNode || len(recs) == 0 {
		return
	}
	for _, rec := range recs {
		if rec.node == nil {
			ymDel(x, rec.field)
			continue
		}
		ymSet(x, rec.field, rec.node)
	}
	if len(x.Content) == 0 {
		ymDel(n, "expect")
	}
}

// strs compares a list of strings, in order.
func (c *expectCheck) strs(field string, got []string) {
	switch {
	case !c.given(field):
	case c.recording:
		c.record(field, ymFlowStrings(got))
	case !slices.Equal(c.vs.strs(field), got) && (len(got) != 0 || len(c.vs.strs(field)) != 0):
		c.diffs = append(c.diffs, fmt.Sprintf("%s: got %q, want %q", field, got, c.vs.strs(field)))
	}
}

// strPtr compares a string that may be NULL (null in the scenario).
func (c *expectCheck) strPtr(field string, got *string) {
	show := func(p *string) string {
		if p == nil {
			return "NULL"
		}
		return fmt.Sprintf("%q", *p)
	}
	want := c.vs.strPtr(field)
	switch {
	case !c.given(field):
	case c.recording:
		if got == nil {
			c.record(field, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"})
		} else {
			c.record(field, ymStr(*got))
		}
	case (want == nil) != (got == nil) || (want != nil && *want != *got):
		c.diffs = append(c.diffs, fmt.Sprintf("%s: got %s, want %s", field, show(got), show(want)))
	}
}

// boolean compares a flag.
func (c *expectCheck) boolean(field string, got bool) {
	switch {
	case !c.given(field):
	case c.recording:
		c.record(field, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(got)})
	case c.vs.bool(field) != got:
		c.diffs = append(c.diffs, fmt.Sprintf("%s: got %t, want %t", field, got, c.vs.bool(field)))
	}
}
