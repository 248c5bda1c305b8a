package windows_test

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/winsimtest"
)

// A test of code written against x/sys: in a synctest bubble, bind a
// machine, start the code, and let the bubble's clock run. The example is
// compiled, not run: an example has no *testing.T to make a bubble with;
// TestSetEventReleasesWaiter runs the same steps.
func Example() {
	testWorker := func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			winsimtest.Use(t, winsimtest.Options{Profile: "win8"})
			ready, _ := windows.CreateEvent(nil, 1, 0, nil)
			go func() {
				time.Sleep(2 * time.Second) // the worker's start-up
				windows.SetEvent(ready)
			}()
			start := time.Now()
			r, err := windows.WaitForSingleObject(ready, 30000)
			fmt.Println(r == windows.WAIT_OBJECT_0, err, time.Since(start))
			// Prints: true <nil> 2s
		})
	}
	_ = testWorker
}

// A timeout in a bubble passes without real waiting.
func ExampleWaitForSingleObject() {
	testTimeout := func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			winsimtest.Use(t, winsimtest.Options{})
			ev, _ := windows.CreateEvent(nil, 1, 0, nil)
			r, err := windows.WaitForSingleObject(ev, 30000)
			fmt.Println(r == uint32(windows.WAIT_TIMEOUT), err)
			// Prints: true <nil>
		})
	}
	_ = testTimeout
}

// Errors carry Windows' messages and codes.
func ExampleCloseHandle() {
	testClose := func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			winsimtest.Use(t, winsimtest.Options{})
			h, _ := windows.CreateEvent(nil, 0, 0, nil)
			windows.CloseHandle(h)
			err := windows.CloseHandle(h)
			fmt.Println(err == windows.ERROR_INVALID_HANDLE, err)
			// Prints: true The handle is invalid.
		})
	}
	_ = testClose
}

// A key container's life through CryptAcquireContext.
func ExampleCryptAcquireContext() {
	testContainer := func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			winsimtest.Use(t, winsimtest.Options{})
			var prov windows.Handle
			err := windows.CryptAcquireContext(&prov, nil, nil, windows.PROV_RSA_FULL, windows.CRYPT_VERIFYCONTEXT)
			fmt.Println(err)
			fmt.Println(windows.CryptReleaseContext(prov, 0))
			// Prints: <nil>
			// <nil>
		})
	}
	_ = testContainer
}
