package mgr

import (
	"unsafe"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/svc"
)

// Service is an open service: its name and its service handle.
type Service struct {
	Name   string
	Handle windows.Handle
}

// Delete marks s for delete: the model removes it once it is stopped and
// every handle to it is closed.
func (s *Service) Delete() error {
	return windows.DeleteService(s.Handle)
}

// Close closes s's handle.
func (s *Service) Close() error {
	return windows.CloseServiceHandle(s.Handle)
}

// Start starts s; Execute gets its name followed by args.
func (s *Service) Start(args ...string) error {
	var p **uint16
	if len(args) > 0 {
		vs := make([]*uint16, len(args))
		for i, a := range args {
			ap, err := utf16PtrFromString(a)
			if err != nil {
				return err
			}
			vs[i] = ap
		}
		p = &vs[0]
	}
	return windows.StartService(s.Handle, uint32(len(args)), p)
}

// Control sends the control c to s and returns the state and accepted
// controls the service had, with the model's error if it refused the
// control. The status is zero unless the control succeeded or failed with
// ERROR_INVALID_SERVICE_CONTROL, ERROR_SERVICE_CANNOT_ACCEPT_CTRL or
// ERROR_SERVICE_NOT_ACTIVE.
func (s *Service) Control(c svc.Cmd) (svc.Status, error) {
	var t windows.SERVICE_STATUS
	err := windows.ControlService(s.Handle, uint32(c), &t)
	if err != nil &&
		err != windows.ERROR_INVALID_SERVICE_CONTROL &&
		err != windows.ERROR_SERVICE_CANNOT_ACCEPT_CTRL &&
		err != windows.ERROR_SERVICE_NOT_ACTIVE {
		return svc.Status{}, err
	}
	return svc.Status{
		State:   svc.State(t.CurrentState),
		Accepts: svc.Accepted(t.ControlsAccepted),
	}, err
}

// Query returns s's current state, accepted controls, process id and exit
// codes. As x/sys's, it leaves CheckPoint and WaitHint 0.
func (s *Service) Query() (svc.Status, error) {
	var t windows.SERVICE_STATUS_PROCESS
	var needed uint32
	err := windows.QueryServiceStatusEx(s.Handle, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&t)), uint32(unsafe.Sizeof(t)), &needed)
	if err != nil {
		return svc.Status{}, err
	}
	return svc.Status{
		State:                   svc.State(t.CurrentState),
		Accepts:                 svc.Accepted(t.ControlsAccepted),
		ProcessId:               t.ProcessId,
		Win32ExitCode:           t.Win32ExitCode,
		ServiceSpecificExitCode: t.ServiceSpecificExitCode,
	}, nil
}
