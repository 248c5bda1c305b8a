package scm

import "github.com/winsim/winsim/sim"

// Sources cited by the rules.
const (
	srcNotifyDoc    = "DOC NotifyServiceStatusChangeW"
	srcNotifyStruc  = "DOC SERVICE_NOTIFY_2W"
	srcWineNotify   = "WT wine dlls/advapi32/tests/service.c test_servicenotify"
	srcWineStart    = "WT wine dlls/advapi32/tests/service.c test_start_stop"
	srcWineRef      = "WT wine dlls/advapi32/tests/service.c test_refcount"
	srcWineSvc      = "WT wine dlls/advapi32/tests/service.c"
	srcWineRPC      = "WI wine programs/services/rpc.c"
	srcReactOS      = "ROS reactos base/system/services/rpcserver.c"
	srcStartDoc     = "DOC StartServiceW"
	srcControlDoc   = "DOC ControlService"
	srcDeleteDoc    = "DOC DeleteService"
	srcSetStatus    = "DOC SetServiceStatus"
	srcCreateDoc    = "DOC CreateServiceW"
	srcOpenSCMDoc   = "DOC OpenSCManagerW"
	srcAccessDoc    = "DOC Service Security and Access Rights"
	srcAPCDoc       = "DOC Asynchronous Procedure Calls"
	srcConfigDoc    = "DOC QueryServiceConfigW"
	srcChangeDoc    = "DOC ChangeServiceConfigW"
	srcConfig2Doc   = "DOC QueryServiceConfig2W"
	srcConfig2ChDoc = "DOC ChangeServiceConfig2W"
	srcEnumDoc      = "DOC EnumServicesStatusExW"
	srcModelChoice  = "model choice"
	srcWineMeas     = "measured under Wine 8.0"
)

// The contract rules: caller mistakes the documentation warns about. A model
// reports them as sim.Violation values naming the rule.
var (
	RuleBufferReused = sim.Rule{ID: "scm.contract.buffer-reused", Status: sim.Modeled,
		Statement: "a SERVICE_NOTIFY buffer must not be passed again while a request on it is outstanding",
		Source:    srcNotifyDoc + " (pNotifyBuffer)"}
	RuleSCMCallInCallback = sim.Rule{ID: "scm.contract.scm-call-in-callback", Status: sim.Modeled,
		Statement: "the notification callback must not call SCM functions: they use RPC and may wait alertably",
		Source:    srcNotifyDoc + " (remarks)"}
	RuleThreadExitPending = sim.Rule{ID: "scm.contract.thread-exit-pending", Status: sim.Modeled,
		Statement: "a thread that exits with a request outstanding leaks it; close the handle or wait for the callback first",
		Source:    srcNotifyDoc + " (remarks)"}
	RuleReportAfterStopped = sim.Rule{ID: "scm.contract.report-after-stopped", Status: sim.Modeled,
		Statement: "after SetServiceStatus(SERVICE_STOPPED) the status handle is gone; later reports fail (ERROR_INVALID_HANDLE in the model)",
		Source:    srcSetStatus + " (remarks); the model's code is a model choice"}
)

