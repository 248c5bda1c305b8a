package sim

import (
	"container/heap"
	"fmt"
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

// Add returns t+d.
func (t Time) Add(d time.Duration) Time { return t + Time(d) }

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

// fireNext moves the clock to the earliest timer's deadline and runs it.
func (c *clock) fireNext() {
	t := heap.Pop(&c.timers).(*Timer)
	if t.deadline > c.now {
		c.now = t.deadline
	}
	t.fn()
}
