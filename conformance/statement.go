package conformance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The oracle's statement of the profiles: for every point where win8, win7
// and Wine 8.0 differ (or where the project had to choose), the value the
// oracle expects under each profile and the source it took it from. The
// models declare the same points as settings (sim/*/settings.go); the
// oracle does not read them. TestStatementMatchesModelSettings compares the
// two and names both sources on any difference, so a setting changed in a
// model without the oracle's statement (or the other way round) fails
// twice: there, and by behavior: in the bundled scenarios, whose wants are
// written by hand, and for the statements the oracle uses in its
// predictions, in the checks and properties too. Twelve registry
// statements are pinned by the scenarios alone: the lazy flusher's three,
// hive.create.options-checked and hive.name.registry-exact (the oracle's
// runs turn the lazy flusher off and pass neither undefined options nor
// case-sensitive names), and the seven of key and value enumeration and
// queries (hive.enumvalue.*, hive.querykey.*, hive.enumkey.*, hive.info.*),
// calls the oracle does not make.
// (The registry's state diagram reads hive.lazy.interval for how long it
// lets the clock run.)
//
// Values are written as sim.SettingInfo prints them: true/false, decimal
// integers, durations (5s), status codes with their number
// (STATUS_CANNOT_DELETE (0xC0000121)).
type statement struct {
	id                 string
	win8, win7, wine80 string
	source             string
}

// value returns the statement's value under profile; ok is false for a
// profile the oracle states nothing about.
func (s statement) value(profile string) (v string, ok bool) {
	switch profile {
	case "win8":
		return s.win8, true
	case "win7":
		return s.win7, true
	case "wine-8.0":
		return s.wine80, true
	}
	return "", false
}

