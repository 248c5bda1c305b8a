package semaphore

import "github.com/winsim/winsim/sim"

// settingReleaseCountChecked: whether ReleaseSemaphore refuses a count of
// zero or below. Windows does, before it looks at the handle; Wine 8.0
// passes the count to its server as an unsigned number and never checks it.
var settingReleaseCountChecked = sim.Setting[bool]{
	ID:     "semaphore.release.count-checked",
	Reason: "Windows refuses lReleaseCount <= 0 with ERROR_INVALID_PARAMETER; Wine 8.0's NtReleaseSemaphore takes the count as unsigned, so 0 succeeds and a negative count overflows into ERROR_TOO_MANY_POSTS",
	Source: srcReleaseDoc + "; " + srcROSSem + "; " + srcWineServer,
	Evidence: sim.Evidence{Class: sim.Inferred,
		Ref: "ReactOS ntoskrnl ex sem.c (NtReleaseSemaphore) refuses ReleaseCount <= 0 with STATUS_INVALID_PARAMETER before it references the handle; the ReleaseSemaphore page says only that the value must be greater than zero"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
}

// Settings lists the family's profile settings, for documentation and the
// setting kill run.
func Settings() []sim.SettingInfo {
	return []sim.SettingInfo{settingReleaseCountChecked.Describe()}
}
