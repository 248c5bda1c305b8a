package sim

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// newTestThread returns a machine on the default profile with one process
// ("app.exe") and one thread ("main") in it.
func newTestThread(tb testing.TB) (*Machine, *Process, *Thread) {
	tb.Helper()
	m, err := NewMachine(Options{})
	require.NoError(tb, err)
	p := m.NewProcess("app.exe")
	return m, p, p.NewThread("main")
}

// eventOf returns the Event behind h in th's process.
func eventOf(tb testing.TB, th *Thread, h Handle) *Event {
	tb.Helper()
	th.m.head.Mu.Lock()
	defer th.m.head.Mu.Unlock()
	e, _, st := Resolve[*Event](th.Proc.handles, h)
	require.Equal(tb, HandleValid, st)
	return e
}

// scHandleObject stands for a handle that lives in the table but is not a
// kernel object (an SC_HANDLE, a CryptoAPI handle).
type scHandleObject struct{}

func (scHandleObject) TypeName() string { return "SC_HANDLE(test)" }

// plainKernelObject is a kernel object that cannot be waited on.
type plainKernelObject struct{ KernelObjectBase }

func (*plainKernelObject) TypeName() string { return "Plain" }

// TestNewMachine encodes NewMachine: "" selects DefaultProfile, a known name
// selects that profile, and only an unknown name fails; the machine starts at
// virtual time 0 with no processes.
func TestNewMachine(t *testing.T) {
	tests := []struct {
		profile string
		want    string
		wantErr string
	}{
		{"", DefaultProfile, ""},
		{"win8", "win8", ""},
		{"win7", "win7", ""},
		{"wine-8.0", "wine-8.0", ""},
		{"win10", "", `unknown profile "win10" (known: win8, win7, wine-8.0)`},
		{"WIN8", "", `unknown profile "WIN8"`},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			m, err := NewMachine(Options{Profile: tt.profile})
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Nil(t, m)
				require.Panics(t, func() { MustNewMachine(Options{Profile: tt.profile}) })
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, m.Profile().Name)
			require.Equal(t, Time(0), m.Now())
			require.Empty(t, m.Processes())
			require.Zero(t, m.PendingTimers())
			require.Zero(t, m.TraceLen())
		})
	}
}

// TestProcessAndThreadIDs encodes NewProcess/NewThread: ids are multiples of
// 4 starting at 4 (as on Windows), processes and threads are listed in
// creation order, each starts with an empty handle table, and a new thread is
// running in a user-mode caller context.
func TestProcessAndThreadIDs(t *testing.T) {
	m := MustNewMachine(Options{})
	p1 := m.NewProcess("a.exe")
	p2 := m.NewProcess("b.exe")
	t1 := p1.NewThread("a1")
	t2 := p2.NewThread("b1")
	t3 := p1.NewThread("a2")

	tests := []struct {
		name string
		got  uint32
		want uint32
	}{
		{"first pid", p1.ID, 4},
		{"second pid", p2.ID, 8},
		{"first tid", t1.ID, 4},
		{"second tid", t2.ID, 8},
		{"third tid", t3.ID, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.got)
		})
	}
	require.Equal(t, []*Process{p1, p2}, m.Processes())
	require.Equal(t, []*Thread{t1, t3}, p1.Threads())
	require.Equal(t, []*Thread{t2}, p2.Threads())
	require.Same(t, m, p1.Machine())
	require.Same(t, m, t3.Machine())
	require.Same(t, p1, t3.Proc)
	require.Equal(t, "a2", t3.String())
	require.Zero(t, p1.handles.Len())
	require.False(t, t1.Exited())
	require.Equal(t, CallerContext{}, t1.ctx)
	require.Equal(t, UserMode, t1.ctx.PreviousMode)

	// The listings are copies.
	ps := m.Processes()
	ps[0] = nil
	require.Same(t, p1, m.Processes()[0])
	ts := p1.Threads()
	ts[0] = nil
	require.Same(t, t1, p1.Threads()[0])
}

