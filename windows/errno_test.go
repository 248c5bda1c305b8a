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
		{windows.Errno(1242), "ERROR_ALREADY_REGISTERED (1242)"},
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
	if windows.ERROR_INVALID_HANDLE.Timeout() || windows.ERROR_INVALID_HANDLE.Temporary() {
		t.Error("no Windows code is a timeout or temporary for syscall.Errno")
	}
}
