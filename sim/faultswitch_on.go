//go:build winsim_faults

package sim

import "sync"

// The fault build's switch board: one rule id armed at a time, and the ids
// whose guarded line was reached since the last ArmFaultSwitch. It exists
// only in builds with the winsim_faults tag.
var faultBoard struct {
	sync.Mutex
	armed   string
	reached map[string]bool
}

// ArmFaultSwitch arms the fault switch of one catalog rule, or none for "".
// It is only in builds with the winsim_faults tag, for the conformance
// suite's kill test.
func ArmFaultSwitch(id string) {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	faultBoard.armed, faultBoard.reached = id, map[string]bool{}
}

// FaultSwitchReached reports whether the guarded line of rule id was
// evaluated since the last ArmFaultSwitch.
func FaultSwitchReached(id string) bool {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	return faultBoard.reached[id]
}

// FaultSwitch reports whether the switch of rule id is armed, and records
// that its guarded line was reached.
func FaultSwitch(id string) bool {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	if faultBoard.reached != nil {
		faultBoard.reached[id] = true
	}
	return id == faultBoard.armed
}
