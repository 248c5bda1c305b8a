package windows

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/win32"
)

// ServiceFlag is the first argument of the test service's command line:
// "<program> -winsim-test-service <pipe> <service name>".
const ServiceFlag = "-winsim-test-service"

// RunService runs the program as the Backend's test service when its
// command line says so, and then ends the process; otherwise it returns at
// once. A program that creates a Backend calls it first thing in main (a
// test binary, in TestMain), because the backend starts services that run
// the program itself, so that nothing else needs building.
//
// The service connects to the backend's pipe, takes the program
// (win32.Program) it should follow, calls SetServiceStatus whenever the
// backend asks and answers controls as the program says, until the backend
// ends the session.
func RunService() {
	if len(os.Args) < 4 || os.Args[1] != ServiceFlag {
		return
	}
	os.Exit(runService(os.Args[2], os.Args[3]))
}

// startWaitHint is the wait hint the SCM sets when it starts a service.
const startWaitHint = 2000

// The test service's state: one service per process.
var svcState struct {
	pipe, name string
	status     windows.Handle // the SERVICE_STATUS_HANDLE

	mu      sync.Mutex
	program win32.Program
	timers  []*time.Timer
	stopped bool
	conn    *os.File
}

func runService(pipe, name string) int {
	svcState.pipe, svcState.name = pipe, name
	table := []windows.SERVICE_TABLE_ENTRY{
		{ServiceName: windows.StringToUTF16Ptr(name), ServiceProc: windows.NewCallback(serviceMain)},
		{},
	}
	if err := windows.StartServiceCtrlDispatcher(&table[0]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: not started as a service: %v\n", name, err)
		return 1
	}
	// Every service of the process has stopped; the session may go on (a
	// report after SERVICE_STOPPED is a case to test): it ends the process.
	select {}
}

// serviceMain is the ServiceMain of the test service.
func serviceMain(argc uint32, argv **uint16) uintptr {
	h, err := windows.RegisterServiceCtrlHandlerEx(windows.StringToUTF16Ptr(svcState.name), windows.NewCallback(controlHandler), 0)
	if err != nil {
		os.Exit(2)
	}
	svcState.status = h
	// What the SCM itself sets when it starts a service; reported again
	// here, first thing, because some SCMs (Wine's) hold StartService until
	// the service's first report.
	report(win32.SERVICE_STATUS{ServiceType: windows.SERVICE_WIN32_OWN_PROCESS, CurrentState: windows.SERVICE_START_PENDING, WaitHint: startWaitHint})
	f, err := dialPipe(svcState.pipe)
	if err != nil {
		os.Exit(3)
	}
	enc, dec := json.NewEncoder(f), json.NewDecoder(f)
	if err := enc.Encode(message{Op: "hello", Service: svcState.name, PID: windows.GetCurrentProcessId()}); err != nil {
		os.Exit(4)
	}
	var first message
	if err := dec.Decode(&first); err != nil || first.Program == nil {
		os.Exit(5)
	}
	svcState.mu.Lock()
	svcState.conn = f
	svcState.program = *first.Program
	svcState.mu.Unlock()
	schedule(first.Program.OnStart)
	go session(enc, dec)
	return 0
}

// session serves the backend's requests until it ends the session.
func session(enc *json.Encoder, dec *json.Decoder) {
	for {
		var m message
		if err := dec.Decode(&m); err != nil {
			os.Exit(0)
		}
		switch m.Op {
		case "report":
			code := report(*m.Status)
			_ = enc.Encode(message{Op: "reply", Code: code})
		case "program":
			svcState.mu.Lock()
			svcState.program = *m.Program
			svcState.mu.Unlock()
			_ = enc.Encode(message{Op: "reply"})
		default:
			os.Exit(0)
		}
	}
}

// report calls SetServiceStatus and returns its code. After SERVICE_STOPPED
// the reports still scheduled are dropped, as the model drops them.
func report(s win32.SERVICE_STATUS) uint32 {
	err := windows.SetServiceStatus(svcState.status, &windows.SERVICE_STATUS{
		ServiceType: uint32(s.ServiceType), CurrentState: uint32(s.CurrentState), ControlsAccepted: uint32(s.ControlsAccepted),
		Win32ExitCode: s.Win32ExitCode, ServiceSpecificExitCode: s.ServiceSpecificExitCode,
		CheckPoint: s.CheckPoint, WaitHint: s.WaitHint,
	})
	if err == nil && s.CurrentState == windows.SERVICE_STOPPED {
		svcState.mu.Lock()
		svcState.stopped = true
		for _, t := range svcState.timers {
			t.Stop()
		}
		svcState.timers = nil
		svcState.mu.Unlock()
	}
	return uint32(errno(err))
}

func status(r win32.Report) win32.SERVICE_STATUS {
	return win32.SERVICE_STATUS{
		ServiceType: windows.SERVICE_WIN32_OWN_PROCESS, CurrentState: r.State, ControlsAccepted: r.Accept,
		Win32ExitCode: r.Win32ExitCode, ServiceSpecificExitCode: r.SpecificExitCode,
		CheckPoint: r.CheckPoint, WaitHint: r.WaitHint,
	}
}

// schedule makes each report at its delay, in real time.
func schedule(reps []win32.Report) {
	svcState.mu.Lock()
	defer svcState.mu.Unlock()
	if svcState.stopped {
		return
	}
	for _, r := range reps {
		r := r
		svcState.timers = append(svcState.timers, time.AfterFunc(r.After, func() {
			svcState.mu.Lock()
			stopped := svcState.stopped
			svcState.mu.Unlock()
			if !stopped {
				report(status(r))
			}
		}))
	}
}

// controlHandler is the HandlerEx of the test service: the program's
// reports for the control with no delay are made before it returns, the
// others later.
func controlHandler(control, eventType uint32, eventData, context uintptr) uintptr {
	svcState.mu.Lock()
	reps := svcState.program.OnControl[win32.ServiceControl(control)]
	svcState.mu.Unlock()
	var later []win32.Report
	for _, r := range reps {
		if r.After == 0 {
			report(status(r))
		} else {
			later = append(later, r)
		}
	}
	schedule(later)
	return 0 // NO_ERROR
}

// dialPipe connects to the backend's pipe, waiting while every instance is
// busy.
func dialPipe(name string) (*os.File, error) {
	deadline := time.Now().Add(DefaultWatchdog)
	for {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err == nil || time.Now().After(deadline) {
			return f, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
