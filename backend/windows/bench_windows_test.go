package windows_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	winbackend "github.com/winsim/winsim/backend/windows"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// sequence is the SCM call sequence both backends run: open a service,
// query it, register for the state it is in, take the callback in an
// alertable wait, close the handle.
type sequence struct {
	b   backend.SCM
	scm sim.Handle
	buf *win32.SERVICE_NOTIFY
}

func newSequence(tb testing.TB, b backend.SCM) *sequence {
	require.NoError(tb, b.NewThread("main"))
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

// modelPerReal is how many times the model runs the sequence for each time
// the real binding does, so that its much shorter total stays well above the
// timer's resolution.
const modelPerReal = 200

// BenchmarkSCMSequence runs the same SCM call sequence against the model
// (under the system's profile, without a trace) and against the real binding
// in one run, and reports both per-sequence times and how many times faster
// the model is. Time is read from QueryPerformanceCounter: under Wine
// time.Now moves in steps of about a millisecond.
func BenchmarkSCMSequence(b *testing.B) {
	profile, _, err := winbackend.DetectProfile()
	require.NoError(b, err)
	realB, err := winbackend.New(winbackend.Options{})
	require.NoError(b, err)
	defer func() { require.NoError(b, realB.Close()) }()
	modelB, err := model.NewWithOptions(sim.Options{Profile: profile, NoTrace: true})
	require.NoError(b, err)
	realSeq, modelSeq := newSequence(b, realB), newSequence(b, modelB)

	var freq int64
	require.NoError(b, winapi.QueryPerformanceFrequency(&freq))
	elapsed := func(f func()) float64 {
		var t0, t1 int64
		_ = winapi.QueryPerformanceCounter(&t0)
		f()
		_ = winapi.QueryPerformanceCounter(&t1)
		return float64(t1-t0) * 1e9 / float64(freq)
	}
	b.ResetTimer()
	realNs := elapsed(func() {
		for range b.N {
			realSeq.run(b)
		}
	}) / float64(b.N)
	modelNs := elapsed(func() {
		for range b.N * modelPerReal {
			modelSeq.run(b)
		}
	}) / float64(b.N*modelPerReal)
	b.StopTimer()
	b.ReportMetric(realNs, "real-ns/seq")
	b.ReportMetric(modelNs, "model-ns/seq")
	b.ReportMetric(realNs/modelNs, "real/model")
}
