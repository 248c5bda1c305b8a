package conformance

import "github.com/winsim/winsim/sim/ksp"

// KSPGenerators returns the generators of the key-storage actions:
// providers opened and freed, named and ephemeral keys created with and
// without NCRYPT_OVERWRITE_KEY_FLAG and NCRYPT_MACHINE_KEY_FLAG, finalized
// (twice too), opened, deleted through stale and current handles, with bad
// flags, NULL parameters and invalid handles. Unknown provider names are
// left to the checks: what such a provider holds is not documented.
func KSPGenerators() []Generator {
	names := []*string{strp("k1"), strp("k1"), strp("K1"), strp("k2"), nil}
	algs := []*string{strp("RSA"), strp("RSA"), strp("ecdsa_p256"), strp("NOPE"), nil}
	return []Generator{
		{Name: "NCryptOpenStorageProvider", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpNOpenProv, Thread: pickThread(c), As: w.newVar("prov"), Provider: pick(c, "provider", nil, strp(ksp.MS_KEY_STORAGE_PROVIDER))}
			switch c.Intn(12, "odd") {
			case 0:
				a.NullOut = true
			case 1:
				a.Flags = ksp.NCRYPT_SILENT_FLAG
			}
			return a, true
		}},
		{Name: "NCryptFreeObject", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNFree, Thread: pickThread(c), H: w.pickKSPHandle(c, hNKey, hNProv)}, true
		}},
		{Name: "NCryptCreatePersistedKey", Family: "KSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpNCreate, Thread: pickThread(c), As: w.newVar("key"), H: w.pickKSPHandle(c, hNProv),
				Provider: pick(c, "alg", algs...), Container: pick(c, "name", names...),
				Flags: pick(c, "flags", uint32(0), 0, ksp.NCRYPT_OVERWRITE_KEY_FLAG, ksp.NCRYPT_MACHINE_KEY_FLAG, ksp.NCRYPT_SILENT_FLAG, 0x1000)}
			a.NullOut = c.Intn(20, "null-out") == 0
			return a, true
		}},
		{Name: "NCryptFinalizeKey", Family: "KSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNFinalize, Thread: pickThread(c), H: w.pickKSPHandle(c, hNKey),
				Flags: pick(c, "flags", uint32(0), 0, 0, ksp.NCRYPT_NO_KEY_VALIDATION, 0x1000)}, true
		}},
		{Name: "NCryptOpenKey", Family: "KSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNOpenKey, Thread: pickThread(c), As: w.newVar("key"), H: w.pickKSPHandle(c, hNProv), Container: pick(c, "name", names...),
				Flags: pick(c, "flags", uint32(0), 0, ksp.NCRYPT_MACHINE_KEY_FLAG, 0x1000), NullOut: c.Intn(20, "null-out") == 0}, true
		}},
		{Name: "NCryptDeleteKey", Family: "KSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNDelete, Thread: pickThread(c), H: w.pickKSPHandle(c, hNKey), Flags: pick(c, "flags", uint32(0), 0, 0, 0x1000)}, true
		}},
	}
}

// pickKSPHandle is pickHandle without INVALID_HANDLE_VALUE, which the
// key-storage oracle does not state.
func (w *World) pickKSPHandle(c Chooser, kinds ...hkind) string {
	if h := w.pickHandle(c, kinds...); h != RefInvalid {
		return h
	}
	return RefBogus
}
