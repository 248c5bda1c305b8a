// Package registry is winsim's twin of golang.org/x/sys/windows/registry
// (v0.47.0): the same identifiers with the same signatures, types and
// constant values, running on winsim's registry model (package sim/hive)
// instead of Windows. Code written against x/sys's registry package builds
// against it on any system (through a shim package of aliases in the
// user's module, which simrun shim writes), and its calls reach the
// simulated machine a test binds and controls with package winsimtest:
// power cuts before, after and inside a flush, the lazy flusher, the
// trace.
//
// # Covered
//
// Key, CURRENT_USER, LOCAL_MACHINE, USERS, OpenKey, CreateKey, DeleteKey,
// Key.Close, Key.Stat and KeyInfo (with ModTime), Key.ReadSubKeyNames,
// Key.ReadValueNames, Key.DeleteValue, Key.GetValue, the Get and Set
// methods of every value type (GetStringValue and SetStringValue for SZ,
// SetExpandStringValue for EXPAND_SZ, GetStringsValue and SetStringsValue
// for MULTI_SZ, GetIntegerValue with SetDWordValue and SetQWordValue,
// GetBinaryValue and SetBinaryValue), ErrNotExist, ErrShortBuffer,
// ErrUnexpectedType, and the access rights and value types. The identity
// test of package windows loads x/sys's registry package with GOOS=windows
// and compares every exported identifier with it, and checks that every
// identifier of x/sys's package the twin lacks is one listed below.
//
// # Left out, and why
//
// Every identifier whose behavior is not modeled is left out, never
// emulated:
//   - CLASSES_ROOT, a merged view of the machine's and the user's
//     Software\Classes keys; CURRENT_CONFIG, a registry link into the
//     SYSTEM hive; PERFORMANCE_DATA, which is no key but the performance
//     counters. Merged views, links and performance data are not modeled
//     (rule hive.predefined.views); a Key holding one of their values is
//     refused with an error matching errors.ErrUnsupported, and so are
//     HKEY_DYN_DATA (0x80000006, the last predefined key) and the
//     performance keys HKEY_PERFORMANCE_TEXT (0x80000050) and
//     HKEY_PERFORMANCE_NLSTEXT (0x80000060), whatever the high half of the
//     value holds; RegFlushKey, whose model accepts the predefined keys,
//     and Close, which succeeds for all of them as RegCloseKey does, are
//     the exceptions.
//   - OpenRemoteKey: the model is one machine.
//   - ExpandString: it expands environment variables, and the model has no
//     environment. GetStringValue returns EXPAND_SZ strings unexpanded, as
//     x/sys's does.
//   - Key.GetMUIStringValue and LoadRegLoadMUIString: MUI strings come
//     from resource DLLs, which are not modeled.
//
// WOW64_32KEY, the 32-bit view, is declared (it is a number) but refused
// by every call given it, with an error matching errors.ErrUnsupported
// (rule hive.wow64.views): the model has the native view only, which is
// what WOW64_64KEY asks for.
//
// # Extras
//
// RegFlushKey is not in x/sys; programs that need it generate it with
// mkwinsyscall. The twin offers it with the signature such a wrapper has,
// outside the identity check.
//
// # The Reg* layer
//
// x/sys's registry package calls advapi32's Reg functions, which call the
// native key calls the model implements. The twin does the Reg functions'
// part itself, over the model's native calls, and follows these rules
// (documented: a Microsoft page; observed: a Wine conformance test line,
// which passes on Windows; inferred: Wine's or ReactOS's implementation):
//   - Predefined keys: LOCAL_MACHINE is \Registry\Machine, USERS is
//     \Registry\User, CURRENT_USER the default user's hive under it
//     (documented: Predefined Keys; inferred: Wine kernelbase). A
//     predefined key is recognized by the low 32 bits of the value alone,
//     so the SDK's sign-extended HKEY_CURRENT_USER, x/sys's zero-extended
//     CURRENT_USER and any other high half are one key (observed: advapi32
//     registry.c:1139-1169). Each call opens the key for its own use and
//     closes it after; advapi32 keeps one handle per process, which only a
//     count of the model's open handles taken during a call could tell
//     apart. OpenKey with an empty path below a predefined key returns the
//     predefined key as given (observed: advapi32 registry.c:1089-1091,
//     RegOpenKeyExA with HKEY_CLASSES_ROOT and ""), and closing any value
//     from 0x80000000 on does nothing and succeeds (inferred: Wine
//     kernelbase RegCloseKey).
//   - A zero Key is ERROR_INVALID_HANDLE for every call, whatever the
//     path (observed: advapi32 registry.c:1052-1055 and 1115-1122;
//     inferred: Wine kernelbase, which maps a NULL root to no handle): it
//     is never the root of an absolute native name.
//   - Names compare without case (OBJ_CASE_INSENSITIVE; inferred: ReactOS
//     advapi32), a leading backslash is ERROR_BAD_PATHNAME (observed:
//     registry.c:1070, through the model's STATUS_OBJECT_PATH_SYNTAX_BAD).
//     A key name (one component of a path) of more than 256 characters is
//     ERROR_INVALID_PARAMETER (inferred: ReactOS and Wine, rule
//     hive.name.component-too-long; the Registry Element Size Limits page
//     says 255), as is a value name of more than 16,383 (observed: Wine
//     ntdll reg.c:2122; documented: the same page).
//   - CreateKey creates every missing key of the path (documented:
//     RegCreateKeyExW remarks), one native create per component, the
//     intermediate handles closed (inferred: Wine kernelbase create_key);
//     a key directly under LOCAL_MACHINE or USERS is refused with
//     ERROR_ACCESS_DENIED (documented: RegCreateKeyExW; the model's
//     answer).
//   - DeleteKey opens the key with DELETE, deletes it and closes it; a key
//     with subkeys is ERROR_ACCESS_DENIED (documented: RegDeleteKeyW;
//     inferred: ReactOS, STATUS_CANNOT_DELETE).
//   - GetValue: a buffer too short for the data is ERROR_MORE_DATA with the
//     size needed and the buffer untouched (documented: RegQueryValueExW;
//     observed: registry.c:2115); string data without a final NUL gets one
//     after it when the buffer has room, uncounted (inferred: Wine
//     kernelbase RegQueryValueExW).
//   - ReadSubKeyNames and ReadValueNames: a name that does not fit the
//     buffer with its NUL is ERROR_MORE_DATA (observed: registry.c:666),
//     past the last one ERROR_NO_MORE_ITEMS; the twin loops as x/sys does,
//     and returns the names read before an error with it. Unlike x/sys's,
//     its loops are bounded against the layers below: an enumeration is
//     checked against the key's count (NtQueryKey, read when the index
//     passes the last count known, which adds one call to the trace of a
//     ReadSubKeyNames of two subkeys or more), and an entry found past the
//     count, an index asked for after one past it, a name that outgrows
//     any the registry holds or an information call that keeps asking for
//     a larger buffer panics saying so, where it would otherwise spin.
//   - Errors: the native status becomes the Win32 code through
//     RtlNtStatusToDosError's table (sim.NTStatus.Win32): a missing key or
//     value is ERROR_FILE_NOT_FOUND (ErrNotExist), a deleted key
//     ERROR_KEY_DELETED, a closed handle ERROR_INVALID_HANDLE, a missing
//     right ERROR_ACCESS_DENIED.
//
// The encodings are x/sys's: SZ and EXPAND_SZ are UTF-16LE with a final
// NUL, MULTI_SZ each string with its NUL and one more after the last (a
// single NUL for none), DWORD and QWORD little-endian, and a string holding
// a NUL is refused before any call (syscall.EINVAL, as x/sys's UTF-16
// conversion returns it). Names, paths and SZ and EXPAND_SZ strings convert
// as Go's syscall package converts them on Windows, through WTF-8: a lone
// surrogate half in a Go string is that code unit and reads back as the
// same Go string, a byte that is not UTF-8 is U+FFFD, so "\xff" and
// "\uFFFD" name the same value, and a name read back ends at its first
// NUL. MULTI_SZ strings convert through unicode/utf16, as x/sys's do, where
// a lone surrogate is U+FFFD.
//
// # Errors
//
// The codes are package windows's Errno (ErrNotExist is
// windows.ERROR_FILE_NOT_FOUND), with Windows' messages; errors.Is(err,
// fs.ErrNotExist) holds for ErrNotExist on both sides of a shim. Code that
// type-asserts syscall.Errno will not match them: see package windows.
//
// # Threads and time
//
// As in package windows: each goroutine is a simulated thread, the calls
// do not block, and the lazy flusher runs on the model's clock, which
// follows the time package's (a synctest bubble's fake clock in a test).
// With no machine bound, every call panics saying to bind one.
package registry
