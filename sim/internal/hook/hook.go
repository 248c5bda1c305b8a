// Package hook carries package sim's internal operations to package
// sim/internal/kernel. Package kernel imports sim for its types, so sim
// cannot import kernel; both import this package instead: sim's init stores
// its operations in Ops, and kernel asserts Ops to the interface it calls.
package hook

import "sync"

// Ops holds package sim's internal operations, set by sim's init before any
// package that imports sim is initialized.
var Ops any

// MachineHead is the first field of sim.Machine: what package kernel reads
// on every model call, in place rather than through Ops (sim/layout.go says
// why and checks the layout at compile time).
type MachineHead struct {
	// Mu is the machine's lock.
	Mu sync.Mutex
	// Faults counts the fault injections armed by Machine.InjectFault that
	// have not fired yet, so that a call with none armed does not look.
	Faults int
}
