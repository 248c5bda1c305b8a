package win32

import (
	"time"

	"github.com/winsim/winsim/sim"
)

// The names below are the SDK's (winsvc.h, winnt.h), spelled as the headers
// spell them so that code and scenarios read like the Win32 documentation.

// ServiceState is a service's current state (SERVICE_STATUS.dwCurrentState,
// a DWORD in the SDK). Its String is the SDK name.
type ServiceState uint32

// Service states (SERVICE_STATUS.dwCurrentState).
const (
	SERVICE_STOPPED          ServiceState = 1
	SERVICE_START_PENDING    ServiceState = 2
	SERVICE_STOP_PENDING     ServiceState = 3
	SERVICE_RUNNING          ServiceState = 4
	SERVICE_CONTINUE_PENDING ServiceState = 5
	SERVICE_PAUSE_PENDING    ServiceState = 6
	SERVICE_PAUSED           ServiceState = 7
)

// String returns the state's SDK name, or ServiceState(n) for a value that
// names no state.
func (s ServiceState) String() string { return enumString(GroupState, "ServiceState", uint32(s)) }

// ServiceNotifyMask is a set of NotifyServiceStatusChange's notification
// bits (dwNotifyMask, SERVICE_NOTIFY.dwNotificationTriggered). Its String
// joins the bits' SDK names with "|".
type ServiceNotifyMask uint32

// Notification mask bits for NotifyServiceStatusChange. A state's bit is
// 1 << (state-1).
const (
	SERVICE_NOTIFY_STOPPED          ServiceNotifyMask = 0x001
	SERVICE_NOTIFY_START_PENDING    ServiceNotifyMask = 0x002
	SERVICE_NOTIFY_STOP_PENDING     ServiceNotifyMask = 0x004
	SERVICE_NOTIFY_RUNNING          ServiceNotifyMask = 0x008
	SERVICE_NOTIFY_CONTINUE_PENDING ServiceNotifyMask = 0x010
	SERVICE_NOTIFY_PAUSE_PENDING    ServiceNotifyMask = 0x020
	SERVICE_NOTIFY_PAUSED           ServiceNotifyMask = 0x040
	SERVICE_NOTIFY_CREATED          ServiceNotifyMask = 0x080
	SERVICE_NOTIFY_DELETED          ServiceNotifyMask = 0x100
	SERVICE_NOTIFY_DELETE_PENDING   ServiceNotifyMask = 0x200

	// SERVICE_NOTIFY_STATUS_CHANGE is the SERVICE_NOTIFY version (2) the
	// documentation requires; SERVICE_NOTIFY_STATUS_CHANGE_1 is the older level.
	SERVICE_NOTIFY_STATUS_CHANGE   uint32 = 2
	SERVICE_NOTIFY_STATUS_CHANGE_1 uint32 = 1
)

// String returns the set's bits as SDK names joined by "|", lowest bit
// first, with bits that have no name in hex; the empty set is "0".
func (m ServiceNotifyMask) String() string { return flagsString(GroupNotifyMask, uint32(m)) }

// NotifyBit returns the notification bit of a service state.
func NotifyBit(state ServiceState) ServiceNotifyMask { return 1 << (state - 1) }

// Access rights of SCM handles.
const (
	SC_MANAGER_CONNECT            uint32 = 0x0001
	SC_MANAGER_CREATE_SERVICE     uint32 = 0x0002
	SC_MANAGER_ENUMERATE_SERVICE  uint32 = 0x0004
	SC_MANAGER_LOCK               uint32 = 0x0008
	SC_MANAGER_QUERY_LOCK_STATUS  uint32 = 0x0010
	SC_MANAGER_MODIFY_BOOT_CONFIG uint32 = 0x0020
	SC_MANAGER_ALL_ACCESS         uint32 = 0xF003F
)

