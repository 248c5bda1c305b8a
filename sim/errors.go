package sim

import (
	"errors"
	"io/fs"
)

// This file is the status values' error story: every status type is a Go
// error, errors.Is matches it against the io/fs sentinel errors where one
// fits (as syscall.Errno does on Windows), and Err turns a status into the
// error a Go caller gets, nil for success.

// Error implements error: an NTSTATUS can travel as a Go error.
func (s NTStatus) Error() string { return s.String() }

// Error implements error: an HRESULT or SECURITY_STATUS can travel as a Go
// error.
func (h HResult) Error() string { return h.String() }

// Error implements error for a status of any space.
func (c Code) Error() string { return c.String() }

// Err returns e as the error a Go caller gets: nil for ERROR_SUCCESS.
func (e Errno) Err() error {
	if e == ERROR_SUCCESS {
		return nil
	}
	return e
}

// Err returns s as the error a Go caller gets: nil for STATUS_SUCCESS only.
// Other success and informational values (STATUS_TIMEOUT, STATUS_USER_APC)
// are results a caller must see, so they stay errors, as in
// golang.org/x/sys/windows.
func (s NTStatus) Err() error {
	if s == STATUS_SUCCESS {
		return nil
	}
	return s
}

// Err returns h as the error a Go caller gets: nil for S_OK.
func (h HResult) Err() error {
	if h == S_OK {
		return nil
	}
	return h
}

// Err returns c as the error a Go caller gets: nil for the zero value of
// its space (ERROR_SUCCESS, STATUS_SUCCESS, S_OK).
func (c Code) Err() error {
	if c.Value == 0 {
		return nil
	}
	return c
}

// The status values that mean "does not exist", "exists already",
// "permission denied" and "not supported", per space: errors.Is reports them
// as fs.ErrNotExist, fs.ErrExist, fs.ErrPermission and errors.ErrUnsupported.
// The Win32 codes that syscall.Errno matches on Windows match the same
// sentinel here; the others are the model's reading of each status's
// message text.
var fsErrors = map[Code]error{
	ERROR_FILE_NOT_FOUND.Code():          fs.ErrNotExist,
	ERROR_PATH_NOT_FOUND.Code():          fs.ErrNotExist,
	ERROR_SERVICE_DOES_NOT_EXIST.Code():  fs.ErrNotExist,
	ERROR_DATABASE_DOES_NOT_EXIST.Code(): fs.ErrNotExist,
	ERROR_SERVICE_EXISTS.Code():          fs.ErrExist,
	ERROR_DUPLICATE_SERVICE_NAME.Code():  fs.ErrExist,
	ERROR_ACCESS_DENIED.Code():           fs.ErrPermission,
	ERROR_NOT_SUPPORTED.Code():           errors.ErrUnsupported,
	ERROR_CALL_NOT_IMPLEMENTED.Code():    errors.ErrUnsupported,

	STATUS_OBJECT_NAME_NOT_FOUND.Code(): fs.ErrNotExist,
	STATUS_OBJECT_PATH_NOT_FOUND.Code(): fs.ErrNotExist,
	STATUS_OBJECT_NAME_COLLISION.Code(): fs.ErrExist,
	STATUS_ACCESS_DENIED.Code():         fs.ErrPermission,
	STATUS_NOT_IMPLEMENTED.Code():       errors.ErrUnsupported,

	NTE_BAD_KEYSET.Code():    fs.ErrNotExist, // the key container does not exist
	NTE_NOT_FOUND.Code():     fs.ErrNotExist,
	NTE_NO_KEY.Code():        fs.ErrNotExist, // the key does not exist
	NTE_EXISTS.Code():        fs.ErrExist,
	NTE_PERM.Code():          fs.ErrPermission,
	E_ACCESSDENIED.Code():    fs.ErrPermission,
	NTE_NOT_SUPPORTED.Code(): errors.ErrUnsupported,
	E_NOTIMPL.Code():         errors.ErrUnsupported,
}

// Is reports whether c means target, one of fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission and errors.ErrUnsupported (errors.Is calls it). An
// HRESULT of FACILITY_WIN32 (HRESULT_FROM_WIN32 of a Win32 code) means what
// its Win32 code means.
func (c Code) Is(target error) bool {
	if e, ok := fsErrors[c]; ok {
		return e == target
	}
	if c.Kind == KindHResult && c.Value&0xFFFF0000 == 0x80070000 {
		return Code{Kind: KindWin32, Value: c.Value & 0xFFFF}.Is(target)
	}
	return false
}

// Is reports whether e means target, one of fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission and errors.ErrUnsupported: errors.Is(err,
// fs.ErrNotExist) holds for ERROR_FILE_NOT_FOUND and
// ERROR_SERVICE_DOES_NOT_EXIST.
func (e Errno) Is(target error) bool { return e.Code().Is(target) }

// Is reports whether s means target, one of fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission and errors.ErrUnsupported: errors.Is(err,
// fs.ErrNotExist) holds for STATUS_OBJECT_NAME_NOT_FOUND.
func (s NTStatus) Is(target error) bool { return s.Code().Is(target) }

// Is reports whether h means target, one of fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission and errors.ErrUnsupported: errors.Is(err, fs.ErrNotExist)
// holds for NTE_BAD_KEYSET and for HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND).
func (h HResult) Is(target error) bool { return h.Code().Is(target) }