// Rules is the SCM part of the behavior catalog.
func Rules() []sim.Rule {
	r := func(id string, status sim.Status, statement, source string) sim.Rule {
		return sim.Rule{ID: id, Status: status, Statement: statement, Source: source}
	}
	const (
		M  = sim.Modeled
		MC = sim.ModelChoice
		FI = sim.FaultInjection
	)
	return []sim.Rule{
		// OpenSCManager
		r("scm.openscm.access-zero", M, "OpenSCManager with access 0 succeeds; SC_MANAGER_CONNECT is implied", srcWineSvc+" test_open_scm; "+srcOpenSCMDoc),
		r("scm.openscm.database-unknown", M, "an unknown database name gives ERROR_INVALID_NAME; the known names are compared without regard to case", srcWineSvc+" test_open_scm; "+srcReactOS+" ScmCreateManagerHandle"),
		r("scm.openscm.database-case-wine", M, "Wine 8.0 compares the database name exactly: \"servicesactive\" and \"servicesfailed\" give ERROR_INVALID_NAME, \"ServicesActive\" opens", srcWineMeas+"; "+srcWineRPC+" svcctl_OpenSCManagerW"),
		r("scm.openscm.database-failed", M, "SERVICES_FAILED_DATABASE gives ERROR_DATABASE_DOES_NOT_EXIST", srcWineSvc+" test_open_scm"),
		r("scm.openscm.remote-machine", MC, "a machine name other than the local one gives RPC_S_SERVER_UNAVAILABLE: no remote machine exists in the model", srcModelChoice+"; "+srcWineSvc+":101-104 test_open_scm (an unknown host gives RPC_S_SERVER_UNAVAILABLE, or RPC_S_INVALID_NET_ADDR on Windows Server 2008; todo_wine)").Decided(settingRemoteUnavailable.ID),
		r("scm.access.generic-mapping", M, "GENERIC_READ/WRITE/EXECUTE/ALL map to the SCM's and services' specific rights", srcAccessDoc),
		// CreateService
		r("scm.create.invalid-handle", M, "CreateService with a NULL or non-SCM handle gives ERROR_INVALID_HANDLE", srcWineSvc+" test_create_delete_svc"),
		r("scm.create.null-name-or-binary", M, "a NULL name or binary path gives ERROR_INVALID_ADDRESS, checked before access", srcWineSvc+" test_create_delete_svc"),
		r("scm.create.access", M, "without SC_MANAGER_CREATE_SERVICE CreateService gives ERROR_ACCESS_DENIED, even for empty names", srcWineSvc+" test_create_delete_svc"),
		r("scm.create.invalid-name", M, "an empty name, or one with '/' or '\\', gives ERROR_INVALID_NAME", srcWineSvc+" test_create_delete_svc; "+srcCreateDoc),
		r("scm.create.empty-binary", M, "an empty binary path gives ERROR_INVALID_PARAMETER", srcWineSvc+" test_create_delete_svc"),
		r("scm.create.invalid-type", M, "an invalid service type, start type or combination gives ERROR_INVALID_PARAMETER", srcWineSvc+" test_create_delete_svc; "+srcCreateDoc),
		r("scm.create.name-too-long", M, "a service name longer than 256 characters gives ERROR_INVALID_NAME; 256 characters are accepted", srcCreateDoc+" (lpServiceName: the maximum string length is 256 characters)"),
		r("scm.create.name-too-long-wine", M, "Wine 8.0 checks no length: a name longer than 256 characters passes the name check and the create fails later, when the service's registry key is written, with ERROR_GEN_FAILURE", srcWineMeas+"; "+srcWineRPC+" svcctl_CreateServiceW"),
		r("scm.create.invalid-error-control", M, "an error control other than SERVICE_ERROR_IGNORE, NORMAL, SEVERE or CRITICAL gives ERROR_INVALID_PARAMETER; SERVICE_ERROR_CRITICAL (3) is accepted", srcCreateDoc+" (dwErrorControl); "+srcReactOS+" RCreateServiceW"),
		r("scm.create.error-control-wine", M, "Wine 8.0 does not check the error control: any value is stored and the create succeeds", srcWineMeas+"; WI wine programs/services/services.c validate_service_config"),
		r("scm.create.exists", M, "creating an existing name gives ERROR_SERVICE_EXISTS", srcWineSvc+" test_create_delete_svc"),
		r("scm.create.duplicate-display", M, "a display name equal to another service's key name, or a key name equal to another service's display name, gives ERROR_DUPLICATE_SERVICE_NAME", srcWineSvc+":365-368 test_create_delete_svc (a display name equal to a key name: observed on Windows; todo_wine for Wine); "+srcCreateDoc+" (ERROR_DUPLICATE_SERVICE_NAME)"),
		r("scm.create.display-shared", M, "Windows 10 1709 and later: a display name another service was given as its display name is accepted; both services exist", srcWineSvc+":375-386 test_create_delete_svc (observed on Windows 10 1709+)"),
		r("scm.create.display-shared-win7", M, "before Windows 10 1709 (the win7 profile): a display name another service was given as its display name gives ERROR_DUPLICATE_SERVICE_NAME", srcWineSvc+":388-389 test_create_delete_svc (observed on older Windows)"),
		r("scm.create.duplicate-display-wine", M, "Wine 8.0 compares only the new service's display name (its key name when it has none) with the display names other services were given: a display name equal to another service's key name, and a key name equal to another display name when a display name is given, are accepted", srcWineMeas+"; WI wine programs/services/services.c scmdatabase_find_service_by_displayname"),
		r("scm.null-args-before-handle-wine", M, "Wine 8.0's OpenService and CreateService reject a NULL name or binary path with ERROR_INVALID_ADDRESS before they look at a handle that is not NULL (a made-up value, a service handle); a NULL handle still gives ERROR_INVALID_HANDLE first", srcWineMeas+"; WI wine dlls/sechost/service.c OpenServiceW, CreateServiceW"),
		r("scm.create.marked-for-delete", M, "creating a name marked for delete gives ERROR_SERVICE_MARKED_FOR_DELETE until the old record is removed", srcWineSvc+":2650 test_refcount"),
		r("scm.create.stopped", M, "a new service is SERVICE_STOPPED with process id 0", srcWineSvc+" test_queryconfig2/test_servicenotify"),
		r("scm.create.never-started", M, "a service that has not been started since it was created reports dwWin32ExitCode ERROR_SERVICE_NEVER_STARTED; a start clears it", "DOC System Error Codes 1077 (no attempts to start the service since the last boot)"),
		r("scm.create.access-irrelevant", M, "the access asked for the new handle does not affect creation; a handle created with access 0 cannot delete", srcWineSvc+" test_create_delete_svc"),
		// OpenService
		r("scm.open.invalid-handle", M, "OpenService with a NULL SCM handle gives ERROR_INVALID_HANDLE", srcWineSvc+" test_open_svc"),
		r("scm.open.null-name", M, "OpenService with a NULL name gives ERROR_INVALID_ADDRESS", srcWineSvc+" test_open_svc"),
		r("scm.open.unknown", M, "an unknown name, or a display name, gives ERROR_SERVICE_DOES_NOT_EXIST", srcWineSvc+" test_open_svc"),
		r("scm.open.invalid-name-wine", M, "Wine 8.0's OpenService rejects a name containing '/' or '\\' with ERROR_INVALID_NAME, as CreateService does, before it looks the name up (the model's Windows answers ERROR_SERVICE_DOES_NOT_EXIST, as for any name not in the database)", srcWineMeas+"; "+srcWineRPC+" svcctl_OpenServiceW"),
		r("scm.open.marked-for-delete", M, "OpenService on a service marked for delete succeeds while a handle keeps the record; the new handle keeps it too, until it is closed", srcWineSvc+":424 test_create_delete_svc (observed on Windows: the open after DeleteService, with the deleting handle still open, returns a handle); "+srcDeleteDoc),
		// CloseServiceHandle
		r("scm.close.invalid-handle", M, "CloseServiceHandle(NULL) and a closed handle give ERROR_INVALID_HANDLE", srcWineSvc+" test_close"),
		r("scm.close.scm-keeps-services", M, "closing the SCM handle does not close service handles opened through it", srcWineRef),
		// DeleteService
		r("scm.delete.access", M, "DeleteService needs DELETE, else ERROR_ACCESS_DENIED", srcDeleteDoc+"; "+srcWineSvc),
		r("scm.delete.invalid-handle", M, "DeleteService with a NULL or bad handle gives ERROR_INVALID_HANDLE", srcWineSvc+" test_delete_services"),
		r("scm.delete.twice", M, "a second DeleteService gives ERROR_SERVICE_MARKED_FOR_DELETE", srcWineSvc),
		r("scm.delete.removed-when-closed", M, "a marked service is removed once every handle is closed and it is stopped; OpenService then gives ERROR_SERVICE_DOES_NOT_EXIST. The model removes it at the last close; Windows may keep it marked a moment longer (a create right after the close can still be refused), and has removed it a second later", srcDeleteDoc+"; "+srcWineSvc+":2650 and :2663-2672 test_refcount (refused while handles are open; the create one second after the last close succeeds, the comment before it warns a sooner one may be refused)"),
		r("scm.delete.waits-for-stop", M, "a marked service that is still running stays in the database until it stops", srcDeleteDoc),
		// StartService
		r("scm.start.start-pending", M, "StartService sets SERVICE_START_PENDING, no controls accepted, checkpoint 0, wait hint 2000, and a process id", srcStartDoc),
		r("scm.start.returns-before-report", M, "StartService returns before the service's first status report", srcStartDoc),
		r("scm.start.invalid-handle", M, "StartService with a bad handle gives ERROR_INVALID_HANDLE", srcWineStart),
		r("scm.start.access", M, "StartService needs SERVICE_START, else ERROR_ACCESS_DENIED", srcStartDoc),
		r("scm.start.disabled", M, "a disabled service gives ERROR_SERVICE_DISABLED, checked before marked-for-delete", srcWineStart+"; "+srcReactOS),
		r("scm.start.marked-for-delete", M, "a service marked for delete gives ERROR_SERVICE_MARKED_FOR_DELETE", srcStartDoc),
		r("scm.start.already-running", M, "a service in any state but STOPPED gives ERROR_SERVICE_ALREADY_RUNNING", srcReactOS),
		r("scm.start.image-error", M, "a missing or invalid image gives ERROR_FILE_NOT_FOUND / ERROR_BAD_EXE_FORMAT; the service stays STOPPED with pid 0 and retries give the same error", srcWineStart),
		r("scm.start.no-dispatcher", M, "a process that never connects its dispatcher gives ERROR_SERVICE_REQUEST_TIMEOUT after the 30 s pipe timeout", srcWineStart+"; "+srcStartDoc),
		r("scm.start.database-locked", FI, "ERROR_SERVICE_DATABASE_LOCKED: the model has no database lock", srcStartDoc),
		r("scm.start.logon-failed", FI, "ERROR_SERVICE_LOGON_FAILED: the model has no accounts", srcStartDoc),
		r("scm.start.no-thread", FI, "ERROR_SERVICE_NO_THREAD: the model always creates the thread", srcStartDoc),
		r("scm.start.dependency-fail", FI, "ERROR_SERVICE_DEPENDENCY_FAIL / ERROR_SERVICE_DEPENDENCY_DELETED: starting dependencies is not modeled", srcStartDoc),
		r("scm.start.shutdown-in-progress", FI, "ERROR_SHUTDOWN_IN_PROGRESS: the model never shuts down", srcStartDoc),
		// SetServiceStatus and states
		r("scm.status.invalid-state", M, "SetServiceStatus with a state outside 1..7 gives ERROR_INVALID_DATA", srcSetStatus+"; "+srcReactOS),
		r("scm.status.invalid-handle", M, "SetServiceStatus with a bad status handle gives ERROR_INVALID_HANDLE", srcSetStatus),
		r("scm.status.final-states-zero-hints", M, "for STOPPED, RUNNING and PAUSED the checkpoint and wait hint are forced to 0", srcReactOS),
		r("scm.status.any-order", M, "no transition order is enforced: any valid state may follow any other", srcReactOS+"; "+srcWineRPC),
		r("scm.status.stopped-pid-zero", M, "after SERVICE_STOPPED the process id is 0", srcWineStart),
		r("scm.status.report-after-stopped-wine", M, "Wine 8.0 takes reports after SERVICE_STOPPED: the state changes with the process id 0, and a control that passes the state and accepted-controls checks then gives ERROR_SERVICE_CANNOT_ACCEPT_CTRL (no process is left)", srcWineMeas+"; "+srcWineRPC+" svcctl_SetServiceStatus, svcctl_ControlService"),
		// Query
		r("scm.query.access", M, "QueryServiceStatus(Ex) needs SERVICE_QUERY_STATUS, else ERROR_ACCESS_DENIED", "DOC QueryServiceStatusEx"),
		r("scm.query.invalid-handle", M, "QueryServiceStatus(Ex) with a bad handle gives ERROR_INVALID_HANDLE", "DOC QueryServiceStatusEx"),
		r("scm.query.null-buffer", M, "QueryServiceStatus with a NULL status pointer gives ERROR_INVALID_ADDRESS, checked after the handle and before its access; QueryServiceStatusEx with a NULL buffer of size 0 gives ERROR_INSUFFICIENT_BUFFER, checked after the level and before the handle; QueryServiceStatusEx with a buffer and a NULL pcbBytesNeeded gives ERROR_INVALID_ADDRESS, checked before the handle (the RPC stub refuses a NULL [ref] pointer before the handle is sent: inferred, and measured under Wine 8.0)", "WT wine dlls/advapi32/tests/service.c:925, 944, 995, 1018, 1055 test_query_svc; MS-SCMR RQueryServiceStatusEx; measured under Wine 8.0"),
		r("scm.query.level", M, "QueryServiceStatusEx with a level other than SC_STATUS_PROCESS_INFO gives ERROR_INVALID_LEVEL, checked first: before the handle and its access", "DOC QueryServiceStatusEx; "+srcWineSvc+" test_query_svc (the info level is checked first); ROS reactos dll/win32/advapi32/service/scm.c QueryServiceStatusEx"),
		// QueryServiceConfig
		r("scm.config.invalid-handle", M, "QueryServiceConfig with a NULL or non-service handle gives ERROR_INVALID_HANDLE", srcConfigDoc),
		r("scm.config.access", M, "QueryServiceConfig needs SERVICE_QUERY_CONFIG, else ERROR_ACCESS_DENIED", srcConfigDoc+"; "+srcAccessDoc),
		r("scm.config.buffer-size", M, "a NULL buffer of size 0, or one smaller than the structure and its strings, gives ERROR_INSUFFICIENT_BUFFER with pcbBytesNeeded set to the size needed (64 bytes of QUERY_SERVICE_CONFIGW, then each string in UTF-16 with its NUL, the dependencies as a MULTI_SZ); that size succeeds", srcWineSvc+":1981-1982, :1988 test_sequence; "+srcConfigDoc+" (pcbBytesNeeded); the byte count inferred from WI wine dlls/sechost/service.c QueryServiceConfigW"),
		r("scm.config.start-name-default", M, "a Win32 service created without an account reports lpServiceStartName \"LocalSystem\"; a driver's is empty (the model's: the system's default object name)", srcWineSvc+":2004 test_sequence; "+srcCreateDoc+" (lpServiceStartName: NULL uses the LocalSystem account)"),
		r("scm.config.display-default", MC, "a service created without a display name reports its key name as lpDisplayName", srcModelChoice).Decided(settingDisplayNameDefaulted.ID),
		r("scm.config.display-default-wine", M, "Wine 8.0 reports an empty lpDisplayName for a service created without a display name", srcWineMeas+"; "+srcWineRPC+" svcctl_QueryServiceConfigW"),
		r("scm.config.dependencies-wine", M, "Wine 8.0 reports no dependencies: lpDependencies is an empty string whatever the service was given", srcWineSvc+":2002 (todo_wine); "+srcWineRPC+" svcctl_QueryServiceConfigW"),
		// ChangeServiceConfig
		r("scm.change.invalid-handle", M, "ChangeServiceConfig with a NULL or non-service handle gives ERROR_INVALID_HANDLE", srcChangeDoc),
		r("scm.change.access", M, "ChangeServiceConfig needs SERVICE_CHANGE_CONFIG, else ERROR_ACCESS_DENIED", srcChangeDoc+"; "+srcAccessDoc),
		r("scm.change.marked-for-delete", M, "ChangeServiceConfig on a service marked for delete gives ERROR_SERVICE_MARKED_FOR_DELETE and changes nothing", srcChangeDoc+" (ERROR_SERVICE_MARKED_FOR_DELETE); "+srcWineRPC+" svcctl_ChangeServiceConfigW"),
		r("scm.change.no-change", M, "SERVICE_NO_CHANGE for a DWORD and NULL for a pointer keep that part of the configuration", srcWineSvc+":2007-2024 test_sequence; "+srcChangeDoc),
		r("scm.change.applied", M, "what ChangeServiceConfig changes, QueryServiceConfig reports afterwards; the password is accepted and not kept (the model has no accounts)", srcWineSvc+":2009, :2019, :2021, :2024 test_sequence"),
		r("scm.change.invalid-parameter", M, "a changed configuration is checked as a new one: types that do not fit together, an empty binary path or an unknown error control give ERROR_INVALID_PARAMETER (the error control as the profile checks CreateService's) and change nothing", srcChangeDoc+" (ERROR_INVALID_PARAMETER); "+srcWineRPC+" svcctl_ChangeServiceConfigW (validate_service_config)"),
		r("scm.change.duplicate-display", M, "a display name another service has as its key name or display name gives ERROR_DUPLICATE_SERVICE_NAME, by CreateService's rules under the profile; the service's own key name and display name are accepted", srcChangeDoc+" (ERROR_DUPLICATE_SERVICE_NAME)"),
		// QueryServiceConfig2 and ChangeServiceConfig2
		r("scm.config2.level", M, "QueryServiceConfig2 with an unknown level gives ERROR_INVALID_LEVEL, checked before the pointers and the handle", srcWineSvc+":2112-2118 test_queryconfig2"),
		r("scm.config2.null-buffer", M, "QueryServiceConfig2 with a NULL buffer and a nonzero size gives ERROR_INVALID_ADDRESS (Windows may give ERROR_INSUFFICIENT_BUFFER instead; the model gives Wine's code)", srcWineSvc+":2127-2128 test_queryconfig2 (either code)"),
		r("scm.config2.null-needed", M, "QueryServiceConfig2 with a NULL pcbBytesNeeded gives ERROR_INVALID_ADDRESS, after the level", srcWineSvc+":2122-2123, :2133-2134 test_queryconfig2"),
		r("scm.config2.invalid-handle", M, "QueryServiceConfig2 and ChangeServiceConfig2 with a NULL or non-service handle give ERROR_INVALID_HANDLE", srcConfig2Doc),
		r("scm.config2.access", M, "QueryServiceConfig2 needs SERVICE_QUERY_CONFIG and ChangeServiceConfig2 SERVICE_CHANGE_CONFIG, else ERROR_ACCESS_DENIED", srcConfig2Doc+"; "+srcAccessDoc),
		r("scm.config2.buffer-size", M, "a buffer smaller than the level's structure and its strings gives ERROR_INSUFFICIENT_BUFFER with pcbBytesNeeded set: SERVICE_DESCRIPTIONW is 8 bytes, plus the description in UTF-16 with its NUL when there is one", srcWineSvc+":2139-2141, :2153-2155, :2174-2176, :2204-2206 test_queryconfig2"),
		r("scm.config2.description", M, "a new service has no description (a NULL lpDescription); ChangeServiceConfig2 sets one, a NULL lpDescription keeps it and an empty one removes it", srcWineSvc+":2146-2148, :2185-2186, :2218-2239 test_queryconfig2"),
		r("scm.config2.delayed-auto-start", M, "SERVICE_CONFIG_DELAYED_AUTO_START_INFO is stored and reported; a new service's is FALSE (the flag matters only to an auto-start service)", "DOC SERVICE_DELAYED_AUTO_START_INFO"),
		r("scm.config2.failure-actions", MC, "SERVICE_CONFIG_FAILURE_ACTIONS is stored and reported: a NULL lpsaActions keeps the actions and the reset period, a NULL string keeps it and an empty one removes it; the model never runs a recovery action (no service process fails on its own)", srcModelChoice+"; DOC SERVICE_FAILURE_ACTIONSW"),
		r("scm.config2.restart-access", M, "failure actions with SC_ACTION_RESTART need SERVICE_START on the handle as well, else ERROR_ACCESS_DENIED", srcConfig2ChDoc+" (remarks)"),
		r("scm.config2.null-info", MC, "ChangeServiceConfig2 with a NULL lpInfo gives ERROR_INVALID_ADDRESS (the docs name no code)", srcModelChoice),
		r("scm.config2.levels-wine", M, "Wine 8.0 answers SERVICE_CONFIG_FAILURE_ACTIONS and SERVICE_CONFIG_DELAYED_AUTO_START_INFO with ERROR_INVALID_LEVEL, except ChangeServiceConfig2 with failure actions, which succeeds and stores nothing", "WI wine dlls/sechost/service.c QueryServiceConfig2W; "+srcWineRPC+" svcctl_ChangeServiceConfig2W"),
		// EnumServicesStatusEx
		r("scm.enum.level", M, "an info level other than SC_ENUM_PROCESS_INFO gives ERROR_INVALID_LEVEL, checked first", srcWineSvc+":1437-1440 test_enum_svc"),
		r("scm.enum.invalid-handle", M, "a NULL handle gives ERROR_INVALID_HANDLE, after the level and before the pointers", srcWineSvc+":1444-1446 test_enum_svc"),
		r("scm.enum.null-pointers", M, "a NULL pcbBytesNeeded or lpServicesReturned gives ERROR_INVALID_ADDRESS and writes nothing", srcWineSvc+":1454-1480 test_enum_svc"),
		r("scm.enum.invalid-filter", M, "a service type with no type bit, or a state other than SERVICE_ACTIVE, SERVICE_INACTIVE and SERVICE_STATE_ALL, gives ERROR_INVALID_PARAMETER with both counts 0, before the access check", srcWineSvc+":1485-1536 test_enum_svc"),
		r("scm.enum.access", M, "EnumServicesStatusEx needs SC_MANAGER_ENUMERATE_SERVICE, else ERROR_ACCESS_DENIED with both counts 0, before the group is looked up", srcWineSvc+":1540-1562 test_enum_svc"),
		r("scm.enum.group-unknown", M, "a group no service belongs to gives ERROR_SERVICE_DOES_NOT_EXIST with both counts 0", srcWineSvc+":1568-1575 test_enum_svc"),
		r("scm.enum.filters", M, "the services listed are those with a type bit in common with dwServiceType, in the state asked for (active: any state but SERVICE_STOPPED), and, when a group is named, in that group (\"\" lists those in none); each entry has the service's names and SERVICE_STATUS_PROCESS", srcEnumDoc+"; "+srcWineSvc+":1664-1748 test_enum_svc"),
		r("scm.enum.order", MC, "services are listed in the order of their key names, compared without regard to case", srcModelChoice),
		r("scm.enum.more-data", M, "a buffer too small for every entry gives ERROR_MORE_DATA with the entries that fit (ENUM_SERVICE_STATUS_PROCESSW is 56 bytes, then both names in UTF-16) in lpServicesReturned and the room the others need in pcbBytesNeeded; a buffer for all gives them with pcbBytesNeeded 0", srcEnumDoc+" (pcbBytesNeeded); "+srcWineSvc+":1584-1628 test_enum_svc"),
		r("scm.enum.resume", M, "with ERROR_MORE_DATA the resume handle holds the index of the first entry left out; a call from it lists the rest, and the handle is 0 once the list is complete", srcEnumDoc+" (lpResumeHandle); "+srcWineSvc+":1643 (todo_wine), :1648-1657 test_enum_svc"),
		r("scm.enum.partial-wine", M, "Wine 8.0 returns no entry unless every one fits, reports twice its server's size (44 bytes per entry, then the names) as needed, and ignores the resume handle", "WI wine dlls/sechost/service.c EnumServicesStatusExW; "+srcWineRPC+" svcctl_EnumServicesStatusExW"),
		// ControlService
		r("scm.control.invalid-code", M, "a code that is not a listed control nor 128-255 (SHUTDOWN, 11-127 included) gives ERROR_INVALID_PARAMETER", srcControlDoc+"; "+srcWineSvc),
		r("scm.control.code-before-handle", MC, "the control code is checked before the handle (Wine's order; ReactOS checks the handle first)", srcModelChoice+"; "+srcReactOS).Decided(settingControlCodeFirst.ID),
		r("scm.control.invalid-handle", M, "ControlService with a bad handle gives ERROR_INVALID_HANDLE", srcControlDoc),
		r("scm.control.access", M, "each control needs its right (STOP, PAUSE_CONTINUE, INTERROGATE, USER_DEFINED_CONTROL), else ERROR_ACCESS_DENIED", srcControlDoc),
		r("scm.control.dependents-running", M, "STOP while a dependent service is active gives ERROR_DEPENDENT_SERVICES_RUNNING", srcControlDoc+"; "+srcReactOS),
		r("scm.control.not-active", M, "any control to a stopped service gives ERROR_SERVICE_NOT_ACTIVE, with the status filled", srcControlDoc+"; "+srcWineSvc),
		r("scm.control.stop-pending", M, "any control to a STOP_PENDING service gives ERROR_SERVICE_CANNOT_ACCEPT_CTRL", srcControlDoc),
		r("scm.control.start-pending", M, "during START_PENDING only STOP is sent; other controls give ERROR_SERVICE_CANNOT_ACCEPT_CTRL", srcControlDoc),
		r("scm.control.not-accepted", M, "a control the service does not accept gives ERROR_INVALID_SERVICE_CONTROL", srcControlDoc),
		r("scm.control.always-accepted", M, "INTERROGATE and user-defined codes 128-255 pass the accepted-controls check", srcWineRPC),
		r("scm.control.dispatch", M, "an accepted control runs the service's handler; its immediate reports are made before ControlService returns with the new status", srcControlDoc),
		r("scm.control.status-filled", M, "lpServiceStatus is filled only for success, INVALID_SERVICE_CONTROL, CANNOT_ACCEPT_CTRL and NOT_ACTIVE", srcControlDoc),
		r("scm.control.request-timeout", FI, "ERROR_SERVICE_REQUEST_TIMEOUT: a handler that does not return in 30 s", srcControlDoc),
		// NotifyServiceStatusChange
		r("scm.notify.invalid-handle", M, "a NULL, closed or non-SC handle gives ERROR_INVALID_HANDLE", srcWineRPC+"; measured under Wine 8.0"),
		r("scm.notify.access-service", M, "a service handle needs SERVICE_QUERY_STATUS, else ERROR_ACCESS_DENIED", srcNotifyDoc+"; MS-SCMR 3.1.4.43"),
		r("scm.notify.access-scm", M, "an SCM handle needs SC_MANAGER_ENUMERATE_SERVICE, else ERROR_ACCESS_DENIED", srcNotifyDoc+"; MS-SCMR 3.1.4.43"),
		r("scm.notify.mask-handle-mismatch", MC, "CREATED/DELETED on a service handle, or state bits on an SCM handle, give ERROR_INVALID_PARAMETER (undocumented)", srcModelChoice+"; "+srcNotifyDoc).Decided(settingMaskChecked.ID),
		r("scm.notify.driver-service", MC, "a driver service cannot be watched: ERROR_INVALID_PARAMETER (the docs name no code)", srcModelChoice+"; "+srcNotifyDoc).Decided(settingDriverNotifyRejected.ID),
		r("scm.notify.version", MC, "dwVersion other than 1 or 2 gives ERROR_INVALID_LEVEL (undocumented; Wine accepts any)", srcModelChoice+"; MS-SCMR 2.2.43").Decided(settingVersionCheck.ID),
		r("scm.notify.version-1-fields", MC, "a buffer of version 1 (SERVICE_NOTIFY_STATUS_CHANGE_1, which has no room for them) gets dwNotificationStatus and ServiceStatus only: dwNotificationTriggered stays 0 and pszServiceNames NULL (Wine 8.0 fills both)", srcModelChoice+"; MS-SCMR 2.2.43 (level 1 lacks both fields); measured under Wine 8.0").Decided(settingLevelLimitsFields.ID),
		r("scm.notify.null-buffer", MC, "a NULL notify buffer gives ERROR_INVALID_PARAMETER (undocumented)", srcModelChoice),
		r("scm.notify.mask-zero", MC, "a zero mask or unknown bits are accepted; such a request never fires", srcModelChoice+"; measured under Wine 8.0"),
		r("scm.notify.marked-for-delete", M, "registering on a service marked for delete gives ERROR_SERVICE_MARKED_FOR_DELETE", srcNotifyDoc+" (return value)"),
		r("scm.notify.second-registration-win8", M, "Windows 8+: a second outstanding request on one handle is accepted and delivered; the first stays pending", srcWineNotify),
		r("scm.notify.second-registration-win7", M, "Vista/7: a second outstanding request on one handle gives ERROR_ALREADY_REGISTERED and the first stays pending", srcWineNotify),
		r("scm.notify.per-handle", M, "requests on different handles to one service coexist and each gets its callback", srcWineNotify),
		r("scm.notify.immediate", M, "if the service is already in a requested state the callback is queued at once", srcNotifyDoc+"; "+srcWineNotify),
		r("scm.notify.immediate-current-bit", M, "dwNotificationTriggered carries only the current state's bit, not the whole mask", srcWineNotify),
		r("scm.notify.transition", M, "a pending request fires when the service enters a requested state, with that state in ServiceStatus", srcNotifyDoc),
		r("scm.notify.unrequested-state", M, "entering a state outside the mask does not fire", srcNotifyDoc),
		r("scm.notify.one-shot", M, "a request fires once; further changes need a new call", srcNotifyDoc),
		r("scm.notify.rearm", M, "calling again without a state change since the last notification does not fire at once; it fires on the next entry into a requested state", srcNotifyDoc+"; "+srcWineRPC+" status_notified"),
		r("scm.notify.alertable-only", M, "the callback runs only when the registering thread enters an alertable wait; SleepEx then returns WAIT_IO_COMPLETION", srcNotifyDoc+"; "+srcAPCDoc),
		r("scm.notify.registering-thread", M, "the callback is queued to the thread that registered; other threads' waits do not run it", srcNotifyDoc+"; "+srcAPCDoc),
		r("scm.notify.callback-buffer", M, "the callback receives the SERVICE_NOTIFY buffer, filled in, not pContext", srcNotifyStruc+"; "+srcWineNotify),
		r("scm.notify.status-snapshot", M, "ServiceStatus in the buffer is the status at the moment the notification was queued", srcNotifyStruc),
		r("scm.notify.cancel-on-close", M, "after CloseServiceHandle succeeds no callback is queued for that handle's requests", srcNotifyDoc+"; "+srcWineNotify),
		r("scm.notify.cancel-queued", MC, "a callback already queued but not yet run is withdrawn by CloseServiceHandle", srcModelChoice+"; "+srcNotifyDoc).Decided(settingCloseWithdrawsQueued.ID),
		r("scm.notify.delete-pending", M, "DeleteService fires requests for SERVICE_NOTIFY_DELETE_PENDING", srcNotifyDoc),
		r("scm.notify.delete-pending-wine", M, "Wine 8.0's DeleteService completes no pending request: one for SERVICE_NOTIFY_DELETE_PENDING, like any other, stays pending", "measured under Wine 8.0 (setting scm.notify.delete-pending-delivered)"),
		r("scm.notify.status-marked", MC, "when the service is marked for delete, pending requests without DELETE_PENDING complete with dwNotificationStatus ERROR_SERVICE_MARKED_FOR_DELETE", srcModelChoice+"; "+srcNotifyStruc),
		r("scm.notify.created", M, "an SCM-handle request for CREATED fires when a service is created; pszServiceNames holds \"/name\"", srcNotifyDoc+"; "+srcNotifyStruc),
		r("scm.notify.deleted", M, "an SCM-handle request for DELETED fires when a service is removed; the name has no prefix", srcNotifyDoc+"; "+srcNotifyStruc),
		r("scm.notify.deleted-after-handles", M, "DELETED cannot arrive while any handle to the service is open", srcNotifyDoc),
		r("scm.notify.names-accumulate", MC, "creations and removals since the handle's last notification accumulate and are delivered together; the SCM handle starts collecting at its first request", srcModelChoice),
		r("scm.notify.client-lagging", MC, "an SCM handle with more than 16 undelivered events is lagging: its requests give ERROR_SERVICE_NOTIFY_CLIENT_LAGGING until it is closed", srcModelChoice+"; "+srcNotifyDoc+" (return value)").Decided(settingLaggingBound.ID),
		{ID: "scm.notify.thread-set-context", Status: sim.OutOfScope, Source: srcNotifyDoc,
			Statement: "the call fails if the thread cannot be opened with THREAD_SET_CONTEXT (code undocumented)",
			Reason:    "the model has no thread security; impersonation is not modeled"},
		{ID: "scm.notify.callback-in-module", Status: sim.OutOfScope, Source: srcNotifyDoc,
			Statement: "Vista RTM required the callback to live inside a loaded module",
			Reason:    "only Vista RTM had the restriction; no profile models it"},
		RuleBufferReused, RuleSCMCallInCallback, RuleThreadExitPending, RuleReportAfterStopped,
	}
}
