// Package twinrt is the runtime layer under the x/sys twins: it binds the
// twins' package-level functions to one simulated machine at a time, maps
// goroutines to simulated threads, keeps the model's clock on the time
// package's clock, and turns the model's non-blocking waits into calls that
// block their goroutine until the model delivers.
//
// The models stay pure: they start no goroutine and read no clock. Time
// and blocking live here. A wait polls the model with a zero timeout; when
// the model has no answer yet, the goroutine blocks, without holding any
// lock, on a channel that the next state change closes or on a timer at the
// wait's deadline, then polls again. In a testing/synctest bubble both are
// durable blocks, so the bubble's fake clock jumps to the deadline as soon
// as every goroutine waits; outside a bubble the same wait takes real time.
//
// The model's timers fire when a call brings its clock up to date (every
// call and every attempt of a wait does). A waiter is not woken at a model
// timer's deadline: sim exposes no next-timer deadline, and none of the
// twins' calls so far schedules a timer whose firing alone ends a wait.
// Families whose timers signal objects or queue APCs (the SCM's
// notifications) need that wake-up first.
package twinrt

import (
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/winsim/winsim/sim"
)

// Machine is one simulated machine as the twins see it: the model, its
// family models, the process every goroutine's thread lives in, and the bridge
// between the model's virtual clock and the time package's clock.
type Machine struct {
	m    *sim.Machine
	proc *sim.Process

	// families holds the family models made on the machine (Family), by
	// their type, under famMu.
	famMu    sync.Mutex
	families map[reflect.Type]any

	// mu guards the fields below. It is held only around model calls that
	// do not block, never while a goroutine waits: a sync.Mutex wait is not
	// a durable block for testing/synctest.
	mu sync.Mutex
	// start is the time package's clock when the machine was made; the
	// model's clock reads time.Since(start) plus skew.
	start time.Time
	// skew is how far Advance has moved the model's clock ahead of the
	// time package's.
	skew time.Duration
	// changed is closed, and replaced, by every call that may change what
	// a waiter waits for; a waiter takes it under mu with its poll.
	changed chan struct{}
	// threads maps a goroutine's id to its simulated thread.
	threads map[uint64]*Thread
}

// Thread is a goroutine's simulated thread and its last-error value.
type Thread struct {
	T       *sim.Thread
	lastErr uint32
}

// New makes a machine with opts. Inside a testing/synctest bubble it must
// be made in the bubble that uses it: its channels belong to the bubble
// they are made in.
func New(opts sim.Options) (*Machine, error) {
	m, err := sim.NewMachine(opts)
	if err != nil {
		return nil, err
	}
	return &Machine{
		m:        m,
		families: map[reflect.Type]any{},
		proc:     m.NewProcess("client.exe"),
		start:    time.Now(),
		changed:  make(chan struct{}),
		threads:  map[uint64]*Thread{},
	}, nil
}

// Sim returns the model.
func (b *Machine) Sim() *sim.Machine { return b.m }

// Family returns b's model of a family, of type T, made by mk on its first
// use: a twin package reaches its family this way (Family(b, ksp.NewCSP)),
// and the machine holds one model of each type.
func Family[T any](b *Machine, mk func(*sim.Machine) T) T {
	b.famMu.Lock()
	defer b.famMu.Unlock()
	key := reflect.TypeFor[T]()
	if f, ok := b.families[key]; ok {
		return f.(T)
	}
	f := mk(b.m)
	b.families[key] = f
	return f
}

// current is the machine the twins' calls run on.
var current atomic.Pointer[Machine]

// Bind makes b the machine behind the twins. It fails when another is
// bound: the twins are package-level functions, so two machines at once
// would be one test's calls landing on another's machine.
func Bind(b *Machine) error {
	if !current.CompareAndSwap(nil, b) {
		return fmt.Errorf("a winsim machine is already bound to the twins")
	}
	return nil
}

// Unbind releases b, if it is the bound machine.
func Unbind(b *Machine) { current.CompareAndSwap(b, nil) }