// Access rights of service handles.
const (
	SERVICE_QUERY_CONFIG         uint32 = 0x0001
	SERVICE_CHANGE_CONFIG        uint32 = 0x0002
	SERVICE_QUERY_STATUS         uint32 = 0x0004
	SERVICE_ENUMERATE_DEPENDENTS uint32 = 0x0008
	SERVICE_START                uint32 = 0x0010
	SERVICE_STOP                 uint32 = 0x0020
	SERVICE_PAUSE_CONTINUE       uint32 = 0x0040
	SERVICE_INTERROGATE          uint32 = 0x0080
	SERVICE_USER_DEFINED_CONTROL uint32 = 0x0100
	SERVICE_ALL_ACCESS           uint32 = 0xF01FF
)

// ServiceControl is a control code (ControlService's dwControl, a DWORD in
// the SDK). Its String is the SDK name.
type ServiceControl uint32

// Service control codes.
const (
	SERVICE_CONTROL_STOP           ServiceControl = 1
	SERVICE_CONTROL_PAUSE          ServiceControl = 2
	SERVICE_CONTROL_CONTINUE       ServiceControl = 3
	SERVICE_CONTROL_INTERROGATE    ServiceControl = 4
	SERVICE_CONTROL_SHUTDOWN       ServiceControl = 5
	SERVICE_CONTROL_PARAMCHANGE    ServiceControl = 6
	SERVICE_CONTROL_NETBINDADD     ServiceControl = 7
	SERVICE_CONTROL_NETBINDREMOVE  ServiceControl = 8
	SERVICE_CONTROL_NETBINDENABLE  ServiceControl = 9
	SERVICE_CONTROL_NETBINDDISABLE ServiceControl = 10
	SERVICE_CONTROL_PRESHUTDOWN    ServiceControl = 15

	// SERVICE_USER_DEFINED_CONTROL_FIRST and _LAST bound the range of
	// user-defined control codes that ControlService documents (128 to
	// 255). The names are the project's: the headers name no constant for
	// either bound.
	SERVICE_USER_DEFINED_CONTROL_FIRST ServiceControl = 128
	SERVICE_USER_DEFINED_CONTROL_LAST  ServiceControl = 255
)

// String returns the control's SDK name, or ServiceControl(n) for a code
// without one (a user-defined code, or an invalid one).
func (c ServiceControl) String() string { return enumString(GroupControl, "ServiceControl", uint32(c)) }

// ServiceAccept is a set of controls-accepted bits
// (SERVICE_STATUS.dwControlsAccepted). Its String joins the bits' SDK names
// with "|".
type ServiceAccept uint32

// Controls-accepted bits (SERVICE_STATUS.dwControlsAccepted).
const (
	SERVICE_ACCEPT_STOP                  ServiceAccept = 0x001
	SERVICE_ACCEPT_PAUSE_CONTINUE        ServiceAccept = 0x002
	SERVICE_ACCEPT_SHUTDOWN              ServiceAccept = 0x004
	SERVICE_ACCEPT_PARAMCHANGE           ServiceAccept = 0x008
	SERVICE_ACCEPT_NETBINDCHANGE         ServiceAccept = 0x010
	SERVICE_ACCEPT_HARDWAREPROFILECHANGE ServiceAccept = 0x020
	SERVICE_ACCEPT_POWEREVENT            ServiceAccept = 0x040
	SERVICE_ACCEPT_SESSIONCHANGE         ServiceAccept = 0x080
	SERVICE_ACCEPT_PRESHUTDOWN           ServiceAccept = 0x100
	SERVICE_ACCEPT_TIMECHANGE            ServiceAccept = 0x200
	SERVICE_ACCEPT_TRIGGEREVENT          ServiceAccept = 0x400
	SERVICE_ACCEPT_USERMODEREBOOT        ServiceAccept = 0x800
)

// String returns the set's bits as SDK names joined by "|", lowest bit
// first, with bits that have no name in hex; the empty set is "0".
func (a ServiceAccept) String() string { return flagsString(GroupAccept, uint32(a)) }

// ServiceType is a service type (dwServiceType, a DWORD in the SDK): a
// type bit, with SERVICE_INTERACTIVE_PROCESS added to it where allowed. Its
// String joins the bits' SDK names with "|".
type ServiceType uint32

