package windows

// The SCM's access rights, service types, start types, error controls,
// states, accepted controls, controls, notification bits and levels
// (winsvc.h), untyped as in x/sys.
const (
	SC_MANAGER_CONNECT            = 1
	SC_MANAGER_CREATE_SERVICE     = 2
	SC_MANAGER_ENUMERATE_SERVICE  = 4
	SC_MANAGER_LOCK               = 8
	SC_MANAGER_QUERY_LOCK_STATUS  = 16
	SC_MANAGER_MODIFY_BOOT_CONFIG = 32
	SC_MANAGER_ALL_ACCESS         = 0xf003f
)

// Service types, start types, error controls, states, accepted controls,
// controls, access rights and notification bits.
const (
	SERVICE_KERNEL_DRIVER       = 1
	SERVICE_FILE_SYSTEM_DRIVER  = 2
	SERVICE_ADAPTER             = 4
	SERVICE_RECOGNIZER_DRIVER   = 8
	SERVICE_WIN32_OWN_PROCESS   = 16
	SERVICE_WIN32_SHARE_PROCESS = 32
	SERVICE_WIN32               = SERVICE_WIN32_OWN_PROCESS | SERVICE_WIN32_SHARE_PROCESS
	SERVICE_INTERACTIVE_PROCESS = 256
	SERVICE_DRIVER              = SERVICE_KERNEL_DRIVER | SERVICE_FILE_SYSTEM_DRIVER | SERVICE_RECOGNIZER_DRIVER
	SERVICE_TYPE_ALL            = SERVICE_WIN32 | SERVICE_ADAPTER | SERVICE_DRIVER | SERVICE_INTERACTIVE_PROCESS

	SERVICE_BOOT_START   = 0
	SERVICE_SYSTEM_START = 1
	SERVICE_AUTO_START   = 2
	SERVICE_DEMAND_START = 3
	SERVICE_DISABLED     = 4

	SERVICE_ERROR_IGNORE   = 0
	SERVICE_ERROR_NORMAL   = 1
	SERVICE_ERROR_SEVERE   = 2
	SERVICE_ERROR_CRITICAL = 3

	SC_STATUS_PROCESS_INFO = 0

	SERVICE_STOPPED          = 1
	SERVICE_START_PENDING    = 2
	SERVICE_STOP_PENDING     = 3
	SERVICE_RUNNING          = 4
	SERVICE_CONTINUE_PENDING = 5
	SERVICE_PAUSE_PENDING    = 6
	SERVICE_PAUSED           = 7
	SERVICE_NO_CHANGE        = 0xffffffff

	SERVICE_ACCEPT_STOP                  = 1
	SERVICE_ACCEPT_PAUSE_CONTINUE        = 2
	SERVICE_ACCEPT_SHUTDOWN              = 4
	SERVICE_ACCEPT_PARAMCHANGE           = 8
	SERVICE_ACCEPT_NETBINDCHANGE         = 16
	SERVICE_ACCEPT_HARDWAREPROFILECHANGE = 32
	SERVICE_ACCEPT_POWEREVENT            = 64
	SERVICE_ACCEPT_SESSIONCHANGE         = 128
	SERVICE_ACCEPT_PRESHUTDOWN           = 256

	SERVICE_CONTROL_STOP                  = 1
	SERVICE_CONTROL_PAUSE                 = 2
	SERVICE_CONTROL_CONTINUE              = 3
	SERVICE_CONTROL_INTERROGATE           = 4
	SERVICE_CONTROL_SHUTDOWN              = 5
	SERVICE_CONTROL_PARAMCHANGE           = 6
	SERVICE_CONTROL_NETBINDADD            = 7
	SERVICE_CONTROL_NETBINDREMOVE         = 8
	SERVICE_CONTROL_NETBINDENABLE         = 9
	SERVICE_CONTROL_NETBINDDISABLE        = 10
	SERVICE_CONTROL_DEVICEEVENT           = 11
	SERVICE_CONTROL_HARDWAREPROFILECHANGE = 12
	SERVICE_CONTROL_POWEREVENT            = 13
	SERVICE_CONTROL_SESSIONCHANGE         = 14
	SERVICE_CONTROL_PRESHUTDOWN           = 15

	SERVICE_QUERY_CONFIG         = 1
	SERVICE_CHANGE_CONFIG        = 2
	SERVICE_QUERY_STATUS         = 4
	SERVICE_ENUMERATE_DEPENDENTS = 8
	SERVICE_START                = 16
	SERVICE_STOP                 = 32
	SERVICE_PAUSE_CONTINUE       = 64
	SERVICE_INTERROGATE          = 128
	SERVICE_USER_DEFINED_CONTROL = 256
	SERVICE_ALL_ACCESS           = STANDARD_RIGHTS_REQUIRED | SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG | SERVICE_QUERY_STATUS | SERVICE_ENUMERATE_DEPENDENTS | SERVICE_START | SERVICE_STOP | SERVICE_PAUSE_CONTINUE | SERVICE_INTERROGATE | SERVICE_USER_DEFINED_CONTROL

	SERVICE_NOTIFY_STATUS_CHANGE    = 2
	SERVICE_NOTIFY_STOPPED          = 0x00000001
	SERVICE_NOTIFY_START_PENDING    = 0x00000002
	SERVICE_NOTIFY_STOP_PENDING     = 0x00000004
	SERVICE_NOTIFY_RUNNING          = 0x00000008
	SERVICE_NOTIFY_CONTINUE_PENDING = 0x00000010
	SERVICE_NOTIFY_PAUSE_PENDING    = 0x00000020
	SERVICE_NOTIFY_PAUSED           = 0x00000040
	SERVICE_NOTIFY_CREATED          = 0x00000080
	SERVICE_NOTIFY_DELETED          = 0x00000100
	SERVICE_NOTIFY_DELETE_PENDING   = 0x00000200
)

