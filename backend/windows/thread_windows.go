package windows

import (
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/windows"
)

// worker is one scenario thread: a goroutine locked to its own OS thread.
// Calls made on the thread are sent to it as jobs. A notification callback
// runs on the thread during one of its alertable waits; it hands the
// notification to the goroutine waiting for the job (which runs the
// scenario's callback code) and, meanwhile, runs the jobs that code sends,
// so that calls made from inside a callback are made inside it, on its
// thread.
type worker struct {
	b      *Backend
	name   string
	tid    uint32
	jobs   chan func()
	events chan *apcEvent
	quit   chan struct{}
	exited chan struct{}

	// Set by ExpectCallbacks for the next wait, read by it.
	expectN      int
	expectWindow time.Duration
	// delivered counts the callbacks run on the thread; only the thread
	// itself touches it.
	delivered int
}

// apcEvent is one callback that reached Go, waiting for the scenario's
// callback code to run.
type apcEvent struct {
	nb    *notifyBuf
	n     notification
	decoy bool // the system passed pContext, not the buffer
	done  chan struct{}
}

// workers finds the worker of the current OS thread, for the callback.
var workers sync.Map // thread id -> *worker

func newWorker(b *Backend, name string) *worker {
	w := &worker{
		b: b, name: name,
		jobs:   make(chan func()),
		events: make(chan *apcEvent),
		quit:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	ready := make(chan struct{})
	go w.loop(ready)
	<-ready
	return w
}

func (w *worker) loop(ready chan<- struct{}) {
	// Never unlocked: when the goroutine returns, its OS thread ends, and
	// the APCs still queued to it die with it, as on ExitThread.
	runtime.LockOSThread()
	w.tid = windows.GetCurrentThreadId()
	workers.Store(w.tid, w)
	close(ready)
	defer close(w.exited)
	defer workers.Delete(w.tid)
	for {
		select {
		case f := <-w.jobs:
			f()
		case <-w.quit:
			return
		}
	}
}

// call runs f on the worker's thread and returns when it is done. Callbacks
// that run on the thread meanwhile are handed to deliver, on the calling
// goroutine, one at a time.
func (w *worker) call(f func()) {
	done := make(chan struct{})
	select {
	case w.jobs <- func() { f(); close(done) }:
	case <-w.exited:
		panic("windows backend: thread " + w.name + " has exited")
	}
	for {
		select {
		case <-done:
			return
		case ev := <-w.events:
			w.b.deliver(ev)
			close(ev.done)
		}
	}
}

// raise runs on the worker's thread, inside a callback: it hands ev to the
// goroutine waiting in call and runs the jobs that goroutine sends until the
// scenario's callback code has returned.
func (w *worker) raise(ev *apcEvent) {
	ev.done = make(chan struct{})
	w.events <- ev
	for {
		select {
		case f := <-w.jobs:
			f()
		case <-ev.done:
			return
		}
	}
}

// stop ends the worker's goroutine, and so its thread.
func (w *worker) stop() {
	select {
	case <-w.exited:
	default:
		close(w.quit)
		<-w.exited
	}
}

// takeExpectation returns and clears what the next wait should wait for.
func (w *worker) takeExpectation() (int, time.Duration) {
	n, win := w.expectN, w.expectWindow
	w.expectN, w.expectWindow = 0, 0
	if win <= 0 {
		win = w.b.window
	}
	return n, win
}

// pacedWait runs an alertable wait in real time, on the worker's thread.
// once makes one real wait with the given timeout and returns its raw
// result. With n callbacks expected, it waits until they have run or the
// watchdog expires; with none expected, it waits the window. A wait that
// ends for another reason (an object signaled, a failure) returns at once.
// Callbacks having run make the result WAIT_IO_COMPLETION, as one real wait
// would return.
func (w *worker) pacedWait(timeoutResult uint32, once func(ms uint32) (uint32, error)) (uint32, error) {
	n, window := w.takeExpectation()
	limit := window
	if n > 0 {
		limit = w.b.watchdog
	}
	start := time.Now()
	before := w.delivered
	for {
		left := limit - time.Since(start)
		if left <= 0 {
			break
		}
		ms := uint32((left + time.Millisecond - 1) / time.Millisecond)
		res, err := once(ms)
		switch {
		case res == uint32(windows.WAIT_IO_COMPLETION):
			if n == 0 || w.delivered-before >= n {
				return res, nil
			}
		case res == timeoutResult:
		default:
			if w.delivered > before && res != windows.WAIT_FAILED {
				return uint32(windows.WAIT_IO_COMPLETION), nil
			}
			return res, err
		}
	}
	if w.delivered > before {
		return uint32(windows.WAIT_IO_COMPLETION), nil
	}
	return timeoutResult, nil
}
