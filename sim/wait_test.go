package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitCall is one of the three wait functions applied to a fixed list of
// handles, so that a rule can be checked against each.
type waitCall struct {
	name string
	// objects is false for SleepEx, which waits on nothing.
	objects bool
	call    func(th *Thread, hs []Handle, ms uint32, alertable bool) (WaitResult, error)
}

var waitCalls = []waitCall{
	{"SleepEx", false, func(th *Thread, _ []Handle, ms uint32, alertable bool) (WaitResult, error) {
		return th.SleepEx(ms, alertable)
	}},
	{"WaitForSingleObjectEx", true, func(th *Thread, hs []Handle, ms uint32, alertable bool) (WaitResult, error) {
		return th.WaitForSingleObjectEx(hs[0], ms, alertable)
	}},
	{"WaitForMultipleObjectsEx/any", true, func(th *Thread, hs []Handle, ms uint32, alertable bool) (WaitResult, error) {
		return th.WaitForMultipleObjectsEx(hs, false, ms, alertable)
	}},
	{"WaitForMultipleObjectsEx/all", true, func(th *Thread, hs []Handle, ms uint32, alertable bool) (WaitResult, error) {
		return th.WaitForMultipleObjectsEx(hs, true, ms, alertable)
	}},
}

// queueAPCs queues APCs named names to th, each recording its name in *log.
func queueAPCs(th *Thread, log *[]string, names ...string) []*APC {
	th.m.head.Mu.Lock()
	defer th.m.head.Mu.Unlock()
	var out []*APC
	for _, n := range names {
		a := &APC{Name: n, Run: func(*Thread) { *log = append(*log, n) }}
		th.queueAPC(a)
		out = append(out, a)
	}
	return out
}

// TestWaitResultString encodes the names of the wait results.
func TestWaitResultString(t *testing.T) {
	tests := []struct {
		r    WaitResult
		want string
	}{
		{WAIT_OBJECT_0, "WAIT_OBJECT_0"},
		{WAIT_OBJECT_0 + 1, "WAIT_OBJECT_0+1"},
		{WAIT_OBJECT_0 + 63, "WAIT_OBJECT_0+63"},
		{WAIT_ABANDONED_0, "WAIT_ABANDONED_0"},
		{WAIT_ABANDONED_0 + 2, "WAIT_ABANDONED_0+2"},
		{WAIT_IO_COMPLETION, "WAIT_IO_COMPLETION"},
		{WAIT_TIMEOUT, "WAIT_TIMEOUT"},
		{WAIT_FAILED, "WAIT_FAILED"},
		{WaitResult(64), "WaitResult(0x40)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tt.r.String())
		})
	}
}

// TestWaitConstants checks the wait results against the SDK values
// (winbase.h, winnt.h).
func TestWaitConstants(t *testing.T) {
	require.Equal(t, WaitResult(0x00000000), WAIT_OBJECT_0)
	require.Equal(t, WaitResult(0x00000080), WAIT_ABANDONED_0)
	require.Equal(t, WaitResult(0x000000C0), WAIT_IO_COMPLETION)
	require.Equal(t, WaitResult(0x00000102), WAIT_TIMEOUT)
	require.Equal(t, WaitResult(0xFFFFFFFF), WAIT_FAILED)
	require.Equal(t, uint32(0xFFFFFFFF), INFINITE)
	require.Equal(t, 64, MAXIMUM_WAIT_OBJECTS)
}

// TestAlertableWait encodes the SleepEx/WaitFor*Ex docs and catalog rules
// kernel.wait.alertable-sleep and kernel.wait.non-alertable: an alertable
// wait runs every queued user APC, in FIFO order, and returns
// WAIT_IO_COMPLETION at once; a non-alertable wait leaves them queued and
// times out (a sleep returns 0, an object wait WAIT_TIMEOUT).
func TestAlertableWait(t *testing.T) {
	for _, wc := range waitCalls {
		for _, alertable := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/alertable=%t", wc.name, alertable), func(t *testing.T) {
				m, _, th := newTestThread(t)
				hs := []Handle{th.CreateEvent(false, false), th.CreateEvent(true, false)}
				var ran []string
				queueAPCs(th, &ran, "first", "second", "third")

				r, err := wc.call(th, hs, 100, alertable)
				require.NoError(t, err)
				if alertable {
					require.Equal(t, WAIT_IO_COMPLETION, r)
					require.Equal(t, []string{"first", "second", "third"}, ran)
					require.Zero(t, th.pendingAPCs())
					require.Equal(t, Time(0), m.Now(), "an alertable wait with APCs queued returns at once")
					return
				}
				if wc.objects {
					require.Equal(t, WAIT_TIMEOUT, r)
				} else {
					require.Equal(t, WaitResult(0), r)
				}
				require.Empty(t, ran)
				require.Equal(t, 3, th.pendingAPCs())
				require.Equal(t, Time(100*time.Millisecond), m.Now())

				// The APCs are still there for the next alertable wait.
				r, err = th.SleepEx(0, true)
				require.NoError(t, err)
				require.Equal(t, WAIT_IO_COMPLETION, r)
				require.Equal(t, []string{"first", "second", "third"}, ran)
			})
		}
	}
}