// Service types.
const (
	SERVICE_KERNEL_DRIVER       ServiceType = 0x001
	SERVICE_FILE_SYSTEM_DRIVER  ServiceType = 0x002
	SERVICE_WIN32_OWN_PROCESS   ServiceType = 0x010
	SERVICE_WIN32_SHARE_PROCESS ServiceType = 0x020
	SERVICE_INTERACTIVE_PROCESS ServiceType = 0x100
)

// String returns the type's bits as SDK names joined by "|", lowest bit
// first, with bits that have no name in hex; zero is "0".
func (t ServiceType) String() string { return flagsString(GroupServiceType, uint32(t)) }

// ServiceStartType is when a service starts (dwStartType, a DWORD in the
// SDK). Its String is the SDK name.
type ServiceStartType uint32

// Start types.
const (
	SERVICE_BOOT_START   ServiceStartType = 0
	SERVICE_SYSTEM_START ServiceStartType = 1
	SERVICE_AUTO_START   ServiceStartType = 2
	SERVICE_DEMAND_START ServiceStartType = 3
	SERVICE_DISABLED     ServiceStartType = 4
)

// String returns the start type's SDK name, or ServiceStartType(n) for a
// value that names none.
func (s ServiceStartType) String() string {
	return enumString(GroupStartType, "ServiceStartType", uint32(s))
}

// ServiceErrorControl is what the system does when a service fails to
// start (dwErrorControl, a DWORD in the SDK). Its String is the SDK name.
type ServiceErrorControl uint32

// Error-control values.
const (
	SERVICE_ERROR_IGNORE   ServiceErrorControl = 0
	SERVICE_ERROR_NORMAL   ServiceErrorControl = 1
	SERVICE_ERROR_SEVERE   ServiceErrorControl = 2
	SERVICE_ERROR_CRITICAL ServiceErrorControl = 3
)

// String returns the error control's SDK name, or ServiceErrorControl(n)
// for a value that names none.
func (e ServiceErrorControl) String() string {
	return enumString(GroupErrorCtl, "ServiceErrorControl", uint32(e))
}

// Info levels and database names.
const (
	// SC_STATUS_PROCESS_INFO is the only info level of QueryServiceStatusEx.
	SC_STATUS_PROCESS_INFO uint32 = 0
	// SERVICES_ACTIVE_DATABASE is the database OpenSCManager opens by default.
	SERVICES_ACTIVE_DATABASE = "ServicesActive"
	// SERVICES_FAILED_DATABASE names a database that exists only by name.
	SERVICES_FAILED_DATABASE = "ServicesFailed"
)

// Groups of Constants, the names scenarios may use for each kind of field.
const (
	GroupState       = "service-state"
	GroupNotifyMask  = "notify-mask"
	GroupSCMAccess   = "scm-access"
	GroupSvcAccess   = "service-access"
	GroupControl     = "service-control"
	GroupAccept      = "controls-accepted"
	GroupServiceType = "service-type"
	GroupStartType   = "start-type"
	GroupErrorCtl    = "error-control"
)

