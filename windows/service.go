package windows

import (
	"fmt"
	"unsafe"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows/internal/twinfam"
	"github.com/winsim/winsim/windows/internal/twinrt"
	"github.com/winsim/winsim/windows/internal/twinsvc"
)

// OpenSCManager opens the services database of the simulated machine
// (OpenSCManagerW). machineName nil, empty or "." is the local machine;
// any other name gives RPC_S_SERVER_UNAVAILABLE (rule
// scm.openscm.remote-machine). databaseName nil or "ServicesActive" is the
// database; "ServicesFailed" gives ERROR_DATABASE_DOES_NOT_EXIST, other
// names ERROR_INVALID_NAME.
func OpenSCManager(machineName *uint16, databaseName *uint16, access uint32) (handle Handle, err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	machine, db := utf16PtrString(machineName), utf16PtrString(databaseName)
	b.Call(func(th *twinrt.Thread) {
		h, code := mg.OpenSCManager(th.T, machine, db, access)
		handle, err = Handle(h), lastErr(th, code)
	})
	return handle, err
}

// CloseServiceHandle closes an SCM or service handle; its outstanding
// notification requests are cancelled (rule scm.notify.cancel-on-close).
func CloseServiceHandle(handle Handle) (err error) {
	b := twinrt.Current()
	mg, sv := twinfam.SCM(b), twinsvc.Of(b)
	b.Call(func(th *twinrt.Thread) {
		code := mg.CloseServiceHandle(th.T, sim.Handle(handle))
		if code == sim.ERROR_SUCCESS {
			sv.Closed(th.T, sim.Handle(handle))
		}
		err = lastErr(th, code)
	})
	return err
}

// CreateService adds a service to the database and opens a handle to it
// (CreateServiceW). pathName is the service's command line: a test names
// the Go program its executable runs with winsimtest. dependencies is a
// list of NUL-terminated names ending with an empty one, or nil. The load
// order group, account and password are stored (the model has no
// accounts: the password is not kept). A tag (tagId not nil) is not
// modeled: it is refused with an error matching errors.ErrUnsupported, and
// nothing is created.
func CreateService(mgr Handle, serviceName *uint16, displayName *uint16, access uint32, srvType uint32, startType uint32, errCtl uint32, pathName *uint16, loadOrderGroup *uint16, tagId *uint32, dependencies *uint16, serviceStartName *uint16, password *uint16) (handle Handle, err error) {
	if tagId != nil {
		return 0, &unmodeledError{"CreateService", "a tag (lpdwTagId not NULL)", ruleServiceAccounts}
	}
	b := twinrt.Current()
	mg, sv := twinfam.SCM(b), twinsvc.Of(b)
	p := win32.CreateServiceParams{
		Name: utf16PtrString(serviceName), DisplayName: utf16PtrString(displayName),
		DesiredAccess: access, ServiceType: win32.ServiceType(srvType),
		StartType: win32.ServiceStartType(startType), ErrorControl: win32.ServiceErrorControl(errCtl),
		BinaryPath: utf16PtrString(pathName), Dependencies: multiString(dependencies),
		LoadOrderGroup: utf16PtrString(loadOrderGroup), ServiceStartName: utf16PtrString(serviceStartName),
		Password: utf16PtrString(password),
	}
	b.Call(func(th *twinrt.Thread) {
		h, code := mg.CreateService(th.T, sim.Handle(mgr), p)
		if code == sim.ERROR_SUCCESS {
			sv.Created(th.T, h, *p.Name, *p.BinaryPath)
		}
		handle, err = Handle(h), lastErr(th, code)
	})
	return handle, err
}

// ruleServiceAccounts is the rule a tag is refused under: none yet in the
// SCM's catalog, whose model has no load ordering.
const ruleServiceAccounts = ""

// OpenService opens a handle to a service by its key name (OpenServiceW).
func OpenService(mgr Handle, serviceName *uint16, access uint32) (handle Handle, err error) {
	b := twinrt.Current()
	mg, sv := twinfam.SCM(b), twinsvc.Of(b)
	name := utf16PtrString(serviceName)
	b.Call(func(th *twinrt.Thread) {
		h, code := mg.OpenService(th.T, sim.Handle(mgr), name, access)
		if code == sim.ERROR_SUCCESS {
			sv.Opened(th.T, h, *name)
		}
		handle, err = Handle(h), lastErr(th, code)
	})
	return handle, err
}

// DeleteService marks a service for delete; it goes once it is stopped
// and every handle to it is closed.
func DeleteService(service Handle) (err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	b.Call(func(th *twinrt.Thread) { err = lastErr(th, mg.DeleteService(th.T, sim.Handle(service))) })
	return err
}

