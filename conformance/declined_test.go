package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
)

// declinedErrno is what forgetful returns for the call it declines.
var declinedErrno = backend.DeclinedErrno

// forgetful is the model standing in for a backend that declines SetEvent
// without saying so: it returns the declined value, but its Refusal (the
// model's) knows nothing of it.
type forgetful struct{ *model.Backend }

func (forgetful) SetEvent(string, sim.Handle) sim.Errno { return declinedErrno }

// TestWorldReportsAnUnrefusedDecline: a declined value that reaches the
// oracle's comparison without a refusal is the harness's error, reported,
// never an agreement nor a refusal.
func TestWorldReportsAnUnrefusedDecline(t *testing.T) {
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	w, err := NewWorld(forgetful{m})
	require.NoError(t, err)
	require.NoError(t, w.Do(Action{Op: OpCreateEvent, As: "e"}))
	err = w.Do(Action{Op: OpSetEvent, H: "e"})
	require.Error(t, err, "a declined SetEvent counted as agreement")
	assert.ErrorIs(t, err, backend.ErrUnexplainedDecline)
	assert.Equal(t, "step 2: SetEvent(e) on main: harness error: the backend returned winsim's declined value without declining the call (backend.Refuser): it returned Win32 4294967295, not compared", err.Error())
	assert.Nil(t, w.Refused(), "no refusal was given")
	assert.Empty(t, w.Result().Skipped)
}

// kernelOnly hides everything of the model but the Kernel interface: it is
// no Refuser, and it returns the declined value for SetEvent all the same.
type kernelOnly struct{ backend.Kernel }

func (kernelOnly) SetEvent(string, sim.Handle) sim.Errno { return declinedErrno }

// TestWorldReportsADeclinedValueFromANonRefuser: the same from a backend
// that cannot decline at all.
func TestWorldReportsADeclinedValueFromANonRefuser(t *testing.T) {
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	b := kernelOnly{m}
	_, isRefuser := any(b).(backend.Refuser)
	require.False(t, isRefuser)
	w, err := NewWorld(b)
	require.NoError(t, err)
	require.NoError(t, w.Do(Action{Op: OpCreateEvent, As: "e"}))
	err = w.Do(Action{Op: OpSetEvent, H: "e"})
	assert.ErrorIs(t, err, backend.ErrUnexplainedDecline, "a declined SetEvent counted as agreement")
	assert.Nil(t, w.Refused())
}

// handsDeclinedHandle is the model standing in for a backend whose
// CryptAcquireContext writes the declined handle and reports success,
// without a refusal.
type handsDeclinedHandle struct{ *model.Backend }

func (handsDeclinedHandle) CryptAcquireContext(_ string, out *sim.Handle, _, _ *string, _, _ uint32) sim.Code {
	*out = backend.DeclinedHandle
	return sim.ERROR_SUCCESS.Code()
}

// TestWorldReportsAnUnrefusedDeclinedHandle: a declined handle written by
// a call that reports success is the harness's error too, never bound.
func TestWorldReportsAnUnrefusedDeclinedHandle(t *testing.T) {
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	w, err := NewWorld(handsDeclinedHandle{m})
	require.NoError(t, err)
	err = w.Do(acquire("c", nil, nil, 1, 0xF0000000))
	require.Error(t, err, "a declined handle was bound")
	assert.ErrorIs(t, err, backend.ErrUnexplainedDecline)
	assert.Nil(t, w.Refused())
}
