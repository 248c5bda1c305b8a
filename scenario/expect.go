package scenario

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// This file holds the forms an expected code may take, for want: and
// error: alike:
//
//	want: ERROR_ACCESS_DENIED                       one value
//	want: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE] one of them
//	want: {win8: X, wine-8.0: Y, setting: some.id}   per profile
//
// In the per-profile form each value is a single one or a one-of list,
// win8's is required and stands for every profile not listed, and a
// profile whose value differs from win8's must be covered by the named
// profile setting: one whose declared values differ between win8 and that
// profile. A scenario thereby never declares a difference on its own.

var (
	// tWant is the type of want:, as help prints it; the step's kind
	// decodes the values.
	tWant = &Type{
		Name:   "result|[result]|{profile: result, setting: id}",
		schema: kindDecides,
		Doc:    "a status name or wait result; a list of them, any of which passes; or a mapping from profile to either, with win8's required and setting: naming the profile setting that declares each difference from win8",
	}

	// tCitations is the type of observed:.
	tCitations = &Type{
		Name: "test-line|[test-line]", Doc: "a Wine source position such as dlls/advapi32/tests/service.c:1234, or a list of them",
		schema: func(*schemaWriter) jsonObject {
			line := jsonObject{"type": "string", "pattern": sim.TestLineSyntax}
			return jsonObject{"anyOf": []any{line, jsonObject{"type": "array", "items": line, "minItems": 1}}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if n.Kind != yaml.SequenceNode {
				l, ok := d.testLine(n, path)
				return []sim.TestLine{l}, ok
			}
			if len(n.Content) == 0 {
				d.errorf(n, "%s: list at least one Wine test line, or leave the field out", path)
				return nil, false
			}
			return sequenceOf(d, n, path, (*decoder).testLine)
		},
	}
)

// tStatusSet is a Win32 error expected where a structure is compared (a
// callback's NotificationStatus): one name, a one-of list, or the
// per-profile mapping, as for want:.
var tStatusSet = &Type{
	Name: "status|[status]|{profile: status}", Doc: "a Win32 error name, a list of them any of which passes, or a per-profile mapping as for want:", brief: briefBare,
	schema: func(s *schemaWriter) jsonObject { return s.expected(ReturnsStatus) },
	decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
		return d.errnoExpectation(n, path)
	},
}

// errnoExpectation decodes an expected Win32 error in any of the forms.
func (d *decoder) errnoExpectation(n *yaml.Node, path string) (*expectation[sim.Errno], bool) {
	return expectOf(d, n, path, func(n *yaml.Node, path string) (sim.Errno, bool) {
		v, ok := d.win32Code(n, path)
		if !ok {
			return 0, false
		}
		return v.(sim.Errno), true
	})
}

// testLine decodes one Wine source position.
func (d *decoder) testLine(n *yaml.Node, path string) (sim.TestLine, bool) {
	s, ok := d.scalar(n, path, "a Wine source position such as dlls/advapi32/tests/service.c:1234", "!!str")
	if !ok {
		return sim.TestLine{}, false
	}
	l, err := sim.ParseTestLine(s)
	if err != nil {
		d.errorf(n, "%s: %v", path, err)
		return sim.TestLine{}, false
	}
	return l, true
}

// expectation is a decoded expected value: per profile, the set of values
// any of which passes.
type expectation[T comparable] struct {
	// base is the default profile's set, and that of every profile not
	// listed.
	base []T
	// by holds the sets of the other profiles written out.
	by map[string][]T
	// perProfile is set for the mapping form.
	perProfile bool
	// setting names the profile setting that declares the difference.
	setting string
}

// in returns the set that passes under profile.
func (e *expectation[T]) in(profile string) []T {
	if s, ok := e.by[profile]; ok {
		return s
	}
	return e.base
}

// any reports whether some profile's set holds a value for which f is true.
func (e *expectation[T]) any(f func(T) bool) bool {
	if slices.ContainsFunc(e.base, f) {
		return true
	}
	for _, s := range e.by {
		if slices.ContainsFunc(s, f) {
			return true
		}
	}
	return false
}

