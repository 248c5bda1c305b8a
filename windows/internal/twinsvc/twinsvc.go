// Package twinsvc runs the Go programs behind the service twins: a test
// says which Go function a service's executable runs (winsimtest), the
// twin of StartService starts it in a goroutine bound to the service
// process's ServiceMain thread once the SCM model has started the service,
// the twin of svc.Run connects it, the twin of ControlService hands each
// control the model accepted to its dispatcher, and a test's cleanup stops
// what is still running.
//
// The SCM model knows services, handles, states and notifications; the Go
// side of a run (goroutines, channels) lives here, one Services per
// machine. Nothing here decides a Windows behavior: every answer a
// program's caller sees is the model's.
package twinsvc

import (
	"strings"
	"sync"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/windows/internal/twinrt"
)

// Program is the Go code a service's executable runs, standing for its
// main function: args is the service's command line, split as the C
// runtime splits it, args[0] the executable.
type Program func(args []string)

// ControlTimeout is how long ControlService waits for the service's
// dispatcher to take a control: the SCM's 30-second limit for a control
// handler (rule scm.control.request-timeout).
const ControlTimeout = 30 * time.Second

// Services is the Go side of one machine's services.
type Services struct {
	mu sync.Mutex
	// programs are the Go programs by lower-case executable path.
	programs map[string]Program
	// commands are the services' command lines (CreateService's binary
	// path) by lower-case service name.
	commands map[string]string
	// names are the service names of the service handles the twins
	// opened, by process and handle.
	names map[handleKey]string
	// runs are the services' current runs, by lower-case name; all holds
	// every run in start order.
	runs map[string]*Run
	all  []*Run
}

type handleKey struct {
	proc *sim.Process
	h    sim.Handle
}

// Of returns machine b's services, made on first use.
func Of(b *twinrt.Machine) *Services { return twinrt.Family(b, newServices) }

func newServices(*sim.Machine) *Services {
	return &Services{programs: map[string]Program{}, commands: map[string]string{},
		names: map[handleKey]string{}, runs: map[string]*Run{}}
}

// SetProgram makes exe's program p: a service whose command line names exe
// (compared without regard to case, as Windows compares paths) runs p.
// A nil p removes it.
func (s *Services) SetProgram(exe string, p Program) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p == nil {
		delete(s.programs, strings.ToLower(exe))
		return
	}
	s.programs[strings.ToLower(exe)] = p
}

// Created records a new service's command line and its handle, opened in
// t's process.
func (s *Services) Created(t *sim.Thread, h sim.Handle, name, command string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[strings.ToLower(name)] = command
	s.names[handleKey{t.Proc, h}] = name
}

// Opened records a service handle opened in t's process.
func (s *Services) Opened(t *sim.Thread, h sim.Handle, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names[handleKey{t.Proc, h}] = name
}

// Closed forgets a handle of t's process.
func (s *Services) Closed(t *sim.Thread, h sim.Handle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.names, handleKey{t.Proc, h})
}

// NameOf returns the name of the service a handle of t's process was
// opened on.
func (s *Services) NameOf(t *sim.Thread, h sim.Handle) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, ok := s.names[handleKey{t.Proc, h}]
	return name, ok
}

// ProgramOf returns the program a service's command line runs, with the
// command line's arguments; nil when no program was set for its
// executable.
func (s *Services) ProgramOf(name string) (Program, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	args := SplitCommandLine(s.commands[strings.ToLower(name)])
	if len(args) == 0 {
		return nil, nil
	}
	return s.programs[strings.ToLower(args[0])], args
}

// Start records a new run of the named service, started by the model with
// rt, and returns it.
func (s *Services) Start(name string, args []string, rt scm.Runtime) *Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Run{
		Name: name, Args: append([]string{name}, args...),
		Process: rt.Process, StatusHandle: rt.StatusHandle,
		Controls: make(chan uint32), Killed: make(chan struct{}),
		connected: make(chan struct{}), disconnected: make(chan struct{}),
		done: make(chan struct{}), handlerDone: make(chan struct{}),
	}
	s.runs[strings.ToLower(name)] = r
	s.all = append(s.all, r)
	return r
}

// Current returns the named service's latest run, nil if it never ran.
func (s *Services) Current(name string) *Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runs[strings.ToLower(name)]
}

// Runs returns every run, in start order.
func (s *Services) Runs() []*Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Run(nil), s.all...)
}

// Run is one run of a service's program, from StartService until the
// program returns.
type Run struct {
	// Name is the service's name, Args what Execute gets: the name, then
	// StartService's arguments.
	Name string
	Args []string
	// Process is the service's process; StatusHandle its
	// SERVICE_STATUS_HANDLE, valid in Process.
	Process      *sim.Process
	StatusHandle sim.Handle
	// Controls carries the controls ControlService delivers to the
	// service's dispatcher (svc.Run's loop).
	Controls chan uint32
	// Killed is closed when a test's cleanup terminates the run.
	Killed chan struct{}

	connected, disconnected, done, handlerDone chan struct{}

	mu             sync.Mutex
	connectedOnce  bool
	handlerStarted bool
	// state and accepts are the status the service reported last.
	state, accepts uint32
	reported       bool
}

// Connect marks the run's dispatcher connected (svc.Run was called); it
// reports false if it was connected already.
func (r *Run) Connect() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.connectedOnce {
		return false
	}
	r.connectedOnce = true
	close(r.connected)
	return true
}

// Disconnect marks the dispatcher gone: controls are no longer taken.
func (r *Run) Disconnect() { close(r.disconnected) }

// HandlerStarted marks the handler's goroutine started; the caller closes
// what HandlerStarted returns when the handler returns.
func (r *Run) HandlerStarted() (ended func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlerStarted = true
	return func() { close(r.handlerDone) }
}

// Exited marks the program returned.
func (r *Run) Exited() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.handlerStarted {
		r.handlerStarted = true
		close(r.handlerDone)
	}
	close(r.done)
}

// Reported records a status the service reported.
func (r *Run) Reported(state, accepts uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state, r.accepts, r.reported = state, accepts, true
}

// LastReport returns the status the service reported last; ok is false
// when it reported nothing.
func (r *Run) LastReport() (state, accepts uint32, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state, r.accepts, r.reported
}

// WaitConnected blocks until the program connects its dispatcher or
// returns.
func (r *Run) WaitConnected() {
	select {
	case <-r.connected:
	case <-r.done:
	}
}

// Deliver hands a control to the run's dispatcher, as the SCM calls the
// service's control handler. It reports false when the dispatcher did not
// take it within ControlTimeout (it is busy: the handler has not read the
// previous request), and true when it took it or is gone.
func (r *Run) Deliver(control uint32) bool {
	timer := time.NewTimer(ControlTimeout)
	defer timer.Stop()
	select {
	case r.Controls <- control:
		return true
	case <-r.disconnected:
	case <-r.done:
	case <-r.Killed:
	case <-timer.C:
		return false
	}
	return true
}

// Finished reports whether the program and its handler have returned.
func (r *Run) Finished() bool {
	select {
	case <-r.done:
	default:
		return false
	}
	select {
	case <-r.handlerDone:
		return true
	default:
		return false
	}
}

// WaitFinished waits up to d for the program and its handler to return,
// and reports whether they did.
func (r *Run) WaitFinished(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for _, ch := range []chan struct{}{r.done, r.handlerDone} {
		select {
		case <-ch:
		case <-timer.C:
			return false
		}
	}
	return true
}
