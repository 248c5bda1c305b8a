package sim

// The profile-dependent behaviors of the kernel's own calls (waits, events,
// handles). Each is declared once, here, with its reason and source, and
// consulted where the kernel decides; KernelSettings lists them.

// settingDuplicateWaitAllRejected: whether a wait-all naming one object
// twice fails.
var settingDuplicateWaitAllRejected = Setting[bool]{
	ID:       "kernel.wait.duplicate-wait-all-rejected",
	Reason:   "the WaitForMultipleObjects page forbids copies of one handle in the array and NT fails such a wait-all with STATUS_INVALID_PARAMETER_MIX (ERROR_INVALID_PARAMETER); Wine 8.0 accepts it and waits for the object as if named once (an auto-reset event is reset once the wait is satisfied)",
	Source:   "DOC WaitForMultipleObjects; model choice for the code; measured under Wine 8.0",
	Evidence: Evidence{Class: Documented, Ref: "WaitForMultipleObjects page (lpHandles): the array may not hold several copies of one handle; the code is the model's (NT's STATUS_INVALID_PARAMETER_MIX becomes ERROR_INVALID_PARAMETER)"},
	Default:  true,
	ByProfile: map[string]bool{
		"wine-8.0": false,
	},
}

// settingMultiplePseudoAccepted: whether WaitForMultipleObjectsEx takes the
// current process's or thread's pseudo handle as an object.
var settingMultiplePseudoAccepted = Setting[bool]{
	ID:       "kernel.wait.multiple-pseudo-handle-accepted",
	Reason:   "Windows refuses the current process's and thread's pseudo handles in WaitForMultipleObjects (WAIT_FAILED, ERROR_INVALID_HANDLE) while WaitForSingleObject takes them; Wine 8.0 takes them in both",
	Source:   "WT wine dlls/kernel32/tests/sync.c:1366-1380 test_WaitForMultipleObjects (observed on Windows; todo_wine for Wine), sync.c:1298-1303 test_WaitForSingleObject",
	Evidence: Evidence{Class: Observed, Ref: "dlls/kernel32/tests/sync.c:1371"},
	Default:  false,
	ByProfile: map[string]bool{
		"wine-8.0": true,
	},
}

// KernelSettings describes every profile-dependent behavior of the kernel.
func KernelSettings() []SettingInfo {
	return []SettingInfo{
		settingDuplicateWaitAllRejected.Describe(),
		settingMultiplePseudoAccepted.Describe(),
	}
}
