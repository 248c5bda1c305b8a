package ksp

import "github.com/winsim/winsim/sim"

// The profile-dependent behaviors of the KSP and CryptoAPI models. Each is
// declared once, here, with its reason and source; Settings lists them for
// documentation.
var (
	// settingNullAlgCode: what NCryptCreatePersistedKey returns for a NULL
	// algorithm name.
	settingNullAlgCode = sim.Setting[sim.HResult]{
		ID:        "ksp.create.null-alg-code",
		Reason:    "a NULL pszAlgId fails in the RPC marshalling to the key isolation service, which Windows 8 and later report as HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER); Windows 7 returns NTE_FAIL",
		Source:    "WT wine dlls/ncrypt/tests/ncrypt.c (test_create_persisted_key, broken() for Windows 7)",
		Evidence:  sim.Evidence{Class: sim.Observed, Ref: "dlls/ncrypt/tests/ncrypt.c:272"},
		Default:   sim.HRESULT_RPC_X_NULL_REF_POINTER,
		ByProfile: map[string]sim.HResult{"win7": sim.NTE_FAIL},
	}
	// settingAnyProviderName: whether NCryptOpenStorageProvider opens any
	// name at all.
	settingAnyProviderName = sim.Setting[bool]{
		ID:        "ksp.open.any-name-accepted",
		Reason:    "Wine 8.0 opens a provider for any name and hands back a working handle; Windows opens only registered providers",
		Source:    "measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NCryptOpenStorageProvider page (pszProviderName): the name is the registered alias of the provider to load; the code for an unknown one is the model's"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingKeyStoreKept: whether the provider keeps a key store at all.
	settingKeyStoreKept = sim.Setting[bool]{
		ID:        "ksp.store.kept",
		Reason:    "Wine 8.0 persists nothing: NCryptOpenKey and NCryptDeleteKey are stubs that answer NTE_NOT_SUPPORTED whatever they are given (the delete leaves its handle valid), and as no key is ever stored a name is never found taken when a key is created or finalized; Windows keeps the user and machine stores",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptOpenKey and NCryptDeleteKey are FIXME stubs; NCryptCreatePersistedKey: \"Persistent keys are not supported\")",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "the CNG Key Storage and Retrieval page: persisted keys are kept in the user's or the machine's store; NCryptOpenKey and NCryptDeleteKey pages work on them by name"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingCreateRSAOnly: whether NCryptCreatePersistedKey makes RSA keys
	// only.
	settingCreateRSAOnly = sim.Setting[bool]{
		ID:        "ksp.create.rsa-only",
		Reason:    "Wine 8.0 generates RSA key pairs only and answers NTE_NOT_SUPPORTED for any other algorithm, ECDSA and ECDH included; the Microsoft KSP also persists DH, DSA, ECDH and ECDSA keys",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptCreatePersistedKey: \"Algorithm not handled\")",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "CNG algorithm identifiers: the Microsoft Software KSP persists DH, DSA, ECDH and ECDSA keys besides RSA (from Windows 8 also AES keys: setting ksp.create.aes-keys)"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingFlagsChecked: whether the key-storage calls refuse flags they
	// do not define.
	settingFlagsChecked = sim.Setting[bool]{
		ID:        "ksp.flags.checked",
		Reason:    "Wine 8.0 never looks at dwFlags in NCryptOpenStorageProvider, NCryptCreatePersistedKey, NCryptFinalizeKey and NCryptSetProperty, so flags Windows refuses with NTE_BAD_FLAGS are accepted (NCryptIsAlgSupported still checks its flags)",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (the flags are traced, or only reported with a FIXME, and ignored)",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NCryptOpenStorageProvider, NCryptCreatePersistedKey, NCryptFinalizeKey and NCryptSetProperty pages: NTE_BAD_FLAGS for an invalid dwFlags"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingPropertyNamesChecked: whether NCryptSetProperty refuses the
	// names it cannot set.
	settingPropertyNamesChecked = sim.Setting[bool]{
		ID:        "ksp.property.names-checked",
		Reason:    "Wine 8.0 adds any property name to the handle's list, read-only ones such as NCRYPT_NAME_PROPERTY and unknown ones without NCRYPT_PERSIST_FLAG included, where Windows answers NTE_NOT_SUPPORTED",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptSetProperty calls set_object_property for any name); WT wine dlls/ncrypt/tests/ncrypt.c (todo_wine)",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NCryptSetProperty page: NTE_NOT_SUPPORTED for a property the object does not support (dlls/ncrypt/tests/ncrypt.c:231 and :250 record it, under todo_wine)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingNotifyImplemented: whether NCryptNotifyChangeKey returns at all.
	settingNotifyImplemented = sim.Setting[bool]{
		ID:        "ksp.notify.implemented",
		Reason:    "Wine 8.0 declares NCryptNotifyChangeKey as an unimplemented stub: calling it aborts the whole process, so under that profile the call is unsupported",
		Source:    "WI wine dlls/ncrypt/ncrypt.spec (@ stub NCryptNotifyChangeKey); measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NCryptNotifyChangeKey page: the call creates and removes key change notifications"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingReleaseFlagsWhileReferenced: CryptReleaseContext with nonzero
	// flags on a context that keeps other references.
	settingReleaseFlagsWhileReferenced = sim.Setting[bool]{
		ID:        "csp.release.bad-flags-fail-while-referenced",
		Reason:    "untested on Windows: the documentation says nonzero flags fail with NTE_BAD_FLAGS and still release, so the model consumes the reference and fails; Wine only hands the flags to the CSP when the count reaches zero, so it consumes the reference and succeeds",
		Source:    "model choice; DOC CryptReleaseContext; WI wine dlls/advapi32/crypt.c CryptReleaseContext",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "CryptReleaseContext page: nonzero dwFlags make the call fail with NTE_BAD_FLAGS while the context is still released (observed for the last reference only, dlls/advapi32/tests/crypt.c:168)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingAddRefChecksReserved: CryptContextAddRef with a non-NULL
	// pdwReserved or nonzero dwFlags.
	settingAddRefChecksReserved = sim.Setting[bool]{
		ID:        "csp.addref.reserved-checked",
		Reason:    "the documentation requires pdwReserved NULL and dwFlags 0 and lists ERROR_INVALID_PARAMETER as the only error, which older Wine returned; Windows is untested, the model follows the documentation; Wine 8.0 ignores both",
		Source:    "model choice; DOC CryptContextAddRef; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "CryptContextAddRef page: pdwReserved must be NULL and dwFlags zero; ERROR_INVALID_PARAMETER is the error it lists"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingContainerPerContext: whether each context works on its own
	// copy of its container's key pairs, written back at its final release.
	settingContainerPerContext = sim.Setting[bool]{
		ID:        "csp.container.copy-per-context",
		Reason:    "Wine's rsaenh reads a named container's key pairs when a context is acquired and stores them when the context's last reference goes: a pair generated through one context is not seen by the other contexts on the container, nor by those acquired before that release, and the store recreates a container that CRYPT_DELETEKEYSET removed meanwhile; the model's Windows providers keep one container that every context sees, and a deleted container stays deleted, as the documentation of CryptGenKey and CRYPT_DELETEKEYSET reads (untested on Windows); Wine's copy per context follows rsaenh's design and could hold for Windows too; the win8 value stays the model's shared container, which the CryptGenKey page's wording (the pair is stored in the container) supports",
		Source:    "model choice; DOC CryptGenKey, CryptAcquireContext; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c (new_key_container reads the pairs, destroy_key_container stores them)",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "nothing known says whether a pair generated through one context is seen at once through another on the same container; the model keeps one container every context sees"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingHashClassChecked: whether CryptCreateHash refuses an algorithm
	// the provider has that is not a hash.
	settingHashClassChecked = sim.Setting[bool]{
		ID:        "csp.hash.class-checked",
		Reason:    "the documentation says Algid identifies a hash algorithm, and the model refuses a cipher or key-pair algorithm with NTE_BAD_ALGID (untested on Windows); Wine 8.0's rsaenh only looks the id up in the provider's algorithm list, so any algorithm the provider lists (CALG_RC4, CALG_AES_128, CALG_RSA_SIGN) makes a hash object that takes data without error, while AT_KEYEXCHANGE and AT_SIGNATURE, key specs that are not in the list, still give NTE_BAD_ALGID",
		Source:    "model choice; DOC CryptCreateHash; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c CPCreateHash",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "CryptCreateHash page (Algid): the algorithm identifies a hash algorithm; NTE_BAD_ALGID for one the provider cannot hash with"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingHashFlagsFirst: whether CryptCreateHash refuses nonzero flags
	// before it looks at the algorithm.
	settingHashFlagsFirst = sim.Setting[bool]{
		ID:        "csp.hash.flags-first",
		Reason:    "the model checks the algorithm before the flags, in the order of rsaenh's CPCreateHash (untested on Windows); Wine 8.0's advapi32 refuses nonzero flags with NTE_BAD_FLAGS before it hands the call to the provider, so an algorithm the provider lacks gives NTE_BAD_FLAGS when flags are given; Wine's order (advapi32 refuses flags before the provider sees the call) is as plausible for Windows; the win8 value stays the model's until a Windows run decides",
		Source:    "model choice; measured under Wine 8.0; WI wine dlls/advapi32/crypt.c CryptCreateHash; WI wine dlls/rsaenh/rsaenh.c CPCreateHash",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the order of the algorithm and flag checks on Windows is unknown; the model follows rsaenh's CPCreateHash, algorithm first"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingProviderKindChecked: whether NCryptCreatePersistedKey and
	// NCryptIsAlgSupported refuse a key handle given as the provider.
	settingProviderKindChecked = sim.Setting[bool]{
		ID:        "ksp.handle.provider-kind-checked",
		Reason:    "Windows refuses a handle that is not a provider handle with NTE_INVALID_HANDLE; Wine 8.0's NCryptCreatePersistedKey and NCryptIsAlgSupported refuse only NULL, so a key handle in its place serves as the provider (the key made through it can be finalized)",
		Source:    "DOC NCryptCreatePersistedKey; measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptCreatePersistedKey and NCryptIsAlgSupported test the provider handle for NULL only)",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NCryptCreatePersistedKey and NCryptIsAlgSupported pages: NTE_INVALID_HANDLE when hProvider is not a valid provider handle (the converse, a provider handle where a key is expected, is observed at dlls/ncrypt/tests/ncrypt.c:559)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
)

// Settings describes every profile-dependent behavior of the family.
func Settings() []sim.SettingInfo {
	return []sim.SettingInfo{
		settingNullAlgCode.Describe(),
		settingAnyProviderName.Describe(),
		settingKeyStoreKept.Describe(),
		settingCreateRSAOnly.Describe(),
		settingFlagsChecked.Describe(),
		settingPropertyNamesChecked.Describe(),
		settingNotifyImplemented.Describe(),
		settingReleaseFlagsWhileReferenced.Describe(),
		settingAddRefChecksReserved.Describe(),
		settingContainerPerContext.Describe(),
		settingHashClassChecked.Describe(),
		settingHashFlagsFirst.Describe(),
		settingProviderKindChecked.Describe(),
		settingCreateAES.Describe(),
		settingSymmetricSupported.Describe(),
	}
}

// settingCreateAES: whether NCryptCreatePersistedKey makes AES keys.
var settingCreateAES = sim.Setting[bool]{
	ID:        "ksp.create.aes-keys",
	Reason:    "Windows 8 and later create AES keys in the Microsoft Software KSP; Windows 7 refused the algorithm with NTE_NOT_SUPPORTED, and Wine 8.0 creates RSA keys only",
	Source:    "WT wine dlls/ncrypt/tests/ncrypt.c:301 (broken() for Windows 7; todo_wine)",
	Evidence:  sim.Evidence{Class: sim.Observed, Ref: "dlls/ncrypt/tests/ncrypt.c:301"},
	Default:   true,
	ByProfile: map[string]bool{"win7": false, "wine-8.0": false},
}

// settingSymmetricSupported: whether NCryptIsAlgSupported reports the
// symmetric ciphers 3DES and AES supported.
var settingSymmetricSupported = sim.Setting[bool]{
	ID:        "ksp.is-alg.symmetric-supported",
	Reason:    "the Microsoft Software KSP reports 3DES and AES supported from Windows 8 on; Windows 7 answered NTE_NOT_SUPPORTED for both. Wine 8.0 reports them supported too (it creates no AES key: setting ksp.create.aes-keys)",
	Source:    "WT wine dlls/ncrypt/tests/ncrypt.c:490, 494 test_NCryptIsAlgSupported (broken() for Windows 7); measured under Wine 8.0",
	Evidence:  sim.Evidence{Class: sim.Observed, Ref: "dlls/ncrypt/tests/ncrypt.c:494"},
	Default:   true,
	ByProfile: map[string]bool{"win7": false},
}
