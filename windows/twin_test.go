package windows_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf16"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/winsimtest"
)

// bubble runs f in a synctest bubble with a fresh machine bound.
func bubble(t *testing.T, f func(t *testing.T, m *winsimtest.Machine)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		f(t, winsimtest.Use(t, winsimtest.Options{}))
	})
}

// TestSetEventReleasesWaiter: an event set by one goroutine releases
// another's WaitForSingleObject, at the virtual moment it was set.
func TestSetEventReleasesWaiter(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		ev, err := windows.CreateEvent(nil, 0, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		done := make(chan uint32)
		go func() {
			r, err := windows.WaitForSingleObject(ev, windows.INFINITE)
			if err != nil {
				t.Error(err)
			}
			done <- r
		}()
		time.Sleep(2 * time.Second)
		synctest.Wait()
		select {
		case r := <-done:
			t.Fatalf("the wait ended before the event was set: %#x", r)
		default:
		}
		if err := windows.SetEvent(ev); err != nil {
			t.Fatal(err)
		}
		if r := <-done; r != windows.WAIT_OBJECT_0 {
			t.Fatalf("WaitForSingleObject = %#x, want WAIT_OBJECT_0", r)
		}
		if got := time.Since(start); got != 2*time.Second {
			t.Errorf("the wait ended after %v, want 2s", got)
		}
		if got := time.Duration(m.Now()); got != 2*time.Second {
			t.Errorf("the model's clock reads %v, want 2s", got)
		}
		// Auto-reset: the wait took the signal.
		if r, err := windows.WaitForSingleObject(ev, 0); r != uint32(windows.WAIT_TIMEOUT) || err != nil {
			t.Errorf("after the release, WaitForSingleObject(ev, 0) = %#x, %v; want WAIT_TIMEOUT", r, err)
		}
	})
}

// TestTimeoutInBubble: a 30 s timeout returns WAIT_TIMEOUT after 30 s of the
// bubble's clock; the real time it took is only logged.
func TestTimeoutInBubble(t *testing.T) {
	real := time.Now()
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		ev, err := windows.CreateEvent(nil, 1, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := windows.WaitForSingleObject(ev, 30000)
		if r != uint32(windows.WAIT_TIMEOUT) || err != nil {
			t.Fatalf("WaitForSingleObject = %#x, %v; want WAIT_TIMEOUT, nil", r, err)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("the wait took %v of the bubble's clock, want 30s", got)
		}
		if got := time.Duration(m.Now()); got != 30*time.Second {
			t.Errorf("the model's clock reads %v, want 30s", got)
		}
	})
	// Logged, never asserted: real time depends on the machine's load. The
	// bubble's clock reading exactly 30 s above is the verdict.
	t.Logf("a 30 s timeout in a bubble took %v of real time", time.Since(real))
}

// TestAdvanceEndsWait: winsimtest's Advance moves the model's clock past a
// waiter's deadline, which times out without the bubble's clock moving.
func TestAdvanceEndsWait(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		ev, _ := windows.CreateEvent(nil, 1, 0, nil)
		start := time.Now()
		done := make(chan uint32)
		go func() {
			r, _ := windows.WaitForSingleObject(ev, 5000)
			done <- r
		}()
		synctest.Wait()
		m.Advance(5 * time.Second)
		if r := <-done; r != uint32(windows.WAIT_TIMEOUT) {
			t.Fatalf("WaitForSingleObject = %#x, want WAIT_TIMEOUT", r)
		}
		if got := time.Since(start); got != 0 {
			t.Errorf("the bubble's clock moved %v", got)
		}
	})
}