// TestThreadExit encodes Thread.Exit: exit hooks run (with the lock held,
// before the queued APCs are dropped, so they can check what the thread
// leaves behind), queued APCs are discarded, the exit is traced, and a second
// Exit does nothing.
func TestThreadExit(t *testing.T) {
	m, _, th := newTestThread(t)
	other := th.Proc.NewThread("other")
	var calls []string
	var pendingSeen []int
	m.onThreadExit(func(x *Thread) {
		require.False(t, m.head.Mu.TryLock(), "exit hooks run with the lock held")
		calls = append(calls, "hook1:"+x.Name)
		pendingSeen = append(pendingSeen, x.pendingAPCs())
	})
	m.onThreadExit(func(x *Thread) { calls = append(calls, "hook2:"+x.Name) })

	ran := false
	m.head.Mu.Lock()
	th.queueAPC(&APC{Name: "a", Run: func(*Thread) { ran = true }})
	th.queueAPC(&APC{Name: "b", Run: func(*Thread) { ran = true }})
	m.head.Mu.Unlock()

	th.Exit()
	require.True(t, th.Exited())
	require.Equal(t, []string{"hook1:main", "hook2:main"}, calls, "hooks run in registration order")
	require.Equal(t, []int{2}, pendingSeen)
	require.Zero(t, th.pendingAPCs(), "queued APCs are discarded")
	require.False(t, ran, "discarded APCs never run")
	last := m.Trace()[m.TraceLen()-1]
	require.Equal(t, TraceEvent{Thread: "main", Kind: EvThread, Text: "exit"}, last)

	th.Exit()
	require.Len(t, calls, 2, "a second Exit runs no hook")
	require.False(t, other.Exited(), "Exit ends only its own thread")

	// The model refuses further calls made on behalf of an exited thread.
	tests := []struct {
		name string
		call func()
	}{
		{"SleepEx", func() { _, _ = th.SleepEx(0, false) }},
		{"WaitForSingleObjectEx", func() { _, _ = th.WaitForSingleObjectEx(4, 0, false) }},
		{"CreateEvent", func() { th.CreateEvent(false, false) }},
		{"SetEvent", func() { th.SetEvent(4) }},
		{"CloseHandle", func() { th.CloseHandle(4) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.PanicsWithValue(t, "sim: call on exited thread main", tt.call)
			// The panic left the lock released.
			require.True(t, m.head.Mu.TryLock())
			m.head.Mu.Unlock()
		})
	}
}

// TestFaultInjection encodes InjectFault/takeFault: the next count calls of
// the api get the code, then the api behaves normally again; other apis are
// unaffected; faults armed for one api are consumed in arming order; each
// arming and each injection is traced.
func TestFaultInjection(t *testing.T) {
	denied := ERROR_ACCESS_DENIED.Code()
	busy := ERROR_BUSY.Code()
	type arm struct {
		api   string
		code  Code
		count int
	}
	tests := []struct {
		name  string
		arms  []arm
		api   string
		calls int
		want  []Code // zero Code: no fault taken
	}{
		{"count 2", []arm{{"StartService", denied, 2}}, "StartService", 3, []Code{denied, denied, {}}},
		{"count 0 never fires", []arm{{"StartService", denied, 0}}, "StartService", 1, []Code{{}}},
		{"negative count never fires", []arm{{"StartService", denied, -1}}, "StartService", 1, []Code{{}}},
		{"other api unaffected", []arm{{"StartService", denied, 5}}, "OpenService", 2, []Code{{}, {}}},
		{"arming order", []arm{{"X", denied, 1}, {"X", busy, 2}}, "X", 4, []Code{denied, busy, busy, {}}},
		{"api names are exact", []arm{{"StartServiceW", denied, 1}}, "StartService", 1, []Code{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			for _, a := range tt.arms {
				m.InjectFault(a.api, a.code, a.count)
			}
			require.Equal(t, len(tt.arms), m.TraceLen(), "each arming is traced")
			var got []Code
			taken := 0
			m.head.Mu.Lock()
			for range tt.calls {
				c, ok := m.takeFault(tt.api)
				require.Equal(t, ok, c != Code{})
				if ok {
					taken++
				}
				got = append(got, c)
			}
			m.head.Mu.Unlock()
			require.Equal(t, tt.want, got)
			require.Equal(t, len(tt.arms)+taken, m.TraceLen(), "each injection is traced")
		})
	}
	t.Run("trace text", func(t *testing.T) {
		m := MustNewMachine(Options{})
		m.InjectFault("StartService", denied, 1)
		m.head.Mu.Lock()
		m.takeFault("StartService")
		m.head.Mu.Unlock()
		require.Equal(t, []TraceEvent{
			{Kind: EvNote, Text: "fault armed: StartService -> ERROR_ACCESS_DENIED (5) x1"},
			{Kind: EvNote, Text: "fault injected: StartService -> ERROR_ACCESS_DENIED (5)"},
		}, m.Trace())
	})
}

