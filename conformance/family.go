package conformance

import (
	"fmt"
	"slices"
	"sort"

	"github.com/winsim/winsim/backend"
)

// A family is everything the suite knows of one API family, registered
// from the family's own files (kernel.go, scm.go, csp.go, registry.go,
// ksp.go) by an init function calling register. The World, the checks, the
// properties, the kill runs and the real binding's leg iterate the
// registered families; nothing outside a family's files names it. Adding a
// family is one new file that registers it (plus its checks, generators and
// tests, in files of its own).
//
// A family's oracle is pure (pureFamily: step or stepAll, a function of
// the oracle state and an action that says what Windows returns, which the
// World's one driver executes; see Expect): no family's oracle calls a
// backend itself.
type family struct {
	// name is the family's name: the first part of its checks' subtest
	// names, its generators' Family, and its property's subtest name.
	name string
	// ops are the operations the family owns, each with the capabilities
	// an action of it needs of a backend. An Op belongs to one family.
	ops []opSpec
	// moreNeeds, when set, adds capabilities an action needs beyond its
	// Op's (an infinite wait needs the virtual clock, say).
	moreNeeds func(a Action) []backend.Capability
	// requires is the capability without which none of the family's
	// actions run ("" for none): a property leaves the family's generators
	// out on a backend that lacks it.
	requires backend.Capability
	// kinds are the handle kinds the family's calls return, named as the
	// SDK names the handle types. Two families never declare one kind.
	kinds []hkind

	// newState makes the family's oracle state for the World's backend and
	// profile (w.b, w.profile); the World keeps it in the family's slot.
	// nil means the family keeps no state.
	newState func(w *World) (any, error)
	// pure is the family's oracle and its call; see pureFamily.
	pure *pureFamily
	// handles, when set, lists the handle variables the family's state
	// holds, in the order they were bound, as other families' calls see
	// them (shared.go). A pure family whose handles another family's calls
	// take (the kernel's CloseHandle and waits, the generators' pickHandle)
	// sets it.
	handles func(state any) []ownedHandle
	// closeHandle is the kernel's CloseHandle on one of the family's
	// waitable handles (ownedHandle.waitable): the state after. The
	// kernel's step decides the result; the family only records the close.
	closeHandle func(state any, ref string) any
	// consume is a satisfied wait taking the signal of one of the family's
	// auto-reset waitable handles: the state after.
	consume func(state any, ref string) any
	// describe adds the family's arguments to an action's description in
	// failure messages (the handle is already there).
	describe func(a Action, add func(format string, args ...any))

	// checks are the family's conformance checks.
	checks func() []Check
	// checksReplay says that each check's run, written as a scenario,
	// replays with the scenario runner (TestChecksReplayAsScenarios). The
	// SCM's and the kernel's checks bind one handle variable twice, which a
	// scenario may not.
	checksReplay bool
	// generators make the family's actions for the properties.
	generators func() []Generator
	// property is the family's property run; its Name is "" when the
	// family has none (its rules are asserted by another family's).
	property propertySpec
	// kill says how the fault-switch and setting kill runs exercise the
	// family's rules.
	kill killSpec

	// slot is the family's index in World.states.
	slot int
}

// opSpec is one operation a family owns, with the capabilities an action
// of it needs of a backend.
type opSpec struct {
	op    Op
	needs []backend.Capability
}

// ops makes the opSpecs of several operations with the same needs.
func ops(needs []backend.Capability, os ...Op) []opSpec {
	out := make([]opSpec, 0, len(os))
	for _, o := range os {
		out = append(out, opSpec{o, needs})
	}
	return out
}

// caps spells a list of capabilities.
func caps(cs ...backend.Capability) []backend.Capability { return cs }

// propertySpec is a family's property run: random sequences drawn from its
// generators after its setup actions.
type propertySpec struct {
	Property
	// gens are the generators the property draws from (the family's own,
	// and those of families it runs with: the SCM's property draws the
	// kernel's too). Their order is part of the property: rapid's draws
	// index it.
	gens func() []Generator
	// setup are the actions every run starts with; one a backend cannot
	// run (or that is moot there) is left out.
	setup []Action
	// needs is the capability without which the property does not run on
	// a model backend ("" for none).
	needs backend.Capability
	// realNeeds and realDrop are the real binding's: the capability
	// without which its property does not run, and the generators (by
	// name) it leaves out.
	realNeeds backend.Capability
	realDrop  []string
}

