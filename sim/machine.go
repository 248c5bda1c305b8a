package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/winsim/winsim/sim/internal/hook"
)

// Options configures a new Machine.
type Options struct {
	// Profile selects version differences and model choices; "" means
	// DefaultProfile.
	Profile string
	// Seed feeds the Machine's deterministic random source (Rand).
	Seed uint64
	// NoTrace turns the trace off: nothing is recorded and no trace text is
	// formatted. Long runs and benchmarks use it; scenarios keep the trace.
	NoTrace bool
	// TraceLimit, when positive, bounds the trace's memory: the machine
	// keeps only the last TraceLimit events, in a ring, and counts the
	// earlier ones it let go (TraceDropped). 0 keeps every event.
	TraceLimit int
}

// Machine is one simulated Windows system: its clock, processes, trace and
// the contract violations seen so far. Its exported methods may be called from
// several goroutines; they serialize on one lock, and the model inside stays
// single-threaded.
type Machine struct {
	// head comes first: sim/internal/kernel reads it in place (layout.go).
	// It holds the machine's lock.
	head    hook.MachineHead
	clock   clock
	profile Profile
	rng     *rand.Rand
	procs   []*Process
	nextPID uint32
	nextTID uint32
	trace   []TraceEvent
	// With a trace limit, trace is a ring of at most traceLimit events:
	// traceHead is its oldest once it is full, traceDropped counts the
	// events it let go.
	traceLimit   int
	traceHead    int
	traceDropped int
	violations   []Violation
	exitHooks    []func(*Thread)
	faults       []fault
	tracing      bool
	// kernelHandles is the system process's handle table, where kernel
	// handles live (see kernelTable); created on first use.
	kernelHandles *HandleTable
}

// NewMachine returns a machine at virtual time 0 with no processes. It fails
// only for an unknown profile name.
func NewMachine(opts Options) (*Machine, error) {
	name := opts.Profile
	if name == "" {
		name = DefaultProfile
	}
	p, err := LookupProfile(name)
	if err != nil {
		return nil, err
	}
	return &Machine{
		profile:    p,
		rng:        rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9E3779B97F4A7C15)),
		nextPID:    4,
		nextTID:    4,
		tracing:    !opts.NoTrace,
		traceLimit: max(opts.TraceLimit, 0),
	}, nil
}

// MustNewMachine is NewMachine for callers with a known-good profile name.
func MustNewMachine(opts Options) *Machine {
	m, err := NewMachine(opts)
	if err != nil {
		panic(err)
	}
	return m
}

// enter begins an API call that thread t makes on m: it takes the machine's
// lock, which the caller releases with a deferred unlock. A nil thread, or a
// thread of another machine, is a programming error of the caller: enter
// panics with a message naming it, before the lock is taken, so the machine
// stays usable by every later call. So is a thread that has exited, as for
// the kernel's own calls; enter releases the lock before it panics. The family packages reach it as
// kernel.Enter.
func (m *Machine) enter(t *Thread) {
	switch {
	case t == nil:
		panic(nilThread)
	case t.m != m:
		panic(fmt.Sprintf("sim: thread %q belongs to another machine than the one it calls", t.Name))
	}
	m.head.Mu.Lock()
	if t.exited {
		m.head.Mu.Unlock()
		panic(fmt.Sprintf("sim: call on exited thread %s", t.Name))
	}
}

// nilThread is the panic value of a model call given a nil *Thread.
const nilThread = "sim: a model call was given a nil *Thread"

// enter begins a kernel call that t makes on its own machine: it takes the
// lock, which the caller releases with a deferred unlock. A nil thread
// panics before the lock is taken, as in Machine.enter.
func (t *Thread) enter() {
	if t == nil {
		panic(nilThread)
	}
	t.m.head.Mu.Lock()
}

// Profile returns the profile the machine runs under.
func (m *Machine) Profile() Profile { return m.profile }

// random returns the machine's deterministic random source. Callers hold
// the lock.
func (m *Machine) random() *rand.Rand { return m.rng }

// Now returns the current virtual time.
func (m *Machine) Now() Time {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return m.clock.now
}

// nowLocked returns the current virtual time; the caller holds the lock.
func (m *Machine) nowLocked() Time { return m.clock.now }

// after schedules fn to run when the virtual clock reaches now+d. The name
// appears in the trace when the timer fires. Callers hold the lock, and fn runs
// with the lock held.
func (m *Machine) after(d time.Duration, name string, fn func()) *Timer {
	return m.clock.schedule(m.clock.now.Add(d), name, fn)
}

