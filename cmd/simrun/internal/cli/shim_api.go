package cli

import "github.com/winsim/winsim/internal/twinapi"

// shimPackage is one twin package as simrun shim re-exports it: every
// identifier the twin exports, filed under the form its re-export takes.
// TestShimAPI checks the table against the twins' exported API, so an
// identifier added to a twin, removed from it or changing kind fails there
// until the table follows.
type shimPackage struct {
	name       string // the package name, x/sys's: "windows", "registry"
	twin, xsys string // the import paths of the twin and of x/sys's package

	// types are re-exported as type aliases (type Key = registry.Key):
	// the same type, with its methods.
	types []string
	// consts are re-exported as constants (const SZ = registry.SZ): the
	// same value, and the same type or none.
	consts []string
	// vars are re-exported as variables holding the package's value when
	// the shim is initialized (var ErrNotExist = registry.ErrNotExist): Go
	// has no alias of a variable, so a later assignment to the package's
	// is not seen through the shim's (the twins and x/sys assign none).
	vars []string
	// funcs are re-exported as wrapper functions with the package's
	// signature, written with package names ("(k registry.Key) error"),
	// that call the package's: functions, not variables holding them, so a
	// caller cannot replace them and go doc shows their signatures.
	funcs map[string]string
	// extras are functions x/sys lacks (twinapi's Extras): the shim wraps
	// the twin's on its twin side, and on its Windows side calls Windows
	// itself, as mkwinsyscall would generate it.
	extras map[string]shimExtra
}

// shimExtra is a function the twin offers beyond x/sys.
type shimExtra struct {
	// signature is the twin's, written as a funcs entry is.
	signature string
	// windows is the declaration of the function on the shim's Windows
	// side, with the variables it needs: the code mkwinsyscall generates
	// from its //sys line, which the comment quotes, over the x/sys
	// package's LazyDLL and syscall.SyscallN. It refers to x/sys's
	// packages as windows and registry, and to syscall.
	windows string
}

