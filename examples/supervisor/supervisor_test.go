package supervisor_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/examples/supervisor"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/mgr"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/svc"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/windows"
)

// The cases below run the same way against the real x/sys (Windows, and
// Wine in CI: real time, the test binary as the service program) and
// against the twins (synctest bubbles on the models); the env_*_test.go
// files bind each.

// serviceFlag makes the program the cases' services run (the test binary
// on Windows, a function of this file on the models) the Worker's service
// program: "<program> -supervisor-example-service NAME".
const serviceFlag = "-supervisor-example-service"

// serviceMain is the main function of that program: with serviceFlag it
// runs the Worker under svc.Run and says so, else it returns false.
func serviceMain(args []string) (ran bool, err error) {
	if len(args) < 3 || args[1] != serviceFlag {
		return false, nil
	}
	return true, svc.Run(args[2], supervisor.Worker{})
}

// config is the configuration of a case's service: a name unique to the
// run, the env's program with serviceFlag, and startArgs for the Worker.
func (e *env) config(name string, startArgs ...string) supervisor.Config {
	name = e.prefix + name
	return supervisor.Config{Name: name, Program: e.program, ProgramArgs: []string{serviceFlag, name}, StartArgs: startArgs}
}

// events collects what a supervisor reports.
type events []supervisor.Event

func (es *events) add(e supervisor.Event) { *es = append(*es, e) }

// statuses returns the statuses a wait saw.
func (es events) statuses() []supervisor.Event {
	var out []supervisor.Event
	for _, e := range es {
		if e.Kind == supervisor.EventStatus {
			out = append(out, e)
		}
	}
	return out
}

func (es events) first(kind supervisor.EventKind) (supervisor.Event, bool) {
	for _, e := range es {
		if e.Kind == kind {
			return e, true
		}
	}
	return supervisor.Event{}, false
}

func (es events) last(kind supervisor.EventKind) supervisor.Event {
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Kind == kind {
			return es[i]
		}
	}
	return supervisor.Event{}
}

func (es events) String() string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString("\n\t" + e.String())
	}
	return b.String()
}

// open opens a supervisor on the case's service, installs the service, and
// uninstalls it when the test ends.
func open(t *testing.T, e *env, cfg supervisor.Config) *supervisor.Supervisor {
	t.Helper()
	s, err := supervisor.Open(cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, s.Uninstall())
		assert.NoError(t, s.Close())
	})
	require.NoError(t, s.Install())
	rec, err := s.State()
	require.NoError(t, err)
	require.Equal(t, supervisor.Record{State: supervisor.StateInstalled}, rec)
	return s
}

// finalState is the service's state as the SCM reports it now.
func finalState(t *testing.T, cfg supervisor.Config) uint32 {
	t.Helper()
	m, err := mgr.Connect()
	require.NoError(t, err)
	defer m.Disconnect()
	h, err := m.OpenService(cfg.Name)
	require.NoError(t, err)
	defer h.Close()
	var st windows.SERVICE_STATUS
	require.NoError(t, windows.QueryServiceStatus(h.Handle, &st))
	return st.CurrentState
}

// A service that takes 30 s to start, reporting progress every 100 ms: the
// supervisor waits the whole start, because the checkpoint keeps moving,
// though each wait hint is 5 s.
func TestSlowStart(t *testing.T) {
	runCase(t, func(t *testing.T, e *env) {
		var seen events
		cfg := e.config("slow", "-start-after", "30s", "-checkpoint-every", "100ms", "-wait-hint", "5s")
		cfg.OnEvent = seen.add
		s := open(t, e, cfg)

		require.NoError(t, s.Start(), "events:%v", seen)
		st := seen.statuses()
		require.GreaterOrEqual(t, len(st), 3, "events:%v", seen)
		assert.Equal(t, uint32(windows.SERVICE_START_PENDING), st[0].State)
		var checkPoint uint32
		for _, e := range st {
			if e.State == windows.SERVICE_RUNNING {
				break // read before its notification came
			}
			assert.Equal(t, uint32(windows.SERVICE_START_PENDING), e.State)
			assert.GreaterOrEqual(t, e.CheckPoint, checkPoint, "the checkpoint went back")
			checkPoint = e.CheckPoint
		}
		assert.Greater(t, checkPoint, uint32(1), "no progress seen")
		notified, ok := seen.first(supervisor.EventNotified)
		require.True(t, ok, "no notification; events:%v", seen)
		assert.Equal(t, uint32(windows.SERVICE_RUNNING), notified.State)
		assert.Equal(t, uint32(windows.SERVICE_RUNNING), finalState(t, cfg))
		rec, err := s.State()
		require.NoError(t, err)
		assert.Equal(t, supervisor.Record{State: supervisor.StateRunning, Starts: 1}, rec)

		require.NoError(t, s.Stop(), "events:%v", seen)
		assert.Equal(t, uint32(windows.SERVICE_STOPPED), finalState(t, cfg))
		rec, err = s.State()
		require.NoError(t, err)
		assert.Equal(t, supervisor.Record{State: supervisor.StateStopped, Starts: 1}, rec)
	})
}