// fireNext moves the clock to the earliest timer's deadline and runs the
// timer, after tracing its name if it has one. Callers hold the lock.
func (m *Machine) fireNext() {
	t := m.clock.popNext()
	if t.name != "" {
		m.traceText(nil, EvTimer, func() string { return t.name })
	}
	t.fn()
}

// stopTimer cancels t; it reports whether t was still pending.
func (m *Machine) stopTimer(t *Timer) bool { return m.clock.stop(t) }

// resetTimer schedules t, pending or not, to run its callback again when the
// clock reaches now+d, under name. It orders as a timer scheduled now by
// after would, and reuses t instead of allocating one.
func (m *Machine) resetTimer(t *Timer, d time.Duration, name string) {
	m.clock.reschedule(t, m.clock.now.Add(d), name)
}

// Advance moves the clock forward by d, firing every timer due by then in
// (deadline, scheduling order). No thread runs APCs: only waits deliver them.
func (m *Machine) Advance(d time.Duration) {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	m.advanceLocked(d)
}

// advanceLocked is Advance for callers that hold the lock. The clock never
// goes back: a negative d advances nothing.
func (m *Machine) advanceLocked(d time.Duration) {
	end := m.clock.now.Add(max(d, 0))
	for t := m.clock.next(); t != nil && t.deadline <= end; t = m.clock.next() {
		m.fireNext()
	}
	m.clock.now = end
}

// PendingTimers returns the number of timers still scheduled.
func (m *Machine) PendingTimers() int {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return len(m.clock.timers)
}

// NewProcess creates a process with an empty handle table.
func (m *Machine) NewProcess(name string) *Process {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return m.newProcessLocked(name)
}

// newProcessLocked is NewProcess for callers that hold the lock.
func (m *Machine) newProcessLocked(name string) *Process {
	p := &Process{m: m, ID: m.nextPID, Name: name, handles: newHandleTable()}
	m.nextPID += 4
	m.procs = append(m.procs, p)
	m.tracef(nil, EvProcess, "create %s pid=%d", name, p.ID)
	return p
}

// onThreadExit registers fn to run, with the lock held, whenever a thread
// exits. Families use it to check what a thread leaves behind.
func (m *Machine) onThreadExit(fn func(*Thread)) {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	m.exitHooks = append(m.exitHooks, fn)
}

// Process is a simulated process: a name, an id, a handle table and threads.
type Process struct {
	// handles comes first: sim/internal/kernel reads it in place
	// (layout.go).
	handles *HandleTable
	m       *Machine
	ID      uint32
	Name    string
	threads []*Thread
}

// Machine returns the machine the process runs on.
func (p *Process) Machine() *Machine { return p.m }

// NewThread creates a running thread in p with a user-mode caller context.
func (p *Process) NewThread(name string) *Thread {
	p.m.head.Mu.Lock()
	defer p.m.head.Mu.Unlock()
	return p.newThreadLocked(name)
}

// newThreadLocked is NewThread for callers that hold the lock.
func (p *Process) newThreadLocked(name string) *Thread {
	m := p.m
	t := &Thread{m: m, Proc: p, ID: m.nextTID, Name: name}
	m.nextTID += 4
	p.threads = append(p.threads, t)
	m.tracef(nil, EvThread, "create %s tid=%d in %s", name, t.ID, p.Name)
	return t
}

// Threads returns the process's threads in creation order.
func (p *Process) Threads() []*Thread {
	p.m.head.Mu.Lock()
	defer p.m.head.Mu.Unlock()
	return append([]*Thread(nil), p.threads...)
}

// APC is a user-mode asynchronous procedure call queued to a thread.
type APC struct {
	// Name identifies the APC in the trace.
	Name string
	// Run is the APC routine. It runs on the target thread, without the
	// machine's lock, with the thread's CallerContext.InAPC set.
	Run       func(t *Thread)
	cancelled bool
}

// Cancel withdraws an APC that has been queued but not yet delivered. It
// reports whether the APC was still undelivered.
func (a *APC) Cancel() bool {
	if a.cancelled {
		return false
	}
	a.cancelled = true
	return true
}

