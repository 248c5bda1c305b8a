package sim_test

import (
	"fmt"
	"os"

	"github.com/winsim/winsim/sim"
)

// A thread waits on an auto-reset event. No wall-clock time passes: a wait
// that times out moves the virtual clock to its deadline; once SetEvent
// signals the event, the next wait returns at once and resets it.
func ExampleNewMachine() {
	m, err := sim.NewMachine(sim.Options{})
	if err != nil {
		panic(err)
	}
	th := m.NewProcess("app.exe").NewThread("main")
	h := th.CreateEvent(false, false) // auto-reset, not signaled

	r, err := th.WaitForSingleObjectEx(h, 250, false)
	fmt.Println(r, err, m.Now())
	th.SetEvent(h)
	r, err = th.WaitForSingleObjectEx(h, 1000, false)
	fmt.Println(r, err, m.Now())
	r, _ = th.WaitForSingleObjectEx(h, 0, false)
	fmt.Println("after the wait:", r)
	// Output:
	// WAIT_TIMEOUT <nil>   0.250s
	// WAIT_OBJECT_0 <nil>   0.250s
	// after the wait: WAIT_TIMEOUT
}

// A sleep moves only the virtual clock. A sleep that nothing can end, with
// no timer pending and no APC to come, reports a deadlock instead of
// hanging.
func ExampleThread_SleepEx() {
	m := sim.MustNewMachine(sim.Options{})
	th := m.NewProcess("app.exe").NewThread("main")

	r, err := th.SleepEx(5000, true) // alertable, but no APC is queued
	fmt.Println(r == 0, err, m.Now())

	_, err = th.SleepEx(sim.INFINITE, false)
	fmt.Println(err)
	// Output:
	// true <nil>   5.000s
	// deadlock: thread main waits forever at   5.000s in SleepEx(INFINITE, FALSE): nothing pending can satisfy it
}

// The trace records every call, timer, wait and APC with its virtual time and
// thread; the same calls always give the same trace.
func ExampleMachine_WriteTrace() {
	m := sim.MustNewMachine(sim.Options{})
	th := m.NewProcess("app.exe").NewThread("main")
	h := th.CreateEvent(true, false)

	_, _ = th.WaitForSingleObjectEx(h, 100, true)
	th.SetEvent(h)
	_, _ = th.WaitForSingleObjectEx(h, sim.INFINITE, true)
	th.CloseHandle(h)
	_, err := th.SleepEx(sim.INFINITE, false)
	fmt.Println(err)
	_ = m.WriteTrace(os.Stdout)
	// Output:
	// deadlock: thread main waits forever at   0.100s in SleepEx(INFINITE, FALSE): nothing pending can satisfy it
	//   0.000s -                process    create app.exe pid=4
	//   0.000s -                thread     create main tid=4 in app.exe
	//   0.000s main             call       CreateEvent(TRUE, FALSE) -> h0x4
	//   0.100s main             wait       WaitForSingleObjectEx([h0x4], 100, TRUE) -> WAIT_TIMEOUT
	//   0.100s main             call       SetEvent(h0x4) -> ERROR_SUCCESS (0)
	//   0.100s main             wait       WaitForSingleObjectEx([h0x4], INFINITE, TRUE) -> WAIT_OBJECT_0 after 0s
	//   0.100s main             call       CloseHandle(h0x4) -> ERROR_SUCCESS (0)
	//   0.100s main             wait       SleepEx(INFINITE, FALSE) -> deadlock
}
