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
	// settingReleaseRestoresContainer: whether the final release of a
	// context writes its container back to the key store.
	settingReleaseRestoresContainer = sim.Setting[bool]{
		ID:        "csp.release.restores-deleted-container",
		Reason:    "Wine's rsaenh stores a named container's key pairs when the last reference to a context on it goes, recreating the container if CRYPT_DELETEKEYSET removed it meanwhile; Windows is untested there, and the model keeps a deleted container deleted, as the documentation of CRYPT_DELETEKEYSET says",
		Source:    "model choice; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c (destroy_key_container stores the container)",
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
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
		settingReleaseRestoresContainer.Describe(),
	}
}