// ServiceConstants lists every constant of the service control family by group, for scenario files.
func ServiceConstants() []sim.Const {
	c := sim.ConstGroup
	generic := []any{"GENERIC_READ", GENERIC_READ, "GENERIC_WRITE", GENERIC_WRITE, "GENERIC_EXECUTE", GENERIC_EXECUTE, "GENERIC_ALL", GENERIC_ALL, "STANDARD_RIGHTS_READ", STANDARD_RIGHTS_READ}
	var out []sim.Const
	out = append(out, c(GroupState,
		"SERVICE_STOPPED", SERVICE_STOPPED, "SERVICE_START_PENDING", SERVICE_START_PENDING,
		"SERVICE_STOP_PENDING", SERVICE_STOP_PENDING, "SERVICE_RUNNING", SERVICE_RUNNING,
		"SERVICE_CONTINUE_PENDING", SERVICE_CONTINUE_PENDING, "SERVICE_PAUSE_PENDING", SERVICE_PAUSE_PENDING,
		"SERVICE_PAUSED", SERVICE_PAUSED)...)
	out = append(out, c(GroupNotifyMask,
		"SERVICE_NOTIFY_STOPPED", SERVICE_NOTIFY_STOPPED, "SERVICE_NOTIFY_START_PENDING", SERVICE_NOTIFY_START_PENDING,
		"SERVICE_NOTIFY_STOP_PENDING", SERVICE_NOTIFY_STOP_PENDING, "SERVICE_NOTIFY_RUNNING", SERVICE_NOTIFY_RUNNING,
		"SERVICE_NOTIFY_CONTINUE_PENDING", SERVICE_NOTIFY_CONTINUE_PENDING, "SERVICE_NOTIFY_PAUSE_PENDING", SERVICE_NOTIFY_PAUSE_PENDING,
		"SERVICE_NOTIFY_PAUSED", SERVICE_NOTIFY_PAUSED, "SERVICE_NOTIFY_CREATED", SERVICE_NOTIFY_CREATED,
		"SERVICE_NOTIFY_DELETED", SERVICE_NOTIFY_DELETED, "SERVICE_NOTIFY_DELETE_PENDING", SERVICE_NOTIFY_DELETE_PENDING)...)
	out = append(out, c(GroupSCMAccess, append([]any{
		"SC_MANAGER_CONNECT", SC_MANAGER_CONNECT, "SC_MANAGER_CREATE_SERVICE", SC_MANAGER_CREATE_SERVICE,
		"SC_MANAGER_ENUMERATE_SERVICE", SC_MANAGER_ENUMERATE_SERVICE, "SC_MANAGER_LOCK", SC_MANAGER_LOCK,
		"SC_MANAGER_QUERY_LOCK_STATUS", SC_MANAGER_QUERY_LOCK_STATUS, "SC_MANAGER_MODIFY_BOOT_CONFIG", SC_MANAGER_MODIFY_BOOT_CONFIG,
		"SC_MANAGER_ALL_ACCESS", SC_MANAGER_ALL_ACCESS}, generic...)...)...)
	out = append(out, c(GroupSvcAccess, append([]any{
		"SERVICE_QUERY_CONFIG", SERVICE_QUERY_CONFIG, "SERVICE_CHANGE_CONFIG", SERVICE_CHANGE_CONFIG,
		"SERVICE_QUERY_STATUS", SERVICE_QUERY_STATUS, "SERVICE_ENUMERATE_DEPENDENTS", SERVICE_ENUMERATE_DEPENDENTS,
		"SERVICE_START", SERVICE_START, "SERVICE_STOP", SERVICE_STOP, "SERVICE_PAUSE_CONTINUE", SERVICE_PAUSE_CONTINUE,
		"SERVICE_INTERROGATE", SERVICE_INTERROGATE, "SERVICE_USER_DEFINED_CONTROL", SERVICE_USER_DEFINED_CONTROL,
		"DELETE", DELETE, "SERVICE_ALL_ACCESS", SERVICE_ALL_ACCESS}, generic...)...)...)
	out = append(out, c(GroupControl,
		"SERVICE_CONTROL_STOP", SERVICE_CONTROL_STOP, "SERVICE_CONTROL_PAUSE", SERVICE_CONTROL_PAUSE,
		"SERVICE_CONTROL_CONTINUE", SERVICE_CONTROL_CONTINUE, "SERVICE_CONTROL_INTERROGATE", SERVICE_CONTROL_INTERROGATE,
		"SERVICE_CONTROL_SHUTDOWN", SERVICE_CONTROL_SHUTDOWN, "SERVICE_CONTROL_PARAMCHANGE", SERVICE_CONTROL_PARAMCHANGE,
		"SERVICE_CONTROL_NETBINDADD", SERVICE_CONTROL_NETBINDADD, "SERVICE_CONTROL_NETBINDREMOVE", SERVICE_CONTROL_NETBINDREMOVE,
		"SERVICE_CONTROL_NETBINDENABLE", SERVICE_CONTROL_NETBINDENABLE, "SERVICE_CONTROL_NETBINDDISABLE", SERVICE_CONTROL_NETBINDDISABLE,
		"SERVICE_CONTROL_PRESHUTDOWN", SERVICE_CONTROL_PRESHUTDOWN)...)
	out = append(out, c(GroupAccept,
		"SERVICE_ACCEPT_STOP", SERVICE_ACCEPT_STOP, "SERVICE_ACCEPT_PAUSE_CONTINUE", SERVICE_ACCEPT_PAUSE_CONTINUE,
		"SERVICE_ACCEPT_SHUTDOWN", SERVICE_ACCEPT_SHUTDOWN, "SERVICE_ACCEPT_PARAMCHANGE", SERVICE_ACCEPT_PARAMCHANGE,
		"SERVICE_ACCEPT_NETBINDCHANGE", SERVICE_ACCEPT_NETBINDCHANGE, "SERVICE_ACCEPT_HARDWAREPROFILECHANGE", SERVICE_ACCEPT_HARDWAREPROFILECHANGE,
		"SERVICE_ACCEPT_POWEREVENT", SERVICE_ACCEPT_POWEREVENT, "SERVICE_ACCEPT_SESSIONCHANGE", SERVICE_ACCEPT_SESSIONCHANGE,
		"SERVICE_ACCEPT_PRESHUTDOWN", SERVICE_ACCEPT_PRESHUTDOWN, "SERVICE_ACCEPT_TIMECHANGE", SERVICE_ACCEPT_TIMECHANGE,
		"SERVICE_ACCEPT_TRIGGEREVENT", SERVICE_ACCEPT_TRIGGEREVENT, "SERVICE_ACCEPT_USERMODEREBOOT", SERVICE_ACCEPT_USERMODEREBOOT)...)
	out = append(out, c(GroupServiceType,
		"SERVICE_KERNEL_DRIVER", SERVICE_KERNEL_DRIVER, "SERVICE_FILE_SYSTEM_DRIVER", SERVICE_FILE_SYSTEM_DRIVER,
		"SERVICE_WIN32_OWN_PROCESS", SERVICE_WIN32_OWN_PROCESS, "SERVICE_WIN32_SHARE_PROCESS", SERVICE_WIN32_SHARE_PROCESS,
		"SERVICE_INTERACTIVE_PROCESS", SERVICE_INTERACTIVE_PROCESS)...)
	out = append(out, c(GroupStartType,
		"SERVICE_BOOT_START", SERVICE_BOOT_START, "SERVICE_SYSTEM_START", SERVICE_SYSTEM_START,
		"SERVICE_AUTO_START", SERVICE_AUTO_START, "SERVICE_DEMAND_START", SERVICE_DEMAND_START,
		"SERVICE_DISABLED", SERVICE_DISABLED)...)
	out = append(out, c(GroupErrorCtl,
		"SERVICE_ERROR_IGNORE", SERVICE_ERROR_IGNORE, "SERVICE_ERROR_NORMAL", SERVICE_ERROR_NORMAL,
		"SERVICE_ERROR_SEVERE", SERVICE_ERROR_SEVERE, "SERVICE_ERROR_CRITICAL", SERVICE_ERROR_CRITICAL)...)
	return append(out, ServiceConfigConstants()...)
}