// TestAlertableWaitWokenByAPC encodes "an alertable sleep returns
// WAIT_IO_COMPLETION as soon as APCs are delivered": an APC queued by a timer
// in the middle of the wait ends it at that instant, for every wait function.
func TestAlertableWaitWokenByAPC(t *testing.T) {
	for _, wc := range waitCalls {
		for _, ms := range []uint32{100, INFINITE} {
			t.Run(fmt.Sprintf("%s/%s", wc.name, msString(ms)), func(t *testing.T) {
				m, _, th := newTestThread(t)
				hs := []Handle{th.CreateEvent(false, false)}
				var ran []string
				m.head.Mu.Lock()
				m.after(30*time.Millisecond, "", func() {
					th.queueAPC(&APC{Name: "cb", Run: func(*Thread) { ran = append(ran, "cb") }})
				})
				m.head.Mu.Unlock()
				r, err := wc.call(th, hs, ms, true)
				require.NoError(t, err)
				require.Equal(t, WAIT_IO_COMPLETION, r)
				require.Equal(t, []string{"cb"}, ran)
				require.Equal(t, Time(30*time.Millisecond), m.Now())
			})
		}
	}
}

// TestSleepEx encodes SleepEx without APCs: the thread is suspended for ms of
// virtual time and the call returns 0; timers due meanwhile fire.
func TestSleepEx(t *testing.T) {
	tests := []struct {
		ms        uint32
		alertable bool
	}{
		{0, false}, {0, true}, {1, false}, {250, true}, {60000, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%t", tt.ms, tt.alertable), func(t *testing.T) {
			m, _, th := newTestThread(t)
			m.Advance(5 * time.Millisecond)
			fired := false
			m.head.Mu.Lock()
			m.after(time.Duration(tt.ms)*time.Millisecond, "", func() { fired = true })
			m.head.Mu.Unlock()
			r, err := th.SleepEx(tt.ms, tt.alertable)
			require.NoError(t, err)
			require.Equal(t, WaitResult(0), r)
			require.Equal(t, Time(5*time.Millisecond).Add(time.Duration(tt.ms)*time.Millisecond), m.Now())
			require.True(t, fired, "a timer due at the end of the sleep fires before it returns")
		})
	}
}

// TestWaitAnyLowestIndex encodes WaitForMultipleObjects (bWaitAll FALSE) and
// catalog rule kernel.wait.object-index: the result is WAIT_OBJECT_0 plus the
// lowest index of a signaled object, and only that object's state changes
// (an auto-reset event resets; the other signaled events stay signaled).
func TestWaitAnyLowestIndex(t *testing.T) {
	tests := []struct {
		name     string
		manual   []bool
		signaled []bool
		want     WaitResult
		after    []bool
	}{
		{"only first", []bool{false, false, false}, []bool{true, false, false}, WAIT_OBJECT_0, []bool{false, false, false}},
		{"only last", []bool{false, false, false}, []bool{false, false, true}, WAIT_OBJECT_0 + 2, []bool{false, false, false}},
		{"two signaled, lower wins", []bool{false, false, false}, []bool{false, true, true}, WAIT_OBJECT_0 + 1, []bool{false, false, true}},
		{"all signaled", []bool{false, false, false}, []bool{true, true, true}, WAIT_OBJECT_0, []bool{false, true, true}},
		{"manual-reset winner stays set", []bool{true, false}, []bool{true, true}, WAIT_OBJECT_0, []bool{true, true}},
		{"none", []bool{false, false}, []bool{false, false}, WAIT_TIMEOUT, []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, th := newTestThread(t)
			var hs []Handle
			var evs []*Event
			for i := range tt.manual {
				h := th.CreateEvent(tt.manual[i], tt.signaled[i])
				hs = append(hs, h)
				evs = append(evs, eventOf(t, th, h))
			}
			r, err := th.WaitForMultipleObjectsEx(hs, false, 0, false)
			require.NoError(t, err)
			require.Equal(t, tt.want, r)
			for i, e := range evs {
				require.Equal(t, tt.after[i], e.IsSet(), "event %d", i)
			}
		})
	}
	t.Run("64 handles, last signaled", func(t *testing.T) {
		_, _, th := newTestThread(t)
		hs := make([]Handle, MAXIMUM_WAIT_OBJECTS)
		for i := range hs {
			hs[i] = th.CreateEvent(false, i == len(hs)-1)
		}
		r, err := th.WaitForMultipleObjectsEx(hs, false, 0, false)
		require.NoError(t, err)
		require.Equal(t, WAIT_OBJECT_0+63, r)
	})
	t.Run("the same event twice", func(t *testing.T) {
		_, _, th := newTestThread(t)
		h := th.CreateEvent(false, true)
		r, err := th.WaitForMultipleObjectsEx([]Handle{h, h}, false, 0, false)
		require.NoError(t, err)
		require.Equal(t, WAIT_OBJECT_0, r)
	})
}

