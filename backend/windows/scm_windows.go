package windows

import (
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The SCM calls run on the named thread, like every call: it matters for
// NotifyServiceStatusChange, whose callback is queued to the calling thread,
// and keeps the others honest (an SCM call may wait alertably and run that
// thread's callbacks).

// track records a handle the caller now holds.
func (b *Backend) track(h windows.Handle, service string) {
	if h != 0 {
		b.mu.Lock()
		b.open[h] = service
		b.issued[h] = true
		b.mu.Unlock()
	}
}

// wineAbortsNotify: under Wine 8.0, NotifyServiceStatusChange with a value
// that is neither NULL nor an SC_HANDLE the SCM client issued (a made-up
// value, an event handle) ends the calling process: the client code faults
// outside the RPC exception filter. Such a call yields no code at all, so
// the backend does not make it.
func (b *Backend) wineAbortsNotify(h sim.Handle) bool {
	if b.profile != "wine-8.0" || h == 0 {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.issued[windows.Handle(h)]
}

// wineSCMGuard: Wine 8.0's SCM client takes an SC_HANDLE for a pointer, so
// a value that is a kernel handle of the process (an event's, say) or a
// pseudo handle such as INVALID_HANDLE_VALUE makes any SCM call fault inside
// advapi32 and end the process (measured: OpenService on an event handle,
// CreateService on INVALID_HANDLE_VALUE). NULL, closed SC handles and the
// scenarios' BOGUS value fail cleanly and still go through (other made-up
// values may not: CloseServiceHandle(0x1234567) ended the process too).
// The backend declines the kernel and pseudo handles (backend.Refuser), and
// wineSCMGuard then reports true.
func (b *Backend) wineSCMGuard(call string, h sim.Handle) bool {
	if b.profile != "wine-8.0" || h == 0 {
		return false
	}
	v := windows.Handle(h)
	b.mu.Lock()
	issued := b.issued[v]
	b.mu.Unlock()
	if issued {
		return false
	}
	if int64(v) >= 0 && !liveInProcess(v) {
		return false
	}
	b.refuse(fmt.Errorf("%s(%s): the value is a kernel or pseudo handle, not an SC_HANDLE, and such a call ends the process under Wine 8.0 (measured): %w", call, h, backend.ErrUnsupported))
	return true
}

// OpenSCManager implements backend.SCM.
func (b *Backend) OpenSCManager(th string, machine, database *string, access uint32) (h sim.Handle, code sim.Errno) {
	b.worker(th).call(func() {
		mh, err := windows.OpenSCManager(utf16Ptr(machine), utf16Ptr(database), access)
		b.track(mh, "")
		h, code = sim.Handle(mh), errno(err)
	})
	return h, code
}

// CreateService implements backend.SCM. The service gets the backend's
// unique name for p.Name, and runs the test service: any binary path but
// "" (and NULL) stands for it, as it does for the model, which runs
// whatever it is given (programs choose how a start fails).
func (b *Backend) CreateService(th string, h sim.Handle, p win32.CreateServiceParams) (svc sim.Handle, code sim.Errno) {
	real := b.names.toRealPtr(p.Name)
	display := b.names.toRealPtr(p.DisplayName)
	binary := p.BinaryPath
	if binary != nil && *binary != "" && real != nil {
		cmd := b.serviceCommand(*real)
		binary = &cmd
	}
	if b.wineSCMGuard("CreateService", h) {
		return backend.DeclinedHandle, backend.DeclinedErrno
	}
	if p.Name != nil && len([]rune(*p.Name)) <= maxServiceName && len([]rune(*real)) > maxServiceName {
		b.refuse(fmt.Errorf("CreateService: the backend's name prefix %q would take this %d-character name past the 256-character limit: %w",
			b.names.prefix, len([]rune(*p.Name)), backend.ErrUnsupported))
		return backend.DeclinedHandle, backend.DeclinedErrno
	}
	var deps []string
	for _, d := range p.Dependencies {
		deps = append(deps, b.names.toReal(d))
	}
	b.worker(th).call(func() {
		sh, err := windows.CreateService(windows.Handle(h), utf16Ptr(real), utf16Ptr(display), p.DesiredAccess,
			uint32(p.ServiceType), uint32(p.StartType), uint32(p.ErrorControl), utf16Ptr(binary), utf16Ptr(b.names.toRealPtr(p.LoadOrderGroup)), nil, multiSZFrom(deps),
			utf16Ptr(p.ServiceStartName), utf16Ptr(p.Password))
		svc, code = sim.Handle(sh), errno(err)
		if err == nil {
			b.track(sh, *p.Name)
			b.createdService(*p.Name, *real)
			b.setScenarioBinary(svc, *p.BinaryPath)
		}
	})
	return svc, code
}

// maxServiceName is the longest service name CreateService takes, in
// characters (CreateServiceW, lpServiceName).
const maxServiceName = 256

// OpenService implements backend.SCM.
func (b *Backend) OpenService(th string, h sim.Handle, name *string, access uint32) (svc sim.Handle, code sim.Errno) {
	if b.wineSCMGuard("OpenService", h) {
		return backend.DeclinedHandle, backend.DeclinedErrno
	}
	real := b.names.toRealPtr(name)
	b.worker(th).call(func() {
		sh, err := windows.OpenService(windows.Handle(h), utf16Ptr(real), access)
		svc, code = sim.Handle(sh), errno(err)
		if err == nil {
			b.track(sh, *name)
		}
	})
	return svc, code
}

// CloseServiceHandle implements backend.SCM.
func (b *Backend) CloseServiceHandle(th string, h sim.Handle) (code sim.Errno) {
	if b.wineSCMGuard("CloseServiceHandle", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		code = errno(windows.CloseServiceHandle(windows.Handle(h)))
		if code == sim.ERROR_SUCCESS {
			b.mu.Lock()
			delete(b.open, windows.Handle(h))
			b.mu.Unlock()
		}
	})
	return code
}

// DeleteService implements backend.SCM.
func (b *Backend) DeleteService(th string, h sim.Handle) (code sim.Errno) {
	if b.wineSCMGuard("DeleteService", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(windows.DeleteService(windows.Handle(h))) })
	return code
}

