package sim

import (
	"container/heap"
	"fmt"
	"math"
	"time"
)

// Time is a point on the virtual clock, measured from the moment the Machine
// was created. It never comes from the wall clock.
type Time time.Duration

// String formats t as seconds with millisecond precision and at least three
// digits before the point, so that trace columns line up: "  0.200s".
func (t Time) String() string {
	d := time.Duration(t)
	return fmt.Sprintf("%3d.%03ds", d/time.Second, (d%time.Second)/time.Millisecond)
}

// EndOfTime is the last point of the virtual clock, about 292 years after
// the Machine was created.
const EndOfTime = Time(math.MaxInt64)

// Add returns t+d, or EndOfTime when the sum is past it. Models are pure and
// deterministic, and a clock that wrapped would put deadlines in the past
// (a timer due "after 0s", a sleep returning before it began), so the clock
// never wraps: it stops at EndOfTime, and a scenario runner refuses a step
// whose duration would take it there (see Overflows).
func (t Time) Add(d time.Duration) Time {
	if Overflows(t, d) {
		return EndOfTime
	}
	return t + Time(d)
}

// Overflows reports whether t+d would pass EndOfTime.
func Overflows(t Time, d time.Duration) bool {
	return d > 0 && t > EndOfTime-Time(d)
}

// Timer is a callback scheduled on the virtual clock.
type Timer struct {
	deadline Time
	seq      uint64
	name     string
	fn       func()
	index    int // position in the heap, -1 once fired or stopped
}

// Deadline returns the virtual time at which the timer fires.
func (t *Timer) Deadline() Time { return t.deadline }

// Pending reports whether the timer has neither fired nor been stopped.
func (t *Timer) Pending() bool { return t.index >= 0 }

// timerQueue orders timers by (deadline, sequence): two timers due at the same
// instant fire in the order they were scheduled.
type timerQueue []*Timer

func (q timerQueue) Len() int { return len(q) }
func (q timerQueue) Less(i, j int) bool {
	if q[i].deadline != q[j].deadline {
		return q[i].deadline < q[j].deadline
	}
	return q[i].seq < q[j].seq
}
func (q timerQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index = i
	q[j].index = j
}
func (q *timerQueue) Push(x any) {
	t := x.(*Timer)
	t.index = len(*q)
	*q = append(*q, t)
}
func (q *timerQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*q = old[:len(old)-1]
	return t
}

// clock is the virtual clock and its timer queue.
type clock struct {
	now    Time
	seq    uint64
	timers timerQueue
}

func (c *clock) schedule(at Time, name string, fn func()) *Timer {
	if at < c.now {
		at = c.now
	}
	c.seq++
	t := &Timer{deadline: at, seq: c.seq, name: name, fn: fn}
	heap.Push(&c.timers, t)
	return t
}

func (c *clock) stop(t *Timer) bool {
	if t == nil || t.index < 0 {
		return false
	}
	heap.Remove(&c.timers, t.index)
	return true
}

// next returns the earliest pending timer, or nil.
func (c *clock) next() *Timer {
	if len(c.timers) == 0 {
		return nil
	}
	return c.timers[0]
}

// popNext removes the earliest timer and moves the clock to its deadline;
// the caller runs it (Machine.fireNext).
func (c *clock) popNext() *Timer {
	t := heap.Pop(&c.timers).(*Timer)
	if t.deadline > c.now {
		c.now = t.deadline
	}
	return t
}
