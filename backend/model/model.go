// Package model implements the backend interfaces over winsim's executable
// models: one sim.Machine per Backend, the client process with its named
// threads, and the family models on top.
package model

import (
	"fmt"
	"github.com/winsim/winsim/win32"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/sim/scm"
)

// Backend is a fresh simulated machine driven through the backend interfaces.
// It implements backend.SCM.
type Backend struct {
	m       *sim.Machine
	scm     *scm.Manager
	ksp     *ksp.KSP
	csp     *ksp.CSP
	reg     *hive.Registry
	client  *sim.Process
	threads map[string]*sim.Thread
	refused error // why the last declined call was declined
}

var (
	_ backend.SCM     = (*Backend)(nil)
	_ backend.Refuser = (*Backend)(nil)

	_ backend.VirtualClock        = (*Backend)(nil)
	_ backend.FaultInjector       = (*Backend)(nil)
	_ backend.ContractChecker     = (*Backend)(nil)
	_ backend.Tracer              = (*Backend)(nil)
	_ backend.CallerContextSetter = (*Backend)(nil)
	_ backend.ServiceSide         = (*Backend)(nil)
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
		scm:     scm.New(m),
		ksp:     ksp.NewKSP(m),
		csp:     ksp.NewCSP(m),
		reg:     hive.MustNew(m, hive.Options{}),
		client:  m.NewProcess("client.exe"),
		threads: map[string]*sim.Thread{},
	}, nil
}

// Machine returns the simulated machine, for callers that need more than the
// backend interface.
func (b *Backend) Machine() *sim.Machine { return b.m }

// SCM returns the Service Control Manager model.
func (b *Backend) SCM() *scm.Manager { return b.scm }

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

// Trace implements backend.Tracer.
func (b *Backend) Trace() []sim.TraceEvent { return b.m.Trace() }

// Close implements backend.Kernel. A model holds no outside resources.
func (b *Backend) Close() error { return nil }

// OpenSCManager implements backend.SCM.
func (b *Backend) OpenSCManager(th string, machine, database *string, access uint32) (sim.Handle, sim.Errno) {
	return b.scm.OpenSCManager(b.th(th), machine, database, access)
}

// CreateService implements backend.SCM.
func (b *Backend) CreateService(th string, h sim.Handle, p win32.CreateServiceParams) (sim.Handle, sim.Errno) {
	return b.scm.CreateService(b.th(th), h, p)
}

// OpenService implements backend.SCM.
func (b *Backend) OpenService(th string, h sim.Handle, name *string, access uint32) (sim.Handle, sim.Errno) {
	return b.scm.OpenService(b.th(th), h, name, access)
}

// CloseServiceHandle implements backend.SCM.
func (b *Backend) CloseServiceHandle(th string, h sim.Handle) sim.Errno {
	return b.scm.CloseServiceHandle(b.th(th), h)
}

// DeleteService implements backend.SCM.
func (b *Backend) DeleteService(th string, h sim.Handle) sim.Errno {
	return b.scm.DeleteService(b.th(th), h)
}

// StartService implements backend.SCM.
func (b *Backend) StartService(th string, h sim.Handle, args []string) sim.Errno {
	return b.scm.StartService(b.th(th), h, args)
}

// ControlService implements backend.SCM.
func (b *Backend) ControlService(th string, h sim.Handle, control uint32, status *win32.SERVICE_STATUS) sim.Errno {
	return b.scm.ControlService(b.th(th), h, control, status)
}

// QueryServiceStatus implements backend.SCM.
func (b *Backend) QueryServiceStatus(th string, h sim.Handle, status *win32.SERVICE_STATUS) sim.Errno {
	return b.scm.QueryServiceStatus(b.th(th), h, status)
}

// QueryServiceStatusEx implements backend.SCM. It declines a NULL buffer
// with a NULL pcbBytesNeeded at SC_STATUS_PROCESS_INFO, a call that faults
// on Windows.
func (b *Backend) QueryServiceStatusEx(th string, h sim.Handle, level uint32, status *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno {
	if status == nil && nullNeeded && level == win32.SC_STATUS_PROCESS_INFO {
		b.refused = fmt.Errorf("%w: QueryServiceStatusEx with a NULL buffer and a NULL pcbBytesNeeded writes the size needed through NULL", backend.ErrUnsupported)
		return 0
	}
	return b.scm.QueryServiceStatusEx(b.th(th), h, level, status, nullNeeded)
}

// NotifyServiceStatusChange implements backend.SCM.
func (b *Backend) NotifyServiceStatusChange(th string, h sim.Handle, mask uint32, buf *win32.SERVICE_NOTIFY) sim.Errno {
	return b.scm.NotifyServiceStatusChange(b.th(th), h, mask, buf)
}

// ReportStatus implements backend.ServiceSide: the service's ServiceMain thread calls
// SetServiceStatus with its status handle.
func (b *Backend) ReportStatus(service string, status win32.SERVICE_STATUS) (sim.Errno, error) {
	rt, ok := b.scm.Runtime(service)
	if !ok {
		return 0, fmt.Errorf("service %q has never been started, so it has no status handle to report through", service)
	}
	return b.scm.SetServiceStatus(rt.ServiceMain, rt.StatusHandle, &status), nil
}

// SetProgram implements backend.ServiceSide.
func (b *Backend) SetProgram(service string, p win32.Program) error {
	return b.scm.SetProgram(service, p)
}

// catalog is built once from the families' declarations; it is immutable.
var catalog = func() *sim.Catalog {
	c, err := sim.NewCatalog(sim.KernelRules(), scm.Rules(), sim.ChangeRules(), ksp.Rules(), hive.Rules())
	if err != nil {
		panic(err)
	}
	return c
}()

// Catalog returns the behavior catalog of every modeled family.
func Catalog() *sim.Catalog { return catalog }

// Settings describes every family's profile settings, kernel first; each
// states the evidence of its win8 side.
func Settings() []sim.SettingInfo {
	var out []sim.SettingInfo
	out = append(out, sim.KernelSettings()...)
	out = append(out, scm.Settings()...)
	out = append(out, ksp.Settings()...)
	return append(out, hive.Settings()...)
}

// EvidenceCounts counts the settings of Settings by the class of their
// win8 evidence.
func EvidenceCounts() map[sim.EvidenceClass]int {
	out := map[sim.EvidenceClass]int{}
	for _, s := range Settings() {
		out[s.Evidence.Class]++
	}
	return out
}
