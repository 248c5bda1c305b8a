package sim

// Fault switches: a family model guards one line per modeled catalog rule
// with FaultSwitch(ruleID), so that the conformance suite can show it
// notices when that rule is broken. In a normal build FaultSwitch is a
// constant false (faultswitch_off.go) and the compiler drops the guarded
// code; with -tags winsim_faults a test arms one switch at a time
// (faultswitch_on.go).

// FaultBroken returns right, or wrong while the switch of rule id is
// armed.
func FaultBroken[T any](id string, right, wrong T) T {
	if FaultSwitch(id) {
		return wrong
	}
	return right
}
