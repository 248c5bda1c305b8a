package windows_test

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/winsim/winsim/windows"
)

// TestErrno: the twin's Errno prints Windows' messages (the SDK name for a
// code without one here), matches what the models' codes match, and is
// not syscall.Errno, whose Linux messages and meanings it would otherwise
// take.
func TestErrno(t *testing.T) {
	for _, c := range []struct {
		e    windows.Errno
		want string
	}{
		{windows.ERROR_INVALID_HANDLE, "The handle is invalid."},
		{windows.ERROR_INVALID_PARAMETER, "The parameter is incorrect."},
		{windows.WAIT_TIMEOUT, "The wait operation timed out."},
		{windows.Errno(windows.NTE_BAD_KEYSET), "Keyset does not exist"},
		{windows.Errno(windows.NTE_BAD_FLAGS), "Invalid flags specified."},
		{windows.ERROR_FILE_NOT_FOUND, "The system cannot find the file specified."},
		{windows.ERROR_MORE_DATA, "More data is available."},
		{windows.ERROR_NO_MORE_ITEMS, "No more data is available."},
		{windows.ERROR_KEY_DELETED, "Illegal operation attempted on a registry key that has been marked for deletion."},
		{windows.ERROR_ALREADY_REGISTERED, "The service is already registered."},
		{windows.ERROR_SERVICE_NOT_ACTIVE, "The service has not been started."},
		{windows.Errno(1069), "ERROR_SERVICE_LOGON_FAILED (1069)"},
		{windows.Errno(0x80090001), "NTE_BAD_UID (0x80090001)"},
		{windows.Errno(99999), "winapi error #99999"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("Errno(%#x).Error() = %q, want %q", uintptr(c.e), got, c.want)
		}
	}
	if got := syscall.Errno(windows.ERROR_INVALID_HANDLE).Error(); got == windows.ERROR_INVALID_HANDLE.Error() {
		t.Errorf("syscall.Errno(6) prints %q here too: the non-identity has no reason", got)
	}
	var err error = fmt.Errorf("wrapped: %w", windows.Errno(windows.NTE_BAD_KEYSET))
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrExist) {
		t.Error("NTE_BAD_KEYSET must match fs.ErrNotExist only")
	}
	if !errors.Is(windows.ERROR_ACCESS_DENIED, fs.ErrPermission) || !errors.Is(windows.ERROR_NOT_SUPPORTED, errors.ErrUnsupported) {
		t.Error("ERROR_ACCESS_DENIED and ERROR_NOT_SUPPORTED must match fs.ErrPermission and errors.ErrUnsupported")
	}
	var e windows.Errno
	if !errors.As(err, &e) || e != windows.Errno(windows.NTE_BAD_KEYSET) {
		t.Errorf("errors.As into a windows.Errno: %v", e)
	}
	var se syscall.Errno
	if errors.As(err, &se) {
		t.Error("errors.As into a syscall.Errno matched: the doc says it does not")
	}
	if !errors.Is(windows.ERROR_FILE_NOT_FOUND, fs.ErrNotExist) {
		t.Error("ERROR_FILE_NOT_FOUND (registry.ErrNotExist) must match fs.ErrNotExist, as syscall.Errno's does on Windows")
	}
	if windows.ERROR_INVALID_HANDLE.Timeout() || windows.ERROR_INVALID_HANDLE.Temporary() {
		t.Error("no Windows code is a timeout or temporary for syscall.Errno")
	}
}

// TestFiletimeNanoseconds: FILETIME ticks since 1601 become nanoseconds
// since 1970, as x/sys computes them.
func TestFiletimeNanoseconds(t *testing.T) {
	for _, c := range []struct {
		ticks uint64
		want  int64
	}{
		{116444736000000000, 0},                       // 1970-01-01
		{116444736000000001, 100},                     // one tick later
		{134116992000000000, 1767225600 * 1000000000}, // 2026-01-01, the hive model's epoch
	} {
		ft := windows.Filetime{LowDateTime: uint32(c.ticks), HighDateTime: uint32(c.ticks >> 32)}
		if got := ft.Nanoseconds(); got != c.want {
			t.Errorf("Filetime(%d).Nanoseconds() = %d, want %d", c.ticks, got, c.want)
		}
	}
}
