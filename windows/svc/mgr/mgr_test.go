package mgr_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unsafe"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/svc"
	"github.com/winsim/winsim/windows/svc/mgr"
	"github.com/winsim/winsim/windows/winsimtest"
)

// exe is the executable the tests' services run.
const exe = `C:\Program Files\winsim\agent.exe`

// handlerFunc is a svc.Handler made of a function.
type handlerFunc func(args []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32)

func (f handlerFunc) Execute(args []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
	return f(args, r, s)
}

// slowStart reports START_PENDING, then RUNNING after delay, accepting
// STOP, and stops on STOP.
func slowStart(delay time.Duration) handlerFunc {
	return func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
		s <- svc.Status{State: svc.StartPending, WaitHint: uint32(delay / time.Millisecond)}
		time.Sleep(delay)
		s <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop}
		for c := range r {
			switch c.Cmd {
			case svc.Interrogate:
				s <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				s <- svc.Status{State: svc.StopPending}
				return false, 0
			}
		}
		return false, 0
	}
}

// install binds a machine, makes exe run h as the service name, and
// creates the service.
func install(t *testing.T, name string, h svc.Handler) (*winsimtest.Machine, *mgr.Mgr, *mgr.Service) {
	t.Helper()
	m := winsimtest.Use(t, winsimtest.Options{})
	m.SetServiceProgram(exe, func(args []string) {
		if err := svc.Run(name, h); err != nil {
			t.Errorf("svc.Run: %v", err)
		}
	})
	sm, err := mgr.Connect()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sm.CreateService(name, exe, mgr.Config{DisplayName: "winsim " + name}, "-service")
	if err != nil {
		t.Fatal(err)
	}
	return m, sm, s
}

// TestSlowStartPolled: a service that takes 30 s to report RUNNING,
// polled every 100 ms with Query, is START_PENDING for 300 polls and
// RUNNING at exactly 30 s of the bubble's clock; the real time is only
// logged.
func TestSlowStartPolled(t *testing.T) {
	real := time.Now()
	synctest.Test(t, func(t *testing.T) {
		_, _, s := install(t, "slow", slowStart(30*time.Second))
		start := time.Now()
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		pending := 0
		for {
			st, err := s.Query()
			if err != nil {
				t.Fatal(err)
			}
			if st.State == svc.Running {
				break
			}
			if st.State != svc.StartPending {
				t.Fatalf("state %d while starting", st.State)
			}
			pending++
			// The service's report due at the same instant comes first:
			// synctest.Wait lets every other goroutine of the bubble run
			// until it blocks.
			time.Sleep(100 * time.Millisecond)
			synctest.Wait()
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("RUNNING seen after %v, want 30s", got)
		}
		if pending != 300 {
			t.Errorf("%d polls saw START_PENDING, want 300", pending)
		}
		st, err := s.Control(svc.Stop)
		if err != nil || st.State != svc.Running {
			t.Errorf("Control(Stop) = %+v, %v; want the RUNNING status it had, nil", st, err)
		}
		waitState(t, s, svc.Stopped)
	})
	t.Logf("30 s of service start took %v of real time", time.Since(real))
}