// statements is the table, by family. Sources use the catalog's prefixes:
// DOC a Microsoft page, WT a Wine conformance test line (run on Windows),
// WINE Wine's implementation, ROS ReactOS; "measured" is a run under
// Wine 8.0; a model choice says so.
var statements = []statement{
	// The kernel (sim.KernelSettings).
	{"kernel.wait.duplicate-wait-all-rejected", "true", "true", "false",
		"DOC WaitForMultipleObjects; model choice for the code; measured under Wine 8.0"},
	{"kernel.wait.multiple-pseudo-handle-accepted", "false", "false", "true",
		"WT wine dlls/kernel32/tests/sync.c:1366-1380 test_WaitForMultipleObjects (observed on Windows; todo_wine for Wine), sync.c:1298-1303 test_WaitForSingleObject"},

	// The Service Control Manager (sim/scm).
	{"scm.notify.second-registration-accepted", "true", "false", "false",
		"Wine dlls/advapi32/tests/service.c test_servicenotify (broken() for Vista/7); measured under Wine 8.0"},
	{"scm.notify.scm-handle-supported", "true", "true", "false",
		"measured under Wine 8.0; Wine programs/services/rpc.c"},
	{"scm.notify.delete-pending-delivered", "true", "true", "false",
		"measured under Wine 8.0"},
	{"scm.marked-for-delete-checked", "true", "true", "false",
		"measured under Wine 8.0; Windows behavior from the NotifyServiceStatusChangeW and StartService pages"},
	{"scm.notify.version-checked", "true", "true", "false",
		"model choice; MS-SCMR 2.2.43; measured under Wine 8.0"},
	{"scm.control.code-checked-before-handle", "true", "true", "true",
		"model choice; Wine dlls/sechost/service.c, ReactOS base/system/services/rpcserver.c"},
	{"scm.notify.lagging-bound", "16", "16", "16",
		"model choice; NotifyServiceStatusChangeW return values"},
	{"scm.control.status-filled-on-invalid-control", "true", "true", "false",
		"DOC ControlService (lpServiceStatus); measured under Wine 8.0; Wine programs/services/rpc.c svcctl_ControlService"},
	{"scm.control.dependents-checked", "true", "true", "false",
		"DOC ControlService; ReactOS base/system/services/rpcserver.c; measured under Wine 8.0"},
	// The configuration calls' settings: the oracle has no configuration
	// step yet (see settings in scm.go); the bundled scenarios judge them.
	{"scm.config.dependencies-returned", "true", "true", "false",
		"DOC QUERY_SERVICE_CONFIGW (lpDependencies); Wine dlls/advapi32/tests/service.c:2002 (todo_wine); Wine programs/services/rpc.c svcctl_QueryServiceConfigW"},
	{"scm.config.display-name-defaulted", "true", "true", "false",
		"model choice; measured under Wine 8.0; Wine programs/services/rpc.c svcctl_QueryServiceConfigW"},
	{"scm.config2.failure-and-delayed-levels", "true", "true", "false",
		"DOC QueryServiceConfig2W, ChangeServiceConfig2W (dwInfoLevel); Wine dlls/sechost/service.c QueryServiceConfig2W, programs/services/rpc.c svcctl_ChangeServiceConfig2W"},
	{"scm.enum.partial-results", "true", "true", "false",
		"DOC EnumServicesStatusExW (pcbBytesNeeded, lpResumeHandle); Wine dlls/advapi32/tests/service.c:1643 (todo_wine); Wine dlls/sechost/service.c EnumServicesStatusExW"},
	{"scm.control.second-stop-kills", "false", "false", "true",
		"measured under Wine 8.0; Wine programs/services/rpc.c svcctl_ControlService (force_shutdown)"},
	{"scm.notify.close-withdraws-queued", "true", "true", "false",
		"model choice; measured under Wine 8.0; Wine dlls/sechost/service.c notify_thread"},
	{"scm.notify.driver-service-rejected", "true", "true", "false",
		"model choice; measured under Wine 8.0"},
	{"scm.open.name-validated", "false", "false", "true",
		"measured under Wine 8.0; Wine programs/services/rpc.c svcctl_OpenServiceW"},
	{"scm.control.invalid-handle-before-code", "false", "false", "true",
		"measured under Wine 8.0; Wine dlls/sechost/service.c (RPC context handles)"},
	{"scm.notify.mask-checked", "true", "true", "false",
		"model choice; measured under Wine 8.0"},
	{"scm.status.validated", "true", "true", "false",
		"DOC SetServiceStatus; ReactOS base/system/services/rpcserver.c; measured under Wine 8.0"},
	{"scm.status.final-states-zero-hints", "true", "true", "false",
		"ReactOS base/system/services/rpcserver.c; measured under Wine 8.0"},
	{"scm.status.stopped-clears-accepted", "true", "true", "false",
		"model choice; measured under Wine 8.0"},
	{"scm.notify.queued-blocks-second-registration", "true", "true", "false",
		"model choice; measured under Wine 8.0; Wine programs/services/rpc.c svcctl_NotifyServiceStatusChange"},
	{"scm.openscm.remote-machine-unavailable", "true", "true", "false",
		"model choice; measured under Wine 8.0"},
	{"scm.notify.version-limits-fields", "true", "true", "false",
		"MS-SCMR 2.2.43; model choice; measured under Wine 8.0; Wine dlls/sechost/service.c NotifyServiceStatusChangeW"},
	{"scm.openscm.database-name-case-sensitive", "false", "false", "true",
		"ROS reactos base/system/services/rpcserver.c ScmCreateManagerHandle; measured under Wine 8.0; Wine programs/services/rpc.c svcctl_OpenSCManagerW"},
	{"scm.create.display-checked-against-names", "true", "true", "false",
		"DOC CreateServiceW (ERROR_DUPLICATE_SERVICE_NAME); measured under Wine 8.0; Wine programs/services/services.c scmdatabase_find_service_by_displayname"},
	{"scm.create.display-name-shared", "true", "false", "false",
		"WT wine dlls/advapi32/tests/service.c:375-389 test_create_delete_svc (observed on Windows: success on Windows 10 1709 and later, ERROR_DUPLICATE_SERVICE_NAME before); service.c:365-368"},
	{"scm.status.handle-kept-after-stopped", "false", "false", "true",
		"DOC SetServiceStatus (remarks); measured under Wine 8.0; Wine programs/services/rpc.c svcctl_SetServiceStatus, svcctl_ControlService"},
	{"scm.null-args-before-handle", "false", "false", "true",
		"model choice; measured under Wine 8.0; Wine dlls/sechost/service.c OpenServiceW, CreateServiceW"},
	{"scm.create.error-control-checked", "true", "true", "false",
		"DOC CreateServiceW (dwErrorControl; ERROR_INVALID_PARAMETER); ROS reactos base/system/services/rpcserver.c RCreateServiceW; measured under Wine 8.0 (4, 5 and 0xFFFFFFFF accepted); Wine programs/services/services.c validate_service_config"},
	{"scm.create.name-length-checked", "true", "true", "false",
		"DOC CreateServiceW (lpServiceName: the maximum string length is 256 characters; ERROR_INVALID_NAME); measured under Wine 8.0 (256 characters created, 257 ERROR_GEN_FAILURE); Wine programs/services/rpc.c svcctl_CreateServiceW"},

	// CNG key storage (sim/ksp).
	{"ksp.create.null-alg-code", "HRESULT_RPC_X_NULL_REF_POINTER (0x800706F4)", "NTE_FAIL (0x80090020)", "HRESULT_RPC_X_NULL_REF_POINTER (0x800706F4)",
		"WT wine dlls/ncrypt/tests/ncrypt.c (test_create_persisted_key, broken() for Windows 7)"},
	{"ksp.open.any-name-accepted", "false", "false", "true",
		"measured under Wine 8.0"},
	{"ksp.store.kept", "true", "true", "false",
		"measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptOpenKey and NCryptDeleteKey are FIXME stubs; NCryptCreatePersistedKey: \"Persistent keys are not supported\")"},
	{"ksp.create.rsa-only", "false", "false", "true",
		"measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptCreatePersistedKey: \"Algorithm not handled\")"},
	{"ksp.flags.checked", "true", "true", "false",
		"measured under Wine 8.0; WI wine dlls/ncrypt/main.c (the flags are traced, or only reported with a FIXME, and ignored)"},
	{"ksp.property.names-checked", "true", "true", "false",
		"measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptSetProperty calls set_object_property for any name); WT wine dlls/ncrypt/tests/ncrypt.c (todo_wine)"},
	{"ksp.notify.implemented", "true", "true", "false",
		"WI wine dlls/ncrypt/ncrypt.spec (@ stub NCryptNotifyChangeKey); measured under Wine 8.0"},

	// CryptoAPI (sim/ksp).
	{"csp.release.bad-flags-fail-while-referenced", "true", "true", "false",
		"model choice; DOC CryptReleaseContext; WI wine dlls/advapi32/crypt.c CryptReleaseContext"},
	{"csp.addref.reserved-checked", "true", "true", "false",
		"model choice; DOC CryptContextAddRef; measured under Wine 8.0"},
	{"csp.container.copy-per-context", "false", "false", "true",
		"model choice; DOC CryptGenKey, CryptAcquireContext; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c (new_key_container reads the pairs, destroy_key_container stores them)"},
	{"csp.hash.class-checked", "true", "true", "false",
		"model choice; DOC CryptCreateHash; measured under Wine 8.0; WI wine dlls/rsaenh/rsaenh.c CPCreateHash"},
	{"csp.hash.flags-first", "false", "false", "true",
		"model choice; measured under Wine 8.0; WI wine dlls/advapi32/crypt.c CryptCreateHash; WI wine dlls/rsaenh/rsaenh.c CPCreateHash"},

	// CNG key storage (sim/ksp).
	{"ksp.handle.provider-kind-checked", "true", "true", "false",
		"DOC NCryptCreatePersistedKey; measured under Wine 8.0; WI wine dlls/ncrypt/main.c (NCryptCreatePersistedKey and NCryptIsAlgSupported test the provider handle for NULL only)"},
	{"ksp.create.aes-keys", "true", "false", "false",
		"WT wine dlls/ncrypt/tests/ncrypt.c:301 (broken() for Windows 7; todo_wine)"},
	{"ksp.is-alg.symmetric-supported", "true", "false", "true",
		"WT wine dlls/ncrypt/tests/ncrypt.c:490, 494 test_NCryptIsAlgSupported (broken() for Windows 7); measured under Wine 8.0"},

	// The registry (sim/hive).
	{"hive.flush.needs-key-query-value", "false", "false", "false",
		"model choice; DOC RegFlushKey; ROS ntoskrnl/config/ntapi.c NtFlushKey; WI wine server/registry.c flush_key; measured under Wine 8.0"},
	{"hive.flush.explicit-writes", "true", "true", "false",
		"measured under Wine 8.0 (user.reg not rewritten); WI wine server/registry.c flush_key"},
	{"hive.lazy.interval", "5s", "5s", "30s",
		"ROS ntoskrnl/config/cmlazy.c CmpLazyFlushIntervalInSeconds; WI wine server/registry.c save_period; KB2784761"},
	{"hive.lazy.periodic", "false", "false", "true",
		"WI wine server/registry.c set_periodic_save_timer; ROS ntoskrnl/config/cmlazy.c CmpLazyFlush"},
	{"hive.lazy.hives-per-pass", "7", "7", "0",
		"ROS ntoskrnl/config/cmlazy.c CmpDoFlushNextHive; WI wine server/registry.c periodic_save"},
	{"hive.delete.has-subkeys-status", "STATUS_CANNOT_DELETE (0xC0000121)", "STATUS_CANNOT_DELETE (0xC0000121)", "STATUS_ACCESS_DENIED (0xC0000022)",
		"ROS ntoskrnl/config/cmapi.c CmDeleteKey; measured under Wine 8.0 (NtDeleteKey of a key with a subkey: 0xC0000022)"},
	{"hive.create.options-checked", "true", "true", "false",
		"ROS ntoskrnl/config/ntapi.c NtCreateKey; measured under Wine 8.0 (options 0x20, 0x40, 0x80000000 and 0xFFFFFFE0 all create the key)"},
	{"hive.volatile.absolute-name-checked", "true", "true", "false",
		"DOC ZwCreateKey; measured under Wine 8.0 (absolute name: STATUS_SUCCESS; the same parent as RootDirectory: STATUS_CHILD_MUST_BE_VOLATILE); WI wine server/registry.c create_key_object, save_subkeys"},
	{"hive.open.zero-access-denied", "true", "true", "false",
		"WT wine dlls/ntdll/tests/reg.c:377, 379 (todo_wine: Wine 8.0 differs)"},
	{"hive.name.registry-exact", "false", "true", "false",
		"WT wine dlls/ntdll/tests/reg.c:394, 663 (either result; STATUS_SUCCESS marked as Windows 10 1607 and later, which win8 stands for; win7 the older exact lookup); measured under Wine 8.0"},
	{"hive.enumvalue.sorted", "false", "false", "true",
		"ROS sdk/lib/cmlib/cmvalue.c CmpAddValueToList (a new value goes to the end of the list); WI wine server/registry.c insert_value (kept sorted for binary search); DOC RegEnumValue (no order promised)"},
	{"hive.enumvalue.short-buffer-status", "STATUS_BUFFER_TOO_SMALL (0xC0000023)", "STATUS_BUFFER_TOO_SMALL (0xC0000023)", "STATUS_BUFFER_OVERFLOW (0x80000005)",
		"DOC ZwEnumerateValueKey (STATUS_BUFFER_TOO_SMALL, no data written); WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey"},
	{"hive.querykey.access-checked", "true", "true", "false",
		"DOC RegQueryInfoKey (a key opened with KEY_QUERY_VALUE); ROS ntoskrnl/config/ntapi.c NtQueryKey; WI wine server/registry.c enum_key handler (no access asked for a query)"},
	{"hive.enumkey.name-classes", "false", "false", "true",
		"ROS ntoskrnl/config/ntapi.c NtEnumerateKey (basic, node and full only); WI wine dlls/ntdll/unix/registry.c enumerate_key (shared with NtQueryKey)"},
	{"hive.info.max-lengths-high-water", "true", "true", "false",
		"ROS ntoskrnl/config/cmapi.c CmDeleteValueKey (marks cleared with the last value only); SPEC msuhanov/regf key node; WI wine server/registry.c enum_key (computed per query)"},
	{"hive.enumvalue.full-data-aligned", "true", "true", "false",
		"ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData (DataOffset rounded up to a ULONG, 0xFFFFFFFF without data); WI wine dlls/ntdll/unix/registry.c copy_key_value_info (DataOffset where the name ends); measured under Wine 8.0 (the name abc: DataOffset 26, ResultLength 30)"},
	{"hive.enumvalue.whole-lengths", "true", "true", "false",
		"ROS ntoskrnl/config/cmvalche.c CmpQueryKeyValueData (the lengths set before what fits is copied); WT wine dlls/ntdll/tests/reg.c:824, 825 (NtQueryValueKey, observed on Windows); WI wine dlls/ntdll/unix/registry.c NtEnumerateValueKey (lengths from the reply's size); measured under Wine 8.0"},
}

