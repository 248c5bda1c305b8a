package ksp

import "github.com/winsim/winsim/sim"

// Sources cited by the rules.
const (
	srcNotifyDoc    = "DOC NCryptNotifyChangeKey"
	srcOpenProvDoc  = "DOC NCryptOpenStorageProvider"
	srcFreeDoc      = "DOC NCryptFreeObject"
	srcCreateDoc    = "DOC NCryptCreatePersistedKey"
	srcFinalizeDoc  = "DOC NCryptFinalizeKey"
	srcOpenKeyDoc   = "DOC NCryptOpenKey"
	srcDeleteDoc    = "DOC NCryptDeleteKey"
	srcSetPropDoc   = "DOC NCryptSetProperty"
	srcKeyStorage   = "DOC CNG Key Storage and Retrieval"
	srcWineNCrypt   = "WT wine dlls/ncrypt/tests/ncrypt.c"
	srcSampleKSP    = "Microsoft CNG sample KSP (SampleKSPNotifyChangeKey returns NTE_NOT_SUPPORTED)"
	srcAcquireDoc   = "DOC CryptAcquireContext"
	srcReleaseDoc   = "DOC CryptReleaseContext"
	srcAddRefDoc    = "DOC CryptContextAddRef"
	srcWineAcquire  = "WT wine dlls/advapi32/tests/crypt.c test_acquire_context"
	srcWineRelease  = "WT wine dlls/advapi32/tests/crypt.c test_CryptReleaseContext"
	srcWineMisuse   = "WT wine dlls/advapi32/tests/crypt.c test_incorrect_api_usage"
	srcWineRsaenh   = "WI wine dlls/rsaenh/rsaenh.c"
	srcWineAdvapi   = "WI wine dlls/advapi32/crypt.c"
	srcWineMeasured = "measured under Wine 8.0"
	srcWineMain     = "WI wine dlls/ncrypt/main.c"
	srcModelChoice  = "model choice"
)

// The contract rules: caller mistakes the documentation warns about. The
// models report them as sim.Violation values naming the rule.
var (
	// RuleServiceStart: NCrypt key-storage calls from a starting service.
	RuleServiceStart = sim.Rule{ID: "ksp.contract.service-start", Status: sim.Modeled,
		Statement: "a service must not call NCrypt key-storage functions from its ServiceMain before it reports SERVICE_RUNNING: the call can deadlock",
		Source:    srcNotifyDoc + " (remarks; the same remark is on every NCrypt key-storage function)"}
	// RuleReleaseWithObjects: keys and hashes left alive at the final
	// CryptReleaseContext.
	RuleReleaseWithObjects = sim.Rule{ID: "csp.contract.release-with-objects", Status: sim.Modeled,
		Statement: "keys and hashes created from a context must be destroyed before its final CryptReleaseContext, which invalidates them",
		Source:    srcReleaseDoc + " (remarks)"}
)