// StartService implements backend.SCM. The test service's process connects
// back to the backend once it runs.
func (b *Backend) StartService(th string, h sim.Handle, args []string) (code sim.Errno) {
	if b.wineSCMGuard("StartService", h) {
		return backend.DeclinedErrno
	}
	b.mu.Lock()
	name, known := b.open[windows.Handle(h)]
	var s *service
	if known && name != "" {
		s = b.services[strings.ToLower(name)]
	}
	b.mu.Unlock()
	var argv []*uint16
	for _, a := range args {
		argv = append(argv, utf16Ptr(&a))
	}
	argv = append(argv, nil)
	b.worker(th).call(func() {
		code = errno(windows.StartService(windows.Handle(h), uint32(len(args)), &argv[0]))
	})
	if s != nil && code == sim.ERROR_SUCCESS {
		s.markStarted()
	}
	return code
}

// fromStatus converts x/sys's SERVICE_STATUS, whose fields are all uint32,
// to win32's, whose type, state and controls-accepted fields are typed.
func fromStatus(s windows.SERVICE_STATUS) win32.SERVICE_STATUS {
	return win32.SERVICE_STATUS{
		ServiceType:      win32.ServiceType(s.ServiceType),
		CurrentState:     win32.ServiceState(s.CurrentState),
		ControlsAccepted: win32.ServiceAccept(s.ControlsAccepted),
		Win32ExitCode:    s.Win32ExitCode, ServiceSpecificExitCode: s.ServiceSpecificExitCode,
		CheckPoint: s.CheckPoint, WaitHint: s.WaitHint,
	}
}

// ControlService implements backend.SCM.
func (b *Backend) ControlService(th string, h sim.Handle, control win32.ServiceControl, status *win32.SERVICE_STATUS) (code sim.Errno) {
	if b.wineSCMGuard("ControlService", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		var ss windows.SERVICE_STATUS
		if status != nil {
			ss = toStatus(*status)
		}
		code = errno(windows.ControlService(windows.Handle(h), uint32(control), &ss))
		if status != nil && (code == sim.ERROR_SUCCESS || plausible(ss)) {
			*status = fromStatus(ss)
		}
	})
	return code
}

// plausible reports whether a SERVICE_STATUS that came back with a failure
// was written by the SCM: its state is a service state and its type a
// service type. When it was not (Wine 8.0 returns the server's uninitialized
// reply for ERROR_INVALID_SERVICE_CONTROL), the caller's structure is left
// alone, as for the codes that never fill it.
func plausible(s windows.SERVICE_STATUS) bool {
	const types = windows.SERVICE_KERNEL_DRIVER | windows.SERVICE_FILE_SYSTEM_DRIVER | windows.SERVICE_WIN32_OWN_PROCESS | windows.SERVICE_WIN32_SHARE_PROCESS
	return s.CurrentState >= windows.SERVICE_STOPPED && s.CurrentState <= windows.SERVICE_PAUSED &&
		s.ServiceType&types != 0 && s.ServiceType&^(types|windows.SERVICE_INTERACTIVE_PROCESS) == 0
}

