// Package winsimtest selects the simulated machine behind winsim's x/sys
// twins (package github.com/winsim/winsim/windows) for a test, and controls
// it: profile and seed, virtual time, fault injection, contract violations,
// the trace, the registry's durability (power cuts, the lazy flusher), and
// the Go programs that services' executables run (SetServiceProgram).
//
// The twins are package-level functions, as x/sys's are, so they have no
// machine argument: they run on the one machine bound now. Use binds a new
// machine for the rest of a test and unbinds it when the test ends. Only
// one machine is bound at a time, so a test that uses the twins cannot run
// in parallel with another that does: Use marks the test with t.Setenv,
// and the testing package refuses t.Parallel in it (and Use in a parallel
// test) with its own message; a second Use while a machine is bound fails
// the test naming the test that holds it.
//
// Inside a testing/synctest bubble, call Use in the bubble: the machine's
// channels belong to the bubble they are made in, and the model's clock then
// follows the bubble's fake clock, so a 30-second timeout passes in no
// real time. Outside a bubble the twins' waits take real time.
//
// The package is not a twin: x/sys has no such package, and test control
// stays out of the twins' identifiers. Its name says whose tests it serves
// and keeps clear of a user's own simtest or wintest helpers.
package winsimtest

import (
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows/internal/twinfam"
	"github.com/winsim/winsim/windows/internal/twinrt"
	"github.com/winsim/winsim/windows/internal/twinsvc"
)

// Options configures the machine Use makes: Profile ("" for the default,
// "win7", "win8", "wine-8.0"), Seed and NoTrace.
type Options = sim.Options

// Machine is the bound machine, as a test controls it.
type Machine struct {
	rt *twinrt.Machine
}

// holder names the test whose machine is bound, under holderMu.
var (
	holderMu sync.Mutex
	holder   string
)

// envMark is the variable Use sets with t.Setenv, for the testing package
// to refuse parallel use.
const envMark = "WINSIM_TWIN_MACHINE"

// Use makes a machine with opts and binds it to the twins until t ends. It
// fails t for an unknown profile, and when another test's machine is
// bound. It panics, through testing, in a test that called t.Parallel.
func Use(t testing.TB, opts Options) *Machine {
	t.Helper()
	t.Setenv(envMark, t.Name())
	rt, err := twinrt.New(opts)
	if err != nil {
		t.Fatalf("winsimtest.Use: %v", err)
	}
	holderMu.Lock()
	defer holderMu.Unlock()
	if err := twinrt.Bind(rt); err != nil {
		t.Fatalf("winsimtest.Use: %v: test %s holds it until it ends (the twins are package-level, so one machine serves one test at a time)", err, holder)
	}
	holder = t.Name()
	t.Cleanup(func() {
		holderMu.Lock()
		defer holderMu.Unlock()
		twinrt.Unbind(rt)
		holder = ""
	})
	// Registered after the unbinding, so it runs before it: stopping a
	// service's program takes twin calls.
	t.Cleanup(func() { stopServices(t, rt) })
	return &Machine{rt: rt}
}

// SetServiceProgram makes main the program of the executable exe: a
// service whose command line (CreateService's binary path, mgr's exepath)
// names exe, compared without regard to case, runs main when it starts,
// in a goroutine that is the service process's ServiceMain thread. main
// stands for the executable's main function: it gets the command line
// split as the C runtime splits it, args[0] the executable, and calls
// svc.Run with the service's handler. A service whose executable has no
// program fails to start with ERROR_FILE_NOT_FOUND, as a missing image
// does. A nil main removes exe's program.
//
// When the test ends, every service program still running gets a
// SERVICE_CONTROL_STOP on its handler's channel, whatever it accepts (as
// a system shutting down stops it), and has StopGrace of the model's
// clock to return. One that does not fails the test with a message naming
// the service and the status it reported last; its process is then
// terminated: its handler's request channel is closed and a send on its
// status channel ends the handler's goroutine. Go cannot end a goroutine
// from outside: a handler that then neither returns (a range over its
// requests does) nor sends a status, blocked elsewhere or looping on the
// closed channel, keeps running, and the test reports that too before
// testing/synctest reports the blocked goroutine (a loop that never
// blocks hangs until go test's -timeout).
func (m *Machine) SetServiceProgram(exe string, main func(args []string)) {
	twinsvc.Of(m.rt).SetProgram(exe, main)
}

// StopGrace is how long a service program has to return after the
// SERVICE_CONTROL_STOP a test's end sends it: 20 seconds, the default
// that Windows gives services at shutdown before it ends their processes
// (WaitToKillServiceTimeout; a model choice of the test control).
const StopGrace = 20 * time.Second

