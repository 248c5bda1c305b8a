// Package backend defines the Win32-shaped interfaces that the scenario
// runner and the conformance suite drive. The models implement them (package
// backend/model); the real binding over golang.org/x/sys/windows is the other
// implementation. Calls go in with raw parameters, and raw codes and
// observations come out: an API's return code is data to compare, never a
// harness failure.
//
// Threads are named by the caller ("main", "worker"); each backend maps a
// name to a simulated thread or to a locked OS thread.
package backend

import (
	"errors"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
)

// ErrUnsupported is returned (wrapped) by a backend for an operation it cannot
// execute, such as advancing virtual time on a real system. A call that has
// no error result (it returns only a Win32 code) is declined instead (see
// Refuser); the scenario runner and the conformance suite treat both alike.
var ErrUnsupported = errors.New("not supported by this backend")

// Refuser is implemented by a backend that may decline a call that has no
// error result: one that would end the calling process on the real system
// (some do under Wine 8.0), or reach state outside the area the backend
// keeps for itself. A declined call does nothing and returns a zero code;
// Refusal then returns why, wrapping ErrUnsupported, and forgets it. Callers
// ask after every call whose code they are about to use.
type Refuser interface {
	Refusal() error
}

// Refusal returns the reason b declined its last call, or nil when b is not
// a Refuser or declined nothing since the last question.
func Refusal(b Kernel) error {
	if r, ok := b.(Refuser); ok {
		return r.Refusal()
	}
	return nil
}

// Capability names something a step may need beyond plain Win32 calls.
type Capability string

// Capabilities a backend may have.
const (
	// CapVirtualClock: Advance moves time without waiting.
	CapVirtualClock Capability = "virtual-clock"
	// CapViolations: contract violations are detected and reported.
	CapViolations Capability = "violations"
	// CapCallerContext: a thread's CallerContext can be set (IRQL, driver
	// model, ServiceMain).
	CapCallerContext Capability = "caller-context"
	// CapFaultInjection: InjectFault arms failures.
	CapFaultInjection Capability = "fault-injection"
	// CapTrace: the backend records a deterministic trace.
	CapTrace Capability = "trace"
	// CapServiceSide: the backend can make a service report a status and run
	// a scripted program.
	CapServiceSide Capability = "service-side"

	// CapSCM: the backend implements the SCM interface. Family capabilities
	// are not claimed through Has: Supports checks the interface itself.
	CapSCM Capability = "family:scm"
	// CapKSP: the backend implements the KSP interface (CNG key storage).
	CapKSP Capability = "family:ksp"
	// CapCSP: the backend implements the CSP interface (CryptoAPI).
	CapCSP Capability = "family:csp"
	// CapRegistry: the backend implements the Registry interface.
	CapRegistry Capability = "family:registry"
)

// Supports reports whether b has capability c. For a family capability it
// checks that b implements the family's interface.
func Supports(b Kernel, c Capability) bool {
	switch c {
	case CapSCM:
		_, ok := b.(SCM)
		return ok
	case CapKSP:
		_, ok := b.(KSP)
		return ok
	case CapCSP:
		_, ok := b.(CSP)
		return ok
	case CapRegistry:
		_, ok := b.(Registry)
		return ok
	}
	return b.Has(c)
}