// text describes the set under profile for failure messages: the value, or
// "one of A, B"; the per-profile form names the profile.
func (e *expectation[T]) text(profile string, format func(T) string) string {
	s := setText(e.in(profile), format)
	if e.perProfile {
		s += " (the want of profile " + profile + ")"
	}
	return s
}

func setText[T any](set []T, format func(T) string) string {
	if len(set) == 1 {
		return format(set[0])
	}
	parts := make([]string, len(set))
	for i, v := range set {
		parts[i] = format(v)
	}
	return "one of " + strings.Join(parts, ", ")
}

// sameSet reports whether a and b hold the same values, in any order.
func sameSet[T comparable](a, b []T) bool {
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	for _, v := range b {
		if !slices.Contains(a, v) {
			return false
		}
	}
	return true
}

// settingKey is the key of the per-profile form that names the setting.
const settingKey = "setting"

// expectOf decodes an expectation whose values one decodes: a scalar, a
// one-of list, or the per-profile mapping.
func expectOf[T comparable](d *decoder, n *yaml.Node, path string, one func(n *yaml.Node, path string) (T, bool)) (*expectation[T], bool) {
	e := &expectation[T]{}
	if n.Kind != yaml.MappingNode {
		set, ok := oneOf(d, n, path, one)
		e.base = set
		return e, ok
	}
	e.perProfile = true
	pairs, ok := d.mapping(n, path)
	var known []string
	for _, p := range sim.Profiles() {
		known = append(known, p.Name)
	}
	var settingNode *yaml.Node
	var baseNode *yaml.Node
	keys := map[string]*yaml.Node{}
	for _, p := range pairs {
		key := p.key.Value
		switch {
		case key == settingKey:
			settingNode = p.val
		case slices.Contains(known, key):
			set, good := oneOf(d, p.val, path+"."+key, one)
			if !good {
				ok = false
				continue
			}
			keys[key] = p.val
			if key == sim.DefaultProfile {
				e.base, baseNode = set, p.val
				continue
			}
			if e.by == nil {
				e.by = map[string][]T{}
			}
			e.by[key] = set
		default:
			hint := suggest(key, append(slices.Clone(known), settingKey))
			if hint == "" {
				hint = " (known: " + strings.Join(known, ", ") + ", and setting)"
			}
			d.errorf(p.key, "%s: unknown profile %q%s", path, key, hint)
			ok = false
		}
	}
	if !ok {
		return nil, false
	}
	if baseNode == nil {
		d.errorf(n, "%s: a per-profile want names %s's value, which every profile not listed takes", path, sim.DefaultProfile)
		return nil, false
	}
	var differ []string
	for _, p := range known {
		if s, listed := e.by[p]; listed && !sameSet(s, e.base) {
			differ = append(differ, p)
		}
	}
	if settingNode == nil {
		if len(differ) > 0 {
			d.errorf(keys[differ[0]], "%s.%s: differs from %s's value: add setting: naming the profile setting that declares the difference", path, differ[0], sim.DefaultProfile)
			return nil, false
		}
		return e, true
	}
	id, good := d.scalar(settingNode, path+"."+settingKey, "a profile setting id", "!!str")
	if !good {
		return nil, false
	}
	info, found := d.setting(id)
	if !found {
		ids := d.settingIDs()
		d.errorf(settingNode, "%s.%s: unknown profile setting %q%s", path, settingKey, id, suggest(id, ids))
		return nil, false
	}
	if len(differ) == 0 {
		d.errorf(settingNode, "%s.%s: %s is named, but the want is the same under every profile: write it once, without the mapping", path, settingKey, id)
		return nil, false
	}
	for _, p := range differ {
		if info.Values[p] == info.Values[sim.DefaultProfile] {
			d.errorf(keys[p], "%s.%s: differs from %s's value, but setting %s declares the same value (%s) for %s and %s",
				path, p, sim.DefaultProfile, id, info.Values[p], p, sim.DefaultProfile)
			ok = false
		}
	}
	e.setting = id
	return e, ok
}

