package scenario

import (
	"fmt"
	"slices"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// fakeSCM is a deliberately small backend.SCM for the runner's tests: services
// move between STOPPED and RUNNING at once, notifications for the current
// state are queued at registration, and APCs run in alertable sleeps. It is
// not a model of anything; it only lets each runner path be reached.
type fakeSCM struct {
	profile string

	now      sim.Time
	threads  []string
	exited   map[string]bool
	next     sim.Handle
	objects  map[sim.Handle]any
	services map[string]*fakeService
	apcs     map[string][]func()
	trace    []sim.TraceEvent
	viols    []sim.Violation
	faults   map[string]sim.Errno
	closed   bool
}

type fakeService struct {
	name    string
	state   win32.ServiceState
	deleted bool
	regs    []fakeReg
}

type fakeReg struct {
	thread string
	mask   win32.ServiceNotifyMask
	buf    *win32.SERVICE_NOTIFY
}

type fakeEvent struct{ signaled, manual bool }

func newFake(profile string) *fakeSCM {
	f := &fakeSCM{
		profile:  profile,
		exited:   map[string]bool{},
		next:     4,
		objects:  map[sim.Handle]any{},
		services: map[string]*fakeService{},
		apcs:     map[string][]func(){},
		faults:   map[string]sim.Errno{},
	}
	return f
}

func (f *fakeSCM) tracef(thread, format string, args ...any) {
	f.trace = append(f.trace, sim.TraceEvent{At: f.now, Thread: thread, Kind: sim.EvCall, Text: fmt.Sprintf(format, args...)})
}

func (f *fakeSCM) insert(o any) sim.Handle {
	h := f.next
	f.next += 4
	f.objects[h] = o
	return h
}

func (f *fakeSCM) Name() string    { return "fake" }
func (f *fakeSCM) Profile() string { return f.profile }
func (f *fakeSCM) Now() sim.Time   { return f.now }

func (f *fakeSCM) NewThread(name string) error {
	if slices.Contains(f.threads, name) {
		return fmt.Errorf("thread %s exists", name)
	}
	f.threads = append(f.threads, name)
	return nil
}

func (f *fakeSCM) ExitThread(name string) error {
	if !slices.Contains(f.threads, name) {
		return fmt.Errorf("no thread %s", name)
	}
	f.exited[name] = true
	delete(f.apcs, name)
	return nil
}

// ReturnFromRoutine implements backend.CallerContextSetter: the fake has no
// DDI rules to check.
func (f *fakeSCM) ReturnFromRoutine(string) error { return nil }

// scmOnly hides the fake's optional interfaces: a backend that is an SCM and
// nothing else, like a real system without a service side.
type scmOnly struct{ backend.SCM }

// traceOnly is a fake whose only optional interface is Tracer.
type traceOnly struct {
	backend.SCM
	backend.Tracer
}

func (f *fakeSCM) SetCallerContext(thread string, ctx sim.CallerContext) error {
	f.tracef(thread, "context irql=%s", ctx.IRQL)
	return nil
}

func (f *fakeSCM) runAPCs(thread string) bool {
	ran := false
	for len(f.apcs[thread]) > 0 {
		a := f.apcs[thread][0]
		f.apcs[thread] = f.apcs[thread][1:]
		a()
		ran = true
	}
	return ran
}

func (f *fakeSCM) SleepEx(thread string, ms uint32, alertable bool) (sim.WaitResult, error) {
	f.tracef(thread, "SleepEx(%d, %v)", ms, alertable)
	if alertable && f.runAPCs(thread) {
		return sim.WAIT_IO_COMPLETION, nil
	}
	if ms == sim.INFINITE {
		return sim.WAIT_FAILED, &sim.DeadlockError{Thread: thread, At: f.now, Wait: "SleepEx"}
	}
	f.now = f.now.Add(time.Duration(ms) * time.Millisecond)
	return 0, nil
}

func (f *fakeSCM) CreateEvent(thread string, manual, initial bool) (sim.Handle, sim.Errno) {
	return f.insert(&fakeEvent{signaled: initial, manual: manual}), sim.ERROR_SUCCESS
}

func (f *fakeSCM) event(h sim.Handle) *fakeEvent {
	e, _ := f.objects[h].(*fakeEvent)
	return e
}

func (f *fakeSCM) SetEvent(thread string, h sim.Handle) sim.Errno {
	e := f.event(h)
	if e == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	e.signaled = true
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) ResetEvent(thread string, h sim.Handle) sim.Errno {
	e := f.event(h)
	if e == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	e.signaled = false
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) CloseHandle(thread string, h sim.Handle) sim.Errno {
	if f.event(h) == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	delete(f.objects, h)
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) WaitForSingleObjectEx(thread string, h sim.Handle, ms uint32, alertable bool) (sim.WaitResult, error) {
	return f.WaitForMultipleObjectsEx(thread, []sim.Handle{h}, false, ms, alertable)
}

func (f *fakeSCM) WaitForMultipleObjectsEx(thread string, hs []sim.Handle, waitAll bool, ms uint32, alertable bool) (sim.WaitResult, error) {
	if alertable && f.runAPCs(thread) {
		return sim.WAIT_IO_COMPLETION, nil
	}
	for i, h := range hs {
		e := f.event(h)
		if e == nil {
			return sim.WAIT_FAILED, sim.ERROR_INVALID_HANDLE
		}
		if e.signaled {
			if !e.manual {
				e.signaled = false
			}
			return sim.WAIT_OBJECT_0 + sim.WaitResult(i), nil
		}
	}
	if ms == sim.INFINITE {
		return sim.WAIT_FAILED, &sim.DeadlockError{Thread: thread, At: f.now, Wait: "WaitForMultipleObjectsEx"}
	}
	f.now = f.now.Add(time.Duration(ms) * time.Millisecond)
	return sim.WAIT_TIMEOUT, nil
}

func (f *fakeSCM) Advance(d time.Duration) error {
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeSCM) InjectFault(api string, code sim.Code, count int) error {
	f.faults[api] = sim.Errno(code.Value)
	return nil
}

func (f *fakeSCM) Violations() []sim.Violation { return slices.Clone(f.viols) }
func (f *fakeSCM) Trace() []sim.TraceEvent     { return slices.Clone(f.trace) }
func (f *fakeSCM) Close() error                { f.closed = true; return nil }
func (f *fakeSCM) violate(thread, id, d string) {
	f.viols = append(f.viols, sim.Violation{At: f.now, Thread: thread, Rule: sim.Rule{ID: id, Source: "fake"}, Detail: d})
}

func (f *fakeSCM) OpenSCManager(thread string, machine, database *string, access uint32) (sim.Handle, sim.Errno) {
	f.tracef(thread, "OpenSCManager")
	if machine != nil && *machine != "" {
		return 0, sim.RPC_S_SERVER_UNAVAILABLE
	}
	return f.insert("scm"), sim.ERROR_SUCCESS
}

func (f *fakeSCM) CreateService(thread string, h sim.Handle, p win32.CreateServiceParams) (sim.Handle, sim.Errno) {
	if f.objects[h] != "scm" {
		return 0, sim.ERROR_INVALID_HANDLE
	}
	if p.Name == nil {
		return 0, sim.ERROR_INVALID_ADDRESS
	}
	if f.services[*p.Name] != nil {
		return 0, sim.ERROR_SERVICE_EXISTS
	}
	svc := &fakeService{name: *p.Name, state: win32.SERVICE_STOPPED}
	f.services[*p.Name] = svc
	return f.insert(svc), sim.ERROR_SUCCESS
}

func (f *fakeSCM) OpenService(thread string, h sim.Handle, name *string, access uint32) (sim.Handle, sim.Errno) {
	if f.objects[h] != "scm" {
		return 0, sim.ERROR_INVALID_HANDLE
	}
	if name == nil || f.services[*name] == nil {
		return 0, sim.ERROR_SERVICE_DOES_NOT_EXIST
	}
	return f.insert(f.services[*name]), sim.ERROR_SUCCESS
}

func (f *fakeSCM) service(h sim.Handle) *fakeService {
	s, _ := f.objects[h].(*fakeService)
	return s
}

func (f *fakeSCM) CloseServiceHandle(thread string, h sim.Handle) sim.Errno {
	if h == 0 {
		f.violate(thread, "fake.close-null", "CloseServiceHandle(NULL)")
	}
	if _, ok := f.objects[h]; !ok {
		return sim.ERROR_INVALID_HANDLE
	}
	delete(f.objects, h)
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) DeleteService(thread string, h sim.Handle) sim.Errno {
	s := f.service(h)
	if s == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	if s.deleted {
		return sim.ERROR_SERVICE_MARKED_FOR_DELETE
	}
	s.deleted = true
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) setState(s *fakeService, state win32.ServiceState) {
	s.state = state
	regs := s.regs
	s.regs = nil
	for _, r := range regs {
		if r.mask&win32.NotifyBit(state) != 0 {
			f.queue(r, s)
		} else {
			s.regs = append(s.regs, r)
		}
	}
}

func (f *fakeSCM) queue(r fakeReg, s *fakeService) {
	buf := r.buf
	buf.NotificationStatus = sim.ERROR_SUCCESS
	buf.NotificationTriggered = win32.NotifyBit(s.state)
	buf.ServiceStatus = win32.SERVICE_STATUS_PROCESS{ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, CurrentState: s.state}
	f.apcs[r.thread] = append(f.apcs[r.thread], func() { buf.NotifyCallback(buf) })
}

func (f *fakeSCM) StartService(thread string, h sim.Handle, args []string) sim.Errno {
	if e, ok := f.faults["StartService"]; ok {
		delete(f.faults, "StartService")
		return e
	}
	s := f.service(h)
	if s == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	if s.state == win32.SERVICE_RUNNING {
		return sim.ERROR_SERVICE_ALREADY_RUNNING
	}
	f.setState(s, win32.SERVICE_RUNNING)
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) ControlService(thread string, h sim.Handle, control win32.ServiceControl, status *win32.SERVICE_STATUS) sim.Errno {
	s := f.service(h)
	if s == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	if s.state != win32.SERVICE_RUNNING {
		return sim.ERROR_SERVICE_NOT_ACTIVE
	}
	if control == win32.SERVICE_CONTROL_STOP {
		f.setState(s, win32.SERVICE_STOPPED)
	}
	*status = win32.SERVICE_STATUS{ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, CurrentState: s.state}
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) QueryServiceStatus(thread string, h sim.Handle, status *win32.SERVICE_STATUS) sim.Errno {
	s := f.service(h)
	if s == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	*status = win32.SERVICE_STATUS{ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, CurrentState: s.state}
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) QueryServiceStatusEx(thread string, h sim.Handle, level uint32, status *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno {
	s := f.service(h)
	if s == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	if level != 0 {
		return sim.ERROR_INVALID_LEVEL
	}
	*status = win32.SERVICE_STATUS_PROCESS{ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, CurrentState: s.state}
	if s.state == win32.SERVICE_RUNNING {
		status.ProcessId = 42
	}
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) NotifyServiceStatusChange(thread string, h sim.Handle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno {
	return f.notify(thread, h, mask, buf)
}

func (f *fakeSCM) notify(thread string, h sim.Handle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno {
	s := f.service(h)
	if s == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	if buf == nil {
		return sim.ERROR_INVALID_PARAMETER
	}
	if buf.Version != win32.SERVICE_NOTIFY_STATUS_CHANGE {
		return sim.ERROR_INVALID_LEVEL
	}
	r := fakeReg{thread: thread, mask: mask, buf: buf}
	if mask&win32.NotifyBit(s.state) != 0 {
		f.queue(r, s)
	} else {
		s.regs = append(s.regs, r)
	}
	return sim.ERROR_SUCCESS
}

func (f *fakeSCM) ReportStatus(service string, status win32.SERVICE_STATUS) (sim.Errno, error) {
	s := f.services[service]
	if s == nil {
		return 0, fmt.Errorf("no service %s", service)
	}
	f.setState(s, status.CurrentState)
	return sim.ERROR_SUCCESS, nil
}

func (f *fakeSCM) SetProgram(service string, p win32.Program) error {
	if f.services[service] == nil {
		return fmt.Errorf("no service %s", service)
	}
	return nil
}

// The configuration calls: the fake has no configuration, and answers
// ERROR_CALL_NOT_IMPLEMENTED for a service handle it knows.

func (f *fakeSCM) configCall(h sim.Handle) sim.Errno {
	if f.service(h) == nil {
		return sim.ERROR_INVALID_HANDLE
	}
	return sim.ERROR_CALL_NOT_IMPLEMENTED
}

func (f *fakeSCM) QueryServiceConfig(_ string, h sim.Handle, _ *win32.QUERY_SERVICE_CONFIG, _ uint32, _ *uint32) sim.Errno {
	return f.configCall(h)
}

func (f *fakeSCM) ChangeServiceConfig(_ string, h sim.Handle, _ win32.ChangeServiceConfigParams) sim.Errno {
	return f.configCall(h)
}

func (f *fakeSCM) QueryServiceConfig2(_ string, h sim.Handle, _ uint32, _ *win32.ServiceConfigInfo, _ uint32, _ *uint32) sim.Errno {
	return f.configCall(h)
}

func (f *fakeSCM) ChangeServiceConfig2(_ string, h sim.Handle, _ uint32, _ *win32.ServiceConfigInfo) sim.Errno {
	return f.configCall(h)
}

func (f *fakeSCM) EnumServicesStatusEx(string, sim.Handle, win32.EnumServicesParams, *[]win32.ENUM_SERVICE_STATUS_PROCESS, uint32, *uint32, *uint32) sim.Errno {
	return sim.ERROR_CALL_NOT_IMPLEMENTED
}
