package conformance

import "github.com/winsim/winsim/backend"

// The registry family's registration.
func init() {
	regSlot = slotOf[*regState](register(family{
		name: "Registry",
		ops: append(ops(caps(backend.CapRegistry), OpRegCreate, OpRegOpen, OpRegSet, OpRegQuery, OpRegDelete, OpRegFlush, OpRegClose),
			ops(caps(backend.CapRegistry, backend.CapCrash), OpCrash, OpLazyFlush, OpCrashFlush)...),
		requires:     backend.CapRegistry,
		kinds:        []hkind{hRegKey},
		newState:     newRegistryState,
		run:          func(w *World, a Action) []string { w.doReg(a); return nil },
		checksReplay: true,
		checks:       registryChecks,
		generators:   RegistryGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/Registry", Family: "Registry", Covers: registryPropertyCovers},
			gens:     RegistryGenerators,
			setup:    []Action{lazyOff},
			needs:    backend.CapCrash,
			// Power cuts need backend.CapCrash, which no real system
			// offers: the real binding's property runs without them.
			realNeeds: backend.CapRegistry,
			realDrop:  []string{"crash", "crash_in_flush"},
		},
		kill: killSpec{prefixes: []string{"hive.", "ddi."}, dirs: []string{"hive"}},
	}))
}

// regSlot is the registry's oracle state in a World.
var regSlot stateSlot[*regState]

func newRegistryState(w *World) (any, error) {
	set, err := readRegSettings(w.profile)
	if err != nil {
		return nil, err
	}
	s := newRegState(set)
	s.api, _ = w.b.(backend.Registry)
	return s, nil
}

// reg returns the registry's oracle state; rg the backend's registry
// family, nil when the backend does not implement it.
func (w *World) reg() *regState       { return regSlot.of(w) }
func (w *World) rg() backend.Registry { return w.reg().api }
