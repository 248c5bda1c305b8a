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
// twins' calls schedules a timer whose firing alone ends a wait. The SCM's
// timers are its scripted programs' reports (win32.Program); the service
// twins run the user's own Go handler instead, whose reports are calls
// (SetServiceStatus) that wake every waiter, so they need no such wake-up
// either. A twin that exposes scripted programs would need it first.
//
// APC routines (the SCM's notification callbacks) run inside a wait's
// poll, on the waiting goroutine, while it holds the machine's lock: a
// twin call the routine makes from that goroutine runs at once, without
// taking the lock again (Call, LastError), and a wait it makes may not
// block (Wait panics saying so).
package twinrt

import (
	"bytes"
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

	// owner is the id of the goroutine that holds mu, 0 when none does: a
	// call from that goroutine is an APC routine's, made while its wait
	// polls, and runs without taking mu again.
	owner atomic.Uint64
}

// Thread is a goroutine's simulated thread and its last-error value.
type Thread struct {
	T       *sim.Thread
	lastErr uint32
	// Tag is what Go bound the thread's goroutine for (a service's run),
	// nil for a goroutine that became a thread of the test's process on
	// its first call.
	Tag any
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

// lock takes mu for the calling goroutine, whose id is id.
func (b *Machine) lock(id uint64) {
	b.mu.Lock()
	b.owner.Store(id)
}

// unlock releases mu.
func (b *Machine) unlock() {
	b.owner.Store(0)
	b.mu.Unlock()
}

// nested reports whether the goroutine id holds mu already: it is running
// an APC routine inside one of its waits.
func (b *Machine) nested(id uint64) bool { return b.owner.Load() == id }

// parentGoid returns the id of the goroutine that started the calling one,
// read from the end of its stack trace ("created by f in goroutine 7"), 0
// when there is none.
func parentGoid() uint64 {
	buf := make([]byte, 4096)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	const marker = " in goroutine "
	i := bytes.LastIndex(buf, []byte(marker))
	if i < 0 {
		return 0
	}
	rest := buf[i+len(marker):]
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	id, err := strconv.ParseUint(string(rest[:end]), 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// threadOf returns goroutine id's thread, made on its first call and named
// by the order of first calls ("thread 1", "thread 2"). The caller holds mu.
//
// A goroutine started by one whose thread Go bound (a service program's)
// belongs with it: its thread is a new one of the same process, with the
// same tag. Any other goroutine's is a new thread of the test's process.
func (b *Machine) threadOf(id uint64) *Thread {
	th := b.threads[id]
	if th == nil {
		if parent := b.threads[parentGoid()]; parent != nil && parent.Tag != nil {
			proc := parent.T.Proc
			th = &Thread{T: proc.NewThread(proc.Name + " thread " + strconv.Itoa(len(proc.Threads())+1)), Tag: parent.Tag}
			b.threads[id] = th
			return th
		}
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
//
// Called from an APC routine (a notification callback running inside the
// same goroutine's wait), fn runs at once: the goroutine holds the lock.
func (b *Machine) Call(fn func(th *Thread)) {
	id := goid()
	if b.nested(id) {
		fn(b.threadOf(id))
		b.wake()
		return
	}
	b.lock(id)
	defer b.unlock()
	b.syncClock()
	fn(b.threadOf(id))
	b.wake()
}

// Go runs fn in a new goroutine bound to th, a thread the model made (a
// service process's ServiceMain thread), with tag as the thread's Tag: the
// goroutine's twin calls are th's. It returns at once.
func (b *Machine) Go(th *sim.Thread, tag any, fn func()) {
	go func() {
		id := goid()
		b.lock(id)
		b.threads[id] = &Thread{T: th, Tag: tag}
		b.unlock()
		fn()
	}()
}

// Self returns the calling goroutine's thread, made on its first call.
func (b *Machine) Self() *Thread {
	id := goid()
	if b.nested(id) {
		return b.threadOf(id)
	}
	b.lock(id)
	defer b.unlock()
	return b.threadOf(id)
}

// Do runs fn, an operation of a test's control on the whole machine (a
// power cut, a change of the flush policy) rather than a thread's call,
// after bringing the model's clock up to date: what the model's timers
// were due to do by now (a lazy flush) has happened first. Waiters poll
// again afterwards.
func (b *Machine) Do(fn func()) {
	b.lock(goid())
	defer b.unlock()
	b.syncClock()
	fn()
	b.wake()
}

// SetLastError records v as th's last-error value.
func (th *Thread) SetLastError(v uint32) { th.lastErr = v }

// LastError returns the calling goroutine's last-error value.
func (b *Machine) LastError() uint32 { return b.Self().lastErr }

// Advance moves the model's clock d ahead of the time package's, firing the
// model's timers due by then, and wakes every waiter: a wait whose
// deadline the jump passed times out.
func (b *Machine) Advance(d time.Duration) {
	b.lock(goid())
	defer b.unlock()
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
//
// A wait made by an APC routine (inside the same goroutine's wait) polls
// once: it cannot block while its goroutine holds the machine's lock, so a
// wait that has no answer at once panics, saying so.
func (b *Machine) Wait(ms uint32, poll Poll) (sim.WaitResult, error) {
	id := goid()
	if b.nested(id) {
		r, err, done := poll(b.threadOf(id))
		if !done && ms != 0 {
			panic("winsim/windows: a wait inside a notification callback (an APC routine) would block; the twins run callbacks inside the waiting goroutine's wait and cannot block there")
		}
		return r, err
	}
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
		b.lock(id)
		b.syncClock()
		now := b.m.Now()
		if first {
			deadline = now.Add(time.Duration(ms) * time.Millisecond)
		}
		r, err, done := poll(b.threadOf(id))
		changed := b.changed
		b.unlock()
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
