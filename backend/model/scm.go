package model

import (
	"fmt"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// scmModel is each machine's Service Control Manager.
var scmModel = registerModel("scm", scm.New)

var (
	_ backend.SCM         = (*Backend)(nil)
	_ backend.ServiceSide = (*Backend)(nil)
)

// SCM returns the Service Control Manager model.
func (b *Backend) SCM() *scm.Manager { return scmModel.of(b) }

// OpenSCManager implements backend.SCM.
func (b *Backend) OpenSCManager(th string, machine, database *string, access uint32) (sim.Handle, sim.Errno) {
	return b.SCM().OpenSCManager(b.th(th), machine, database, access)
}

// CreateService implements backend.SCM.
func (b *Backend) CreateService(th string, h sim.Handle, p win32.CreateServiceParams) (sim.Handle, sim.Errno) {
	return b.SCM().CreateService(b.th(th), h, p)
}

// OpenService implements backend.SCM.
func (b *Backend) OpenService(th string, h sim.Handle, name *string, access uint32) (sim.Handle, sim.Errno) {
	return b.SCM().OpenService(b.th(th), h, name, access)
}

// CloseServiceHandle implements backend.SCM.
func (b *Backend) CloseServiceHandle(th string, h sim.Handle) sim.Errno {
	return b.SCM().CloseServiceHandle(b.th(th), h)
}

// DeleteService implements backend.SCM.
func (b *Backend) DeleteService(th string, h sim.Handle) sim.Errno {
	return b.SCM().DeleteService(b.th(th), h)
}

// StartService implements backend.SCM.
func (b *Backend) StartService(th string, h sim.Handle, args []string) sim.Errno {
	return b.SCM().StartService(b.th(th), h, args)
}

// ControlService implements backend.SCM.
func (b *Backend) ControlService(th string, h sim.Handle, control win32.ServiceControl, status *win32.SERVICE_STATUS) sim.Errno {
	return b.SCM().ControlService(b.th(th), h, control, status)
}

// QueryServiceStatus implements backend.SCM.
func (b *Backend) QueryServiceStatus(th string, h sim.Handle, status *win32.SERVICE_STATUS) sim.Errno {
	return b.SCM().QueryServiceStatus(b.th(th), h, status)
}

// QueryServiceStatusEx implements backend.SCM. It declines a NULL buffer
// with a NULL pcbBytesNeeded at SC_STATUS_PROCESS_INFO, a call that faults
// on Windows, returning backend.DeclinedErrno.
func (b *Backend) QueryServiceStatusEx(th string, h sim.Handle, level uint32, status *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno {
	if status == nil && nullNeeded && level == win32.SC_STATUS_PROCESS_INFO {
		b.refused = fmt.Errorf("%w: QueryServiceStatusEx with a NULL buffer and a NULL pcbBytesNeeded writes the size needed through NULL", backend.ErrUnsupported)
		return backend.DeclinedErrno
	}
	return b.SCM().QueryServiceStatusEx(b.th(th), h, level, status, nullNeeded)
}

// NotifyServiceStatusChange implements backend.SCM.
func (b *Backend) NotifyServiceStatusChange(th string, h sim.Handle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno {
	return b.SCM().NotifyServiceStatusChange(b.th(th), h, mask, buf)
}

// ReportStatus implements backend.ServiceSide: the service's ServiceMain thread calls
// SetServiceStatus with its status handle.
func (b *Backend) ReportStatus(service string, status win32.SERVICE_STATUS) (sim.Errno, error) {
	rt, ok := b.SCM().Runtime(service)
	if !ok {
		return 0, fmt.Errorf("service %q has never been started, so it has no status handle to report through", service)
	}
	return b.SCM().SetServiceStatus(rt.ServiceMain, rt.StatusHandle, &status), nil
}

// SetProgram implements backend.ServiceSide.
func (b *Backend) SetProgram(service string, p win32.Program) error {
	return b.SCM().SetProgram(service, p)
}

// QueryServiceConfig implements backend.SCM. It declines a NULL
// pcbBytesNeeded and a NULL buffer of nonzero size, whose codes nothing
// recorded on Windows shows.
func (b *Backend) QueryServiceConfig(th string, h sim.Handle, out *win32.QUERY_SERVICE_CONFIG, size uint32, needed *uint32) sim.Errno {
	if needed == nil || (out == nil && size != 0) {
		b.refused = fmt.Errorf("%w: QueryServiceConfig with a NULL pcbBytesNeeded, or a NULL buffer of nonzero size: no code for it is known", backend.ErrUnsupported)
		return backend.DeclinedErrno
	}
	return b.SCM().QueryServiceConfig(b.th(th), h, out, size, needed)
}

// ChangeServiceConfig implements backend.SCM.
func (b *Backend) ChangeServiceConfig(th string, h sim.Handle, p win32.ChangeServiceConfigParams) sim.Errno {
	return b.SCM().ChangeServiceConfig(b.th(th), h, p)
}

// unmodeledLevel reports whether level is a configuration level Windows
// knows that the model does not keep (SERVICE_CONFIG_FAILURE_ACTIONS_FLAG
// and the later ones): the model declines those rather than answer
// ERROR_INVALID_LEVEL for them.
func (b *Backend) unmodeledLevel(call string, level uint32) bool {
	if level < win32.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG || level > win32.SERVICE_CONFIG_LAUNCH_PROTECTED {
		return false
	}
	b.refused = fmt.Errorf("%w: %s at level %d, which the model does not keep", backend.ErrUnsupported, call, level)
	return true
}

// QueryServiceConfig2 implements backend.SCM. It declines the levels the
// model does not keep.
func (b *Backend) QueryServiceConfig2(th string, h sim.Handle, level uint32, out *win32.ServiceConfigInfo, size uint32, needed *uint32) sim.Errno {
	if b.unmodeledLevel("QueryServiceConfig2", level) {
		return backend.DeclinedErrno
	}
	return b.SCM().QueryServiceConfig2(b.th(th), h, level, out, size, needed)
}

// ChangeServiceConfig2 implements backend.SCM. It declines the levels the
// model does not keep.
func (b *Backend) ChangeServiceConfig2(th string, h sim.Handle, level uint32, info *win32.ServiceConfigInfo) sim.Errno {
	if b.unmodeledLevel("ChangeServiceConfig2", level) {
		return backend.DeclinedErrno
	}
	return b.SCM().ChangeServiceConfig2(b.th(th), h, level, info)
}

// EnumServicesStatusEx implements backend.SCM. It declines a NULL buffer of
// nonzero size, whose code nothing recorded on Windows shows.
func (b *Backend) EnumServicesStatusEx(th string, h sim.Handle, p win32.EnumServicesParams, out *[]win32.ENUM_SERVICE_STATUS_PROCESS, size uint32, needed, returned *uint32) sim.Errno {
	if out == nil && size != 0 {
		b.refused = fmt.Errorf("%w: EnumServicesStatusEx with a NULL buffer of nonzero size: no code for it is known", backend.ErrUnsupported)
		return backend.DeclinedErrno
	}
	return b.SCM().EnumServicesStatusEx(b.th(th), h, p, out, size, needed, returned)
}