// SERVICE_STATUS mirrors the Win32 structure of the same name, with its
// layout: every field is 32 bits wide, as each DWORD of the SDK's structure
// is. The three fields whose values come from a closed set of SDK constants
// (the type, the state and the controls accepted) have the named types of
// those constants, so that a program and a failure message print
// SERVICE_START_PENDING rather than 2; the exit codes, the checkpoint and
// the wait hint are numbers any value of which is valid, and stay uint32.
// x/sys declares every field uint32: the real binding converts field by
// field.
type SERVICE_STATUS struct {
	ServiceType             ServiceType
	CurrentState            ServiceState
	ControlsAccepted        ServiceAccept
	Win32ExitCode           uint32
	ServiceSpecificExitCode uint32
	CheckPoint              uint32
	WaitHint                uint32
}

// SERVICE_STATUS_PROCESS mirrors the Win32 structure QueryServiceStatusEx
// fills and notifications carry. Its fields are typed as SERVICE_STATUS's
// are, for the same reasons; ProcessId and ServiceFlags stay uint32.
type SERVICE_STATUS_PROCESS struct {
	ServiceType             ServiceType
	CurrentState            ServiceState
	ControlsAccepted        ServiceAccept
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
	NotificationTriggered ServiceNotifyMask
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
	ServiceType   ServiceType
	StartType     ServiceStartType
	ErrorControl  ServiceErrorControl
	BinaryPath    *string
	Dependencies  []string
	// LoadOrderGroup, ServiceStartName and Password are
	// lpLoadOrderGroup, lpServiceStartName and lpPassword; nil is NULL.
	LoadOrderGroup   *string
	ServiceStartName *string
	Password         *string
}