// oneOf decodes a single value or a non-empty list of distinct values.
func oneOf[T comparable](d *decoder, n *yaml.Node, path string, one func(n *yaml.Node, path string) (T, bool)) ([]T, bool) {
	if n.Kind != yaml.SequenceNode {
		v, ok := one(n, path)
		return []T{v}, ok
	}
	if len(n.Content) == 0 {
		d.errorf(n, "%s: an empty list allows nothing: list the values any of which passes", path)
		return nil, false
	}
	ok := true
	var set []T
	for i, it := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		if it.Kind != yaml.ScalarNode {
			d.errorf(it, "%s: want a single value in a one-of list, got %s", p, describe(it))
			ok = false
			continue
		}
		v, good := one(it, p)
		if !good {
			ok = false
			continue
		}
		if slices.Contains(set, v) {
			d.errorf(it, "%s: %s is listed twice", p, it.Value)
			ok = false
			continue
		}
		set = append(set, v)
	}
	return set, ok
}

// setting returns the description of the profile setting id.
func (d *decoder) setting(id string) (sim.SettingInfo, bool) {
	for _, s := range d.env.Settings {
		if s.ID == id {
			return s, true
		}
	}
	return sim.SettingInfo{}, false
}

func (d *decoder) settingIDs() []string {
	out := make([]string, len(d.env.Settings))
	for i, s := range d.env.Settings {
		out[i] = s.ID
	}
	return out
}

// result is one outcome want: names.
type result struct {
	code     sim.Code       // the status: every kind but waits
	wait     sim.WaitResult // ReturnsWait
	deadlock bool           // ReturnsWait: want: deadlock
}

// resultOf decodes one result of a step kind's want:.
func (d *decoder) resultOf(k *StepKind) func(n *yaml.Node, path string) (result, bool) {
	return func(n *yaml.Node, path string) (result, bool) {
		switch k.Returns {
		case ReturnsStatus:
			e, ok := d.win32Code(n, path)
			if !ok {
				return result{}, false
			}
			return result{code: e.(sim.Errno).Code()}, true
		case ReturnsCode:
			c, ok := d.statusCode(n, path)
			if ok && c.Value == 0 {
				// S_OK and ERROR_SUCCESS are one value for the caller.
				c = sim.ERROR_SUCCESS.Code()
			}
			return result{code: c}, ok
		case ReturnsNTStatus:
			c, ok := d.ntStatusCode(n, path)
			return result{code: c}, ok
		}
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
			v, ok := d.uint(n, path, 32)
			if !ok {
				return result{}, false
			}
			return result{wait: sim.WaitResult(v.(uint32))}, true
		}
		s, ok := d.scalar(n, path, "a wait result such as WAIT_OBJECT_0", "!!str")
		if !ok {
			return result{}, false
		}
		if s == "deadlock" {
			return result{deadlock: true}, true
		}
		r, err := parseWaitResult(s)
		if err != nil {
			d.errorf(n, "%s: %v", path, err)
			return result{}, false
		}
		return result{wait: r}, true
	}
}

// defaultResults is what passes when a step writes no want:; nil for a
// wait, where any result but WAIT_FAILED and a deadlock passes.
func defaultResults(k Returns) []result {
	switch k {
	case ReturnsStatus, ReturnsCode:
		return successResults
	case ReturnsNTStatus:
		return ntSuccessResults
	}
	return nil
}

// successResults and ntSuccessResults are the sets defaultResults returns,
// made once: every step without want: asks for one. Their users only read
// them.
var (
	successResults   = []result{{code: sim.ERROR_SUCCESS.Code()}}
	ntSuccessResults = []result{{code: sim.STATUS_SUCCESS.Code()}}
)

// resultMatches reports whether got is in set, comparing the way the kind
// does: a ReturnsCode status counts ERROR_SUCCESS and S_OK as one value.
func resultMatches(k Returns, set []result, got result) bool {
	for _, w := range set {
		if w == got || (k == ReturnsCode && !w.deadlock && !got.deadlock && sameStatus(w.code, got.code)) {
			return true
		}
	}
	return false
}

// resultText formats a result the way failure messages show it.
func resultText(k Returns) func(result) string {
	return func(r result) string {
		switch {
		case k == ReturnsCode:
			return statusText(r.code)
		case k != ReturnsWait:
			return r.code.String()
		case r.deadlock:
			return "deadlock"
		}
		return waitText(r.wait)
	}
}

