package sim

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Const is a named SDK constant (a state, a flag, an access right) that
// scenarios may write by name.
type Const struct {
	Name  string
	Value uint32
	// Group says where the name may be used: "state", "notify-mask",
	// "service-access" ... A flag field accepts names of its group joined by "|".
	Group string
}

// ConstTable is a lookup table of constants, grouped.
type ConstTable struct {
	byGroup map[string]map[string]uint32
	names   map[string][]string // group -> sorted names
}

// NewConstTable builds a table. It fails when a name appears twice in a group.
func NewConstTable(lists ...[]Const) (*ConstTable, error) {
	t := &ConstTable{byGroup: map[string]map[string]uint32{}, names: map[string][]string{}}
	for _, l := range lists {
		for _, c := range l {
			g := t.byGroup[c.Group]
			if g == nil {
				g = map[string]uint32{}
				t.byGroup[c.Group] = g
			}
			if _, dup := g[c.Name]; dup {
				return nil, fmt.Errorf("constant %s declared twice in group %s", c.Name, c.Group)
			}
			g[c.Name] = c.Value
			t.names[c.Group] = append(t.names[c.Group], c.Name)
		}
	}
	for _, n := range t.names {
		sort.Strings(n)
	}
	return t, nil
}

// Lookup returns the value of name in group.
func (t *ConstTable) Lookup(group, name string) (uint32, bool) {
	v, ok := t.byGroup[group][name]
	return v, ok
}

// Name returns the name of value in group, or "" when it has none. For
// several names with one value, the alphabetically first is returned.
func (t *ConstTable) Name(group string, value uint32) string {
	for _, n := range t.names[group] {
		if t.byGroup[group][n] == value {
			return n
		}
	}
	return ""
}

// Names returns the sorted names of a group.
func (t *ConstTable) Names(group string) []string {
	return append([]string(nil), t.names[group]...)
}

// Parse resolves an expression of names from group joined by "|", for
// example "SERVICE_NOTIFY_RUNNING|SERVICE_NOTIFY_STOPPED". Numbers are not
// accepted: scenarios write SDK names. An unknown name gets a suggestion.
func (t *ConstTable) Parse(group, expr string) (uint32, error) {
	g, ok := t.byGroup[group]
	if !ok {
		return 0, fmt.Errorf("no constants in group %q", group)
	}
	var v uint32
	for _, part := range strings.Split(expr, "|") {
		name := strings.TrimSpace(part)
		x, ok := g[name]
		if !ok {
			if s := Nearest(name, t.names[group]); s != "" {
				return 0, fmt.Errorf("unknown %s constant %q (did you mean %s?)", group, name, s)
			}
			return 0, fmt.Errorf("unknown %s constant %q", group, name)
		}
		v |= x
	}
	return v, nil
}

// Format writes value as its exact name when it has one, else as the
// single-bit names of group joined by "|", lowest bit first (of several
// names for one bit, the alphabetically first, as Name picks), with any
// leftover bits in hex. Zero prints as the group's zero-valued name if it has
// one, else "0".
func (t *ConstTable) Format(group string, value uint32) string {
	if n := t.Name(group, value); n != "" {
		return n
	}
	type nv struct {
		n string
		v uint32
	}
	var flags []nv
	for _, n := range t.names[group] {
		if v := t.byGroup[group][n]; v != 0 && v&(v-1) == 0 {
			flags = append(flags, nv{n, v})
		}
	}
	// Stable: names for the same bit stay in alphabetical order.
	sort.SliceStable(flags, func(i, j int) bool { return flags[i].v < flags[j].v })
	var parts []string
	rest := value
	for _, f := range flags {
		if rest&f.v != 0 {
			parts = append(parts, f.n)
			rest &^= f.v
		}
	}
	switch {
	case rest != 0:
		parts = append(parts, fmt.Sprintf("%#x", rest))
	case len(parts) == 0:
		parts = append(parts, "0")
	}
	return strings.Join(parts, "|")
}

// ConstGroup builds the constants of one group from name, value pairs:
// ConstGroup("service-state", "SERVICE_STOPPED", uint32(1), ...). A value
// may be a uint32 or of any type defined on uint32 (a family's typed
// constants, such as a service state). Families use it to list their
// constants for scenario files; a pair of the wrong types panics, which the
// family's own tests catch at once.
func ConstGroup(group string, pairs ...any) []Const {
	if len(pairs)%2 != 0 {
		panic("sim: ConstGroup needs name, value pairs")
	}
	out := make([]Const, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		v := reflect.ValueOf(pairs[i+1])
		if v.Kind() != reflect.Uint32 {
			panic(fmt.Sprintf("sim: ConstGroup: the value of %v is a %T, not a uint32", pairs[i], pairs[i+1]))
		}
		out = append(out, Const{Name: pairs[i].(string), Value: uint32(v.Uint()), Group: group})
	}
	return out
}