// TestEventResetKinds encodes the CreateEvent docs: an auto-reset event
// releases one waiting thread and resets; a manual-reset event stays
// signaled and releases every waiter until ResetEvent.
func TestEventResetKinds(t *testing.T) {
	tests := []struct {
		name   string
		manual bool
		want   []WaitResult // for three threads waiting in turn with timeout 0
	}{
		{"auto-reset", false, []WaitResult{WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_TIMEOUT}},
		{"manual-reset", true, []WaitResult{WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_OBJECT_0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p, th := newTestThread(t)
			h := th.CreateEvent(tt.manual, false)
			ev := eventOf(t, th, h)
			require.Equal(t, ERROR_SUCCESS, th.SetEvent(h))
			var got []WaitResult
			for _, w := range []*Thread{th, p.NewThread("w2"), p.NewThread("w3")} {
				r, err := w.WaitForSingleObjectEx(h, 0, false)
				require.NoError(t, err)
				got = append(got, r)
			}
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.manual, ev.IsSet())
			th.ResetEvent(h)
			r, err := th.WaitForSingleObjectEx(h, 0, false)
			require.NoError(t, err)
			require.Equal(t, WAIT_TIMEOUT, r, "ResetEvent clears either kind")
		})
	}
}

// TestWaitAll encodes WaitForMultipleObjects with bWaitAll TRUE: the wait
// completes only when every object is signaled, returns WAIT_OBJECT_0, and
// changes no object's state until then (an auto-reset event signaled early
// stays signaled through a timeout); on success every auto-reset event resets.
func TestWaitAll(t *testing.T) {
	tests := []struct {
		name     string
		manual   []bool
		signaled []bool
		want     WaitResult
		after    []bool
	}{
		{"none signaled", []bool{false, false}, []bool{false, false}, WAIT_TIMEOUT, []bool{false, false}},
		{"one of two", []bool{false, false}, []bool{true, false}, WAIT_TIMEOUT, []bool{true, false}},
		{"last of three missing", []bool{false, true, false}, []bool{true, true, false}, WAIT_TIMEOUT, []bool{true, true, false}},
		{"all auto", []bool{false, false}, []bool{true, true}, WAIT_OBJECT_0, []bool{false, false}},
		{"all mixed", []bool{false, true, false}, []bool{true, true, true}, WAIT_OBJECT_0, []bool{false, true, false}},
		{"single", []bool{false}, []bool{true}, WAIT_OBJECT_0, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, th := newTestThread(t)
			var hs []Handle
			var evs []*Event
			for i := range tt.manual {
				h := th.CreateEvent(tt.manual[i], tt.signaled[i])
				hs = append(hs, h)
				evs = append(evs, eventOf(t, th, h))
			}
			r, err := th.WaitForMultipleObjectsEx(hs, true, 50, false)
			require.NoError(t, err)
			require.Equal(t, tt.want, r)
			for i, e := range evs {
				require.Equal(t, tt.after[i], e.IsSet(), "event %d", i)
			}
			if r == WAIT_TIMEOUT {
				require.Equal(t, Time(50*time.Millisecond), m.Now())
			}
		})
	}
	t.Run("completes when the last object is signaled", func(t *testing.T) {
		m, _, th := newTestThread(t)
		h1, h2 := th.CreateEvent(false, false), th.CreateEvent(false, false)
		e1, e2 := eventOf(t, th, h1), eventOf(t, th, h2)
		m.head.Mu.Lock()
		m.after(10*time.Millisecond, "", e2.set)
		m.after(20*time.Millisecond, "", e1.set)
		m.head.Mu.Unlock()
		r, err := th.WaitForMultipleObjectsEx([]Handle{h1, h2}, true, INFINITE, false)
		require.NoError(t, err)
		require.Equal(t, WAIT_OBJECT_0, r)
		require.Equal(t, Time(20*time.Millisecond), m.Now())
		require.False(t, e1.IsSet())
		require.False(t, e2.IsSet())
	})
}

// TestWaitTimeout encodes the WaitForSingleObjectEx docs and catalog rule
// kernel.wait.timeout: an object wait whose objects stay unsignaled returns
// WAIT_TIMEOUT when its interval has elapsed, with the clock exactly at the
// deadline; a zero interval tests the object and returns at once.
func TestWaitTimeout(t *testing.T) {
	for _, wc := range waitCalls[1:] {
		for _, ms := range []uint32{0, 1, 100, 1500, 0xFFFFFFFE} {
			t.Run(fmt.Sprintf("%s/%d", wc.name, ms), func(t *testing.T) {
				m, _, th := newTestThread(t)
				m.Advance(7 * time.Millisecond)
				hs := []Handle{th.CreateEvent(false, false), th.CreateEvent(true, false)}
				r, err := wc.call(th, hs, ms, false)
				require.NoError(t, err)
				require.Equal(t, WAIT_TIMEOUT, r)
				require.Equal(t, Time(7*time.Millisecond).Add(time.Duration(ms)*time.Millisecond), m.Now())
			})
		}
	}
}

