package mgr_test

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/svc"
)

// TestControlsRoundTrip: Interrogate, Pause and Continue reach the
// handler in order, each with the status it reported last, and its
// reports move the service through the pending states.
func TestControlsRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var seen []svc.ChangeRequest
		var inService, inTest bool
		h := handlerFunc(func(args []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
			worker := make(chan bool)
			go func() {
				in, _ := svc.IsWindowsService()
				worker <- in
			}()
			inService, _ = svc.IsWindowsService()
			inService = inService && <-worker
			if len(args) != 2 || args[0] != "ctl" || args[1] != "now" {
				t.Errorf("Execute's args %q, want [ctl now]", args)
			}
			running := svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptPauseAndContinue}
			s <- running
			for c := range r {
				seen = append(seen, c)
				switch c.Cmd {
				case svc.Interrogate:
					s <- c.CurrentStatus
				case svc.Pause:
					s <- svc.Status{State: svc.PausePending, Accepts: running.Accepts}
					time.Sleep(time.Second)
					s <- svc.Status{State: svc.Paused, Accepts: running.Accepts}
				case svc.Continue:
					s <- svc.Status{State: svc.ContinuePending, Accepts: running.Accepts}
					time.Sleep(time.Second)
					s <- running
				case svc.Stop:
					return false, 7
				}
			}
			return false, 0
		})
		_, _, s := install(t, "ctl", h)
		inTest, _ = svc.IsWindowsService()
		if err := s.Start("now"); err != nil {
			t.Fatal(err)
		}
		waitState(t, s, svc.Running)
		steps := []struct {
			cmd       svc.Cmd
			wantReply svc.State // the status ControlService returns
			thenState svc.State
		}{
			{svc.Interrogate, svc.Running, svc.Running},
			{svc.Pause, svc.Running, svc.Paused},
			{svc.Continue, svc.Paused, svc.Running},
			{svc.Stop, svc.Running, svc.Stopped},
		}
		for _, st := range steps {
			got, err := s.Control(st.cmd)
			if err != nil || got.State != st.wantReply {
				t.Errorf("Control(%d) = %+v, %v; want state %d", st.cmd, got, err, st.wantReply)
			}
			waitState(t, s, st.thenState)
		}
		if len(seen) != 4 || seen[1].Cmd != svc.Pause || seen[2].CurrentStatus.State != svc.Paused {
			t.Errorf("the handler saw %+v", seen)
		}
		if final, _ := s.Query(); final.Win32ExitCode != 7 {
			t.Errorf("exit code %d, want 7 (a Win32 code)", final.Win32ExitCode)
		}
		if !inService || inTest {
			t.Errorf("IsWindowsService: %v in the handler and its worker, %v in the test; want true, false", inService, inTest)
		}
	})
}

// TestBusyHandlerTimesOut: a handler that never reads its requests takes
// one control into the dispatcher; the next waits 30 s of the model's
// clock and gives ERROR_SERVICE_REQUEST_TIMEOUT.
func TestBusyHandlerTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		h := handlerFunc(func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
			s <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop}
			<-release // busy
			<-r
			<-r
			return false, 0
		})
		_, _, s := install(t, "busy", h)
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		waitState(t, s, svc.Running)
		if _, err := s.Control(svc.Interrogate); err != nil {
			t.Fatalf("the first control: %v", err)
		}
		start := time.Now()
		var st windows.SERVICE_STATUS
		if err := windows.ControlService(s.Handle, windows.SERVICE_CONTROL_INTERROGATE, &st); err != windows.ERROR_SERVICE_REQUEST_TIMEOUT || st.CurrentState != 0 {
			t.Errorf("the second control: %v with status %+v, want ERROR_SERVICE_REQUEST_TIMEOUT and no status", err, st)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("the second control took %v, want 30s", got)
		}
		close(release)
	})
}