// killSpec says which routes of the kill runs exercise a family's rules.
type killSpec struct {
	// prefixes are the prefixes of the rule ids (and profile settings) the
	// family answers for: "scm.", or "hive." and "ddi.".
	prefixes []string
	// dirs are scenario directories run whole; covering are those of which
	// only the files covering one of the family's ids run.
	dirs, covering []string
	// checks are the families whose checks all run (besides any check
	// covering one of the family's ids); nil means the family's own.
	checks []string
	// props are the families whose property runs exercise the family's
	// rules; nil means the family's own.
	props []string
}

// families are the registered families, by name.
var families []*family

// opOwner is the family of each registered Op.
var opOwner = map[Op]*family{}

// kindOwner is the family of each declared handle kind.
var kindOwner = map[hkind]*family{}

// register adds a family. It is called from an init function of the
// family's file (not a package-level initializer: the family's functions
// reach its slot, which an initializer may not refer back to). It panics
// on an Op or handle kind another family declared.
func register(f family) *family {
	if f.pure == nil || (f.pure.step == nil) == (f.pure.stepAll == nil) || f.pure.call == nil {
		panic(fmt.Sprintf("conformance: family %s must have a call and exactly one of step and stepAll", f.name))
	}
	for _, o := range f.ops {
		if prev := opOwner[o.op]; prev != nil {
			panic(fmt.Sprintf("conformance: %s is declared by %s and %s", o.op, prev.name, f.name))
		}
	}
	for _, k := range f.kinds {
		if prev := kindOwner[k]; prev != nil {
			panic(fmt.Sprintf("conformance: handle kind %q is declared by %s and %s", k, prev.name, f.name))
		}
	}
	p := &f
	p.slot = len(families)
	for _, o := range f.ops {
		opOwner[o.op] = p
	}
	for _, k := range f.kinds {
		kindOwner[k] = p
	}
	families = append(families, p)
	sort.SliceStable(families, func(i, j int) bool { return families[i].name < families[j].name })
	return p
}

// familyNamed returns the registered family of that name, or nil.
func familyNamed(name string) *family {
	i := slices.IndexFunc(families, func(f *family) bool { return f.name == name })
	if i < 0 {
		return nil
	}
	return families[i]
}

// slot is the typed view of a family's state in a World.
type stateSlot[S any] struct{ f *family }

// slotOf returns the typed view of f's state.
func slotOf[S any](f *family) stateSlot[S] { return stateSlot[S]{f} }

// of returns the family's state in w.
func (s stateSlot[S]) of(w *World) S { return w.states[s.f.slot].(S) }

// needs lists the capabilities the action requires of a backend: those its
// Op's family declares for it, and the family's moreNeeds. An Op no family
// declares needs nothing (the World refuses it as an unknown action).
func (a Action) needs() []backend.Capability {
	f := opOwner[a.Op]
	if f == nil {
		return nil
	}
	i := slices.IndexFunc(f.ops, func(o opSpec) bool { return o.op == a.Op })
	out := slices.Clone(f.ops[i].needs)
	if f.moreNeeds != nil {
		out = append(out, f.moreNeeds(a)...)
	}
	return out
}

// newStates makes every family's oracle state for w.
func (w *World) newStates() error {
	w.states = make(oracleState, len(families))
	w.nBound = make([]int, len(families))
	for _, f := range families {
		if f.newState == nil {
			continue
		}
		s, err := f.newState(w)
		if err != nil {
			return err
		}
		w.states[f.slot] = s
	}
	return nil
}

// runAction runs the action's part of the oracle, through the family that
// owns its Op, and returns the contract violations it expects.
func (w *World) runAction(a Action) (wantViol []string) {
	f := opOwner[a.Op]
	if f == nil {
		w.fail(a, "unknown action")
		return nil
	}
	return w.runPure(f, a)
}

// describeArgs adds the arguments of the action's family to a
// description.
func describeArgs(a Action, add func(format string, args ...any)) {
	if f := opOwner[a.Op]; f != nil && f.describe != nil {
		f.describe(a, add)
	}
}
