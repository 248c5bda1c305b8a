package scenario

import (
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// The parts of decoding one step, in the order step calls them. Each
// reports its own errors and returns whether its part was good; step runs
// every part even after one failed, so that one pass reports every problem,
// in the order the parts come here.

// stepKeys sorts a step's keys into its one step kind (with the kind's
// value: the call's arguments) and its modifiers. It reports a second kind
// and an unknown key; ok is false when the mapping was bad or one was found.
func (d *decoder) stepKeys(n *yaml.Node, st *Step) (kindVal *yaml.Node, mods stepMods, ok bool) {
	pairs, ok := d.mapping(n, "step")
	mods = stepMods(pairs)
	for _, p := range pairs {
		key := p.key.Value
		if isModifier(key) {
			continue
		}
		if k := lookupKind(key); k != nil {
			if st.Kind != nil {
				d.errorf(p.key, "a step has one step kind; this one has %s and %s", st.Kind.Name, k.Name)
				ok = false
				continue
			}
			st.Kind, kindVal = k, p.val
			continue
		}
		d.errorf(p.key, "unknown step kind %q%s", key, suggest(key, kindNames()))
		ok = false
	}
	return kindVal, mods, ok
}

// stepMods are the pairs of a step's mapping, which hold its modifiers. A
// modifier's key is never a step kind's, so the pair of a modifier's name
// is that modifier; the keys are distinct (mapping drops a repeated one).
// A step writes a few keys: scanning them costs less than a map.
type stepMods []pair

// get returns the value of the modifier name, nil when the step has none.
func (m stepMods) get(name string) *yaml.Node { return valueOf(m, name) }

// names returns the modifiers the step writes, sorted.
func (m stepMods) names() []string {
	var out []string
	for _, p := range m {
		if isModifier(p.key.Value) {
			out = append(out, p.key.Value)
		}
	}
	sort.Strings(out)
	return out
}

// kindless handles a step that has no step kind. It binds as: anyway, so
// that later uses of the variable do not each report it undefined, and
// reports the missing kind unless stepKeys already reported a problem with
// the step's keys (reported).
func (d *decoder) kindless(n *yaml.Node, mods stepMods, reported bool) {
	if an := mods.get("as"); an != nil && an.Kind == yaml.ScalarNode && identRE.MatchString(an.Value) {
		if _, bound := d.vars[an.Value]; !bound {
			d.vars[an.Value] = an.Line
		}
	}
	if !reported {
		d.errorf(n, "step has no step kind, only %s (see simrun help steps)", strings.Join(mods.names(), ", "))
	}
}

// stepThread decodes thread: (tn, nil when absent) and refuses a step on a
// thread that has exited. It runs before the arguments, whose checks may
// depend on the thread.
func (d *decoder) stepThread(n *yaml.Node, st *Step, tn *yaml.Node) bool {
	thread, ok := d.threadOf(st, tn)
	if thread != "" && st.Kind.Name != "callbacks" && st.Kind.Name != "violations" {
		if line, exited := d.exited[thread]; exited {
			d.errorf(n, "%s: thread %s has exited (exit_thread at line %d)", st.Kind.Name, thread, line)
			ok = false
		}
	}
	return ok
}

// threadAlive refuses, at n, a step that acts on thread th (named in the
// field at path) after an exit_thread step ended it: the backend would be
// handed a thread that no longer exists.
func (d *decoder) threadAlive(n *yaml.Node, path, th string) bool {
	if line, exited := d.exited[th]; exited {
		d.errorf(n, "%s: thread %s has exited (exit_thread at line %d)", path, th, line)
		return false
	}
	return true
}

// threadOf returns the thread a step runs on: the one thread: names
// (recorded in st.Thread), else the first declared thread outside
// on_callback (inside it, the callback's thread, which is not checked
// here). thread: is refused inside on_callback.
func (d *decoder) threadOf(st *Step, tn *yaml.Node) (string, bool) {
	switch {
	case tn == nil && d.callbackDepth == 0 && len(d.threads) > 0:
		return d.threads[0], true
	case tn == nil:
		return "", true
	case d.callbackDepth > 0:
		d.errorf(tn, "thread: is not allowed inside on_callback: those steps run on the callback's thread")
		return "", false
	}
	th, ok := d.threadRef(tn, "thread")
	if !ok {
		return "", false
	}
	st.Thread = th
	return th, true
}

// expectInArguments refuses expect: given inside the call's arguments of a
// kind that takes expect: (it is a modifier, next to want:), saying where it
// goes, and returns the arguments without it.
func (d *decoder) expectInArguments(k *StepKind, kindVal *yaml.Node) (*yaml.Node, bool) {
	if k.Expect == nil || kindVal.Kind != yaml.MappingNode {
		return kindVal, true
	}
	for i := 0; i+1 < len(kindVal.Content); i += 2 {
		if key := kindVal.Content[i]; key.Kind == yaml.ScalarNode && key.Value == "expect" {
			d.errorf(key, "expect: goes next to want: (a modifier of the step), not inside the arguments of %s", k.Name)
			trimmed := *kindVal
			trimmed.Content = append(slices.Clone(kindVal.Content[:i]), kindVal.Content[i+2:]...)
			return &trimmed, false
		}
	}
	return kindVal, true
}

// stepArguments decodes the call's arguments: the kind's one value, or its
// fields one by one.
func (d *decoder) stepArguments(st *Step, kindVal *yaml.Node) bool {
	k := st.Kind
	if k.Value == nil {
		vs, ok := d.fields(kindVal, k.Name, "", k.Fields)
		st.args = vs
		return ok
	}
	v, ok := k.Value.Type.decode(d, kindVal, k.Name)
	if ok {
		st.args = values{{"", value{node: kindVal, v: v, given: true}}}
	}
	return ok
}

// stepWant decodes want: (wn, nil when absent).
func (d *decoder) stepWant(st *Step, wn *yaml.Node) bool {
	if wn == nil {
		return true
	}
	w, ok := d.want(wn, st.Kind)
	st.want = w
	return ok
}

// stepError decodes error: (en, nil when absent), the error code a wait
// step that wants WAIT_FAILED expects; wantGiven says whether the step has
// want:, already decoded into st.want.
func (d *decoder) stepError(st *Step, en *yaml.Node, wantGiven bool) bool {
	if en == nil {
		return true
	}
	failed := func(r result) bool { return !r.deadlock && r.wait == sim.WAIT_FAILED }
	switch {
	case wantGiven && st.want == nil:
		// want: did not decode, and said so: error: is not judged
		// against it.
		return false
	case st.Kind.Returns != ReturnsWait:
		d.errorf(en, "error: only wait steps take error: (with want: WAIT_FAILED)")
		return false
	case st.want == nil || !st.want.results.any(failed):
		d.errorf(en, "error: give it together with want: WAIT_FAILED")
		return false
	}
	e, ok := d.errnoExpectation(en, "error")
	st.want.err = e
	return ok
}

// stepObserved decodes observed: (on, nil when absent), the Wine test lines
// that observed the step's result on Windows, and records them for the
// scenario's citations.
func (d *decoder) stepObserved(st *Step, on *yaml.Node) bool {
	if on == nil {
		return true
	}
	lines, ok := tCitations.decode(d, on, "observed")
	if !ok {
		return false
	}
	st.Observed = lines.([]sim.TestLine)
	for _, l := range st.Observed {
		d.observed = append(d.observed, Citation{TestLine: l, Step: st})
	}
	return true
}

// stepExpect decodes expect: (xn, nil when absent), the status structure
// the call fills, for the kinds that fill one.
func (d *decoder) stepExpect(st *Step, xn *yaml.Node) bool {
	if xn == nil {
		return true
	}
	if st.Kind.Expect == nil {
		d.errorf(xn, "expect: %s fills no status structure to compare", st.Kind.Name)
		return false
	}
	v, ok := st.Kind.Expect.decode(d, xn, "expect")
	if ok {
		st.expect = v.(values)
	}
	return ok
}

// stepNote decodes note: (nn, nil when absent).
func (d *decoder) stepNote(st *Step, nn *yaml.Node) bool {
	if nn == nil {
		return true
	}
	s, ok := d.scalar(nn, "note", "text", "!!str")
	st.Note = s
	return ok
}

// stepCheck runs the kind's own check of the step, when the kind has one
// and the arguments decoded.
func (d *decoder) stepCheck(st *Step) bool {
	if st.Kind.check == nil || st.args == nil {
		return true
	}
	return st.Kind.check(d, st)
}

// stepAs decodes as: (an, nil when absent), which binds a variable to the
// handle the step returns, from here on.
func (d *decoder) stepAs(st *Step, an *yaml.Node) bool {
	if an == nil {
		return true
	}
	name, ok := d.ident(an, "as", "variable")
	switch {
	case !ok:
		return false
	case !st.Kind.BindsHandle:
		d.errorf(an, "as: %s returns no handle to bind", st.Kind.Name)
		return false
	case isFixedHandle(name):
		d.errorf(an, "as: %s is a reserved handle name", name)
		return false
	case d.vars[name] != 0:
		d.errorf(an, "as: variable %q already bound at line %d", name, d.vars[name])
		return false
	}
	st.As = name
	d.vars[name] = an.Line
	return true
}