// TestTimerAtDeadlineFiresFirst encodes the wait loop's rule that timers due
// exactly at the deadline fire before the wait times out: a timer setting the
// event at the deadline satisfies the wait; one due a nanosecond later does
// not fire, and the wait times out.
func TestTimerAtDeadlineFiresFirst(t *testing.T) {
	tests := []struct {
		name     string
		at       time.Duration
		want     WaitResult
		wantNow  Time
		wantLeft int
	}{
		{"before deadline", 40 * time.Millisecond, WAIT_OBJECT_0, Time(40 * time.Millisecond), 0},
		{"at deadline", 100 * time.Millisecond, WAIT_OBJECT_0, Time(100 * time.Millisecond), 0},
		{"after deadline", 100*time.Millisecond + 1, WAIT_TIMEOUT, Time(100 * time.Millisecond), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, th := newTestThread(t)
			h := th.CreateEvent(false, false)
			ev := eventOf(t, th, h)
			m.head.Mu.Lock()
			m.after(tt.at, "set", ev.set)
			m.head.Mu.Unlock()
			r, err := th.WaitForSingleObjectEx(h, 100, false)
			require.NoError(t, err)
			require.Equal(t, tt.want, r)
			require.Equal(t, tt.wantNow, m.Now())
			require.Equal(t, tt.wantLeft, m.PendingTimers())
		})
	}
	t.Run("APC queued at the deadline", func(t *testing.T) {
		m, _, th := newTestThread(t)
		m.head.Mu.Lock()
		m.after(100*time.Millisecond, "", func() { th.queueAPC(&APC{Name: "a", Run: func(*Thread) {}}) })
		m.head.Mu.Unlock()
		r, err := th.SleepEx(100, true)
		require.NoError(t, err)
		require.Equal(t, WAIT_IO_COMPLETION, r)
	})
}

// TestDeadlock encodes catalog rule kernel.wait.deadlock: an infinite wait
// that nothing pending can satisfy (no timer, nothing signaled, no APC it may
// run) returns WAIT_FAILED and a *DeadlockError naming the thread, the time
// and the wait, instead of hanging.
func TestDeadlock(t *testing.T) {
	tests := []struct {
		name  string
		setup func(m *Machine, th *Thread) // runs without the lock
		wait  func(th *Thread, h Handle) (WaitResult, error)
		at    Time
		desc  string
	}{
		{"Sleep(INFINITE)", nil,
			func(th *Thread, _ Handle) (WaitResult, error) { return th.SleepEx(INFINITE, false) },
			0, "SleepEx(INFINITE, FALSE)"},
		{"alertable Sleep(INFINITE) with no APC", nil,
			func(th *Thread, _ Handle) (WaitResult, error) { return th.SleepEx(INFINITE, true) },
			0, "SleepEx(INFINITE, TRUE)"},
		{"non-alertable with an APC queued", func(m *Machine, th *Thread) {
			var log []string
			queueAPCs(th, &log, "never")
		},
			func(th *Thread, _ Handle) (WaitResult, error) { return th.SleepEx(INFINITE, false) },
			0, "SleepEx(INFINITE, FALSE)"},
		{"unsignaled event", nil,
			func(th *Thread, h Handle) (WaitResult, error) { return th.WaitForSingleObjectEx(h, INFINITE, false) },
			0, "WaitForSingleObjectEx([h0x4], INFINITE, FALSE)"},
		{"wait-all, one missing", nil,
			func(th *Thread, h Handle) (WaitResult, error) {
				return th.WaitForMultipleObjectsEx([]Handle{h, th.CreateEvent(true, true)}, true, INFINITE, true)
			},
			0, "WaitForMultipleObjectsEx([h0x4 h0x8], TRUE, INFINITE, TRUE)"},
		{"after the last timer", func(m *Machine, _ *Thread) {
			m.head.Mu.Lock()
			m.after(10*time.Millisecond, "", func() {})
			m.after(30*time.Millisecond, "", func() {})
			m.head.Mu.Unlock()
		},
			func(th *Thread, h Handle) (WaitResult, error) { return th.WaitForSingleObjectEx(h, INFINITE, true) },
			Time(30 * time.Millisecond), "WaitForSingleObjectEx([h0x4], INFINITE, TRUE)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, th := newTestThread(t)
			h := th.CreateEvent(false, false)
			if tt.setup != nil {
				tt.setup(m, th)
			}
			r, err := tt.wait(th, h)
			require.Equal(t, WAIT_FAILED, r)
			var de *DeadlockError
			require.ErrorAs(t, err, &de)
			require.Equal(t, &DeadlockError{Thread: "main", At: tt.at, Wait: tt.desc}, de)
			require.Equal(t, fmt.Sprintf("deadlock: thread main waits forever at %s in %s: nothing pending can satisfy it", tt.at, tt.desc), de.Error())
			require.Equal(t, tt.at, m.Now())
			tr := m.Trace()
			require.Equal(t, TraceEvent{At: tt.at, Thread: "main", Kind: EvWait, Text: tt.desc + " -> deadlock"}, tr[len(tr)-1])
		})
	}
}

