package scm

import "github.com/winsim/winsim/sim"

// The profile-dependent behaviors of the SCM model. Each is declared once,
// here, with its reason and source; Settings lists them for documentation.
var (
	// settingSecondRegistration: a second registration on a handle that
	// already has one outstanding.
	settingSecondRegistration = sim.Setting[bool]{
		ID:       "scm.notify.second-registration-accepted",
		Reason:   "Windows 8 and later accept a second outstanding registration on one handle and deliver it; Vista and 7 (and Wine 8.0) return ERROR_ALREADY_REGISTERED",
		Source:   "Wine dlls/advapi32/tests/service.c test_servicenotify (broken() for Vista/7); measured under Wine 8.0",
		Evidence: sim.Evidence{Class: sim.Observed, Ref: "dlls/advapi32/tests/service.c:2446"},
		Default:  true,
		ByProfile: map[string]bool{
			"win7":     false,
			"wine-8.0": false,
		},
	}
	// settingSCMHandleNotify: whether registrations on an SCM handle
	// (CREATED/DELETED) are implemented at all.
	settingSCMHandleNotify = sim.Setting[bool]{
		ID:        "scm.notify.scm-handle-supported",
		Reason:    "Wine 8.0 answers every registration on an SCM handle with ERROR_CALL_NOT_IMPLEMENTED",
		Source:    "measured under Wine 8.0; Wine programs/services/rpc.c",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NotifyServiceStatusChangeW page (dwNotifyMask): SERVICE_NOTIFY_CREATED and SERVICE_NOTIFY_DELETED are reported on a handle to the SCM"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingDeletePending: whether DeleteService delivers DELETE_PENDING.
	settingDeletePending = sim.Setting[bool]{
		ID:        "scm.notify.delete-pending-delivered",
		Reason:    "Wine 8.0 never delivers SERVICE_NOTIFY_DELETE_PENDING",
		Source:    "measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NotifyServiceStatusChangeW page (dwNotifyMask): SERVICE_NOTIFY_DELETE_PENDING reports a service about to be deleted, on a service handle"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingMarkedChecks: whether calls on a service marked for delete fail
	// with ERROR_SERVICE_MARKED_FOR_DELETE (NotifyServiceStatusChange,
	// StartService). OpenService opens such a service on every profile.
	settingMarkedChecks = sim.Setting[bool]{
		ID:        "scm.marked-for-delete-checked",
		Reason:    "Wine 8.0 lets NotifyServiceStatusChange and StartService succeed on a service marked for delete",
		Source:    "measured under Wine 8.0; Windows behavior from the NotifyServiceStatusChangeW and StartService pages",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "NotifyServiceStatusChangeW and StartService pages list ERROR_SERVICE_MARKED_FOR_DELETE for a service marked for deletion (OpenService is no longer part of the setting: it opens a marked service on every profile, dlls/advapi32/tests/service.c:424)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingVersionCheck: whether SERVICE_NOTIFY.dwVersion is checked.
	settingVersionCheck = sim.Setting[bool]{
		ID:        "scm.notify.version-checked",
		Reason:    "the docs require version 2 without naming an error; the model rejects versions other than 1 and 2 with ERROR_INVALID_LEVEL (MS-SCMR knows levels 1 and 2), Wine accepts any value",
		Source:    "model choice; MS-SCMR 2.2.43; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "MS-SCMR 2.2.43 defines notify parameter levels 1 and 2 only; the page requires version 2 without naming a code, and ERROR_INVALID_LEVEL is the SCM's code for an unknown level elsewhere (the code is the model's)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingControlCodeFirst: whether ControlService checks the control code
	// before the handle.
	settingControlCodeFirst = sim.Setting[bool]{
		ID:       "scm.control.code-checked-before-handle",
		Reason:   "Wine validates the control code before the handle, ReactOS after; real Windows is unknown, the model follows Wine",
		Source:   "model choice; Wine dlls/sechost/service.c, ReactOS base/system/services/rpcserver.c",
		Evidence: sim.Evidence{Class: sim.Choice, Ref: "the order of the control-code and handle checks on Windows is unknown (Wine checks the code first, ReactOS the handle); the model follows Wine"},
		Default:  true,
	}
	// settingStatusOnInvalidControl: whether ControlService fills
	// lpServiceStatus when it returns ERROR_INVALID_SERVICE_CONTROL.
	settingStatusOnInvalidControl = sim.Setting[bool]{
		ID:        "scm.control.status-filled-on-invalid-control",
		Reason:    "the documentation lists ERROR_INVALID_SERVICE_CONTROL among the codes that fill lpServiceStatus; Wine 8.0's server returns before filling it, so the caller gets whatever the server's reply held",
		Source:    "DOC ControlService (lpServiceStatus); measured under Wine 8.0; Wine programs/services/rpc.c svcctl_ControlService",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "ControlService page (lpServiceStatus): the structure is filled for ERROR_INVALID_SERVICE_CONTROL, ERROR_SERVICE_CANNOT_ACCEPT_CTRL and ERROR_SERVICE_NOT_ACTIVE as for success (the last is observed at dlls/advapi32/tests/service.c:2337)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingDependentsChecked: whether STOP checks for active dependent
	// services.
	settingDependentsChecked = sim.Setting[bool]{
		ID:        "scm.control.dependents-checked",
		Reason:    "Windows refuses to stop a service with active dependents (ERROR_DEPENDENT_SERVICES_RUNNING); Wine 8.0 never checks dependents",
		Source:    "DOC ControlService; ReactOS base/system/services/rpcserver.c; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "ControlService page: ERROR_DEPENDENT_SERVICES_RUNNING when a stop is asked of a service other running services depend on"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingSecondStopKills: whether a STOP sent to a service that has not
	// stopped since the previous STOP was delivered terminates its process.
	settingSecondStopKills = sim.Setting[bool]{
		ID:        "scm.control.second-stop-kills",
		Reason:    "Wine 8.0 remembers a delivered STOP; a second STOP while the service is still active terminates the service's process and returns ERROR_SERVICE_CANNOT_ACCEPT_CTRL; Windows sends the control again",
		Source:    "measured under Wine 8.0; Wine programs/services/rpc.c svcctl_ControlService (force_shutdown)",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "nothing known says Windows treats a repeated STOP differently from the first; the model sends it again"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingClientHandleCheck: whether ControlService rejects a handle
	// value that is not an open handle before it looks at the control code.
	settingClientHandleCheck = sim.Setting[bool]{
		ID:        "scm.control.invalid-handle-before-code",
		Reason:    "Wine's server checks the control code first, but its client rejects NULL and made-up handle values before the call reaches the server, so those give ERROR_INVALID_HANDLE whatever the code; an open handle of the wrong type still gets the code checked first; Wine's order is plausible for Windows too (its client also marshals the handle as an RPC context handle before the server sees the code); the win8 value stays the model's until a Windows run decides, as nothing recorded on Windows shows either order",
		Source:    "measured under Wine 8.0; Wine dlls/sechost/service.c (RPC context handles)",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the order of the checks on Windows is unknown; the model checks the code first for every handle (see scm.control.code-checked-before-handle)"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingMaskChecked: whether a service-handle registration asking for
	// CREATED or DELETED is refused.
	settingMaskChecked = sim.Setting[bool]{
		ID:        "scm.notify.mask-checked",
		Reason:    "CREATED and DELETED need an SCM handle; the model refuses them on a service handle with ERROR_INVALID_PARAMETER; Wine 8.0 accepts them there (they never fire)",
		Source:    "model choice; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the NotifyServiceStatusChangeW page says CREATED and DELETED need an SCM handle but names no code for a service handle; ERROR_INVALID_PARAMETER is the model's"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingStatusValidated: whether SetServiceStatus rejects a state
	// outside 1..7 or a driver type.
	settingStatusValidated = sim.Setting[bool]{
		ID:        "scm.status.validated",
		Reason:    "Windows (as ReactOS) rejects a state outside 1..7 or a driver service type with ERROR_INVALID_DATA; Wine 8.0 stores whatever it is given (0, 8 and 0xFFFFFFFF were read back)",
		Source:    "DOC SetServiceStatus; ReactOS base/system/services/rpcserver.c; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS services rpcserver.c (RSetServiceStatus) rejects a state outside 1..7 and a driver type with ERROR_INVALID_DATA, the code the SetServiceStatus page lists for an invalid status"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingFinalStatesZeroHints: whether STOPPED, RUNNING and PAUSED
	// reports have their checkpoint and wait hint forced to 0.
	settingFinalStatesZeroHints = sim.Setting[bool]{
		ID:        "scm.status.final-states-zero-hints",
		Reason:    "the SCM (as ReactOS does) zeroes the checkpoint and wait hint of a final state; Wine 8.0 keeps the values reported",
		Source:    "ReactOS base/system/services/rpcserver.c; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS services rpcserver.c (RSetServiceStatus) zeroes dwCheckPoint and dwWaitHint for STOPPED, RUNNING and PAUSED"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingStoppedClearsAccepted: whether a STOPPED report clears the
	// controls accepted.
	settingStoppedClearsAccepted = sim.Setting[bool]{
		ID:        "scm.status.stopped-clears-accepted",
		Reason:    "a stopped service accepts no control, so the model clears dwControlsAccepted on SERVICE_STOPPED; Wine 8.0 keeps what the service reported; Wine's value (keep what the service reported) is as plausible for Windows; the win8 value stays the model's, since nothing recorded on Windows decides and a stopped service takes no control either way",
		Source:    "model choice; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "nothing known; the model clears dwControlsAccepted on SERVICE_STOPPED since a stopped service takes no control"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingQueuedBlocksSecond: whether a request whose callback is queued
	// but has not run still counts as outstanding for a second registration
	// (where a second one is refused).
	settingQueuedBlocksSecond = sim.Setting[bool]{
		ID:        "scm.notify.queued-blocks-second-registration",
		Reason:    "the model counts a request as outstanding until its callback runs; Wine 8.0 forgets it once it has fired, so a second registration right after an immediate notification is accepted",
		Source:    "model choice; measured under Wine 8.0; Wine programs/services/rpc.c svcctl_NotifyServiceStatusChange",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "nothing known about a request whose callback is queued but has not run; the model counts it as outstanding"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingRemoteUnavailable: whether a remote machine name fails.
	settingRemoteUnavailable = sim.Setting[bool]{
		ID:        "scm.openscm.remote-machine-unavailable",
		Reason:    "the model has no other machine, so a remote name gives RPC_S_SERVER_UNAVAILABLE; Wine 8.0 opens the local SCM whatever machine is named",
		Source:    "model choice; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the model has no other machine and answers RPC_S_SERVER_UNAVAILABLE; dlls/advapi32/tests/service.c:103 (under todo_wine) accepts that code or RPC_S_INVALID_NET_ADDR for an unknown host"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingLevelLimitsFields: whether a buffer of an older version gets
	// only the fields its level has.
	settingLevelLimitsFields = sim.Setting[bool]{
		ID:        "scm.notify.version-limits-fields",
		Reason:    "level 1 of the notify parameters has no dwNotificationTriggered nor pszServiceNames, so the model leaves them out for a buffer whose dwVersion is below 2; Wine 8.0 always asks for level 2 and fills them",
		Source:    "MS-SCMR 2.2.43; model choice; measured under Wine 8.0; Wine dlls/sechost/service.c NotifyServiceStatusChangeW",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "MS-SCMR 2.2.43: level 1 of the notify parameters has no dwNotificationTriggered and no pszServiceNames"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingCloseWithdrawsQueued: whether closing the handle withdraws a
	// callback that is already queued but has not run.
	settingCloseWithdrawsQueued = sim.Setting[bool]{
		ID:        "scm.notify.close-withdraws-queued",
		Reason:    "the docs say no APC is queued once CloseServiceHandle succeeds, not whether one queued before still runs; the model withdraws it; Wine 8.0 completes the request in the server at once and its client queues the APC whatever happens to the handle; Wine's behavior is plausible for Windows too (a callback already queued to the thread is out of the SCM's hands); the win8 value stays the model's until a Windows run decides, as the documentation's sentence reads as the stronger promise",
		Source:    "model choice; measured under Wine 8.0; Wine dlls/sechost/service.c notify_thread",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the NotifyServiceStatusChangeW page says no callback is queued after CloseServiceHandle succeeds, not whether one queued before still runs; the model withdraws it (a pending one is withdrawn, dlls/advapi32/tests/service.c:2498)"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingDriverNotifyRejected: whether a registration on a driver
	// service is refused.
	settingDriverNotifyRejected = sim.Setting[bool]{
		ID:        "scm.notify.driver-service-rejected",
		Reason:    "the docs say driver services are not reported on, without a code; the model refuses the registration with ERROR_INVALID_PARAMETER; Wine 8.0 accepts it and reports like any service",
		Source:    "model choice; measured under Wine 8.0",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the NotifyServiceStatusChangeW page says driver services are not reported on, without a code; ERROR_INVALID_PARAMETER is the model's"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingOpenNameValidated: whether OpenService checks the name's
	// syntax before looking it up.
	settingOpenNameValidated = sim.Setting[bool]{
		ID:        "scm.open.name-validated",
		Reason:    "Wine 8.0 answers OpenService with a name containing '/' or '\\' with ERROR_INVALID_NAME, as CreateService does; the model, as for any name not in the database, with ERROR_SERVICE_DOES_NOT_EXIST (Windows unverified); Wine's ERROR_INVALID_NAME is plausible for Windows too (CreateService refuses such names with it); the win8 value stays the model's until a Windows run decides",
		Source:    "measured under Wine 8.0; Wine programs/services/rpc.c svcctl_OpenServiceW",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "Windows is unverified for OpenService with / or \\ in the name; the model treats it as any name not in the database"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingDatabaseCaseSensitive: whether OpenSCManager compares the
	// database name case-sensitively.
	settingDatabaseCaseSensitive = sim.Setting[bool]{
		ID:        "scm.openscm.database-name-case-sensitive",
		Reason:    "the SCM compares the database name without regard to case (ReactOS's server does); Wine 8.0 compares it exactly, so \"servicesactive\" and \"servicesfailed\" are unknown names there (ERROR_INVALID_NAME)",
		Source:    "ROS reactos base/system/services/rpcserver.c ScmCreateManagerHandle; measured under Wine 8.0; Wine programs/services/rpc.c svcctl_OpenSCManagerW",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS services rpcserver.c (ScmCreateManagerHandle) compares the database name without regard to case"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingDisplayAgainstNames: whether CreateService checks a display
	// name against the other services' key names, and a key name against
	// their display names, besides display against display.
	settingDisplayAgainstNames = sim.Setting[bool]{
		ID:        "scm.create.display-checked-against-names",
		Reason:    "the documentation refuses a display name that exists as a service name or as another display name; Wine 8.0 compares the new service's display name (its key name when it has none) with the display names given to other services only",
		Source:    "WT wine dlls/advapi32/tests/service.c:367-368 test_create_delete_svc (todo_wine: on Windows a display name equal to an existing key name gives ERROR_DUPLICATE_SERVICE_NAME; Wine 8.0 creates the service); DOC CreateServiceW (ERROR_DUPLICATE_SERVICE_NAME: also a key name equal to another display name, which no test line shows); measured under Wine 8.0; Wine programs/services/services.c scmdatabase_find_service_by_displayname",
		Evidence:  sim.Evidence{Class: sim.Observed, Ref: "dlls/advapi32/tests/service.c:368"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingDisplayShared: whether CreateService accepts a display name
	// another service was already given as its display name.
	settingDisplayShared = sim.Setting[bool]{
		ID:       "scm.create.display-name-shared",
		Reason:   "Windows 10 1709 and later create a service whose display name another service already has as its display name (the older key name is the one GetServiceKeyName returns); earlier Windows refuse it with ERROR_DUPLICATE_SERVICE_NAME, as Wine 8.0 does. A display name equal to another service's key name is refused everywhere",
		Source:   "WT wine dlls/advapi32/tests/service.c:375-389 test_create_delete_svc (observed on Windows: success on Windows 10 1709 and later, ERROR_DUPLICATE_SERVICE_NAME before); service.c:365-368",
		Evidence: sim.Evidence{Class: sim.Observed, Ref: "dlls/advapi32/tests/service.c:382"},
		Default:  true,
		ByProfile: map[string]bool{
			"win7":     false,
			"wine-8.0": false,
		},
	}
	// settingErrorControlChecked: whether CreateService refuses an error
	// control outside SERVICE_ERROR_IGNORE..SERVICE_ERROR_CRITICAL.
	settingErrorControlChecked = sim.Setting[bool]{
		ID:        "scm.create.error-control-checked",
		Reason:    "dwErrorControl is one of four values (SERVICE_ERROR_IGNORE, NORMAL, SEVERE, CRITICAL) and the SCM refuses any other with ERROR_INVALID_PARAMETER, as ReactOS's server does; Wine 8.0 checks the service type and start type but not the error control, and creates the service with the value given",
		Source:    "DOC CreateServiceW (dwErrorControl; ERROR_INVALID_PARAMETER); ROS reactos base/system/services/rpcserver.c RCreateServiceW; measured under Wine 8.0 (4, 5 and 0xFFFFFFFF accepted); Wine programs/services/services.c validate_service_config",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS services rpcserver.c (RCreateServiceW) refuses an error control other than the four documented values with ERROR_INVALID_PARAMETER; the CreateServiceW page lists only those four"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingNameLengthChecked: whether CreateService refuses a service name
	// longer than 256 characters with ERROR_INVALID_NAME.
	settingNameLengthChecked = sim.Setting[bool]{
		ID:        "scm.create.name-length-checked",
		Reason:    "a service name is at most 256 characters; the model refuses a longer one with ERROR_INVALID_NAME (the code for a name the SCM will not take); Wine 8.0's SCM has no length check and fails such a create only when it writes the service's registry key, with ERROR_GEN_FAILURE (31); 256 characters succeed there too",
		Source:    "DOC CreateServiceW (lpServiceName: the maximum string length is 256 characters; ERROR_INVALID_NAME); measured under Wine 8.0 (256 characters created, 257 ERROR_GEN_FAILURE); Wine programs/services/rpc.c svcctl_CreateServiceW",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "CreateServiceW page (lpServiceName): the maximum string length is 256 characters; ERROR_INVALID_NAME: the specified service name is invalid"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingStatusHandleKept: whether the status handle still works after
	// the service reported SERVICE_STOPPED.
	settingStatusHandleKept = sim.Setting[bool]{
		ID:        "scm.status.handle-kept-after-stopped",
		Reason:    "after SERVICE_STOPPED the status handle is gone and later reports fail (the model's code is ERROR_INVALID_HANDLE); Wine 8.0 keeps taking reports: the state changes and notifications fire, the process id stays 0, and with no process left a control that gets past the state and accepted-controls checks gives ERROR_SERVICE_CANNOT_ACCEPT_CTRL",
		Source:    "DOC SetServiceStatus (remarks); measured under Wine 8.0; Wine programs/services/rpc.c svcctl_SetServiceStatus, svcctl_ControlService",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "SetServiceStatus page (remarks): the status handle is not to be used after SERVICE_STOPPED was reported; the code a later report gets (ERROR_INVALID_HANDLE) is the model's"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingNullArgsBeforeHandle: whether OpenService and CreateService
	// check their NULL string pointers before the SCM handle.
	settingNullArgsBeforeHandle = sim.Setting[bool]{
		ID:        "scm.null-args-before-handle",
		Reason:    "a NULL handle fails first everywhere; for a handle that is not NULL but no open SCM handle, the model checks the handle before the NULL name or binary path (the order on Windows is not documented); Wine 8.0's client rejects the NULL pointer while marshalling, before the handle reaches the server, with ERROR_INVALID_ADDRESS; Wine's order is plausible for Windows too (its client marshals the strings through the same RPC interface, whose NULL check gives ERROR_INVALID_ADDRESS); the win8 value stays the model's until a Windows run decides",
		Source:    "model choice; measured under Wine 8.0; Wine dlls/sechost/service.c OpenServiceW, CreateServiceW",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "the order of the NULL-pointer and handle checks on Windows is unknown (a NULL handle fails first, dlls/advapi32/tests/service.c:132); the model checks the handle first"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingLaggingBound: how many CREATED/DELETED events an SCM handle may
	// hold undelivered before its client is lagging.
	settingLaggingBound = sim.Setting[int]{
		ID:       "scm.notify.lagging-bound",
		Reason:   "the docs say only that a client can fall too far behind; the bound is the model's",
		Source:   "model choice; NotifyServiceStatusChangeW return values",
		Evidence: sim.Evidence{Class: sim.Choice, Ref: "the NotifyServiceStatusChangeW page says only that a client can fall too far behind (ERROR_SERVICE_NOTIFY_CLIENT_LAGGING); 16 is the model's"},
		Default:  16,
	}
)

// Settings describes every profile-dependent behavior of the SCM model.
func Settings() []sim.SettingInfo {
	return []sim.SettingInfo{
		settingDependenciesReturned.Describe(),
		settingDisplayNameDefaulted.Describe(),
		settingConfig2Levels.Describe(),
		settingEnumPartial.Describe(),
		settingSecondRegistration.Describe(),
		settingSCMHandleNotify.Describe(),
		settingDeletePending.Describe(),
		settingMarkedChecks.Describe(),
		settingVersionCheck.Describe(),
		settingControlCodeFirst.Describe(),
		settingLaggingBound.Describe(),
		settingStatusOnInvalidControl.Describe(),
		settingDependentsChecked.Describe(),
		settingSecondStopKills.Describe(),
		settingCloseWithdrawsQueued.Describe(),
		settingDriverNotifyRejected.Describe(),
		settingOpenNameValidated.Describe(),
		settingClientHandleCheck.Describe(),
		settingMaskChecked.Describe(),
		settingStatusValidated.Describe(),
		settingFinalStatesZeroHints.Describe(),
		settingStoppedClearsAccepted.Describe(),
		settingQueuedBlocksSecond.Describe(),
		settingRemoteUnavailable.Describe(),
		settingLevelLimitsFields.Describe(),
		settingDatabaseCaseSensitive.Describe(),
		settingDisplayAgainstNames.Describe(),
		settingDisplayShared.Describe(),
		settingStatusHandleKept.Describe(),
		settingNullArgsBeforeHandle.Describe(),
		settingErrorControlChecked.Describe(),
		settingNameLengthChecked.Describe(),
	}
}

// The configuration calls' settings.
var (
	// settingDependenciesReturned: whether QueryServiceConfig reports the
	// service's dependencies.
	settingDependenciesReturned = sim.Setting[bool]{
		ID:        "scm.config.dependencies-returned",
		Reason:    "QueryServiceConfig returns the dependencies a service was given as a MULTI_SZ; Wine 8.0's server always sends none, so lpDependencies is an empty string and the size needed is smaller",
		Source:    "DOC QUERY_SERVICE_CONFIGW (lpDependencies); Wine dlls/advapi32/tests/service.c:2002 (todo_wine); Wine programs/services/rpc.c svcctl_QueryServiceConfigW",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "QUERY_SERVICE_CONFIGW page (lpDependencies): the names of the services or load ordering groups that must start before this service, as a double-null-terminated array; dlls/advapi32/tests/service.c:2002 checks the list and is todo_wine"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingDisplayNameDefaulted: what QueryServiceConfig reports as the
	// display name of a service created without one.
	settingDisplayNameDefaulted = sim.Setting[bool]{
		ID:        "scm.config.display-name-defaulted",
		Reason:    "the model's SCM reports the key name as the display name of a service created without one, as its database compares it (CreateService's display-name rules); Wine 8.0 stores no display name and reports an empty string",
		Source:    "model choice; measured under Wine 8.0; Wine programs/services/rpc.c svcctl_QueryServiceConfigW",
		Evidence:  sim.Evidence{Class: sim.Choice, Ref: "no page or observed test line says what Windows reports for a service created without a display name; the model reports the key name"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingConfig2Levels: whether the failure actions and the delayed
	// auto-start flag are stored and reported.
	settingConfig2Levels = sim.Setting[bool]{
		ID:        "scm.config2.failure-and-delayed-levels",
		Reason:    "QueryServiceConfig2 and ChangeServiceConfig2 know SERVICE_CONFIG_FAILURE_ACTIONS and SERVICE_CONFIG_DELAYED_AUTO_START_INFO; Wine 8.0 answers both with ERROR_INVALID_LEVEL, except that ChangeServiceConfig2 accepts failure actions and drops them",
		Source:    "DOC QueryServiceConfig2W, ChangeServiceConfig2W (dwInfoLevel); Wine dlls/sechost/service.c QueryServiceConfig2W, programs/services/rpc.c svcctl_ChangeServiceConfig2W",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "QueryServiceConfig2W page (dwInfoLevel): SERVICE_CONFIG_DELAYED_AUTO_START_INFO and SERVICE_CONFIG_FAILURE_ACTIONS are levels the function answers"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingEnumPartial: whether EnumServicesStatusEx returns the entries
	// that fit in a buffer too small for all of them, with the resume
	// handle.
	settingEnumPartial = sim.Setting[bool]{
		ID:        "scm.enum.partial-results",
		Reason:    "EnumServicesStatusEx fills a buffer too small for every entry with those that fit, sets pcbBytesNeeded to what the others need and the resume handle to the first of them; Wine 8.0 returns no entry unless all fit, reports twice the size its server sent as needed, and neither reads nor writes the resume handle",
		Source:    "DOC EnumServicesStatusExW (pcbBytesNeeded, lpResumeHandle); Wine dlls/advapi32/tests/service.c:1643 (todo_wine); Wine dlls/sechost/service.c EnumServicesStatusExW",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "EnumServicesStatusExW page: pcbBytesNeeded receives the bytes needed to return the remaining service entries when the buffer is too small, and lpResumeHandle the index of the next entry to read; dlls/advapi32/tests/service.c:1643 expects a resume handle and is todo_wine"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
)
