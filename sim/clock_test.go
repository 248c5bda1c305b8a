package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTimeString encodes Time.String: seconds with millisecond precision and
// at least three digits before the point, so that trace columns line up.
func TestTimeString(t *testing.T) {
	tests := []struct {
		in   Time
		want string
	}{
		{0, "  0.000s"},
		{Time(200 * time.Millisecond), "  0.200s"},
		{Time(1500 * time.Millisecond), "  1.500s"},
		{Time(999*time.Millisecond + 999*time.Microsecond), "  0.999s"}, // truncates below 1ms
		{Time(42 * time.Second), " 42.000s"},
		{Time(123*time.Second + 4*time.Millisecond), "123.004s"},
		{Time(1234 * time.Second), "1234.000s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tt.in.String())
		})
	}
}

// TestTimeAdd encodes Time.Add: it returns t+d.
func TestTimeAdd(t *testing.T) {
	tests := []struct {
		t    Time
		d    time.Duration
		want Time
	}{
		{0, 0, 0},
		{0, time.Second, Time(time.Second)},
		{Time(time.Second), 250 * time.Millisecond, Time(1250 * time.Millisecond)},
		{Time(time.Second), -time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s+%s", tt.t, tt.d), func(t *testing.T) {
			require.Equal(t, tt.want, tt.t.Add(tt.d))
		})
	}
}

// TestTimerOrder encodes the timer queue's rule: timers fire ordered by
// (deadline, scheduling sequence), so timers due at the same instant fire in
// the order they were scheduled, whatever order their deadlines were added in.
func TestTimerOrder(t *testing.T) {
	type timer struct {
		name string
		d    time.Duration
	}
	tests := []struct {
		name   string
		timers []timer
		want   []string
	}{
		{"distinct deadlines, scheduled out of order",
			[]timer{{"c", 30 * time.Millisecond}, {"a", 10 * time.Millisecond}, {"b", 20 * time.Millisecond}},
			[]string{"a", "b", "c"}},
		{"equal deadlines fire in scheduling order",
			[]timer{{"first", 10 * time.Millisecond}, {"second", 10 * time.Millisecond}, {"third", 10 * time.Millisecond}},
			[]string{"first", "second", "third"}},
		{"mixed",
			[]timer{{"x20", 20 * time.Millisecond}, {"y10", 10 * time.Millisecond}, {"z20", 20 * time.Millisecond}, {"w10", 10 * time.Millisecond}, {"v0", 0}},
			[]string{"v0", "y10", "w10", "x20", "z20"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			var got []string
			var at []Time
			m.head.Mu.Lock()
			for _, tm := range tt.timers {
				m.after(tm.d, "", func() {
					got = append(got, tm.name)
					at = append(at, m.nowLocked())
				})
			}
			m.head.Mu.Unlock()
			m.Advance(time.Second)
			require.Equal(t, tt.want, got)
			for i := 1; i < len(at); i++ {
				require.LessOrEqual(t, at[i-1], at[i], "the clock never runs backwards while timers fire")
			}
		})
	}
}

// TestTimerSeesItsDeadline encodes "fn runs when the virtual clock reaches
// now+d": inside the callback the clock reads exactly the deadline.
func TestTimerSeesItsDeadline(t *testing.T) {
	m := MustNewMachine(Options{})
	var seen Time
	m.head.Mu.Lock()
	tm := m.after(70*time.Millisecond, "", func() { seen = m.nowLocked() })
	m.head.Mu.Unlock()
	require.Equal(t, Time(70*time.Millisecond), tm.Deadline())
	m.Advance(time.Second)
	require.Equal(t, Time(70*time.Millisecond), seen)
	require.Equal(t, Time(time.Second), m.Now())
}

// TestTimerInThePast encodes the scheduler's clamp: a timer asked for before
// the current time is due now, never in the past.
func TestTimerInThePast(t *testing.T) {
	m := MustNewMachine(Options{})
	m.Advance(time.Second)
	m.head.Mu.Lock()
	tm := m.after(-500*time.Millisecond, "", func() {})
	m.head.Mu.Unlock()
	require.Equal(t, Time(time.Second), tm.Deadline())
	m.Advance(0)
	require.False(t, tm.Pending())
}

// TestAdvanceFiresUpToAndIncludingEnd encodes Advance: it moves the clock
// forward by d, firing every timer due by then, including one due exactly at
// the end, and none due later.
func TestAdvanceFiresUpToAndIncludingEnd(t *testing.T) {
	tests := []struct {
		name    string
		timer   time.Duration
		advance time.Duration
		fires   bool
	}{
		{"due before end", 50 * time.Millisecond, 100 * time.Millisecond, true},
		{"due exactly at end", 100 * time.Millisecond, 100 * time.Millisecond, true},
		{"due 1ns after end", 100*time.Millisecond + 1, 100 * time.Millisecond, false},
		{"due now, advance 0", 0, 0, true},
		{"due later, advance 0", time.Millisecond, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			fired := false
			m.head.Mu.Lock()
			tm := m.after(tt.timer, "", func() { fired = true })
			m.head.Mu.Unlock()
			m.Advance(tt.advance)
			require.Equal(t, tt.fires, fired)
			require.Equal(t, !tt.fires, tm.Pending())
			require.Equal(t, Time(tt.advance), m.Now(), "the clock ends exactly at the end of the advance")
			if tt.fires {
				require.Zero(t, m.PendingTimers())
			} else {
				require.Equal(t, 1, m.PendingTimers())
			}
		})
	}
}