// TestViolate encodes Machine.violate: a violation is recorded with the time,
// the thread (or none) and the rule, in order, and traced as
// "rule-id: detail"; Violation.String is "rule-id: detail (source)".
func TestViolate(t *testing.T) {
	rule := Rule{ID: "kernel.test.rule", Statement: "callers must not", Source: "DOC Test", Status: Modeled}
	m, _, th := newTestThread(t)
	m.Advance(1500 * time.Millisecond)
	before := m.TraceLen()

	m.head.Mu.Lock()
	m.violate(th, rule, "handle %s closed twice", Handle(8))
	m.violate(nil, rule, "no thread")
	m.head.Mu.Unlock()

	want := []Violation{
		{At: Time(1500 * time.Millisecond), Thread: "main", Rule: rule, Detail: "handle h0x8 closed twice"},
		{At: Time(1500 * time.Millisecond), Thread: "", Rule: rule, Detail: "no thread"},
	}
	require.Equal(t, want, m.Violations())
	require.Equal(t, "kernel.test.rule: handle h0x8 closed twice (DOC Test)", want[0].String())

	tr := m.Trace()[before:]
	require.Equal(t, []TraceEvent{
		{At: Time(1500 * time.Millisecond), Thread: "main", Kind: EvViolation, Text: "kernel.test.rule: handle h0x8 closed twice"},
		{At: Time(1500 * time.Millisecond), Thread: "", Kind: EvViolation, Text: "kernel.test.rule: no thread"},
	}, tr)

	// Violations returns a copy.
	vs := m.Violations()
	vs[0].Detail = "changed"
	require.Equal(t, want, m.Violations())
}

// TestTraceFormat encodes TraceEvent.String and WriteTrace: one event a line,
// time, thread ("-" for none) padded to 16, kind padded to 10, text.
func TestTraceFormat(t *testing.T) {
	tests := []struct {
		ev   TraceEvent
		want string
	}{
		{TraceEvent{At: 0, Kind: EvNote, Text: "hello"}, "  0.000s -                note       hello"},
		{TraceEvent{At: Time(250 * time.Millisecond), Thread: "main", Kind: EvAPCDelivered, Text: "apc"},
			"  0.250s main             apc-run    apc"},
		{TraceEvent{At: Time(3 * time.Second), Thread: "a-very-long-thread-name", Kind: EvTransition, Text: "x -> y"},
			"  3.000s a-very-long-thread-name transition x -> y"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tt.ev.String())
		})
	}

	m, _, th := newTestThread(t)
	m.head.Mu.Lock()
	m.tracef(th, EvNote, "n=%d", 7)
	m.head.Mu.Unlock()
	var buf bytes.Buffer
	require.NoError(t, m.WriteTrace(&buf))
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, m.TraceLen())
	for i, e := range m.Trace() {
		require.Equal(t, e.String(), lines[i])
	}
	require.Equal(t, "  0.000s main             note       n=7", lines[len(lines)-1])
}

// runScript is a fixed sequence of calls touching every traced part of the
// kernel: processes, threads, events, timers, waits, APCs, faults, violations
// and the random source.
func runScript(t *testing.T, seed uint64) (string, []uint64) {
	t.Helper()
	m := MustNewMachine(Options{Seed: seed})
	p := m.NewProcess("svc.exe")
	a := p.NewThread("a")
	b := p.NewThread("b")
	h := a.CreateEvent(false, false)
	ev := eventOf(t, a, h)
	var rnd []uint64
	m.head.Mu.Lock()
	for range 3 {
		rnd = append(rnd, m.random().Uint64())
	}
	m.after(40*time.Millisecond, "set", ev.set)
	m.after(40*time.Millisecond, "queue", func() {
		b.queueAPC(&APC{Name: "cb", Run: func(*Thread) {}})
	})
	m.head.Mu.Unlock()
	m.InjectFault("SetEvent", ERROR_ACCESS_DENIED.Code(), 1)
	_, _ = a.WaitForSingleObjectEx(h, 100, false)
	_, _ = b.SleepEx(500, true)
	_, _ = a.WaitForMultipleObjectsEx([]Handle{h, 0}, false, 10, false)
	_, _ = b.SleepEx(INFINITE, false)
	m.head.Mu.Lock()
	m.violate(a, Rule{ID: "r", Statement: "s", Source: "src", Status: Modeled}, "detail")
	m.head.Mu.Unlock()
	a.CloseHandle(h)
	b.Exit()
	var buf bytes.Buffer
	require.NoError(t, m.WriteTrace(&buf))
	return buf.String(), rnd
}