// toStatus is fromStatus's inverse.
func toStatus(s win32.SERVICE_STATUS) windows.SERVICE_STATUS {
	return windows.SERVICE_STATUS{
		ServiceType: uint32(s.ServiceType), CurrentState: uint32(s.CurrentState), ControlsAccepted: uint32(s.ControlsAccepted),
		Win32ExitCode: s.Win32ExitCode, ServiceSpecificExitCode: s.ServiceSpecificExitCode,
		CheckPoint: s.CheckPoint, WaitHint: s.WaitHint,
	}
}

// QueryServiceStatus implements backend.SCM.
func (b *Backend) QueryServiceStatus(th string, h sim.Handle, status *win32.SERVICE_STATUS) (code sim.Errno) {
	if b.wineSCMGuard("QueryServiceStatus", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		if status == nil {
			code = errno(windows.QueryServiceStatus(windows.Handle(h), nil))
			return
		}
		var ss windows.SERVICE_STATUS
		code = errno(windows.QueryServiceStatus(windows.Handle(h), &ss))
		*status = fromStatus(ss)
	})
	return code
}

// QueryServiceStatusEx implements backend.SCM.
func (b *Backend) QueryServiceStatusEx(th string, h sim.Handle, level uint32, status *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) (code sim.Errno) {
	if b.wineSCMGuard("QueryServiceStatusEx", h) {
		return backend.DeclinedErrno
	}
	if status == nil && nullNeeded && level == win32.SC_STATUS_PROCESS_INFO {
		b.refuse(fmt.Errorf("QueryServiceStatusEx(%s): a NULL buffer with a NULL pcbBytesNeeded writes the size needed through NULL: %w", h, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		var ss windows.SERVICE_STATUS_PROCESS
		var needed uint32
		pNeeded := &needed
		if nullNeeded {
			pNeeded = nil
		}
		if status == nil {
			// A nil status is a NULL buffer of size 0 (backend.SCM).
			code = errno(windows.QueryServiceStatusEx(windows.Handle(h), level, nil, 0, pNeeded))
			return
		}
		code = errno(windows.QueryServiceStatusEx(windows.Handle(h), level, (*byte)(unsafe.Pointer(&ss)), uint32(unsafe.Sizeof(ss)), pNeeded))
		*status = win32.SERVICE_STATUS_PROCESS{
			ServiceType:      win32.ServiceType(ss.ServiceType),
			CurrentState:     win32.ServiceState(ss.CurrentState),
			ControlsAccepted: win32.ServiceAccept(ss.ControlsAccepted),
			Win32ExitCode:    ss.Win32ExitCode, ServiceSpecificExitCode: ss.ServiceSpecificExitCode,
			CheckPoint: ss.CheckPoint, WaitHint: ss.WaitHint, ProcessId: ss.ProcessId, ServiceFlags: ss.ServiceFlags,
		}
	})
	return code
}

// NotifyServiceStatusChange implements backend.SCM. The caller's buffer
// stands for one real SERVICE_NOTIFY, pinned, whose callback is the
// process's one notification callback; when it runs, the caller's buffer is
// filled from the real one and the caller's NotifyCallback runs, on the
// registering thread, inside the real callback.
func (b *Backend) NotifyServiceStatusChange(th string, h sim.Handle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) (code sim.Errno) {
	if b.wineAbortsNotify(h) {
		b.refuse(fmt.Errorf("NotifyServiceStatusChange(%s) with a value the SCM never issued as an SC_HANDLE ends the process under Wine 8.0 (measured), returning no code: %w", h, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	if buf == nil && b.profile == "wine-8.0" {
		b.refuse(fmt.Errorf("NotifyServiceStatusChange with a NULL buffer is accepted under Wine 8.0 (measured), and the notification then ends the process: %w", backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	var mem *windows.SERVICE_NOTIFY
	if buf != nil {
		b.mu.Lock()
		nb := b.bufs[buf]
		if nb == nil {
			nb = newNotifyBuf(b, buf)
			b.bufs[buf] = nb
		}
		b.mu.Unlock()
		nb.mem.Version = buf.Version
		mem = nb.mem
	}
	b.worker(th).call(func() {
		code = errno(windows.NotifyServiceStatusChange(windows.Handle(h), uint32(mask), mem))
	})
	return code
}
