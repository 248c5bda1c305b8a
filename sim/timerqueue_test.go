package sim

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// refTimer is the reference model's view of one timer: when it is due and
// the scheduling sequence that breaks ties.
type refTimer struct {
	id       int
	deadline Time
	seq      uint64
}

// TestTimerQueueMatchesSortedList checks the machine's timer heap against
// the plainest model of the clock's rule: the pending timers, kept as a
// list, fire by (deadline, sequence), where scheduling, resetting or
// re-arming takes the next sequence number. Random runs of after, stopTimer,
// resetTimer and advanceLocked must fire the same timers in the same order,
// each at its deadline, and agree on which timers are pending.
func TestTimerQueueMatchesSortedList(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		m := MustNewMachine(Options{})
		m.head.Mu.Lock()
		defer m.head.Mu.Unlock()

		var timers []*Timer
		pending := map[int]refTimer{}
		var seq uint64
		var fired []string
		arm := func(id int, d time.Duration) {
			seq++
			pending[id] = refTimer{id: id, deadline: m.clock.now.Add(d), seq: seq}
		}
		delay := rapid.Custom(func(t *rapid.T) time.Duration {
			// Few distinct delays, so that deadlines often tie.
			return time.Duration(rapid.IntRange(0, 20).Draw(t, "ms")) * time.Millisecond
		})
		steps := rapid.IntRange(1, 200).Draw(rt, "steps")
		for range steps {
			// Mostly scheduling, so that the heap grows deep enough for a
			// stop or a reset in its middle to have to move timers both up
			// and down.
			switch op := rapid.IntRange(0, 9).Draw(rt, "op"); {
			case op <= 4 || len(timers) == 0:
				id, d := len(timers), delay.Draw(rt, "d")
				timers = append(timers, m.after(d, "", func() {
					fired = append(fired, fmt.Sprintf("%d@%s", id, m.clock.now))
				}))
				arm(id, d)
			case op <= 6:
				id := rapid.IntRange(0, len(timers)-1).Draw(rt, "stop")
				_, want := pending[id]
				require.Equal(rt, want, m.stopTimer(timers[id]), "stopTimer(%d)", id)
				delete(pending, id)
			case op <= 8:
				id, d := rapid.IntRange(0, len(timers)-1).Draw(rt, "reset"), delay.Draw(rt, "d")
				m.resetTimer(timers[id], d, "")
				arm(id, d)
			default:
				d := delay.Draw(rt, "advance")
				end := m.clock.now.Add(d)
				var due []refTimer
				for _, r := range pending {
					if r.deadline <= end {
						due = append(due, r)
					}
				}
				slices.SortFunc(due, func(a, b refTimer) int {
					return cmp.Or(cmp.Compare(a.deadline, b.deadline), cmp.Compare(a.seq, b.seq))
				})
				var want []string
				for _, r := range due {
					want = append(want, fmt.Sprintf("%d@%s", r.id, r.deadline))
					delete(pending, r.id)
				}
				fired = nil
				m.advanceLocked(d)
				require.Equal(rt, want, fired, "timers fired advancing %s", d)
			}
			for id, tm := range timers {
				_, want := pending[id]
				require.Equal(rt, want, tm.Pending(), "timer %d pending", id)
			}
			require.Equal(rt, len(pending), len(m.clock.timers))
		}
	})
}

// TestResetTimer encodes resetTimer: a timer that fired, was stopped or is
// still pending runs its callback once more at now+d, under the new name,
// and orders after the timers already due at that instant, as a newly
// scheduled timer would.
func TestResetTimer(t *testing.T) {
	tests := []struct {
		name    string
		d       time.Duration               // the timer's first delay
		prepare func(m *Machine, tm *Timer) // runs with the lock held, before the reset at 1s
	}{
		{"fired", 500 * time.Millisecond, func(m *Machine, _ *Timer) { m.advanceLocked(time.Second) }},
		{"stopped", 500 * time.Millisecond, func(m *Machine, tm *Timer) { m.stopTimer(tm); m.advanceLocked(time.Second) }},
		{"pending", time.Hour, func(m *Machine, _ *Timer) { m.advanceLocked(time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			var got []string
			m.head.Mu.Lock()
			tm := m.after(tt.d, "old name", func() { got = append(got, fmt.Sprintf("tm@%s", m.clock.now)) })
			tt.prepare(m, tm)
			got = nil
			m.after(2*time.Second, "", func() { got = append(got, fmt.Sprintf("other@%s", m.clock.now)) })
			m.resetTimer(tm, 2*time.Second, "new name")
			require.True(t, tm.Pending())
			require.Equal(t, Time(3*time.Second), tm.Deadline())
			m.head.Mu.Unlock()

			before := len(m.Trace())
			m.Advance(2 * time.Hour)
			require.Equal(t, []string{"other@  3.000s", "tm@  3.000s"}, got, "fires once, after the timer scheduled before the reset")
			require.Equal(t, []TraceEvent{{At: Time(3 * time.Second), Kind: EvTimer, Text: "new name"}}, m.Trace()[before:])
		})
	}
}

// TestResetTimerFromCallback: a timer callback that resets its own timer,
// or another pending one, while Advance is firing the timers of that
// instant, moves it exactly as stopping it and scheduling a new timer
// there would: a timer reset to now fires again in the same Advance, after
// the timers already due at that instant, and one reset to later fires at
// its new deadline, once. Timers A, B and C are due at 1s, scheduled in
// that order; A's callback, on its first run, does the action.
func TestResetTimerFromCallback(t *testing.T) {
	tests := []struct {
		name   string
		action func(m *Machine, a, b *Timer)
		want   []string
	}{
		{"A resets itself to now", func(m *Machine, a, _ *Timer) { m.resetTimer(a, 0, "A") },
			[]string{"A@  1.000s", "B@  1.000s", "C@  1.000s", "A@  1.000s"}},
		{"A resets itself to later", func(m *Machine, a, _ *Timer) { m.resetTimer(a, time.Second, "A") },
			[]string{"A@  1.000s", "B@  1.000s", "C@  1.000s", "A@  2.000s"}},
		{"A resets pending B to now", func(m *Machine, _, b *Timer) { m.resetTimer(b, 0, "B") },
			[]string{"A@  1.000s", "C@  1.000s", "B@  1.000s"}},
		{"A resets pending B to later", func(m *Machine, _, b *Timer) { m.resetTimer(b, time.Second, "B") },
			[]string{"A@  1.000s", "C@  1.000s", "B@  2.000s"}},
		{"A stops B, then resets it", func(m *Machine, _, b *Timer) { m.stopTimer(b); m.resetTimer(b, 0, "B") },
			[]string{"A@  1.000s", "C@  1.000s", "B@  1.000s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{})
			var got []string
			fire := func(name string) func() {
				return func() { got = append(got, fmt.Sprintf("%s@%s", name, m.clock.now)) }
			}
			m.head.Mu.Lock()
			var a, b *Timer
			runs := 0
			a = m.after(time.Second, "A", func() {
				fire("A")()
				if runs++; runs == 1 {
					tt.action(m, a, b)
				}
			})
			b = m.after(time.Second, "B", fire("B"))
			m.after(time.Second, "C", fire("C"))
			m.advanceLocked(5 * time.Second)
			m.head.Mu.Unlock()
			require.Equal(t, tt.want, got)
			require.Zero(t, m.PendingTimers())
		})
	}
}
