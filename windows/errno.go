package windows

import (
	"strconv"

	"github.com/winsim/winsim/sim"
)

// Errno is a Windows error code, as GetLastError returns it: a Win32 error
// (ERROR_INVALID_HANDLE) or, after a CryptoAPI call, an HRESULT
// (NTE_BAD_KEYSET as Errno(NTE_BAD_KEYSET)).
//
// It is the twin's one declared non-identity with golang.org/x/sys/windows,
// where Errno is an alias of syscall.Errno. On Linux syscall.Errno prints
// Unix messages (Errno(6) is "no such device or address") and matches Unix
// errors, so the twin has its own type with the same underlying kind
// (uintptr) and methods: Error gives Windows' message text, Is matches
// what errors.Is matches on Windows. Code that type-asserts or switches on
// syscall.Errno (err.(syscall.Errno)) does not match the twin's errors;
// errors.As(err, &errno) with errno a windows.Errno does, on both sides of
// a shim.
type Errno uintptr

// Error returns Windows' message for the code, as FormatMessage gives it
// without the line break: "The handle is invalid." A code without a message
// here prints its SDK name and value, "winapi error #N" for one with
// neither, as syscall does when FormatMessage fails.
func (e Errno) Error() string {
	if s, ok := messages[e]; ok {
		return s
	}
	if e <= 0xFFFFFFFF {
		if c := sim.LastError(uint32(e)); c.Name() != "" {
			return c.String()
		}
	}
	return "winapi error #" + strconv.FormatUint(uint64(e), 10)
}

// Is reports whether e means target, one of fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission and errors.ErrUnsupported, as the models' status values
// do (sim.Code.Is): errors.Is(err, fs.ErrNotExist) holds for
// ERROR_FILE_NOT_FOUND and for Errno(NTE_BAD_KEYSET).
func (e Errno) Is(target error) bool {
	return e <= 0xFFFFFFFF && sim.LastError(uint32(e)).Is(target)
}

// Temporary reports whether the error is temporary. syscall.Errno on Windows
// says so only for the Unix-style values syscall invents (EINTR, EMFILE and
// those of Timeout), which no Windows call returns; no code a model returns
// is one.
func (e Errno) Temporary() bool { return false }

// Timeout reports whether the error is a timeout: as for Temporary, only
// syscall's invented values are, so no code a model returns is.
func (e Errno) Timeout() bool { return false }

// The error codes the twin's calls return, with x/sys's types and values
// (the ERROR_* codes from ERROR_FILE_NOT_FOUND on are the registry's, which
// package windows/registry returns). x/sys declares the CryptoAPI's NTE_* values as Handle; a failed
// CryptAcquireContext returns Errno(NTE_BAD_KEYSET).
const (
	ERROR_SUCCESS           Errno = 0
	ERROR_ACCESS_DENIED     Errno = 5
	ERROR_INVALID_HANDLE    Errno = 6
	ERROR_NOT_ENOUGH_MEMORY Errno = 8
	ERROR_NOT_SUPPORTED     Errno = 50
	ERROR_INVALID_PARAMETER Errno = 87
	ERROR_BUSY              Errno = 170
	ERROR_ALREADY_EXISTS    Errno = 183
	WAIT_TIMEOUT            Errno = 258

	ERROR_FILE_NOT_FOUND         Errno = 2
	ERROR_PATH_NOT_FOUND         Errno = 3
	ERROR_INSUFFICIENT_BUFFER    Errno = 122
	ERROR_INVALID_NAME           Errno = 123
	ERROR_BAD_PATHNAME           Errno = 161
	ERROR_MORE_DATA              Errno = 234
	ERROR_NO_MORE_ITEMS          Errno = 259
	ERROR_BADDB                  Errno = 1009
	ERROR_REGISTRY_IO_FAILED     Errno = 1016
	ERROR_KEY_DELETED            Errno = 1018
	ERROR_CHILD_MUST_BE_VOLATILE Errno = 1021

	NTE_BAD_KEY            Handle = 0x80090003
	NTE_BAD_DATA           Handle = 0x80090005
	NTE_BAD_ALGID          Handle = 0x80090008
	NTE_BAD_FLAGS          Handle = 0x80090009
	NTE_NO_KEY             Handle = 0x8009000D
	NTE_EXISTS             Handle = 0x8009000F
	NTE_BAD_PROV_TYPE      Handle = 0x80090014
	NTE_BAD_KEYSET         Handle = 0x80090016
	NTE_PROV_TYPE_NOT_DEF  Handle = 0x80090017
	NTE_KEYSET_NOT_DEF     Handle = 0x80090019
	NTE_PROV_TYPE_NO_MATCH Handle = 0x8009001B
	NTE_FAIL               Handle = 0x80090020
)

