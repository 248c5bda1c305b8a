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
		types: []string{"ACL", "Errno", "Filetime", "Handle", "SECURITY_DESCRIPTOR", "SECURITY_DESCRIPTOR_CONTROL", "SID", "SecurityAttributes"},
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
		},
		funcs: map[string]string{
			"CloseHandle":            "(handle windows.Handle) (err error)",
			"CreateEvent":            "(eventAttrs *windows.SecurityAttributes, manualReset uint32, initialState uint32, name *uint16) (handle windows.Handle, err error)",
			"CryptAcquireContext":    "(provhandle *windows.Handle, container *uint16, provider *uint16, provtype uint32, flags uint32) (err error)",
			"CryptReleaseContext":    "(provhandle windows.Handle, flags uint32) (err error)",
			"GetLastError":           "() (lasterr error)",
			"ResetEvent":             "(event windows.Handle) (err error)",
			"SetEvent":               "(event windows.Handle) (err error)",
			"SleepEx":                "(milliseconds uint32, alertable bool) (ret uint32)",
			"WaitForMultipleObjects": "(handles []windows.Handle, waitAll bool, waitMilliseconds uint32) (event uint32, err error)",
			"WaitForSingleObject":    "(handle windows.Handle, waitMilliseconds uint32) (event uint32, err error)",
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
}
