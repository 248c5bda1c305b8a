package twinrt

import (
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/winsim/winsim/sim"
)

// TestThreadPerGoroutine: each goroutine gets its own thread, the same one
// on every call, named in the order of first calls.
func TestThreadPerGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := New(sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var first, again, other *sim.Thread
		b.Call(func(th *Thread) { first = th.T })
		b.Call(func(th *Thread) { again = th.T })
		var wg sync.WaitGroup
		wg.Go(func() { b.Call(func(th *Thread) { other = th.T }) })
		wg.Wait()
		if first != again || first == other || first.Name != "thread 1" || other.Name != "thread 2" {
			t.Errorf("threads %v, %v, %v; want thread 1 twice, then thread 2", first, again, other)
		}
	})
}

// TestBind: one machine at a time; Current without one panics saying how
// to bind one.
func TestBind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, _ := New(sim.Options{})
		b, _ := New(sim.Options{})
		if err := Bind(a); err != nil {
			t.Fatal(err)
		}
		if err := Bind(b); err == nil {
			t.Error("a second machine was bound")
		}
		Unbind(b) // not bound: nothing happens
		if Current() != a {
			t.Error("unbinding another machine unbound the bound one")
		}
		Unbind(a)
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "winsimtest.Use") {
				t.Errorf("Current with none bound: %v", r)
			}
		}()
		Current()
	})
}

// TestWaitWakesOnCall: a waiter polls again after another goroutine's call
// and ends at that call's moment; with nothing to end it, at its deadline.
func TestWaitWakesOnCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, _ := New(sim.Options{})
		var flag bool
		polls := 0
		poll := func(*Thread) (sim.WaitResult, error, bool) {
			polls++
			if flag {
				return sim.WAIT_OBJECT_0, nil, true
			}
			return sim.WAIT_TIMEOUT, nil, false
		}
		go func() {
			time.Sleep(3 * time.Second)
			b.Call(func(*Thread) { flag = true })
		}()
		if r, _ := b.Wait(10000, poll); r != sim.WAIT_OBJECT_0 || b.Sim().Now() != sim.Time(3*time.Second) {
			t.Errorf("Wait = %v at %v, want WAIT_OBJECT_0 at 3s", r, b.Sim().Now())
		}
		if polls != 2 {
			t.Errorf("%d polls, want 2 (the first, and after the call)", polls)
		}
		flag = false
		if r, _ := b.Wait(500, poll); r != sim.WAIT_TIMEOUT || b.Sim().Now() != sim.Time(3500*time.Millisecond) {
			t.Errorf("Wait = %v at %v, want WAIT_TIMEOUT at 3.5s", r, b.Sim().Now())
		}
	})
}

// TestDoSyncsClock: Do brings the model's clock up to the bubble's before
// it runs, so a timer due by then has fired.
func TestDoSyncsClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, _ := New(sim.Options{})
		time.Sleep(4 * time.Second)
		var at sim.Time
		b.Do(func() { at = b.Sim().Now() })
		if at != sim.Time(4*time.Second) {
			t.Errorf("Do ran at %v, want 4s", at)
		}
	})
}

// TestGoBindsThread: a goroutine started with Go makes its calls on the
// given thread, with the given tag; one it starts on a new thread of the
// same process, with the tag; other goroutines do not.
func TestGoBindsThread(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, _ := New(sim.Options{})
		svcProc := b.Sim().NewProcess("svc.exe")
		main := svcProc.NewThread("svc:ServiceMain")
		got := make(chan *Thread)
		b.Go(main, "run", func() { got <- b.Self() })
		th := <-got
		if th.T != main || th.Tag != "run" {
			t.Errorf("the bound goroutine's thread %v with tag %v, want %v with tag run", th.T, th.Tag, main)
		}
		if self := b.Self(); self.T == main || self.Tag != nil {
			t.Errorf("the test goroutine's thread %v with tag %v", self.T, self.Tag)
		}
		// A goroutine the bound one starts is a new thread of its process.
		b.Go(main, "run", func() {
			go func() { got <- b.Self() }()
		})
		child := <-got
		if child.T == main || child.T.Proc != svcProc || child.Tag != "run" {
			t.Errorf("the bound goroutine's child: thread %v of %s with tag %v; want a new thread of svc.exe with tag run", child.T, child.T.Proc.Name, child.Tag)
		}
	})
}

// TestNestedCall: a call made while the goroutine holds the lock (an APC
// routine inside its wait) runs at once on the same thread; a wait made
// there that has no answer panics instead of deadlocking.
func TestNestedCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, _ := New(sim.Options{})
		var outer, inner *sim.Thread
		b.Call(func(th *Thread) {
			outer = th.T
			b.Call(func(th *Thread) { inner = th.T })
		})
		if inner == nil || inner != outer {
			t.Errorf("nested call on %v, outer on %v", inner, outer)
		}
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "would block") {
				t.Errorf("a blocking nested wait: %v", r)
			}
		}()
		b.Call(func(*Thread) {
			b.Wait(1000, func(*Thread) (sim.WaitResult, error, bool) { return sim.WAIT_TIMEOUT, nil, false })
		})
	})
}
