package sim_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
)

// TestStatusErrorsIs: errors.Is matches each status against the io/fs
// sentinel it means, and against no other.
func TestStatusErrorsIs(t *testing.T) {
	sentinels := []error{fs.ErrNotExist, fs.ErrExist, fs.ErrPermission}
	for _, tc := range []struct {
		err  error
		want error // nil: none of the sentinels
	}{
		{sim.ERROR_FILE_NOT_FOUND, fs.ErrNotExist},
		{sim.ERROR_PATH_NOT_FOUND, fs.ErrNotExist},
		{sim.ERROR_SERVICE_DOES_NOT_EXIST, fs.ErrNotExist},
		{sim.ERROR_SERVICE_EXISTS, fs.ErrExist},
		{sim.ERROR_DUPLICATE_SERVICE_NAME, fs.ErrExist},
		{sim.ERROR_ACCESS_DENIED, fs.ErrPermission},
		{sim.ERROR_INVALID_HANDLE, nil},
		{sim.ERROR_SERVICE_MARKED_FOR_DELETE, nil},
		{sim.STATUS_OBJECT_NAME_NOT_FOUND, fs.ErrNotExist},
		{sim.STATUS_OBJECT_PATH_NOT_FOUND, fs.ErrNotExist},
		{sim.STATUS_OBJECT_NAME_COLLISION, fs.ErrExist},
		{sim.STATUS_ACCESS_DENIED, fs.ErrPermission},
		{sim.STATUS_INVALID_HANDLE, nil},
		{sim.NTE_BAD_KEYSET, fs.ErrNotExist},
		{sim.NTE_NOT_FOUND, fs.ErrNotExist},
		{sim.NTE_EXISTS, fs.ErrExist},
		{sim.NTE_PERM, fs.ErrPermission},
		{sim.E_ACCESSDENIED, fs.ErrPermission},
		{sim.NTE_BAD_FLAGS, nil},
		{sim.ERROR_FILE_NOT_FOUND.Code(), fs.ErrNotExist},
		{sim.NTE_EXISTS.Code(), fs.ErrExist},
		{fmt.Errorf("opening the key: %w", sim.STATUS_ACCESS_DENIED), fs.ErrPermission},
	} {
		t.Run(tc.err.Error(), func(t *testing.T) {
			for _, s := range sentinels {
				assert.Equal(t, s == tc.want, errors.Is(tc.err, s), "errors.Is(%v, %v)", tc.err, s)
			}
		})
	}
}

// TestStatusSpacesStayApart: a status never matches the same number of
// another space (Win32 5 is not NTSTATUS 5), nor another value of its own.
func TestStatusSpacesStayApart(t *testing.T) {
	assert.False(t, errors.Is(sim.Errno(5), sim.NTStatus(5)))
	assert.False(t, errors.Is(sim.ERROR_ACCESS_DENIED, sim.STATUS_ACCESS_DENIED))
	assert.False(t, errors.Is(sim.ERROR_ACCESS_DENIED, sim.ERROR_INVALID_HANDLE))
	assert.True(t, errors.Is(fmt.Errorf("x: %w", sim.NTE_BAD_KEYSET), sim.NTE_BAD_KEYSET))
}

// TestStatusErr: Err is nil for the success value of each space and the
// status itself otherwise, informational NTSTATUS values included.
func TestStatusErr(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"ERROR_SUCCESS", sim.ERROR_SUCCESS.Err(), nil},
		{"STATUS_SUCCESS", sim.STATUS_SUCCESS.Err(), nil},
		{"S_OK", sim.S_OK.Err(), nil},
		{"Code zero", sim.STATUS_SUCCESS.Code().Err(), nil},
		{"ERROR_ACCESS_DENIED", sim.ERROR_ACCESS_DENIED.Err(), sim.ERROR_ACCESS_DENIED},
		{"STATUS_TIMEOUT", sim.STATUS_TIMEOUT.Err(), sim.STATUS_TIMEOUT},
		{"STATUS_USER_APC", sim.STATUS_USER_APC.Err(), sim.STATUS_USER_APC},
		{"NTE_BAD_KEYSET", sim.NTE_BAD_KEYSET.Err(), sim.NTE_BAD_KEYSET},
		{"Code", sim.NTE_EXISTS.Code().Err(), sim.NTE_EXISTS.Code()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == nil {
				assert.NoError(t, tc.err)
				return
			}
			assert.Equal(t, tc.want, tc.err)
			assert.Equal(t, tc.want.Error(), tc.err.Error())
		})
	}
}

