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
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/winsim/winsim/win32"

	"github.com/winsim/winsim/sim"
)

// ErrUnsupported is returned (wrapped) by a backend for an operation it cannot
// execute, such as advancing virtual time on a real system. A call that has
// no error result (it returns only a Win32 code) is declined instead (see
// Refuser); the scenario runner and the conformance suite treat both alike.
var ErrUnsupported = errors.New("not supported by this backend")

// Refuser is implemented by a backend that may decline a call that has no
// error result: one that would end the calling process on the real system
// (some do under Wine 8.0), or reach state outside the area the backend
// keeps for itself. A declined call does nothing and returns the declined
// value of its result type (DeclinedErrno, DeclinedNTStatus,
// DeclinedHResult, DeclinedCode, DeclinedHandle; see IsDeclined), never a
// success; Refusal then returns why, wrapping ErrUnsupported, and forgets
// it. Callers ask after every call whose code they are about to use.
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

// Capability names something a step may need beyond plain Win32 calls:
// one of the optional interfaces below, or a family's interface. Each is
// declared once with NewCapability, which records the interface it stands
// for; Supports asks whether a backend implements it.
type Capability string

// capabilities maps each declared capability to its test, under capMu.
var (
	capMu        sync.RWMutex
	capabilities = map[Capability]func(Kernel) bool{}
)

// NewCapability declares the capability a backend has when it implements
// the interface T, registers it under name and returns it:
//
//	var CapSCM = backend.NewCapability[SCM]("family:scm")
//
// A family declares its interface's capability this way in its own file;
// nothing else lists the capabilities. It panics when name is empty or
// already declared.
func NewCapability[T any](name string) Capability {
	c := Capability(name)
	if c == "" {
		panic("backend: a capability needs a name")
	}
	capMu.Lock()
	defer capMu.Unlock()
	if _, dup := capabilities[c]; dup {
		panic(fmt.Sprintf("backend: capability %q declared twice", name))
	}
	capabilities[c] = func(b Kernel) bool {
		_, ok := b.(T)
		return ok
	}
	return c
}