// TestWaitForMultipleObjects: a wait-any returns the lowest signaled index,
// a wait-all waits for the last object, and an empty list fails.
func TestWaitForMultipleObjects(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		var hs []windows.Handle
		for range 3 {
			h, err := windows.CreateEvent(nil, 1, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h)
		}
		go func() {
			time.Sleep(time.Second)
			windows.SetEvent(hs[2])
			time.Sleep(time.Second)
			windows.SetEvent(hs[1])
			time.Sleep(time.Second)
			windows.SetEvent(hs[0])
		}()
		start := time.Now()
		if r, err := windows.WaitForMultipleObjects(hs, false, windows.INFINITE); r != windows.WAIT_OBJECT_0+2 || err != nil {
			t.Fatalf("wait-any = %#x, %v; want WAIT_OBJECT_0+2", r, err)
		}
		if r, err := windows.WaitForMultipleObjects(hs, true, 10000); r != windows.WAIT_OBJECT_0 || err != nil {
			t.Fatalf("wait-all = %#x, %v; want WAIT_OBJECT_0", r, err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("wait-all ended at %v, want 3s", got)
		}
		if r, err := windows.WaitForMultipleObjects(hs, false, 0); r != windows.WAIT_OBJECT_0 || err != nil {
			t.Errorf("wait-any on three signaled = %#x, %v; want WAIT_OBJECT_0", r, err)
		}
		r, err := windows.WaitForMultipleObjects(nil, false, 0)
		if r != windows.WAIT_FAILED || !errors.Is(err, windows.ERROR_INVALID_PARAMETER) {
			t.Errorf("an empty wait = %#x, %v; want WAIT_FAILED, ERROR_INVALID_PARAMETER", r, err)
		}
	})
}

// TestCloseHandleTwice: the second CloseHandle fails with
// ERROR_INVALID_HANDLE, as an error carrying Windows' message, and as the
// goroutine's last error; another goroutine's last error is its own.
func TestCloseHandleTwice(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		h, err := windows.CreateEvent(nil, 0, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := windows.CloseHandle(h); err != nil {
			t.Fatalf("first CloseHandle: %v", err)
		}
		err = windows.CloseHandle(h)
		if err != windows.ERROR_INVALID_HANDLE {
			t.Fatalf("second CloseHandle = %v, want ERROR_INVALID_HANDLE", err)
		}
		if got, want := err.Error(), "The handle is invalid."; got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		if got := windows.GetLastError(); got != windows.ERROR_INVALID_HANDLE {
			t.Errorf("GetLastError = %v, want ERROR_INVALID_HANDLE", got)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if got := windows.GetLastError(); got != nil {
				t.Errorf("another goroutine's GetLastError = %v, want nil", got)
			}
		})
		wg.Wait()
		if r, err := windows.WaitForSingleObject(h, 0); r != windows.WAIT_FAILED || err != windows.ERROR_INVALID_HANDLE {
			t.Errorf("a wait on the closed handle = %#x, %v; want WAIT_FAILED, ERROR_INVALID_HANDLE", r, err)
		}
	})
}

// TestCryptContextRoundTrip: a new key container, a release, opening it
// again, deleting it (the handle becomes 0), and opening it once more fails
// with NTE_BAD_KEYSET, which errors.Is reads as fs.ErrNotExist.
func TestCryptContextRoundTrip(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		name := utf16Ptr("winsim-twin")
		var prov windows.Handle
		if err := windows.CryptAcquireContext(&prov, name, nil, windows.PROV_RSA_FULL, windows.CRYPT_NEWKEYSET); err != nil {
			t.Fatalf("CRYPT_NEWKEYSET: %v", err)
		}
		if prov == 0 {
			t.Fatal("no handle")
		}
		if err := windows.CloseHandle(prov); err != windows.ERROR_INVALID_HANDLE {
			t.Errorf("CloseHandle on an HCRYPTPROV = %v, want ERROR_INVALID_HANDLE", err)
		}
		if err := windows.CryptReleaseContext(prov, 0); err != nil {
			t.Fatalf("CryptReleaseContext: %v", err)
		}
		if err := windows.CryptAcquireContext(&prov, name, nil, windows.PROV_RSA_FULL, 0); err != nil {
			t.Fatalf("opening the container again: %v", err)
		}
		if err := windows.CryptReleaseContext(prov, 0); err != nil {
			t.Fatal(err)
		}
		if err := windows.CryptAcquireContext(&prov, name, nil, windows.PROV_RSA_FULL, windows.CRYPT_DELETEKEYSET); err != nil || prov != 0 {
			t.Fatalf("CRYPT_DELETEKEYSET = %v, handle %#x; want nil, 0", err, prov)
		}
		err := windows.CryptAcquireContext(&prov, name, nil, windows.PROV_RSA_FULL, 0)
		if err != windows.Errno(windows.NTE_BAD_KEYSET) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("opening the deleted container = %v, want NTE_BAD_KEYSET matching fs.ErrNotExist", err)
		}
		if got, want := err.Error(), "Keyset does not exist"; got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		if err := windows.CryptReleaseContext(prov, 0); err == nil {
			t.Error("releasing a released context succeeded")
		}
	})
}

