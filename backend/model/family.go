package model

import (
	"fmt"
	"sort"

	"github.com/winsim/winsim/sim"
)

// A family's model is registered in the family's own file of this package,
// next to the methods that implement the family's backend interface:
//
//	var scmModel = registerModel("scm", scm.New)
//
//	func (b *Backend) OpenSCManager(...) { return scmModel.of(b).OpenSCManager(...) }
//
// New makes one model of every registered family on each machine, so a new
// family needs no edit to Backend or New. A family whose model keeps no
// per-machine state (its objects live in the process's handle table) needs
// no registration at all.

// modelFactory is one registered family model.
type modelFactory struct {
	name string
	new  func(m *sim.Machine) any
}

// factories are the registered family models, in registration order: a
// modelKey's index.
var factories []modelFactory

// modelKey finds one family's model on a Backend.
type modelKey[T any] struct{ i int }

// registerModel registers the model of the family name, made by new on each
// Backend's machine, and returns the key its methods use to find it. It
// panics on a name registered twice. Call it from a package-level var.
func registerModel[T any](name string, new func(m *sim.Machine) T) modelKey[T] {
	for _, f := range factories {
		if f.name == name {
			panic(fmt.Sprintf("model: family model %q registered twice", name))
		}
	}
	factories = append(factories, modelFactory{name: name, new: func(m *sim.Machine) any { return new(m) }})
	return modelKey[T]{i: len(factories) - 1}
}

// of returns b's model of the key's family.
func (k modelKey[T]) of(b *Backend) T { return b.models[k.i].(T) }

// newModels makes every registered family's model on m, in the order of
// the families' names (a deterministic order, whatever the order the files
// registered them in).
func newModels(m *sim.Machine) []any {
	order := make([]int, len(factories))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return factories[order[a]].name < factories[order[b]].name })
	models := make([]any, len(factories))
	for _, i := range order {
		models[i] = factories[i].new(m)
	}
	return models
}
