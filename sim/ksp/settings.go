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
		Default:   sim.HRESULT_RPC_X_NULL_REF_POINTER,
		ByProfile: map[string]sim.HResult{"win7": sim.NTE_FAIL},
	}
	// settingAnyProviderName: whether NCryptOpenStorageProvider opens any
	// name at all.
	settingAnyProviderName = sim.Setting[bool]{
		ID:        "ksp.open.any-name-accepted",
		Reason:    "Wine 8.0 opens a provider for any name and hands back a working handle; Windows opens only registered providers",
		Source:    "measured under Wine 8.0",
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingKeyStoreKept: whether the provider keeps a key store at all.
	settingKeyStoreKept = sim.Setting[bool]{
		ID:        "ksp.store.kept",
		Reason:    "Wine 8.0 persists nothing: NCryptOpenKey and NCryptDeleteKey are stubs that answer NTE_NOT_SUPPORTED whatever they are given (the delete leaves its handle valid), and as no key is ever stored a name is never found taken when a key is created or finalized; Windows keeps the user and machine stores",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptOpenKey and NCryptDeleteKey are FIXME stubs; NCryptCreatePersistedKey: \"Persistent keys are not supported\")",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingCreateRSAOnly: whether NCryptCreatePersistedKey makes RSA keys
	// only.
	settingCreateRSAOnly = sim.Setting[bool]{
		ID:        "ksp.create.rsa-only",
		Reason:    "Wine 8.0 generates RSA key pairs only and answers NTE_NOT_SUPPORTED for any other algorithm, ECDSA and ECDH included; the Microsoft KSP also persists DH, DSA, ECDH and ECDSA keys",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptCreatePersistedKey: \"Algorithm not handled\")",
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingFlagsChecked: whether the key-storage calls refuse flags they
	// do not define.
	settingFlagsChecked = sim.Setting[bool]{
		ID:        "ksp.flags.checked",
		Reason:    "Wine 8.0 never looks at dwFlags in NCryptOpenStorageProvider, NCryptCreatePersistedKey, NCryptFinalizeKey and NCryptSetProperty, so flags Windows refuses with NTE_BAD_FLAGS are accepted (NCryptIsAlgSupported still checks its flags)",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (the flags are traced, or only reported with a FIXME, and ignored)",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingPropertyNamesChecked: whether NCryptSetProperty refuses the
	// names it cannot set.
	settingPropertyNamesChecked = sim.Setting[bool]{
		ID:        "ksp.property.names-checked",
		Reason:    "Wine 8.0 adds any property name to the handle's list, read-only ones such as NCRYPT_NAME_PROPERTY and unknown ones without NCRYPT_PERSIST_FLAG included, where Windows answers NTE_NOT_SUPPORTED",
		Source:    "measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptSetProperty calls set_object_property for any name); WT wine dlls/ncrypt/tests/ncrypt.c (todo_wine)",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingNotifyImplemented: whether NCryptNotifyChangeKey returns at all.
	settingNotifyImplemented = sim.Setting[bool]{
		ID:        "ksp.notify.implemented",
		Reason:    "Wine 8.0 declares NCryptNotifyChangeKey as an unimplemented stub: calling it aborts the whole process, so under that profile the call is unsupported",
		Source:    "WI wine dlls/ncrypt/ncrypt.spec (@ stub NCryptNotifyChangeKey); measured under Wine 8.0",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingReleaseFlagsWhileReferenced: CryptReleaseContext with nonzero
	// flags on a context that keeps other references.
	settingReleaseFlagsWhileReferenced = sim.Setting[bool]{
		ID:        "csp.release.bad-flags-fail-while-referenced",
		Reason:    "untested on Windows: the documentation says nonzero flags fail with NTE_BAD_FLAGS and still release, so the model consumes the reference and fails; Wine only hands the flags to the CSP when the count reaches zero, so it consumes the reference and succeeds",
		Source:    "model choice; DOC CryptReleaseContext; WI wine dlls/advapi32/crypt.c CryptReleaseContext",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingAddRefChecksReserved: CryptContextAddRef with a non-NULL
	// pdwReserved or nonzero dwFlags.
	settingAddRefChecksReserved = sim.Setting[bool]{
		ID:        "csp.addref.reserved-checked",
		Reason:    "the documentation requires pdwReserved NULL and dwFlags 0 and lists ERROR_INVALID_PARAMETER as the only error, which older Wine returned; Windows is untested, the model follows the documentation; Wine 8.0 ignores both",
		Source:    "model choice; DOC CryptContextAddRef; measured under Wine 8.0",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingContainerPerContext: whether each context works on its own
	// copy of its container's key pairs, written back at its final release.
	settingContainerPerContext = sim.Setting[bool]{
		ID:        "csp.container.copy-per-context",
		Reason:    "Wine's rsaenh reads a named container's key pairs when a context is acquired and stores them when the context's last reference goes: a pair generated through one context is not seen by the other contexts on the container, nor by those acquired before that release, and the store recreates a container that CRYPT_DELETEKEYSET removed meanwhile; the model's Windows providers keep one container that every context sees, and a deleted container stays deleted, as the documentation of CryptGenKey and CRYPT_DELETEKEYSET reads (untested on Windows)",
		Source:    "model choice; DOC CryptGenKey, CryptAcquireContext; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c (new_key_container reads the pairs, destroy_key_container stores them)",
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingHashClassChecked: whether CryptCreateHash refuses an algorithm
	// the provider has that is not a hash.
	settingHashClassChecked = sim.Setting[bool]{
		ID:        "csp.hash.class-checked",
		Reason:    "the documentation says Algid identifies a hash algorithm, and the model refuses a cipher or key-pair algorithm with NTE_BAD_ALGID (untested on Windows); Wine 8.0's rsaenh only looks the id up in the provider's algorithm list, so any algorithm the provider lists (CALG_RC4, CALG_AES_128, CALG_RSA_SIGN) makes a hash object that takes data without error, while AT_KEYEXCHANGE and AT_SIGNATURE, key specs that are not in the list, still give NTE_BAD_ALGID",
		Source:    "model choice; DOC CryptCreateHash; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c CPCreateHash",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingHashFlagsFirst: whether CryptCreateHash refuses nonzero flags
	// before it looks at the algorithm.
	settingHashFlagsFirst = sim.Setting[bool]{
		ID:        "csp.hash.flags-first",
		Reason:    "the model checks the algorithm before the flags, in the order of rsaenh's CPCreateHash (untested on Windows); Wine 8.0's advapi32 refuses nonzero flags with NTE_BAD_FLAGS before it hands the call to the provider, so an algorithm the provider lacks gives NTE_BAD_FLAGS when flags are given",
		Source:    "model choice; measured under Wine 8.0; WI wine dlls/advapi32/crypt.c CryptCreateHash; WI wine dlls/rsaenh/rsaenh.c CPCreateHash",
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingProviderKindChecked: whether NCryptCreatePersistedKey and
	// NCryptIsAlgSupported refuse a key handle given as the provider.
	settingProviderKindChecked = sim.Setting[bool]{
		ID:        "ksp.handle.provider-kind-checked",
		Reason:    "Windows refuses a handle that is not a provider handle with NTE_INVALID_HANDLE; Wine 8.0's NCryptCreatePersistedKey and NCryptIsAlgSupported refuse only NULL, so a key handle in its place serves as the provider (the key made through it can be finalized)",
		Source:    "DOC NCryptCreatePersistedKey; measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptCreatePersistedKey and NCryptIsAlgSupported test the provider handle for NULL only)",
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
	}
}
