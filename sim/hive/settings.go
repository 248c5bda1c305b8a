package hive

import (
	"time"

	"github.com/winsim/winsim/sim"
)

// The profile-dependent behaviors of the registry model. Each is declared
// once, here, with its reason and source; Settings lists them for
// documentation.
var (
	// settingFlushNeedsQueryValue: whether NtFlushKey from user mode needs
	// a handle with KEY_QUERY_VALUE.
	settingFlushNeedsQueryValue = sim.Setting[bool]{
		ID: "hive.flush.needs-key-query-value",
		Reason: "the RegFlushKey page says the handle must have KEY_QUERY_VALUE, but the kernel's NtFlushKey references the handle with no access " +
			"(ReactOS; older ReactOS asked for KEY_QUERY_VALUE) and Wine accepts a handle of any access; the model follows the implementations",
		Source:   "model choice; DOC RegFlushKey; ROS ntoskrnl/config/ntapi.c NtFlushKey; WI wine server/registry.c flush_key; measured under Wine 8.0",
		Evidence: sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config ntapi.c (NtFlushKey) references the handle with no access; the RegFlushKey page asks for KEY_QUERY_VALUE"},
		Default:  false,
	}
	// settingOpenZeroAccessDenied: whether NtOpenKey refuses an access
	// mask of 0.
	settingOpenZeroAccessDenied = sim.Setting[bool]{
		ID:        "hive.open.zero-access-denied",
		Reason:    "Windows refuses NtOpenKey with an empty access mask with STATUS_ACCESS_DENIED and a NULL handle; Wine 8.0 opens the key",
		Source:    "WT wine dlls/ntdll/tests/reg.c:377, 379 (todo_wine: Wine 8.0 differs)",
		Evidence:  sim.Evidence{Class: sim.Observed, Ref: "dlls/ntdll/tests/reg.c:377"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingExplicitFlushWrites: whether an explicit flush writes the hive.
	settingExplicitFlushWrites = sim.Setting[bool]{
		ID:        "hive.flush.explicit-writes",
		Reason:    "Wine 8.0's NtFlushKey validates the handle and does nothing else: the registry file is written only by the server's periodic save",
		Source:    "measured under Wine 8.0 (user.reg not rewritten); WI wine server/registry.c flush_key",
		Evidence:  sim.Evidence{Class: sim.Documented, Ref: "RegFlushKey page: the call returns only once the key's changes are written to disk"},
		Default:   true,
		ByProfile: map[string]bool{"wine-8.0": false},
	}
	// settingLazyInterval: the delay of the lazy flusher.
	settingLazyInterval = sim.Setting[time.Duration]{
		ID: "hive.lazy.interval",
		Reason: "the classic NT lazy flusher writes 5 s after the change that armed it; Windows 8.1 and later reconcile later from their logs " +
			"(community figures of 60 s, not documented); Wine saves every 30 s",
		Source:    "ROS ntoskrnl/config/cmlazy.c CmpLazyFlushIntervalInSeconds; WI wine server/registry.c save_period; KB2784761",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmlazy.c: the lazy flush runs 5 s after the change that armed it; KB2784761 confirms changes are not written at once"},
		Default:   5 * time.Second,
		ByProfile: map[string]time.Duration{"wine-8.0": 30 * time.Second},
	}
	// settingLazyPeriodic: whether the lazy flusher runs on a fixed period
	// counted from the start instead of an interval after a change.
	settingLazyPeriodic = sim.Setting[bool]{
		ID:        "hive.lazy.periodic",
		Reason:    "Wine's server saves on a fixed period from its start; NT arms its lazy flush timer when a hive becomes dirty",
		Source:    "WI wine server/registry.c set_periodic_save_timer; ROS ntoskrnl/config/cmlazy.c CmpLazyFlush",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmlazy.c: the lazy flush timer is armed when a hive becomes dirty"},
		Default:   false,
		ByProfile: map[string]bool{"wine-8.0": true},
	}
	// settingLazyHivesPerPass: how many hives one lazy pass writes (0: all).
	settingLazyHivesPerPass = sim.Setting[int]{
		ID:        "hive.lazy.hives-per-pass",
		Reason:    "the NT lazy flusher syncs at most 7 hives per pass and goes round the hive list; Wine saves every branch at once",
		Source:    "ROS ntoskrnl/config/cmlazy.c CmpDoFlushNextHive; WI wine server/registry.c periodic_save",
		Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmlazy.c (CmpDoFlushNextHive): at most 7 hives per pass"},
		Default:   7,
		ByProfile: map[string]int{"wine-8.0": 0},
	}
)

// settingDeleteWithSubkeys is what NtDeleteKey returns for a key that
// still has subkeys.
var settingDeleteWithSubkeys = sim.Setting[sim.NTStatus]{
	ID:        "hive.delete.has-subkeys-status",
	Reason:    "NT refuses to delete a key with subkeys with STATUS_CANNOT_DELETE; Wine 8.0's server refuses it with STATUS_ACCESS_DENIED",
	Source:    "ROS ntoskrnl/config/cmapi.c CmDeleteKey; measured under Wine 8.0 (NtDeleteKey of a key with a subkey: 0xC0000022)",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmapi.c (CmDeleteKey) refuses a key with subkeys with STATUS_CANNOT_DELETE"},
	Default:   sim.STATUS_CANNOT_DELETE,
	ByProfile: map[string]sim.NTStatus{"wine-8.0": sim.STATUS_ACCESS_DENIED},
}

// settingCreateOptionsChecked is whether NtCreateKey refuses CreateOptions
// bits outside REG_LEGAL_OPTION.
var settingCreateOptionsChecked = sim.Setting[bool]{
	ID:        "hive.create.options-checked",
	Reason:    "NT refuses CreateOptions outside REG_LEGAL_OPTION with STATUS_INVALID_PARAMETER before it looks at the name; Wine 8.0 ignores the unknown bits and creates the key",
	Source:    "ROS ntoskrnl/config/ntapi.c NtCreateKey; measured under Wine 8.0 (options 0x20, 0x40, 0x80000000 and 0xFFFFFFE0 all create the key)",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config ntapi.c (NtCreateKey) refuses CreateOptions outside REG_LEGAL_OPTION with STATUS_INVALID_PARAMETER"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
}

// settingVolatileParentAbsolute is whether NtCreateKey refuses a stable
// key under a volatile one when the name is absolute (no RootDirectory).
var settingVolatileParentAbsolute = sim.Setting[bool]{
	ID:        "hive.volatile.absolute-name-checked",
	Reason:    "NT refuses a non-volatile key under a volatile parent however the key is named; Wine 8.0's server makes that check only when the name is relative to a RootDirectory handle, so a stable key named by its absolute path is created under a volatile parent (and, as its server never saves a volatile key's subtree, it is never written)",
	Source:    "DOC ZwCreateKey; measured under Wine 8.0 (absolute name: STATUS_SUCCESS; the same parent as RootDirectory: STATUS_CHILD_MUST_BE_VOLATILE); WI wine server/registry.c create_key_object, save_subkeys",
	Evidence:  sim.Evidence{Class: sim.Documented, Ref: "ZwCreateKey and RegCreateKeyEx pages: a volatile key's subkeys are volatile too (STATUS_CHILD_MUST_BE_VOLATILE), whatever names the key; the relative case is observed at dlls/advapi32/tests/registry.c:1296"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
}

// Settings describes every profile-dependent behavior of the registry model.
func Settings() []sim.SettingInfo {
	return []sim.SettingInfo{
		settingFlushNeedsQueryValue.Describe(),
		settingExplicitFlushWrites.Describe(),
		settingLazyInterval.Describe(),
		settingLazyPeriodic.Describe(),
		settingLazyHivesPerPass.Describe(),
		settingDeleteWithSubkeys.Describe(),
		settingCreateOptionsChecked.Describe(),
		settingVolatileParentAbsolute.Describe(),
		settingOpenZeroAccessDenied.Describe(),
		settingRegistryNameExact.Describe(),
	}
}

// settingRegistryNameExact: whether, without OBJ_CASE_INSENSITIVE, the
// object manager compares the name REGISTRY of an absolute name exactly.
var settingRegistryNameExact = sim.Setting[bool]{
	ID: "hive.name.registry-exact",
	Reason: "without OBJ_CASE_INSENSITIVE, Windows before 10 1607 looks the object \\REGISTRY up exactly, so \\Registry\\Machine gives STATUS_OBJECT_PATH_NOT_FOUND; " +
		"Windows 10 1607 and later find it in any case, and so does Wine 8.0 (measured). Key names below it compare without case either way. " +
		"Wine's test accepts both results, marking the success as Windows 10 1607 and later; win8 stands for current Windows as Wine's test machines run it, " +
		"so it takes the success (Windows 8 and 8.1 themselves predate 1607 and compare exactly), and win7 keeps the exact comparison of the older versions",
	Source:    "WT wine dlls/ntdll/tests/reg.c:394, 663 (either result accepted, STATUS_SUCCESS marked as Windows 10 1607 and later); measured under Wine 8.0",
	Evidence:  sim.Evidence{Class: sim.Observed, Ref: "dlls/ntdll/tests/reg.c:394"},
	Default:   false,
	ByProfile: map[string]bool{"win7": true},
}
