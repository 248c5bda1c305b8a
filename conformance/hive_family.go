package conformance

import "github.com/winsim/winsim/backend"

// The registry family's registration.
func init() {
	regSlot = slotOf[regState](register(family{
		name: "Registry",
		ops: append(ops(caps(backend.CapRegistry), OpRegCreate, OpRegOpen, OpRegSet, OpRegQuery, OpRegDelete, OpRegFlush, OpRegClose),
			ops(caps(backend.CapRegistry, backend.CapCrash), OpCrash, OpLazyFlush, OpCrashFlush)...),
		requires:     backend.CapRegistry,
		kinds:        []hkind{hRegKey},
		newState:     newRegistryState,
		pure:         &pureFamily{step: regStep, call: regCall, script: regScript},
		handles:      regOwnedHandles,
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
		kill:     killSpec{prefixes: []string{"hive.", "ddi."}, dirs: []string{"hive"}},
		diagrams: registryDiagrams,
	}))
}

// regSlot is the registry's oracle state in a World.
var regSlot stateSlot[regState]

func newRegistryState(w *World) (any, error) {
	set, err := readRegSettings(w.profile)
	if err != nil {
		return nil, err
	}
	return newRegState(set), nil
}
