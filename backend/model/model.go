// Package model implements the backend interfaces over winsim's executable
// models: one sim.Machine per Backend, the client process with its named
// threads, and the family models on top.
package model

import (
	"fmt"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// Backend is a fresh simulated machine driven through the backend interfaces.
// It implements every family interface whose model file this package has
// (backend.SCM, backend.KSP, backend.CSP, backend.Registry) and the optional
// interfaces.
type Backend struct {
	m       *sim.Machine
	models  []any // one per registered family model (family.go), by modelKey
	client  *sim.Process
	threads map[string]*sim.Thread
	refused error // why the last declined call was declined
}

var (
	_ backend.Refuser = (*Backend)(nil)

	_ backend.VirtualClock        = (*Backend)(nil)
	_ backend.FaultInjector       = (*Backend)(nil)
	_ backend.ContractChecker     = (*Backend)(nil)
	_ backend.Tracer              = (*Backend)(nil)
	_ backend.TraceStopper        = (*Backend)(nil)
	_ backend.CallerContextSetter = (*Backend)(nil)
	_ backend.Durability          = (*Backend)(nil)
	_ backend.ProviderInstaller   = (*Backend)(nil)
)

// Refusal implements backend.Refuser: the model declines only the calls its
// profile says never return (NCryptNotifyChangeKey under wine-8.0).
func (b *Backend) Refusal() error {
	err := b.refused
	b.refused = nil
	return err
}

// New returns a backend over a new machine under the given profile ("" for
// the default) and seed.
func New(profile string, seed uint64) (*Backend, error) {
	return NewWithOptions(sim.Options{Profile: profile, Seed: seed})
}

// NewWithOptions returns a backend over a new machine made with opts (for
// example without a trace, for benchmarks).
func NewWithOptions(opts sim.Options) (*Backend, error) {
	m, err := sim.NewMachine(opts)
	if err != nil {
		return nil, err
	}
	return &Backend{
		m:       m,
		models:  newModels(m),
		client:  m.NewProcess("client.exe"),
		threads: map[string]*sim.Thread{},
	}, nil
}

// Machine returns the simulated machine, for callers that need more than the
// backend interface.
func (b *Backend) Machine() *sim.Machine { return b.m }

// Thread returns the simulated thread with the given name, or nil.
func (b *Backend) Thread(name string) *sim.Thread { return b.threads[name] }

// Name implements backend.Kernel.
func (b *Backend) Name() string { return "model" }

// Profile implements backend.Kernel.
func (b *Backend) Profile() string { return b.m.Profile().Name }

func (b *Backend) th(name string) *sim.Thread {
	t := b.threads[name]
	if t == nil {
		panic(fmt.Sprintf("model backend: no thread named %q (create it with NewThread first)", name))
	}
	return t
}

// NewThread implements backend.Kernel.
func (b *Backend) NewThread(name string) error {
	if _, dup := b.threads[name]; dup {
		return fmt.Errorf("thread %q already exists", name)
	}
	b.threads[name] = b.client.NewThread(name)
	return nil
}

// ExitThread implements backend.Kernel.
func (b *Backend) ExitThread(name string) error {
	t := b.threads[name]
	if t == nil {
		return fmt.Errorf("no thread named %q", name)
	}
	t.Exit()
	return nil
}

// SetCallerContext implements backend.CallerContextSetter.
func (b *Backend) SetCallerContext(name string, ctx sim.CallerContext) error {
	t := b.threads[name]
	if t == nil {
		return fmt.Errorf("no thread named %q", name)
	}
	t.SetContext(ctx)
	return nil
}

// SleepEx implements backend.Kernel.
func (b *Backend) SleepEx(th string, ms uint32, alertable bool) (sim.WaitResult, error) {
	return b.th(th).SleepEx(ms, alertable)
}

// CreateEvent implements backend.Kernel.
func (b *Backend) CreateEvent(th string, manualReset, initialState bool) (sim.Handle, sim.Errno) {
	return b.th(th).CreateEvent(manualReset, initialState), sim.ERROR_SUCCESS
}

// SetEvent implements backend.Kernel.
func (b *Backend) SetEvent(th string, h sim.Handle) sim.Errno { return b.th(th).SetEvent(h) }

// ResetEvent implements backend.Kernel.
func (b *Backend) ResetEvent(th string, h sim.Handle) sim.Errno { return b.th(th).ResetEvent(h) }

// CloseHandle implements backend.Kernel.
func (b *Backend) CloseHandle(th string, h sim.Handle) sim.Errno { return b.th(th).CloseHandle(h) }

// WaitForSingleObjectEx implements backend.Kernel.
func (b *Backend) WaitForSingleObjectEx(th string, h sim.Handle, ms uint32, alertable bool) (sim.WaitResult, error) {
	return b.th(th).WaitForSingleObjectEx(h, ms, alertable)
}

// WaitForMultipleObjectsEx implements backend.Kernel.
func (b *Backend) WaitForMultipleObjectsEx(th string, hs []sim.Handle, waitAll bool, ms uint32, alertable bool) (sim.WaitResult, error) {
	return b.th(th).WaitForMultipleObjectsEx(hs, waitAll, ms, alertable)
}

// Advance implements backend.VirtualClock.
func (b *Backend) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("cannot advance by a negative duration %s", d)
	}
	b.m.Advance(d)
	return nil
}

// InjectFault implements backend.FaultInjector.
func (b *Backend) InjectFault(api string, code sim.Code, count int) error {
	if count <= 0 {
		return fmt.Errorf("fault count must be positive, got %d", count)
	}
	b.m.InjectFault(api, code, count)
	return nil
}

// Violations implements backend.ContractChecker.
func (b *Backend) Violations() []sim.Violation { return b.m.Violations() }

// Trace implements backend.Tracer. When the machine's trace limit let
// events go, a note in front of the ones it kept says how many.
func (b *Backend) Trace() []sim.TraceEvent {
	tr := b.m.Trace()
	if n := b.m.TraceDropped(); n > 0 && len(tr) > 0 {
		note := sim.TraceEvent{At: tr[0].At, Kind: sim.EvNote, Text: fmt.Sprintf("%d earlier trace events not kept (the trace keeps the last %d)", n, len(tr))}
		tr = append([]sim.TraceEvent{note}, tr...)
	}
	return tr
}

// StopTrace implements backend.TraceStopper.
func (b *Backend) StopTrace() { b.m.StopTrace() }

// Close implements backend.Kernel. A model holds no outside resources.
func (b *Backend) Close() error { return nil }
