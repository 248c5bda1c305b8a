package conformance

import (
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The key-storage oracle's predictions: what each call returns, worked out
// from the state alone, on the step's working copy.

// kspPrediction is what the oracle expects of one key-storage call: the
// code, the handle the call hands out (bound to the action's variable once
// it succeeds), the key whose store it changes, and whether it passes a
// flag the call does not define.
type kspPrediction struct {
	want           sim.HResult
	bind           *kspHandle
	changed        *kspHandle
	undefinedFlags bool
}

// predictNOpenProv states NCryptOpenStorageProvider: a NULL output pointer,
// flags, then the provider name.
func (e *kspEdit) predictNOpenProv(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	prov, known := e.provider(args.provider)
	p.undefinedFlags = args.flags != 0
	switch {
	case args.nullOut:
		e.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case args.flags != 0 && e.set.flagsOK:
		e.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case !known:
		e.assert("ksp.open.unknown-name")
		p.want = sim.NTE_PROV_DLL_NOT_FOUND
	default:
		if args.provider == nil {
			e.assert("ksp.open.default")
		} else if _, registered := e.provs[strings.ToLower(*args.provider)]; !registered {
			e.assert("ksp.open.unknown-name-wine")
		}
		p.bind = &kspHandle{kind: hNProv, prov: prov.name}
	}
	return p
}

// predictNFree states NCryptFreeObject: a live provider or key handle is
// freed; anything else is NTE_INVALID_HANDLE.
func (e *kspEdit) predictNFree(a Action) (p kspPrediction) {
	i, ok := e.handle(a.H)
	if !ok || e.hs[i].closed || (e.hs[i].kind != hNProv && e.hs[i].kind != hNKey) {
		e.assert("ksp.handle.invalid")
		if e.liveWaitable(a.H) {
			e.assert("ksp.free.not-ncrypt-handle")
		}
		p.want = sim.NTE_INVALID_HANDLE
	} else {
		e.assert("ksp.free.provider-and-key")
		e.handleAt(i).closed = true
	}
	return p
}

// predictNCreate states NCryptCreatePersistedKey: the handle, the output
// pointer, the algorithm, the flags, then the name.
func (e *kspEdit) predictNCreate(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	prov, provOK := e.provArg(a.H)
	k := kspHandle{kind: hNKey, prov: prov, store: kspStore(args.flags), overwrite: args.flags&win32.NCRYPT_OVERWRITE_KEY_FLAG != 0}
	p.undefinedFlags = args.flags&^(win32.NCRYPT_MACHINE_KEY_FLAG|win32.NCRYPT_SILENT_FLAG|win32.NCRYPT_OVERWRITE_KEY_FLAG) != 0
	if args.name != nil {
		k.keyName = strings.ToLower(*args.name)
	}
	switch {
	case !provOK:
		e.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case args.nullOut:
		e.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case args.alg == nil:
		e.assert(map[bool]string{true: "ksp.create.null-alg-win7", false: "ksp.create.null-alg"}[e.set.nullAlg == sim.NTE_FAIL.Code()])
		p.want = sim.HResult(e.set.nullAlg.Value)
	case p.undefinedFlags && e.set.flagsOK:
		e.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case strings.EqualFold(*args.alg, "aes") && !e.set.aes:
		e.assert("ksp.create.aes")
		p.want = sim.NTE_NOT_SUPPORTED
	case !knownKSPAlg(*args.alg) && !strings.EqualFold(*args.alg, "aes"):
		e.assert("ksp.create.unknown-alg")
		p.want = sim.NTE_NOT_SUPPORTED
	case e.set.rsaOnly && !strings.EqualFold(*args.alg, "rsa"):
		e.assert("ksp.create.rsa-only-wine")
		p.want = sim.NTE_NOT_SUPPORTED
	case k.keyName != "" && e.keys[k.slot()] != 0 && !k.overwrite:
		e.assert("ksp.create.exists")
		p.want = sim.NTE_EXISTS
	default:
		if strings.EqualFold(*args.alg, "aes") {
			e.assert("ksp.create.aes")
		}
		if k.keyName != "" && e.named[k.slot()] && !k.overwrite {
			e.assert("ksp.create.no-collision-wine")
		}
		if k.keyName == "" {
			e.assert("ksp.create.ephemeral")
			e.ephemeral()
		} else if e.keys[k.slot()] != 0 {
			e.assert("ksp.create.overwrite")
		}
		e.unchanged(k.prov, k.store)
		p.bind = &k
	}
	return p
}

// predictNFinalize states NCryptFinalizeKey: a key is persisted once, under
// a name no other key took meanwhile.
func (e *kspEdit) predictNFinalize(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	i, live := e.live(a.H, hNKey)
	p.undefinedFlags = args.flags&^(win32.NCRYPT_NO_KEY_VALIDATION|win32.NCRYPT_SILENT_FLAG|win32.NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG) != 0
	var h kspHandle
	if live {
		h = e.hs[i]
	}
	switch {
	case !live || h.finalized:
		if live {
			e.assert("ksp.finalize.twice")
		}
		e.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case p.undefinedFlags && e.set.flagsOK:
		e.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case h.keyName == "":
		e.assert("ksp.create.ephemeral")
		e.ephemeral()
		e.handleAt(i).finalized = true
	case !e.set.storeKept:
		// Nothing is stored: the name is never taken.
		if e.named[h.slot()] && !h.overwrite {
			e.assert("ksp.create.no-collision-wine")
		}
		e.setNamed(h.slot())
		e.handleAt(i).finalized = true
	case e.keys[h.slot()] != 0 && !h.overwrite:
		e.assert("ksp.finalize.name-taken")
		p.want = sim.NTE_EXISTS
	default:
		e.assert("ksp.create.not-persisted-until-finalized")
		e.seq++
		e.setKey(h.slot(), e.seq)
		k := e.handleAt(i)
		k.finalized, k.stored = true, e.seq
		p.changed = k
	}
	return p
}

// predictNOpenKey states NCryptOpenKey: a stub where no store is kept; else
// the handle, the pointers, the flags, then the stored key.
func (e *kspEdit) predictNOpenKey(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	store := kspStore(args.flags)
	ph, live := e.live(a.H, hNProv)
	var prov, name string
	if live && args.name != nil {
		prov, name = e.hs[ph].prov, strings.ToLower(*args.name)
	}
	switch {
	case !e.set.storeKept:
		// A stub: it looks at nothing.
		e.assert("ksp.open-key.not-supported-wine")
		p.want = sim.NTE_NOT_SUPPORTED
	case !live:
		e.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case args.nullOut || args.name == nil:
		e.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case args.flags&^(win32.NCRYPT_MACHINE_KEY_FLAG|win32.NCRYPT_SILENT_FLAG) != 0:
		e.assert("ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case e.keys[slot(prov, store, name)] == 0:
		e.assert("ksp.open-key.absent")
		if e.keys[slot(prov, kspStore(args.flags^win32.NCRYPT_MACHINE_KEY_FLAG), name)] != 0 {
			e.assert("ksp.store.user-machine")
		}
		p.want = sim.NTE_BAD_KEYSET
	default:
		k := kspHandle{kind: hNKey, prov: prov, store: store, keyName: name, finalized: true}
		k.stored = e.keys[k.slot()]
		e.unchanged(k.prov, k.store)
		p.bind = &k
	}
	return p
}

// predictNDelete states NCryptDeleteKey: a stub where no store is kept; else
// the handle, the flags, then whether the stored key is still this one.
func (e *kspEdit) predictNDelete(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	i, live := e.live(a.H, hNKey)
	var h kspHandle
	if live {
		h = e.hs[i]
	}
	switch {
	case !e.set.storeKept:
		// A stub: it looks at nothing and frees nothing.
		e.assert("ksp.delete.not-supported-wine")
		p.want = sim.NTE_NOT_SUPPORTED
	case !live:
		e.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case args.flags&^win32.NCRYPT_SILENT_FLAG != 0:
		e.assert("ksp.flags.bad", "ksp.delete.failure-keeps-handle")
		p.want = sim.NTE_BAD_FLAGS
	case h.keyName != "" && h.finalized && e.keys[h.slot()] != h.stored:
		e.assert("ksp.delete.already-deleted")
		p.want = sim.NTE_BAD_KEYSET
	default:
		e.assert("ksp.delete.frees-handle")
		if h.keyName != "" && h.finalized {
			e.setKey(h.slot(), 0)
			p.changed = &h
		} else {
			e.assert("ksp.delete.unpersisted")
			if h.keyName == "" {
				e.ephemeral()
			}
		}
		e.handleAt(i).closed = true
	}
	return p
}

// predictNIsAlg states NCryptIsAlgSupported: the handle, the name (NULL
// fails in marshalling), the flags, then the algorithm.
func (e *kspEdit) predictNIsAlg(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	_, provOK := e.provArg(a.H)
	switch {
	case !provOK:
		e.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case args.alg == nil:
		// As in NCryptCreatePersistedKey, a NULL name fails in the
		// call's marshalling, before the provider sees the flags.
		e.assert("ksp.is-alg-supported")
		p.want = sim.HResult(e.set.nullAlg.Value)
	case args.flags&^win32.NCRYPT_SILENT_FLAG != 0:
		e.assert("ksp.is-alg-supported", "ksp.flags.bad")
		p.want = sim.NTE_BAD_FLAGS
	case symmetricAlg(*args.alg) && e.set.symmetric:
		e.assert("ksp.is-alg-supported", "ksp.is-alg.symmetric")
	case symmetricAlg(*args.alg):
		e.assert("ksp.is-alg-supported", "ksp.is-alg.symmetric-win7")
		p.want = sim.NTE_NOT_SUPPORTED
	case !knownKSPAlg(*args.alg):
		e.assert("ksp.is-alg-supported")
		p.want = sim.NTE_NOT_SUPPORTED
	default:
		e.assert("ksp.is-alg-supported")
	}
	return p
}

// predictSetProperty states NCryptSetProperty: the handle, the property
// name, the flags (a provider takes only NCRYPT_SILENT_FLAG), then the
// name: read-only names are refused, unknown ones too unless the property
// is to be persisted as a custom one. A persisted property on a stored key
// rewrites the stored key, which fails when another handle deleted or
// replaced it; on a key not finalized yet it is stored at finalization, on
// an ephemeral key it stays with the handle. The prediction's changed is
// the key whose store the call changes.
func (e *kspEdit) predictSetProperty(a Action) (p kspPrediction) {
	args := kspArgsOf(a)
	i, ok := e.handle(a.H)
	switch {
	case !ok || e.hs[i].closed || (e.hs[i].kind != hNProv && e.hs[i].kind != hNKey):
		e.assert("ksp.handle.invalid")
		p.want = sim.NTE_INVALID_HANDLE
	case args.property == nil:
		e.assert("ksp.param.null")
		p.want = sim.NTE_INVALID_PARAMETER
	case e.hs[i].kind == hNProv:
		p.want = e.setProviderProperty(a)
	default:
		p.want, p.changed = e.setKeyProperty(a, e.hs[i])
	}
	return p
}

// setProviderProperty is NCryptSetProperty on a provider handle.
func (e *kspEdit) setProviderProperty(a Action) sim.HResult {
	args := kspArgsOf(a)
	switch {
	case args.flags&^win32.NCRYPT_SILENT_FLAG != 0 && e.set.flagsOK:
		e.assert("ksp.flags.bad")
		return sim.NTE_BAD_FLAGS
	case !slices.Contains(kspProvProps, *args.property) && e.set.propNames:
		e.assert("ksp.property.unknown")
		return sim.NTE_NOT_SUPPORTED
	}
	if args.flags&^win32.NCRYPT_SILENT_FLAG != 0 {
		e.assert("ksp.flags.ignored-wine")
	}
	if !slices.Contains(kspProvProps, *args.property) {
		e.assert("ksp.property.any-name-wine")
	}
	return 0
}

// setKeyProperty is NCryptSetProperty on key k: the code, and the key when
// the call rewrites its stored key.
func (e *kspEdit) setKeyProperty(a Action, k kspHandle) (sim.HResult, *kspHandle) {
	args := kspArgsOf(a)
	persist := args.flags&(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG) != 0
	switch {
	case args.flags&^(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG|win32.NCRYPT_SILENT_FLAG) != 0 && e.set.flagsOK:
		e.assert("ksp.flags.bad")
		return sim.NTE_BAD_FLAGS, nil
	case !e.set.propNames:
		if slices.Contains(kspReadOnlyProps, *args.property) || (!persist && !slices.Contains(kspKeyProps, *args.property)) {
			e.assert("ksp.property.any-name-wine")
		}
	case slices.Contains(kspReadOnlyProps, *args.property):
		if *args.property == win32.NCRYPT_NAME_PROPERTY {
			e.assert("ksp.property.read-only-name")
		}
		return sim.NTE_NOT_SUPPORTED, nil
	case !slices.Contains(kspKeyProps, *args.property):
		e.assert("ksp.property.unknown")
		if !persist {
			return sim.NTE_NOT_SUPPORTED, nil
		}
	}
	if args.flags&^(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG|win32.NCRYPT_SILENT_FLAG) != 0 {
		e.assert("ksp.flags.ignored-wine")
	}
	if !persist || !k.finalized || k.keyName == "" || !e.set.storeKept {
		if k.keyName == "" {
			e.ephemeral()
		} else {
			e.unchanged(k.prov, k.store)
		}
		return 0, nil
	}
	if e.keys[k.slot()] != k.stored {
		e.assert("ksp.delete.already-deleted")
		return sim.NTE_BAD_KEYSET, nil
	}
	return 0, &k
}