// Str returns a pointer to s, for the pointer parameters that may be NULL.
func Str(s string) *string { return &s }

// SERVICE_STATUS_HANDLE is the handle a service reports its status through.
type SERVICE_STATUS_HANDLE = sim.Handle

// Report is one SetServiceStatus call a scripted service makes.
type Report struct {
	// After is the delay from the event that started the sequence (the start
	// or the control) to this report.
	After time.Duration
	// State is the new dwCurrentState.
	State ServiceState
	// Accept is dwControlsAccepted.
	Accept ServiceAccept
	// Win32ExitCode and SpecificExitCode are the exit codes reported with it.
	Win32ExitCode    uint32
	SpecificExitCode uint32
	// CheckPoint and WaitHint are reported for pending states.
	CheckPoint uint32
	WaitHint   uint32
}

// Program is the scripted behavior of a service's process, standing in for
// the service's own code. Without a program a started service stays
// START_PENDING until something reports for it.
type Program struct {
	// StartError, when nonzero, makes StartService fail the way the SCM fails
	// when the image cannot run: ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND
	// (missing binary), ERROR_BAD_EXE_FORMAT (not an executable) or
	// ERROR_SERVICE_REQUEST_TIMEOUT (the process never connects its control
	// dispatcher; StartService returns after the 30 s pipe timeout).
	StartError sim.Errno
	// OnStart runs in ServiceMain after StartService returns, each report on
	// the virtual clock at its After.
	OnStart []Report
	// OnControl maps a control code to the handler's reports. Reports with
	// After == 0 are made inside the handler, before ControlService returns;
	// later ones from a worker, on the virtual clock.
	OnControl map[ServiceControl][]Report
}

// TypicalProgram is a well-behaved service: it reports RUNNING after
// startDelay accepting STOP and PAUSE_CONTINUE, and answers STOP, PAUSE and
// CONTINUE with the pending state at once and the final state after
// stepDelay.
func TypicalProgram(startDelay, stepDelay time.Duration) Program {
	accept := SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE
	return Program{
		OnStart: []Report{{After: startDelay, State: SERVICE_RUNNING, Accept: accept}},
		OnControl: map[ServiceControl][]Report{
			SERVICE_CONTROL_STOP: {
				{State: SERVICE_STOP_PENDING, WaitHint: 1000, CheckPoint: 1},
				{After: stepDelay, State: SERVICE_STOPPED},
			},
			SERVICE_CONTROL_PAUSE: {
				{State: SERVICE_PAUSE_PENDING, Accept: accept, WaitHint: 1000, CheckPoint: 1},
				{After: stepDelay, State: SERVICE_PAUSED, Accept: accept},
			},
			SERVICE_CONTROL_CONTINUE: {
				{State: SERVICE_CONTINUE_PENDING, Accept: accept, WaitHint: 1000, CheckPoint: 1},
				{After: stepDelay, State: SERVICE_RUNNING, Accept: accept},
			},
		},
	}
}
