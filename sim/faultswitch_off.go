//go:build !winsim_faults

package sim

// FaultSwitch is always false outside fault builds: no rule is ever broken.
func FaultSwitch(string) bool { return false }

// settingOverride never overrides outside fault builds: every setting has
// its declared value.
func settingOverride(string) (any, bool) { return nil, false }