// Capabilities returns every declared capability, sorted by name.
func Capabilities() []Capability {
	capMu.RLock()
	defer capMu.RUnlock()
	out := make([]Capability, 0, len(capabilities))
	for c := range capabilities {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// The capabilities of the optional interfaces below. The families declare
// theirs next to their interfaces (CapSCM here, CapKSP and CapCSP in
// ksp.go, CapRegistry and CapCrash in hive.go).
var (
	// CapVirtualClock: the backend is a VirtualClock.
	CapVirtualClock = NewCapability[VirtualClock]("virtual-clock")
	// CapViolations: the backend is a ContractChecker.
	CapViolations = NewCapability[ContractChecker]("violations")
	// CapCallerContext: the backend is a CallerContextSetter (IRQL, driver
	// model, ServiceMain).
	CapCallerContext = NewCapability[CallerContextSetter]("caller-context")
	// CapFaultInjection: the backend is a FaultInjector.
	CapFaultInjection = NewCapability[FaultInjector]("fault-injection")
	// CapTrace: the backend is a Tracer.
	CapTrace = NewCapability[Tracer]("trace")
	// CapServiceSide: the backend is a ServiceSide.
	CapServiceSide = NewCapability[ServiceSide]("service-side")

	// CapSCM: the backend implements the SCM interface.
	CapSCM = NewCapability[SCM]("family:scm")
)

// Supports reports whether b has capability c: whether it implements the
// interface c was declared with. A capability never declared is false.
func Supports(b Kernel, c Capability) bool {
	capMu.RLock()
	has := capabilities[c]
	capMu.RUnlock()
	return has != nil && has(b)
}

// Kernel is the part every backend has: threads, waits and events.
type Kernel interface {
	// Name identifies the backend in reports: "model", "windows".
	Name() string
	// Profile is the profile the backend's results are compared under.
	Profile() string

	// NewThread creates a thread in the client process.
	NewThread(name string) error
	// ExitThread ends a thread.
	ExitThread(name string) error

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

	// Close releases everything the backend created.
	Close() error
}

// The optional interfaces: what a backend may lack. All but ServiceSide are
// what a model can do and a real system cannot; the real binding plays the
// services' part with a test service. A caller finds them by type
// assertion, or through Supports and the helpers below, which answer
// ErrUnsupported for a backend without them.

// VirtualClock is implemented by a backend whose time is virtual.
type VirtualClock interface {
	// Advance moves virtual time by d without waiting.
	Advance(d time.Duration) error
}

// FaultInjector is implemented by a backend that can arm failures.
type FaultInjector interface {
	// InjectFault makes the next count calls of api return code.
	InjectFault(api string, code sim.Code, count int) error
}

// ContractChecker is implemented by a backend that detects the caller's
// contract violations (the rules the documentation states for callers).
type ContractChecker interface {
	// Violations returns the contract violations seen so far.
	Violations() []sim.Violation
}

// Tracer is implemented by a backend that records a deterministic trace.
type Tracer interface {
	// Trace returns the trace so far.
	Trace() []sim.TraceEvent
}

// TraceStopper is implemented by a backend whose trace can be turned off
// for a run that will not read it, to save what recording it costs.
type TraceStopper interface {
	// StopTrace turns the trace off and drops what it holds.
	StopTrace()
}

// StopTrace turns b's trace off, when b has one that can be.
func StopTrace(b Kernel) {
	if s, ok := b.(TraceStopper); ok {
		s.StopTrace()
	}
}

// CallerContextSetter is implemented by a backend whose threads can claim
// to be something else than a user-mode client thread.
type CallerContextSetter interface {
	// SetCallerContext changes who a thread claims to be (IRQL, driver
	// model, ServiceMain).
	SetCallerContext(thread string, ctx sim.CallerContext) error
	// ReturnFromRoutine makes a driver thread return from the routine its
	// caller context names, the moment the DDI rules check its open
	// registry handles.
	ReturnFromRoutine(thread string) error
}

// ServiceSide is implemented by a backend that can play the services' part:
// make a service report a status, or run a scripted program.
type ServiceSide interface {
	// ReportStatus makes the named service call SetServiceStatus from its
	// ServiceMain thread. It returns SetServiceStatus's code.
	ReportStatus(service string, status win32.SERVICE_STATUS) (sim.Errno, error)
	// SetProgram gives the named service a scripted behavior.
	SetProgram(service string, p win32.Program) error
}

// Advance moves b's virtual time, or returns ErrUnsupported when b has no
// virtual clock.
func Advance(b Kernel, d time.Duration) error {
	if c, ok := b.(VirtualClock); ok {
		return c.Advance(d)
	}
	return fmt.Errorf("advancing time by %v: %w", d, ErrUnsupported)
}

// InjectFault arms a failure in b, or returns ErrUnsupported when b cannot.
func InjectFault(b Kernel, api string, code sim.Code, count int) error {
	if f, ok := b.(FaultInjector); ok {
		return f.InjectFault(api, code, count)
	}
	return fmt.Errorf("injecting a fault into %s: %w", api, ErrUnsupported)
}

// SetCallerContext changes who thread claims to be on b, or returns
// ErrUnsupported when b cannot.
func SetCallerContext(b Kernel, thread string, ctx sim.CallerContext) error {
	if s, ok := b.(CallerContextSetter); ok {
		return s.SetCallerContext(thread, ctx)
	}
	return fmt.Errorf("setting the caller context of %s: %w", thread, ErrUnsupported)
}

// Violations returns the contract violations b saw; ok is false when b
// detects none (it is not a ContractChecker).
func Violations(b Kernel) (vs []sim.Violation, ok bool) {
	if c, ok := b.(ContractChecker); ok {
		return c.Violations(), true
	}
	return nil, false
}

// RegisterKeyStorageProvider installs another key storage provider on b,
// or returns ErrUnsupported when b cannot.
func RegisterKeyStorageProvider(b Kernel, cfg win32.ProviderConfig) error {
	if p, ok := b.(ProviderInstaller); ok {
		return p.RegisterKeyStorageProvider(cfg)
	}
	return fmt.Errorf("installing a key storage provider: %w", ErrUnsupported)
}

// RegisterCryptoProvider installs another CSP on b, or returns
// ErrUnsupported when b cannot.
func RegisterCryptoProvider(b Kernel, cfg win32.CSPConfig) error {
	if p, ok := b.(ProviderInstaller); ok {
		return p.RegisterCryptoProvider(cfg)
	}
	return fmt.Errorf("installing a CSP: %w", ErrUnsupported)
}

// Trace returns b's trace; ok is false when b keeps none.
func Trace(b Kernel) (tr []sim.TraceEvent, ok bool) {
	if t, ok := b.(Tracer); ok {
		return t.Trace(), true
	}
	return nil, false
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
	CreateService(thread string, h sim.Handle, p win32.CreateServiceParams) (sim.Handle, sim.Errno)
	OpenService(thread string, h sim.Handle, name *string, access uint32) (sim.Handle, sim.Errno)
	CloseServiceHandle(thread string, h sim.Handle) sim.Errno
	DeleteService(thread string, h sim.Handle) sim.Errno
	StartService(thread string, h sim.Handle, args []string) sim.Errno
	ControlService(thread string, h sim.Handle, control win32.ServiceControl, status *win32.SERVICE_STATUS) sim.Errno
	// QueryServiceStatus with a nil status passes a NULL lpServiceStatus.
	QueryServiceStatus(thread string, h sim.Handle, status *win32.SERVICE_STATUS) sim.Errno
	// QueryServiceStatusEx with a nil status passes a NULL lpBuffer with
	// cbBufSize 0; nullNeeded passes a NULL pcbBytesNeeded. Both at
	// SC_STATUS_PROCESS_INFO would make the system write through NULL: the
	// call is declined (Refuser).
	QueryServiceStatusEx(thread string, h sim.Handle, level uint32, status *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno
	// NotifyServiceStatusChange returns the call's code. A call that would
	// end the calling process instead of returning (as some do under Wine
	// 8.0) is declined (Refuser).
	NotifyServiceStatusChange(thread string, h sim.Handle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno
	// QueryServiceConfig passes a buffer of size bytes; a nil out is a NULL
	// buffer and a nil needed a NULL pcbBytesNeeded. out is filled only
	// when the call succeeds.
	QueryServiceConfig(thread string, h sim.Handle, out *win32.QUERY_SERVICE_CONFIG, size uint32, needed *uint32) sim.Errno
	// ChangeServiceConfig changes what p gives (see
	// win32.ChangeServiceConfigParams).
	ChangeServiceConfig(thread string, h sim.Handle, p win32.ChangeServiceConfigParams) sim.Errno
	// QueryServiceConfig2 fills the member of out that level names (see
	// win32.ServiceConfigInfo), as QueryServiceConfig fills its structure.
	QueryServiceConfig2(thread string, h sim.Handle, level uint32, out *win32.ServiceConfigInfo, size uint32, needed *uint32) sim.Errno
	// ChangeServiceConfig2 sets level's configuration from the member of
	// info it names; a nil info is a NULL lpInfo.
	ChangeServiceConfig2(thread string, h sim.Handle, level uint32, info *win32.ServiceConfigInfo) sim.Errno
	// EnumServicesStatusEx lists services into *out (nil: a NULL buffer)
	// as far as size bytes hold them; nil needed or returned are NULL
	// pointers.
	EnumServicesStatusEx(thread string, h sim.Handle, p win32.EnumServicesParams, out *[]win32.ENUM_SERVICE_STATUS_PROCESS, size uint32, needed, returned *uint32) sim.Errno
}