// waitState polls s every 100 ms, up to a minute of the bubble's clock,
// until it is in state want.
func waitState(t *testing.T, s *mgr.Service, want svc.State) svc.Status {
	t.Helper()
	for range 600 {
		st, err := s.Query()
		if err != nil {
			t.Fatal(err)
		}
		if st.State == want {
			return st
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
	}
	st, _ := s.Query()
	t.Fatalf("state %d after a minute, want %d", st.State, want)
	return st
}

// TestStopDuringStartPending: while START_PENDING, a control other than
// STOP cannot be accepted, STOP is not valid until the service accepts it,
// and once it does the handler gets it and the service stops with the
// exit code Execute returned.
func TestStopDuringStartPending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		accepting := make(chan struct{})
		h := handlerFunc(func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
			s <- svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 60000}
			<-accepting
			s <- svc.Status{State: svc.StartPending, Accepts: svc.AcceptStop, CheckPoint: 2, WaitHint: 60000}
			c := <-r
			if c.Cmd != svc.Stop || c.CurrentStatus.CheckPoint != 2 || c.Context != 123456 {
				t.Errorf("the handler got %+v, want Stop with the status of checkpoint 2", c)
			}
			s <- svc.Status{State: svc.StopPending}
			return true, 42
		})
		_, _, s := install(t, "pending", h)
		if err := s.Start("a", "b"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		tests := []struct {
			cmd  svc.Cmd
			want error
		}{
			{svc.Interrogate, windows.ERROR_SERVICE_CANNOT_ACCEPT_CTRL},
			{svc.Pause, windows.ERROR_SERVICE_CANNOT_ACCEPT_CTRL},
			{svc.Stop, windows.ERROR_INVALID_SERVICE_CONTROL},
		}
		for _, tt := range tests {
			st, err := s.Control(tt.cmd)
			if err != tt.want || st.State != svc.StartPending {
				t.Errorf("Control(%d) while START_PENDING = %+v, %v; want START_PENDING, %v", tt.cmd, st, err, tt.want)
			}
		}
		close(accepting)
		synctest.Wait()
		st, err := s.Control(svc.Stop)
		if err != nil || st.State != svc.StartPending || st.Accepts != svc.AcceptStop {
			t.Fatalf("Control(Stop) accepting STOP = %+v, %v; want START_PENDING accepting STOP, nil", st, err)
		}
		final := waitState(t, s, svc.Stopped)
		if final.Win32ExitCode != uint32(windows.ERROR_SERVICE_SPECIFIC_ERROR) || final.ServiceSpecificExitCode != 42 || final.ProcessId != 0 {
			t.Errorf("stopped with %+v; want ERROR_SERVICE_SPECIFIC_ERROR, 42, pid 0", final)
		}
		if _, err := s.Control(svc.Stop); err != windows.ERROR_SERVICE_NOT_ACTIVE {
			t.Errorf("Control(Stop) when stopped: %v, want ERROR_SERVICE_NOT_ACTIVE", err)
		}
	})
}

// TestNeverRunning: a handler that never reports RUNNING (and reports
// nothing for its first 5 s, while the status is the SCM's): a client waiting
// 30 s for RUNNING with NotifyServiceStatusChange and an alertable SleepEx
// times out, the service is still START_PENDING, and the test's cleanup
// stops the handler (it returns on STOP).
func TestNeverRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := handlerFunc(func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
			time.Sleep(5 * time.Second) // initializing before its first report
			s <- svc.Status{State: svc.StartPending, WaitHint: 5000}
			for c := range r {
				if c.Cmd == svc.Stop {
					return false, 0
				}
			}
			return false, 0
		})
		_, _, s := install(t, "stuck", h)
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		// Before the service's first report, the status is the SCM's
		// (rule scm.start.start-pending).
		var raw windows.SERVICE_STATUS
		if err := windows.QueryServiceStatus(s.Handle, &raw); err != nil || raw.CurrentState != windows.SERVICE_START_PENDING ||
			raw.WaitHint != 2000 || raw.CheckPoint != 0 || raw.ControlsAccepted != 0 {
			t.Errorf("QueryServiceStatus before the first report = %+v, %v; want START_PENDING, wait hint 2000", raw, err)
		}
		called := 0
		n := &windows.SERVICE_NOTIFY{Version: windows.SERVICE_NOTIFY_STATUS_CHANGE,
			NotifyCallback: windows.NewCallback(func(uintptr) uintptr { called++; return 0 })}
		if err := windows.NotifyServiceStatusChange(s.Handle, windows.SERVICE_NOTIFY_RUNNING, n); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if r := windows.SleepEx(30000, true); r != 0 || called != 0 {
			t.Errorf("SleepEx = %#x with %d callbacks; want 0 (the timeout), none", r, called)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("the wait took %v, want 30s", got)
		}
		if st, err := s.Query(); err != nil || st.State != svc.StartPending {
			t.Errorf("Query = %+v, %v; want START_PENDING", st, err)
		}
	})
}

