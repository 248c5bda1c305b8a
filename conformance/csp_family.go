package conformance

import "github.com/winsim/winsim/backend"

// The CryptoAPI family's registration.
func init() {
	cspSlot = slotOf[*cspState](register(family{
		name: "CSP",
		ops: ops(caps(backend.CapCSP), OpAcquire, OpAddRef, OpRelease, OpGenKey, OpGetUserKey, OpDestroyKey,
			OpCreateHash, OpHashData, OpDestroyHash),
		requires:     backend.CapCSP,
		kinds:        []hkind{hCryptProv, hCryptKey, hCryptHash},
		newState:     newCSPState,
		run:          (*World).doCSP,
		checksReplay: true,
		checks:       cspChecks,
		generators:   CSPGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/CSP", Family: "CSP", Covers: cspPropertyCovers},
			gens:     CSPGenerators, needs: backend.CapCSP, realNeeds: backend.CapCSP,
		},
		kill: killSpec{prefixes: []string{"csp."}, dirs: []string{"csp"}},
	}))
}

// cspSlot is the CryptoAPI's oracle state in a World.
var cspSlot stateSlot[*cspState]

func newCSPState(w *World) (any, error) {
	set, err := readCSPSettings(w.profile)
	if err != nil {
		return nil, err
	}
	api, _ := w.b.(backend.CSP)
	return &cspState{api: api, set: set, containers: map[string]*oCont{}, gone: map[string]bool{}}, nil
}

// csp returns the CryptoAPI's oracle state; cs the backend's CryptoAPI
// family, nil when the backend does not implement it.
func (w *World) csp() *cspState  { return cspSlot.of(w) }
func (w *World) cs() backend.CSP { return w.csp().api }
