//go:build !winsim_faults

package scm

// faultOn is always false outside fault builds: no rule is ever broken.
func faultOn(string) bool { return false }