// TestWaitPseudoHandles: INVALID_HANDLE_VALUE is the current process's
// pseudo handle and (HANDLE)-2 the current thread's; WaitForSingleObjectEx
// takes each as an object that never signals while the caller waits
// (sync.c:1298-1303). WaitForMultipleObjectsEx refuses them on Windows
// (sync.c:1366-1380) and takes them under Wine 8.0. The object waited for
// is the caller's own process or thread, and says so by its type name.
func TestWaitPseudoHandles(t *testing.T) {
	for _, tt := range []struct {
		pseudo   Handle
		typeName string
	}{{NtCurrentProcess, "Process"}, {NtCurrentThread, "Thread"}} {
		pseudo := tt.pseudo
		t.Run(pseudo.String(), func(t *testing.T) {
			m, _, th := newTestThread(t)
			self, ok := th.pseudoObject(pseudo)
			require.True(t, ok)
			assert.Equal(t, tt.typeName, self.TypeName())

			r, err := th.WaitForSingleObjectEx(pseudo, 10, false)
			require.NoError(t, err)
			assert.Equal(t, WAIT_TIMEOUT, r)
			assert.Equal(t, Time(10*time.Millisecond), m.Now(), "the wait ran to its timeout")

			_, err = th.WaitForSingleObjectEx(pseudo, INFINITE, false)
			var dl *DeadlockError
			assert.ErrorAs(t, err, &dl, "nothing can end an infinite wait on oneself")
		})
	}
}

// TestWaitMultiplePseudoHandles: the multiple wait refuses a pseudo handle
// on Windows, whatever else the list holds, and takes nothing; Wine 8.0
// waits for it as for a process or thread that does not end.
func TestWaitMultiplePseudoHandles(t *testing.T) {
	for _, pseudo := range []Handle{NtCurrentProcess, NtCurrentThread} {
		for _, profile := range []string{"win8", "win7"} {
			t.Run(profile+"/"+pseudo.String(), func(t *testing.T) {
				m := MustNewMachine(Options{Profile: profile})
				th := m.NewProcess("p").NewThread("main")
				ev := th.CreateEvent(false, true)
				for _, list := range [][]Handle{{pseudo}, {ev, pseudo}, {pseudo, ev}} {
					for _, all := range []bool{false, true} {
						r, err := th.WaitForMultipleObjectsEx(list, all, 0, false)
						assert.Equal(t, WAIT_FAILED, r, "%v all=%v", list, all)
						assert.Equal(t, ERROR_INVALID_HANDLE, err)
					}
				}
				assert.True(t, eventOf(t, th, ev).IsSet(), "a refused wait takes nothing")
			})
		}
		t.Run("wine-8.0/"+pseudo.String(), func(t *testing.T) {
			m := MustNewMachine(Options{Profile: "wine-8.0"})
			th := m.NewProcess("p").NewThread("main")
			ev := th.CreateEvent(false, true)
			r, err := th.WaitForMultipleObjectsEx([]Handle{pseudo, ev}, false, 0, false)
			require.NoError(t, err)
			assert.Equal(t, WAIT_OBJECT_0+1, r, "the signaled event wins")

			th.SetEvent(ev)
			r, err = th.WaitForMultipleObjectsEx([]Handle{ev, pseudo}, true, 0, false)
			require.NoError(t, err)
			assert.Equal(t, WAIT_TIMEOUT, r, "a wait-all waits for the caller's own end too")
			assert.True(t, eventOf(t, th, ev).IsSet(), "a wait-all that times out takes nothing")

			r, err = th.WaitForMultipleObjectsEx([]Handle{pseudo, pseudo}, false, 10, false)
			require.NoError(t, err)
			assert.Equal(t, WAIT_TIMEOUT, r)
		})
	}
}

