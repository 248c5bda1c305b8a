// Package svc is winsim's twin of golang.org/x/sys/windows/svc (v0.47.0):
// the service side of a Windows service, running on the SCM model. A
// service's own Handler runs as the service program: a test names the Go
// function a service's executable runs (winsimtest's SetServiceProgram);
// the twin of StartService starts it in a goroutine that is the service
// process's ServiceMain thread; Run connects it to the SCM and runs
// Execute in another goroutine of that process; each control the model
// accepts from ControlService arrives on Execute's ChangeRequest channel,
// and each Status Execute sends is the service's SetServiceStatus, which
// the model checks and whose state change it notifies.
//
// # Covered
//
// Handler, Run, ChangeRequest, Status, State, Cmd, Accepted, the State, Cmd
// and Accepted constants, StatusHandle, IsWindowsService, ActivityStatus
// and StartReason with their constants.
//
// # Left out, and why
//
// DynamicStartReason (QueryServiceDynamicInformation: start reasons are
// not modeled) and IsAnInteractiveSession (deprecated in x/sys; process
// tokens and group membership are not modeled). The subpackages debug and
// eventlog have no twin.
//
// # Differences a test can see
//
// Run's name is not checked against the service's, as Windows does not
// check it for a service in its own process (documented:
// RegisterServiceCtrlHandlerEx). IsWindowsService reports whether the
// calling goroutine is a thread of a service's process: the program's, the
// handler's, and the goroutines they start (a goroutine started by one that
// never called the twins is seen as the test's). A program that returns without
// reporting SERVICE_STOPPED leaves the service in the state it reported
// last: the model has no process exit. A Run not started by the SCM fails
// with ERROR_FAILED_SERVICE_CONTROLLER_CONNECT, as StartServiceCtrlDispatcher
// does in a console program (documented), and a second Run in one service
// process with ERROR_SERVICE_ALREADY_RUNNING (documented).
//
// When a test ends, winsimtest sends every service program still running a
// STOP and fails the test, naming the service and the state it reported
// last, if the program has not returned 20 seconds of the model's clock
// later (see winsimtest's SetServiceProgram): a handler that ignores STOP
// is a reported failure, not a synctest deadlock, as long as it ends once
// its request channel is closed.
package svc

import (
	"runtime"
	"strings"
	"syscall"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/internal/twinrt"
	"github.com/winsim/winsim/windows/internal/twinsvc"
)

// State is a service's state, SERVICE_STOPPED to SERVICE_PAUSED.
type State uint32

// The service states.
const (
	Stopped         = State(windows.SERVICE_STOPPED)
	StartPending    = State(windows.SERVICE_START_PENDING)
	StopPending     = State(windows.SERVICE_STOP_PENDING)
	Running         = State(windows.SERVICE_RUNNING)
	ContinuePending = State(windows.SERVICE_CONTINUE_PENDING)
	PausePending    = State(windows.SERVICE_PAUSE_PENDING)
	Paused          = State(windows.SERVICE_PAUSED)
)

// Cmd is a control code the SCM sends a service (SERVICE_CONTROL_*).
type Cmd uint32

// The controls a service gets.
const (
	Stop                  = Cmd(windows.SERVICE_CONTROL_STOP)
	Pause                 = Cmd(windows.SERVICE_CONTROL_PAUSE)
	Continue              = Cmd(windows.SERVICE_CONTROL_CONTINUE)
	Interrogate           = Cmd(windows.SERVICE_CONTROL_INTERROGATE)
	Shutdown              = Cmd(windows.SERVICE_CONTROL_SHUTDOWN)
	ParamChange           = Cmd(windows.SERVICE_CONTROL_PARAMCHANGE)
	NetBindAdd            = Cmd(windows.SERVICE_CONTROL_NETBINDADD)
	NetBindRemove         = Cmd(windows.SERVICE_CONTROL_NETBINDREMOVE)
	NetBindEnable         = Cmd(windows.SERVICE_CONTROL_NETBINDENABLE)
	NetBindDisable        = Cmd(windows.SERVICE_CONTROL_NETBINDDISABLE)
	DeviceEvent           = Cmd(windows.SERVICE_CONTROL_DEVICEEVENT)
	HardwareProfileChange = Cmd(windows.SERVICE_CONTROL_HARDWAREPROFILECHANGE)
	PowerEvent            = Cmd(windows.SERVICE_CONTROL_POWEREVENT)
	SessionChange         = Cmd(windows.SERVICE_CONTROL_SESSIONCHANGE)
	PreShutdown           = Cmd(windows.SERVICE_CONTROL_PRESHUTDOWN)
)

