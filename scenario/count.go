package scenario

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A counter assertion (hive_io) compares each counter it names with a
// count, written in one of these forms:
//
//	writes: 4                              exactly 4
//	writes: {at_least: 1}                  a bound: at_least, more_than, at_most, less_than
//	writes: {more_than: 1, at_most: 3}     one lower and one upper bound at most
//	writes: {added: 0}                     the increase since this counter's previous check
//	writes: {added: {at_least: 2}}         a bound on that increase
//	writes: {at_least: 4, added: 2}        both: the value and the increase
//
// The comparison is a mapping with words for keys rather than a string such
// as ">= 2": YAML reserves '>' at the start of a plain value (a folded block
// scalar) so the string would have to be quoted, and "+1" written plainly
// is already the integer 1, so a "+1" difference would mean one thing quoted
// and another unquoted. Keys go through the field table like any other, so
// a misspelt one is reported with the nearest name.
//
// The runner keeps each counter's value at its last check (countBase), the
// base of the next check's added:.

// countBound is one bound key of a count mapping.
type countBound struct {
	key    string // as written in YAML
	words  string // as a message says it
	lower  bool   // bounds the count from below
	strict bool   // excludes the number itself
	doc    string
}

// countBounds are the bound keys, in the order messages name them.
var countBounds = []countBound{
	{"at_least", "at least", true, false, "the count is this or more (>=)"},
	{"more_than", "more than", true, true, "the count is above this (>)"},
	{"at_most", "at most", false, false, "the count is this or less (<=)"},
	{"less_than", "less than", false, true, "the count is below this (<)"},
}

// countRange is the set of counts a comparison accepts: lo to hi, both
// included, and the comparison as written, for messages.
type countRange struct {
	lo, hi uint64
	text   string // "4", "at least 1", "more than 1 and at most 3"
}

func (c countRange) holds(v uint64) bool { return c.lo <= v && v <= c.hi }

// countCheck is a decoded count: what the counter's value must be, what
// its increase since the previous check must be, or both (nil: not
// compared).
type countCheck struct {
	value *countRange
	added *countRange
}

// boundFields are the fields of the bound keys, all uint64.
func boundFields() []Field {
	fs := make([]Field, len(countBounds))
	for i, b := range countBounds {
		fs[i] = Field{Name: b.key, Type: tUint64, Doc: b.doc}
	}
	return fs
}

var (
	// tCountChange is the value of added: an exact increase, or bounds on
	// it.
	tCountChange = &Type{
		Name:   "count|{bounds}",
		Doc:    "an increase: a non-negative integer (exactly that), or a mapping of bounds (at_least, more_than, at_most, less_than)",
		Fields: boundFields(),
		Scalar: tUint64,
		brief:  briefFlow,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if n.Kind == yaml.MappingNode {
				vs, ok := d.fields(n, path, path+".", boundFields())
				if !ok {
					return nil, false
				}
				r, ok := d.countBounds(n, path, vs)
				if ok && r == nil {
					d.errorf(n, "%s: give a bound (%s)", path, fieldNamesOf(boundFields()))
					return nil, false
				}
				return r, ok
			}
			v, ok := d.countScalar(n, path, "an increase (a non-negative integer) or bounds such as {at_least: 1}")
			if !ok {
				return nil, false
			}
			return &countRange{lo: v, hi: v, text: fmt.Sprint(v)}, true
		},
	}

	// tCount is a counter's expected count in any of its forms; it
	// decodes to a countCheck.
	tCount = &Type{
		Name:   "count|{comparison}",
		Doc:    "a non-negative integer (exactly that), or a comparison: bounds (at_least, more_than, at_most, less_than) and/or added: (the increase since this counter's previous check)",
		Fields: countFields(),
		Scalar: tUint64,
		brief:  briefFlow,
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if n.Kind != yaml.MappingNode {
				v, ok := d.countScalar(n, path, "a count (a non-negative integer) or a comparison such as {at_least: 2} or {added: 1}")
				if !ok {
					return nil, false
				}
				return countCheck{value: &countRange{lo: v, hi: v, text: fmt.Sprint(v)}}, true
			}
			vs, ok := d.fields(n, path, path+".", countFields())
			if !ok {
				return nil, false
			}
			r, ok := d.countBounds(n, path, vs)
			if !ok {
				return nil, false
			}
			c := countCheck{value: r}
			c.added, _ = vs.get("added").(*countRange)
			if c.value == nil && c.added == nil {
				d.errorf(n, "%s: give a bound (%s) or added:", path, fieldNamesOf(boundFields()))
				return nil, false
			}
			return c, true
		},
	}
)

// countFields are the keys of a count mapping: the bounds and added:.
func countFields() []Field {
	return append(boundFields(), Field{Name: "added", Type: tCountChange,
		Doc: "the increase since the previous check of the same counter (of the same hive), or since the start for the first: an integer or bounds"})
}

