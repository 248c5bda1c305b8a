package conformance

import (
	"github.com/winsim/winsim/win32"
)

// The CryptoAPI family: contexts, keys and hashes.

// cspPropertyCovers are the ids the CSP property's oracle asserts at the
// default depth.
var cspPropertyCovers = []string{
	"csp.acquire.success-last-error", "csp.acquire.null-out", "csp.acquire.bad-prov-type", "csp.acquire.prov-type-not-def",
	"csp.acquire.keyset-not-def", "csp.acquire.prov-type-no-match", "csp.acquire.error-order", "csp.acquire.empty-provider",
	"csp.acquire.open-absent", "csp.acquire.newkeyset-exists", "csp.acquire.delete-zeroes-handle", "csp.acquire.verify-context",
	"csp.acquire.bad-flag-combination", "csp.acquire.machine-keyset", "csp.acquire.default-container", "csp.acquire.shared-store",
	"csp.acquire.delete-while-open",
	"csp.addref.count", "csp.addref.invalid-handle", "csp.addref.reserved-flags", "csp.addref.reserved-flags-wine",
	"csp.release.bad-flags-while-referenced", "csp.release.bad-flags-while-referenced-wine",
	"csp.release.invalid-handle", "csp.release.handle-before-flags", "csp.release.bad-flags-consumes", "csp.release.container-survives",
	"csp.objects.invalid-after-release", "csp.objects.survive-partial-release",
	"csp.key.destroyed", "csp.hash.bad-flags", "csp.alg.unsupported", "csp.key.user-key", ruleReleaseWithObjects,
	"csp.key.length", "csp.hash.ssl3-shamd5-no-data", "csp.key.length-base",
	"csp.hash.keyed", "csp.hash.keyed-needs-key",
}

// Action constructors for the CryptoAPI checks.

func acquire(as string, container, provider *string, typ, flags uint32) Action {
	return Action{Op: OpAcquire, As: as, Args: cspArgs{container: container, provider: provider, provType: typ, flags: flags}}
}
func addRef(h string) Action { return Action{Op: OpAddRef, H: h} }
func release(h string, flags uint32) Action {
	return Action{Op: OpRelease, H: h, Args: cspArgs{flags: flags}}
}
func genKey(as, h string, alg win32.ALG_ID) Action {
	return Action{Op: OpGenKey, As: as, H: h, Args: cspArgs{alg: alg}}
}
func userKey(as, h string, spec uint32) Action {
	return Action{Op: OpGetUserKey, As: as, H: h, Args: cspArgs{alg: win32.ALG_ID(spec)}}
}
func createHash(as, h string, alg win32.ALG_ID) Action {
	return Action{Op: OpCreateHash, As: as, H: h, Args: cspArgs{alg: alg, hashKey: RefNULL}}
}
func hashData(h string, flags uint32) Action {
	return Action{Op: OpHashData, H: h, Args: cspArgs{data: "abc", flags: flags}}
}
func destroyKey(h string) Action  { return Action{Op: OpDestroyKey, H: h} }
func destroyHash(h string) Action { return Action{Op: OpDestroyHash, H: h} }

const rsaFull = win32.PROV_RSA_FULL