// StartService starts a stopped service (StartServiceW): the model moves it
// to SERVICE_START_PENDING, and the Go program a test gave its executable
// (winsimtest's SetServiceProgram) starts in a goroutine that is the
// service process's ServiceMain thread. StartService returns once that
// program has connected its dispatcher (svc.Run) or has returned; one that
// does neither keeps StartService waiting (Windows gives up after 30 s
// with ERROR_SERVICE_REQUEST_TIMEOUT, rule scm.start.no-dispatcher, which
// the twin does not reach: the model has started the service by then). A
// service whose executable has no program fails with ERROR_FILE_NOT_FOUND,
// as a missing image does (rule scm.start.image-error). argVectors holds
// numArgs NUL-terminated strings, which Execute gets after the service's
// name.
func StartService(service Handle, numArgs uint32, argVectors **uint16) (err error) {
	var args []string
	if numArgs > 0 && argVectors != nil {
		for _, p := range unsafe.Slice(argVectors, numArgs) {
			if s := utf16PtrString(p); s != nil {
				args = append(args, *s)
			} else {
				args = append(args, "")
			}
		}
	}
	b := twinrt.Current()
	mg, sv := twinfam.SCM(b), twinsvc.Of(b)
	var run *twinsvc.Run
	b.Call(func(th *twinrt.Thread) {
		name, known := sv.NameOf(th.T, sim.Handle(service))
		var prog twinsvc.Program
		var argv []string
		if known {
			prog, argv = sv.ProgramOf(name)
			image := win32.Program{}
			if prog == nil {
				image.StartError = sim.ERROR_FILE_NOT_FOUND
			}
			if e := mg.SetProgram(name, image); e != nil {
				known = false // removed meanwhile: the model answers
			}
		}
		code := mg.StartService(th.T, sim.Handle(service), args)
		if err = lastErr(th, code); err != nil || !known || prog == nil {
			return
		}
		rt, _ := mg.Runtime(name)
		run = sv.Start(name, args, rt)
		b.Go(rt.ServiceMain, run, func() {
			defer run.Exited()
			prog(argv)
		})
	})
	if run != nil {
		run.WaitConnected()
	}
	return err
}

// ControlService sends a control to a service. The model checks it
// against the service's state, accepted controls and the handle's access;
// a control it accepts goes to the service's Go handler, as a
// svc.ChangeRequest on its Execute's channel, before ControlService
// returns. status is filled for success, ERROR_INVALID_SERVICE_CONTROL,
// ERROR_SERVICE_CANNOT_ACCEPT_CTRL and ERROR_SERVICE_NOT_ACTIVE with the
// status the service had when the control arrived. A dispatcher that does
// not take the control within 30 s of the model's clock (its handler has
// not read the previous request) gives ERROR_SERVICE_REQUEST_TIMEOUT
// (rule scm.control.request-timeout).
func ControlService(service Handle, control uint32, status *SERVICE_STATUS) (err error) {
	b := twinrt.Current()
	mg, sv := twinfam.SCM(b), twinsvc.Of(b)
	var (
		st  win32.SERVICE_STATUS
		run *twinsvc.Run
	)
	var stp *win32.SERVICE_STATUS
	if status != nil {
		stp = &st
	}
	b.Call(func(th *twinrt.Thread) {
		code := mg.ControlService(th.T, sim.Handle(service), win32.ServiceControl(control), stp)
		err = lastErr(th, code)
		if code == sim.ERROR_SUCCESS {
			if name, ok := sv.NameOf(th.T, sim.Handle(service)); ok {
				run = sv.Current(name)
			}
		}
	})
	if run != nil && !run.Deliver(control) {
		// The status is not filled for this error.
		b.Call(func(th *twinrt.Thread) { err = lastErr(th, sim.ERROR_SERVICE_REQUEST_TIMEOUT) })
		return err
	}
	if status != nil && (err == nil || filledOn(err)) {
		*status = fromModelStatus(st)
	}
	return err
}

// filledOn reports whether ControlService fills its status with err.
func filledOn(err error) bool {
	switch err {
	case ERROR_INVALID_SERVICE_CONTROL, ERROR_SERVICE_CANNOT_ACCEPT_CTRL, ERROR_SERVICE_NOT_ACTIVE:
		return true
	}
	return false
}

// SetServiceStatus is a service's status report through its status
// handle: svc.Run makes it for each Status its handler sends. service is
// the handle svc.StatusHandle returns, valid on the service's goroutines.
func SetServiceStatus(service Handle, serviceStatus *SERVICE_STATUS) (err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	var st *win32.SERVICE_STATUS
	if serviceStatus != nil {
		s := toModelStatus(*serviceStatus)
		st = &s
	}
	b.Call(func(th *twinrt.Thread) {
		err = lastErr(th, mg.SetServiceStatus(th.T, sim.Handle(service), st))
		if run, ok := th.Tag.(*twinsvc.Run); ok && err == nil && st != nil {
			run.Reported(serviceStatus.CurrentState, serviceStatus.ControlsAccepted)
		}
	})
	return err
}

