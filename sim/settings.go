package sim

// The profile-dependent behaviors of the kernel's own calls (waits, events,
// handles). Each is declared once, here, with its reason and source, and
// consulted where the kernel decides; KernelSettings lists them.

// settingDuplicateWaitAllRejected: whether a wait-all naming one object
// twice fails.
var settingDuplicateWaitAllRejected = Setting[bool]{
	ID:      "kernel.wait.duplicate-wait-all-rejected",
	Reason:  "the WaitForMultipleObjects page forbids copies of one handle in the array and NT fails such a wait-all with STATUS_INVALID_PARAMETER_MIX (ERROR_INVALID_PARAMETER); Wine 8.0 accepts it and waits for the object as if named once (an auto-reset event is reset once the wait is satisfied)",
	Source:  "DOC WaitForMultipleObjects; model choice for the code; measured under Wine 8.0",
	Default: true,
	ByProfile: map[string]bool{
		"wine-8.0": false,
	},
}

// settingPseudoHandleInListRejected: whether WaitForMultipleObjectsEx
// refuses the current process's or thread's pseudo handle.
var settingPseudoHandleInListRejected = Setting[bool]{
	ID:      "kernel.wait.pseudo-handle-in-list-rejected",
	Reason:  "Windows fails WaitForMultipleObjects naming GetCurrentProcess() or GetCurrentThread() with WAIT_FAILED and ERROR_INVALID_HANDLE, though WaitForSingleObject takes them; Wine 8.0 takes them in the list too, as the process or thread (a wait on it alone times out)",
	Source:  "WT wine dlls/kernel32/tests/sync.c:1371, 1372, 1378, 1379 (todo_wine: Wine 8.0 differs); measured under Wine 8.0",
	Default: true,
	ByProfile: map[string]bool{
		"wine-8.0": false,
	},
}

// KernelSettings describes every profile-dependent behavior of the kernel.
func KernelSettings() []SettingInfo {
	return []SettingInfo{
		settingDuplicateWaitAllRejected.Describe(),
		settingPseudoHandleInListRejected.Describe(),
	}
}
