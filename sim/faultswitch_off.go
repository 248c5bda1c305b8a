//go:build !winsim_faults

package sim

// FaultSwitch is always false outside fault builds: no rule is ever broken.
func FaultSwitch(string) bool { return false }
