package conformance

import (
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The key-storage family: providers, persisted keys, properties and key
// change notifications. Its actions' arguments are a kspArgs (Action.Args).

// kspPropertyCovers are the ids the KSP property's oracle asserts at the
// default depth.
var kspPropertyCovers = []string{
	"ksp.open.default", "ksp.handle.invalid", "ksp.flags.bad", "ksp.param.null", "ksp.free.provider-and-key",
	"ksp.create.null-alg", "ksp.create.null-alg-win7", "ksp.create.ephemeral", "ksp.create.not-persisted-until-finalized",
	"ksp.create.exists", "ksp.create.overwrite", "ksp.finalize.twice", "ksp.open-key.absent", "ksp.store.user-machine",
	"ksp.delete.frees-handle", "ksp.create.unknown-alg", "ksp.finalize.name-taken", "ksp.delete.already-deleted", "ksp.delete.failure-keeps-handle",
	"ksp.delete.unpersisted", "ksp.free.not-ncrypt-handle", "ksp.is-alg-supported", "ksp.property.read-only-name", "ksp.property.unknown",
	"ksp.open-key.not-supported-wine", "ksp.delete.not-supported-wine", "ksp.create.no-collision-wine", "ksp.create.rsa-only-wine",
	"ksp.flags.ignored-wine", "ksp.property.any-name-wine",
	"ksp.notify.register", "ksp.notify.unregister", "ksp.notify.machine-flag-register-only", "ksp.notify.bad-flags", "ksp.notify.silent-tolerated",
	"ksp.notify.invalid-handle", "ksp.notify.invalid-parameter", "ksp.notify.validation-order", "ksp.notify.not-supported", "ksp.notify.store-scope",
	"ksp.notify.triggers", "ksp.notify.ephemeral-silent", "ksp.notify.change-handle", "ksp.notify.closed-by-findclose", "ksp.contract.service-start",
	"kernel.change.rearm", "kernel.change.recorded", "kernel.change.close", "kernel.change.invalid-handle", "kernel.contract.rearm-outstanding",
}

func nOpen(as string, name *string) Action {
	return Action{Op: OpNOpenProv, As: as, Args: kspArgs{provider: name}}
}
func nCreate(as, prov string, alg, name *string, flags uint32) Action {
	return Action{Op: OpNCreate, As: as, H: prov, Args: kspArgs{alg: alg, name: name, flags: flags}}
}
func nFinalize(h string) Action { return Action{Op: OpNFinalize, H: h} }
func nOpenKey(as, prov string, name *string, flags uint32) Action {
	return Action{Op: OpNOpenKey, As: as, H: prov, Args: kspArgs{name: name, flags: flags}}
}
func nDelete(h string) Action { return Action{Op: OpNDelete, H: h} }
func nFree(h string) Action   { return Action{Op: OpNFree, H: h} }
func nIsAlg(prov string, alg *string, flags uint32) Action {
	return Action{Op: OpNIsAlg, H: prov, Args: kspArgs{alg: alg, flags: flags}}
}
func nSetProp(h string, prop *string, flags uint32) Action {
	return Action{Op: OpNSetProp, H: h, Args: kspArgs{property: prop, value: "v", flags: flags}}
}

// nNotify calls NCryptNotifyChangeKey on prov with *phEvent holding ev
// ("" for NULL); a registration's change handle is named as.
func nNotify(as, prov, ev string, flags uint32) Action {
	return Action{Op: OpNNotify, As: as, H: prov, Args: kspArgs{event: ev, flags: flags}}
}
func nRegister(as, prov string) Action {
	return nNotify(as, prov, "", win32.NCRYPT_REGISTER_NOTIFY_FLAG)
}
func nUnregister(prov, ev string) Action {
	return nNotify("", prov, ev, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG)
}
func findNext(h string) Action  { return Action{Op: OpFindNext, H: h} }
func findClose(h string) Action { return Action{Op: OpFindClose, H: h} }
func polled(h string) Action    { return waitOne(h, 0, false) }
func installKSP(name string, notify bool) Action {
	return Action{Op: OpNRegisterProv, Args: kspArgs{provider: strp(name), noNotify: !notify}}
}
func startingMain(thread string, starting bool) Action {
	return Action{Op: OpCallerContext, Thread: thread, Args: kspArgs{starting: starting}}
}

// kspNotifyProfiles are the profiles whose NCryptNotifyChangeKey returns:
// elsewhere (ksp.notify.implemented false) the real call ends the process,
// a backend refuses it, and the notification checks do not apply.
func kspNotifyProfiles() []string {
	return kspProfilesWhere(func(s kspSettings) bool { return s.notifyWorks })
}

// kspProfilesWhere returns the profiles whose key-storage settings satisfy
// keep.
func kspProfilesWhere(keep func(kspSettings) bool) []string {
	out := []string{}
	for _, p := range sim.Profiles() {
		if set, err := readKSPSettings(p.Name); err == nil && keep(set) {
			out = append(out, p.Name)
		}
	}
	return out
}

// kspWindowsStore reports whether a profile's key store behaves as
// Windows': keys are stored, every algorithm of the Microsoft KSP is
// created, flags and property names are checked. Where none of it holds
// (Wine 8.0) the checks below run as their Wine twins (kspWineTwin).
func kspWindowsStore(s kspSettings) bool {
	return s.storeKept && !s.rsaOnly && s.flagsOK && s.propNames
}

// kspWineTwin is check c for the profiles that keep no key store and check
// neither flags nor property names: the same actions, or others where c's
// use handles that are never made there (nil keeps c's), claiming the
// rules they assert there.
func kspWineTwin(c Check, actions []Action, covers ...string) Check {
	c.Name += "Wine"
	c.Profiles = kspProfilesWhere(func(s kspSettings) bool { return !s.storeKept && s.rsaOnly && !s.flagsOK && !s.propNames })
	if actions != nil {
		c.Actions = actions
	}
	c.Covers = covers
	return c
}

func kspChecks() []Check {
	rsa, key := strp("RSA"), strp("conformance-key")
	policy, name, custom := strp(win32.NCRYPT_EXPORT_POLICY_PROPERTY), strp(win32.NCRYPT_NAME_PROPERTY), strp("Conformance Custom")
	notify := kspNotifyProfiles()
	windows := kspProfilesWhere(kspWindowsStore)
	provider := Check{Family: "KSP", Name: "Provider", Profiles: windows, Covers: []string{"ksp.open.default", "ksp.param.null", "ksp.flags.bad", "ksp.free.provider-and-key", "ksp.handle.invalid"},
		Actions: []Action{nOpen("p", nil), nOpen("q", strp(win32.MS_KEY_STORAGE_PROVIDER)), {Op: OpNOpenProv, Args: kspArgs{nullOut: true}},
			{Op: OpNOpenProv, As: "x", Args: kspArgs{flags: 1}}, nFree("q"), nFree("q"), nFree(RefNULL), nFree(RefBogus), nFree("p")}}
	persisted := Check{Family: "KSP", Name: "PersistedKeys", Profiles: windows, Covers: []string{"ksp.create.not-persisted-until-finalized", "ksp.create.exists", "ksp.create.overwrite",
		"ksp.finalize.twice", "ksp.open-key.absent", "ksp.store.user-machine", "ksp.delete.frees-handle", "ksp.create.ephemeral"},
		Actions: []Action{nOpen("p", nil), nCreate("k", "p", rsa, key, 0), nOpenKey("o", "p", key, 0), nFinalize("k"), nFinalize("k"),
			nOpenKey("o1", "p", key, 0), nOpenKey("o2", "p", key, win32.NCRYPT_MACHINE_KEY_FLAG), nCreate("k2", "p", rsa, key, 0),
			nCreate("k3", "p", rsa, key, win32.NCRYPT_OVERWRITE_KEY_FLAG), nFinalize("k3"), nDelete("o1"), nDelete("k3"), nDelete("k3"),
			nCreate("e", "p", strp("ECDSA_P256"), nil, 0), nFinalize("e"), nDelete("e"), nDelete("k"), nFree("p")}}
	properties := Check{Family: "KSP", Name: "Properties", Profiles: windows, Covers: []string{"ksp.property.read-only-name", "ksp.property.unknown", "ksp.param.null", "ksp.flags.bad",
		"ksp.delete.already-deleted", "ksp.handle.invalid"},
		Actions: []Action{nOpen("p", nil), nCreate("k", "p", rsa, strp("prop-key"), 0), nSetProp("k", policy, 0), nSetProp("k", name, 0),
			nSetProp("k", name, win32.NCRYPT_PERSIST_FLAG), nSetProp("k", custom, 0), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), nSetProp("k", nil, 0),
			nSetProp("k", policy, 0x1000), nFinalize("k"), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), nOpenKey("o", "p", strp("prop-key"), 0),
			nDelete("o"), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), nSetProp("k", policy, 0), nSetProp("p", strp(win32.NCRYPT_USE_CONTEXT_PROPERTY), 0),
			nSetProp("p", policy, 0), nSetProp("p", strp(win32.NCRYPT_USE_CONTEXT_PROPERTY), win32.NCRYPT_PERSIST_FLAG), nSetProp(RefNULL, policy, 0),
			nFree("k"), nSetProp("k", policy, 0), nFree("p")}}
	return []Check{
		provider,
		kspWineTwin(provider, nil, "ksp.open.default", "ksp.param.null", "ksp.flags.ignored-wine", "ksp.free.provider-and-key", "ksp.handle.invalid"),
		{Family: "KSP", Name: "UnknownProvider", Profiles: []string{"win8", "win7"}, Covers: []string{"ksp.open.unknown-name"},
			Actions: []Action{nOpen("p", strp("Nonexistent Key Storage Provider"))}},
		{Family: "KSP", Name: "UnknownProviderWine", Profiles: []string{"wine-8.0"}, Covers: []string{"ksp.open.unknown-name-wine"},
			Actions: []Action{nOpen("p", strp("Nonexistent Key Storage Provider")), nFree("p")}},
		persisted,
		kspWineTwin(persisted, []Action{nOpen("p", nil), nCreate("k", "p", rsa, key, 0), nOpenKey("o", "p", key, 0), nFinalize("k"), nFinalize("k"),
			nOpenKey("o", "p", key, win32.NCRYPT_MACHINE_KEY_FLAG), nCreate("k2", "p", rsa, key, 0), nFinalize("k2"),
			nCreate("k3", "p", rsa, key, win32.NCRYPT_OVERWRITE_KEY_FLAG), nFinalize("k3"), nDelete("k3"), nDelete("k3"),
			nCreate("e", "p", strp("ECDSA_P256"), nil, 0), nCreate("e", "p", rsa, nil, 0), nFinalize("e"), nDelete("e"), nFree("e"),
			nFree("k3"), nFree("k2"), nDelete("k"), nFree("k"), nFree("p")},
			"ksp.open-key.not-supported-wine", "ksp.delete.not-supported-wine", "ksp.create.no-collision-wine",
			"ksp.create.rsa-only-wine", "ksp.finalize.twice"),
		{Family: "KSP", Name: "NullAlgorithm", Covers: []string{"ksp.param.null"},
			Actions: []Action{nOpen("p", nil), nCreate("k", "p", nil, key, 0), {Op: OpNCreate, As: "k", H: "p", Args: kspArgs{alg: rsa, nullOut: true}},
				nCreate("k", "p", strp("NOPE"), key, 0), nCreate("k", "p", rsa, key, 0x1000), nOpenKey("o", "p", nil, 0)}},
		{Family: "KSP", Name: "IsAlgSupported", Covers: []string{"ksp.is-alg-supported", "ksp.flags.bad", "ksp.handle.invalid"},
			Actions: []Action{nOpen("p", nil), nIsAlg("p", rsa, 0), nIsAlg("p", strp("ecdsa_p256"), win32.NCRYPT_SILENT_FLAG), nIsAlg("p", strp("NOPE"), 0),
				nIsAlg("p", nil, 0), nIsAlg("p", rsa, 0x14), nIsAlg(RefNULL, rsa, 0), nFree("p"), nIsAlg("p", rsa, 0)}},
		properties,
		kspWineTwin(properties, []Action{nOpen("p", nil), nCreate("k", "p", rsa, strp("prop-key"), 0), nSetProp("k", policy, 0), nSetProp("k", name, 0),
			nSetProp("k", name, win32.NCRYPT_PERSIST_FLAG), nSetProp("k", custom, 0), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), nSetProp("k", nil, 0),
			nSetProp("k", policy, 0x1000), nFinalize("k"), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), nOpenKey("o", "p", strp("prop-key"), 0),
			nDelete("k"), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), nSetProp("k", policy, 0), nSetProp("p", strp(win32.NCRYPT_USE_CONTEXT_PROPERTY), 0),
			nSetProp("p", policy, 0), nSetProp("p", strp(win32.NCRYPT_USE_CONTEXT_PROPERTY), win32.NCRYPT_PERSIST_FLAG), nSetProp(RefNULL, policy, 0),
			nFree("k"), nSetProp("k", policy, 0), nFree("p")},
			"ksp.property.any-name-wine", "ksp.flags.ignored-wine", "ksp.param.null", "ksp.handle.invalid",
			"ksp.open-key.not-supported-wine", "ksp.delete.not-supported-wine"),
		{Family: "KSP", Name: "NotKernelHandles", Covers: []string{"ksp.free.not-ncrypt-handle"},
			Actions: []Action{nOpen("p", nil), nCreate("k", "p", rsa, nil, 0), event("e", true, false), closeHandle("p"), closeHandle("k"), nFree("e"),
				nFree("k"), nFree("p"), closeHandle("e")}},
		{Family: "KSP", Name: "ServiceStart", Covers: []string{"ksp.contract.service-start"},
			Actions: []Action{startingMain("worker", true), on("worker", nOpen("p", nil)), on("worker", nCreate("k", "p", rsa, strp("svc-key"), 0)),
				on("worker", nIsAlg("p", rsa, 0)), nOpen("q", nil), on("worker", nFree("k")), startingMain("worker", false), on("worker", nFree("p")), nFree("q")}},
		{Family: "KSP", Name: "NotifyRegister", Profiles: notify, Covers: []string{"ksp.notify.register", "ksp.notify.unregister", "ksp.notify.silent-tolerated",
			"ksp.notify.store-scope", "ksp.notify.triggers"},
			Actions: []Action{nOpen("p", nil), nRegister("ev", "p"), polled("ev"), nNotify("evm", "p", "", win32.NCRYPT_REGISTER_NOTIFY_FLAG|win32.NCRYPT_MACHINE_KEY_FLAG),
				nNotify("evs", "p", "", win32.NCRYPT_REGISTER_NOTIFY_FLAG|win32.NCRYPT_SILENT_FLAG), nCreate("k", "p", rsa, strp("notify-key"), 0), nFinalize("k"),
				polled("ev"), polled("evm"), polled("evs"), nUnregister("p", "ev"), polled("ev"), nNotify("", "p", "evm", win32.NCRYPT_UNREGISTER_NOTIFY_FLAG|win32.NCRYPT_SILENT_FLAG),
				nUnregister("p", "evs"), nDelete("k"), nFree("p")}},
		{Family: "KSP", Name: "NotifyFlags", Profiles: notify, Covers: []string{"ksp.notify.bad-flags", "ksp.notify.machine-flag-register-only",
			"ksp.notify.invalid-handle", "ksp.notify.invalid-parameter", "ksp.notify.validation-order"},
			Actions: []Action{{Op: OpNNotify, H: RefNULL, Args: kspArgs{nullOut: true}}, nOpen("p", nil), {Op: OpNNotify, H: "p", Args: kspArgs{nullOut: true}},
				nNotify("x", "p", "", win32.NCRYPT_REGISTER_NOTIFY_FLAG|win32.NCRYPT_UNREGISTER_NOTIFY_FLAG), nNotify("x", "p", "", win32.NCRYPT_REGISTER_NOTIFY_FLAG|0x1000),
				{Op: OpNNotify, H: "p", Args: kspArgs{nullOut: true, flags: win32.NCRYPT_REGISTER_NOTIFY_FLAG}}, nRegister("ev", "p"),
				nNotify("", "p", "ev", win32.NCRYPT_UNREGISTER_NOTIFY_FLAG|win32.NCRYPT_MACHINE_KEY_FLAG), nUnregister("p", RefBogus), nUnregister("p", ""),
				event("e", true, false), nUnregister("p", "e"), nUnregister("p", "p"), nOpen("q", nil), nFree("q"), nRegister("x", "q"), nUnregister("q", "ev"),
				nUnregister("p", "ev"), nUnregister("p", "ev")}},
		{Family: "KSP", Name: "NotifyTriggers", Profiles: notify, Covers: []string{"ksp.notify.triggers", "ksp.notify.ephemeral-silent", "ksp.notify.change-handle",
			"ksp.notify.closed-by-findclose", "kernel.contract.rearm-outstanding"},
			Actions: []Action{nOpen("p", nil), nRegister("ev", "p"), nCreate("k", "p", rsa, strp("trig-key"), 0), polled("ev"), nFinalize("k"), polled("ev"),
				polled("ev"), findNext("ev"), polled("ev"), findNext("ev"), nOpenKey("o", "p", strp("trig-key"), 0), nFree("o"), nSetProp("k", policy, 0),
				polled("ev"), nSetProp("k", custom, win32.NCRYPT_PERSIST_FLAG), polled("ev"), nCreate("k2", "p", rsa, strp("trig-key2"), 0), nFinalize("k2"),
				nDelete("k2"), findNext("ev"), polled("ev"), findNext("ev"), polled("ev"), nCreate("e", "p", rsa, nil, 0), nFinalize("e"),
				nSetProp("e", custom, win32.NCRYPT_PERSIST_FLAG), nDelete("e"), polled("ev"), findClose("ev"), polled("ev"), nUnregister("p", "ev"),
				nRegister("ev2", "p"), closeHandle("ev2"), findClose("ev2"), findNext("ev2"), nUnregister("p", "ev2"), nDelete("k"), nFree("p")}},
		{Family: "KSP", Name: "NotifyProviders", Profiles: notify, Covers: []string{"ksp.notify.not-supported", "ksp.notify.store-scope", "ksp.notify.invalid-parameter"},
			Actions: []Action{installKSP("Sample KSP", false), installKSP("Contoso KSP", true), nOpen("s", strp("Sample KSP")), nRegister("x", "s"),
				{Op: OpNNotify, H: "s", Args: kspArgs{nullOut: true, flags: win32.NCRYPT_REGISTER_NOTIFY_FLAG | win32.NCRYPT_UNREGISTER_NOTIFY_FLAG}},
				nOpen("c", strp("contoso ksp")), nOpen("p", nil), nRegister("evc", "c"), nRegister("evp", "p"), nCreate("k", "p", rsa, strp("scope-key"), 0),
				nFinalize("k"), polled("evc"), polled("evp"), nOpenKey("o", "c", strp("scope-key"), 0), nCreate("kc", "c", rsa, strp("scope-key"), 0),
				nFinalize("kc"), polled("evc"), nUnregister("p", "evc"), nUnregister("c", "evc"), nUnregister("p", "evp"), nDelete("k"), nDelete("kc"),
				nFree("s"), nFree("c"), nFree("p")}},
	}
}
