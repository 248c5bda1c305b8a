package sim_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/sim"
)

// TestErrorsIsAsSyscall: the Win32 codes match what syscall.Errno matches on
// Windows (ERROR_NOT_SUPPORTED and ERROR_CALL_NOT_IMPLEMENTED are
// errors.ErrUnsupported there), and an HRESULT of FACILITY_WIN32 means what
// its Win32 code means: HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND), which the
// key storage gives for an injected ERROR_FILE_NOT_FOUND, does not exist.
func TestErrorsIsAsSyscall(t *testing.T) {
	assert.ErrorIs(t, sim.ERROR_NOT_SUPPORTED, errors.ErrUnsupported)
	assert.ErrorIs(t, sim.ERROR_CALL_NOT_IMPLEMENTED, errors.ErrUnsupported)
	assert.ErrorIs(t, sim.HResult(0x80070002), fs.ErrNotExist)
	assert.ErrorIs(t, sim.HResult(0x80070000|uint32(sim.ERROR_SERVICE_EXISTS)), fs.ErrExist)
	assert.NotErrorIs(t, sim.HResult(0x80070000|uint32(sim.ERROR_SERVICE_MARKED_FOR_DELETE)), fs.ErrNotExist)
	assert.NotErrorIs(t, sim.HResult(0x00070002), fs.ErrNotExist, "a success HRESULT is no Win32 error")
	assert.NotErrorIs(t, sim.ERROR_INVALID_PARAMETER, errors.ErrUnsupported)
}
