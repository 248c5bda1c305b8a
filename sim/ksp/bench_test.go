package ksp_test

import (
	"testing"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

// BenchmarkNotifyCycle measures one change-notification cycle of five
// calls: NCryptNotifyChangeKey (register), NCryptSetProperty with
// NCRYPT_PERSIST_FLAG (the change), WaitForSingleObjectEx (satisfied),
// FindNextChangeNotification (re-arm) and NCryptNotifyChangeKey
// (unregister). The machine records no trace.
func BenchmarkNotifyCycle(b *testing.B) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	k := ksp.NewKSP(m)
	t := m.NewProcess("client.exe").NewThread("main")
	var prov, key sim.Handle
	k.NCryptOpenStorageProvider(t, &prov, nil, 0)
	k.NCryptCreatePersistedKey(t, prov, &key, win32.Str(win32.BCRYPT_RSA_ALGORITHM), win32.Str("bench"), 0, 0)
	k.NCryptFinalizeKey(t, key, 0)
	prop, value := win32.Str("Contoso Counter"), []byte{1, 2, 3, 4}
	signaled := 0
	for b.Loop() {
		var ev sim.Handle
		mustReturn(k.NCryptNotifyChangeKey(t, prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG))
		k.NCryptSetProperty(t, key, prop, value, win32.NCRYPT_PERSIST_FLAG)
		if r, _ := t.WaitForSingleObjectEx(ev, 0, false); r == sim.WAIT_OBJECT_0 {
			signaled++
		}
		t.FindNextChangeNotification(ev)
		mustReturn(k.NCryptNotifyChangeKey(t, prov, &ev, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG))
	}
	if signaled != b.N {
		b.Fatalf("%d signals for %d cycles", signaled, b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/5, "ns/call")
}

// BenchmarkChangeWaitRearm measures the steady state of a long-lived
// registration: a change, the wait it satisfies and the re-arm (three
// calls).
func BenchmarkChangeWaitRearm(b *testing.B) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	k := ksp.NewKSP(m)
	t := m.NewProcess("client.exe").NewThread("main")
	var prov, key, ev sim.Handle
	k.NCryptOpenStorageProvider(t, &prov, nil, 0)
	k.NCryptCreatePersistedKey(t, prov, &key, win32.Str(win32.BCRYPT_RSA_ALGORITHM), win32.Str("bench"), 0, 0)
	k.NCryptFinalizeKey(t, key, 0)
	mustReturn(k.NCryptNotifyChangeKey(t, prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG))
	prop, value := win32.Str("Contoso Counter"), []byte{1}
	for b.Loop() {
		k.NCryptSetProperty(t, key, prop, value, win32.NCRYPT_PERSIST_FLAG)
		if r, _ := t.WaitForSingleObjectEx(ev, 0, false); r != sim.WAIT_OBJECT_0 {
			b.Fatal(r)
		}
		t.FindNextChangeNotification(ev)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/3, "ns/call")
}

// BenchmarkAcquireAddRefRelease measures CryptAcquireContext
// (CRYPT_VERIFYCONTEXT), CryptContextAddRef and the two
// CryptReleaseContext calls that free the context: four calls.
func BenchmarkAcquireAddRefRelease(b *testing.B) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	c := ksp.NewCSP(m)
	t := m.NewProcess("client.exe").NewThread("main")
	ok := sim.ERROR_SUCCESS.Code()
	for b.Loop() {
		var prov sim.Handle
		c.CryptAcquireContext(t, &prov, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT)
		c.CryptContextAddRef(t, prov, nil, 0)
		c.CryptReleaseContext(t, prov, 0)
		if c.CryptReleaseContext(t, prov, 0) != ok {
			b.Fatal("the last release failed")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4, "ns/call")
}

// BenchmarkAddRefRelease measures CryptContextAddRef + CryptReleaseContext
// on a live context, the pair whose real cost under Wine is 110-180 ns.
func BenchmarkAddRefRelease(b *testing.B) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	c := ksp.NewCSP(m)
	t := m.NewProcess("client.exe").NewThread("main")
	var prov sim.Handle
	c.CryptAcquireContext(t, &prov, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT)
	for b.Loop() {
		c.CryptContextAddRef(t, prov, nil, 0)
		c.CryptReleaseContext(t, prov, 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/call")
}

// BenchmarkCreateDestroyHash measures CryptCreateHash + CryptDestroyHash
// (340-410 ns for the pair under Wine).
func BenchmarkCreateDestroyHash(b *testing.B) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	c := ksp.NewCSP(m)
	t := m.NewProcess("client.exe").NewThread("main")
	var prov sim.Handle
	c.CryptAcquireContext(t, &prov, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT)
	for b.Loop() {
		var h sim.Handle
		c.CryptCreateHash(t, prov, win32.CALG_SHA1, 0, 0, &h)
		c.CryptDestroyHash(t, h)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/call")
}
