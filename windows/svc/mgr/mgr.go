// Package mgr is winsim's twin of golang.org/x/sys/windows/svc/mgr
// (v0.47.0): installing, starting, controlling, querying and removing
// services, on the SCM model. Its calls are the twins' of package windows
// (OpenSCManager, CreateService, OpenService, StartService, ControlService,
// QueryServiceStatusEx, DeleteService, CloseServiceHandle), made as x/sys's
// mgr makes them.
//
// # Covered
//
// Connect, ConnectRemote, Mgr with CreateService, OpenService and
// Disconnect, Service with Start, Control, Query, Delete and Close,
// Config, and the Start* and Error* constants.
//
// # Left out, and why
//
// The configuration calls are not modeled yet: Service.Config and
// UpdateConfig (QueryServiceConfig(2), ChangeServiceConfig(2)),
// Mgr.ListServices (EnumServicesStatusEx), Service.ListDependentServices
// (EnumDependentServices), the recovery actions (RecoveryAction, the
// NoAction/ComputerReboot/ServiceRestart/RunCommand constants,
// SetRecoveryActions and the other recovery methods, which are
// ChangeServiceConfig2 levels), and Mgr.LockStatus with LockStatus (the
// model has no database lock). Mgr.CreateService with a Config whose
// Description, SidType or DelayedAutoStart is set needs
// ChangeServiceConfig2: it is refused with an error matching
// errors.ErrUnsupported before the service is created; the other fields
// the model lacks (LoadOrderGroup, ServiceStartName, Password) are
// refused by package windows' CreateService the same way.
package mgr

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"unicode/utf16"

	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/internal/twinsvc"
)

// Mgr is a connection to the Service Control Manager: an SCM handle.
type Mgr struct {
	Handle windows.Handle
}

// Connect opens the local Service Control Manager with SC_MANAGER_ALL_ACCESS.
func Connect() (*Mgr, error) {
	return ConnectRemote("")
}

// ConnectRemote opens the Service Control Manager of the machine host
// ("" for the local one). The model is one machine: a host other than ""
// or "." gives RPC_S_SERVER_UNAVAILABLE (rule scm.openscm.remote-machine).
func ConnectRemote(host string) (*Mgr, error) {
	s, err := toPtr(host)
	if err != nil {
		return nil, err
	}
	h, err := windows.OpenSCManager(s, nil, windows.SC_MANAGER_ALL_ACCESS)
	if err != nil {
		return nil, err
	}
	return &Mgr{Handle: h}, nil
}

// Disconnect closes m's SCM handle.
func (m *Mgr) Disconnect() error {
	return windows.CloseServiceHandle(m.Handle)
}

// utf16PtrFromString is syscall.UTF16PtrFromString (Windows only): the
// NUL-terminated UTF-16 of s, converted as syscall converts (WTF-8), or
// syscall.EINVAL for a string holding a NUL.
func utf16PtrFromString(s string) (*uint16, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, syscall.EINVAL
	}
	u := append(win32.EncodeWTF16(s), 0)
	return &u[0], nil
}

// toPtr is x/sys's: nil for an empty string.
func toPtr(s string) (*uint16, error) {
	if len(s) == 0 {
		return nil, nil
	}
	return utf16PtrFromString(s)
}

// toStringBlock is x/sys's: the non-empty strings of ss, each
// NUL-terminated, then a NUL; nil when none.
func toStringBlock(ss []string) *uint16 {
	var b strings.Builder
	for _, s := range ss {
		if s != "" {
			b.WriteString(s)
			b.WriteByte(0)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	b.WriteByte(0)
	return &utf16.Encode([]rune(b.String()))[0]
}

// errUnmodeledConfig refuses a Config field whose call is not modeled.
func errUnmodeledConfig(field string) error {
	return fmt.Errorf("winsim/windows/svc/mgr: CreateService: Config.%s needs ChangeServiceConfig2, which is not modeled; the service was not created: %w", field, errors.ErrUnsupported)
}

// CreateService adds the service name, whose command line is exepath
// followed by args (each quoted as Windows parses it), with c's type,
// start type (StartManual when 0), error control, display name and
// dependencies, and opens it with SERVICE_ALL_ACCESS. On the model the
// executable runs the Go program a test gave exepath with winsimtest's
// SetServiceProgram; its command-line arguments are the program's, not
// Execute's (those come from Service.Start).
func (m *Mgr) CreateService(name, exepath string, c Config, args ...string) (*Service, error) {
	switch {
	case c.SidType != 0:
		return nil, errUnmodeledConfig("SidType")
	case c.Description != "":
		return nil, errUnmodeledConfig("Description")
	case c.DelayedAutoStart:
		return nil, errUnmodeledConfig("DelayedAutoStart")
	}
	if c.StartType == 0 {
		c.StartType = StartManual
	}
	if c.ServiceType == 0 {
		c.ServiceType = windows.SERVICE_WIN32_OWN_PROCESS
	}
	cmd := twinsvc.EscapeArg(exepath)
	for _, a := range args {
		cmd += " " + twinsvc.EscapeArg(a)
	}
	var ptrs [6]*uint16
	for i, s := range []string{name, c.DisplayName, cmd, c.LoadOrderGroup, c.ServiceStartName, c.Password} {
		p, err := toPtr(s)
		if err != nil {
			return nil, err
		}
		ptrs[i] = p
	}
	h, err := windows.CreateService(m.Handle, ptrs[0], ptrs[1], windows.SERVICE_ALL_ACCESS, c.ServiceType,
		c.StartType, c.ErrorControl, ptrs[2], ptrs[3], nil, toStringBlock(c.Dependencies), ptrs[4], ptrs[5])
	if err != nil {
		return nil, err
	}
	return &Service{Name: name, Handle: h}, nil
}

// OpenService opens the service name with SERVICE_ALL_ACCESS.
func (m *Mgr) OpenService(name string) (*Service, error) {
	p, err := utf16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	h, err := windows.OpenService(m.Handle, p, windows.SERVICE_ALL_ACCESS)
	if err != nil {
		return nil, err
	}
	return &Service{Name: name, Handle: h}, nil
}
