package hive

import "github.com/winsim/winsim/sim"

// Sources cited by the rules.
const (
	srcFlushDoc    = "DOC ZwFlushKey"
	srcRegFlushDoc = "DOC RegFlushKey"
	srcCreateDoc   = "DOC ZwCreateKey"
	srcOpenDoc     = "DOC ZwOpenKey"
	srcSetDoc      = "DOC ZwSetValueKey"
	srcQueryDoc    = "DOC ZwQueryValueKey"
	srcDeleteDoc   = "DOC ZwDeleteKey"
	srcQueryKeyDoc = "DOC ZwQueryKey"
	srcEnumKeyDoc  = "DOC ZwEnumerateKey"
	srcEnumValDoc  = "DOC ZwEnumerateValueKey"
	srcDelValDoc   = "DOC ZwDeleteValueKey"
	srcNtZwDoc     = "DOC Using Nt and Zw Versions of the Native System Services Routines; DOC PreviousMode"
	srcObRefDoc    = "DOC ObReferenceObjectByHandle"
	srcWineReg     = "WT wine dlls/ntdll/tests/reg.c"
	srcWineServer  = "WI wine server/registry.c"
	srcWineMeasure = "measured under Wine 8.0"
	srcROSAPI      = "ROS ntoskrnl/config/ntapi.c"
	srcROSCmAPI    = "ROS ntoskrnl/config/cmapi.c"
	srcROSLazy     = "ROS ntoskrnl/config/cmlazy.c"
	srcROSWrite    = "ROS sdk/lib/cmlib/hivewrt.c"
	srcRegfSpec    = "SPEC msuhanov/regf (Windows registry file format specification)"
	srcModelChoice = "model choice"
)

// The DDI compliance rules of the registry routines. The model reports a
// breach as a sim.Violation naming the rule.
var (
	RuleIrqlZwPassive = sim.Rule{ID: "ddi.IrqlZwPassive", Status: sim.Modeled,
		Statement: "the Zw registry routines (ZwCreateKey, ZwOpenKey, ZwSetValueKey, ZwQueryValueKey, ZwDeleteValueKey, ZwQueryKey, ZwEnumerateKey, ZwEnumerateValueKey, ZwDeleteKey, ZwFlushKey, ZwClose) are called at PASSIVE_LEVEL only",
		Source:    "DOC IrqlZwPassive rule (wdm); " + srcFlushDoc + " (IRQL)"}
	RuleZwRegistryCreate = sim.Rule{ID: "ddi.ZwRegistryCreate", Status: sim.Modeled,
		Statement: "WDM: a handle from ZwCreateKey is used only until ZwClose or ZwDeleteKey (after ZwDeleteKey only ZwClose, which the ZwDeleteKey page requires); ZwCreateKey/ZwOpenKey are not called for a key the driver holds open; no return from a dispatch or cancel routine while such a handle is open",
		Source:    "DOC ZwRegistryCreate rule (wdm); " + srcDeleteDoc + " (remarks)"}
	RuleZwRegistryOpen = sim.Rule{ID: "ddi.ZwRegistryOpen", Status: sim.Modeled,
		Statement: "WDM: the same as ddi.ZwRegistryCreate for a handle from ZwOpenKey: used only while open, ZwOpenKey not repeated for a key held open, closed before a dispatch or cancel routine returns",
		Source:    "DOC ZwRegistryOpen rule (wdm)"}
	RuleStorportZwRegistryCreate = sim.Rule{ID: "ddi.storport.ZwRegistryCreate", Status: sim.Modeled,
		Statement: "Storport: a handle from ZwCreateKey is used only while open, the key is not opened again while held, and the handle is closed before the miniport routine returns",
		Source:    "DOC ZwRegistryCreate rule (storport)"}
	RuleStorportZwRegistryOpen = sim.Rule{ID: "ddi.storport.ZwRegistryOpen", Status: sim.Modeled,
		Statement: "Storport: a handle from ZwOpenKey is used only while open, ZwOpenKey is not called again for a key held open, and the handle is closed before the miniport routine returns",
		Source:    "DOC ZwRegistryOpen rule (storport)"}
	RuleHwStorPortProhibitedDDIs = sim.Rule{ID: "ddi.storport.HwStorPortProhibitedDDIs", Status: sim.Modeled,
		Statement: "a physical Storport miniport does not call prohibited WDM routines; of the registry routines the model checks ZwFlushKey and ZwDeleteKey, whose pages name the rule",
		Source:    "DOC HwStorPortProhibitedDDIs rule (storport); " + srcFlushDoc + " and " + srcDeleteDoc + " (DDI compliance rules)"}
)