// Kernel is the part every backend has: threads, waits and events.
type Kernel interface {
	// Name identifies the backend in reports: "model", "windows".
	Name() string
	// Profile is the profile the backend's results are compared under.
	Profile() string
	// Has reports whether the backend has a capability other than a family
	// (see Supports).
	Has(Capability) bool

	// NewThread creates a thread in the client process.
	NewThread(name string) error
	// ExitThread ends a thread.
	ExitThread(name string) error
	// SetCallerContext changes who a thread claims to be (CapCallerContext).
	SetCallerContext(thread string, ctx sim.CallerContext) error

	SleepEx(thread string, ms uint32, alertable bool) (sim.WaitResult, error)
	CreateEvent(thread string, manualReset, initialState bool) (sim.Handle, sim.Errno)
	SetEvent(thread string, h sim.Handle) sim.Errno
	ResetEvent(thread string, h sim.Handle) sim.Errno
	CloseHandle(thread string, h sim.Handle) sim.Errno
	// WaitForSingleObjectEx returns WAIT_FAILED with the Win32 error as err,
	// or a *sim.DeadlockError when nothing can end the wait.
	WaitForSingleObjectEx(thread string, h sim.Handle, ms uint32, alertable bool) (sim.WaitResult, error)
	// WaitForMultipleObjectsEx returns WAIT_FAILED with the Win32 error as
	// err, or a *sim.DeadlockError when nothing can end the wait.
	WaitForMultipleObjectsEx(thread string, hs []sim.Handle, waitAll bool, ms uint32, alertable bool) (sim.WaitResult, error)

	// Advance moves virtual time (CapVirtualClock).
	Advance(d time.Duration) error
	// InjectFault makes the next count calls of api return code (CapFaultInjection).
	InjectFault(api string, code sim.Code, count int) error
	// Violations returns the contract violations seen so far (CapViolations).
	Violations() []sim.Violation
	// Trace returns the trace so far (CapTrace).
	Trace() []sim.TraceEvent
	// Close releases everything the backend created.
	Close() error
}

// Paced is implemented by backends whose waits take real time: the real
// system. There an alertable wait cannot tell "no callback is coming" from
// "not yet", so before each wait the runner says how many notification
// callbacks the wait should deliver (as the model predicts, or as the step's
// want: implies).
type Paced interface {
	// ExpectCallbacks sets up the next wait thread makes. With n > 0 the
	// wait lasts until n notification callbacks have run on the thread, or
	// the backend's watchdog expires (a missing callback then shows up as a
	// difference, not a hang); with n == 0 it lasts the real-time window
	// (0 means the backend's default) and concludes that none came.
	ExpectCallbacks(thread string, n int, window time.Duration)
}

// DefaultWindow is how long a Paced backend's alertable wait lasts when it
// expects no callback and the step declares no window: it bounds how late an
// unexpected callback may come and still be seen. An expected callback is
// waited for up to the backend's watchdog instead.
const DefaultWindow = 250 * time.Millisecond

// SCM is the Service Control Manager family.
type SCM interface {
	Kernel

	OpenSCManager(thread string, machine, database *string, access uint32) (sim.Handle, sim.Errno)
	CreateService(thread string, h sim.Handle, p scm.CreateServiceParams) (sim.Handle, sim.Errno)
	OpenService(thread string, h sim.Handle, name *string, access uint32) (sim.Handle, sim.Errno)
	CloseServiceHandle(thread string, h sim.Handle) sim.Errno
	DeleteService(thread string, h sim.Handle) sim.Errno
	StartService(thread string, h sim.Handle, args []string) sim.Errno
	ControlService(thread string, h sim.Handle, control uint32, status *scm.SERVICE_STATUS) sim.Errno
	// QueryServiceStatus with a nil status passes a NULL lpServiceStatus.
	QueryServiceStatus(thread string, h sim.Handle, status *scm.SERVICE_STATUS) sim.Errno
	// QueryServiceStatusEx with a nil status passes a NULL lpBuffer with
	// cbBufSize 0; nullNeeded passes a NULL pcbBytesNeeded. Both at
	// SC_STATUS_PROCESS_INFO would make the system write through NULL: the
	// call is declined (Refuser).
	QueryServiceStatusEx(thread string, h sim.Handle, level uint32, status *scm.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno
	// NotifyServiceStatusChange returns the call's code. A call that would
	// end the calling process instead of returning (as some do under Wine
	// 8.0) is declined (Refuser).
	NotifyServiceStatusChange(thread string, h sim.Handle, mask uint32, buf *scm.SERVICE_NOTIFY) sim.Errno

	// ReportStatus makes the named service call SetServiceStatus from its
	// ServiceMain thread (CapServiceSide). It returns SetServiceStatus's code.
	ReportStatus(service string, status scm.SERVICE_STATUS) (sim.Errno, error)
	// SetProgram gives the named service a scripted behavior (CapServiceSide).
	SetProgram(service string, p scm.Program) error
}
