package windows_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	winbackend "github.com/winsim/winsim/backend/windows"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

func newBackend(t *testing.T) *winbackend.Backend {
	t.Helper()
	b, err := winbackend.New(winbackend.Options{})
	require.NoError(t, err)
	require.NoError(t, b.NewThread("main"))
	return b
}

func create(t *testing.T, b *winbackend.Backend, name string) (scmH, svc sim.Handle) {
	t.Helper()
	scmH, code := b.OpenSCManager("main", nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	svc, code = b.CreateService("main", scmH, win32.CreateServiceParams{
		Name: win32.Str(name), DesiredAccess: win32.SERVICE_ALL_ACCESS, ServiceType: win32.SERVICE_WIN32_OWN_PROCESS,
		StartType: win32.SERVICE_DEMAND_START, ErrorControl: win32.SERVICE_ERROR_NORMAL, BinaryPath: win32.Str(`C:\svc.exe`),
	})
	require.Equal(t, sim.ERROR_SUCCESS, code)
	return scmH, svc
}

// exists reports whether the system has a service of that real name.
func exists(t *testing.T, real string) bool {
	t.Helper()
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	require.NoError(t, err)
	defer windows.CloseServiceHandle(m)
	h, err := windows.OpenService(m, windows.StringToUTF16Ptr(real), windows.SERVICE_QUERY_STATUS)
	if err == nil {
		windows.CloseServiceHandle(h)
		return true
	}
	require.ErrorIs(t, err, windows.ERROR_SERVICE_DOES_NOT_EXIST)
	return false
}

func TestCapabilities(t *testing.T) {
	b := newBackend(t)
	defer func() { require.NoError(t, b.Close()) }()
	for _, c := range []backend.Capability{backend.CapVirtualClock, backend.CapViolations, backend.CapCallerContext, backend.CapFaultInjection, backend.CapTrace, backend.CapCrash, backend.CapInstallProvider} {
		assert.False(t, backend.Supports(b, c), c)
	}
	assert.True(t, backend.Supports(b, backend.CapServiceSide))
	assert.True(t, backend.Supports(b, backend.CapSCM))
	assert.ErrorIs(t, backend.Advance(b, 1), backend.ErrUnsupported)
	assert.ErrorIs(t, backend.InjectFault(b, "StartService", sim.ERROR_SERVICE_LOGON_FAILED.Code(), 1), backend.ErrUnsupported)
	assert.ErrorIs(t, backend.SetCallerContext(b, "main", sim.CallerContext{}), backend.ErrUnsupported)
	_, ok := backend.Violations(b)
	assert.False(t, ok, "the real system reports no contract violations")
	_, ok = backend.Trace(b)
	assert.False(t, ok, "the real system keeps no trace")
}

// TestNamesAreUniqueAndCleanedUp: two backends create a service of the same
// name side by side, and Close deletes each one, even one left running.
func TestNamesAreUniqueAndCleanedUp(t *testing.T) {
	b1, b2 := newBackend(t), newBackend(t)
	_, svc1 := create(t, b1, "same")
	create(t, b2, "same")
	require.NotEqual(t, b1.RealName("same"), b2.RealName("same"))
	require.Equal(t, sim.ERROR_SUCCESS, b1.StartService("main", svc1, nil))
	code, err := b1.ReportStatus("same", win32.SERVICE_STATUS{ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, CurrentState: win32.SERVICE_RUNNING})
	require.NoError(t, err)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	for _, b := range []*winbackend.Backend{b1, b2} {
		real := b.RealName("same")
		require.True(t, exists(t, real))
		require.NoError(t, b.Close())
		assert.False(t, exists(t, real), "%s is still there after Close", real)
	}
}

// TestCallbackGetsTheBuffer: the one process-wide callback hands the
// registration's callback the caller's own buffer, filled from the real one.
func TestCallbackGetsTheBuffer(t *testing.T) {
	b := newBackend(t)
	defer func() { require.NoError(t, b.Close()) }()
	_, svc := create(t, b, "cb")
	var got []*win32.SERVICE_NOTIFY
	buf := &win32.SERVICE_NOTIFY{Version: win32.SERVICE_NOTIFY_STATUS_CHANGE, NotifyCallback: func(n *win32.SERVICE_NOTIFY) { got = append(got, n) }}
	require.Equal(t, sim.ERROR_SUCCESS, b.NotifyServiceStatusChange("main", svc, win32.SERVICE_NOTIFY_STOPPED, buf))
	require.NoError(t, b.Refusal())
	b.ExpectCallbacks("main", 1, 0)
	res, err := b.SleepEx("main", 100, true)
	require.NoError(t, err)
	require.Equal(t, sim.WAIT_IO_COMPLETION, res)
	require.Equal(t, []*win32.SERVICE_NOTIFY{buf}, got)
	assert.Equal(t, sim.ERROR_SUCCESS, buf.NotificationStatus)
	assert.Equal(t, win32.SERVICE_NOTIFY_STOPPED, buf.NotificationTriggered)
	assert.Equal(t, win32.SERVICE_STOPPED, buf.ServiceStatus.CurrentState)

	// Nothing pending: a wait that expects nothing ends after its window.
	b.ExpectCallbacks("main", 0, 0)
	res, err = b.SleepEx("main", 100, true)
	require.NoError(t, err)
	assert.Equal(t, sim.WaitResult(0), res)
	assert.Len(t, got, 1)
}

func TestReportNeedsAStart(t *testing.T) {
	b := newBackend(t)
	defer func() { require.NoError(t, b.Close()) }()
	create(t, b, "idle")
	_, err := b.ReportStatus("idle", win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING})
	require.ErrorContains(t, err, "never been started")
	_, err = b.ReportStatus("nosuch", win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING})
	require.Error(t, err)
}