// A service that never reports SERVICE_RUNNING and stops making progress:
// the supervisor gives up once a wait hint passes without progress, and
// records the failure.
func TestNeverRunning(t *testing.T) {
	runCase(t, func(t *testing.T, e *env) {
		var seen events
		cfg := e.config("hung", "-never-running", "-wait-hint", "2s", "-give-up-after", "6s")
		cfg.OnEvent = seen.add
		s := open(t, e, cfg)

		err := s.Start()
		require.ErrorIs(t, err, supervisor.ErrNoProgress, "events:%v", seen)
		assert.Contains(t, err.Error(), "SERVICE_START_PENDING at checkpoint 0")
		for _, e := range seen.statuses() {
			assert.Equal(t, uint32(windows.SERVICE_START_PENDING), e.State, "events:%v", seen)
		}
		rec, lerr := s.State()
		require.NoError(t, lerr)
		assert.Equal(t, supervisor.Record{State: supervisor.StateFailed, Starts: 1, LastError: err.Error()}, rec)
	})
}

// A stop requested (the signal, here the context) while the service
// starts: a service that does not accept STOP until it runs refuses it, so
// the supervisor waits until it runs and stops it then. Giving up at the
// refusal would leave the service running.
func TestStopWhileStartPending(t *testing.T) {
	runCase(t, func(t *testing.T, e *env) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var seen events
		cfg := e.config("stop-while-starting", "-start-after", "3s", "-checkpoint-every", "100ms", "-wait-hint", "5s")
		cfg.OnEvent = func(ev supervisor.Event) {
			seen.add(ev)
			if ev.Kind == supervisor.EventStatus && ev.State == windows.SERVICE_START_PENDING {
				cancel() // the signal arrives while the service starts
			}
		}
		s := open(t, e, cfg)

		require.NoError(t, s.Run(ctx), "events:%v", seen)
		t.Logf("events:%v", seen)
		deferred, ok := seen.first(supervisor.EventStopDeferred)
		require.True(t, ok, "the stop was not deferred; events:%v", seen)
		assert.Equal(t, uint32(windows.SERVICE_START_PENDING), deferred.State)
		assert.True(t, errors.Is(deferred.Err, windows.ERROR_INVALID_SERVICE_CONTROL) || errors.Is(deferred.Err, windows.ERROR_SERVICE_CANNOT_ACCEPT_CTRL),
			"refused with %v", deferred.Err)
		sent, ok := seen.first(supervisor.EventStopSent)
		require.True(t, ok, "no stop sent; events:%v", seen)
		assert.Equal(t, uint32(windows.SERVICE_RUNNING), sent.State)
		assert.Equal(t, uint32(windows.SERVICE_STOPPED), finalState(t, cfg))
		rec, err := s.State()
		require.NoError(t, err)
		assert.Equal(t, supervisor.Record{State: supervisor.StateStopped, Starts: 1}, rec)
	})
}

// Run keeps a service that started at once running until the signal, then
// stops it.
func TestRunUntilSignal(t *testing.T) {
	runCase(t, func(t *testing.T, e *env) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var seen events
		cfg := e.config("run")
		cfg.OnEvent = func(ev supervisor.Event) {
			seen.add(ev)
			if ev.Kind == supervisor.EventRecorded && ev.Recorded == supervisor.StateRunning {
				cancel()
			}
		}
		s := open(t, e, cfg)

		require.NoError(t, s.Run(ctx), "events:%v", seen)
		_, deferred := seen.first(supervisor.EventStopDeferred)
		assert.False(t, deferred, "events:%v", seen)
		assert.Equal(t, uint32(windows.SERVICE_STOPPED), finalState(t, cfg))
		rec, err := s.State()
		require.NoError(t, err)
		assert.Equal(t, supervisor.Record{State: supervisor.StateStopped, Starts: 1}, rec)
	})
}

// A service that stops by itself while it is supervised ends Run with
// ErrStopped and its exit codes (ERROR_SERVICE_SPECIFIC_ERROR, 1066, and
// the service's own), seen through the notification of SERVICE_STOPPED.
// Running for 3 s without a checkpoint is no stall: only a pending state
// has to make progress.
func TestServiceExits(t *testing.T) {
	runCase(t, func(t *testing.T, e *env) {
		var seen events
		cfg := e.config("exits", "-exit-after", "3s")
		cfg.OnEvent = seen.add
		s := open(t, e, cfg)

		err := s.Run(context.Background())
		require.ErrorIs(t, err, supervisor.ErrStopped, "events:%v", seen)
		assert.Contains(t, err.Error(), "exit code 1066, service-specific 3")
		notified := seen.last(supervisor.EventNotified)
		assert.Equal(t, uint32(windows.SERVICE_STOPPED), notified.State, "events:%v", seen)
		rec, lerr := s.State()
		require.NoError(t, lerr)
		assert.Equal(t, supervisor.Record{State: supervisor.StateFailed, Starts: 1, LastError: err.Error()}, rec)
	})
}