// messages are Windows' message texts (the system message table, as
// winerror.h's MessageText states them; documented) for the codes above.
var messages = map[Errno]string{
	ERROR_SUCCESS:           "The operation completed successfully.",
	ERROR_ACCESS_DENIED:     "Access is denied.",
	ERROR_INVALID_HANDLE:    "The handle is invalid.",
	ERROR_NOT_ENOUGH_MEMORY: "Not enough memory resources are available to process this command.",
	ERROR_NOT_SUPPORTED:     "The request is not supported.",
	ERROR_INVALID_PARAMETER: "The parameter is incorrect.",
	ERROR_BUSY:              "The requested resource is in use.",
	ERROR_ALREADY_EXISTS:    "Cannot create a file when that file already exists.",
	WAIT_TIMEOUT:            "The wait operation timed out.",

	ERROR_FILE_NOT_FOUND:         "The system cannot find the file specified.",
	ERROR_PATH_NOT_FOUND:         "The system cannot find the path specified.",
	ERROR_INSUFFICIENT_BUFFER:    "The data area passed to a system call is too small.",
	ERROR_INVALID_NAME:           "The filename, directory name, or volume label syntax is incorrect.",
	ERROR_BAD_PATHNAME:           "The specified path is invalid.",
	ERROR_MORE_DATA:              "More data is available.",
	ERROR_NO_MORE_ITEMS:          "No more data is available.",
	ERROR_BADDB:                  "The configuration registry database is corrupt.",
	ERROR_REGISTRY_IO_FAILED:     "An I/O operation initiated by the registry failed unrecoverably. The registry could not read in, or write out, or flush, one of the files that contain the system's image of the registry.",
	ERROR_KEY_DELETED:            "Illegal operation attempted on a registry key that has been marked for deletion.",
	ERROR_CHILD_MUST_BE_VOLATILE: "Cannot create a stable subkey under a volatile parent key.",

	Errno(NTE_BAD_KEY):            "Bad Key.",
	Errno(NTE_BAD_DATA):           "Bad Data.",
	Errno(NTE_BAD_ALGID):          "Invalid algorithm specified.",
	Errno(NTE_BAD_FLAGS):          "Invalid flags specified.",
	Errno(NTE_NO_KEY):             "Key does not exist.",
	Errno(NTE_EXISTS):             "Object already exists.",
	Errno(NTE_BAD_PROV_TYPE):      "Invalid provider type specified.",
	Errno(NTE_BAD_KEYSET):         "Keyset does not exist",
	Errno(NTE_PROV_TYPE_NOT_DEF):  "Provider type not defined.",
	Errno(NTE_KEYSET_NOT_DEF):     "The keyset is not defined.",
	Errno(NTE_PROV_TYPE_NO_MATCH): "Provider type does not match registered value.",
	Errno(NTE_FAIL):               "An internal error occurred.",
}

// errnoErr is the error a failed call returns: its last-error value as an
// Errno. x/sys returns EINVAL for a failure that left no last error; no
// modeled call fails that way, so 0 here is a model bug and panics.
func errnoErr(v uint32) error {
	if v == 0 {
		panic("winsim/windows: a call failed with no last-error value")
	}
	return Errno(v)
}
