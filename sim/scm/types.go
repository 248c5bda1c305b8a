package scm

import "github.com/winsim/winsim/sim"

// SERVICE_STATUS mirrors the Win32 structure of the same name.
type SERVICE_STATUS struct {
	ServiceType             uint32
	CurrentState            uint32
	ControlsAccepted        uint32
	Win32ExitCode           uint32
	ServiceSpecificExitCode uint32
	CheckPoint              uint32
	WaitHint                uint32
}

// SERVICE_STATUS_PROCESS mirrors the Win32 structure QueryServiceStatusEx
// fills and notifications carry.
type SERVICE_STATUS_PROCESS struct {
	ServiceType             uint32
	CurrentState            uint32
	ControlsAccepted        uint32
	Win32ExitCode           uint32
	ServiceSpecificExitCode uint32
	CheckPoint              uint32
	WaitHint                uint32
	ProcessId               uint32
	ServiceFlags            uint32
}

// Status returns the SERVICE_STATUS part of s.
func (s SERVICE_STATUS_PROCESS) Status() SERVICE_STATUS {
	return SERVICE_STATUS{s.ServiceType, s.CurrentState, s.ControlsAccepted, s.Win32ExitCode, s.ServiceSpecificExitCode, s.CheckPoint, s.WaitHint}
}

// SERVICE_NOTIFY mirrors SERVICE_NOTIFY_2W. The caller owns it: the model
// writes the notification into it before queueing the callback, and the
// callback receives this very pointer (not Context), as on Windows.
type SERVICE_NOTIFY struct {
	// Version must be SERVICE_NOTIFY_STATUS_CHANGE.
	Version uint32
	// NotifyCallback runs as an APC on the registering thread, during one of
	// its alertable waits.
	NotifyCallback func(*SERVICE_NOTIFY)
	// Context is the caller's own value; the model never reads it.
	Context any
	// NotificationStatus is ERROR_SUCCESS or ERROR_SERVICE_MARKED_FOR_DELETE.
	NotificationStatus sim.Errno
	// ServiceStatus is valid only when NotificationStatus is ERROR_SUCCESS.
	ServiceStatus SERVICE_STATUS_PROCESS
	// NotificationTriggered is the one bit that fired.
	NotificationTriggered uint32
	// ServiceNames is the MULTI_SZ list of a CREATED or DELETED notification,
	// one string per name; created names carry a "/" prefix.
	ServiceNames []string
}

// CreateServiceParams carries CreateService's parameters. Name and BinaryPath
// are pointers because NULL is a distinct, documented case.
type CreateServiceParams struct {
	Name          *string
	DisplayName   *string
	DesiredAccess uint32
	ServiceType   uint32
	StartType     uint32
	ErrorControl  uint32
	BinaryPath    *string
	Dependencies  []string
}

// Str returns a pointer to s, for the pointer parameters that may be NULL.
func Str(s string) *string { return &s }

// SERVICE_STATUS_HANDLE is the handle a service reports its status through.
type SERVICE_STATUS_HANDLE = sim.Handle
