package model_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

func TestNewRejectsUnknownProfile(t *testing.T) {
	_, err := model.New("win95", 1)
	require.ErrorContains(t, err, `unknown profile "win95"`)
}

func TestKernelOperations(t *testing.T) {
	b, err := model.New("", 1)
	require.NoError(t, err)
	require.Equal(t, "model", b.Name())
	require.Equal(t, sim.DefaultProfile, b.Profile())
	for _, c := range []backend.Capability{backend.CapVirtualClock, backend.CapViolations, backend.CapCallerContext,
		backend.CapFaultInjection, backend.CapTrace, backend.CapServiceSide, backend.CapCrash, backend.CapInstallProvider,
		backend.CapSCM, backend.CapKSP, backend.CapCSP, backend.CapRegistry} {
		require.True(t, backend.Supports(b, c), c)
	}

	require.NoError(t, b.NewThread("main"))
	require.ErrorContains(t, b.NewThread("main"), "already exists")
	require.ErrorContains(t, b.ExitThread("nobody"), "no thread")
	require.ErrorContains(t, b.SetCallerContext("nobody", sim.CallerContext{}), "no thread")
	require.ErrorContains(t, b.Advance(-time.Second), "negative")
	require.ErrorContains(t, b.InjectFault("StartService", sim.ERROR_SERVICE_LOGON_FAILED.Code(), 0), "positive")

	ev, code := b.CreateEvent("main", false, false)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	r, err := b.WaitForSingleObjectEx("main", ev, 10, false)
	require.NoError(t, err)
	require.Equal(t, sim.WAIT_TIMEOUT, r)
	require.Equal(t, sim.ERROR_SUCCESS, b.SetEvent("main", ev))
	r, err = b.WaitForMultipleObjectsEx("main", []sim.Handle{ev}, false, 0, false)
	require.NoError(t, err)
	require.Equal(t, sim.WAIT_OBJECT_0, r)
	require.Equal(t, sim.ERROR_SUCCESS, b.CloseHandle("main", ev))
	require.Equal(t, sim.ERROR_INVALID_HANDLE, b.CloseHandle("main", ev))

	require.NoError(t, b.Advance(time.Second))
	require.Equal(t, sim.Time(10*time.Millisecond+time.Second), b.Machine().Now())
	require.NotEmpty(t, b.Trace())
	require.NoError(t, b.Close())
}

func TestServiceSide(t *testing.T) {
	b, err := model.New("", 1)
	require.NoError(t, err)
	require.NoError(t, b.NewThread("main"))
	h, _ := b.OpenSCManager("main", nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	svc, code := b.CreateService("main", h, win32.CreateServiceParams{Name: win32.Str("s"), BinaryPath: win32.Str("x"),
		DesiredAccess: win32.SERVICE_ALL_ACCESS, ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START})
	require.Equal(t, sim.ERROR_SUCCESS, code)

	_, err = b.ReportStatus("s", win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING})
	require.ErrorContains(t, err, "never been started")
	require.ErrorContains(t, b.SetProgram("nope", win32.Program{}), `no service named "nope"`)

	require.Equal(t, sim.ERROR_SUCCESS, b.StartService("main", svc, nil))
	code, err = b.ReportStatus("s", win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING})
	require.NoError(t, err)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	var st win32.SERVICE_STATUS_PROCESS
	require.Equal(t, sim.ERROR_SUCCESS, b.QueryServiceStatusEx("main", svc, win32.SC_STATUS_PROCESS_INFO, &st, false))
	require.Equal(t, win32.SERVICE_RUNNING, st.CurrentState)
	require.NotZero(t, st.ProcessId)
}

// TestQueryNullBufferNullNeededDeclined: a NULL buffer with a NULL
// pcbBytesNeeded at SC_STATUS_PROCESS_INFO is declined (Windows writes
// through the pointer); at another level the call is answered.
func TestQueryNullBufferNullNeededDeclined(t *testing.T) {
	b, err := model.New("win8", 1)
	require.NoError(t, err)
	require.NoError(t, b.NewThread("main"))
	require.Equal(t, backend.DeclinedErrno, b.QueryServiceStatusEx("main", 0, win32.SC_STATUS_PROCESS_INFO, nil, true))
	require.ErrorIs(t, b.Refusal(), backend.ErrUnsupported)
	require.Equal(t, sim.ERROR_INVALID_LEVEL, b.QueryServiceStatusEx("main", 0, 1, nil, true))
	require.NoError(t, b.Refusal())
	require.Equal(t, sim.ERROR_INSUFFICIENT_BUFFER, b.QueryServiceStatusEx("main", 0, win32.SC_STATUS_PROCESS_INFO, nil, false))
	require.NoError(t, b.Refusal())
}
