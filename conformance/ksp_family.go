package conformance

import "github.com/winsim/winsim/backend"

// The key-storage family's registration. It owns caller_context too: the
// only calls a starting ServiceMain's context changes are NCrypt's.
func init() {
	kspSlot = slotOf[kspState](register(family{
		name: "KSP",
		ops: append(append(ops(caps(backend.CapKSP), OpNOpenProv, OpNFree, OpNCreate, OpNFinalize, OpNOpenKey, OpNDelete, OpNIsAlg,
			OpNSetProp, OpNNotify, OpFindNext, OpFindClose),
			ops(caps(backend.CapKSP, backend.CapInstallProvider), OpNRegisterProv)...),
			ops(caps(backend.CapCallerContext), OpCallerContext)...),
		requires:     backend.CapKSP,
		kinds:        []hkind{hNProv, hNKey, hNChange},
		newState:     newKSPFamilyState,
		pure:         &pureFamily{stepAll: kspStep, call: kspCall, script: kspScript},
		handles:      kspHandles,
		closeHandle:  kspCloseHandle,
		consume:      kspConsume,
		checksReplay: true,
		checks:       kspChecks,
		generators:   KSPGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/KSP", Family: "KSP", Covers: kspPropertyCovers},
			gens:     KSPGenerators, needs: backend.CapKSP, realNeeds: backend.CapKSP,
		},
		kill: killSpec{prefixes: []string{"ksp."}, dirs: []string{"ksp"}},
	}))
}

// kspSlot is the key storage's oracle state in a World.
var kspSlot stateSlot[kspState]

func newKSPFamilyState(w *World) (any, error) {
	set, err := readKSPSettings(w.profile)
	if err != nil {
		return nil, err
	}
	return newKSPState(set), nil
}
