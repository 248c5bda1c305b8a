package scm_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// fixture is a machine with an SCM, a client thread and one service.
type fixture struct {
	m   *sim.Machine
	mg  *scm.Manager
	t   *sim.Thread
	scm sim.Handle
	svc sim.Handle
}

func newFixture(t *testing.T, profile string) *fixture {
	t.Helper()
	m := sim.MustNewMachine(sim.Options{Profile: profile})
	mg := scm.New(m)
	th := m.NewProcess("client.exe").NewThread("main")
	h, code := mg.OpenSCManager(th, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	svc, code := mg.CreateService(th, h, win32.CreateServiceParams{
		Name: win32.Str("svc"), DesiredAccess: win32.SERVICE_ALL_ACCESS,
		ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START,
		BinaryPath: win32.Str(`C:\svc.exe`),
	})
	require.Equal(t, sim.ERROR_SUCCESS, code)
	return &fixture{m: m, mg: mg, t: th, scm: h, svc: svc}
}

type seen struct {
	status    sim.Errno
	triggered win32.ServiceNotifyMask
	state     win32.ServiceState
}

func recorder(log *[]seen) *win32.SERVICE_NOTIFY {
	return &win32.SERVICE_NOTIFY{
		Version: win32.SERVICE_NOTIFY_STATUS_CHANGE,
		NotifyCallback: func(n *win32.SERVICE_NOTIFY) {
			*log = append(*log, seen{n.NotificationStatus, n.NotificationTriggered, n.ServiceStatus.CurrentState})
		},
	}
}

// The Wine test_servicenotify sequence: immediate STOPPED, then RUNNING after
// a start, then a re-registration that must not fire, then STOPPED.
func TestNotifySequenceFromWineTest(t *testing.T) {
	for _, tc := range []struct {
		profile     string
		secondCode  sim.Errno
		secondSleep sim.WaitResult
	}{
		{"win8", sim.ERROR_SUCCESS, sim.WAIT_IO_COMPLETION},
		{"win7", sim.ERROR_ALREADY_REGISTERED, 0},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			f := newFixture(t, tc.profile)
			require.NoError(t, f.mg.SetProgram("svc", win32.TypicalProgram(10*time.Millisecond, 10*time.Millisecond)))
			var log []seen
			n := recorder(&log)
			mask := win32.SERVICE_NOTIFY_STOPPED | win32.SERVICE_NOTIFY_RUNNING

			require.Equal(t, sim.ERROR_SUCCESS, f.mg.NotifyServiceStatusChange(f.t, f.svc, mask, n))
			r, err := f.t.SleepEx(100, true)
			require.NoError(t, err)
			require.Equal(t, sim.WAIT_IO_COMPLETION, r)
			require.Equal(t, []seen{{sim.ERROR_SUCCESS, win32.SERVICE_NOTIFY_STOPPED, win32.SERVICE_STOPPED}}, log)

			require.Equal(t, sim.ERROR_SUCCESS, f.mg.StartService(f.t, f.svc, nil))
			require.Equal(t, sim.ERROR_SUCCESS, f.mg.NotifyServiceStatusChange(f.t, f.svc, mask, n))
			r, err = f.t.SleepEx(100, true)
			require.NoError(t, err)
			require.Equal(t, sim.WAIT_IO_COMPLETION, r)
			require.Equal(t, seen{sim.ERROR_SUCCESS, win32.SERVICE_NOTIFY_RUNNING, win32.SERVICE_RUNNING}, log[1])

			log = nil
			require.Equal(t, sim.ERROR_SUCCESS, f.mg.NotifyServiceStatusChange(f.t, f.svc, mask, n))
			var log2 []seen
			require.Equal(t, tc.secondCode, f.mg.NotifyServiceStatusChange(f.t, f.svc, mask, recorder(&log2)))
			r, err = f.t.SleepEx(100, true)
			require.NoError(t, err)
			require.Equal(t, tc.secondSleep, r)
			require.Empty(t, log, "the first request must stay pending: the state has not changed")

			var st win32.SERVICE_STATUS
			require.Equal(t, sim.ERROR_SUCCESS, f.mg.ControlService(f.t, f.svc, win32.SERVICE_CONTROL_STOP, &st))
			require.Equal(t, win32.SERVICE_STOP_PENDING, st.CurrentState)
			r, err = f.t.SleepEx(100, true)
			require.NoError(t, err)
			require.Equal(t, sim.WAIT_IO_COMPLETION, r)
			require.Equal(t, []seen{{sim.ERROR_SUCCESS, win32.SERVICE_NOTIFY_STOPPED, win32.SERVICE_STOPPED}}, log)
			require.Empty(t, f.m.Violations())
		})
	}
}