// TestWaitInvalidHandle encodes the wait docs and catalog rule
// kernel.wait.invalid-handle: a wait on a NULL, INVALID_HANDLE_VALUE, closed
// or never-issued handle, or on an object that cannot be waited on, fails at
// once with WAIT_FAILED and ERROR_INVALID_HANDLE, even if other objects in
// the list are signaled, and acquires none of them.
func TestWaitInvalidHandle(t *testing.T) {
	tests := []struct {
		name  string
		bad   func(th *Thread) Handle
		state string
	}{
		{"NULL", func(*Thread) Handle { return 0 }, "NULL is NULL"},
		{"closed", func(th *Thread) Handle {
			h := th.CreateEvent(true, true)
			th.CloseHandle(h)
			return h
		}, "h0x8 is closed"},
		{"never issued", func(*Thread) Handle { return 0x400 }, "h0x400 is never issued"},
		{"SC_HANDLE", func(th *Thread) Handle { return th.Proc.handles.Insert(scHandleObject{}, 0) }, "h0x8 is wrong type"},
		{"kernel object that is not waitable", func(th *Thread) Handle {
			return th.Proc.handles.Insert(&plainKernelObject{}, 0)
		}, "h0x8 is wrong type"},
	}
	for _, wc := range waitCalls[1:] {
		for _, tt := range tests {
			for _, alertable := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/alertable=%t", wc.name, tt.name, alertable), func(t *testing.T) {
					m, _, th := newTestThread(t)
					good := th.CreateEvent(false, true)
					bad := tt.bad(th)
					var ran []string
					queueAPCs(th, &ran, "apc")
					hs := []Handle{bad, good}
					if wc.name == "WaitForSingleObjectEx" {
						hs = hs[:1]
					}
					r, err := wc.call(th, hs, INFINITE, alertable)
					require.Equal(t, WAIT_FAILED, r)
					require.Equal(t, ERROR_INVALID_HANDLE, err)
					require.True(t, eventOf(t, th, good).IsSet(), "the good object was not acquired")
					require.Empty(t, ran, "a failed wait delivers no APC")
					require.Equal(t, Time(0), m.Now())
					tr := m.Trace()
					require.Contains(t, tr[len(tr)-1].Text, "-> WAIT_FAILED, ERROR_INVALID_HANDLE (6) ("+tt.state+")")
				})
			}
		}
	}
	t.Run("bad handle after a signaled one", func(t *testing.T) {
		_, _, th := newTestThread(t)
		good := th.CreateEvent(false, true)
		r, err := th.WaitForMultipleObjectsEx([]Handle{good, 0x400}, false, 0, false)
		require.Equal(t, WAIT_FAILED, r)
		require.Equal(t, ERROR_INVALID_HANDLE, err)
		require.True(t, eventOf(t, th, good).IsSet())
	})
}

// TestWaitHandleCount encodes the WaitForMultipleObjects docs: nCount must be
// between 1 and MAXIMUM_WAIT_OBJECTS (64); otherwise the wait fails with
// WAIT_FAILED and ERROR_INVALID_PARAMETER, whatever the handles are.
func TestWaitHandleCount(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		valid   bool
		waitAll bool
		want    WaitResult
		wantErr error
	}{
		{"nil", -1, true, false, WAIT_FAILED, ERROR_INVALID_PARAMETER},
		{"empty", 0, true, false, WAIT_FAILED, ERROR_INVALID_PARAMETER},
		{"empty, wait-all", 0, true, true, WAIT_FAILED, ERROR_INVALID_PARAMETER},
		{"1", 1, true, false, WAIT_OBJECT_0, nil},
		{"64", 64, true, false, WAIT_OBJECT_0, nil},
		{"64, wait-all", 64, true, true, WAIT_OBJECT_0, nil},
		{"65", 65, true, false, WAIT_FAILED, ERROR_INVALID_PARAMETER},
		{"65, wait-all", 65, true, true, WAIT_FAILED, ERROR_INVALID_PARAMETER},
		{"65 invalid handles", 65, false, false, WAIT_FAILED, ERROR_INVALID_PARAMETER},
		{"1000", 1000, true, false, WAIT_FAILED, ERROR_INVALID_PARAMETER},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, th := newTestThread(t)
			var hs []Handle
			if tt.n >= 0 {
				hs = make([]Handle, tt.n)
			}
			for i := range hs {
				if tt.valid {
					hs[i] = th.CreateEvent(true, true)
				}
			}
			var ran []string
			queueAPCs(th, &ran, "apc")
			r, err := th.WaitForMultipleObjectsEx(hs, tt.waitAll, INFINITE, true)
			if tt.wantErr == nil {
				// An APC is queued, but a signaled object wins over it: the
				// wait returns the object and the APC stays queued.
				require.NoError(t, err)
				require.Equal(t, tt.want, r)
				require.Empty(t, ran)
				require.Equal(t, 1, th.pendingAPCs())
				return
			}
			require.Equal(t, tt.want, r)
			require.Equal(t, tt.wantErr, err)
			require.Empty(t, ran)
			require.Equal(t, Time(0), m.Now())
		})
	}
}

