package conformance

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// A tiny family, for the tests only, whose oracle is a pure step: a tally
// that counts up to a bound. Its state is a value, its step a function of
// the state and the action; the World's driver (runPure) makes the calls,
// compares, credits and logs.

const (
	opTallyAdd  Op = "TallyAdd"  // adds tallyArgs.n to the tally
	opTallyTake Op = "TallyTake" // takes one from the tally
)

// tallyArgs are TallyAdd's argument (Action.Args): how much it adds.
type tallyArgs struct{ n uint32 }

// tallyState is the tally family's oracle state. The bound is the
// profile's: 2 under win7, 3 elsewhere.
type tallyState struct{ count, bound uint32 }

// tallyStep is the family's oracle. The rule ids are the test family's own.
func tallyStep(state any, a Action) (any, Expect) {
	s := state.(tallyState)
	ok := []sim.Code{sim.ERROR_SUCCESS.Code()}
	switch a.Op {
	case opTallyAdd:
		n := argsOf[tallyArgs](a).n
		switch {
		case n == 0:
			return s, Expect{OneOf: []sim.Code{sim.ERROR_INVALID_PARAMETER.Code()}, Rules: []string{"tally.add.zero"}}
		case s.count+n > s.bound:
			return s, Expect{OneOf: []sim.Code{sim.ERROR_BUSY.Code()}, Rules: []string{"tally.add.bound"}}
		}
		s.count += n
		return s, Expect{OneOf: ok, Rules: []string{"tally.add.counts"}}
	case opTallyTake:
		if s.count == 0 {
			// Either code leaves the tally empty: a one-of the contract
			// allows.
			return s, Expect{OneOf: []sim.Code{sim.ERROR_BUSY.Code(), sim.ERROR_INVALID_PARAMETER.Code()}, Rules: []string{"tally.take.empty"}}
		}
		s.count--
		return s, Expect{OneOf: ok, Rules: []string{"tally.take.counts"}}
	}
	return s, Expect{}
}

// tallyAPI is the tally's backend interface.
type tallyAPI interface {
	TallyAdd(thread string, n uint32) sim.Errno
	TallyTake(thread string) sim.Errno
}

func tallyCall(b backend.Kernel, a Action, _ handleVars) (sim.Code, error) {
	t, ok := b.(tallyAPI)
	if !ok {
		return sim.Code{}, fmt.Errorf("%s has no tally: %w", b.Name(), backend.ErrUnsupported)
	}
	if a.Op == opTallyAdd {
		return t.TallyAdd(a.thread(), argsOf[tallyArgs](a).n).Code(), nil
	}
	return t.TallyTake(a.thread()).Code(), nil
}

func tallyGenerators() []Generator {
	return []Generator{
		{Name: "TallyAdd", Family: "Tally", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: opTallyAdd, Thread: pickThread(c), Args: tallyArgs{n: pick(c, "n", uint32(0), 1, 1, 2)}}, true
		}},
		{Name: "TallyTake", Family: "Tally", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: opTallyTake, Thread: pickThread(c)}, true
		}},
	}
}

var tallyRules = []string{"tally.add.zero", "tally.add.bound", "tally.add.counts", "tally.take.empty", "tally.take.counts"}

// registerTally registers the tally family for the test, and removes it
// when the test ends (so that the suite's other tests never meet it).
func registerTally(t *testing.T) *family {
	f := register(family{
		name: "Tally",
		ops:  ops(nil, opTallyAdd, opTallyTake),
		newState: func(w *World) (any, error) {
			if w.profile == "win7" {
				return tallyState{bound: 2}, nil
			}
			return tallyState{bound: 3}, nil
		},
		pure:       &pureFamily{step: tallyStep, call: tallyCall},
		generators: tallyGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/Tally", Family: "Tally", Covers: tallyRules},
			gens:     tallyGenerators,
		},
	})
	t.Cleanup(func() { unregister(f) })
	return f
}

// unregister removes a family registered by a test.
func unregister(f *family) {
	families = slices.DeleteFunc(families, func(g *family) bool { return g == f })
	for _, o := range f.ops {
		delete(opOwner, o.op)
	}
	for _, k := range f.kinds {
		delete(kindOwner, k)
	}
}

// tallyBackend is a model backend with a tally: bound is the bound it
// enforces, emptyTake the code of a take from an empty tally.
type tallyBackend struct {
	backend.Kernel
	count, bound uint32
	emptyTake    sim.Errno
}

func (b *tallyBackend) TallyAdd(_ string, n uint32) sim.Errno {
	switch {
	case n == 0:
		return sim.ERROR_INVALID_PARAMETER
	case b.count+n > b.bound:
		return sim.ERROR_BUSY
	}
	b.count += n
	return sim.ERROR_SUCCESS
}

func (b *tallyBackend) TallyTake(string) sim.Errno {
	if b.count == 0 {
		return b.emptyTake
	}
	b.count--
	return sim.ERROR_SUCCESS
}

// newTally makes tally backends over the models; extra is added to the
// profile's bound (a wrong backend when nonzero).
func newTally(extra uint32, emptyTake sim.Errno) NewBackend {
	return func(profile string, seed uint64) (backend.Kernel, error) {
		k, err := newModel(profile, seed)
		if err != nil {
			return nil, err
		}
		bound := uint32(3)
		if profile == "win7" {
			bound = 2
		}
		return &tallyBackend{Kernel: k, bound: bound + extra, emptyTake: emptyTake}, nil
	}
}

