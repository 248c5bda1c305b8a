package windows

import (
	"fmt"
	"sort"

	"golang.org/x/sys/windows"
)

// A family whose calls need bookkeeping on the backend (handles to tell
// apart, objects to delete at Close) registers its state in its own file:
//
//	var kspFamily = registerState("ksp", func() *kspState { return &kspState{} })
//
// and finds it with kspFamily.of(b), holding b.mu. New makes one state of
// every registered family, and Close closes each, so a new family is a new
// *_windows.go file with no edit to Backend, New or Close. The SCM's
// bookkeeping stays in Backend: the test service and the service names are
// the backend's own machinery, which the registry's scratch key shares.

// familyState is one family's bookkeeping on a Backend, guarded by b.mu.
type familyState interface {
	// close releases what the family made on the system. Close calls it
	// once, after the threads ended, without holding b.mu.
	close(b *Backend) error
}

// kernelCloser is implemented by a family state that keeps kernel handles
// of its own: kernelClosed forgets h, which the caller closed by some call
// (CloseHandle closes a registry key as NtClose does). It runs under b.mu.
type kernelCloser interface {
	kernelClosed(h windows.Handle)
}

// stateFactory is one registered family state.
type stateFactory struct {
	name string
	new  func() familyState
}

// stateFactories are the registered family states, in registration order:
// a stateKey's index.
var stateFactories []stateFactory

// stateKey finds one family's state on a Backend.
type stateKey[T familyState] struct{ i int }

// registerState registers the bookkeeping of the family name, made by new
// for each Backend, and returns the key its calls find it with. It panics on
// a name registered twice. Call it from a package-level var.
func registerState[T familyState](name string, new func() T) stateKey[T] {
	for _, f := range stateFactories {
		if f.name == name {
			panic(fmt.Sprintf("windows backend: family state %q registered twice", name))
		}
	}
	stateFactories = append(stateFactories, stateFactory{name: name, new: func() familyState { return new() }})
	return stateKey[T]{i: len(stateFactories) - 1}
}

// of returns b's state of the key's family; the caller holds b.mu to use
// it.
func (k stateKey[T]) of(b *Backend) T { return b.states[k.i].(T) }

// newStates makes every registered family's state.
func newStates() []familyState {
	states := make([]familyState, len(stateFactories))
	for i, f := range stateFactories {
		states[i] = f.new()
	}
	return states
}

// closeStates closes every family's state, in the order of the families'
// names, and returns what each could not clean.
func (b *Backend) closeStates() []error {
	order := make([]int, len(b.states))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool { return stateFactories[order[x]].name < stateFactories[order[y]].name })
	var errs []error
	for _, i := range order {
		if err := b.states[i].close(b); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// kernelClosed tells every family state that keeps kernel handles that the
// caller closed h. The caller holds b.mu.
func (b *Backend) kernelClosed(h windows.Handle) {
	for _, s := range b.states {
		if c, ok := s.(kernelCloser); ok {
			c.kernelClosed(h)
		}
	}
}
