package sim_test

import (
	"fmt"
	"os"
	"time"

	"github.com/winsim/winsim/sim"
)

// A thread waits on an auto-reset event that a timer sets 250ms of virtual
// time later. No wall-clock time passes: the wait moves the virtual clock to
// the timer's deadline, the timer sets the event, and the wait returns.
func ExampleNewMachine() {
	m, err := sim.NewMachine(sim.Options{})
	if err != nil {
		panic(err)
	}
	p := m.NewProcess("app.exe")
	th := p.NewThread("main")
	h := th.CreateEvent(false, false) // auto-reset, not signaled

	m.Lock()
	ev, _, _ := sim.Resolve[*sim.Event](p.Handles, h)
	m.After(250*time.Millisecond, "worker sets the event", ev.Set)
	m.Unlock()

	r, err := th.WaitForSingleObjectEx(h, 1000, false)
	fmt.Println(r, err, m.Now())
	fmt.Println("event still set:", ev.IsSet())
	// Output:
	// WAIT_OBJECT_0 <nil>   0.250s
	// event still set: false
}

// An APC queued to a thread runs only when the thread enters an alertable
// wait; the wait then returns WAIT_IO_COMPLETION. Queueing needs the lock.
func ExampleThread_SleepEx() {
	m := sim.MustNewMachine(sim.Options{})
	th := m.NewProcess("app.exe").NewThread("main")

	m.Lock()
	th.QueueAPC(&sim.APC{Name: "completion", Run: func(t *sim.Thread) {
		fmt.Println("APC runs; InAPC =", t.Context.InAPC)
	}})
	m.Unlock()

	r, err := th.SleepEx(5000, false) // not alertable: the APC stays queued
	fmt.Println(r == 0, err, th.PendingAPCs(), m.Now())

	r, err = th.SleepEx(5000, true) // alertable: the APC runs at once
	fmt.Println(r, err, th.PendingAPCs(), m.Now())
	// Output:
	// true <nil> 1   5.000s
	// APC runs; InAPC = true
	// WAIT_IO_COMPLETION <nil> 0   5.000s
}

// The trace records every call, timer, wait and APC with its virtual time and
// thread; the same calls always give the same trace.
func ExampleMachine_WriteTrace() {
	m := sim.MustNewMachine(sim.Options{})
	th := m.NewProcess("app.exe").NewThread("main")
	h := th.CreateEvent(true, false)

	m.Lock()
	m.After(100*time.Millisecond, "tick", func() {
		th.QueueAPC(&sim.APC{Name: "done", Run: func(*sim.Thread) {}})
	})
	m.Unlock()

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
	//   0.100s -                timer      tick
	//   0.100s main             apc-queue  done
	//   0.100s main             wait       WaitForSingleObjectEx([h0x4], INFINITE, TRUE) -> WAIT_IO_COMPLETION after 100ms
	//   0.100s main             apc-run    done
	//   0.100s main             call       CloseHandle(h0x4) -> ERROR_SUCCESS (0)
	//   0.100s main             wait       SleepEx(INFINITE, FALSE) -> deadlock
}