// state adds a family's statements to the table, from the family's own
// file (`var _ = state(statement{...})`), so that a new family states its
// profile differences without an edit here. It returns true.
func state(s ...statement) bool {
	statements = append(statements, s...)
	return true
}

// settingReader reads one family's statements for an oracle, collecting
// every problem instead of stopping at the first. An oracle must state a
// rule for each statement of its family: one it does not know is an error,
// so a new difference cannot slip past the suite.
type settingReader struct {
	vals map[string]string
	errs []string
}

// readStatements reads the statements whose id starts with prefix under
// profile. where names the oracle's file for the messages; known lists the
// ids the oracle has rules for.
func readStatements(prefix, profile, where string, known []string) *settingReader {
	r := &settingReader{vals: map[string]string{}}
	for _, s := range statements {
		if !strings.HasPrefix(s.id, prefix) {
			continue
		}
		v, ok := s.value(profile)
		if !ok {
			r.errs = append(r.errs, fmt.Sprintf("the oracle states no value of %s for profile %q (conformance/statement.go)", s.id, profile))
		}
		r.vals[s.id] = v
		if !slices.Contains(known, s.id) {
			r.errs = append(r.errs, fmt.Sprintf("%s is stated in conformance/statement.go, but the oracle has no rule for it (%s)", s.id, where))
		}
	}
	return r
}

// str returns a setting's value as text.
func (r *settingReader) str(id string) string {
	v, ok := r.vals[id]
	if !ok {
		r.errs = append(r.errs, fmt.Sprintf("setting %s is not declared", id))
	}
	return v
}

// bool returns a boolean setting.
func (r *settingReader) bool(id string) bool {
	s := r.str(id)
	v, err := strconv.ParseBool(s)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("setting %s: %q is not a declared bool", id, s))
	}
	return v
}

// int returns an integer setting.
func (r *settingReader) int(id string) int {
	s := r.str(id)
	v, err := strconv.Atoi(s)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("setting %s: %q is not an integer", id, s))
	}
	return v
}

// fail records a problem found while interpreting a value.
func (r *settingReader) fail(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// err returns every problem found, or nil.
func (r *settingReader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("conformance: %s", strings.Join(r.errs, "; "))
}
