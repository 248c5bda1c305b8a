package supervisor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/winsim/winsim/examples/supervisor/internal/winapi/mgr"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/svc"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/windows"
)

// Config describes the service a Supervisor manages.
type Config struct {
	// Name is the service's name in the SCM database.
	Name string
	// Program is the service program's path, and ProgramArgs the arguments
	// on its command line (Install puts them in the binary path).
	Program     string
	ProgramArgs []string
	// StartArgs are passed to StartService: a Go service gets them as
	// Execute's args, after the service's name.
	StartArgs []string
	// StateKey is where the state is kept, under HKEY_LOCAL_MACHINE;
	// DefaultStateKey(Name) when empty.
	StateKey string
	// Poll is how often a wait looks at the service's progress between
	// notifications: 100 ms when zero.
	Poll time.Duration
	// MinWaitHint is the least time a wait gives a service without
	// progress, for services that report a smaller wait hint (or none):
	// 1 s when zero.
	MinWaitHint time.Duration
	// OnEvent, when set, is called with each thing the supervisor sees and
	// does, on the goroutine that made the call.
	OnEvent func(Event)
}

// DefaultStateKey is the registry key, under HKEY_LOCAL_MACHINE, where a
// supervisor keeps the state of the service name when its Config names
// none.
func DefaultStateKey(name string) string {
	return `SOFTWARE\winsim\examples\supervisor\` + name
}

// Errors a Supervisor's calls return, matched with errors.Is; the error
// itself says which service, its state and what was waited for.
var (
	// ErrNoProgress: the service stayed in a pending state longer than its
	// wait hint (at least Config.MinWaitHint) without raising its
	// checkpoint.
	ErrNoProgress = errors.New("the service made no progress within its wait hint")
	// ErrNotNotified: the service reached the state waited for, but no
	// notification of it came within 10 seconds.
	ErrNotNotified = errors.New("the state change was not notified")
	// ErrStopped: the service stopped while it was to run.
	ErrStopped = errors.New("the service stopped")
	// ErrDeleted: the service was marked for deletion while it was waited
	// for.
	ErrDeleted = errors.New("the service was marked for deletion")
)

// Supervisor manages one service. Its methods are not safe for concurrent
// use: each waits on the calling goroutine.
type Supervisor struct {
	cfg   Config
	m     *mgr.Mgr
	state *stateStore
	// buffers keeps every SERVICE_NOTIFY handed to the SCM reachable until
	// Close: a registration writes into its buffer when it fires, and one
	// cut short by closing its handle may have fired already.
	buffers []*windows.SERVICE_NOTIFY
}

// Open connects to the SCM and opens (or creates) the supervisor's state
// key.
func Open(cfg Config) (*Supervisor, error) {
	if cfg.Name == "" {
		return nil, errors.New("supervisor: Config.Name is empty")
	}
	if cfg.StateKey == "" {
		cfg.StateKey = DefaultStateKey(cfg.Name)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 100 * time.Millisecond
	}
	if cfg.MinWaitHint <= 0 {
		cfg.MinWaitHint = time.Second
	}
	m, err := mgr.Connect()
	if err != nil {
		return nil, fmt.Errorf("supervisor: connecting to the SCM: %w", err)
	}
	st, err := openState(cfg.StateKey)
	if err != nil {
		m.Disconnect()
		return nil, err
	}
	return &Supervisor{cfg: cfg, m: m, state: st}, nil
}

// Close releases the SCM connection and the state key. The service is left
// as it is.
func (s *Supervisor) Close() error {
	err := errors.Join(s.state.close(), s.m.Disconnect())
	s.buffers = nil
	return err
}

// State returns the state the supervisor last recorded (and flushed) in the
// registry.
func (s *Supervisor) State() (Record, error) { return s.state.load() }

// Install creates the service (demand start, its own process), or takes the
// one already there, and records it as installed.
func (s *Supervisor) Install() error {
	svcH, err := s.m.CreateService(s.cfg.Name, s.cfg.Program, mgr.Config{StartType: mgr.StartManual}, s.cfg.ProgramArgs...)
	if errors.Is(err, windows.ERROR_SERVICE_EXISTS) {
		svcH, err = s.m.OpenService(s.cfg.Name)
	}
	if err != nil {
		return fmt.Errorf("supervisor: installing %s: %w", s.cfg.Name, err)
	}
	svcH.Close()
	return s.record(StateInstalled, nil)
}

// Uninstall marks the service for deletion (it goes when the last handle to
// it closes and it has stopped) and deletes the state key.
func (s *Supervisor) Uninstall() error {
	svcH, err := s.m.OpenService(s.cfg.Name)
	if err == nil {
		err = svcH.Delete()
		svcH.Close()
	}
	if err != nil && !errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) && !errors.Is(err, windows.ERROR_SERVICE_MARKED_FOR_DELETE) {
		return fmt.Errorf("supervisor: uninstalling %s: %w", s.cfg.Name, err)
	}
	return s.state.remove()
}

// Start starts the service and waits until it runs: it returns nil once the
// service reports SERVICE_RUNNING, ErrNoProgress when it stays pending
// longer than its wait hint without progress, ErrStopped when it stops
// instead.
func (s *Supervisor) Start() error {
	_, err := s.start(nil)
	return err
}

// start starts the service and waits until it runs. A stop requested
// (stop closed) while it starts is sent at once; when the service cannot
// take it yet, it is sent as soon as the service runs. stopped says that
// start stopped the service so.
func (s *Supervisor) start(stop <-chan struct{}) (stopped bool, err error) {
	svcH, err := s.m.OpenService(s.cfg.Name)
	if err != nil {
		return false, s.fail(fmt.Errorf("supervisor: opening %s: %w", s.cfg.Name, err))
	}
	defer svcH.Close()
	rec, _ := s.state.load()
	rec.Starts++
	if err := s.state.save(StateStarting, rec.Starts, nil); err != nil {
		return false, err
	}
	s.event(Event{Kind: EventRecorded, Recorded: StateStarting})
	err = svcH.Start(s.cfg.StartArgs...)
	switch {
	case errors.Is(err, windows.ERROR_SERVICE_ALREADY_RUNNING):
		s.event(Event{Kind: EventAlreadyRunning})
	case err != nil:
		return false, s.fail(fmt.Errorf("supervisor: starting %s: %w", s.cfg.Name, err))
	}
	st, cut, err := s.await(svcH, windows.SERVICE_RUNNING, stop)
	if err != nil {
		return false, s.fail(err)
	}
	if cut {
		return true, s.stopWhileStarting(svcH, st)
	}
	if st.CurrentState != windows.SERVICE_RUNNING {
		return false, s.fail(s.stoppedError(st))
	}
	return false, s.record(StateRunning, nil)
}

// stopWhileStarting sends the stop requested while the service was
// starting. A service that cannot take it yet is waited for until it runs,
// and then stopped.
func (s *Supervisor) stopWhileStarting(svcH *mgr.Service, st windows.SERVICE_STATUS) error {
	if st.CurrentState == windows.SERVICE_START_PENDING {
		_, err := svcH.Control(svc.Stop)
		switch {
		case err == nil:
			s.event(Event{Kind: EventStopSent, State: st.CurrentState})
			return s.awaitStopped(svcH)
		case errors.Is(err, windows.ERROR_INVALID_SERVICE_CONTROL), errors.Is(err, windows.ERROR_SERVICE_CANNOT_ACCEPT_CTRL):
			// It does not take STOP while it starts: wait until it runs.
			s.event(Event{Kind: EventStopDeferred, State: st.CurrentState, Err: err})
			st, _, err = s.await(svcH, windows.SERVICE_RUNNING, nil)
			if err != nil {
				return s.fail(err)
			}
		default:
			return s.fail(fmt.Errorf("supervisor: stopping %s while it starts: %w", s.cfg.Name, err))
		}
	}
	if st.CurrentState == windows.SERVICE_STOPPED {
		return s.record(StateStopped, nil)
	}
	return s.stop(svcH)
}

// Stop stops the service and waits until it has stopped.
func (s *Supervisor) Stop() error {
	svcH, err := s.m.OpenService(s.cfg.Name)
	if err != nil {
		return s.fail(fmt.Errorf("supervisor: opening %s: %w", s.cfg.Name, err))
	}
	defer svcH.Close()
	return s.stop(svcH)
}

func (s *Supervisor) stop(svcH *mgr.Service) error {
	if err := s.record(StateStopping, nil); err != nil {
		return err
	}
	_, err := svcH.Control(svc.Stop)
	switch {
	case errors.Is(err, windows.ERROR_SERVICE_NOT_ACTIVE):
		return s.record(StateStopped, nil)
	case err != nil:
		return s.fail(fmt.Errorf("supervisor: stopping %s: %w", s.cfg.Name, err))
	}
	s.event(Event{Kind: EventStopSent, State: windows.SERVICE_RUNNING})
	return s.awaitStopped(svcH)
}

func (s *Supervisor) awaitStopped(svcH *mgr.Service) error {
	if _, _, err := s.await(svcH, windows.SERVICE_STOPPED, nil); err != nil {
		return s.fail(err)
	}
	return s.record(StateStopped, nil)
}

// Run starts the service, waits until it runs, keeps it running until ctx
// is done, then stops it. A ctx done while the service starts stops it as
// soon as it can take the stop. It returns ErrStopped when the service
// stops by itself.
func (s *Supervisor) Run(ctx context.Context) error {
	if stopped, err := s.start(ctx.Done()); stopped || err != nil {
		return err
	}
	svcH, err := s.m.OpenService(s.cfg.Name)
	if err != nil {
		return s.fail(fmt.Errorf("supervisor: opening %s: %w", s.cfg.Name, err))
	}
	defer svcH.Close()
	st, cut, err := s.await(svcH, windows.SERVICE_STOPPED, ctx.Done())
	switch {
	case err != nil:
		return s.fail(err)
	case !cut:
		return s.fail(s.stoppedError(st))
	}
	return s.stop(svcH)
}

// stoppedError says that the service stopped, with its exit codes.
func (s *Supervisor) stoppedError(st windows.SERVICE_STATUS) error {
	return fmt.Errorf("supervisor: %s: %w (state %d, exit code %d, service-specific %d)",
		s.cfg.Name, ErrStopped, st.CurrentState, st.Win32ExitCode, st.ServiceSpecificExitCode)
}

// record writes the state to the registry, flushed.
func (s *Supervisor) record(state string, cause error) error {
	rec, _ := s.state.load()
	if err := s.state.save(state, rec.Starts, cause); err != nil {
		return err
	}
	s.event(Event{Kind: EventRecorded, Recorded: state})
	return nil
}

// fail records the failure and returns err (or the recording's error).
func (s *Supervisor) fail(err error) error {
	if rerr := s.record(StateFailed, err); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

func (s *Supervisor) event(e Event) {
	if s.cfg.OnEvent != nil {
		s.cfg.OnEvent(e)
	}
}