// TestNotifyRunning: the notification's callback runs on the registering
// goroutine, only in its alertable wait, when the service reports
// RUNNING; the buffer carries the RUNNING status and the bit that fired.
func TestNotifyRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, _, s := install(t, "notify", slowStart(10*time.Second))
		var got windows.SERVICE_NOTIFY
		var at time.Duration
		start := time.Now()
		cb := windows.NewCallback(func(p *windows.SERVICE_NOTIFY) uintptr {
			got, at = *p, time.Since(start)
			return 0
		})
		n := &windows.SERVICE_NOTIFY{Version: windows.SERVICE_NOTIFY_STATUS_CHANGE, NotifyCallback: cb, Context: 7}
		if err := windows.NotifyServiceStatusChange(s.Handle, windows.SERVICE_NOTIFY_RUNNING|windows.SERVICE_NOTIFY_PAUSED, n); err != nil {
			t.Fatal(err)
		}
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		// Not alertable: the service is RUNNING after 10 s, the callback
		// waits for an alertable wait.
		if r := windows.SleepEx(20000, false); r != 0 || at != 0 {
			t.Fatalf("a non-alertable SleepEx = %#x, callback at %v; want 0 and no callback", r, at)
		}
		if r := windows.SleepEx(windows.INFINITE, true); r != windows.WAIT_IO_COMPLETION {
			t.Fatalf("alertable SleepEx = %#x, want WAIT_IO_COMPLETION", r)
		}
		if at != 20*time.Second {
			t.Errorf("the callback ran at %v, want 20s (the alertable wait)", at)
		}
		if got.NotificationStatus != 0 || got.NotificationTriggered != windows.SERVICE_NOTIFY_RUNNING ||
			got.ServiceStatus.CurrentState != windows.SERVICE_RUNNING || got.ServiceStatus.ProcessId == 0 || got.Context != 7 {
			t.Errorf("the callback's buffer: %+v", got)
		}
		s.Control(svc.Stop)
	})
}

// TestCallbackCallsSCM: a notification callback that queries the service
// runs (the twins let an APC routine call them) and is reported as a
// contract violation (rule scm.contract.scm-call-in-callback).
func TestCallbackCallsSCM(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, s := install(t, "callback", slowStart(time.Second))
		var inside svc.Status
		var qerr error
		n := &windows.SERVICE_NOTIFY{Version: windows.SERVICE_NOTIFY_STATUS_CHANGE}
		n.NotifyCallback = windows.NewCallback(func(uintptr) uintptr {
			inside, qerr = s.Query()
			return 0
		})
		if err := windows.NotifyServiceStatusChange(s.Handle, windows.SERVICE_NOTIFY_STOPPED, n); err != nil {
			t.Fatal(err)
		}
		if r := windows.SleepEx(0, true); r != windows.WAIT_IO_COMPLETION || qerr != nil || inside.State != svc.Stopped {
			t.Fatalf("SleepEx = %#x; the callback's Query = %+v, %v", r, inside, qerr)
		}
		var rules []string
		for _, v := range m.Violations() {
			rules = append(rules, v.Rule.ID)
		}
		if len(rules) != 1 || rules[0] != "scm.contract.scm-call-in-callback" {
			t.Errorf("violations %v, want [scm.contract.scm-call-in-callback]", rules)
		}
	})
}