func cspChecks() []Check {
	cont := strp("conformance")
	unknownProv := strp("Nonexistent Cryptographic Provider")
	base, aes := strp(win32.MS_DEF_PROV), strp(win32.MS_ENH_RSA_AES_PROV)
	return []Check{
		{Family: "CSP", Name: "AcquireErrorOrder", Covers: []string{"csp.acquire.error-order", "csp.acquire.bad-prov-type",
			"csp.acquire.keyset-not-def", "csp.acquire.prov-type-no-match", "csp.acquire.prov-type-not-def", "csp.acquire.null-out"},
			Actions: []Action{
				acquire("p", cont, unknownProv, 0, 0), acquire("p", cont, unknownProv, 1000, 0), acquire("p", cont, unknownProv, 999, 0),
				acquire("p", cont, base, 999, 0), acquire("p", cont, nil, 999, 0), acquire("p", cont, base, win32.PROV_RSA_AES, 0),
				{Op: OpAcquire, Args: cspArgs{container: cont, provType: rsaFull, nullOut: true}},
			}},
		{Family: "CSP", Name: "AcquireDispatch", Covers: []string{"csp.acquire.open-absent", "csp.acquire.newkeyset-exists",
			"csp.acquire.delete-zeroes-handle", "csp.acquire.verify-context", "csp.acquire.bad-flag-combination", "csp.acquire.success-last-error",
			"csp.acquire.empty-provider"},
			Actions: []Action{
				acquire("p1", cont, nil, rsaFull, 0), acquire("p1", cont, strp(""), rsaFull, win32.CRYPT_NEWKEYSET),
				acquire("p2", cont, nil, rsaFull, win32.CRYPT_NEWKEYSET), acquire("v", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT),
				acquire("v2", cont, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT), acquire("v3", strp(""), nil, rsaFull, win32.CRYPT_VERIFYCONTEXT|win32.CRYPT_NEWKEYSET),
				acquire("x", cont, nil, rsaFull, win32.CRYPT_NEWKEYSET|win32.CRYPT_DELETEKEYSET),
				acquire("x", cont, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT|win32.CRYPT_DELETEKEYSET),
				release("p1", 0), acquire("d", cont, nil, rsaFull, win32.CRYPT_DELETEKEYSET), acquire("d", cont, nil, rsaFull, win32.CRYPT_DELETEKEYSET),
				acquire("p1", cont, nil, rsaFull, 0), release("v", 0), release("v3", 0),
			}},
		{Family: "CSP", Name: "Stores", Covers: []string{"csp.acquire.machine-keyset", "csp.acquire.default-container",
			"csp.acquire.shared-store", "csp.acquire.delete-while-open"},
			Actions: []Action{
				acquire("m", cont, base, rsaFull, win32.CRYPT_NEWKEYSET|win32.CRYPT_MACHINE_KEYSET), acquire("u", cont, nil, rsaFull, 0),
				acquire("m2", cont, nil, rsaFull, win32.CRYPT_MACHINE_KEYSET), acquire("d", nil, nil, rsaFull, win32.CRYPT_NEWKEYSET),
				acquire("d2", strp(""), aes, win32.PROV_RSA_AES, 0), acquire("x", cont, nil, rsaFull, win32.CRYPT_MACHINE_KEYSET|win32.CRYPT_DELETEKEYSET),
				release("m", 0), release("m2", 0), release("d", 0), release("d2", 0),
			}},
		{Family: "CSP", Name: "AddRefRelease", Covers: []string{"csp.addref.count", "csp.addref.invalid-handle",
			"csp.release.invalid-handle", "csp.release.handle-before-flags", "csp.release.bad-flags-consumes",
			"csp.objects.survive-partial-release"},
			Actions: []Action{
				acquire("p", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT), addRef("p"), addRef("p"), genKey("k", "p", win32.CALG_RC4),
				release("p", 0), createHash("h", "p", win32.CALG_SHA1), hashData("h", 0), destroyHash("h"), destroyKey("k"),
				release("p", 0), release("p", 0xFFFFFFFF), addRef("p"), release("p", 0),
				release(RefNULL, 0), release(RefNULL, 0xFFFFFFFF), release(RefBogus, 0), addRef(RefNULL), addRef(RefBogus),
			}},
		{Family: "CSP", Name: "ReleaseFlagsWhileReferenced", Profiles: []string{"win8", "win7"},
			Covers:  []string{"csp.release.bad-flags-consumes", "csp.release.bad-flags-while-referenced"},
			Actions: releaseFlagsWhileReferenced()},
		{Family: "CSP", Name: "ReleaseFlagsWhileReferencedWine", Profiles: []string{"wine-8.0"},
			Covers:  []string{"csp.release.bad-flags-consumes", "csp.release.bad-flags-while-referenced-wine"},
			Actions: releaseFlagsWhileReferenced()},
		{Family: "CSP", Name: "DeletedWhileOpen", Profiles: []string{"win8", "win7"},
			Covers:  []string{"csp.acquire.delete-while-open", "csp.release.deleted-container-stays-deleted"},
			Actions: deletedWhileOpen(false)},
		{Family: "CSP", Name: "DeletedWhileOpenWine", Profiles: []string{"wine-8.0"},
			Covers:  []string{"csp.acquire.delete-while-open", "csp.release.restores-deleted-container-wine", "csp.key.user-key"},
			Actions: deletedWhileOpen(true)},
		{Family: "CSP", Name: "PairsShared", Profiles: []string{"win8", "win7"},
			Covers: []string{"csp.key.pairs-shared", "csp.key.user-key"}, Actions: pairsAcrossContexts(true)},
		{Family: "CSP", Name: "PairsPerContextWine", Profiles: []string{"wine-8.0"},
			Covers: []string{"csp.key.pairs-per-context-wine", "csp.key.user-key"}, Actions: pairsAcrossContexts(false)},
		{Family: "CSP", Name: "AddRefReserved", Profiles: []string{"win8", "win7"},
			Covers: []string{"csp.addref.reserved-flags"}, Actions: addRefReserved()},
		{Family: "CSP", Name: "AddRefReservedWine", Profiles: []string{"wine-8.0"},
			Covers: []string{"csp.addref.reserved-flags-wine", "csp.addref.count"}, Actions: addRefReserved()},
		{Family: "CSP", Name: "ObjectsDieWithContext", Covers: []string{"csp.objects.invalid-after-release", ruleReleaseWithObjects,
			"csp.key.destroyed", "csp.release.container-survives", "csp.key.user-key"},
			Actions: []Action{
				acquire("p", cont, nil, rsaFull, win32.CRYPT_NEWKEYSET), userKey("u", "p", win32.AT_SIGNATURE), genKey("k", "p", win32.AT_SIGNATURE),
				createHash("h", "p", win32.CALG_MD5), {Op: OpCreateHash, As: "hk", H: "p", Args: cspArgs{alg: win32.CALG_MD5, hashKey: "k"}},
				release("p", 0), destroyKey("k"), destroyHash("h"), hashData("hk", 0), genKey("k2", "p", win32.CALG_RC4),
				{Op: OpCreateHash, As: "h2", H: RefBogus, Args: cspArgs{alg: win32.CALG_MD5, hashKey: RefNULL}}, destroyKey(RefNULL), destroyHash(RefNULL),
				acquire("p2", cont, nil, rsaFull, 0), userKey("u2", "p2", win32.AT_SIGNATURE), userKey("u3", "p2", win32.AT_KEYEXCHANGE),
				destroyKey("u2"), destroyKey("u2"), release("p2", 0),
			}},
		{Family: "CSP", Name: "AlgorithmsAndFlags", Covers: []string{"csp.alg.unsupported", "csp.hash.bad-flags"},
			Actions: []Action{
				acquire("b", nil, base, rsaFull, win32.CRYPT_VERIFYCONTEXT), acquire("a", nil, aes, win32.PROV_RSA_AES, win32.CRYPT_VERIFYCONTEXT),
				genKey("k1", "b", win32.CALG_3DES), genKey("k2", "b", win32.CALG_AES_128), genKey("k3", "a", win32.CALG_AES_128),
				createHash("h1", "b", win32.CALG_SHA_256), createHash("h2", "a", win32.CALG_SHA_256), createHash("h3", "a", win32.CALG_RC4),
				{Op: OpCreateHash, As: "h4", H: "a", Args: cspArgs{alg: win32.CALG_SHA1, hashKey: RefNULL, flags: 1}},
				hashData("h2", win32.CRYPT_USERDATA), hashData("h2", 2),
				destroyKey("k3"), destroyHash("h2"), release("a", 0), release("b", 0),
			}},
		{Family: "CSP", Name: "KeyedHashes", Covers: []string{"csp.hash.keyed", "csp.hash.keyed-needs-key", "csp.hash.mac-block-cipher"},
			Actions: []Action{
				acquire("p", nil, base, rsaFull, win32.CRYPT_VERIFYCONTEXT), genKey("rc2", "p", win32.CALG_RC2), genKey("rc4", "p", win32.CALG_RC4),
				createHash("x", "p", win32.CALG_HMAC), createHash("y", "p", win32.CALG_MAC),
				{Op: OpCreateHash, As: "hmac", H: "p", Args: cspArgs{alg: win32.CALG_HMAC, hashKey: "rc4"}},
				{Op: OpCreateHash, As: "mac", H: "p", Args: cspArgs{alg: win32.CALG_MAC, hashKey: "rc2"}},
				{Op: OpCreateHash, As: "z", H: "p", Args: cspArgs{alg: win32.CALG_MAC, hashKey: "rc4"}},
				hashData("hmac", 0), hashData("mac", 0), destroyHash("hmac"), destroyHash("mac"), hashData("mac", 0),
				destroyKey("rc2"), destroyKey("rc4"), release("p", 0),
			}},
		{Family: "CSP", Name: "BaseKeyLengths", Covers: []string{"csp.key.length", "csp.key.length-base"},
			Actions: []Action{
				acquire("b", nil, base, rsaFull, win32.CRYPT_VERIFYCONTEXT), acquire("s", nil, strp(win32.MS_STRONG_PROV), rsaFull, win32.CRYPT_VERIFYCONTEXT),
				{Op: OpGenKey, As: "b1", H: "b", Args: cspArgs{alg: win32.CALG_RC4, flags: 56 << 16}}, {Op: OpGenKey, As: "b2", H: "b", Args: cspArgs{alg: win32.CALG_RC4, flags: 64 << 16}},
				{Op: OpGenKey, As: "b3", H: "b", Args: cspArgs{alg: win32.CALG_RC2, flags: 128 << 16}}, {Op: OpGenKey, As: "b4", H: "b", Args: cspArgs{alg: win32.AT_KEYEXCHANGE, flags: 1024 << 16}},
				{Op: OpGenKey, As: "b5", H: "b", Args: cspArgs{alg: win32.AT_KEYEXCHANGE, flags: 2048 << 16}},
				{Op: OpGenKey, As: "s1", H: "s", Args: cspArgs{alg: win32.CALG_RC2, flags: 128 << 16}}, {Op: OpGenKey, As: "s2", H: "s", Args: cspArgs{alg: win32.CALG_RSA_KEYX, flags: 2048 << 16}},
				destroyKey("b1"), destroyKey("b4"), destroyKey("s1"), destroyKey("s2"), release("b", 0), release("s", 0),
			}},
	}
}

