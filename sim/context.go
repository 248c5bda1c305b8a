package sim

import "fmt"

// IRQL is a kernel interrupt request level.
type IRQL uint8

// The IRQLs the models distinguish.
const (
	PASSIVE_LEVEL  IRQL = 0
	APC_LEVEL      IRQL = 1
	DISPATCH_LEVEL IRQL = 2
)

// String returns the SDK name of the level.
func (l IRQL) String() string {
	switch l {
	case PASSIVE_LEVEL:
		return "PASSIVE_LEVEL"
	case APC_LEVEL:
		return "APC_LEVEL"
	case DISPATCH_LEVEL:
		return "DISPATCH_LEVEL"
	}
	return fmt.Sprintf("IRQL(%d)", uint8(l))
}

// DriverModel is the kind of kernel-mode code a thread is running, which
// decides which driver compliance rules apply to its calls.
type DriverModel uint8

// The driver models.
const (
	DriverNone     DriverModel = iota // user-mode code, or kernel code subject to no driver rule
	DriverWDM                         // a WDM driver
	DriverStorport                    // a Storport miniport
)

// String names the model.
func (d DriverModel) String() string {
	return [...]string{"none", "WDM", "Storport"}[d]
}

// Routine is the kind of driver routine a thread is executing.
type Routine uint8

// The routines the driver rules distinguish.
const (
	RoutineOther    Routine = iota // not a dispatch or cancel routine
	RoutineDispatch                // an IRP dispatch routine
	RoutineCancel                  // a cancel routine
)

// String names the routine.
func (r Routine) String() string {
	return [...]string{"other", "dispatch", "cancel"}[r]
}

// Mode is a processor mode, as in KPROCESSOR_MODE and a thread's PreviousMode.
type Mode uint8

// The processor modes.
const (
	UserMode Mode = iota
	KernelMode
)

// String names the mode.
func (m Mode) String() string {
	if m == KernelMode {
		return "KernelMode"
	}
	return "UserMode"
}

// CallerContext is what a family may ask about the thread making a call. The
// kernel maintains InAPC; the families and the scenario runner set the rest.
type CallerContext struct {
	// InAPC is true while the thread runs a user APC (a notification callback).
	InAPC bool
	// ServiceStarting is true while the thread is a service's ServiceMain that
	// has not yet reported SERVICE_RUNNING.
	ServiceStarting bool
	// IRQL is the thread's current IRQL (kernel-mode callers only).
	IRQL IRQL
	// Driver is the kind of driver code the thread runs.
	Driver DriverModel
	// Routine is the driver routine the thread is in.
	Routine Routine
	// PreviousMode is the mode the call came from: UserMode for Win32 and
	// user-mode Nt* callers, KernelMode for drivers.
	PreviousMode Mode
}
