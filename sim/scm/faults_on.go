//go:build winsim_faults

package scm

import "sync"

// The fault build's switch board: one rule id armed at a time, and the ids
// whose guarded line was reached since the last ArmFault.
var faults struct {
	sync.Mutex
	armed   string
	reached map[string]bool
}

// ArmFault arms the fault switch of one catalog rule, or none for "". It is
// only in builds with the winsim_faults tag, for the conformance suite's
// kill test.
func ArmFault(id string) {
	faults.Lock()
	defer faults.Unlock()
	faults.armed, faults.reached = id, map[string]bool{}
}

// FaultReached reports whether the guarded line of rule id was evaluated
// since the last ArmFault: a switch that is never reached cannot break
// anything.
func FaultReached(id string) bool {
	faults.Lock()
	defer faults.Unlock()
	return faults.reached[id]
}

func faultOn(id string) bool {
	faults.Lock()
	defer faults.Unlock()
	if faults.reached != nil {
		faults.reached[id] = true
	}
	return id == faults.armed
}