// Accepted is a set of the controls a service accepts
// (SERVICE_ACCEPT_*); Interrogate needs no bit.
type Accepted uint32

// The controls a service may accept.
const (
	AcceptStop                  = Accepted(windows.SERVICE_ACCEPT_STOP)
	AcceptShutdown              = Accepted(windows.SERVICE_ACCEPT_SHUTDOWN)
	AcceptPauseAndContinue      = Accepted(windows.SERVICE_ACCEPT_PAUSE_CONTINUE)
	AcceptParamChange           = Accepted(windows.SERVICE_ACCEPT_PARAMCHANGE)
	AcceptNetBindChange         = Accepted(windows.SERVICE_ACCEPT_NETBINDCHANGE)
	AcceptHardwareProfileChange = Accepted(windows.SERVICE_ACCEPT_HARDWAREPROFILECHANGE)
	AcceptPowerEvent            = Accepted(windows.SERVICE_ACCEPT_POWEREVENT)
	AcceptSessionChange         = Accepted(windows.SERVICE_ACCEPT_SESSIONCHANGE)
	AcceptPreShutdown           = Accepted(windows.SERVICE_ACCEPT_PRESHUTDOWN)
)

// ActivityStatus selects services by whether they are active
// (mgr's ListDependentServices, which is not in the twin).
type ActivityStatus uint32

// The activity categories (SERVICE_ACTIVE, SERVICE_INACTIVE,
// SERVICE_STATE_ALL).
const (
	Active      = ActivityStatus(1)
	Inactive    = ActivityStatus(2)
	AnyActivity = ActivityStatus(3)
)

// StartReason says why a service was started (SERVICE_START_REASON_*).
type StartReason uint32

// The start reasons (SERVICE_START_REASON_*).
const (
	StartReasonDemand           = StartReason(0x00000001)
	StartReasonAuto             = StartReason(0x00000002)
	StartReasonTrigger          = StartReason(0x00000004)
	StartReasonRestartOnFailure = StartReason(0x00000008)
	StartReasonDelayedAuto      = StartReason(0x00000010)
)

// Status is what a service reports (its handler sends it on Execute's
// status channel) and what mgr's Query returns.
type Status struct {
	State                   State
	Accepts                 Accepted
	CheckPoint              uint32 // progress of a pending state, counted up by the service
	WaitHint                uint32 // milliseconds until the next report of a pending state
	ProcessId               uint32 // the service's process id, 0 when it is stopped
	Win32ExitCode           uint32 // the Win32 exit code of a stopped service
	ServiceSpecificExitCode uint32 // its own exit code, with Win32ExitCode ERROR_SERVICE_SPECIFIC_ERROR
}

// ChangeRequest is a control as the handler gets it, with the status the
// service reported last.
type ChangeRequest struct {
	Cmd           Cmd
	EventType     uint32
	EventData     uintptr
	CurrentStatus Status
	Context       uintptr
}

// Handler is a service's code. Execute runs when the service starts; the service stops once it
// returns. It reads change requests from r and keeps the SCM up to date by
// sending on s. args holds the service's name, then StartService's
// arguments. exitCode (0 for no error) is reported with SERVICE_STOPPED,
// as a service-specific code when svcSpecificEC is true.
type Handler interface {
	Execute(args []string, r <-chan ChangeRequest, s chan<- Status) (svcSpecificEC bool, exitCode uint32)
}

// exitCode is what Execute returned.
type exitCode struct {
	isSvcSpecific bool
	errno         uint32
}

// requestContext is the Context of every ChangeRequest: x/sys's control
// handler sets it to this constant (its comment cites Go issue 25660),
// so the twin does too.
const requestContext = 123456

