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
)

// Settings describes every profile-dependent behavior of the family.
func Settings() []sim.SettingInfo {
	return []sim.SettingInfo{
		settingNullAlgCode.Describe(),
		settingAnyProviderName.Describe(),
		settingNotifyImplemented.Describe(),
		settingReleaseFlagsWhileReferenced.Describe(),
		settingAddRefChecksReserved.Describe(),
	}
}
