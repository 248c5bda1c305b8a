package windows_test

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	winbackend "github.com/winsim/winsim/backend/windows"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// modelPerReal is how many times the model runs a sequence for each time
// the real binding does, so that its much shorter total stays well above the
// timer's resolution.
const modelPerReal = 200

// interleaved measures the two sides of a pair in alternating samples, so
// that both see the same load of a shared machine: each iteration times one
// run of the real binding's sequence and modelPerReal runs of the model's,
// the real side first in even iterations and the model first in odd ones.
// It reports the per-sequence time of each side ("real-ns/UNIT",
// "model-ns/UNIT") and their ratio ("real/model"). Time is read from
// QueryPerformanceCounter: under Wine time.Now moves in steps of about a
// millisecond.
func interleaved(b *testing.B, unit string, realSeq, modelSeq func()) {
	var freq int64
	require.NoError(b, winapi.QueryPerformanceFrequency(&freq))
	elapsed := func(f func(), times int) int64 {
		var t0, t1 int64
		_ = winapi.QueryPerformanceCounter(&t0)
		for range times {
			f()
		}
		_ = winapi.QueryPerformanceCounter(&t1)
		return t1 - t0
	}
	var realTicks, modelTicks int64
	rounds := 0
	for b.Loop() {
		if rounds%2 == 0 {
			realTicks += elapsed(realSeq, 1)
			modelTicks += elapsed(modelSeq, modelPerReal)
		} else {
			modelTicks += elapsed(modelSeq, modelPerReal)
			realTicks += elapsed(realSeq, 1)
		}
		rounds++
	}
	realNs := float64(realTicks) * 1e9 / float64(freq) / float64(rounds)
	modelNs := float64(modelTicks) * 1e9 / float64(freq) / float64(rounds*modelPerReal)
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
// model and on the real binding, interleaved.
func BenchmarkCryptoSequence(b *testing.B) {
	realB, modelB := backends(b)
	interleaved(b, "seq", cryptoSequence(b, realB), cryptoSequence(b, modelB))
}

// setFlush returns a dirty flush: NtSetValueKey with new data, then
// NtFlushKey, on a key made under \Registry\Machine\SOFTWARE (the real
// binding's scratch area), so that every flush has a changed value to write.
func setFlush(b *testing.B, r backend.Registry) func() {
	h, _, st := r.NtCreateKey("main", win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\bench`), 0)
	require.Equal(b, sim.STATUS_SUCCESS, st)
	var data [4]byte
	i := uint32(0)
	return func() {
		binary.LittleEndian.PutUint32(data[:], i)
		i++
		if st := r.NtSetValueKey("main", h, "v", win32.REG_DWORD, data[:]); st != sim.STATUS_SUCCESS {
			b.Fatalf("NtSetValueKey on %s: %s", r.Name(), st)
		}
		if st := r.NtFlushKey("main", h); st != sim.STATUS_SUCCESS {
			b.Fatalf("NtFlushKey on %s: %s", r.Name(), st)
		}
	}
}

// BenchmarkSetValueFlushKey runs a dirty flush (NtSetValueKey, then
// NtFlushKey) on the model and on the real binding, interleaved.
func BenchmarkSetValueFlushKey(b *testing.B) {
	realB, modelB := backends(b)
	interleaved(b, "cycle", setFlush(b, realB), setFlush(b, modelB))
}
