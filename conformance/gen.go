package conformance

import (
	"fmt"
	"slices"
	"strings"
)

// Chooser makes the choices of generated actions. The property tests
// implement it over rapid, whose draws shrink to a minimal failing
// sequence; the fault-switch test over a seeded random source.
type Chooser interface {
	// Intn returns a number in [0, n); label names the choice.
	Intn(n int, label string) int
}

// Generator makes one kind of action from the World's current state, or
// reports that the kind does not apply now.
type Generator struct {
	// Name is the action's name in rapid's state machine.
	Name string
	// Weight is how many times more often than a weight-1 kind the
	// property draws this kind; 0 counts as 1.
	Weight int
	// Family is the family the action belongs to.
	Family string
	// Gen builds the action.
	Gen func(w *World, c Chooser) (Action, bool)
}

func pick[T any](c Chooser, label string, xs ...T) T { return xs[c.Intn(len(xs), label)] }

// servicePool are the service names generated actions use: few, so that
// calls meet the same services again.
var servicePool = []string{"alpha", "beta", "gamma"}

// pickThread chooses the calling thread, main more often.
func pickThread(c Chooser) string { return pick(c, "thread", "main", "main", "worker") }

// pickHandle chooses a handle argument: mostly an open handle of the kind
// the call wants, sometimes any handle ever issued (closed ones and ones of
// the wrong kind), sometimes NULL, INVALID_HANDLE_VALUE or a value never
// issued.
func (w *World) pickHandle(c Chooser, kinds ...hkind) string {
	var fit, all []string
	for _, h := range w.boundHandles() {
		all = append(all, h.name)
		if !h.closed && slices.Contains(kinds, h.kind) {
			fit = append(fit, h.name)
		}
	}
	return pickRef(c, fit, all)
}

// pickRef chooses among handle references: one of fit (the open handles of
// the kinds a call wants) three times in four, one of all (every handle
// issued) most of the rest, else NULL, INVALID_HANDLE_VALUE or BOGUS.
func pickRef(c Chooser, fit, all []string) string {
	r := c.Intn(12, "handle-choice")
	switch {
	case r < 9 && len(fit) > 0:
		return pick(c, "handle", fit...)
	case r < 11 && len(all) > 0:
		return pick(c, "any-handle", all...)
	}
	return pick(c, "special-handle", RefNULL, RefInvalid, RefBogus)
}

// Generators returns the generators of the SCM property: the SCM's action
// kinds, then the kernel's. The order is part of the property (rapid's
// draws index it).
func Generators() []Generator {
	return append(scmGenerators(), kernelGenerators()...)
}

// GenerateAction builds one action of a random applicable kind among gens.
func (w *World) GenerateAction(c Chooser, gens []Generator) (Action, error) {
	var weighted []Generator
	for _, g := range gens {
		for range max(g.Weight, 1) {
			weighted = append(weighted, g)
		}
	}
	for range 100 {
		g := weighted[c.Intn(len(weighted), "action")]
		if a, ok := g.Gen(w, c); ok {
			return a, nil
		}
	}
	return Action{}, fmt.Errorf("no applicable action among %s", genNames(gens))
}

func genNames(gens []Generator) string {
	var out []string
	for _, g := range gens {
		out = append(out, g.Name)
	}
	return strings.Join(out, ", ")
}
