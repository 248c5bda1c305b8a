package win32_test

import (
	"fmt"

	"github.com/winsim/winsim/win32"
)

// FormatConst names a value the way the trace and scenario files write it.
func ExampleFormatConst() {
	fmt.Println(win32.FormatConst(win32.GroupNotifyMask, uint32(win32.SERVICE_NOTIFY_RUNNING|win32.SERVICE_NOTIFY_STOPPED)))
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

// The typed values print as the SDK spells them: an enumeration as its
// name, a set of bits as their names joined by "|", and a value without a
// name readably.
func ExampleServiceState() {
	st := win32.SERVICE_STATUS{
		ServiceType:      win32.SERVICE_WIN32_OWN_PROCESS,
		CurrentState:     win32.SERVICE_START_PENDING,
		ControlsAccepted: win32.SERVICE_ACCEPT_STOP | win32.SERVICE_ACCEPT_PAUSE_CONTINUE,
	}
	fmt.Println(st.CurrentState)
	fmt.Printf("%+v\n", st)
	fmt.Println(win32.ServiceState(9), win32.ServiceControl(200))
	fmt.Println(win32.NotifyBit(win32.SERVICE_STOPPED) | win32.SERVICE_NOTIFY_DELETED | 0x1000)
	// Output:
	// SERVICE_START_PENDING
	// {ServiceType:SERVICE_WIN32_OWN_PROCESS CurrentState:SERVICE_START_PENDING ControlsAccepted:SERVICE_ACCEPT_STOP|SERVICE_ACCEPT_PAUSE_CONTINUE Win32ExitCode:0 ServiceSpecificExitCode:0 CheckPoint:0 WaitHint:0}
	// ServiceState(9) ServiceControl(200)
	// SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_DELETED|0x1000
}