// stopServices stops the service programs still running when t ends.
func stopServices(t testing.TB, rt *twinrt.Machine) {
	for _, run := range twinsvc.Of(rt).Runs() {
		if run.Finished() {
			continue
		}
		run.Deliver(uint32(win32.SERVICE_CONTROL_STOP))
		if run.WaitFinished(StopGrace) {
			continue
		}
		last := "nothing: it never called SetServiceStatus"
		if state, accepts, ok := run.LastReport(); ok {
			last = fmt.Sprintf("%s accepting %s", win32.FormatConst(win32.GroupState, state), acceptsString(accepts))
		}
		t.Errorf("winsimtest: service %q did not stop when the test ended: %v after SERVICE_CONTROL_STOP its program is still running; it last reported %s. Its process is terminated.", run.Name, StopGrace, last)
		close(run.Killed)
		if !run.WaitFinished(StopGrace) {
			t.Errorf("winsimtest: service %q: its program or handler goroutine is still running after its process was terminated (it is blocked or looping outside the twins' channels and calls); testing/synctest will report it", run.Name)
		}
	}
}

// acceptsString names the bits of a controls-accepted mask, "none" for 0.
func acceptsString(accepts uint32) string {
	if accepts == 0 {
		return "no controls"
	}
	return win32.ServiceAccept(accepts).String()
}

// Sim returns the model, for what this package does not wrap.
func (m *Machine) Sim() *sim.Machine { return m.rt.Sim() }

// Profile returns the name of the profile the machine runs under.
func (m *Machine) Profile() string { return m.rt.Sim().Profile().Name }

// Now returns the model's clock.
func (m *Machine) Now() sim.Time { return m.rt.Sim().Now() }

// Advance moves the model's clock d ahead of the time package's clock,
// firing the model's timers due by then: waits whose deadline it passes
// time out. In a synctest bubble, time.Sleep(d) moves both clocks instead.
func (m *Machine) Advance(d time.Duration) { m.rt.Advance(d) }

// InjectFault makes the next count calls of api (the Win32 name:
// "CryptAcquireContext") fail with code, where the model lets that call
// fail that way.
func (m *Machine) InjectFault(api string, code sim.Code, count int) {
	m.rt.Sim().InjectFault(api, code, count)
}

// Violations returns the contract violations the twins' calls made.
func (m *Machine) Violations() []sim.Violation { return m.rt.Sim().Violations() }

// Trace returns the model's trace. A blocking wait shows as its attempts:
// one zero-timeout wait each time the goroutine woke, the last one the
// wait's answer.
func (m *Machine) Trace() []sim.TraceEvent { return m.rt.Sim().Trace() }

// WriteTrace writes the trace, one event a line.
func (m *Machine) WriteTrace(w io.Writer) error { return m.rt.Sim().WriteTrace(w) }

// Registry returns the machine's registry model, the one behind package
// windows/registry, for what this package does not wrap (hive.Registry's
// Stats, LiveImage, LoadHive, CrashAt with another policy). Call its
// methods from the test's goroutine while no twin call runs.
func (m *Machine) Registry() *hive.Registry { return twinfam.Registry(m.rt) }

// PowerCut is a power loss now, between two calls: the model's clock is
// brought up to the time package's first (a lazy flush due by then has
// run), then every hive comes back as its last completed flush left it,
// and every key handle the program held is gone (its Keys give
// ERROR_INVALID_HANDLE). A flush's writes not yet behind a barrier are
// lost. Open keys again to read what survived.
func (m *Machine) PowerCut() {
	r := m.Registry()
	m.rt.Do(func() { r.Crash(win32.LoseUnbarriered) })
}

// PowerCutDuringFlush arms a power loss inside the next flush that writes
// anything, an explicit one (registry.RegFlushKey) or the lazy flusher's:
// the power fails just before its point-th write or barrier (from 1; a
// point past the last fails it once the flush is complete, before the
// call returns). The flushing call fails with ERROR_REGISTRY_IO_FAILED
// and each hive comes back as its previous flush or the new one, whole.
func (m *Machine) PowerCutDuringFlush(point int) error {
	r := m.Registry()
	var err error
	m.rt.Do(func() { err = r.CrashAt(point, win32.LoseUnbarriered) })
	return err
}

// SetLazyFlush sets the interval after which the lazy flusher writes a
// changed hive, overriding the profile's (5 s under win8); 0 turns it off,
// so that only explicit flushes make changes durable.
func (m *Machine) SetLazyFlush(interval time.Duration) error {
	r := m.Registry()
	var err error
	m.rt.Do(func() { err = r.SetLazyFlush(interval) })
	return err
}