// TestAPCCancel encodes APC.Cancel: it withdraws a queued, undelivered APC,
// which then never runs and no longer counts as pending (so an alertable wait
// does not return WAIT_IO_COMPLETION for it); it reports false for an APC
// already cancelled or already delivered.
func TestAPCCancel(t *testing.T) {
	m, _, th := newTestThread(t)
	var ran []string
	apcs := queueAPCs(th, &ran, "keep", "drop")

	m.head.Mu.Lock()
	require.True(t, apcs[1].Cancel())
	require.False(t, apcs[1].Cancel(), "a second Cancel reports false")
	require.Equal(t, 1, th.pendingAPCs())
	m.head.Mu.Unlock()

	r, err := th.SleepEx(10, true)
	require.NoError(t, err)
	require.Equal(t, WAIT_IO_COMPLETION, r)
	require.Equal(t, []string{"keep"}, ran)

	m.head.Mu.Lock()
	require.False(t, apcs[0].Cancel(), "a delivered APC cannot be cancelled")
	m.head.Mu.Unlock()

	// A cancelled APC ahead of live ones does not hold them back.
	apcs = queueAPCs(th, &ran, "gone", "after1", "after2")
	m.head.Mu.Lock()
	require.True(t, apcs[0].Cancel())
	m.head.Mu.Unlock()
	ran = nil
	r, err = th.SleepEx(10, true)
	require.NoError(t, err)
	require.Equal(t, WAIT_IO_COMPLETION, r)
	require.Equal(t, []string{"after1", "after2"}, ran)
	ran = []string{"keep"}

	// With only a cancelled APC queued, an alertable sleep sleeps.
	apcs = queueAPCs(th, &ran, "late")
	m.head.Mu.Lock()
	require.True(t, apcs[0].Cancel())
	m.head.Mu.Unlock()
	start := m.Now()
	r, err = th.SleepEx(10, true)
	require.NoError(t, err)
	require.Equal(t, WaitResult(0), r)
	require.Equal(t, start.Add(10*time.Millisecond), m.Now())
	require.Equal(t, []string{"keep"}, ran)
}

// TestAPCQueuedDuringAPC encodes deliverAPCs: "APCs queued while one runs are
// delivered in the same pass, as Windows drains the whole user APC queue",
// after the ones already queued.
func TestAPCQueuedDuringAPC(t *testing.T) {
	m, _, th := newTestThread(t)
	var ran []string
	m.head.Mu.Lock()
	th.queueAPC(&APC{Name: "outer", Run: func(x *Thread) {
		ran = append(ran, "outer")
		m.head.Mu.Lock()
		x.queueAPC(&APC{Name: "inner", Run: func(*Thread) { ran = append(ran, "inner") }})
		m.head.Mu.Unlock()
	}})
	th.queueAPC(&APC{Name: "second", Run: func(*Thread) { ran = append(ran, "second") }})
	m.head.Mu.Unlock()

	r, err := th.SleepEx(INFINITE, true)
	require.NoError(t, err)
	require.Equal(t, WAIT_IO_COMPLETION, r)
	require.Equal(t, []string{"outer", "second", "inner"}, ran)
	require.Zero(t, th.pendingAPCs())

	var kinds []string
	for _, e := range m.Trace() {
		if e.Kind == EvAPCQueued || e.Kind == EvAPCDelivered || e.Kind == EvWait {
			kinds = append(kinds, string(e.Kind)+" "+e.Text)
		}
	}
	require.Equal(t, []string{
		"apc-queue outer",
		"apc-queue second",
		"wait SleepEx(INFINITE, TRUE) -> WAIT_IO_COMPLETION after 0s",
		"apc-run outer",
		"apc-queue inner",
		"apc-run second",
		"apc-run inner",
	}, kinds)
}

// TestInAPC encodes CallerContext.InAPC: the kernel sets it while the thread
// runs a user APC and restores the previous value afterwards.
func TestInAPC(t *testing.T) {
	for _, before := range []bool{false, true} {
		t.Run(fmt.Sprintf("before=%t", before), func(t *testing.T) {
			m, _, th := newTestThread(t)
			th.ctx.InAPC = before
			var seen []bool
			m.head.Mu.Lock()
			for range 2 {
				th.queueAPC(&APC{Name: "a", Run: func(x *Thread) { seen = append(seen, x.ctx.InAPC) }})
			}
			m.head.Mu.Unlock()
			r, err := th.SleepEx(0, true)
			require.NoError(t, err)
			require.Equal(t, WAIT_IO_COMPLETION, r)
			require.Equal(t, []bool{true, true}, seen)
			require.Equal(t, before, th.ctx.InAPC)
		})
	}
	t.Run("nested alertable wait inside an APC", func(t *testing.T) {
		m, _, th := newTestThread(t)
		var seen []string
		m.head.Mu.Lock()
		th.queueAPC(&APC{Name: "outer", Run: func(x *Thread) {
			m.head.Mu.Lock()
			x.queueAPC(&APC{Name: "inner", Run: func(y *Thread) { seen = append(seen, fmt.Sprint("inner ", y.ctx.InAPC)) }})
			m.head.Mu.Unlock()
			r, err := x.SleepEx(0, true)
			require.NoError(t, err)
			require.Equal(t, WAIT_IO_COMPLETION, r)
			seen = append(seen, fmt.Sprint("outer after nested wait ", x.ctx.InAPC))
		}})
		m.head.Mu.Unlock()
		_, err := th.SleepEx(0, true)
		require.NoError(t, err)
		require.Equal(t, []string{"inner true", "outer after nested wait true"}, seen)
		require.False(t, th.ctx.InAPC)
	})
}