// A status from a model call becomes a Go error with Err, and errors.Is
// tells what it means without knowing its space.
func ExampleErrno_Is() {
	for _, err := range []error{
		sim.ERROR_SERVICE_DOES_NOT_EXIST.Err(),
		sim.STATUS_OBJECT_NAME_NOT_FOUND.Err(),
		sim.NTE_BAD_KEYSET.Err(),
		sim.ERROR_SUCCESS.Err(),
	} {
		fmt.Println(err, errors.Is(err, fs.ErrNotExist))
	}
	// Output:
	// ERROR_SERVICE_DOES_NOT_EXIST (1060) true
	// STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034) true
	// NTE_BAD_KEYSET (0x80090016) true
	// <nil> false
}

// fsMeaning is the sentinel (io/fs, or errors.ErrUnsupported) each named status means; every other
// status the module names means none of them.
var fsMeaning = map[string]error{
	"ERROR_FILE_NOT_FOUND":          fs.ErrNotExist,
	"ERROR_PATH_NOT_FOUND":          fs.ErrNotExist,
	"ERROR_SERVICE_DOES_NOT_EXIST":  fs.ErrNotExist,
	"ERROR_DATABASE_DOES_NOT_EXIST": fs.ErrNotExist,
	"ERROR_SERVICE_EXISTS":          fs.ErrExist,
	"ERROR_DUPLICATE_SERVICE_NAME":  fs.ErrExist,
	"ERROR_ACCESS_DENIED":           fs.ErrPermission,
	"STATUS_OBJECT_NAME_NOT_FOUND":  fs.ErrNotExist,
	"STATUS_OBJECT_PATH_NOT_FOUND":  fs.ErrNotExist,
	"STATUS_OBJECT_NAME_COLLISION":  fs.ErrExist,
	"STATUS_ACCESS_DENIED":          fs.ErrPermission,
	"NTE_BAD_KEYSET":                fs.ErrNotExist,
	"NTE_NOT_FOUND":                 fs.ErrNotExist,
	"NTE_NO_KEY":                    fs.ErrNotExist,
	"NTE_EXISTS":                    fs.ErrExist,
	"NTE_PERM":                      fs.ErrPermission,
	"E_ACCESSDENIED":                fs.ErrPermission,
	"ERROR_NOT_SUPPORTED":           errors.ErrUnsupported,
	"ERROR_CALL_NOT_IMPLEMENTED":    errors.ErrUnsupported,
	"STATUS_NOT_IMPLEMENTED":        errors.ErrUnsupported,
	"NTE_NOT_SUPPORTED":             errors.ErrUnsupported,
	"E_NOTIMPL":                     errors.ErrUnsupported,
}

// typedStatus returns c as the typed value of its space.
func typedStatus(c sim.Code) interface {
	error
	Err() error
} {
	switch c.Kind {
	case sim.KindWin32:
		return sim.Errno(c.Value)
	case sim.KindNTStatus:
		return sim.NTStatus(c.Value)
	}
	return sim.HResult(c.Value)
}

// TestEveryStatusErrorsIs: every status the module names, as its typed
// value, as a Code and wrapped, matches under errors.Is the io/fs sentinel
// fsMeaning gives it and no other; its Err is nil exactly for the zero
// value of its space.
func TestEveryStatusErrorsIs(t *testing.T) {
	for name := range fsMeaning {
		_, ok := sim.LookupCode(name)
		require.True(t, ok, "fsMeaning names %s, which is not a known status", name)
	}
	sentinels := []error{fs.ErrNotExist, fs.ErrExist, fs.ErrPermission, errors.ErrUnsupported}
	for _, ci := range sim.Codes() {
		t.Run(ci.Name, func(t *testing.T) {
			typed := typedStatus(ci.Code)
			for _, err := range []error{typed, ci.Code, fmt.Errorf("calling: %w", typed)} {
				for _, s := range sentinels {
					assert.Equal(t, s == fsMeaning[ci.Name], errors.Is(err, s), "errors.Is(%v, %v)", err, s)
				}
			}
			if ci.Code.Value == 0 {
				assert.NoError(t, typed.Err())
				assert.NoError(t, ci.Code.Err())
			} else {
				assert.Equal(t, typed, typed.Err())
				assert.Equal(t, ci.Code, ci.Code.Err())
			}
		})
	}
}