// QueryServiceStatus fills status with the service's current status.
func QueryServiceStatus(service Handle, status *SERVICE_STATUS) (err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	var st win32.SERVICE_STATUS
	stp := &st
	if status == nil {
		stp = nil
	}
	b.Call(func(th *twinrt.Thread) { err = lastErr(th, mg.QueryServiceStatus(th.T, sim.Handle(service), stp)) })
	if err == nil {
		*status = fromModelStatus(st)
	}
	return err
}

// sizeofStatusProcess is the size of SERVICE_STATUS_PROCESS, the buffer
// QueryServiceStatusEx fills.
const sizeofStatusProcess = uint32(unsafe.Sizeof(SERVICE_STATUS_PROCESS{}))

// QueryServiceStatusEx fills buff, of buffSize bytes, with the service's
// SERVICE_STATUS_PROCESS at level SC_STATUS_PROCESS_INFO, and sets
// *bytesNeeded to its size. A nil buff with buffSize 0 gives
// ERROR_INSUFFICIENT_BUFFER and a nil bytesNeeded ERROR_INVALID_ADDRESS
// (rule scm.query.null-buffer); a buffer shorter than the structure, or a
// nil one with a size, is not modeled and is refused with an error
// matching errors.ErrUnsupported.
func QueryServiceStatusEx(service Handle, infoLevel uint32, buff *byte, buffSize uint32, bytesNeeded *uint32) (err error) {
	switch {
	case buff != nil && buffSize < sizeofStatusProcess:
		return &unmodeledError{"QueryServiceStatusEx", fmt.Sprintf("a buffer of %d bytes, shorter than SERVICE_STATUS_PROCESS", buffSize), ruleStatusBuffer}
	case buff == nil && buffSize != 0:
		return &unmodeledError{"QueryServiceStatusEx", "a NULL buffer with a nonzero size", ruleStatusBuffer}
	}
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	var st win32.SERVICE_STATUS_PROCESS
	stp := &st
	if buff == nil {
		stp = nil
	}
	b.Call(func(th *twinrt.Thread) {
		err = lastErr(th, mg.QueryServiceStatusEx(th.T, sim.Handle(service), infoLevel, stp, bytesNeeded == nil))
	})
	if err == ERROR_INSUFFICIENT_BUFFER && bytesNeeded != nil {
		*bytesNeeded = sizeofStatusProcess
	}
	if err == nil {
		*(*SERVICE_STATUS_PROCESS)(unsafe.Pointer(buff)) = fromModelStatusProcess(st)
		*bytesNeeded = sizeofStatusProcess
	}
	return err
}

// ruleStatusBuffer is the rule a QueryServiceStatusEx buffer the model
// does not take is refused under: none yet in the SCM's catalog, whose
// model fills a whole structure or none.
const ruleStatusBuffer = ""

// lastErr makes a model call's code the calling thread's last error and
// the error returned, nil for ERROR_SUCCESS.
func lastErr(th *twinrt.Thread, code sim.Errno) error {
	if code == sim.ERROR_SUCCESS {
		return nil
	}
	th.SetLastError(uint32(code))
	return Errno(code)
}

// multiString reads a list of NUL-terminated UTF-16 strings ending with
// an empty one; nil for nil.
func multiString(p *uint16) []string {
	var out []string
	for p != nil && *p != 0 {
		s := utf16PtrString(p)
		out = append(out, *s)
		n := len(win32.EncodeWTF16(*s)) + 1
		p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2*n))
	}
	return out
}

func fromModelStatus(s win32.SERVICE_STATUS) SERVICE_STATUS {
	return SERVICE_STATUS{uint32(s.ServiceType), uint32(s.CurrentState), uint32(s.ControlsAccepted),
		s.Win32ExitCode, s.ServiceSpecificExitCode, s.CheckPoint, s.WaitHint}
}

func toModelStatus(s SERVICE_STATUS) win32.SERVICE_STATUS {
	return win32.SERVICE_STATUS{ServiceType: win32.ServiceType(s.ServiceType), CurrentState: win32.ServiceState(s.CurrentState),
		ControlsAccepted: win32.ServiceAccept(s.ControlsAccepted), Win32ExitCode: s.Win32ExitCode,
		ServiceSpecificExitCode: s.ServiceSpecificExitCode, CheckPoint: s.CheckPoint, WaitHint: s.WaitHint}
}

func fromModelStatusProcess(s win32.SERVICE_STATUS_PROCESS) SERVICE_STATUS_PROCESS {
	return SERVICE_STATUS_PROCESS{uint32(s.ServiceType), uint32(s.CurrentState), uint32(s.ControlsAccepted),
		s.Win32ExitCode, s.ServiceSpecificExitCode, s.CheckPoint, s.WaitHint, s.ProcessId, s.ServiceFlags}
}
