package scm

import "github.com/winsim/winsim/sim"

// The profile-dependent behaviors of the SCM model. Each is declared once,
// here, with its reason and source; Settings lists them for documentation.
var (
	// settingSecondRegistration: a second registration on a handle that
	// already has one outstanding.
	settingSecondRegistration = sim.Setting[bool]{
		ID:      "scm.notify.second-registration-accepted",
		Reason:  "Windows 8 and later accept a second outstanding registration on one handle and deliver it; Vista and 7 (and Wine 8.0) return ERROR_ALREADY_REGISTERED",
		Source:  "Wine dlls/advapi32/tests/service.c test_servicenotify (broken() for Vista/7); measured under Wine 8.0",
		Default: true,
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
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingDeletePending: whether DeleteService delivers DELETE_PENDING.
	settingDeletePending = sim.Setting[bool]{
		ID:        "scm.notify.delete-pending-delivered",
		Reason:    "Wine 8.0 never delivers SERVICE_NOTIFY_DELETE_PENDING",
		Source:    "measured under Wine 8.0",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingMarkedChecks: whether calls on a service marked for delete fail
	// with ERROR_SERVICE_MARKED_FOR_DELETE (NotifyServiceStatusChange,
	// OpenService, StartService).
	settingMarkedChecks = sim.Setting[bool]{
		ID:        "scm.marked-for-delete-checked",
		Reason:    "Wine 8.0 lets NotifyServiceStatusChange, OpenService and StartService succeed on a service marked for delete",
		Source:    "measured under Wine 8.0; Windows behavior from the NotifyServiceStatusChangeW and StartService pages",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingVersionCheck: whether SERVICE_NOTIFY.dwVersion is checked.
	settingVersionCheck = sim.Setting[bool]{
		ID:        "scm.notify.version-checked",
		Reason:    "the docs require version 2 without naming an error; the model rejects versions other than 1 and 2 with ERROR_INVALID_LEVEL (MS-SCMR knows levels 1 and 2), Wine accepts any value",
		Source:    "model choice; MS-SCMR 2.2.43; measured under Wine 8.0",
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingControlCodeFirst: whether ControlService checks the control code
	// before the handle.
	settingControlCodeFirst = sim.Setting[bool]{
		ID:      "scm.control.code-checked-before-handle",
		Reason:  "Wine validates the control code before the handle, ReactOS after; real Windows is unknown, the model follows Wine",
		Source:  "model choice; Wine dlls/sechost/service.c, ReactOS base/system/services/rpcserver.c",
		Default: true,
	}
	// settingLaggingBound: how many CREATED/DELETED events an SCM handle may
	// hold undelivered before its client is lagging.
	settingLaggingBound = sim.Setting[int]{
		ID:      "scm.notify.lagging-bound",
		Reason:  "the docs say only that a client can fall too far behind; the bound is the model's",
		Source:  "model choice; NotifyServiceStatusChangeW return values",
		Default: 16,
	}
)

// Settings describes every profile-dependent behavior of the SCM model.
func Settings() []sim.SettingInfo {
	return []sim.SettingInfo{
		settingSecondRegistration.Describe(),
		settingSCMHandleNotify.Describe(),
		settingDeletePending.Describe(),
		settingMarkedChecks.Describe(),
		settingVersionCheck.Describe(),
		settingControlCodeFirst.Describe(),
		settingLaggingBound.Describe(),
	}
}