// Run connects the calling service program to the SCM and runs handler
// (StartServiceCtrlDispatcher, then ServiceMain): Execute runs in a new
// goroutine, a thread of the service's process; Run returns once Execute
// has returned and SERVICE_STOPPED is reported with its exit code. A name
// holding a NUL is syscall.EINVAL, as x/sys's conversion gives.
func Run(name string, handler Handler) error {
	if strings.IndexByte(name, 0) >= 0 {
		return syscall.EINVAL
	}
	b := twinrt.Current()
	run, ok := b.Self().Tag.(*twinsvc.Run)
	if !ok {
		return windows.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
	}
	if !run.Connect() {
		return windows.ERROR_SERVICE_ALREADY_RUNNING
	}
	defer run.Disconnect()
	h := windows.Handle(run.StatusHandle)
	requests := make(chan ChangeRequest)
	changes := make(chan Status)
	exit := make(chan exitCode, 1)
	ended := run.HandlerStarted()
	b.Go(run.Process.NewThread(run.Name+":Execute"), run, func() {
		defer ended()
		defer func() {
			if r := recover(); r != nil {
				select {
				case <-run.Killed:
					// The process was terminated: the handler's send on its
					// closed status channel ends its goroutine.
				default:
					panic(r)
				}
			}
		}()
		ss, errno := handler.Execute(run.Args, requests, changes)
		exit <- exitCode{ss, errno}
	})
	ec, killed := dispatch(run, h, requests, changes, exit)
	if killed {
		close(requests)
		close(changes)
		runtime.Goexit()
	}
	updateStatus(h, Status{State: Stopped}, ec)
	return nil
}

// dispatch is the service's dispatcher: it passes controls to the handler
// one at a time (a control waits until the handler took the previous one)
// and the handler's statuses to the SCM, until Execute returns, a status
// report fails, or the process is terminated.
func dispatch(run *twinsvc.Run, h windows.Handle, requests chan<- ChangeRequest, changes <-chan Status, exit <-chan exitCode) (ec exitCode, killed bool) {
	ec = exitCode{isSvcSpecific: true}
	pending := ChangeRequest{CurrentStatus: Status{State: Stopped}}
	controls := run.Controls
	var out chan<- ChangeRequest
	for {
		select {
		case c := <-controls:
			pending.Cmd, pending.EventType, pending.EventData, pending.Context = Cmd(c), 0, 0, requestContext
			controls, out = nil, requests
		case out <- pending:
			controls, out = run.Controls, nil
		case s := <-changes:
			if err := updateStatus(h, s, ec); err != nil {
				ec.errno = uint32(windows.ERROR_EXCEPTION_IN_SERVICE)
				if e, ok := err.(windows.Errno); ok {
					ec.errno = uint32(e)
				}
				return ec, false
			}
			pending.CurrentStatus = s
		case ec = <-exit:
			return ec, false
		case <-run.Killed:
			return ec, true
		}
	}
}

// acceptBits are the Accepted bits a status report passes on.
const acceptBits = AcceptStop | AcceptShutdown | AcceptPauseAndContinue | AcceptParamChange | AcceptNetBindChange |
	AcceptHardwareProfileChange | AcceptPowerEvent | AcceptSessionChange | AcceptPreShutdown

// updateStatus reports s with the exit code ec through the status handle,
// as x/sys's service does: an own-process service, the known accept bits,
// and the exit code as a Win32 code or a service-specific one.
func updateStatus(h windows.Handle, s Status, ec exitCode) error {
	st := windows.SERVICE_STATUS{
		ServiceType:      windows.SERVICE_WIN32_OWN_PROCESS,
		CurrentState:     uint32(s.State),
		ControlsAccepted: uint32(s.Accepts & acceptBits),
		CheckPoint:       s.CheckPoint,
		WaitHint:         s.WaitHint,
	}
	switch {
	case ec.errno == 0:
	case ec.isSvcSpecific:
		st.Win32ExitCode = uint32(windows.ERROR_SERVICE_SPECIFIC_ERROR)
		st.ServiceSpecificExitCode = ec.errno
	default:
		st.Win32ExitCode = ec.errno
	}
	return windows.SetServiceStatus(h, &st)
}

// StatusHandle returns the SERVICE_STATUS_HANDLE of the calling service
// program's run (its handler's included), 0 outside a service program.
func StatusHandle() windows.Handle {
	if run, ok := twinrt.Current().Self().Tag.(*twinsvc.Run); ok {
		return windows.Handle(run.StatusHandle)
	}
	return 0
}

// IsWindowsService reports whether the calling goroutine runs as a
// Windows service: it is a thread of a service's process (its program's,
// started by StartService, its handler's, or one they started).
func IsWindowsService() (bool, error) {
	_, ok := twinrt.Current().Self().Tag.(*twinsvc.Run)
	return ok, nil
}