// Standard access rights the SCM's rights are built from (winnt.h).
const (
	DELETE                   = 0x00010000
	STANDARD_RIGHTS_REQUIRED = 0x000F0000
)

// NO_ERROR is ERROR_SUCCESS, as service exit codes name it.
const NO_ERROR = 0

// SERVICE_STATUS is a service's status, as QueryServiceStatus and
// ControlService fill it and SetServiceStatus reports it.
type SERVICE_STATUS struct {
	ServiceType             uint32
	CurrentState            uint32
	ControlsAccepted        uint32
	Win32ExitCode           uint32
	ServiceSpecificExitCode uint32
	CheckPoint              uint32
	WaitHint                uint32
}

// SERVICE_STATUS_PROCESS is SERVICE_STATUS with the service's process id
// and flags, as QueryServiceStatusEx fills it and notifications carry it.
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

// SERVICE_NOTIFY is NotifyServiceStatusChange's buffer
// (SERVICE_NOTIFY_2W): Version SERVICE_NOTIFY_STATUS_CHANGE, the callback
// (a NewCallback token), the caller's Context, and what the notification
// filled in. ServiceNames, for CREATED and DELETED, is a list of
// NUL-terminated names ending with an empty one.
type SERVICE_NOTIFY struct {
	Version               uint32
	NotifyCallback        uintptr
	Context               uintptr
	NotificationStatus    uint32
	ServiceStatus         SERVICE_STATUS_PROCESS
	NotificationTriggered uint32
	ServiceNames          *uint16
}