// resultName writes a result the way want: reads it.
func resultName(k Returns, r result) (string, error) {
	if k == ReturnsWait {
		switch {
		case r.deadlock:
			return "deadlock", nil
		case r.wait == sim.WAIT_FAILED:
			return "WAIT_FAILED", nil
		}
		return waitName(r.wait), nil
	}
	if r.code.Value == 0 && k == ReturnsCode {
		return sim.ERROR_SUCCESS.Code().Name(), nil
	}
	if name := r.code.Name(); name != "" {
		return name, nil
	}
	return "", fmt.Errorf("%s has no name in sim/codes.go", r.code)
}

// wantSet returns the results st's want: lets pass under profile (its
// default when it has none).
func (st *Step) wantSet(profile string) []result {
	if st.want == nil {
		return defaultResults(st.Kind.Returns)
	}
	return st.want.results.in(profile)
}

// Accepts returns the results st's want: lets pass under profile (the
// kind's default when the step has no want:), in the form Recording.Results
// gives, so that a test can ask what a scenario asserts as well as what a
// backend returned. A wait's WAIT_FAILED carries no WaitError here. It
// returns nil for a kind that returns nothing, and for a wait without want:
// (any result that neither fails nor deadlocks passes).
func (st *Step) Accepts(profile string) []StepResult {
	set := st.wantSet(profile)
	out := make([]StepResult, 0, len(set))
	for _, r := range set {
		out = append(out, StepResult{Returns: st.Kind.Returns, Code: r.code, Wait: r.wait, Deadlock: r.deadlock})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// wantText describes st's want: under profile for failure messages.
func (st *Step) wantText(profile string) string {
	k := st.Kind.Returns
	if st.want == nil {
		if k == ReturnsWait {
			return "a wait that neither fails nor deadlocks"
		}
		return setText(defaultResults(k), resultText(k))
	}
	format := resultText(k)
	if k == ReturnsWait && st.want.err != nil {
		errs := setText(st.want.err.in(profile), sim.Errno.String)
		format = func(r result) string {
			if !r.deadlock && r.wait == sim.WAIT_FAILED {
				return "WAIT_FAILED with " + errs
			}
			return resultText(k)(r)
		}
	}
	return st.want.results.text(profile, format)
}

// setRecordedWant writes what a step returned as its want: in a recording:
// the step's own one-of set under the recorded profile when the result is
// one of its values (a real result within the set agrees with it), else
// the result alone; left out when that is the kind's default.
func setRecordedWant(n *yaml.Node, st *Step, profile string, got result) error {
	k := st.Kind.Returns
	if set := st.wantSet(profile); st.want != nil && len(set) > 1 && resultMatches(k, set, got) {
		names := make([]string, len(set))
		for i, r := range set {
			name, err := resultName(k, r)
			if err != nil {
				return err
			}
			names[i] = name
		}
		ymSet(n, "want", ymFlowRaw(names))
		return nil
	}
	if def := defaultResults(k); def != nil && resultMatches(k, def, got) {
		ymDel(n, "want")
		return nil
	}
	name, err := resultName(k, got)
	if err != nil {
		return err
	}
	ymSet(n, "want", ymRaw(name))
	return nil
}

// setRecordedError writes the Win32 error of a WAIT_FAILED as error: in a
// recording, keeping the step's one-of set the way setRecordedWant does.
func setRecordedError(n *yaml.Node, st *Step, profile string, got sim.Errno) error {
	if st.want != nil && st.want.err != nil {
		if set := st.want.err.in(profile); len(set) > 1 && slices.Contains(set, got) {
			names := make([]string, len(set))
			for i, e := range set {
				names[i] = e.Code().Name()
			}
			ymSet(n, "error", ymFlowRaw(names))
			return nil
		}
	}
	name := got.Code().Name()
	if name == "" {
		return fmt.Errorf("Win32 error %d has no name in sim/codes.go", uint32(got))
	}
	ymSet(n, "error", ymRaw(name))
	return nil
}

// ymFlowRaw is a flow list of plain scalars, each read back by its own
// value (0 stays the integer a wait result may be).
func ymFlowRaw(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, ymRaw(s))
	}
	return n
}
