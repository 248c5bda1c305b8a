package conformance

import (
	"strings"

	"github.com/winsim/winsim/win32"
)

// KSPGenerators returns the generators of the key-storage actions:
// providers opened and freed, named and ephemeral keys created with and
// without NCRYPT_OVERWRITE_KEY_FLAG and NCRYPT_MACHINE_KEY_FLAG, finalized
// (twice too), opened, deleted through stale and current handles,
// properties set with and without NCRYPT_PERSIST_FLAG, NCryptIsAlgSupported,
// change registrations on both stores and their removal, waits (0 ms) on
// the change handles, FindNextChangeNotification, FindCloseChangeNotification
// and CloseHandle, two installed providers (one without change
// notification, where the backend can install them), and threads that
// become a starting ServiceMain and stop being one; with bad flags, NULL
// parameters and invalid handles throughout. Unknown provider names are
// left to the checks: what such a provider holds is not documented. Where
// the profile declares NCryptNotifyChangeKey an unimplemented stub
// (ksp.notify.implemented false) no registration is generated: the real
// call ends the process, and a backend refuses it.
func KSPGenerators() []Generator {
	names := []*string{strp("k1"), strp("k1"), strp("K1"), strp("k2"), nil}
	algs := []*string{strp("RSA"), strp("RSA"), strp("ecdsa_p256"), strp("aes"), strp("3DES"), strp("NOPE"), nil}
	props := []*string{strp(win32.NCRYPT_EXPORT_POLICY_PROPERTY), strp(win32.NCRYPT_USE_CONTEXT_PROPERTY), strp(win32.NCRYPT_NAME_PROPERTY),
		strp("Conformance Custom"), strp("Conformance Custom"), nil}
	notifyFlags := []uint32{win32.NCRYPT_REGISTER_NOTIFY_FLAG, win32.NCRYPT_REGISTER_NOTIFY_FLAG, win32.NCRYPT_REGISTER_NOTIFY_FLAG | win32.NCRYPT_MACHINE_KEY_FLAG,
		win32.NCRYPT_REGISTER_NOTIFY_FLAG | win32.NCRYPT_SILENT_FLAG, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG,
		win32.NCRYPT_UNREGISTER_NOTIFY_FLAG | win32.NCRYPT_SILENT_FLAG, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG | win32.NCRYPT_MACHINE_KEY_FLAG, 0,
		win32.NCRYPT_REGISTER_NOTIFY_FLAG | win32.NCRYPT_UNREGISTER_NOTIFY_FLAG, win32.NCRYPT_REGISTER_NOTIFY_FLAG | 0x1000}
	return []Generator{
		{Name: "NCryptOpenStorageProvider", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			provs := []*string{nil, strp(win32.MS_KEY_STORAGE_PROVIDER)}
			for _, p := range kspInstalled {
				if _, ok := kspSlot.of(w).provs[strings.ToLower(p.name)]; ok {
					provs = append(provs, strp(p.name))
				}
			}
			a := Action{Op: OpNOpenProv, Thread: pickThread(c), As: w.newVar("prov")}
			args := kspArgs{provider: pick(c, "provider", provs...)}
			switch c.Intn(12, "odd") {
			case 0:
				args.nullOut = true
			case 1:
				args.flags = win32.NCRYPT_SILENT_FLAG
			}
			a.Args = args
			return a, true
		}},
		{Name: "NCryptFreeObject", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNFree, Thread: pickThread(c), H: w.pickKSP(c, hNKey, hNProv)}, true
		}},
		{Name: "NCryptCreatePersistedKey", Family: "KSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpNCreate, Thread: pickThread(c), As: w.newVar("key"), H: w.pickKSP(c, hNProv)}
			args := kspArgs{alg: pick(c, "alg", algs...), name: pick(c, "name", names...),
				flags: pick(c, "flags", uint32(0), 0, win32.NCRYPT_OVERWRITE_KEY_FLAG, win32.NCRYPT_MACHINE_KEY_FLAG, win32.NCRYPT_SILENT_FLAG, 0x1000)}
			args.nullOut = c.Intn(20, "null-out") == 0
			a.Args = args
			return a, true
		}},
		{Name: "NCryptFinalizeKey", Family: "KSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNFinalize, Thread: pickThread(c), H: w.pickKSP(c, hNKey),
				Args: kspArgs{flags: pick(c, "flags", uint32(0), 0, 0, win32.NCRYPT_NO_KEY_VALIDATION, 0x1000)}}, true
		}},
		{Name: "NCryptOpenKey", Family: "KSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNOpenKey, Thread: pickThread(c), As: w.newVar("key"), H: w.pickKSP(c, hNProv), Args: kspArgs{name: pick(c, "name", names...),
				flags: pick(c, "flags", uint32(0), 0, win32.NCRYPT_MACHINE_KEY_FLAG, 0x1000), nullOut: c.Intn(20, "null-out") == 0}}, true
		}},
		{Name: "NCryptDeleteKey", Family: "KSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNDelete, Thread: pickThread(c), H: w.pickKSP(c, hNKey), Args: kspArgs{flags: pick(c, "flags", uint32(0), 0, 0, 0x1000)}}, true
		}},
		{Name: "NCryptIsAlgSupported", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNIsAlg, Thread: pickThread(c), H: w.pickKSP(c, hNProv), Args: kspArgs{alg: pick(c, "alg", algs...),
				flags: pick(c, "flags", uint32(0), 0, win32.NCRYPT_SILENT_FLAG, 0x14)}}, true
		}},
		{Name: "NCryptSetProperty", Family: "KSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpNSetProp, Thread: pickThread(c), H: w.pickKSP(c, hNKey, hNKey, hNProv), Args: kspArgs{property: pick(c, "property", props...), value: "v",
				flags: pick(c, "flags", uint32(0), win32.NCRYPT_PERSIST_FLAG, win32.NCRYPT_PERSIST_FLAG, win32.NCRYPT_SILENT_FLAG, 0x1000)}}, true
		}},
		{Name: "NCryptNotifyChangeKey", Family: "KSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			if !kspSlot.of(w).set.notifyWorks {
				return Action{}, false
			}
			a := Action{Op: OpNNotify, Thread: pickThread(c), As: w.newVar("ev"), H: w.pickKSP(c, hNProv)}
			args := kspArgs{flags: pick(c, "flags", notifyFlags...)}
			if args.flags&win32.NCRYPT_UNREGISTER_NOTIFY_FLAG != 0 {
				args.event = w.pickKSP(c, hNChange)
			}
			args.nullOut = c.Intn(20, "null-out") == 0
			a.Args = args
			return a, true
		}},
		{Name: "WaitOnChange", Family: "KSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			if !kspSlot.of(w).set.notifyWorks {
				return Action{}, false
			}
			return Action{Op: OpWaitOne, Thread: pickThread(c), H: w.pickKSP(c, hNChange), Args: kernelArgs{alertable: c.Intn(4, "alertable") == 0}}, true
		}},
		{Name: "FindNextChangeNotification", Family: "KSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			if !kspSlot.of(w).set.notifyWorks {
				return Action{}, false
			}
			return Action{Op: OpFindNext, Thread: pickThread(c), H: w.pickKSP(c, hNChange)}, true
		}},
		{Name: "CloseChangeHandle", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			op := pick(c, "close", OpFindClose, OpFindClose, OpCloseHandle)
			if op == OpFindClose && !kspSlot.of(w).set.notifyWorks {
				return Action{}, false
			}
			return Action{Op: op, Thread: pickThread(c), H: w.pickKSP(c, hNChange, hNChange, hNProv, hNKey)}, true
		}},
		{Name: "InstallProvider", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			p := pick(c, "installed", kspInstalled...)
			if _, ok := kspSlot.of(w).provs[strings.ToLower(p.name)]; ok {
				return Action{}, false
			}
			return installKSP(p.name, !p.noNotify), true
		}},
		{Name: "ServiceMainContext", Family: "KSP", Gen: func(w *World, c Chooser) (Action, bool) {
			th := pickThread(c)
			return startingMain(th, c.Intn(3, "starting") == 0 && !kspSlot.of(w).starting[th]), true
		}},
	}
}

// kspInstalled are the providers the property installs, each at most once:
// one with change notification, one without (as Microsoft's CNG sample KSP).
var kspInstalled = []oNProv{{name: "Contoso KSP"}, {name: "Sample KSP", noNotify: true}}
