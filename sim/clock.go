package sim

import (
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

// timerQueue is a binary min-heap of the pending timers, ordered by
// (deadline, sequence): two timers due at the same instant fire in the order
// they were scheduled. Every timer's index is its position in the heap. The
// order is total (sequence numbers are unique), so the firing order does not
// depend on how the heap breaks ties. It is written out for *Timer rather
// than through container/heap, whose interface calls and boxing cost more
// than the sifting itself.
type timerQueue []*Timer

// before reports whether a fires before b.
func before(a, b *Timer) bool {
	if a.deadline != b.deadline {
		return a.deadline < b.deadline
	}
	return a.seq < b.seq
}

// place puts t at position i.
func (q timerQueue) place(i int, t *Timer) {
	q[i] = t
	t.index = i
}

// up moves the timer at position i towards the root while it fires before
// its parent.
func (q timerQueue) up(i int) {
	t := q[i]
	for i > 0 {
		parent := (i - 1) / 2
		if !before(t, q[parent]) {
			break
		}
		q.place(i, q[parent])
		i = parent
	}
	q.place(i, t)
}

// down moves the timer at position i towards the leaves while a child
// fires before it; it reports whether the timer moved.
func (q timerQueue) down(i int) bool {
	t, start, n := q[i], i, len(q)
	for {
		child := 2*i + 1
		if child >= n {
			break
		}
		if right := child + 1; right < n && before(q[right], q[child]) {
			child = right
		}
		if !before(q[child], t) {
			break
		}
		q.place(i, q[child])
		i = child
	}
	q.place(i, t)
	return i > start
}

// push adds t to the heap.
func (q *timerQueue) push(t *Timer) {
	*q = append(*q, t)
	q.up(len(*q) - 1)
}

// remove takes the timer at position i out of the heap and marks it no
// longer pending.
func (q *timerQueue) remove(i int) *Timer {
	old := *q
	t, last := old[i], len(old)-1
	if i != last {
		old.place(i, old[last])
	}
	old[last] = nil
	*q = old[:last]
	if i != last && !q.down(i) {
		q.up(i)
	}
	t.index = -1
	return t
}

// clock is the virtual clock and its timer queue.
type clock struct {
	now    Time
	seq    uint64
	timers timerQueue
}

func (c *clock) schedule(at Time, name string, fn func()) *Timer {
	t := &Timer{fn: fn, index: -1} // not pending until reschedule queues it
	c.reschedule(t, at, name)
	return t
}

// reschedule puts t in the queue again, due at at (or now, if at is past),
// under name; a pending t is taken out first. It takes a new sequence
// number, so it orders exactly as a newly scheduled timer would.
func (c *clock) reschedule(t *Timer, at Time, name string) {
	if t.index >= 0 {
		c.timers.remove(t.index)
	}
	if at < c.now {
		at = c.now
	}
	c.seq++
	t.deadline, t.seq, t.name = at, c.seq, name
	c.timers.push(t)
}

func (c *clock) stop(t *Timer) bool {
	if t == nil || t.index < 0 {
		return false
	}
	c.timers.remove(t.index)
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
	t := c.timers.remove(0)
	if t.deadline > c.now {
		c.now = t.deadline
	}
	return t
}