// countScalar decodes the plain form of a count, and explains the forms
// people try first: a string such as ">= 2" or "+1" gets the mapping that
// says it. forms names the forms accepted where n is, for the message.
func (d *decoder) countScalar(n *yaml.Node, path, forms string) (uint64, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		hint := ""
		if m := operatorForm.FindStringSubmatch(n.Value); m != nil {
			hint = fmt.Sprintf(" (write %s)", operatorWords[m[1]](m[2]))
		}
		d.errorf(n, "%s: want %s, got %s%s", path, forms, describe(n), hint)
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float" && allDigits.MatchString(n.Value) {
		// YAML reads an integer too large for int64 as a float.
		d.errorf(n, "%s: %s does not fit in 64 bits", path, n.Value)
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		d.errorf(n, "%s: want %s, got %s", path, forms, describe(n))
		return 0, false
	}
	v, ok := d.uint(n, path, 64)
	if !ok {
		return 0, false
	}
	return v.(uint64), true
}

// allDigits matches a decimal integer written without a sign.
var allDigits = regexp.MustCompile(`^[0-9]+$`)

// operatorForm matches a comparison written as an operator and a number.
var operatorForm = regexp.MustCompile(`^\s*(>=|=>|<=|=<|==|=|>|<|\+)\s*([0-9]+)\s*$`)

// operatorWords turns an operator form into the mapping that says it.
var operatorWords = map[string]func(string) string{
	">=": func(n string) string { return "{at_least: " + n + "}" },
	"=>": func(n string) string { return "{at_least: " + n + "}" },
	"<=": func(n string) string { return "{at_most: " + n + "}" },
	"=<": func(n string) string { return "{at_most: " + n + "}" },
	">":  func(n string) string { return "{more_than: " + n + "}" },
	"<":  func(n string) string { return "{less_than: " + n + "}" },
	"==": func(n string) string { return n },
	"=":  func(n string) string { return n },
	"+":  func(n string) string { return "{added: " + n + "}" },
}

// countBounds turns the bound keys of a decoded count mapping into a
// range; nil when none is given. It refuses two bounds on one side, a range
// no count falls in, and a range every count falls in (it cannot fail).
func (d *decoder) countBounds(n *yaml.Node, path string, vs values) (*countRange, bool) {
	r := countRange{lo: 0, hi: math.MaxUint64}
	var given []string // "at_least: 5", in table order
	var lower, upper *value
	var lowerKey, upperKey string
	for _, b := range countBounds {
		v := vs.at(b.key)
		if v == nil {
			continue
		}
		x := v.v.(uint64)
		side, key, dir := &upper, &upperKey, "above"
		if b.lower {
			side, key, dir = &lower, &lowerKey, "below"
		}
		if *side != nil {
			d.errorf(v.node, "%s: %s and %s both bound it from %s; keep one", path, *key, b.key, dir)
			return nil, false
		}
		*side, *key = v, b.key
		switch {
		case b.lower && b.strict && x == math.MaxUint64:
			d.errorf(v.node, "%s: more_than: %d can never pass: no count is above the largest uint64", path, x)
			return nil, false
		case !b.lower && b.strict && x == 0:
			d.errorf(v.node, "%s: less_than: 0 can never pass: no count is below 0", path)
			return nil, false
		case b.lower && b.strict:
			r.lo = x + 1
		case b.lower:
			r.lo = x
		case b.strict:
			r.hi = x - 1
		default:
			r.hi = x
		}
		given = append(given, fmt.Sprintf("%s: %d", b.key, x))
		if r.text != "" {
			r.text += " and "
		}
		r.text += fmt.Sprintf("%s %d", b.words, x)
	}
	switch {
	case lower == nil && upper == nil:
		return nil, true
	case r.lo > r.hi:
		d.errorf(upper.node, "%s: %s leave no count that passes", path, strings.Join(given, " and "))
		return nil, false
	case r.lo == 0 && r.hi == math.MaxUint64:
		at := lower
		if at == nil {
			at = upper
		}
		d.errorf(at.node, "%s: %s cannot fail: every count is %s", path, strings.Join(given, " and "), r.text)
		return nil, false
	}
	return &r, true
}

// countBase is a counter's value at its last check, and where that check
// is: the base of the next check's added:.
type countBase struct {
	v    uint64
	line int
}

// checkCount compares a counter read at run time with the count field of
// the same name in st, if st gives one, and makes got the base of the
// counter's next check. scope tells counters of the same name apart (the
// hive they count). It returns what differs, "" when the count passes.
func (r *runner) checkCount(st *Step, scope, field string, got uint64) string {
	want, ok := st.args.get(field).(countCheck)
	if !ok {
		return ""
	}
	if r.counts == nil {
		r.counts = map[string]countBase{}
	}
	key := scope + "\x00" + field
	base, seen := r.counts[key]
	r.counts[key] = countBase{v: got, line: st.Line}

	var diffs []string
	if want.value != nil && !want.value.holds(got) {
		diffs = append(diffs, fmt.Sprintf("%s: got %d, want %s", field, got, want.value.text))
	}
	if want.added != nil {
		since := "since the start"
		if seen {
			since = fmt.Sprintf("since the check at line %d", base.line)
		}
		switch {
		case got < base.v:
			diffs = append(diffs, fmt.Sprintf("%s: went down by %d %s (from %d to %d), want added %s", field, base.v-got, since, base.v, got, want.added.text))
		case !want.added.holds(got - base.v):
			diffs = append(diffs, fmt.Sprintf("%s: added %d %s (from %d to %d), want added %s", field, got-base.v, since, base.v, got, want.added.text))
		}
	}
	return strings.Join(diffs, "; ")
}