// TestAPCRunsWithoutLock encodes APC.Run's contract: the routine runs without
// the machine's lock, so it may call locking Machine and Thread methods (Now,
// Trace, CreateEvent, SetEvent, Advance) without deadlocking, and the lock is
// held again when the wait returns. The routine first tries the lock itself:
// were it held, the calls would deadlock, so it then makes none and the test
// fails on its own, with no wall-clock timeout.
func TestAPCRunsWithoutLock(t *testing.T) {
	m, _, th := newTestThread(t)
	var now Time
	var traced int
	var h Handle
	lockFree := false
	m.head.Mu.Lock()
	th.queueAPC(&APC{Name: "locker", Run: func(x *Thread) {
		if lockFree = m.head.Mu.TryLock(); !lockFree {
			return
		}
		m.head.Mu.Unlock()
		now = m.Now()
		traced = m.TraceLen()
		h = x.CreateEvent(true, false)
		x.SetEvent(h)
		m.Advance(5 * time.Millisecond)
	}})
	m.head.Mu.Unlock()

	r, err := th.SleepEx(INFINITE, true)
	require.True(t, lockFree, "the machine's lock is held while the APC routine runs")
	require.NoError(t, err)
	require.Equal(t, WAIT_IO_COMPLETION, r)
	require.Equal(t, Time(0), now)
	require.NotZero(t, traced)
	require.True(t, eventOf(t, th, h).IsSet())
	require.Equal(t, Time(5*time.Millisecond), m.Now())
	require.True(t, m.head.Mu.TryLock(), "the wait returns with the lock released")
	m.head.Mu.Unlock()
}

// TestWaitTrace encodes the wait trace lines: the call as written with its
// arguments, and how it ended (result and the virtual time it took).
func TestWaitTrace(t *testing.T) {
	m, _, th := newTestThread(t)
	h := th.CreateEvent(false, false)
	h2 := th.CreateEvent(true, true)
	ev := eventOf(t, th, h)
	m.head.Mu.Lock()
	m.after(25*time.Millisecond, "", ev.set)
	m.head.Mu.Unlock()
	n := m.TraceLen()
	_, _ = th.WaitForSingleObjectEx(h, 100, false)
	_, _ = th.WaitForMultipleObjectsEx([]Handle{h, h2}, false, 0, true)
	_, _ = th.WaitForMultipleObjectsEx([]Handle{h, h2}, true, 10, false)
	_, _ = th.SleepEx(5, false)
	_, _ = th.WaitForMultipleObjectsEx(nil, false, 5, false)
	m.head.Mu.Lock()
	m.after(15*time.Millisecond, "", func() { th.queueAPC(&APC{Name: "wake", Run: func(*Thread) {}}) })
	m.head.Mu.Unlock()
	_, _ = th.SleepEx(100, true)
	var got []string
	for _, e := range m.Trace()[n:] {
		got = append(got, e.String())
	}
	require.Equal(t, []string{
		"  0.025s main             wait       WaitForSingleObjectEx([h0x4], 100, FALSE) -> WAIT_OBJECT_0 after 25ms",
		"  0.025s main             wait       WaitForMultipleObjectsEx([h0x4 h0x8], FALSE, 0, TRUE) -> WAIT_OBJECT_0+1 after 0s",
		"  0.035s main             wait       WaitForMultipleObjectsEx([h0x4 h0x8], TRUE, 10, FALSE) -> WAIT_TIMEOUT",
		// SleepEx's result (0) is not asserted by name here: the trace
		// prints it as WaitResult(0).String(), "WAIT_OBJECT_0".
		"  0.040s main             wait       SleepEx(5, FALSE) -> 0",
		"  0.040s main             wait       WaitForMultipleObjectsEx([], FALSE, 5, FALSE) -> WAIT_FAILED, ERROR_INVALID_PARAMETER (87)",
		"  0.055s main             apc-queue  wake",
		"  0.055s main             wait       SleepEx(100, TRUE) -> WAIT_IO_COMPLETION after 15ms",
		"  0.055s main             apc-run    wake",
	}, got)
}

// TestRunawayTimersReported encodes maxTimersPerWait: a wait whose timers keep
// rescheduling themselves, so that the queue never empties, is reported as a
// *DeadlockError after maxTimersPerWait timers rather than spun forever.
func TestRunawayTimersReported(t *testing.T) {
	if testing.Short() {
		t.Skip("fires 4M timers")
	}
	m, _, th := newTestThread(t)
	h := th.CreateEvent(false, false)
	var tick func()
	tick = func() { m.after(time.Millisecond, "", tick) }
	m.head.Mu.Lock()
	m.after(time.Millisecond, "", tick)
	m.head.Mu.Unlock()
	r, err := th.WaitForSingleObjectEx(h, INFINITE, false)
	require.Equal(t, WAIT_FAILED, r)
	var de *DeadlockError
	require.ErrorAs(t, err, &de)
	require.Equal(t, Time(maxTimersPerWait*time.Millisecond), de.At)
	require.Equal(t, 1, m.PendingTimers())
}
