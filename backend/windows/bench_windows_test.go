package windows_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// sequence is the SCM call sequence both backends run, on a thread named
// main the backend already has: open a service, query it, register for the
// state it is in, take the callback in an alertable wait, close the handle.
type sequence struct {
	b   backend.SCM
	scm sim.Handle
	buf *win32.SERVICE_NOTIFY
}

func newSequence(tb testing.TB, b backend.SCM) *sequence {
	h, code := b.OpenSCManager("main", nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	require.Equal(tb, sim.ERROR_SUCCESS, code)
	svc, code := b.CreateService("main", h, win32.CreateServiceParams{
		Name: win32.Str("bench"), DesiredAccess: win32.SERVICE_ALL_ACCESS, ServiceType: win32.SERVICE_WIN32_OWN_PROCESS,
		StartType: win32.SERVICE_DEMAND_START, ErrorControl: win32.SERVICE_ERROR_NORMAL, BinaryPath: win32.Str(`C:\bench.exe`),
	})
	require.Equal(tb, sim.ERROR_SUCCESS, code)
	require.Equal(tb, sim.ERROR_SUCCESS, b.CloseServiceHandle("main", svc))
	s := &sequence{b: b, scm: h, buf: &win32.SERVICE_NOTIFY{Version: win32.SERVICE_NOTIFY_STATUS_CHANGE}}
	s.buf.NotifyCallback = func(*win32.SERVICE_NOTIFY) {}
	return s
}

func (s *sequence) run(tb testing.TB) {
	h, code := s.b.OpenService("main", s.scm, win32.Str("bench"), win32.SERVICE_QUERY_STATUS)
	var ss win32.SERVICE_STATUS_PROCESS
	code |= s.b.QueryServiceStatusEx("main", h, win32.SC_STATUS_PROCESS_INFO, &ss, false)
	nc := s.b.NotifyServiceStatusChange("main", h, win32.SERVICE_NOTIFY_STOPPED, s.buf)
	code |= nc
	if p, ok := s.b.(backend.Paced); ok {
		p.ExpectCallbacks("main", 1, 0)
	}
	res, err := s.b.SleepEx("main", sim.INFINITE, true)
	code |= s.b.CloseServiceHandle("main", h)
	if code != sim.ERROR_SUCCESS || err != nil || res != sim.WAIT_IO_COMPLETION {
		tb.Fatalf("sequence failed: codes %s, wait %s, %v", code, res, err)
	}
}

// BenchmarkSCMSequence runs the same SCM call sequence against the model
// (under the system's profile, without a trace) and against the real binding
// in one run, interleaved (see interleaved), and reports both per-sequence
// times and how many times faster the model is.
func BenchmarkSCMSequence(b *testing.B) {
	realB, modelB := backends(b)
	realSeq, modelSeq := newSequence(b, realB), newSequence(b, modelB)
	interleaved(b, "seq", func() { realSeq.run(b) }, func() { modelSeq.run(b) })
}