// TestServiceCalls: table of the service side's and the client's answers
// that do not need a running service.
func TestServiceCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := winsimtest.Use(t, winsimtest.Options{})
		sm, err := mgr.Connect()
		if err != nil {
			t.Fatal(err)
		}
		s, err := sm.CreateService("noimage", `C:\missing.exe`, mgr.Config{})
		if err != nil {
			t.Fatal(err)
		}
		st, qerr := s.Query()
		tests := []struct {
			name string
			got  error
			want error
		}{
			{"Start without a program", s.Start(), windows.ERROR_FILE_NOT_FOUND},
			{"Run outside a service", svc.Run("noimage", handlerFunc(nil)), windows.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT},
			{"a second CreateService", second(sm.CreateService("noimage", exe, mgr.Config{})), windows.ERROR_SERVICE_EXISTS},
			{"OpenService of an unknown name", second(sm.OpenService("nosuch")), windows.ERROR_SERVICE_DOES_NOT_EXIST},
			{"ConnectRemote", second(mgr.ConnectRemote("elsewhere")), windows.RPC_S_SERVER_UNAVAILABLE},
			{"Query of a new service", qerr, nil},
			{"Delete", s.Delete(), nil},
			{"Delete again", s.Delete(), windows.ERROR_SERVICE_MARKED_FOR_DELETE},
			{"Close", s.Close(), nil},
			{"Close again", s.Close(), windows.ERROR_INVALID_HANDLE},
			{"OpenService after the delete", second(sm.OpenService("noimage")), windows.ERROR_SERVICE_DOES_NOT_EXIST},
			{"Disconnect", sm.Disconnect(), nil},
		}
		for _, tt := range tests {
			if tt.got != tt.want {
				t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
			}
		}
		if st.State != svc.Stopped || st.Win32ExitCode != uint32(windows.ERROR_SERVICE_NEVER_STARTED) {
			t.Errorf("a new service: %+v, want STOPPED, ERROR_SERVICE_NEVER_STARTED", st)
		}
		if names := m.Sim().Profile().Name; names == "" {
			t.Error("no profile")
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestQueryServiceStatusEx: the buffer cases of the raw call: a NULL one
// gives ERROR_INSUFFICIENT_BUFFER with the size needed, a short one and a
// NULL one with a size are refused as not modeled, a whole one is filled.
func TestQueryServiceStatusEx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, _, s := install(t, "ex", slowStart(0))
		var st windows.SERVICE_STATUS_PROCESS
		var needed uint32
		size := uint32(unsafe.Sizeof(st))
		if err := windows.QueryServiceStatusEx(s.Handle, windows.SC_STATUS_PROCESS_INFO, nil, 0, &needed); err != windows.ERROR_INSUFFICIENT_BUFFER || needed != size {
			t.Errorf("NULL buffer: %v, needed %d; want ERROR_INSUFFICIENT_BUFFER, %d", err, needed, size)
		}
		if err := windows.QueryServiceStatusEx(s.Handle, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&st)), size-1, &needed); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("short buffer: %v, want ErrUnsupported", err)
		}
		if err := windows.QueryServiceStatusEx(s.Handle, windows.SC_STATUS_PROCESS_INFO, nil, size, &needed); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("NULL buffer with a size: %v, want ErrUnsupported", err)
		}
		if err := windows.QueryServiceStatusEx(s.Handle, 1, (*byte)(unsafe.Pointer(&st)), size, &needed); err != windows.ERROR_INVALID_LEVEL {
			t.Errorf("level 1: %v, want ERROR_INVALID_LEVEL", err)
		}
		if err := windows.QueryServiceStatusEx(s.Handle, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&st)), size, &needed); err != nil || st.CurrentState != windows.SERVICE_STOPPED {
			t.Errorf("whole buffer: %v, %+v", err, st)
		}
	})
}

// TestHandlerIgnoresStop runs a test whose service ignores STOP in a
// child process: it fails with a message naming the service and the
// status it reported last, and ends without a synctest deadlock.
func TestHandlerIgnoresStop(t *testing.T) {
	if os.Getenv("WINSIM_CHILD_IGNORES_STOP") != "" {
		ignoresStop(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHandlerIgnoresStop$", "-test.count=1")
	cmd.Env = append(os.Environ(), "WINSIM_CHILD_IGNORES_STOP=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("the child test: %v, want exit status 1; output:\n%s", err, out)
	}
	for _, want := range []string{
		`service "deaf" did not stop when the test ended`,
		"it last reported SERVICE_RUNNING accepting SERVICE_ACCEPT_STOP",
		"Its process is terminated",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the child's output lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"deadlock", "panic:"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("the child's output has %q:\n%s", bad, out)
		}
	}
}

func ignoresStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := handlerFunc(func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
			s <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop}
			for c := range r {
				fmt.Println("ignoring", c.Cmd)
			}
			return false, 0
		})
		_, _, s := install(t, "deaf", h)
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		waitState(t, s, svc.Running)
	})
}

// mgrOf connects to the bound machine's SCM.
func mgrOf(t *testing.T) *mgr.Mgr {
	t.Helper()
	sm, err := mgr.Connect()
	if err != nil {
		t.Fatal(err)
	}
	return sm
}

func mgrConfig() mgr.Config { return mgr.Config{} }

// multiSZ reads a list of NUL-terminated UTF-16 strings ending with an
// empty one.
func multiSZ(p *uint16) []string {
	var out []string
	for p != nil && *p != 0 {
		var u []rune
		for ; *p != 0; p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2)) {
			u = append(u, rune(*p))
		}
		p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2))
		out = append(out, string(u))
	}
	return out
}