func releaseFlagsWhileReferenced() []Action {
	return []Action{
		acquire("p", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT), addRef("p"), release("p", 1), release("p", 0), addRef("p"),
		acquire("q", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT), addRef("q"), release("q", 1), release("q", 1),
	}
}

// deletedWhileOpen deletes a container under an open context that made a
// key pair in it, releases the context, and opens the name again: where
// the profile brings the container back (restored), the key pair is in it.
func deletedWhileOpen(restored bool) []Action {
	c := strp("deleted_while_open")
	as := []Action{
		acquire("p", c, nil, rsaFull, win32.CRYPT_NEWKEYSET), genKey("k", "p", win32.AT_SIGNATURE), destroyKey("k"),
		acquire("d", c, nil, rsaFull, win32.CRYPT_DELETEKEYSET), acquire("x", c, nil, rsaFull, 0),
		release("p", 0), acquire("q", c, nil, rsaFull, 0),
	}
	if restored {
		as = append(as, userKey("u", "q", win32.AT_SIGNATURE), destroyKey("u"), release("q", 0),
			acquire("d2", c, nil, rsaFull, win32.CRYPT_DELETEKEYSET))
	}
	return as
}

// pairsAcrossContexts generates a key pair through one of two contexts on
// a container and looks for it through the other, through one acquired
// before the first's release and one acquired after. Where contexts share
// the container (shared), every lookup finds it; where each has its own
// copy, only the context acquired after the release does.
func pairsAcrossContexts(shared bool) []Action {
	c := strp("pairs_across")
	as := []Action{
		acquire("one", c, nil, rsaFull, win32.CRYPT_NEWKEYSET), acquire("two", c, nil, rsaFull, 0),
		genKey("k", "one", win32.AT_KEYEXCHANGE), destroyKey("k"), userKey("u2", "two", win32.AT_KEYEXCHANGE),
	}
	if shared {
		as = append(as, destroyKey("u2"))
	}
	as = append(as, release("one", 0), acquire("three", c, nil, rsaFull, 0), userKey("u3", "three", win32.AT_KEYEXCHANGE),
		destroyKey("u3"), userKey("u2b", "two", win32.AT_KEYEXCHANGE))
	if shared {
		as = append(as, destroyKey("u2b"))
	}
	return append(as, release("three", 0), release("two", 0), acquire("d", c, nil, rsaFull, win32.CRYPT_DELETEKEYSET))
}

func addRefReserved() []Action {
	return []Action{
		acquire("p", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT), {Op: OpAddRef, H: "p", Args: cspArgs{reserved: true}}, {Op: OpAddRef, H: "p", Args: cspArgs{flags: 1}},
		release("p", 0), addRef("p"), release("p", 0), release("p", 0), release("p", 0),
	}
}