func TestDetectProfile(t *testing.T) {
	profile, system, err := winbackend.DetectProfile()
	require.NoError(t, err)
	_, err = sim.LookupProfile(profile)
	require.NoError(t, err, "detected profile %s on %s", profile, system)
	if v, wine := winbackend.WineVersion(); wine {
		assert.Equal(t, "Wine "+v, system)
	}
}

// TestDeclinedCalls: calls the backend must not make on a real system are
// declined, return the declined values, and say why once through Refusal.
func TestDeclinedCalls(t *testing.T) {
	b := newBackend(t)
	defer func() { require.NoError(t, b.Close()) }()
	require.NoError(t, b.Refusal(), "nothing declined yet")

	h, status := b.NtOpenKey("main", win32.KEY_READ, win32.ObjectAttributes{ObjectName: `\Registry`})
	assert.Equal(t, backend.DeclinedHandle, h)
	assert.Equal(t, backend.DeclinedNTStatus, status)
	err := b.Refusal()
	require.ErrorIs(t, err, backend.ErrUnsupported)
	assert.Contains(t, err.Error(), `\Registry`)
	assert.NoError(t, b.Refusal(), "a refusal is reported once")

	var prov sim.Handle
	code := b.CryptAcquireContext("main", &prov, nil, nil, win32.PROV_RSA_FULL, 0)
	assert.Equal(t, backend.DeclinedCode, code)
	assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported, "the user's default container is not the backend's to use")

	_, status = b.NtOpenKey("main", win32.KEY_READ, win32.ObjectAttributes{ObjectName: `\Registry\Machine\SOFTWARE`})
	assert.Equal(t, sim.STATUS_SUCCESS, status, "a mirrored hive root opens")
	assert.NoError(t, b.Refusal())

	// A live handle the caller was not given through the backend (as a
	// recycled value would be) is left alone.
	other, err := windows.CreateEvent(nil, 1, 0, nil)
	require.NoError(t, err)
	defer windows.CloseHandle(other)
	assert.Equal(t, backend.DeclinedErrno, b.CloseHandle("main", sim.Handle(other)))
	assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported)
	_, err = windows.WaitForSingleObject(other, 0)
	assert.NoError(t, err, "the foreign handle is still open")
	_, err = b.WaitForSingleObjectEx("main", sim.Handle(other), sim.INFINITE, false)
	assert.ErrorIs(t, err, backend.ErrUnsupported, "a wait on it is not made either")

	// The caller's own handles go through; a value it closed never does,
	// since the system may have reused it meanwhile.
	ev, errno := b.CreateEvent("main", true, false)
	require.Equal(t, sim.ERROR_SUCCESS, errno)
	assert.Equal(t, sim.ERROR_SUCCESS, b.SetEvent("main", ev))
	assert.Equal(t, sim.ERROR_SUCCESS, b.CloseHandle("main", ev))
	assert.NoError(t, b.Refusal())
	assert.Equal(t, backend.DeclinedErrno, b.CloseHandle("main", ev))
	assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported, "a second close is declined")
	_, err = b.WaitForSingleObjectEx("main", ev, 0, false)
	assert.ErrorIs(t, err, backend.ErrUnsupported, "so is a wait on the closed value")

	// Under Wine an SCM call on a kernel or pseudo handle ends the process:
	// declined there; elsewhere the system answers.
	if _, wine := winbackend.WineVersion(); wine {
		ev2, errno := b.CreateEvent("main", true, false)
		require.Equal(t, sim.ERROR_SUCCESS, errno)
		_, code := b.OpenService("main", ev2, win32.Str("any"), win32.SERVICE_QUERY_STATUS)
		assert.Equal(t, backend.DeclinedErrno, code)
		assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported)
		assert.Equal(t, backend.DeclinedErrno, b.CloseServiceHandle("main", sim.Handle(windows.InvalidHandle)))
		assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported)
		assert.Equal(t, sim.ERROR_SUCCESS, b.CloseHandle("main", ev2))
	}
}

// TestKeyClosedByCloseHandleIsForgotten: a registry key the caller closes
// with CloseHandle (not NtClose) is no longer the backend's, so its
// clean-up does not close the value again: by then the system may have
// given the value to someone else, as here an event of the test's own (the
// Go runtime's handles met this fate under Wine: a fatal wait_failed).
func TestKeyClosedByCloseHandleIsForgotten(t *testing.T) {
	b := newBackend(t)
	closed := false
	defer func() {
		if !closed {
			_ = b.Close()
		}
	}()
	k, _, status := b.NtCreateKey("main", win32.KEY_ALL_ACCESS, win32.ObjectAttributes{ObjectName: `\Registry\Machine\SOFTWARE\CloseHandleKey`, Attributes: sim.OBJ_CASE_INSENSITIVE}, 0)
	require.Equal(t, sim.STATUS_SUCCESS, status)
	require.Equal(t, sim.ERROR_SUCCESS, b.CloseHandle("main", k))

	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	require.NoError(t, err)
	defer windows.CloseHandle(ev)
	if sim.Handle(ev) != k {
		t.Skipf("the system did not reuse the closed value %s at once (got %#x): nothing to show", k, ev)
	}
	closed = true
	require.NoError(t, b.Close())
	assert.NoError(t, windows.SetEvent(ev), "the backend's clean-up closed a value it had given up")
}
