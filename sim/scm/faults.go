package scm

import "github.com/winsim/winsim/sim"

// Fault switches: each breaks one modeled rule of the catalog, so that the
// conformance suite can show it notices (its kill run, in the winsim_faults
// build). The switches are sim's one board (sim.FaultSwitch); outside fault
// builds they are constant false and the guarded code is dropped. Each
// guarded line names the rule it breaks.

// faultOn reports whether the switch of rule id is armed.
func faultOn(id string) bool { return sim.FaultSwitch(id) }

// broken returns right, or wrong while the switch of rule id is armed.
func broken[T any](id string, right, wrong T) T { return sim.FaultBroken(id, right, wrong) }