// TestDeterminism encodes the package rule "The same calls in the same order
// give a byte-identical trace", and that Rand depends only on the seed.
func TestDeterminism(t *testing.T) {
	tr1, r1 := runScript(t, 42)
	tr2, r2 := runScript(t, 42)
	require.Equal(t, tr1, tr2)
	require.Equal(t, r1, r2)
	require.NotEmpty(t, tr1)

	_, r3 := runScript(t, 43)
	require.NotEqual(t, r1, r3, "a different seed gives a different random stream")
}

// TestMachineConcurrentUse encodes the Machine's rule that its exported
// methods may be called from several goroutines: they serialize on one lock.
// Run with -race.
func TestMachineConcurrentUse(t *testing.T) {
	m := MustNewMachine(Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := m.NewProcess("p")
			th := p.NewThread("t")
			h := th.CreateEvent(true, false)
			for range 50 {
				_ = m.Now()
				m.Advance(time.Millisecond)
				_ = m.TraceLen()
				_ = m.Trace()
				_ = m.Processes()
				_ = m.PendingTimers()
				_ = m.Violations()
				m.InjectFault("X", ERROR_BUSY.Code(), i)
				th.SetEvent(h)
				_, _ = th.WaitForSingleObjectEx(h, 0, true)
				th.ResetEvent(h)
			}
			th.CloseHandle(h)
			th.Exit()
		})
	}
	wg.Wait()
	require.Equal(t, Time(8*50*time.Millisecond), m.Now())
	require.Len(t, m.Processes(), 8)
}

// TestOnThreadExitConcurrentWithExit encodes the Machine's rule that its
// exported methods may be called from several goroutines and serialize on one
// lock, for onThreadExit (scm.New calls it without the lock). Under -race
// this reports the unsynchronized append to Machine.exitHooks racing with
// Thread.Exit reading it under the lock.
func TestOnThreadExitConcurrentWithExit(t *testing.T) {
	m, _, th := newTestThread(t)
	var wg sync.WaitGroup
	wg.Go(func() { th.Exit() })
	wg.Go(func() { m.onThreadExit(func(*Thread) {}) })
	wg.Wait()
	require.True(t, th.Exited())
}

// TestCallerContextNames encodes the SDK names the context types print.
func TestCallerContextNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{PASSIVE_LEVEL.String(), "PASSIVE_LEVEL"},
		{APC_LEVEL.String(), "APC_LEVEL"},
		{DISPATCH_LEVEL.String(), "DISPATCH_LEVEL"},
		{IRQL(15).String(), "IRQL(15)"},
		{DriverNone.String(), "none"},
		{DriverWDM.String(), "WDM"},
		{DriverStorport.String(), "Storport"},
		{RoutineOther.String(), "other"},
		{RoutineDispatch.String(), "dispatch"},
		{RoutineCancel.String(), "cancel"},
		{UserMode.String(), "UserMode"},
		{KernelMode.String(), "KernelMode"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tt.got)
		})
	}
}

// TestSetContextKeepsInAPC: SetContext sets every field of the caller
// context but InAPC, which only the kernel's APC delivery sets.
func TestSetContextKeepsInAPC(t *testing.T) {
	for _, inAPC := range []bool{false, true} {
		_, _, th := newTestThread(t)
		th.ctx.InAPC = inAPC
		th.SetContext(CallerContext{InAPC: !inAPC, ServiceStarting: true, IRQL: DISPATCH_LEVEL, PreviousMode: KernelMode})
		require.Equal(t, CallerContext{InAPC: inAPC, ServiceStarting: true, IRQL: DISPATCH_LEVEL, PreviousMode: KernelMode}, th.ctx)
	}
}