// Rules is the registry part of the behavior catalog.
func Rules() []sim.Rule {
	r := func(id string, status sim.Status, statement, source string) sim.Rule {
		return sim.Rule{ID: id, Status: status, Statement: statement, Source: source}
	}
	oos := func(id, statement, source, reason string) sim.Rule {
		return sim.Rule{ID: id, Status: sim.OutOfScope, Statement: statement, Source: source, Reason: reason}
	}
	const (
		M  = sim.Modeled
		MC = sim.ModelChoice
		FI = sim.FaultInjection
	)
	return []sim.Rule{
		// NtFlushKey / ZwFlushKey
		r("hive.flush.success", M, "NtFlushKey on a valid key handle returns STATUS_SUCCESS once the hive's changes are durable", srcFlushDoc+"; "+srcWineReg+" test_NtFlushKey"),
		r("hive.flush.whole-hive", M, "a flush writes every changed key of the key's hive, not only the key's subtree", srcFlushDoc+" (remarks)"),
		r("hive.flush.other-hives-untouched", M, "a flush writes only the hive of its key: changes in other hives stay unflushed", srcFlushDoc+"; "+srcROSCmAPI+" CmFlushKey"),
		r("hive.flush.registry-root", M, "flushing a key of the master hive (\\Registry, \\Registry\\Machine, \\Registry\\User) flushes every hive", srcROSCmAPI+" CmFlushKey"),
		r("hive.flush.clean-no-io", M, "a flush of a hive with no change since its last flush succeeds and writes nothing", srcROSWrite+" HvSyncHive"),
		r("hive.flush.volatile-hive", M, "a flush of a hive loaded with REG_WHOLE_HIVE_VOLATILE succeeds and writes nothing", srcROSWrite+" HvSyncHive"),
		r("hive.flush.invalid-handle", M, "NtFlushKey with NULL, a never-issued or a closed handle returns STATUS_INVALID_HANDLE", srcWineReg+" test_NtFlushKey; "+srcWineMeasure),
		r("hive.flush.type-mismatch", M, "NtFlushKey with a handle to another kind of kernel object (an event) returns STATUS_OBJECT_TYPE_MISMATCH", srcObRefDoc+"; "+srcWineMeasure),
		r("hive.flush.current-process", M, "NtFlushKey((HANDLE)-1), the current-process pseudo handle, returns STATUS_OBJECT_TYPE_MISMATCH", srcWineMeasure+"; "+srcObRefDoc),
		r("hive.flush.key-deleted", M, "NtFlushKey on a handle whose key was deleted (through any handle) returns STATUS_KEY_DELETED", srcROSCmAPI+" CmFlushKey; "+srcWineMeasure),
		r("hive.flush.access", MC, "NtFlushKey needs no access right on the handle: a handle opened with access 0 flushes (the RegFlushKey page's KEY_QUERY_VALUE is not enforced; setting hive.flush.needs-key-query-value)", srcModelChoice+"; "+srcROSAPI+" NtFlushKey; "+srcWineMeasure).Decided(settingFlushNeedsQueryValue.ID),
		r("hive.flush.io-failed", FI, "STATUS_REGISTRY_IO_FAILED when the hive cannot be written: no model condition produces it", srcROSCmAPI+" CmFlushKey"),
		r("hive.flush.durable-on-return", M, "a flush that returned is never lost: a power cut right after it keeps every change it wrote", srcFlushDoc+" (does not return until the data is written)"),
		r("hive.flush.io-accounting", MC, "each flush writes every dirty key record twice (log, then primary image) with 4 barriers (a key new to the image whole, a key the image holds as the values set and removed since its last record), and counts keys written, their value bytes (all of each key's values), writes, barriers and flushes; its cost follows the dirty data, not the hive's size or the key's", srcModelChoice+"; "+srcROSWrite+"; "+srcRegfSpec),
		// Nt and Zw
		r("hive.native.kernel-handle-user-mode", M, "a kernel handle (OBJ_KERNEL_HANDLE from kernel mode) passed to an Nt call whose previous mode is UserMode gives STATUS_INVALID_HANDLE; through Zw it works", srcNtZwDoc+"; "+srcCreateDoc+" (OBJ_KERNEL_HANDLE)"),
		r("hive.native.zw-skips-access", M, "a call in kernel mode (Zw from a driver) is not checked against the handle's granted access", srcObRefDoc+" (AccessMode KernelMode); "+srcNtZwDoc),
		r("hive.native.kernel-handle-user-caller", MC, "OBJ_KERNEL_HANDLE asked by a user-mode caller is ignored: the handle goes to the caller's process", srcModelChoice+"; DOC InitializeObjectAttributes"),
		r("hive.native.predefined-handle", M, "a predefined key (HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE) passed to NtFlushKey is no handle of the process: STATUS_INVALID_HANDLE", srcWineMeasure+" (the HKCU pseudo handle)"),
		// RegFlushKey
		r("hive.regflush.success", M, "RegFlushKey on a key handle returns ERROR_SUCCESS once the hive is written", srcRegFlushDoc+"; "+srcWineMeasure),
		r("hive.regflush.predefined", M, "RegFlushKey accepts HKEY_LOCAL_MACHINE and HKEY_USERS (every hive) and HKEY_CURRENT_USER (the user's hive)", srcRegFlushDoc+"; "+srcWineMeasure),
		r("hive.regflush.performance-data", MC, "RegFlushKey(HKEY_PERFORMANCE_DATA) returns ERROR_SUCCESS without I/O: performance data has no hive", srcModelChoice+"; "+srcRegFlushDoc),
		r("hive.regflush.invalid-handle", M, "RegFlushKey with NULL, a closed handle or an event handle returns ERROR_INVALID_HANDLE (STATUS_INVALID_HANDLE and STATUS_OBJECT_TYPE_MISMATCH both map to 6)", srcRegFlushDoc+"; "+srcWineMeasure),
		r("hive.regflush.key-deleted", M, "RegFlushKey on a deleted key returns ERROR_KEY_DELETED (1018)", srcRegFlushDoc),
		r("hive.regflush.access-denied", FI, "STATUS_ACCESS_DENIED from the flush becomes ERROR_ACCESS_DENIED; no profile checks access on a flush", srcRegFlushDoc),
		r("hive.regflush.io-failed", FI, "STATUS_REGISTRY_IO_FAILED becomes ERROR_REGISTRY_IO_FAILED (1016)", srcRegFlushDoc),
		r("hive.regflush.corrupt", FI, "STATUS_REGISTRY_CORRUPT becomes ERROR_BADDB (1009)", srcRegFlushDoc),
		r("hive.visibility.no-flush-needed", M, "a change is visible through every other handle at once, flushed or not", srcRegFlushDoc+" (remarks)"),
		oos("hive.regflush.blocks-hive", "while a flush runs, modifications of every key of the hive wait", srcRegFlushDoc,
			"flushes take no virtual time and calls are serialized, so no modification can overlap a flush"),
		// Lazy flush
		r("hive.lazy.after-interval", M, "a change arms the lazy flusher: the hive is written one interval (5 s by default) after the change that armed it, and later changes do not push it back", srcROSLazy+"; DOC KB2784761; setting hive.lazy.interval"),
		r("hive.lazy.power-loss", M, "a change not yet written by a flush or the lazy flusher is lost at a power cut", "DOC KB2784761"),
		r("hive.lazy.no-lazy-flush", M, "a hive loaded with REG_NO_LAZY_FLUSH is never written by the lazy flusher; an explicit flush still writes it", "DOC RegLoadAppKey/NtLoadKey2 (REG_NO_LAZY_FLUSH); "+srcROSLazy),
		r("hive.lazy.volatile-hive", M, "the lazy flusher skips volatile hives: they are never written", srcROSLazy),
		r("hive.lazy.pass-limit", MC, "one lazy pass writes at most 7 hives, going round the hive list; the rest are written by the next pass one interval later", srcModelChoice+"; "+srcROSLazy+" CmpDoFlushNextHive").Decided(settingLazyHivesPerPass.ID),
		r("hive.lazy.wine-periodic", M, "Wine writes the registry every 30 s counted from the server's start, and its NtFlushKey writes nothing", srcWineServer+" save_period, flush_key; "+srcWineMeasure),
		oos("hive.lazy.modern-reconcile", "Windows 8.1 and later write dirty data to .LOG1/.LOG2 first and reconcile the primary file later (RegistryLazyFlushInterval, RegistryLazyReconcileInterval)", srcRegfSpec,
			"the intervals are undocumented community figures; the model keeps one lazy interval, configurable"),
		oos("hive.lazy.boot-delay", "lazy flushing can be held off for a while after boot", srcROSLazy, "the model has no boot sequence"),
		// Volatility and hives
		r("hive.volatile.never-persisted", M, "a key created with REG_OPTION_VOLATILE is never written: it is gone after a power cut even when its hive was flushed", srcCreateDoc+" (REG_OPTION_VOLATILE); "+srcRegfSpec),
		r("hive.volatile.absolute-name-wine", M, "Wine 8.0 refuses a stable key under a volatile parent only when the name is relative to a RootDirectory handle: named by its absolute path, the stable key is created", srcWineMeasure+"; "+srcWineServer+" create_key_object"),
		r("hive.volatile.child-must-be-volatile", M, "creating a non-volatile key under a volatile key returns STATUS_CHILD_MUST_BE_VOLATILE", srcCreateDoc+"; behavior catalog §4.5"),
		r("hive.volatile.existing-unchanged", M, "ZwCreateKey of an existing key opens it (REG_OPENED_EXISTING_KEY) and leaves its volatility as it was, whatever the options", srcCreateDoc),
		r("hive.volatile.whole-hive", M, "nothing of a hive loaded with REG_WHOLE_HIVE_VOLATILE survives a power cut", "DOC RegLoadKey/NtLoadKey2 (REG_WHOLE_HIVE_VOLATILE)"),
		oos("hive.load.other-flags", "REG_REFRESH_HIVE, REG_FORCE_RESTORE, REG_APP_HIVE and the other load flags", "behavior catalog §4.4",
			"the model mounts empty hives only, with REG_NO_LAZY_FLUSH and REG_WHOLE_HIVE_VOLATILE; app hives' lazy-flush policy is undocumented"),
		// Create and open
		r("hive.create.disposition", M, "NtCreateKey reports REG_CREATED_NEW_KEY for a new key and REG_OPENED_EXISTING_KEY for an existing one", srcCreateDoc),
		r("hive.create.missing-parent", M, "NtCreateKey creates only the last component: a missing intermediate key gives STATUS_OBJECT_NAME_NOT_FOUND", srcCreateDoc+"; behavior catalog §4.5 (exact code uncertain)"),
		r("hive.create.key-deleted", M, "creating or opening relative to a deleted key (RootDirectory) gives STATUS_KEY_DELETED", srcWineReg),
		r("hive.create.invalid-options", M, "CreateOptions outside REG_LEGAL_OPTION (0x1F) give STATUS_INVALID_PARAMETER", srcROSAPI+" NtCreateKey"),
		r("hive.create.invalid-options-wine", M, "Wine 8.0 ignores CreateOptions bits outside REG_LEGAL_OPTION and creates the key", "measured under Wine 8.0"),
		r("hive.create.parent-access", MC, "creating through a RootDirectory handle needs no access right on that handle (the KEY_CREATE_SUB_KEY check is against the parent's security descriptor, which the model does not keep)", srcModelChoice+"; "+srcWineServer+" create_key"),
		r("hive.create.master-hive", MC, "creating a key directly under \\Registry, \\Registry\\Machine or \\Registry\\User gives STATUS_ACCESS_DENIED: only loaded hives appear there", srcModelChoice),
		r("hive.name.syntax", M, "an absolute name needs no RootDirectory and a relative one needs it: otherwise STATUS_OBJECT_PATH_SYNTAX_BAD; an absolute name whose first component is empty gives STATUS_OBJECT_NAME_INVALID", srcWineReg+" (reg.c:387, 416); DOC InitializeObjectAttributes"),
		r("hive.name.empty-components", M, "below \\Registry and below a RootDirectory key, empty components (a doubled or trailing backslash) are skipped", "WT wine dlls/ntdll/tests/reg.c:427, 433, 554, 564, 568, 575, 578"),
		r("hive.name.registry-case-sensitive", M, "without OBJ_CASE_INSENSITIVE an absolute name must spell REGISTRY in capitals before Windows 10 1607 (the win7 profile; setting hive.name.registry-exact): \\Registry\\Machine gives STATUS_OBJECT_PATH_NOT_FOUND, where later Windows (win8) and Wine 8.0 open it; key names below it compare without case", srcWineReg+":394, 663"),
		r("hive.name.component-too-long", M, "a key name, one component of a path, of more than 256 UTF-16 code units gives STATUS_INVALID_PARAMETER from NtCreateKey and NtOpenKey, where the lookup reaches it: after the root handle and every component before it, which must exist (a missing one is STATUS_OBJECT_NAME_NOT_FOUND first), and before the component itself is looked up or created; 256 is taken (the Registry Element Size Limits page says 255)", "ROS ntoskrnl/config/cmparse.c CmpGetNextName, CmpParseKey; "+srcWineServer+" key_lookup_name (MAX_NAME_LEN); DOC Registry Element Size Limits (key name: 255 characters)"),
		r("hive.open.not-found", M, "NtOpenKey of a missing key gives STATUS_OBJECT_NAME_NOT_FOUND; names compare without case (hive.name.upcase), so a character outside the BMP (a surrogate pair) compares exactly", srcOpenDoc+"; "+srcWineReg+":474, 477 (NtOpenKeyEx)"),
		r("hive.name.upcase", M, "key and value names, and the object names of an absolute path, compare by upcasing each UTF-16 code unit (RtlUpcaseUnicodeChar): a letter equals only its simple upper-case mapping where that mapping goes back to it (k and K, not the Kelvin sign; i and I, not U+0130; not the long s with s), and a surrogate half has no case", "DOC Structure of the Registry (key names are not case sensitive); WT wine dlls/ntdll/tests/rtlstr.c:603, 1907 (RtlUpcaseUnicodeChar over Latin-1, RtlCompareUnicodeString ignoring case, on Windows); ROS sdk/lib/cmlib/cmname.c CmpCompareCompressedName; WI wine server/unicode.c memicmp_strW (one unit at a time, over the l_intl.nls case table); "+srcWineReg+":470, 474, 477"),
		r("hive.open.zero-access", M, "NtOpenKey with an access mask of 0 returns STATUS_ACCESS_DENIED and writes NULL to the handle", "WT wine dlls/ntdll/tests/reg.c:377, 379"),
		r("hive.open.zero-access-wine", M, "Wine 8.0 opens a key with an access mask of 0 (setting hive.open.zero-access-denied)", "measured under Wine 8.0; WT wine dlls/ntdll/tests/reg.c:377 (todo_wine)"),
		r("hive.name.namespace", M, "an absolute name is resolved in the object namespace: \\ alone and \\Device\\Null are not keys (STATUS_OBJECT_TYPE_MISMATCH), a missing object is STATUS_OBJECT_NAME_NOT_FOUND as the last component and STATUS_OBJECT_PATH_NOT_FOUND before others", "WT wine dlls/ntdll/tests/reg.c:411, 427, 433, 439, 444, 449, 459, 602, 614, 621, 633, 638, 648"),
		oos("hive.create.links", "REG_OPTION_CREATE_LINK and REG_OPTION_OPEN_LINK create and open symbolic links", srcCreateDoc, "symbolic links are not modeled: the options are accepted and make ordinary keys"),
		oos("hive.wow64.views", "KEY_WOW64_32KEY in a 64-bit process opens the 32-bit view of the redirected keys (Wow6432Node); KEY_WOW64_64KEY the native one", "DOC Accessing an Alternate Registry View", "WOW64 registry redirection is not modeled: the model has the native view only, and the windows/registry twin refuses KEY_WOW64_32KEY"),
		oos("hive.predefined.views", "HKEY_CLASSES_ROOT is a merged view of the machine's and the user's Software\\Classes, HKEY_CURRENT_CONFIG a link into the SYSTEM hive's hardware profiles, HKEY_PERFORMANCE_DATA (and HKEY_PERFORMANCE_TEXT, HKEY_PERFORMANCE_NLSTEXT) no key at all but the performance counters and their names, HKEY_DYN_DATA the dynamic data of Windows 9x", "DOC Predefined Keys; DOC HKEY_CLASSES_ROOT Key; WI wine dlls/kernelbase/registry.c (is_perf_key, the special root range ending at HKEY_DYN_DATA)", "merged views, registry links, performance data and dynamic data are not modeled: the windows/registry twin refuses these keys, recognized by the low 32 bits of the handle value (RegFlushKey excepted, whose model accepts them: hive.regflush.predefined)"),
		// Values
		r("hive.set.access", M, "NtSetValueKey needs KEY_SET_VALUE on a user-mode handle, else STATUS_ACCESS_DENIED", srcSetDoc),
		r("hive.set.key-deleted", M, "NtSetValueKey on a deleted key gives STATUS_KEY_DELETED", srcWineReg+" test_NtDeleteKey"),
		r("hive.set.name-too-long", M, "a value name longer than 16383 UTF-16 code units (32767 bytes) gives STATUS_INVALID_PARAMETER, checked after the handle and its access; nothing is written", srcWineReg+":2122; "+srcROSAPI+" NtSetValueKey; DOC Registry Element Size Limits (value name: 16,383 characters)"),
		r("hive.set.replace-keeps-name", M, "NtSetValueKey of an existing value, named in another case, replaces its type and data and keeps its name as first spelled, and its place in the enumeration", srcROSCmAPI+" CmpSetValueKeyExisting (rewrites the type and data of the value cell); "+srcWineServer+" set_value; "+srcWineMeasure),
		r("hive.set.any-type", M, "NtSetValueKey accepts any type code with any length: type 0xff00ff00 with no data succeeds", srcWineReg),
		r("hive.query.access", M, "NtQueryValueKey needs KEY_QUERY_VALUE on a user-mode handle, else STATUS_ACCESS_DENIED", srcQueryDoc),
		r("hive.query.not-found", M, "NtQueryValueKey of a missing value gives STATUS_OBJECT_NAME_NOT_FOUND", srcQueryDoc),
		r("hive.query.key-deleted", M, "NtQueryValueKey on a deleted key gives STATUS_KEY_DELETED", srcWineReg+" test_NtDeleteKey"),
		oos("hive.query.buffer", "KeyValuePartialInformation in a buffer too small gives STATUS_BUFFER_OVERFLOW or STATUS_BUFFER_TOO_SMALL", srcQueryDoc,
			"the backend interface returns the whole value; buffer sizing is the real binding's concern"),
		// Delete and close
		r("hive.delete.access", M, "NtDeleteKey needs DELETE on a user-mode handle, else STATUS_ACCESS_DENIED", srcDeleteDoc),
		r("hive.delete.has-subkeys", M, "NtDeleteKey of a key with subkeys gives STATUS_CANNOT_DELETE", srcDeleteDoc+"; "+srcROSCmAPI+" CmDeleteKey"),
		r("hive.delete.hive-root", M, "the root key of a hive and the keys of the master hive cannot be deleted: STATUS_CANNOT_DELETE", srcROSCmAPI+" CmDeleteKey"),
		r("hive.delete.all-handles", M, "after a delete every handle to the key is a deleted-key handle: set, query and flush give STATUS_KEY_DELETED", srcWineReg+" test_NtDeleteKey; "+srcDeleteDoc),
		r("hive.delete.twice", M, "a second NtDeleteKey of a deleted key returns STATUS_SUCCESS", srcWineReg+" test_NtDeleteKey"),
		r("hive.delete.close", M, "closing a handle of a deleted key returns STATUS_SUCCESS", srcWineReg+" test_NtDeleteKey; "+srcDeleteDoc),
		r("hive.delete.flushed", M, "a deletion reaches the image with the next flush of the hive: after a power cut the key is gone", srcFlushDoc),
		r("hive.delete.null-handle", M, "NtDeleteKey(NULL) gives STATUS_INVALID_HANDLE", srcWineReg),
		oos("hive.delete.values-pre7", "before Windows 7 a key that still had values could not be deleted (STATUS_CANNOT_DELETE)", srcWineReg+" (ReactOS note)",
			"no profile models Windows versions before 7 separately"),
		r("hive.close.invalid-handle", M, "NtClose of NULL, a closed or a never-issued handle gives STATUS_INVALID_HANDLE (for kernel callers the docs leave it open; the model answers the same)", srcWineReg+"; behavior catalog §4.5"),
		// Key information and enumeration
		r("hive.info.buffer", M, "NtQueryKey, NtEnumerateKey and NtEnumerateValueKey write nothing into a buffer shorter than the class's fixed part (STATUS_BUFFER_TOO_SMALL), the fixed part and as much of the name or data as fits into a longer one that cannot hold it all (STATUS_BUFFER_OVERFLOW), and set ResultLength to the whole size in each case", srcWineReg+":2152, 2158, 2162, 2166, 2170, 2178 (KeyNameInformation); "+srcQueryKeyDoc+"; "+srcEnumKeyDoc),
		r("hive.querykey.classes", M, "NtQueryKey takes KeyBasicInformation, KeyNodeInformation, KeyFullInformation, KeyNameInformation and KeyCachedInformation; a class past MaxKeyInfoClass is STATUS_INVALID_PARAMETER, checked before the handle", srcQueryKeyDoc+"; "+srcROSAPI+" NtQueryKey; WI wine dlls/ntdll/unix/registry.c enumerate_key"),
		oos("hive.querykey.other-classes", "KeyFlagsInformation and the later classes (virtualization, handle tags, trust, layer)", srcQueryKeyDoc,
			"not modeled: the model refuses them with STATUS_INVALID_PARAMETER, as Wine 8.0 does; Windows answers KeyFlagsInformation"),
		r("hive.querykey.access", M, "NtQueryKey needs KEY_QUERY_VALUE on a user-mode handle, else STATUS_ACCESS_DENIED; KeyNameInformation needs only some granted right; Wine 8.0 checks no access (setting hive.querykey.access-checked)", "DOC RegQueryInfoKey; "+srcROSAPI+" NtQueryKey; "+srcWineServer+" enum_key"),
		r("hive.querykey.key-deleted", M, "NtQueryKey on a deleted key gives STATUS_KEY_DELETED", srcWineReg+":906"),
		r("hive.querykey.full", M, "KeyFullInformation and KeyCachedInformation count the key's subkeys and values, give the longest subkey name, value name and value data in bytes, and for the cached class the key's own name length; keys have no class (ClassOffset 0xFFFFFFFF, ClassLength 0); ResultLength is the fixed size (44 and 40 bytes)", srcWineReg+":2198-2240 (KeyCachedInformation); "+srcQueryKeyDoc+"; DOC KEY_FULL_INFORMATION, KEY_CACHED_INFORMATION"),
		r("hive.querykey.name", M, "KeyNameInformation gives the key's full name in the namespace, \\REGISTRY\\MACHINE\\...", srcWineReg+":2171, 2178, 2185; DOC KEY_NAME_INFORMATION"),
		r("hive.info.max-lengths", M, "the longest-length members of KeyFullInformation and KeyCachedInformation are marks under Windows: a deletion does not lower them until the key has no value (subkey) left; Wine 8.0 computes the current maxima (setting hive.info.max-lengths-high-water)", srcROSCmAPI+" CmSetValueKey, CmDeleteValueKey; "+srcWineServer+" enum_key"),
		r("hive.info.last-write", MC, "a key's LastWriteTime is the time of its last change (its creation, a value set or deleted, a subkey created or deleted under it); the model has no wall clock: its times are 2026-01-01 00:00 UTC plus the machine's virtual time, and after a power cut a key has the time of its last flushed record (a parent whose time a subkey's creation or deletion changed is not rewritten for it)", srcModelChoice+"; DOC KEY_BASIC_INFORMATION (LastWriteTime); "+srcWineServer+" touch_key"),
		r("hive.enumkey.classes", M, "NtEnumerateKey takes KeyBasicInformation, KeyNodeInformation and KeyFullInformation, and refuses any other class with STATUS_INVALID_PARAMETER before it looks at the handle; Wine 8.0 also takes KeyNameInformation and KeyCachedInformation (setting hive.enumkey.name-classes)", srcROSAPI+" NtEnumerateKey; WI wine dlls/ntdll/unix/registry.c enumerate_key"),
		r("hive.enumkey.access", M, "NtEnumerateKey needs KEY_ENUMERATE_SUB_KEYS on a user-mode handle, else STATUS_ACCESS_DENIED", srcEnumKeyDoc+"; "+srcROSAPI+" NtEnumerateKey"),
		r("hive.enumkey.key-deleted", M, "NtEnumerateKey on a deleted key gives STATUS_KEY_DELETED", srcWineReg+":909"),
		r("hive.enumkey.no-more-entries", M, "NtEnumerateKey with an index past the last subkey gives STATUS_NO_MORE_ENTRIES", srcEnumKeyDoc),
		r("hive.enumkey.sorted", M, "NtEnumerateKey returns the subkeys in the order of their upcased names (UTF-16 code units): a key's subkey list is kept sorted, so a new subkey may take any index, as the RegEnumKeyEx page warns; deleted subkeys are gone from the list", srcRegfSpec+" (subkey lists are sorted); "+srcWineServer+" find_subkey; DOC RegEnumKeyEx"),
		r("hive.enumvalue.classes", M, "NtEnumerateValueKey takes KeyValueBasicInformation, KeyValueFullInformation and KeyValuePartialInformation; a later class is STATUS_INVALID_PARAMETER, checked before the handle", srcEnumValDoc+"; WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey"),
		oos("hive.enumvalue.align64-classes", "KeyValueFullInformationAlign64 and KeyValuePartialInformationAlign64", srcEnumValDoc,
			"not modeled: refused with STATUS_INVALID_PARAMETER, as Wine 8.0 does"),
		r("hive.enumvalue.access", M, "NtEnumerateValueKey needs KEY_QUERY_VALUE on a user-mode handle, else STATUS_ACCESS_DENIED", srcEnumValDoc),
		r("hive.enumvalue.key-deleted", M, "NtEnumerateValueKey on a deleted key gives STATUS_KEY_DELETED", srcWineReg+":916"),
		r("hive.enumvalue.no-more-entries", M, "NtEnumerateValueKey with an index past the last value gives STATUS_NO_MORE_ENTRIES", srcEnumValDoc),
		r("hive.enumvalue.order", M, "NtEnumerateValueKey returns the values in the order they were first set; replacing a value keeps its index, deleting one moves the later ones up; Wine 8.0 returns them sorted by name (setting hive.enumvalue.sorted); after a power cut the order is the flushed one", "ROS sdk/lib/cmlib/cmvalue.c CmpAddValueToList; "+srcWineServer+" insert_value; DOC RegEnumValue (no order promised)"),
		r("hive.enumvalue.full", M, "KeyValueFullInformation puts the data after the name at the next 4-byte boundary (DataOffset; 0xFFFFFFFF without data) and ResultLength counts that padding; Wine 8.0 puts the data right after the name, unpadded, and gives that DataOffset even without data (setting hive.enumvalue.full-data-aligned)", "ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData; DOC KEY_VALUE_FULL_INFORMATION; WI wine dlls/ntdll/unix/registry.c copy_key_value_info; "+srcWineMeasure),
		r("hive.enumvalue.lengths", M, "NtEnumerateValueKey's NameLength and DataLength are the whole name's and data's lengths even when the buffer holds only part of them; Wine 8.0 gives the lengths of the parts the buffer received (setting hive.enumvalue.whole-lengths)", "ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData; "+srcWineReg+":786, 805, 824, 825 (NtQueryValueKey, on Windows); WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey; "+srcWineMeasure),
		r("hive.enumvalue.short-buffer", M, "NtEnumerateValueKey with a buffer shorter than the class's fixed part gives STATUS_BUFFER_TOO_SMALL under Windows and STATUS_BUFFER_OVERFLOW under Wine 8.0 (setting hive.enumvalue.short-buffer-status)", srcEnumValDoc+"; WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey"),
		// Value deletion
		r("hive.deletevalue.access", M, "NtDeleteValueKey needs KEY_SET_VALUE on a user-mode handle, else STATUS_ACCESS_DENIED", srcDelValDoc),
		r("hive.deletevalue.not-found", M, "NtDeleteValueKey of a missing value gives STATUS_OBJECT_NAME_NOT_FOUND, whatever the name's length", srcWineReg+":2120; "+srcDelValDoc),
		r("hive.deletevalue.key-deleted", M, "NtDeleteValueKey on a deleted key gives STATUS_KEY_DELETED", srcWineReg+":922"),
		r("hive.deletevalue.visible", M, "a deleted value is gone for every handle at once, flushed or not: queries give STATUS_OBJECT_NAME_NOT_FOUND and enumeration skips it", srcDelValDoc+"; "+srcRegFlushDoc+" (remarks)"),
		r("hive.deletevalue.flushed", M, "a value deletion marks the key dirty: it reaches the image with the next flush (or lazy flush); a power cut before that brings the value back, one after it does not", srcFlushDoc+"; DOC KB2784761"),
		// Crashes
		r("hive.crash.old-or-new", M, "after a power cut at any point of a flush the hive is its previous flushed image or the new one, whole, never a mix: the flush logs its records, commits the log behind a barrier, then updates the primary image", srcRegfSpec+" (dual write, log recovery); "+srcROSWrite),
		r("hive.crash.interrupted-call", MC, "a flush cut by a power loss never returns on Windows; the model returns STATUS_REGISTRY_IO_FAILED to the call so that it is not taken for a completed flush", srcModelChoice),
		r("hive.crash.handles-invalid", MC, "after a power cut the hives are remounted and handles from before it are gone (STATUS_INVALID_HANDLE): their processes did not survive", srcModelChoice),
		oos("hive.format.regf", "the on-disk format: base block with sequence numbers and checksum, 4 KiB bins, old and new log formats, recovery rules", srcRegfSpec,
			"the durable image is in memory; Store is the interface a real format would implement"),
		oos("hive.flush.no-write", "with writes globally disabled (setup, live media) a flush succeeds without I/O", srcROSCmAPI,
			"the model has no setup mode"),
		RuleIrqlZwPassive, RuleZwRegistryCreate, RuleZwRegistryOpen,
		RuleStorportZwRegistryCreate, RuleStorportZwRegistryOpen, RuleHwStorPortProhibitedDDIs,
	}
}
