package sim

import (
	"fmt"
	"io"
	"strings"
)

// EventKind classifies a trace event.
type EventKind string

// The kinds of trace events.
const (
	EvCall         EventKind = "call"       // an API call and its result
	EvTransition   EventKind = "transition" // a state change inside a model
	EvAPCQueued    EventKind = "apc-queue"  // an APC queued to a thread
	EvAPCDelivered EventKind = "apc-run"    // an APC delivered in an alertable wait
	EvAPCCancelled EventKind = "apc-cancel" // a queued APC withdrawn
	EvWait         EventKind = "wait"       // a wait and how it ended
	EvTimer        EventKind = "timer"      // a named timer fired
	EvViolation    EventKind = "violation"  // a contract violation
	EvProcess      EventKind = "process"    // process lifecycle
	EvThread       EventKind = "thread"     // thread lifecycle
	EvNote         EventKind = "note"       // anything else worth a line
)

// TraceEvent is one line of the trace.
type TraceEvent struct {
	At     Time
	Thread string // "" for events not made on behalf of a thread
	Kind   EventKind
	Text   string
}

// String formats the event as one trace line.
func (e TraceEvent) String() string {
	th := e.Thread
	if th == "" {
		th = "-"
	}
	return fmt.Sprintf("%s %-16s %-10s %s", e.At, th, e.Kind, e.Text)
}

// Tracing reports whether the machine records a trace. Families check it
// before formatting trace text.
func (m *Machine) Tracing() bool { return m.tracing }

// tracef appends an event. t may be nil. Callers hold the lock. Its
// arguments are converted to interfaces even when the machine records no
// trace, which may allocate: the calls a model makes in steady state use
// traceText instead.
func (m *Machine) tracef(t *Thread, kind EventKind, format string, args ...any) {
	if !m.tracing {
		return
	}
	m.record(t, kind, fmt.Sprintf(format, args...))
}

// traceText appends an event whose text text formats, calling it only when
// the machine records a trace: with the trace off, the call costs a test
// and allocates nothing (a function literal that is only called stays on
// its caller's stack). t may be nil. Callers hold the lock. The family
// packages reach it as kernel.Trace and kernel.TraceCall.
func (m *Machine) traceText(t *Thread, kind EventKind, text func() string) {
	if m.tracing {
		m.record(t, kind, text())
	}
}

// record appends an event with its text formatted already. t may be nil.
// Callers hold the lock and have checked that the machine traces.
func (m *Machine) record(t *Thread, kind EventKind, text string) {
	name := ""
	if t != nil {
		name = t.Name
	}
	e := TraceEvent{At: m.clock.now, Thread: name, Kind: kind, Text: text}
	if m.traceLimit > 0 && len(m.trace) == m.traceLimit {
		m.trace[m.traceHead] = e
		m.traceHead = (m.traceHead + 1) % m.traceLimit
		m.traceDropped++
		return
	}
	m.trace = append(m.trace, e)
}

// Trace returns a copy of the events recorded so far: all of them, or with
// a trace limit the last ones it kept, oldest first.
func (m *Machine) Trace() []TraceEvent {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	if len(m.trace) == 0 {
		return nil
	}
	out := make([]TraceEvent, 0, len(m.trace))
	out = append(out, m.trace[m.traceHead:]...)
	return append(out, m.trace[:m.traceHead]...)
}

// TraceDropped returns how many events a trace limit let go: the earliest
// ones, which Trace no longer returns.
func (m *Machine) TraceDropped() int {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return m.traceDropped
}

// StopTrace turns the trace off for the rest of the machine's life and
// drops the events recorded so far: a caller that will not read the trace
// saves its cost.
func (m *Machine) StopTrace() {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	m.tracing = false
	m.trace, m.traceHead, m.traceDropped = nil, 0, 0
}

// TraceLen returns the number of events recorded so far.
func (m *Machine) TraceLen() int {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return len(m.trace)
}

// WriteTrace writes the trace, one event a line.
func (m *Machine) WriteTrace(w io.Writer) error {
	var b strings.Builder
	for _, e := range m.Trace() {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
