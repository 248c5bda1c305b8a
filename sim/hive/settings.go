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
		settingEnumValuesSorted.Describe(),
		settingEnumValueShortBuffer.Describe(),
		settingQueryKeyAccessChecked.Describe(),
		settingEnumKeyNameClasses.Describe(),
		settingMaxLengthsHighWater.Describe(),
		settingFullDataAligned.Describe(),
		settingEnumValueWholeLengths.Describe(),
	}
}

// settingEnumValuesSorted: whether NtEnumerateValueKey returns a key's
// values sorted by name instead of in the order they were first set.
var settingEnumValuesSorted = sim.Setting[bool]{
	ID: "hive.enumvalue.sorted",
	Reason: "NT keeps a key's values in a list it appends new values to and closes up on a deletion, and enumerates that list by index; " +
		"Wine 8.0's server keeps each key's values in an array sorted by name (it finds them by binary search) and enumerates that. " +
		"The RegEnumValue page promises no order, so callers must not depend on either",
	Source:    "ROS sdk/lib/cmlib/cmvalue.c CmpAddValueToList (appends), ntoskrnl/config/cmapi.c CmDeleteValueKey (CmpRemoveValueFromList); SPEC msuhanov/regf (value list); WI wine server/registry.c find_value, insert_value; DOC RegEnumValue",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS sdk/lib/cmlib cmvalue.c (CmpAddValueToList appends a new value at the end of the key's value list)"},
	Default:   false,
	ByProfile: map[string]bool{"wine-8.0": true},
}

// settingEnumValueShortBuffer is what NtEnumerateValueKey returns for a
// buffer shorter than the class's fixed part.
var settingEnumValueShortBuffer = sim.Setting[sim.NTStatus]{
	ID: "hive.enumvalue.short-buffer-status",
	Reason: "NT answers a buffer too short for the fixed part with STATUS_BUFFER_TOO_SMALL and writes nothing, as its NtQueryKey and NtEnumerateKey do; " +
		"Wine 8.0's NtEnumerateValueKey has no such case and answers STATUS_BUFFER_OVERFLOW, writing the part of the fixed members that fits",
	Source:    "DOC ZwEnumerateValueKey (STATUS_BUFFER_TOO_SMALL: no data written); ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData; WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey",
	Evidence:  sim.Evidence{Class: sim.Documented, Ref: "ZwEnumerateValueKey page: STATUS_BUFFER_TOO_SMALL when the buffer is too small and no data is written"},
	Default:   sim.STATUS_BUFFER_TOO_SMALL,
	ByProfile: map[string]sim.NTStatus{"wine-8.0": sim.STATUS_BUFFER_OVERFLOW},
}

// settingFullDataAligned: whether KeyValueFullInformation puts a value's
// data at the next 4-byte boundary after the name.
var settingFullDataAligned = sim.Setting[bool]{
	ID: "hive.enumvalue.full-data-aligned",
	Reason: "NT's NtEnumerateValueKey puts the data of KeyValueFullInformation at the first 4-byte boundary after the name, counts the padding in ResultLength, " +
		"and gives DataOffset 0xFFFFFFFF for a value without data; " +
		"Wine 8.0's ntdll puts the data right after the name and sets DataOffset to that place whether or not there is data " +
		"(measured under Wine 8.0: the name abc gives DataOffset 26 and ResultLength 30 where NT gives 28 and 32)",
	Source: "ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData (the data offset aligned to a ULONG; 0xFFFFFFFF without data); " +
		"DOC KEY_VALUE_FULL_INFORMATION (DataOffset: the data after the name); " +
		"WI wine dlls/ntdll/unix/registry.c copy_key_value_info, NtEnumerateValueKey; measured under Wine 8.0",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmvalche.c (CmpQueryKeyValueData) aligns KeyValueFullInformation's DataOffset to 4 bytes and gives 0xFFFFFFFF without data"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
}

// settingEnumValueWholeLengths: whether NtEnumerateValueKey's NameLength
// and DataLength give the whole name's and data's lengths when the buffer
// holds only part of them.
var settingEnumValueWholeLengths = sim.Setting[bool]{
	ID: "hive.enumvalue.whole-lengths",
	Reason: "NT fills the fixed members of a value structure with the whole name's and data's lengths, whatever part of them the buffer then receives, " +
		"as Wine's test records for NtQueryValueKey on Windows (NameLength 20 and DataLength 4 in a buffer of the fixed part alone), a call NT answers with the same routine; " +
		"Wine 8.0's NtEnumerateValueKey takes them from what its server copied into the buffer, so a short buffer gets the lengths of the parts it holds " +
		"(measured under Wine 8.0: DataLength 0 for a DWORD whose data did not fit)",
	Source: "ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData (NameLength and DataLength set before the copy); " +
		"WT wine dlls/ntdll/tests/reg.c:786, 805, 824, 825 (NtQueryValueKey, on Windows); " +
		"WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey (the lengths from the reply size); measured under Wine 8.0",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmvalche.c (CmpQueryKeyValueData) sets NameLength and DataLength to the whole lengths before copying what fits; dlls/ntdll/tests/reg.c:824 records the same for NtQueryValueKey on Windows"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
}

// settingQueryKeyAccessChecked: whether NtQueryKey checks the handle's
// access.
var settingQueryKeyAccessChecked = sim.Setting[bool]{
	ID: "hive.querykey.access-checked",
	Reason: "NT's NtQueryKey references the handle for KEY_QUERY_VALUE, except for KeyNameInformation, which any granted right allows; " +
		"Wine 8.0's server looks the key up with no access at all for a query (only enumeration asks for KEY_ENUMERATE_SUB_KEYS)",
	Source:    "DOC RegQueryInfoKey (the handle needs KEY_QUERY_VALUE); ROS ntoskrnl/config/ntapi.c NtQueryKey; WI wine server/registry.c DECL_HANDLER(enum_key)",
	Evidence:  sim.Evidence{Class: sim.Documented, Ref: "RegQueryInfoKey page: the key must have been opened with KEY_QUERY_VALUE"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
}

// settingEnumKeyNameClasses: whether NtEnumerateKey takes
// KeyNameInformation and KeyCachedInformation.
var settingEnumKeyNameClasses = sim.Setting[bool]{
	ID: "hive.enumkey.name-classes",
	Reason: "NT's NtEnumerateKey takes only KeyBasicInformation, KeyNodeInformation and KeyFullInformation and refuses any other class with STATUS_INVALID_PARAMETER before it looks at the handle; " +
		"Wine 8.0's NtEnumerateKey shares NtQueryKey's code and also returns KeyNameInformation and KeyCachedInformation of a subkey",
	Source:    "ROS ntoskrnl/config/ntapi.c NtEnumerateKey; WI wine dlls/ntdll/unix/registry.c enumerate_key",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config ntapi.c (NtEnumerateKey) rejects classes other than basic, node and full"},
	Default:   false,
	ByProfile: map[string]bool{"wine-8.0": true},
}

// settingMaxLengthsHighWater: whether KeyFullInformation's longest-name and
// longest-data members are marks that only grow while the key has values
// (subkeys), instead of the current maxima.
var settingMaxLengthsHighWater = sim.Setting[bool]{
	ID: "hive.info.max-lengths-high-water",
	Reason: "NT stores MaxNameLen, MaxValueNameLen and MaxValueDataLen in the key node, raises them when a longer name or larger data is written " +
		"and clears the value marks only when the key's last value goes, so after a deletion they may exceed every remaining value (the model treats MaxNameLen and the last subkey alike); " +
		"Wine 8.0's server computes them from the current subkeys and values on every query. Either is a safe buffer size for RegQueryInfoKey's callers",
	Source:    "ROS ntoskrnl/config/cmapi.c CmSetValueKey, CmDeleteValueKey (the marks are cleared when the value list is empty); SPEC msuhanov/regf (key node: largest subkey name, value name, value data); WI wine server/registry.c enum_key",
	Evidence:  sim.Evidence{Class: sim.Inferred, Ref: "ReactOS ntoskrnl config cmapi.c (CmDeleteValueKey) clears MaxValueNameLen and MaxValueDataLen only when the value list is empty"},
	Default:   true,
	ByProfile: map[string]bool{"wine-8.0": false},
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