// shimPackages is the table of the twins' exported API: windows first,
// then registry.
var shimPackages = []shimPackage{
	{
		name: "windows", twin: twinapi.TwinWindows, xsys: twinapi.XSysWindows,
		types: []string{"ACL", "ENUM_SERVICE_STATUS_PROCESS", "Errno", "Filetime", "Handle", "QUERY_SERVICE_CONFIG", "SC_ACTION",
			"SECURITY_DESCRIPTOR", "SECURITY_DESCRIPTOR_CONTROL", "SERVICE_DELAYED_AUTO_START_INFO", "SERVICE_DESCRIPTION",
			"SERVICE_FAILURE_ACTIONS", "SERVICE_NOTIFY", "SERVICE_STATUS", "SERVICE_STATUS_PROCESS", "SID", "SecurityAttributes"},
		consts: []string{
			"CRYPT_DEFAULT_CONTAINER_OPTIONAL", "CRYPT_DELETEKEYSET", "CRYPT_MACHINE_KEYSET", "CRYPT_NEWKEYSET", "CRYPT_SILENT", "CRYPT_VERIFYCONTEXT",
			"ERROR_ACCESS_DENIED", "ERROR_ALREADY_EXISTS", "ERROR_BADDB", "ERROR_BAD_PATHNAME", "ERROR_BUSY", "ERROR_CHILD_MUST_BE_VOLATILE",
			"ERROR_FILE_NOT_FOUND", "ERROR_INSUFFICIENT_BUFFER", "ERROR_INVALID_HANDLE", "ERROR_INVALID_NAME", "ERROR_INVALID_PARAMETER",
			"ERROR_KEY_DELETED", "ERROR_MORE_DATA", "ERROR_NOT_ENOUGH_MEMORY", "ERROR_NOT_SUPPORTED", "ERROR_NO_MORE_ITEMS",
			"ERROR_PATH_NOT_FOUND", "ERROR_REGISTRY_IO_FAILED", "ERROR_SUCCESS",
			"INFINITE", "InvalidHandle",
			"NTE_BAD_ALGID", "NTE_BAD_DATA", "NTE_BAD_FLAGS", "NTE_BAD_KEY", "NTE_BAD_KEYSET", "NTE_BAD_PROV_TYPE", "NTE_EXISTS", "NTE_FAIL",
			"NTE_KEYSET_NOT_DEF", "NTE_NO_KEY", "NTE_PROV_TYPE_NOT_DEF", "NTE_PROV_TYPE_NO_MATCH",
			"PROV_DH_SCHANNEL", "PROV_DSS", "PROV_DSS_DH", "PROV_EC_ECDSA_FULL", "PROV_EC_ECDSA_SIG", "PROV_EC_ECNRA_FULL", "PROV_EC_ECNRA_SIG",
			"PROV_FORTEZZA", "PROV_INTEL_SEC", "PROV_MS_EXCHANGE", "PROV_REPLACE_OWF", "PROV_RNG", "PROV_RSA_AES", "PROV_RSA_FULL",
			"PROV_RSA_SCHANNEL", "PROV_RSA_SIG", "PROV_SPYRUS_LYNKS", "PROV_SSL",
			"WAIT_FAILED", "WAIT_IO_COMPLETION", "WAIT_OBJECT_0", "WAIT_TIMEOUT",
			// The SCM's.
			"SC_ACTION_NONE", "SC_ACTION_REBOOT", "SC_ACTION_RESTART", "SC_ACTION_RUN_COMMAND", "SC_ENUM_PROCESS_INFO",
			"SERVICE_ACTIVE", "SERVICE_INACTIVE", "SERVICE_STATE_ALL",
			"SERVICE_CONFIG_DELAYED_AUTO_START_INFO", "SERVICE_CONFIG_DESCRIPTION", "SERVICE_CONFIG_FAILURE_ACTIONS",
			"SERVICE_CONFIG_FAILURE_ACTIONS_FLAG", "SERVICE_CONFIG_LAUNCH_PROTECTED", "SERVICE_CONFIG_PREFERRED_NODE",
			"SERVICE_CONFIG_PRESHUTDOWN_INFO", "SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO", "SERVICE_CONFIG_SERVICE_SID_INFO",
			"SERVICE_CONFIG_TRIGGER_INFO", "SERVICE_SID_TYPE_NONE", "SERVICE_SID_TYPE_RESTRICTED", "SERVICE_SID_TYPE_UNRESTRICTED",
			"DELETE", "ERROR_ALREADY_REGISTERED", "ERROR_CALL_NOT_IMPLEMENTED", "ERROR_DATABASE_DOES_NOT_EXIST", "ERROR_DEPENDENT_SERVICES_RUNNING",
			"ERROR_DUPLICATE_SERVICE_NAME", "ERROR_EXCEPTION_IN_SERVICE", "ERROR_FAILED_SERVICE_CONTROLLER_CONNECT", "ERROR_INVALID_ADDRESS",
			"ERROR_INVALID_DATA", "ERROR_INVALID_LEVEL", "ERROR_INVALID_SERVICE_CONTROL", "ERROR_SERVICE_ALREADY_RUNNING",
			"ERROR_SERVICE_CANNOT_ACCEPT_CTRL", "ERROR_SERVICE_DATABASE_LOCKED", "ERROR_SERVICE_DISABLED", "ERROR_SERVICE_DOES_NOT_EXIST",
			"ERROR_SERVICE_EXISTS", "ERROR_SERVICE_MARKED_FOR_DELETE", "ERROR_SERVICE_NEVER_STARTED", "ERROR_SERVICE_NOTIFY_CLIENT_LAGGING",
			"ERROR_SERVICE_NOT_ACTIVE", "ERROR_SERVICE_NO_THREAD", "ERROR_SERVICE_REQUEST_TIMEOUT", "ERROR_SERVICE_SPECIFIC_ERROR", "NO_ERROR",
			"RPC_S_SERVER_UNAVAILABLE", "SC_MANAGER_ALL_ACCESS", "SC_MANAGER_CONNECT", "SC_MANAGER_CREATE_SERVICE", "SC_MANAGER_ENUMERATE_SERVICE",
			"SC_MANAGER_LOCK", "SC_MANAGER_MODIFY_BOOT_CONFIG", "SC_MANAGER_QUERY_LOCK_STATUS", "SC_STATUS_PROCESS_INFO",
			"SERVICE_ACCEPT_HARDWAREPROFILECHANGE", "SERVICE_ACCEPT_NETBINDCHANGE", "SERVICE_ACCEPT_PARAMCHANGE", "SERVICE_ACCEPT_PAUSE_CONTINUE",
			"SERVICE_ACCEPT_POWEREVENT", "SERVICE_ACCEPT_PRESHUTDOWN", "SERVICE_ACCEPT_SESSIONCHANGE", "SERVICE_ACCEPT_SHUTDOWN",
			"SERVICE_ACCEPT_STOP", "SERVICE_ADAPTER", "SERVICE_ALL_ACCESS", "SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_CHANGE_CONFIG",
			"SERVICE_CONTINUE_PENDING", "SERVICE_CONTROL_CONTINUE", "SERVICE_CONTROL_DEVICEEVENT", "SERVICE_CONTROL_HARDWAREPROFILECHANGE",
			"SERVICE_CONTROL_INTERROGATE", "SERVICE_CONTROL_NETBINDADD", "SERVICE_CONTROL_NETBINDDISABLE", "SERVICE_CONTROL_NETBINDENABLE",
			"SERVICE_CONTROL_NETBINDREMOVE", "SERVICE_CONTROL_PARAMCHANGE", "SERVICE_CONTROL_PAUSE", "SERVICE_CONTROL_POWEREVENT",
			"SERVICE_CONTROL_PRESHUTDOWN", "SERVICE_CONTROL_SESSIONCHANGE", "SERVICE_CONTROL_SHUTDOWN", "SERVICE_CONTROL_STOP",
			"SERVICE_DEMAND_START", "SERVICE_DISABLED", "SERVICE_DRIVER", "SERVICE_ENUMERATE_DEPENDENTS", "SERVICE_ERROR_CRITICAL",
			"SERVICE_ERROR_IGNORE", "SERVICE_ERROR_NORMAL", "SERVICE_ERROR_SEVERE", "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_INTERACTIVE_PROCESS",
			"SERVICE_INTERROGATE", "SERVICE_KERNEL_DRIVER", "SERVICE_NOTIFY_CONTINUE_PENDING", "SERVICE_NOTIFY_CREATED", "SERVICE_NOTIFY_DELETED",
			"SERVICE_NOTIFY_DELETE_PENDING", "SERVICE_NOTIFY_PAUSED", "SERVICE_NOTIFY_PAUSE_PENDING", "SERVICE_NOTIFY_RUNNING",
			"SERVICE_NOTIFY_START_PENDING", "SERVICE_NOTIFY_STATUS_CHANGE", "SERVICE_NOTIFY_STOPPED", "SERVICE_NOTIFY_STOP_PENDING",
			"SERVICE_NO_CHANGE", "SERVICE_PAUSED", "SERVICE_PAUSE_CONTINUE", "SERVICE_PAUSE_PENDING", "SERVICE_QUERY_CONFIG",
			"SERVICE_QUERY_STATUS", "SERVICE_RECOGNIZER_DRIVER", "SERVICE_RUNNING", "SERVICE_START", "SERVICE_START_PENDING", "SERVICE_STOP",
			"SERVICE_STOPPED", "SERVICE_STOP_PENDING", "SERVICE_SYSTEM_START", "SERVICE_TYPE_ALL", "SERVICE_USER_DEFINED_CONTROL", "SERVICE_WIN32",
			"SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS", "STANDARD_RIGHTS_REQUIRED",
		},
		funcs: map[string]string{
			"CloseHandle": "(handle windows.Handle) (err error)",
			"ChangeServiceConfig": "(service windows.Handle, serviceType uint32, startType uint32, errorControl uint32, binaryPathName *uint16, " +
				"loadOrderGroup *uint16, tagId *uint32, dependencies *uint16, serviceStartName *uint16, password *uint16, displayName *uint16) (err error)",
			"ChangeServiceConfig2": "(service windows.Handle, infoLevel uint32, info *byte) (err error)",
			"CloseServiceHandle":   "(handle windows.Handle) (err error)",
			"EnumServicesStatusEx": "(mgr windows.Handle, infoLevel uint32, serviceType uint32, serviceState uint32, services *byte, bufSize uint32, " +
				"bytesNeeded *uint32, servicesReturned *uint32, resumeHandle *uint32, groupName *uint16) (err error)",
			"QueryServiceConfig":  "(service windows.Handle, serviceConfig *windows.QUERY_SERVICE_CONFIG, bufSize uint32, bytesNeeded *uint32) (err error)",
			"QueryServiceConfig2": "(service windows.Handle, infoLevel uint32, buff *byte, buffSize uint32, bytesNeeded *uint32) (err error)",
			"ControlService":      "(service windows.Handle, control uint32, status *windows.SERVICE_STATUS) (err error)",
			"CreateService": "(mgr windows.Handle, serviceName *uint16, displayName *uint16, access uint32, srvType uint32, startType uint32, errCtl uint32, " +
				"pathName *uint16, loadOrderGroup *uint16, tagId *uint32, dependencies *uint16, serviceStartName *uint16, password *uint16) (handle windows.Handle, err error)",
			"DeleteService":             "(service windows.Handle) (err error)",
			"NewCallback":               "(fn interface{}) uintptr",
			"NotifyServiceStatusChange": "(service windows.Handle, notifyMask uint32, notifier *windows.SERVICE_NOTIFY) (ret error)",
			"OpenSCManager":             "(machineName *uint16, databaseName *uint16, access uint32) (handle windows.Handle, err error)",
			"OpenService":               "(mgr windows.Handle, serviceName *uint16, access uint32) (handle windows.Handle, err error)",
			"QueryServiceStatus":        "(service windows.Handle, status *windows.SERVICE_STATUS) (err error)",
			"QueryServiceStatusEx":      "(service windows.Handle, infoLevel uint32, buff *byte, buffSize uint32, bytesNeeded *uint32) (err error)",
			"SetServiceStatus":          "(service windows.Handle, serviceStatus *windows.SERVICE_STATUS) (err error)",
			"StartService":              "(service windows.Handle, numArgs uint32, argVectors **uint16) (err error)",
			"CreateEvent":               "(eventAttrs *windows.SecurityAttributes, manualReset uint32, initialState uint32, name *uint16) (handle windows.Handle, err error)",
			"CryptAcquireContext":       "(provhandle *windows.Handle, container *uint16, provider *uint16, provtype uint32, flags uint32) (err error)",
			"CryptReleaseContext":       "(provhandle windows.Handle, flags uint32) (err error)",
			"GetLastError":              "() (lasterr error)",
			"ResetEvent":                "(event windows.Handle) (err error)",
			"SetEvent":                  "(event windows.Handle) (err error)",
			"SleepEx":                   "(milliseconds uint32, alertable bool) (ret uint32)",
			"WaitForMultipleObjects":    "(handles []windows.Handle, waitAll bool, waitMilliseconds uint32) (event uint32, err error)",
			"WaitForSingleObject":       "(handle windows.Handle, waitMilliseconds uint32) (event uint32, err error)",
		},
		extras: map[string]shimExtra{
			"WaitForSingleObjectEx": {
				signature: "(handle windows.Handle, waitMilliseconds uint32, alertable bool) (event uint32, err error)",
				windows: `// WaitForSingleObjectEx calls kernel32's, as the wrapper mkwinsyscall
// writes for this line does:
//
//	//sys	WaitForSingleObjectEx(handle Handle, waitMilliseconds uint32, alertable bool) (event uint32, err error) [failretval==0xffffffff] = kernel32.WaitForSingleObjectEx
func WaitForSingleObjectEx(handle windows.Handle, waitMilliseconds uint32, alertable bool) (event uint32, err error) {
	var alertableArg uintptr
	if alertable {
		alertableArg = 1
	}
	r0, _, e1 := syscall.SyscallN(procWaitForSingleObjectEx.Addr(), uintptr(handle), uintptr(waitMilliseconds), alertableArg)
	event = uint32(r0)
	if event == 0xffffffff {
		err = syscall.EINVAL // as mkwinsyscall's errnoErr: the call failed without a last error
		if e1 != 0 {
			err = e1
		}
	}
	return
}

var procWaitForSingleObjectEx = windows.NewLazySystemDLL("kernel32.dll").NewProc("WaitForSingleObjectEx")
`,
			},
		},
	},
	{
		name: "registry", twin: twinapi.TwinRegistry, xsys: twinapi.XSysRegistry,
		types: []string{"Key", "KeyInfo"},
		consts: []string{
			"ALL_ACCESS", "CREATE_LINK", "CREATE_SUB_KEY", "ENUMERATE_SUB_KEYS", "EXECUTE", "NOTIFY", "QUERY_VALUE", "READ", "SET_VALUE",
			"WOW64_32KEY", "WOW64_64KEY", "WRITE",
			"CURRENT_USER", "LOCAL_MACHINE", "USERS",
			"BINARY", "DWORD", "DWORD_BIG_ENDIAN", "EXPAND_SZ", "FULL_RESOURCE_DESCRIPTOR", "LINK", "MULTI_SZ", "NONE", "QWORD",
			"RESOURCE_LIST", "RESOURCE_REQUIREMENTS_LIST", "SZ",
		},
		vars: []string{"ErrNotExist", "ErrShortBuffer", "ErrUnexpectedType"},
		funcs: map[string]string{
			"CreateKey": "(k registry.Key, path string, access uint32) (newk registry.Key, openedExisting bool, err error)",
			"DeleteKey": "(k registry.Key, path string) error",
			"OpenKey":   "(k registry.Key, path string, access uint32) (registry.Key, error)",
		},
		extras: map[string]shimExtra{
			"RegFlushKey": {
				signature: "(key registry.Key) (regerrno error)",
				windows: `// RegFlushKey calls advapi32's, as the wrapper mkwinsyscall writes for
// this line does:
//
//	//sys	RegFlushKey(key Key) (regerrno error) = advapi32.RegFlushKey
func RegFlushKey(key registry.Key) (regerrno error) {
	r0, _, _ := syscall.SyscallN(procRegFlushKey.Addr(), uintptr(key))
	if r0 != 0 {
		regerrno = syscall.Errno(r0)
	}
	return
}

var procRegFlushKey = windows.NewLazySystemDLL("advapi32.dll").NewProc("RegFlushKey")
`,
			},
		},
	},
	{
		name: "svc", twin: twinapi.TwinSvc, xsys: twinapi.XSysSvc,
		types: []string{"Accepted", "ActivityStatus", "ChangeRequest", "Cmd", "Handler", "StartReason", "State", "Status"},
		consts: []string{
			"AcceptHardwareProfileChange", "AcceptNetBindChange", "AcceptParamChange", "AcceptPauseAndContinue", "AcceptPowerEvent",
			"AcceptPreShutdown", "AcceptSessionChange", "AcceptShutdown", "AcceptStop",
			"Active", "AnyActivity", "Inactive",
			"Continue", "DeviceEvent", "HardwareProfileChange", "Interrogate", "NetBindAdd", "NetBindDisable", "NetBindEnable", "NetBindRemove",
			"ParamChange", "Pause", "PowerEvent", "PreShutdown", "SessionChange", "Shutdown", "Stop",
			"StartReasonAuto", "StartReasonDelayedAuto", "StartReasonDemand", "StartReasonRestartOnFailure", "StartReasonTrigger",
			"ContinuePending", "PausePending", "Paused", "Running", "StartPending", "StopPending", "Stopped",
		},
		funcs: map[string]string{
			"IsWindowsService": "() (bool, error)",
			"Run":              "(name string, handler svc.Handler) error",
			"StatusHandle":     "() windows.Handle",
		},
	},
	{
		name: "mgr", twin: twinapi.TwinMgr, xsys: twinapi.XSysMgr,
		types: []string{"Config", "Mgr", "RecoveryAction", "Service"},
		consts: []string{"ComputerReboot", "ErrorCritical", "ErrorIgnore", "ErrorNormal", "ErrorSevere", "NoAction", "RunCommand", "ServiceRestart",
			"StartAutomatic", "StartDisabled", "StartManual"},
		funcs: map[string]string{
			"Connect":       "() (*mgr.Mgr, error)",
			"ConnectRemote": "(host string) (*mgr.Mgr, error)",
		},
	},
}