// Thread is a simulated thread. Every API call of every family is made on
// behalf of one.
type Thread struct {
	// exited comes first: sim/internal/kernel reads it in place
	// (layout.go).
	exited bool
	m      *Machine
	Proc   *Process
	ID     uint32
	Name   string
	// apcs[apcNext:] is the queue of user APCs, oldest first. Delivery
	// moves apcNext on; once the queue drains, both go back to the start,
	// so that the slice's storage is reused instead of reallocated.
	apcs    []*APC
	apcNext int
	// ctx describes the caller; see CallerContext. It is read and
	// written under the machine's lock: Context and SetContext for users,
	// kernel.Context for the families' calls.
	ctx CallerContext
}

// Context returns the caller context of t's calls, under the machine's
// lock.
func (t *Thread) Context() CallerContext {
	t.enter()
	defer t.m.head.Mu.Unlock()
	return t.ctx
}

// HandleCount returns the number of open handles in p's table, under the
// machine's lock.
func (p *Process) HandleCount() int {
	p.m.head.Mu.Lock()
	defer p.m.head.Mu.Unlock()
	return p.handles.Len()
}

// Machine returns the machine the thread runs on.
func (t *Thread) Machine() *Machine { return t.m }

// String returns the thread's name.
func (t *Thread) String() string { return t.Name }

// SetContext sets the caller context of t's later calls, under the
// machine's lock. InAPC is the kernel's and keeps its value.
func (t *Thread) SetContext(ctx CallerContext) {
	t.enter()
	defer t.m.head.Mu.Unlock()
	ctx.InAPC = t.ctx.InAPC
	t.ctx = ctx
}

// Exited reports whether the thread has exited, under the machine's lock.
func (t *Thread) Exited() bool {
	t.m.head.Mu.Lock()
	defer t.m.head.Mu.Unlock()
	return t.exited
}

// queueAPC queues a user APC to t; it runs the next time t enters an
// alertable wait. An APC queued to an exited thread is discarded. Callers
// hold the lock.
func (t *Thread) queueAPC(a *APC) {
	if t.exited {
		a.cancelled = true
		t.m.traceText(t, EvAPCCancelled, func() string { return a.Name + " discarded: the thread has exited" })
		return
	}
	t.apcs = append(t.apcs, a)
	t.m.traceText(t, EvAPCQueued, func() string { return a.Name })
}

// pendingAPCs returns the number of queued, uncancelled APCs. Callers hold
// the lock.
func (t *Thread) pendingAPCs() int {
	n := 0
	for _, a := range t.apcs[t.apcNext:] {
		if !a.cancelled {
			n++
		}
	}
	return n
}

// Exit ends the thread: exit hooks run, and queued APCs are discarded.
func (t *Thread) Exit() {
	t.enter()
	defer t.m.head.Mu.Unlock()
	if t.exited {
		return
	}
	for _, h := range t.m.exitHooks {
		h(t)
	}
	t.exited = true
	t.apcs, t.apcNext = nil, 0
	t.m.tracef(t, EvThread, "exit")
}

// deliverAPCs runs every queued APC in order, the lock released around each
// routine, and reports whether any ran. APCs queued while one runs are
// delivered in the same pass, as Windows drains the whole user APC queue.
func (t *Thread) deliverAPCs() bool {
	ran := false
	// A routine may wait alertably and deliver the rest of the queue
	// itself: every pass shares apcNext.
	defer t.drainedAPCs()
	for t.apcNext < len(t.apcs) {
		a := t.apcs[t.apcNext]
		t.apcs[t.apcNext] = nil
		t.apcNext++
		if a.cancelled {
			continue
		}
		a.cancelled = true
		ran = true
		t.m.traceText(t, EvAPCDelivered, func() string { return a.Name })
		saved := t.ctx.InAPC
		t.ctx.InAPC = true
		t.m.head.Mu.Unlock()
		func() {
			// A panicking routine unwinds through here too: the lock is
			// taken back for the caller's deferred unlock, and the thread
			// is no longer in an APC.
			defer func() {
				t.m.head.Mu.Lock()
				t.ctx.InAPC = saved
			}()
			a.Run(t)
		}()
	}
	return ran
}

// drainedAPCs rewinds an empty APC queue to the start of its storage.
// Callers hold the lock.
func (t *Thread) drainedAPCs() {
	if t.apcNext == len(t.apcs) {
		t.apcs, t.apcNext = t.apcs[:0], 0
	}
}

// Processes returns the machine's processes in creation order.
func (m *Machine) Processes() []*Process {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return append([]*Process(nil), m.procs...)
}

func (t *Thread) checkAlive() {
	if t.exited {
		panic(fmt.Sprintf("sim: call on exited thread %s", t.Name))
	}
}