// TestAdvanceFiresTimersScheduledByTimers encodes "firing every timer due by
// then": a timer scheduled by a firing timer still fires in the same Advance
// if it falls due before the end, and stays pending otherwise.
func TestAdvanceFiresTimersScheduledByTimers(t *testing.T) {
	m := MustNewMachine(Options{})
	var got []string
	m.head.Mu.Lock()
	m.after(10*time.Millisecond, "", func() {
		got = append(got, "outer@"+m.nowLocked().String())
		m.after(5*time.Millisecond, "", func() { got = append(got, "inner@"+m.nowLocked().String()) })
		m.after(50*time.Millisecond, "", func() { got = append(got, "late@"+m.nowLocked().String()) })
	})
	m.head.Mu.Unlock()
	m.Advance(20 * time.Millisecond)
	require.Equal(t, []string{"outer@  0.010s", "inner@  0.015s"}, got)
	require.Equal(t, 1, m.PendingTimers())
	m.Advance(40 * time.Millisecond)
	require.Equal(t, []string{"outer@  0.010s", "inner@  0.015s", "late@  0.060s"}, got)
}

// TestAdvanceLocked encodes advanceLocked: Advance for callers that hold the
// lock, with the same effect.
func TestAdvanceLocked(t *testing.T) {
	m := MustNewMachine(Options{})
	fired := 0
	m.head.Mu.Lock()
	m.after(time.Second, "", func() { fired++ })
	m.advanceLocked(time.Second)
	now := m.nowLocked()
	m.head.Mu.Unlock()
	require.Equal(t, 1, fired)
	require.Equal(t, Time(time.Second), now)
}

// TestStopTimer encodes stopTimer: it cancels a pending timer, which then
// never fires, and reports whether the timer was still pending.
func TestStopTimer(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(m *Machine, tm *Timer) // runs with the lock held
		wantStop bool
	}{
		{"pending", func(*Machine, *Timer) {}, true},
		{"already stopped", func(m *Machine, tm *Timer) { m.stopTimer(tm) }, false},
		{"already fired", func(m *Machine, _ *Timer) { m.advanceLocked(time.Second) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			fired := 0
			m.head.Mu.Lock()
			other := m.after(20*time.Millisecond, "", func() {})
			tm := m.after(10*time.Millisecond, "", func() { fired++ })
			tt.prepare(m, tm)
			firedBefore := fired
			require.Equal(t, tt.wantStop, m.stopTimer(tm))
			require.False(t, tm.Pending())
			m.advanceLocked(time.Minute)
			m.head.Mu.Unlock()
			require.Equal(t, firedBefore, fired, "a stopped timer never fires")
			require.False(t, other.Pending(), "stopping one timer leaves the others scheduled")
		})
	}
	t.Run("nil", func(t *testing.T) {
		m := MustNewMachine(Options{})
		require.False(t, m.stopTimer(nil))
	})
	t.Run("stop from inside another timer", func(t *testing.T) {
		m := MustNewMachine(Options{})
		fired := false
		m.head.Mu.Lock()
		var victim *Timer
		m.after(10*time.Millisecond, "", func() { require.True(t, m.stopTimer(victim)) })
		victim = m.after(10*time.Millisecond, "", func() { fired = true })
		m.head.Mu.Unlock()
		m.Advance(time.Second)
		require.False(t, fired)
	})
}

// TestTimerTrace encodes Machine.after: a named timer appears in the trace
// (kind timer) at its deadline when it fires; an unnamed one does not.
func TestTimerTrace(t *testing.T) {
	tests := []struct {
		name      string
		timerName string
		want      []TraceEvent
	}{
		{"named", "wake up", []TraceEvent{{At: Time(30 * time.Millisecond), Kind: EvTimer, Text: "wake up"}}},
		{"unnamed", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			m.head.Mu.Lock()
			m.after(30*time.Millisecond, tt.timerName, func() {})
			m.head.Mu.Unlock()
			m.Advance(time.Second)
			require.Equal(t, tt.want, m.Trace())
		})
	}
}

// TestAdvanceDeliversNoAPCs encodes Advance's rule "No thread runs APCs: only
// waits deliver them": an APC queued by a timer during Advance stays queued.
func TestAdvanceDeliversNoAPCs(t *testing.T) {
	m, _, th := newTestThread(t)
	ran := false
	m.head.Mu.Lock()
	m.after(10*time.Millisecond, "", func() {
		th.queueAPC(&APC{Name: "apc", Run: func(*Thread) { ran = true }})
	})
	m.head.Mu.Unlock()
	m.Advance(time.Second)
	require.False(t, ran)
	require.Equal(t, 1, th.pendingAPCs())
}