// Rules is the KSP and CryptoAPI part of the behavior catalog.
func Rules() []sim.Rule {
	r := func(id string, status sim.Status, statement, source string) sim.Rule {
		return sim.Rule{ID: id, Status: status, Statement: statement, Source: source}
	}
	const (
		M  = sim.Modeled
		MC = sim.ModelChoice
		FI = sim.FaultInjection
	)
	return []sim.Rule{
		// NCryptOpenStorageProvider and NCryptFreeObject.
		r("ksp.open.default", M, "NCryptOpenStorageProvider with a NULL name opens the default provider, MS_KEY_STORAGE_PROVIDER", srcOpenProvDoc+"; "+srcWineNCrypt),
		r("ksp.open.unknown-name", MC, "a provider name that is not registered gives NTE_PROV_DLL_NOT_FOUND (the documentation names no code)", srcModelChoice+"; "+srcOpenProvDoc).Decided(settingAnyProviderName.ID),
		r("ksp.open.unknown-name-wine", M, "Wine 8.0 opens a working provider for any name", srcWineMeasured),
		r("ksp.handle.invalid", M, "NCrypt calls given NULL, a never-issued value, a freed handle or a handle of the wrong kind return NTE_INVALID_HANDLE", srcWineNCrypt+"; "+srcFreeDoc),
		r("ksp.handle.provider-kind", M, "NCryptCreatePersistedKey and NCryptIsAlgSupported given a live key handle where the provider handle belongs return NTE_INVALID_HANDLE and make no key", srcCreateDoc+" (hProvider is the key storage provider's handle)"),
		r("ksp.handle.provider-kind-wine", M, "Wine 8.0's NCryptCreatePersistedKey and NCryptIsAlgSupported refuse only a NULL provider handle: a key handle in its place works as one, and the key made through it can be finalized", srcWineMeasured+"; "+srcWineMain),
		r("ksp.flags.bad", M, "a flag the function does not define gives NTE_BAD_FLAGS (NCryptOpenStorageProvider defines none); the handle is checked first", srcOpenProvDoc+"; "+srcCreateDoc+"; "+srcFinalizeDoc+"; "+srcOpenKeyDoc+"; "+srcDeleteDoc+"; "+srcSetPropDoc),
		r("ksp.flags.ignored-wine", M, "Wine 8.0 ignores dwFlags in NCryptOpenStorageProvider, NCryptCreatePersistedKey, NCryptFinalizeKey and NCryptSetProperty: flags Windows refuses are accepted", srcWineMeasured+"; "+srcWineMain),
		r("ksp.param.null", M, "a NULL output pointer, key name (NCryptOpenKey) or property name gives NTE_INVALID_PARAMETER", srcOpenProvDoc+"; "+srcOpenKeyDoc+"; "+srcSetPropDoc),
		r("ksp.free.provider-and-key", M, "NCryptFreeObject frees provider and key handles; freeing one twice gives NTE_INVALID_HANDLE", srcFreeDoc+"; "+srcWineNCrypt+"; "+srcWineMeasured),
		r("ksp.free.not-ncrypt-handle", MC, "NCrypt handles are not kernel handles: CloseHandle refuses them with ERROR_INVALID_HANDLE, and NCryptFreeObject refuses a kernel handle with NTE_INVALID_HANDLE", srcModelChoice+"; "+srcFreeDoc),
		r("ksp.fault.no-memory", FI, "NTE_NO_MEMORY from NCryptOpenStorageProvider, NCryptCreatePersistedKey and NCryptOpenKey: the model never runs out of memory", srcOpenProvDoc+"; "+srcCreateDoc+"; "+srcOpenKeyDoc),
		// Key lifecycle.
		r("ksp.is-alg-supported", M, "NCryptIsAlgSupported accepts NCRYPT_SILENT_FLAG, gives NTE_BAD_FLAGS for other flags (0x14), NTE_NOT_SUPPORTED for an algorithm the provider lacks, and for a NULL one the code NCryptCreatePersistedKey gives", srcWineNCrypt+"; DOC NCryptIsAlgSupported"),
		r("ksp.is-alg.symmetric", M, "from Windows 8 on, NCryptIsAlgSupported reports the symmetric ciphers 3DES and AES supported (ERROR_SUCCESS)", srcWineNCrypt+":490, 494 test_NCryptIsAlgSupported"),
		r("ksp.is-alg.symmetric-win7", M, "Windows 7 (the win7 profile): NCryptIsAlgSupported gives NTE_NOT_SUPPORTED for 3DES and AES", srcWineNCrypt+":490, 494 test_NCryptIsAlgSupported (broken() for Windows 7)"),
		r("ksp.create.null-alg", M, "a NULL algorithm name gives HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER) 0x800706F4", srcWineNCrypt),
		r("ksp.create.null-alg-win7", M, "Windows 7 answers a NULL algorithm name with NTE_FAIL", srcWineNCrypt+" (broken() for Windows 7)"),
		r("ksp.create.aes", M, "Windows 8 and later create AES keys (setting ksp.create.aes-keys); Windows 7 and Wine 8.0 give NTE_NOT_SUPPORTED", srcWineNCrypt+":301, 303 (broken() for Windows 7; todo_wine)"),
		r("ksp.create.rsa-only-wine", M, "Wine 8.0 creates RSA keys only: NCryptCreatePersistedKey of any other algorithm, ECDSA_P256 included, gives NTE_NOT_SUPPORTED", srcWineMeasured+"; "+srcWineMain+" NCryptCreatePersistedKey"),
		r("ksp.create.unknown-alg", MC, "an algorithm the provider cannot persist gives NTE_NOT_SUPPORTED", srcModelChoice+"; "+srcCreateDoc),
		r("ksp.create.ephemeral", M, "a NULL key name creates an ephemeral key: it finalizes, but nothing is stored and no name opens it", srcCreateDoc+"; "+srcWineNCrypt),
		r("ksp.create.not-persisted-until-finalized", M, "a new named key is not in the store until NCryptFinalizeKey: NCryptOpenKey gives NTE_BAD_KEYSET before, succeeds after", srcCreateDoc+"; "+srcFinalizeDoc),
		r("ksp.create.exists", M, "creating a name that is already stored, without NCRYPT_OVERWRITE_KEY_FLAG, gives NTE_EXISTS", srcCreateDoc+"; "+srcWineNCrypt),
		r("ksp.create.no-collision-wine", M, "Wine 8.0 stores no key, so a name is never taken: creating a key under the name of a finalized one, and finalizing a second key of one name, succeed without NCRYPT_OVERWRITE_KEY_FLAG", srcWineMeasured+"; "+srcWineMain+" NCryptCreatePersistedKey (persistent keys not supported)"),
		r("ksp.create.overwrite", M, "with NCRYPT_OVERWRITE_KEY_FLAG an existing name is accepted and the new key replaces the old one when finalized", srcCreateDoc),
		{ID: "ksp.key.unfinalized-unusable", Status: sim.OutOfScope, Source: srcCreateDoc + "; " + srcWineNCrypt,
			Statement: "a key cannot be used before NCryptFinalizeKey: NCryptEncrypt on it gives NTE_BAD_KEY_STATE",
			Reason:    "the model stores keys and watches the store; it has no cryptographic operations (NCryptEncrypt, NCryptSignHash, ...)"},
		r("ksp.finalize.twice", M, "finalizing a key that is already finalized, or one opened with NCryptOpenKey, gives NTE_INVALID_HANDLE", srcWineNCrypt),
		r("ksp.finalize.name-taken", MC, "finalizing a named key whose name was stored by another key since it was created, without NCRYPT_OVERWRITE_KEY_FLAG, gives NTE_EXISTS and leaves it unfinalized", srcModelChoice+"; "+srcCreateDoc),
		r("ksp.open-key.not-supported-wine", M, "Wine 8.0's NCryptOpenKey is a stub: it gives NTE_NOT_SUPPORTED whatever the name, store or flags, and writes nothing through phKey", srcWineMeasured+"; "+srcWineMain+" NCryptOpenKey"),
		r("ksp.open-key.absent", M, "NCryptOpenKey of a name that is not stored gives NTE_BAD_KEYSET", srcOpenKeyDoc+"; "+srcWineNCrypt),
		r("ksp.store.user-machine", M, "the caller's user store and the machine store (NCRYPT_MACHINE_KEY_FLAG) are separate: a key stored in one is not found in the other", srcCreateDoc+"; "+srcOpenKeyDoc+"; "+srcKeyStorage),
		r("ksp.delete.frees-handle", M, "NCryptDeleteKey removes the stored key and frees the handle: NCryptFreeObject on it afterwards gives NTE_INVALID_HANDLE", srcDeleteDoc+"; "+srcWineNCrypt),
		r("ksp.delete.not-supported-wine", M, "Wine 8.0's NCryptDeleteKey is a stub: it gives NTE_NOT_SUPPORTED whatever the key or flags, and the handle stays valid (NCryptFreeObject frees it)", srcWineMeasured+"; "+srcWineMain+" NCryptDeleteKey"),
		r("ksp.delete.failure-keeps-handle", MC, "a failed NCryptDeleteKey (bad flags) leaves the handle valid and the key stored", srcModelChoice+"; "+srcDeleteDoc),
		r("ksp.delete.already-deleted", MC, "a handle whose stored key was deleted or replaced through another handle answers NCryptDeleteKey and a persisted NCryptSetProperty with NTE_BAD_KEYSET, and stays valid", srcModelChoice),
		r("ksp.delete.unpersisted", MC, "NCryptDeleteKey on an ephemeral or unfinalized key frees the handle and changes no store", srcModelChoice+"; "+srcDeleteDoc),
		r("ksp.property.read-only-name", M, "setting NCRYPT_NAME_PROPERTY gives NTE_NOT_SUPPORTED", srcWineNCrypt+" (todo_wine)"),
		r("ksp.property.any-name-wine", M, "Wine 8.0's NCryptSetProperty sets any property name, NCRYPT_NAME_PROPERTY and unknown names without NCRYPT_PERSIST_FLAG included, on keys and providers", srcWineMeasured+"; "+srcWineMain+" NCryptSetProperty; "+srcWineNCrypt+" (todo_wine)"),
		r("ksp.property.unknown", M, "setting a property the provider does not know gives NTE_NOT_SUPPORTED, unless NCRYPT_PERSIST_FLAG asks to store it as a custom property", srcWineNCrypt+" (todo_wine); "+srcSetPropDoc),
		// NCryptNotifyChangeKey.
		r("ksp.notify.register", M, "NCRYPT_REGISTER_NOTIFY_FLAG writes a new waitable change handle through phEvent, unsignaled", srcNotifyDoc),
		r("ksp.notify.unregister", M, "NCRYPT_UNREGISTER_NOTIFY_FLAG closes the handle in *phEvent and writes INVALID_HANDLE_VALUE there; waits on the old value then fail", srcNotifyDoc),
		r("ksp.notify.machine-flag-register-only", M, "NCRYPT_MACHINE_KEY_FLAG together with NCRYPT_UNREGISTER_NOTIFY_FLAG gives NTE_BAD_FLAGS", srcNotifyDoc),
		r("ksp.notify.bad-flags", MC, "unknown flag bits, both REGISTER and UNREGISTER, or neither give NTE_BAD_FLAGS", srcModelChoice+"; "+srcNotifyDoc),
		r("ksp.notify.silent-tolerated", MC, "NCRYPT_SILENT_FLAG is accepted alongside REGISTER or UNREGISTER, as elsewhere in NCrypt", srcModelChoice),
		r("ksp.notify.invalid-handle", M, "an invalid provider handle gives NTE_INVALID_HANDLE", srcNotifyDoc),
		r("ksp.notify.invalid-parameter", M, "a NULL phEvent, or UNREGISTER with a value that is not a live change handle of this provider, gives NTE_INVALID_PARAMETER", srcNotifyDoc+"; "+srcModelChoice+" (what counts as not live)"),
		r("ksp.notify.validation-order", MC, "the provider handle is checked first, then the flags, then phEvent: a call wrong in several ways gets the earliest code", srcModelChoice+" (undocumented order)"),
		r("ksp.notify.not-supported", M, "a provider without change notification (the CNG sample KSP and KSPs derived from it) answers NTE_NOT_SUPPORTED once the provider handle is valid, whatever the flags", srcSampleKSP),
		r("ksp.notify.store-scope", M, "a registration watches the caller's user store, or with NCRYPT_MACHINE_KEY_FLAG the machine store, of that provider only", srcNotifyDoc),
		r("ksp.notify.triggers", MC, "the store changes that signal are: a named key finalized, a stored key deleted, a property persisted (NCRYPT_PERSIST_FLAG) on a stored key; opening, freeing and unpersisted properties do not", srcModelChoice+" (the documentation does not say what a key change is); "+srcKeyStorage),
		r("ksp.notify.ephemeral-silent", MC, "ephemeral keys never touch the store, so creating, finalizing or deleting one signals nothing", srcModelChoice+" (inferred from "+srcCreateDoc+")"),
		r("ksp.notify.change-handle", MC, "the handle behaves as a FindFirstChangeNotification handle: it stays signaled until FindNextChangeNotification, and changes made meanwhile coalesce into one more signal", srcModelChoice+"; "+srcNotifyDoc+" (\"the same handle that FindFirstChangeNotification returns\")"),
		r("ksp.notify.closed-by-findclose", MC, "FindCloseChangeNotification (or CloseHandle) on the change handle ends the registration: UNREGISTER with it then gives NTE_INVALID_PARAMETER", srcModelChoice+"; "+srcNotifyDoc),
		RuleServiceStart,

		// CryptAcquireContext.
		r("csp.acquire.success-last-error", M, "after a successful call GetLastError holds nothing meaningful (0, the old value, or strays such as ERROR_ENVVAR_NOT_FOUND, NTE_FAIL, ERROR_NOT_LOGGED_ON): a TRUE return is reported as ERROR_SUCCESS without reading it", srcWineAcquire),
		r("csp.acquire.null-out", M, "a NULL phProv with a provider type in 1..999 gives ERROR_INVALID_PARAMETER before the provider is looked up (Windows 2000 returned TRUE)", "WT wine dlls/rsaenh/tests/rsaenh.c:3216 test_null_provider (ERROR_INVALID_PARAMETER or NTE_BAD_KEYSET); "+srcWineAcquire+" (disabled check)"),
		r("csp.acquire.null-out-after-type", M, "the provider type is checked before phProv: a NULL phProv with a type outside 1..999 gives NTE_BAD_PROV_TYPE", "WT wine dlls/rsaenh/tests/rsaenh.c:3213 test_null_provider; "+srcWineAdvapi+" CryptAcquireContextW"),
		r("csp.acquire.bad-prov-type", M, "a provider type outside 1..999 gives NTE_BAD_PROV_TYPE", srcWineAcquire),
		r("csp.acquire.prov-type-not-def", M, "a type with no default provider (999), and no provider named, gives NTE_PROV_TYPE_NOT_DEF", srcWineAcquire),
		r("csp.acquire.keyset-not-def", M, "a provider name that is not registered gives NTE_KEYSET_NOT_DEF", srcWineAcquire),
		r("csp.acquire.prov-type-no-match", M, "a registered provider asked for with another type gives NTE_PROV_TYPE_NO_MATCH", srcWineAcquire),
		r("csp.acquire.error-order", M, "the provider type is checked before the provider name, and the name before the type match", srcWineAcquire+" (order of XP's rsaenh)"),
		r("csp.acquire.empty-provider", M, "an empty provider name means the default provider of the type, like NULL", srcWineAcquire),
		r("csp.acquire.open-absent", M, "opening (no dispatch flag) a container that does not exist gives NTE_BAD_KEYSET", srcAcquireDoc+"; "+srcWineRsaenh+" CPAcquireContext"),
		r("csp.acquire.newkeyset-exists", M, "CRYPT_NEWKEYSET on an existing container gives NTE_EXISTS", srcAcquireDoc+"; "+srcWineRsaenh+" CPAcquireContext"),
		r("csp.acquire.delete-zeroes-handle", M, "CRYPT_DELETEKEYSET deletes the container, sets *phProv to 0 and leaves no context to release", srcAcquireDoc+"; "+srcWineMisuse),
		r("csp.acquire.verify-context", M, "CRYPT_VERIFYCONTEXT (alone or with NEWKEYSET) needs a NULL or empty container name, else NTE_BAD_FLAGS; its key pairs are never stored", srcAcquireDoc+"; "+srcWineRsaenh+" CPAcquireContext"),
		r("csp.acquire.bad-flag-combination", M, "other combinations of NEWKEYSET, DELETEKEYSET and VERIFYCONTEXT give NTE_BAD_FLAGS", srcWineRsaenh+" CPAcquireContext"),
		r("csp.acquire.machine-keyset", M, "containers made with CRYPT_MACHINE_KEYSET live in the machine store, and only calls with the flag find them", srcAcquireDoc),
		r("csp.acquire.default-container", MC, "a NULL or empty container name opens the user's default container, named after the user", srcModelChoice+" (the documentation's per-call container is uncertain); "+srcWineRsaenh+" CPAcquireContext"),
		r("csp.acquire.shared-store", M, "the Microsoft RSA providers (Base, Strong, Enhanced, RSA and AES) keep containers in one store: a container made through one is found through the others", srcWineMisuse+" (created with MS_DEF_PROV, deleted through the type's default)"),
		r("csp.acquire.delete-while-open", M, "the Microsoft providers delete a container while a context on it is open, and that context's release still succeeds", srcWineMisuse),
		r("csp.acquire.delete-busy", MC, "a CSP registered as refusing busy containers answers CRYPT_DELETEKEYSET with ERROR_BUSY while a context on the container is open (a provider option, never the default)", srcModelChoice+"; "+srcAcquireDoc+" (ERROR_BUSY, \"some CSPs\")"),
		{ID: "csp.acquire.schannel", Status: sim.OutOfScope, Source: "WT wine dlls/rsaenh/tests/rsaenh.c:2931, :2936 test_schannel_provider; DOC Microsoft RSA/Schannel Cryptographic Provider",
			Statement: "PROV_RSA_SCHANNEL (12) has a provider, MS_DEF_RSA_SCHANNEL_PROV: CryptAcquireContext with CRYPT_VERIFYCONTEXT for the type succeeds",
			Reason:    "the model registers no Schannel provider and implements none of its algorithms (the SSL/TLS master keys and hashes need CryptImportKey and CryptDeriveKey); the model backend declines a CryptAcquireContext for the type or the name, which would otherwise get the answer of a type or name without a provider"},
		r("csp.acquire.silent-context", FI, "NTE_SILENT_CONTEXT: the model's providers never need to show UI", srcAcquireDoc),
		r("csp.acquire.provider-faults", FI, "NTE_PROV_TYPE_ENTRY_BAD, NTE_KEYSET_ENTRY_BAD, NTE_PROV_DLL_NOT_FOUND, NTE_PROVIDER_DLL_FAIL, NTE_SIGNATURE_FILE_BAD, NTE_BAD_SIGNATURE: the model's providers are always registered and loadable", srcAcquireDoc),
		r("csp.acquire.container-faults", FI, "NTE_BAD_KEYSET_PARAM, NTE_BAD_KEY_STATE: the model's containers are never damaged", srcAcquireDoc),
		r("csp.acquire.environment-faults", FI, "ERROR_FILE_NOT_FOUND (user profile not loaded) and ERROR_NOT_ENOUGH_MEMORY: the model's user always has a profile and memory", srcAcquireDoc),
		// CryptContextAddRef.
		r("csp.addref.count", M, "each CryptContextAddRef needs one more CryptReleaseContext: the context and its keys work until the last one", srcAddRefDoc+"; "+srcWineMeasured),
		r("csp.addref.invalid-handle", M, "CryptContextAddRef on NULL, a never-issued value or a released context gives ERROR_INVALID_PARAMETER", srcWineRelease+"; "+srcWineMeasured),
		r("csp.addref.reserved-flags", MC, "a non-NULL pdwReserved or nonzero dwFlags gives ERROR_INVALID_PARAMETER and adds no reference", srcModelChoice+"; "+srcAddRefDoc).Decided(settingAddRefChecksReserved.ID),
		r("csp.addref.reserved-flags-wine", M, "Wine 8.0 ignores pdwReserved and dwFlags and adds the reference", srcWineMeasured),
		// CryptReleaseContext.
		r("csp.release.invalid-handle", M, "releasing NULL, a never-issued value or an already released context gives ERROR_INVALID_PARAMETER, never NTE_BAD_UID or ERROR_INVALID_HANDLE", srcWineRelease+"; "+srcWineMisuse+"; "+srcWineMeasured),
		r("csp.release.handle-before-flags", M, "the handle is checked before the flags: CryptReleaseContext(0, ~0) gives ERROR_INVALID_PARAMETER", srcWineRelease),
		r("csp.release.bad-flags-consumes", M, "nonzero flags give NTE_BAD_FLAGS and still consume the reference: the last one frees the context", srcReleaseDoc+"; "+srcWineRelease+"; "+srcWineMeasured),
		r("csp.release.bad-flags-while-referenced", MC, "nonzero flags while other references remain consume one reference and give NTE_BAD_FLAGS", srcModelChoice+"; "+srcReleaseDoc).Decided(settingReleaseFlagsWhileReferenced.ID),
		r("csp.release.bad-flags-while-referenced-wine", M, "Wine consumes the reference and succeeds when nonzero flags are given while other references remain", srcWineAdvapi+" CryptReleaseContext"),
		r("csp.release.container-survives", M, "releasing a context destroys neither its container nor the container's key pairs", srcReleaseDoc),
		r("csp.release.deleted-container-stays-deleted", MC, "a container deleted while a context on it was open stays deleted when that context is released", srcModelChoice+"; "+srcAcquireDoc+" (CRYPT_DELETEKEYSET)").Decided(settingContainerPerContext.ID),
		r("csp.release.restores-deleted-container-wine", M, "Wine's final release of a context on a deleted container stores the container again, with the context's key pairs", srcWineMeasured+"; "+srcWineRsaenh+" destroy_key_container"),
		r("csp.key.pairs-shared", MC, "a key pair generated through one context is in the container at once, and every context on the container finds it", srcModelChoice+"; DOC CryptGenKey (the pair is kept in the key container)").Decided(settingContainerPerContext.ID),
		r("csp.key.pairs-per-context-wine", M, "under Wine each context sees its container's key pairs as they were stored when it was acquired, plus those it generates: a pair generated through one context reaches the other contexts' view only through the store, at that context's final release, and only for contexts acquired after", srcWineMeasured+"; "+srcWineRsaenh+" new_key_container, destroy_key_container"),
		r("csp.release.busy", FI, "ERROR_BUSY (the context is in use by another process): the model has no cross-process contexts", srcReleaseDoc),
		r("csp.release.fault-invalid-handle", FI, "ERROR_INVALID_HANDLE: real Windows reports bad handles as ERROR_INVALID_PARAMETER", srcReleaseDoc+"; "+srcWineRelease),
		r("csp.release.bad-uid", FI, "NTE_BAD_UID: a CSP-internal failure never seen in these paths on Windows", srcReleaseDoc+"; "+srcWineRelease),
		// Keys and hashes.
		r("csp.objects.invalid-after-release", M, "after the final release every call on the context, its keys and its hashes (destroy included) gives ERROR_INVALID_PARAMETER", srcReleaseDoc+"; "+srcWineMisuse+"; "+srcWineMeasured),
		r("csp.objects.survive-partial-release", M, "keys and hashes stay usable while the context keeps a reference", srcAddRefDoc+"; "+srcReleaseDoc),
		{ID: "csp.objects.other-calls", Status: sim.OutOfScope, Source: srcWineMisuse,
			Statement: "the other calls on a released context and its objects (CryptGenRandom, CryptDeriveKey, Get/SetProvParam, CryptImportKey, CryptEncrypt, CryptDecrypt, CryptHashSessionKey, Get/SetHashParam, Get/SetKeyParam, CryptDuplicateHash/Key, CryptExportKey) give ERROR_INVALID_PARAMETER; CryptSignHashW and CryptVerifySignatureW give it or ERROR_CALL_NOT_IMPLEMENTED",
			Reason:    "the model implements the context, key and hash lifetimes (acquire, add-ref, release, gen-key, get-user-key, create/hash/destroy); it has no cryptographic operations, and no hash parameters (an HMAC's HMAC_INFO, set with CryptSetHashParam, included)"},
		r("csp.key.destroyed", M, "a destroyed key, CryptDestroyKey(0) and CryptDestroyHash(0) give ERROR_INVALID_PARAMETER", srcWineMisuse),
		r("csp.hash.bad-flags", M, "CryptCreateHash with nonzero flags gives NTE_BAD_FLAGS; CryptHashData accepts only CRYPT_USERDATA", srcWineRsaenh+" CPCreateHash/CPHashData; "+srcWineMeasured),
		r("csp.hash.not-a-hash", MC, "CryptCreateHash with an algorithm the provider has that is not a hash (a cipher or key-pair algorithm) gives NTE_BAD_ALGID", srcModelChoice+" (untested on Windows); DOC CryptCreateHash (Algid identifies a hash algorithm)").Decided(settingHashClassChecked.ID),
		r("csp.hash.not-a-hash-wine", M, "Wine 8.0 makes a hash object for any algorithm the provider lists, ciphers and key-pair algorithms included, and it takes data without error; AT_KEYEXCHANGE and AT_SIGNATURE, which are not in the list, give NTE_BAD_ALGID", srcWineMeasured+"; "+srcWineRsaenh+" CPCreateHash"),
		r("csp.hash.alg-before-flags", MC, "CryptCreateHash looks at the algorithm before the flags: an algorithm the provider lacks gives NTE_BAD_ALGID whatever the flags", srcModelChoice+" (untested on Windows); the order of "+srcWineRsaenh+" CPCreateHash").Decided(settingHashFlagsFirst.ID),
		r("csp.hash.flags-first-wine", M, "Wine 8.0's advapi32 refuses nonzero CryptCreateHash flags with NTE_BAD_FLAGS before the provider looks at the algorithm", srcWineMeasured+"; "+srcWineAdvapi+" CryptCreateHash"),
		r("csp.hash.keyed", M, "CALG_MAC and CALG_HMAC are hash algorithms of every Microsoft RSA provider: CryptCreateHash with a key makes the hash, which then takes data and is destroyed like any other hash", "WT wine dlls/rsaenh/tests/rsaenh.c:1823 test_hmac, :1871 test_mac (with keys CryptDeriveKey made); DOC Microsoft Base Cryptographic Provider (its algorithm list has CALG_MAC and CALG_HMAC)"),
		r("csp.hash.keyed-needs-key", M, "CryptCreateHash of CALG_MAC or CALG_HMAC without a key (hKey 0) gives NTE_BAD_KEY; the model checks the key after the algorithm and the flags, in the order of rsaenh's CPCreateHash", "WT wine dlls/rsaenh/tests/rsaenh.c:1846 test_hmac; "+srcWineRsaenh+" CPCreateHash (the order, inferred)"),
		r("csp.hash.mac-block-cipher", M, "CALG_MAC needs a block cipher's key (RC2, DES, 3DES, AES): with an RC4 key, or a key pair, CryptCreateHash gives NTE_BAD_KEY (Windows 2000 and older made the hash)", "WT wine dlls/rsaenh/tests/rsaenh.c:1942 test_mac (an RC4 key; broken() for the old systems); "+srcWineRsaenh+" CPCreateHash (key pairs, inferred)"),
		r("csp.hash.ssl3-shamd5-no-data", M, "the Microsoft RSA providers make CALG_SSL3_SHAMD5 hashes, whose value is set whole (CryptSetHashParam): CryptHashData on one gives NTE_BAD_ALGID (some Windows 8 builds gave ERROR_INVALID_HANDLE, which the test accepts as broken())", "WT wine dlls/rsaenh/tests/rsaenh.c:678, :681 test_hashes; "+srcWineRsaenh+" CPHashData"),
		r("csp.key.length", M, "CryptGenKey refuses a key length (upper 16 bits of dwFlags) the provider does not make keys of: one outside its range for the algorithm (RC2 above 128 bits on the RSA and AES provider) or not whole bytes fails, and a DES-family length other than the effective or the storage one too; the codes are rsaenh's (inferred): NTE_BAD_DATA for the range, NTE_BAD_FLAGS for the DES family, and the scenarios accept either, as Windows is only seen to fail", "WT wine dlls/rsaenh/tests/rsaenh.c:4073 test_rc2_import (the call fails, no code checked); "+srcWineRsaenh+" new_key (the codes, and the ranges of aProvEnumAlgsEx)"),
		r("csp.key.length-base", M, "the Base provider makes smaller keys than the others: RC2 and RC4 keys of at most 56 bits (the Strong and Enhanced ones 128) and key-exchange pairs of 384 to 1024 bits (the others up to 16384); a longer length fails", "DOC Microsoft Base Cryptographic Provider (key exchange 384 to 1024 bits; its RC2 and RC4 keys are given as 40 bits, while Windows was seen taking 56-bit RC2 and RC4 keys on the Base provider through CryptDeriveKey, WT wine dlls/rsaenh/tests/rsaenh.c:1532-1533, :1687-1688, so the model allows 56); "+srcWineRsaenh+" (aProvEnumAlgsEx, the Base personality)"),
		r("csp.alg.unsupported", M, "an algorithm the provider does not offer (AES or SHA-2 on the RSA full providers, 3DES on the Base provider) gives NTE_BAD_ALGID", srcWineRsaenh+" (aProvEnumAlgsEx)"),
		r("csp.key.user-key", M, "CryptGetUserKey gives NTE_NO_KEY until CryptGenKey makes the key pair; a pair made in a stored container is found again after release and re-acquire", "DOC CryptGetUserKey; "+srcReleaseDoc),
		RuleReleaseWithObjects,
	}
}