// Current returns the bound machine. With none bound it panics: the twins
// have no machine of their own, and a call on no machine has no answer.
func Current() *Machine {
	b := current.Load()
	if b == nil {
		panic("winsim/windows: no simulated machine is bound to the twins; a test binds one with winsimtest.Use(t, ...)")
	}
	return b
}

// goid returns the calling goroutine's id, read from its stack header
// ("goroutine 42 [running]:").
func goid() uint64 {
	var buf [64]byte
	s := buf[:runtime.Stack(buf[:], false)]
	const prefix = len("goroutine ")
	end := prefix
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	id, err := strconv.ParseUint(string(s[prefix:end]), 10, 64)
	if err != nil {
		panic("winsim/windows: cannot read the goroutine's id from " + strconv.Quote(string(s)))
	}
	return id
}

// thread returns the calling goroutine's thread, made on its first call and
// named by the order of first calls ("thread 1", "thread 2"). The caller
// holds mu.
func (b *Machine) thread() *Thread {
	id := goid()
	th := b.threads[id]
	if th == nil {
		th = &Thread{T: b.proc.NewThread("thread " + strconv.Itoa(len(b.threads)+1))}
		b.threads[id] = th
	}
	return th
}

// syncClock moves the model's clock up to the time package's (plus the
// skew), firing the model's timers due by then. The caller holds mu.
func (b *Machine) syncClock() {
	want := sim.Time(time.Since(b.start) + b.skew)
	if now := b.m.Now(); want > now {
		b.m.Advance(time.Duration(want - now))
	}
}

// wake tells every waiter to poll again. The caller holds mu.
func (b *Machine) wake() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// Call runs fn, a model call that does not block, on the calling
// goroutine's thread, after bringing the model's clock up to date. Waiters
// poll again afterwards: fn may have signaled what they wait for.
func (b *Machine) Call(fn func(th *Thread)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.syncClock()
	fn(b.thread())
	b.wake()
}

// Do runs fn, an operation of a test's control on the whole machine (a
// power cut, a change of the flush policy) rather than a thread's call,
// after bringing the model's clock up to date: what the model's timers
// were due to do by now (a lazy flush) has happened first. Waiters poll
// again afterwards.
func (b *Machine) Do(fn func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.syncClock()
	fn()
	b.wake()
}

// SetLastError records v as th's last-error value.
func (th *Thread) SetLastError(v uint32) { th.lastErr = v }

// LastError returns the calling goroutine's last-error value.
func (b *Machine) LastError() uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.thread().lastErr
}

// Advance moves the model's clock d ahead of the time package's, firing the
// model's timers due by then, and wakes every waiter: a wait whose
// deadline the jump passed times out.
func (b *Machine) Advance(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.syncClock()
	b.skew += max(d, 0)
	b.syncClock()
	b.wake()
}

// Poll is one non-blocking attempt of a wait on th: the model's wait with
// a zero timeout, so that the model never moves its clock on its own. done
// reports that the wait has its answer before its timeout: an object was
// signaled, an APC ran, or the call failed.
type Poll func(th *Thread) (r sim.WaitResult, err error, done bool)

// Wait blocks the calling goroutine until poll is done, or until the wait's
// timeout of ms milliseconds (sim.INFINITE for none) has passed on the
// model's clock; then the last attempt's answer, the model's timeout, is
// the wait's. Between attempts the goroutine blocks, holding no lock, until
// another call may have changed what it waits for or its deadline comes.
func (b *Machine) Wait(ms uint32, poll Poll) (sim.WaitResult, error) {
	var (
		timer    *time.Timer
		deadline sim.Time
	)
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for first := true; ; first = false {
		b.mu.Lock()
		b.syncClock()
		now := b.m.Now()
		if first {
			deadline = now.Add(time.Duration(ms) * time.Millisecond)
		}
		r, err, done := poll(b.thread())
		changed := b.changed
		b.mu.Unlock()
		if done || (ms != sim.INFINITE && now >= deadline) {
			return r, err
		}
		var expired <-chan time.Time
		if ms != sim.INFINITE {
			if timer == nil {
				timer = time.NewTimer(time.Duration(deadline - now))
			} else {
				timer.Reset(time.Duration(deadline - now))
			}
			expired = timer.C
		}
		select {
		case <-changed:
		case <-expired:
		}
	}
}
