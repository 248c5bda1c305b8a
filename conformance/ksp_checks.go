package conformance

import "github.com/winsim/winsim/sim/ksp"

// The key-storage family: providers and persisted keys. Its actions reuse
// Action's fields: Provider is the provider's name for
// NCryptOpenStorageProvider and the algorithm for NCryptCreatePersistedKey;
// Container is the key's name.
var _ = register(family{name: "KSP", checks: kspChecks, property: Property{
	Name: "TestProperty/KSP", Family: "KSP", Covers: kspPropertyCovers,
}})

// kspPropertyCovers are the ids the KSP property's oracle asserts at the
// default depth.
var kspPropertyCovers = []string{
	"ksp.open.default", "ksp.handle.invalid", "ksp.flags.bad", "ksp.param.null", "ksp.free.provider-and-key",
	"ksp.create.null-alg", "ksp.create.null-alg-win7", "ksp.create.ephemeral", "ksp.create.not-persisted-until-finalized",
	"ksp.create.exists", "ksp.create.overwrite", "ksp.finalize.twice", "ksp.open-key.absent", "ksp.store.user-machine",
	"ksp.delete.frees-handle",
}

func nOpen(as string, name *string) Action { return Action{Op: OpNOpenProv, As: as, Provider: name} }
func nCreate(as, prov string, alg, name *string, flags uint32) Action {
	return Action{Op: OpNCreate, As: as, H: prov, Provider: alg, Container: name, Flags: flags}
}
func nFinalize(h string) Action { return Action{Op: OpNFinalize, H: h} }
func nOpenKey(as, prov string, name *string, flags uint32) Action {
	return Action{Op: OpNOpenKey, As: as, H: prov, Container: name, Flags: flags}
}
func nDelete(h string) Action { return Action{Op: OpNDelete, H: h} }
func nFree(h string) Action   { return Action{Op: OpNFree, H: h} }

func kspChecks() []Check {
	rsa, key := strp("RSA"), strp("conformance-key")
	return []Check{
		{Family: "KSP", Name: "Provider", Covers: []string{"ksp.open.default", "ksp.param.null", "ksp.flags.bad", "ksp.free.provider-and-key", "ksp.handle.invalid"},
			Actions: []Action{nOpen("p", nil), nOpen("q", strp(ksp.MS_KEY_STORAGE_PROVIDER)), {Op: OpNOpenProv, NullOut: true},
				{Op: OpNOpenProv, As: "x", Flags: 1}, nFree("q"), nFree("q"), nFree(RefNULL), nFree(RefBogus), nFree("p")}},
		{Family: "KSP", Name: "UnknownProvider", Profiles: []string{"win8", "win7"}, Covers: []string{"ksp.open.unknown-name"},
			Actions: []Action{nOpen("p", strp("Nonexistent Key Storage Provider"))}},
		{Family: "KSP", Name: "UnknownProviderWine", Profiles: []string{"wine-8.0"}, Covers: []string{"ksp.open.unknown-name-wine"},
			Actions: []Action{nOpen("p", strp("Nonexistent Key Storage Provider")), nFree("p")}},
		{Family: "KSP", Name: "PersistedKeys", Covers: []string{"ksp.create.not-persisted-until-finalized", "ksp.create.exists", "ksp.create.overwrite",
			"ksp.finalize.twice", "ksp.open-key.absent", "ksp.store.user-machine", "ksp.delete.frees-handle", "ksp.create.ephemeral"},
			Actions: []Action{nOpen("p", nil), nCreate("k", "p", rsa, key, 0), nOpenKey("o", "p", key, 0), nFinalize("k"), nFinalize("k"),
				nOpenKey("o1", "p", key, 0), nOpenKey("o2", "p", key, ksp.NCRYPT_MACHINE_KEY_FLAG), nCreate("k2", "p", rsa, key, 0),
				nCreate("k3", "p", rsa, key, ksp.NCRYPT_OVERWRITE_KEY_FLAG), nFinalize("k3"), nDelete("o1"), nDelete("k3"), nDelete("k3"),
				nCreate("e", "p", strp("ECDSA_P256"), nil, 0), nFinalize("e"), nDelete("e"), nDelete("k"), nFree("p")}},
		{Family: "KSP", Name: "NullAlgorithm", Covers: []string{"ksp.param.null"},
			Actions: []Action{nOpen("p", nil), nCreate("k", "p", nil, key, 0), {Op: OpNCreate, As: "k", H: "p", Provider: rsa, NullOut: true},
				nCreate("k", "p", strp("NOPE"), key, 0), nCreate("k", "p", rsa, key, 0x1000), nOpenKey("o", "p", nil, 0)}},
	}
}
