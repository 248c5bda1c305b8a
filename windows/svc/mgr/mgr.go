// Package mgr is winsim's twin of golang.org/x/sys/windows/svc/mgr
// (v0.47.0): installing, starting, controlling, querying and removing
// services, on the SCM model. Its calls are the twins' of package windows
// (OpenSCManager, CreateService, OpenService, StartService, ControlService,
// QueryServiceStatusEx, DeleteService, CloseServiceHandle), made as x/sys's
// mgr makes them.
//
// # Covered
//
// Connect, ConnectRemote, Mgr with CreateService, OpenService,
// ListServices and Disconnect, Service with Start, Control, Query, Config,
// UpdateConfig, Delete and Close, the recovery actions (RecoveryAction,
// NoAction, ComputerReboot, ServiceRestart, RunCommand, SetRecoveryActions,
// RecoveryActions, ResetRecoveryActions, ResetPeriod, SetRebootMessage,
// RebootMessage, SetRecoveryCommand, RecoveryCommand: stored and reported;
// the model never runs them), Config, and the Start* and Error* constants.
//
// # Left out, and why
//
// Service.ListDependentServices (EnumDependentServices is not modeled),
// SetRecoveryActionsOnNonCrashFailures and
// RecoveryActionsOnNonCrashFailures (level
// SERVICE_CONFIG_FAILURE_ACTIONS_FLAG is not modeled), and Mgr.LockStatus
// with LockStatus (the model has no database lock).
//
// # Differences a test can see
//
// A service's SID type (SERVICE_CONFIG_SERVICE_SID_INFO) is not modeled:
// CreateService and UpdateConfig refuse a Config whose SidType is not
// SERVICE_SID_TYPE_NONE, with an error matching errors.ErrUnsupported,
// before they change anything, and Config reports SERVICE_SID_TYPE_NONE
// without asking the SCM (x/sys's asks; no twin call can have set another
// type). UpdateConfig leaves the SID type alone where x/sys sets it to
// SidType's NONE, which it already is. Under the wine-8.0 profile the
// delayed automatic start and failure action levels give
// ERROR_INVALID_LEVEL, as Wine 8.0 does, so Config fails there.
package mgr

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"unicode/utf16"
	"unsafe"

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
func errUnmodeledConfig(call, field string) error {
	return fmt.Errorf("winsim/windows/svc/mgr: %s: Config.%s needs SERVICE_CONFIG_SERVICE_SID_INFO, which is not modeled; nothing was changed: %w", call, field, errors.ErrUnsupported)
}

// CreateService adds the service name, whose command line is exepath
// followed by args (each quoted as Windows parses it), with c's type,
// start type (StartManual when 0), error control, display name and
// dependencies, and opens it with SERVICE_ALL_ACCESS. On the model the
// executable runs the Go program a test gave exepath with winsimtest's
// SetServiceProgram; its command-line arguments are the program's, not
// Execute's (those come from Service.Start).
func (m *Mgr) CreateService(name, exepath string, c Config, args ...string) (*Service, error) {
	if c.SidType != windows.SERVICE_SID_TYPE_NONE {
		return nil, errUnmodeledConfig("CreateService", "SidType")
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
	// The description and the delayed start need a second call; when it
	// fails the new service is deleted again, as x/sys's CreateService does.
	for _, set := range []struct {
		given bool
		apply func() error
	}{
		{c.Description != "", func() error { return updateDescription(h, c.Description) }},
		{c.DelayedAutoStart, func() error { return updateStartUp(h, true) }},
	} {
		if !set.given {
			continue
		}
		if err := set.apply(); err != nil {
			windows.DeleteService(h)
			windows.CloseServiceHandle(h)
			return nil, err
		}
	}
	return &Service{Name: name, Handle: h}, nil
}

// ListServices returns the names of the database's Win32 services in
// every state (EnumServicesStatusEx, with its buffer grown until they
// fit); nil when there is none.
func (m *Mgr) ListServices() ([]string, error) {
	var buf []byte
	var needed, returned uint32
	for {
		var p *byte
		if len(buf) > 0 {
			p = &buf[0]
		}
		err := windows.EnumServicesStatusEx(m.Handle, windows.SC_ENUM_PROCESS_INFO, windows.SERVICE_WIN32, windows.SERVICE_STATE_ALL,
			p, uint32(len(buf)), &needed, &returned, nil, nil)
		if err == nil {
			break
		}
		if err != windows.ERROR_MORE_DATA || needed <= uint32(len(buf)) {
			return nil, err
		}
		buf = make([]byte, needed)
	}
	if returned == 0 {
		return nil, nil
	}
	var names []string
	for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), int(returned)) {
		names = append(names, utf16PtrToString(e.ServiceName))
	}
	return names, nil
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