// TestProgramWithoutRun: a program that returns without calling svc.Run
// leaves the service START_PENDING (the model has no process exit), and
// StartService returns when it returns; a second svc.Run in one service
// process is refused.
func TestProgramWithoutRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, s := install(t, "norun", nil)
		var second error
		m.SetServiceProgram(exe, func(args []string) {
			if len(args) != 2 || args[1] != "-service" {
				t.Errorf("the program's command line %q, want [exe -service]", args)
			}
			go func() {}()
		})
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Query(); st.State != svc.StartPending {
			t.Errorf("state %d, want START_PENDING", st.State)
		}
		s2, err := mgrOf(t).CreateService("twice", exe+"2", mgrConfig())
		if err != nil {
			t.Fatal(err)
		}
		m.SetServiceProgram(exe+"2", func([]string) {
			svc.Run("twice", handlerFunc(func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
				second = svc.Run("twice", nil)
				return false, 0
			}))
		})
		if err := s2.Start(); err != nil {
			t.Fatal(err)
		}
		waitState(t, s2, svc.Stopped)
		if second != windows.ERROR_SERVICE_ALREADY_RUNNING {
			t.Errorf("a second svc.Run: %v, want ERROR_SERVICE_ALREADY_RUNNING", second)
		}
	})
}

// TestNotifyOnSCMHandle: a request on the SCM handle for CREATED gets the
// new service's name, "/" before it, as a list ending with an empty
// string; another goroutine's alertable wait does not run the callback;
// names created between two requests come together.
func TestNotifyOnSCMHandle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, sm, _ := install(t, "first", nil)
		var names []string
		n := &windows.SERVICE_NOTIFY{Version: windows.SERVICE_NOTIFY_STATUS_CHANGE}
		n.NotifyCallback = windows.NewCallback(func(p *windows.SERVICE_NOTIFY) uintptr {
			names = multiSZ(p.ServiceNames)
			return 0
		})
		if err := windows.NotifyServiceStatusChange(sm.Handle, windows.SERVICE_NOTIFY_CREATED, n); err != nil {
			t.Fatal(err)
		}
		if _, err := sm.CreateService("second", exe, mgrConfig()); err != nil {
			t.Fatal(err)
		}
		other := make(chan uint32)
		go func() { other <- windows.SleepEx(0, true) }()
		if r := <-other; r != 0 || names != nil {
			t.Errorf("another goroutine's alertable SleepEx = %#x, names %q; want 0, none", r, names)
		}
		if r := windows.SleepEx(0, true); r != windows.WAIT_IO_COMPLETION || len(names) != 1 || names[0] != "/second" {
			t.Errorf("SleepEx = %#x, names %q; want WAIT_IO_COMPLETION, [/second]", r, names)
		}
		// Creations between two requests on the handle come together with
		// the next one (rule scm.notify.names-accumulate).
		for _, name := range []string{"third", "fourth"} {
			if _, err := sm.CreateService(name, exe, mgrConfig()); err != nil {
				t.Fatal(err)
			}
		}
		if err := windows.NotifyServiceStatusChange(sm.Handle, windows.SERVICE_NOTIFY_CREATED, n); err != nil {
			t.Fatal(err)
		}
		if r := windows.SleepEx(0, true); r != windows.WAIT_IO_COMPLETION || fmt.Sprint(names) != "[/third /fourth]" {
			t.Errorf("SleepEx = %#x, names %q; want WAIT_IO_COMPLETION, [/third /fourth]", r, names)
		}
	})
}

// TestRestart: a service stopped and started again runs its program
// again, in a new process, and the controls go to the new run.
func TestRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		starts := 0
		h := handlerFunc(func(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
			starts++
			s <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop}
			for c := range r {
				if c.Cmd == svc.Stop {
					return false, 0
				}
			}
			return false, 0
		})
		_, _, s := install(t, "again", h)
		var pids []uint32
		for range 2 {
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			pids = append(pids, waitState(t, s, svc.Running).ProcessId)
			if _, err := s.Control(svc.Stop); err != nil {
				t.Fatal(err)
			}
			waitState(t, s, svc.Stopped)
		}
		if starts != 2 || pids[0] == 0 || pids[0] == pids[1] {
			t.Errorf("%d starts, process ids %v; want 2 starts in two processes", starts, pids)
		}
	})
}