func TestCloseCancelsPending(t *testing.T) {
	f := newFixture(t, "")
	var log []seen
	h2, code := f.mg.OpenService(f.t, f.scm, win32.Str("svc"), win32.SERVICE_ALL_ACCESS)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.NotifyServiceStatusChange(f.t, h2, win32.SERVICE_NOTIFY_START_PENDING, recorder(&log)))
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.CloseServiceHandle(f.t, h2))
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.StartService(f.t, f.svc, nil))
	r, err := f.t.SleepEx(100, true)
	require.NoError(t, err)
	require.Equal(t, sim.WaitResult(0), r)
	require.Empty(t, log)
}

func TestDeleteLifecycle(t *testing.T) {
	f := newFixture(t, "")
	var created, deleted []string
	watch := func(out *[]string) *win32.SERVICE_NOTIFY {
		return &win32.SERVICE_NOTIFY{Version: 2, NotifyCallback: func(n *win32.SERVICE_NOTIFY) { *out = append(*out, n.ServiceNames...) }}
	}
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.NotifyServiceStatusChange(f.t, f.scm, win32.SERVICE_NOTIFY_DELETED, watch(&deleted)))
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.DeleteService(f.t, f.svc))
	require.Equal(t, sim.ERROR_SERVICE_MARKED_FOR_DELETE, f.mg.DeleteService(f.t, f.svc))
	marked, code := f.mg.OpenService(f.t, f.scm, win32.Str("svc"), win32.SERVICE_QUERY_STATUS)
	require.Equal(t, sim.ERROR_SUCCESS, code, "a marked service still opens")
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.CloseServiceHandle(f.t, f.svc))
	r, _ := f.t.SleepEx(10, true)
	require.Equal(t, sim.WaitResult(0), r, "DELETED cannot arrive while a handle is open")
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.CloseServiceHandle(f.t, marked))
	r, _ = f.t.SleepEx(10, true)
	require.Equal(t, sim.WAIT_IO_COMPLETION, r)
	require.Equal(t, []string{"svc"}, deleted)
	_, code = f.mg.OpenService(f.t, f.scm, win32.Str("svc"), win32.SERVICE_QUERY_STATUS)
	require.Equal(t, sim.ERROR_SERVICE_DOES_NOT_EXIST, code)
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.NotifyServiceStatusChange(f.t, f.scm, win32.SERVICE_NOTIFY_CREATED, watch(&created)))
	_, code = f.mg.CreateService(f.t, f.scm, win32.CreateServiceParams{Name: win32.Str("svc"), BinaryPath: win32.Str("x"), ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START})
	require.Equal(t, sim.ERROR_SUCCESS, code)
	f.t.SleepEx(0, true)
	require.Equal(t, []string{"/svc"}, created)
}

// TestConcurrentCallers drives one manager from several goroutines, each with
// its own simulated thread: the lock at the API boundary keeps the model
// consistent (run with -race).
func TestConcurrentCallers(t *testing.T) {
	f := newFixture(t, "")
	done := make(chan sim.Errno)
	for i := range 4 {
		th := f.t.Proc.NewThread(fmt.Sprintf("worker%d", i))
		go func() {
			code := sim.ERROR_SUCCESS
			for range 200 {
				h, c := f.mg.OpenService(th, f.scm, win32.Str("svc"), win32.SERVICE_QUERY_STATUS)
				var st win32.SERVICE_STATUS
				if c == sim.ERROR_SUCCESS {
					c = f.mg.QueryServiceStatus(th, h, &st)
				}
				if c == sim.ERROR_SUCCESS {
					c = f.mg.CloseServiceHandle(th, h)
				}
				if c != sim.ERROR_SUCCESS {
					code = c
				}
			}
			done <- code
		}()
	}
	for range 4 {
		require.Equal(t, sim.ERROR_SUCCESS, <-done)
	}
	require.Equal(t, 2, f.t.Proc.HandleCount(), "only the fixture's SCM and service handles stay open")
}