// TestUnmodeledArguments: a name, security attributes and the Schannel
// provider are refused with errors naming their rule, matching
// errors.ErrUnsupported; nothing is created.
func TestUnmodeledArguments(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		catalog, err := sim.NewCatalog(sim.KernelRules(), ksp.Rules())
		if err != nil {
			t.Fatal(err)
		}
		before := len(m.Trace())
		for _, c := range []struct {
			err  error
			rule string
		}{
			{second(windows.CreateEvent(nil, 0, 0, utf16Ptr("Global\\x"))), "kernel.object.named"},
			{second(windows.CreateEvent(&windows.SecurityAttributes{}, 0, 0, nil)), "kernel.object.security-attributes"},
			{windows.CryptAcquireContext(new(windows.Handle), nil, nil, windows.PROV_RSA_SCHANNEL, windows.CRYPT_VERIFYCONTEXT), "csp.acquire.schannel"},
		} {
			if c.err == nil || !strings.Contains(c.err.Error(), c.rule) || !errors.Is(c.err, errors.ErrUnsupported) {
				t.Errorf("got %v, want an error naming %s and matching errors.ErrUnsupported", c.err, c.rule)
			}
			if r, ok := catalog.Lookup(c.rule); !ok || r.Status != sim.OutOfScope {
				t.Errorf("the refusal names %s, which is not an out-of-scope rule of the catalog (%v)", c.rule, r)
			}
		}
		if after := len(m.Trace()); after != before {
			t.Errorf("refused calls reached the model: %v", m.Trace()[before:])
		}
	})
}

// TestSleepEx: a sleep takes its time on the model's clock and returns 0.
func TestSleepEx(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		start := time.Now()
		if r := windows.SleepEx(1500, true); r != 0 {
			t.Errorf("SleepEx = %#x, want 0", r)
		}
		if got := time.Since(start); got != 1500*time.Millisecond {
			t.Errorf("SleepEx(1500) took %v", got)
		}
	})
}

// TestUseRefusesSecondMachine: a second Use while a machine is bound fails
// the test, naming the holder.
func TestUseRefusesSecondMachine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		winsimtest.Use(t, winsimtest.Options{})
		ft := &fatalRecorder{TB: t}
		func() {
			defer func() { _ = recover() }()
			winsimtest.Use(ft, winsimtest.Options{})
		}()
		if !strings.Contains(ft.msg, "already bound") || !strings.Contains(ft.msg, "test TestUseRefusesSecondMachine holds it") {
			t.Errorf("second Use: %q", ft.msg)
		}
	})
}

// fatalRecorder records a Fatalf instead of failing the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

func second[T any](_ T, err error) error { return err }

func utf16Ptr(s string) *uint16 {
	u := utf16.Encode([]rune(s + "\x00"))
	return &u[0]
}

// TestUseRefusesParallelTest: Use in a test that called t.Parallel panics
// with the testing package's message, before binding anything.
func TestUseRefusesParallelTest(t *testing.T) {
	t.Run("parallel", func(t *testing.T) {
		t.Parallel()
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "t.Parallel") {
				t.Errorf("Use in a parallel test: recovered %v, want the testing package's refusal", r)
			}
		}()
		winsimtest.Use(t, winsimtest.Options{})
	})
}