func tallyAdd(n uint32) Action { return Action{Op: opTallyAdd, Args: tallyArgs{n: n}} }

var tallyTake = Action{Op: opTallyTake}

// TestPureFamilyDriver runs the tally through the World's driver: it
// agrees with a right backend under every profile (the state carries the
// profile's bound), credits exactly the rules that decided the compared
// results, and logs each action as a scenario step with its want.
func TestPureFamilyDriver(t *testing.T) {
	registerTally(t)
	run := []Action{tallyTake, tallyAdd(0), tallyAdd(2), tallyAdd(1), on("worker", tallyTake), tallyAdd(2), tallyTake, tallyTake}
	for _, p := range profilesOf(Options{}) {
		t.Run(p, func(t *testing.T) {
			res := RunActions(run, newTally(0, sim.ERROR_BUSY), p, 1)
			require.NoError(t, res.Err)
			assert.Empty(t, res.Skipped)
			assert.Equal(t, len(run), res.Steps)
			want := map[string]bool{"tally.take.empty": true, "tally.add.zero": true, "tally.add.counts": true, "tally.take.counts": true, "tally.add.bound": true}
			assert.Equal(t, want, res.Asserted)
			// 2 + 1 passes the bound of 2 under win7 only.
			bound := ""
			if p == "win7" {
				bound = "ERROR_BUSY"
			}
			assert.Equal(t, bound, res.Script[3].Want)
			require.Len(t, res.Script, len(run))
			assert.Equal(t, "TallyTake", res.Script[0].Kind)
			assert.Equal(t, "[ERROR_BUSY, ERROR_INVALID_PARAMETER]", res.Script[0].Want)
			assert.Equal(t, "ERROR_INVALID_PARAMETER", res.Script[1].Want)
			assert.Equal(t, "", res.Script[2].Want)
			assert.Equal(t, "worker", res.Script[4].Thread)
		})
	}
}

// TestPureFamilyDriverDisagrees: a backend whose bound is one too high
// fails at the add the bound decides, and the rule is not credited there;
// the other code of a one-of agrees; a backend without the family is
// refused, neither passed nor failed.
func TestPureFamilyDriverDisagrees(t *testing.T) {
	registerTally(t)
	res := RunActions([]Action{tallyAdd(2), tallyAdd(2)}, newTally(1, sim.ERROR_BUSY), "win8", 1)
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), "step 2: TallyAdd() on main: got ERROR_SUCCESS (0), want ERROR_BUSY (170)")
	assert.False(t, res.Asserted["tally.add.bound"])

	res = RunActions([]Action{tallyTake}, newTally(0, sim.ERROR_INVALID_PARAMETER), "win8", 1)
	require.NoError(t, res.Err)
	assert.True(t, res.Asserted["tally.take.empty"])

	res = RunActions([]Action{tallyAdd(1)}, newModel, "win8", 1)
	require.NoError(t, res.Err)
	assert.Contains(t, res.Skipped, "has no tally")
}

// TestPureStepIsPure: the step reads nothing but its arguments and leaves
// the state it is given as it was.
func TestPureStepIsPure(t *testing.T) {
	s := tallyState{count: 1, bound: 3}
	for _, a := range []Action{tallyAdd(0), tallyAdd(1), tallyAdd(5), tallyTake} {
		n1, e1 := tallyStep(s, a)
		n2, e2 := tallyStep(s, a)
		assert.Equal(t, n1, n2)
		assert.Equal(t, e1, e2)
		assert.Equal(t, tallyState{count: 1, bound: 3}, s)
	}
}

// TestPureFamilyProperty runs the tally's property through the same
// machine as the registered families' (familyMachine), and holds it to the
// rules it declares.
func TestPureFamilyProperty(t *testing.T) {
	f := registerTally(t)
	runs := newRunLog()
	for _, p := range profilesOf(Options{}) {
		t.Run(p, func(t *testing.T) {
			rapid.Check(t, familyMachine(newTally(0, sim.ERROR_BUSY), f.name, p, "", f.property.gens(), nil, "", runs))
		})
	}
	requireCovers(t, f.name, f.property.Covers, runs.ids)
}

// TestRegisterRefusesSharedOps: an Op belongs to one family.
func TestRegisterRefusesSharedOps(t *testing.T) {
	assert.PanicsWithValue(t, "conformance: SleepEx is declared by Kernel and Copycat", func() {
		register(family{name: "Copycat", ops: ops(nil, OpSleep), pure: &pureFamily{step: tallyStep, call: tallyCall}})
	})
}

// TestRegisterRefusesAFamilyWithoutAnOracle: a family's oracle is a call and
// exactly one of step and stepAll.
func TestRegisterRefusesAFamilyWithoutAnOracle(t *testing.T) {
	for name, p := range map[string]*pureFamily{
		"none":    nil,
		"no step": {call: tallyCall},
		"no call": {step: tallyStep},
		"both":    {step: tallyStep, stepAll: func(s oracleState, _ Action) (oracleState, Expect) { return s, Expect{} }, call: tallyCall},
	} {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, "conformance: family Hollow must have a call and exactly one of step and stepAll", func() {
				register(family{name: "Hollow", pure: p})
			})
		})
	}
}
