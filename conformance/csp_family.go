package conformance

import "github.com/winsim/winsim/backend"

// The CryptoAPI family's registration.
func init() {
	cspSlot = slotOf[cspState](register(family{
		name: "CSP",
		ops: ops(caps(backend.CapCSP), OpAcquire, OpAddRef, OpRelease, OpGenKey, OpGetUserKey, OpDestroyKey,
			OpCreateHash, OpHashData, OpDestroyHash),
		requires:     backend.CapCSP,
		kinds:        []hkind{hCryptProv, hCryptKey, hCryptHash},
		newState:     newCSPState,
		pure:         &pureFamily{step: cspStep, call: cspCall, script: cspScript},
		checksReplay: true,
		checks:       cspChecks,
		generators:   CSPGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/CSP", Family: "CSP", Covers: cspPropertyCovers},
			gens:     CSPGenerators, needs: backend.CapCSP, realNeeds: backend.CapCSP,
		},
		kill:     killSpec{prefixes: []string{"csp."}, dirs: []string{"csp"}},
		diagrams: cspDiagrams,
	}))
}

// cspSlot is the CryptoAPI's oracle state in a World.
var cspSlot stateSlot[cspState]

func newCSPState(w *World) (any, error) {
	set, err := readCSPSettings(w.profile)
	if err != nil {
		return nil, err
	}
	return cspState{set: set, store: map[string]int{}, gone: map[string]bool{}, vars: map[string]int{}}, nil
}
