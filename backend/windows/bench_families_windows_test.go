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

// sideBySide runs a sequence n times on the real binding and
// n*modelPerReal times on the model, timed with QueryPerformanceCounter,
// and reports both per-sequence times and their ratio.
func sideBySide(b *testing.B, unit string, realSeq, modelSeq func()) {
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
			realSeq()
		}
	}) / float64(b.N)
	modelNs := elapsed(func() {
		for range b.N * modelPerReal {
			modelSeq()
		}
	}) / float64(b.N*modelPerReal)
	b.StopTimer()
	b.ReportMetric(realNs, "real-ns/"+unit)
	b.ReportMetric(modelNs, "model-ns/"+unit)
	b.ReportMetric(realNs/modelNs, "real/model")
}

// backends returns the real binding and the model under the system's
// profile, without a trace, each with a thread named main.
func backends(b *testing.B) (*winbackend.Backend, *model.Backend) {
	profile, _, err := winbackend.DetectProfile()
	require.NoError(b, err)
	realB, err := winbackend.New(winbackend.Options{})
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, realB.Close()) })
	modelB, err := model.NewWithOptions(sim.Options{Profile: profile, NoTrace: true})
	require.NoError(b, err)
	require.NoError(b, realB.NewThread("main"))
	require.NoError(b, modelB.NewThread("main"))
	return realB, modelB
}

// cryptoSequence is CryptAcquireContext(CRYPT_VERIFYCONTEXT),
// CryptContextAddRef and two CryptReleaseContext calls.
func cryptoSequence(b *testing.B, c backend.CSP) func() {
	return func() {
		var prov sim.Handle
		code := c.CryptAcquireContext("main", &prov, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT)
		ok := code == sim.LastError(0)
		ok = ok && c.CryptContextAddRef("main", prov, nil, 0) == sim.LastError(0)
		ok = ok && c.CryptReleaseContext("main", prov, 0) == sim.LastError(0)
		ok = ok && c.CryptReleaseContext("main", prov, 0) == sim.LastError(0)
		if !ok {
			b.Fatalf("CryptoAPI sequence failed on %s (acquire: %s)", c.Name(), code)
		}
	}
}

// BenchmarkCryptoSequence runs acquire + addref + release + release on the
// model and on the real binding in one run.
func BenchmarkCryptoSequence(b *testing.B) {
	realB, modelB := backends(b)
	sideBySide(b, "seq", cryptoSequence(b, realB), cryptoSequence(b, modelB))
}

// flushOne returns NtFlushKey on a key with one value set, made under
// \Registry\Machine\SOFTWARE (the real binding's scratch area).
func flushOne(b *testing.B, r backend.Registry) func() {
	h, _, st := r.NtCreateKey("main", win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\bench`), 0)
	require.Equal(b, sim.STATUS_SUCCESS, st)
	require.Equal(b, sim.STATUS_SUCCESS, r.NtSetValueKey("main", h, "v", win32.REG_DWORD, []byte{1, 0, 0, 0}))
	return func() {
		if st := r.NtFlushKey("main", h); st != sim.STATUS_SUCCESS {
			b.Fatalf("NtFlushKey on %s: %s", r.Name(), st)
		}
	}
}

// BenchmarkNtFlushKey runs NtFlushKey on the model and on the real binding
// in one run.
func BenchmarkNtFlushKey(b *testing.B) {
	realB, modelB := backends(b)
	sideBySide(b, "flush", flushOne(b, realB), flushOne(b, modelB))
}
