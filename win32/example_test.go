package win32_test

import (
	"fmt"

	"github.com/winsim/winsim/win32"
)

// FormatConst names a value the way the trace and scenario files write it.
func ExampleFormatConst() {
	fmt.Println(win32.FormatConst(win32.GroupNotifyMask, win32.SERVICE_NOTIFY_RUNNING|win32.SERVICE_NOTIFY_STOPPED))
	fmt.Println(win32.FormatConst(win32.GroupKeyAccess, win32.KEY_READ))
	// Output:
	// SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNNING
	// KEY_READ
}

// NotifyBit is the mask bit NotifyServiceStatusChange uses for a state.
func ExampleNotifyBit() {
	fmt.Println(win32.NotifyBit(win32.SERVICE_RUNNING) == win32.SERVICE_NOTIFY_RUNNING)
	// Output: true
}