// The service calls' error codes, with x/sys's types and values.
const (
	ERROR_INVALID_DATA                      Errno = 13
	ERROR_CALL_NOT_IMPLEMENTED              Errno = 120
	ERROR_INVALID_LEVEL                     Errno = 124
	ERROR_INVALID_ADDRESS                   Errno = 487
	ERROR_DEPENDENT_SERVICES_RUNNING        Errno = 1051
	ERROR_INVALID_SERVICE_CONTROL           Errno = 1052
	ERROR_SERVICE_REQUEST_TIMEOUT           Errno = 1053
	ERROR_SERVICE_NO_THREAD                 Errno = 1054
	ERROR_SERVICE_DATABASE_LOCKED           Errno = 1055
	ERROR_SERVICE_ALREADY_RUNNING           Errno = 1056
	ERROR_SERVICE_DISABLED                  Errno = 1058
	ERROR_SERVICE_DOES_NOT_EXIST            Errno = 1060
	ERROR_SERVICE_CANNOT_ACCEPT_CTRL        Errno = 1061
	ERROR_SERVICE_NOT_ACTIVE                Errno = 1062
	ERROR_FAILED_SERVICE_CONTROLLER_CONNECT Errno = 1063
	ERROR_EXCEPTION_IN_SERVICE              Errno = 1064
	ERROR_DATABASE_DOES_NOT_EXIST           Errno = 1065
	ERROR_SERVICE_SPECIFIC_ERROR            Errno = 1066
	ERROR_SERVICE_MARKED_FOR_DELETE         Errno = 1072
	ERROR_SERVICE_EXISTS                    Errno = 1073
	ERROR_SERVICE_NEVER_STARTED             Errno = 1077
	ERROR_DUPLICATE_SERVICE_NAME            Errno = 1078
	ERROR_ALREADY_REGISTERED                Errno = 1242
	ERROR_SERVICE_NOTIFY_CLIENT_LAGGING     Errno = 1294
	RPC_S_SERVER_UNAVAILABLE                Errno = 1722
)

func init() {
	for e, s := range map[Errno]string{
		ERROR_INVALID_DATA:                      "The data is invalid.",
		ERROR_CALL_NOT_IMPLEMENTED:              "This function is not supported on this system.",
		ERROR_INVALID_LEVEL:                     "The system call level is not correct.",
		ERROR_INVALID_ADDRESS:                   "Attempt to access invalid address.",
		ERROR_DEPENDENT_SERVICES_RUNNING:        "A stop control has been sent to a service that other running services are dependent on.",
		ERROR_INVALID_SERVICE_CONTROL:           "The requested control is not valid for this service.",
		ERROR_SERVICE_REQUEST_TIMEOUT:           "The service did not respond to the start or control request in a timely fashion.",
		ERROR_SERVICE_NO_THREAD:                 "A thread could not be created for the service.",
		ERROR_SERVICE_DATABASE_LOCKED:           "The service database is locked.",
		ERROR_SERVICE_ALREADY_RUNNING:           "An instance of the service is already running.",
		ERROR_SERVICE_DISABLED:                  "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.",
		ERROR_SERVICE_DOES_NOT_EXIST:            "The specified service does not exist as an installed service.",
		ERROR_SERVICE_CANNOT_ACCEPT_CTRL:        "The service cannot accept control messages at this time.",
		ERROR_SERVICE_NOT_ACTIVE:                "The service has not been started.",
		ERROR_FAILED_SERVICE_CONTROLLER_CONNECT: "The service process could not connect to the service controller.",
		ERROR_EXCEPTION_IN_SERVICE:              "An exception occurred in the service when handling the control request.",
		ERROR_DATABASE_DOES_NOT_EXIST:           "The database specified does not exist.",
		ERROR_SERVICE_SPECIFIC_ERROR:            "The service has returned a service-specific error code.",
		ERROR_SERVICE_MARKED_FOR_DELETE:         "The specified service has been marked for deletion.",
		ERROR_SERVICE_EXISTS:                    "The specified service already exists.",
		ERROR_SERVICE_NEVER_STARTED:             "No attempts to start the service have been made since the last boot.",
		ERROR_DUPLICATE_SERVICE_NAME:            "The name is already in use as either a service name or a service display name.",
		ERROR_ALREADY_REGISTERED:                "The service is already registered.",
		ERROR_SERVICE_NOTIFY_CLIENT_LAGGING:     "The service notification client is lagging too far behind the current state of services in the machine.",
		RPC_S_SERVER_UNAVAILABLE:                "The RPC server is unavailable.",
	} {
		messages[e] = s
	}
}
