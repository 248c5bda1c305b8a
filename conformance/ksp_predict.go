package conformance

import (
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The key-storage oracle's predictions: what each call returns, worked out
// before the call is made.

// kspPrediction is what the oracle expects of one key-storage call, worked
// out before the call is made: the code, the handle the call hands out
// (bound to the action's variable once it succeeds), the key whose store it
// changes, and whether it passes a flag the call does not define.
type kspPrediction struct {
	want           sim.HResult
	bind           *oHandle
	changed        *oNKey
	undefinedFlags bool
}

// predictNOpenProv states NCryptOpenStorageProvider: a NULL output pointer,
// flags, then the provider name.
func (w *World) predictNOpenProv(a Action) (p kspPrediction) {
	s := w.ksp()
	prov := s.provider(a.Provider)
	p.undefinedFlags = a.Flags != 0
	switch {
	case a.NullOut:
		w.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case a.Flags != 0 && s.set.flagsOK:
		w.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case prov == nil:
		w.assert("ksp.open.unknown-name")
		p.want = sim.NTE_PROV_DLL_NOT_FOUND
	default:
		if a.Provider == nil {
			w.assert("ksp.open.default")
		} else if s.provs[strings.ToLower(*a.Provider)] == nil {
			w.assert("ksp.open.unknown-name-wine")
		}
		p.bind = &oHandle{kind: hNProv}
		s.provOf[p.bind] = prov
	}
	return p
}

// predictNFree states NCryptFreeObject: a live provider or key handle is
// freed; anything else is NTE_INVALID_HANDLE.
func (w *World) predictNFree(a Action) (p kspPrediction) {
	h := w.handle(a.H)
	if h == nil || h.closed || (h.kind != hNProv && h.kind != hNKey) {
		w.assert("ksp.handle.invalid")
		if h != nil && !h.closed && h.ev != nil {
			w.assert("ksp.free.not-ncrypt-handle")
		}
		p.want = sim.NTE_INVALID_HANDLE
	} else {
		w.assert("ksp.free.provider-and-key")
		h.closed = true
	}
	return p
}

// predictNCreate states NCryptCreatePersistedKey: the handle, the output
// pointer, the algorithm, the flags, then the name.
func (w *World) predictNCreate(a Action) (p kspPrediction) {
	s := w.ksp()
	prov, provOK := w.provArg(a.H)
	k := &oNKey{prov: prov, store: kspStore(a.Flags), overwrite: a.Flags&win32.NCRYPT_OVERWRITE_KEY_FLAG != 0}
	p.undefinedFlags = a.Flags&^(win32.NCRYPT_MACHINE_KEY_FLAG|win32.NCRYPT_SILENT_FLAG|win32.NCRYPT_OVERWRITE_KEY_FLAG) != 0
	if a.Container != nil {
		k.name = strings.ToLower(*a.Container)
	}
	switch {
	case !provOK:
		w.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case a.NullOut:
		w.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case a.Provider == nil:
		w.assert(map[bool]string{true: "ksp.create.null-alg-win7", false: "ksp.create.null-alg"}[s.set.nullAlg == sim.NTE_FAIL.Code()])
		p.want = sim.HResult(s.set.nullAlg.Value)
	case p.undefinedFlags && s.set.flagsOK:
		w.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case strings.EqualFold(*a.Provider, "aes") && !s.set.aes:
		w.assert("ksp.create.aes")
		p.want = sim.NTE_NOT_SUPPORTED
	case !knownKSPAlg(*a.Provider) && !strings.EqualFold(*a.Provider, "aes"):
		w.assert("ksp.create.unknown-alg")
		p.want = sim.NTE_NOT_SUPPORTED
	case s.set.rsaOnly && !strings.EqualFold(*a.Provider, "rsa"):
		w.assert("ksp.create.rsa-only-wine")
		p.want = sim.NTE_NOT_SUPPORTED
	case k.name != "" && s.keys[k.slot()] != 0 && !k.overwrite:
		w.assert("ksp.create.exists")
		p.want = sim.NTE_EXISTS
	default:
		if strings.EqualFold(*a.Provider, "aes") {
			w.assert("ksp.create.aes")
		}
		if k.name != "" && s.named[k.slot()] && !k.overwrite {
			w.assert("ksp.create.no-collision-wine")
		}
		if k.name == "" {
			w.assert("ksp.create.ephemeral")
			w.ephemeral()
		} else if s.keys[k.slot()] != 0 {
			w.assert("ksp.create.overwrite")
		}
		w.unchanged(k.prov, k.store)
		p.bind = &oHandle{kind: hNKey, nkey: k}
	}
	return p
}

// predictNFinalize states NCryptFinalizeKey: a key is persisted once, under
// a name no other key took meanwhile.
func (w *World) predictNFinalize(a Action) (p kspPrediction) {
	s := w.ksp()
	h := w.liveKind(a.H, hNKey)
	p.undefinedFlags = a.Flags&^(win32.NCRYPT_NO_KEY_VALIDATION|win32.NCRYPT_SILENT_FLAG|win32.NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG) != 0
	switch {
	case h == nil || h.nkey.finalized:
		if h != nil {
			w.assert("ksp.finalize.twice")
		}
		w.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case p.undefinedFlags && s.set.flagsOK:
		w.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case h.nkey.name == "":
		w.assert("ksp.create.ephemeral")
		w.ephemeral()
		h.nkey.finalized = true
	case !s.set.storeKept:
		// Nothing is stored: the name is never taken.
		if s.named[h.nkey.slot()] && !h.nkey.overwrite {
			w.assert("ksp.create.no-collision-wine")
		}
		s.named[h.nkey.slot()] = true
		h.nkey.finalized = true
	case s.keys[h.nkey.slot()] != 0 && !h.nkey.overwrite:
		w.assert("ksp.finalize.name-taken")
		p.want = sim.NTE_EXISTS
	default:
		w.assert("ksp.create.not-persisted-until-finalized")
		s.seq++
		s.keys[h.nkey.slot()] = s.seq
		h.nkey.finalized, h.nkey.stored = true, s.seq
		p.changed = h.nkey
	}
	return p
}

// predictNOpenKey states NCryptOpenKey: a stub where no store is kept; else
// the handle, the pointers, the flags, then the stored key.
func (w *World) predictNOpenKey(a Action) (p kspPrediction) {
	s := w.ksp()
	store := kspStore(a.Flags)
	ph := w.liveKind(a.H, hNProv)
	switch {
	case !s.set.storeKept:
		// A stub: it looks at nothing.
		w.assert("ksp.open-key.not-supported-wine")
		p.want = sim.NTE_NOT_SUPPORTED
	case ph == nil:
		w.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case a.NullOut || a.Container == nil:
		w.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case a.Flags&^(win32.NCRYPT_MACHINE_KEY_FLAG|win32.NCRYPT_SILENT_FLAG) != 0:
		w.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case s.keys[slot(s.provOf[ph], store, strings.ToLower(*a.Container))] == 0:
		w.assert("ksp.open-key.absent")
		if s.keys[slot(s.provOf[ph], kspStore(a.Flags^win32.NCRYPT_MACHINE_KEY_FLAG), strings.ToLower(*a.Container))] != 0 {
			w.assert("ksp.store.user-machine")
		}
		p.want = sim.NTE_BAD_KEYSET
	default:
		k := &oNKey{prov: s.provOf[ph], store: store, name: strings.ToLower(*a.Container), finalized: true}
		k.stored = s.keys[k.slot()]
		w.unchanged(k.prov, k.store)
		p.bind = &oHandle{kind: hNKey, nkey: k}
	}
	return p
}

// predictNDelete states NCryptDeleteKey: a stub where no store is kept; else
// the handle, the flags, then whether the stored key is still this one.
func (w *World) predictNDelete(a Action) (p kspPrediction) {
	s := w.ksp()
	h := w.liveKind(a.H, hNKey)
	switch {
	case !s.set.storeKept:
		// A stub: it looks at nothing and frees nothing.
		w.assert("ksp.delete.not-supported-wine")
		p.want = sim.NTE_NOT_SUPPORTED
	case h == nil:
		w.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case a.Flags&^win32.NCRYPT_SILENT_FLAG != 0:
		w.assert("ksp.flags.bad", "ksp.delete.failure-keeps-handle")
		p.want = sim.NTE_BAD_FLAGS
	case h.nkey.name != "" && h.nkey.finalized && s.keys[h.nkey.slot()] != h.nkey.stored:
		w.assert("ksp.delete.already-deleted")
		p.want = sim.NTE_BAD_KEYSET
	default:
		w.assert("ksp.delete.frees-handle")
		if h.nkey.name != "" && h.nkey.finalized {
			delete(s.keys, h.nkey.slot())
			p.changed = h.nkey
		} else {
			w.assert("ksp.delete.unpersisted")
			if h.nkey.name == "" {
				w.ephemeral()
			}
		}
		h.closed = true
	}
	return p
}

// predictNIsAlg states NCryptIsAlgSupported: the handle, the name (NULL
// fails in marshalling), the flags, then the algorithm.
func (w *World) predictNIsAlg(a Action) (p kspPrediction) {
	s := w.ksp()
	switch {
	case !w.provArgOK(a.H):
		w.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case a.Provider == nil:
		// As in NCryptCreatePersistedKey, a NULL name fails in the
		// call's marshalling, before the provider sees the flags.
		w.assert("ksp.is-alg-supported")
		p.want = sim.HResult(s.set.nullAlg.Value)
	case a.Flags&^win32.NCRYPT_SILENT_FLAG != 0:
		w.assert("ksp.is-alg-supported", "ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case symmetricAlg(*a.Provider) && s.set.symmetric:
		w.assert("ksp.is-alg-supported", "ksp.is-alg.symmetric")
	case symmetricAlg(*a.Provider):
		w.assert("ksp.is-alg-supported", "ksp.is-alg.symmetric-win7")
		p.want = sim.NTE_NOT_SUPPORTED
	case !knownKSPAlg(*a.Provider):
		w.assert("ksp.is-alg-supported")
		p.want = sim.NTE_NOT_SUPPORTED
	default:
		w.assert("ksp.is-alg-supported")
	}
	return p
}

// predictSetProperty states NCryptSetProperty: the handle, the property
// name, the flags (a provider takes only NCRYPT_SILENT_FLAG), then the
// name: read-only names are refused, unknown ones too unless the property
// is to be persisted as a custom one. A persisted property on a stored key
// rewrites the stored key, which fails when another handle deleted or
// replaced it; on a key not finalized yet it is stored at finalization, on
// an ephemeral key it stays with the handle. It returns the code and the
// key whose store the call changes.
func (w *World) predictSetProperty(a Action) (sim.HResult, *oNKey) {
	s := w.ksp()
	h := w.handle(a.H)
	persist := a.Flags&(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG) != 0
	switch {
	case h == nil || h.closed || (h.kind != hNProv && h.kind != hNKey):
		w.assert("ksp.handle.invalid")
		return sim.NTE_INVALID_HANDLE, nil
	case a.Name == nil:
		w.assert("ksp.param.null")
		return sim.NTE_INVALID_PARAMETER, nil
	case h.kind == hNProv:
		switch {
		case a.Flags&^win32.NCRYPT_SILENT_FLAG != 0 && s.set.flagsOK:
			w.assert("ksp.flags.bad")
			return sim.NTE_BAD_FLAGS, nil
		case !slices.Contains(kspProvProps, *a.Name) && s.set.propNames:
			w.assert("ksp.property.unknown")
			return sim.NTE_NOT_SUPPORTED, nil
		}
		if a.Flags&^win32.NCRYPT_SILENT_FLAG != 0 {
			w.assert("ksp.flags.ignored-wine")
		}
		if !slices.Contains(kspProvProps, *a.Name) {
			w.assert("ksp.property.any-name-wine")
		}
		return 0, nil
	case a.Flags&^(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG|win32.NCRYPT_SILENT_FLAG) != 0 && s.set.flagsOK:
		w.assert("ksp.flags.bad")
		return sim.NTE_BAD_FLAGS, nil
	case !s.set.propNames:
		if slices.Contains(kspReadOnlyProps, *a.Name) || (!persist && !slices.Contains(kspKeyProps, *a.Name)) {
			w.assert("ksp.property.any-name-wine")
		}
	case slices.Contains(kspReadOnlyProps, *a.Name):
		if *a.Name == win32.NCRYPT_NAME_PROPERTY {
			w.assert("ksp.property.read-only-name")
		}
		return sim.NTE_NOT_SUPPORTED, nil
	case !slices.Contains(kspKeyProps, *a.Name):
		w.assert("ksp.property.unknown")
		if !persist {
			return sim.NTE_NOT_SUPPORTED, nil
		}
	}
	if a.Flags&^(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG|win32.NCRYPT_SILENT_FLAG) != 0 {
		w.assert("ksp.flags.ignored-wine")
	}
	k := h.nkey
	if !persist || !k.finalized || k.name == "" || !s.set.storeKept {
		if k.name == "" {
			w.ephemeral()
		} else {
			w.unchanged(k.prov, k.store)
		}
		return 0, nil
	}
	if s.keys[k.slot()] != k.stored {
		w.assert("ksp.delete.already-deleted")
		return sim.NTE_BAD_KEYSET, nil
	}
	return 0, k
}
