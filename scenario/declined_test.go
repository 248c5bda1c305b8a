package scenario

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
)

// declinedErrno is what the forgetful fakes below return for the call they
// decline.
var declinedErrno = backend.DeclinedErrno

// forgetful is the model standing in for a backend that declines its nth
// DeleteService without saying so: it returns the declined value, but its
// Refusal (the model's) knows nothing of it, as when a backend forgets to
// keep the reason or a caller forgets to ask.
type forgetful struct {
	*model.Backend
	nth, seen int
}

func (f *forgetful) DeleteService(th string, h sim.Handle) sim.Errno {
	f.seen++
	if f.seen == f.nth {
		return declinedErrno
	}
	return f.Backend.DeleteService(th, h)
}

// TestUnrefusedDeclineIsAHarnessError: a declined value that reaches a
// comparison without a refusal is reported as the harness's error, never
// compared: a run fails, and a check of a recording disagrees.
func TestUnrefusedDeclineIsAHarnessError(t *testing.T) {
	env := testEnv()
	path := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(path, []byte(prelude+
		"  - DeleteService: {service: svc}\n"+
		"  - CloseServiceHandle: {handle: svc}\n"), 0o644))
	s, err := Load(path, env)
	require.NoError(t, err)
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	res := RunWith(s, &forgetful{Backend: m, nth: 1}, nil, Options{Env: env})
	assert.Equal(t, Failed, res.Outcome, "a declined call passed as ERROR_SUCCESS: %s", res.Message)
	assert.Contains(t, res.Message, path+":9:5: DeleteService(svc): ")
	assert.Contains(t, res.Message, "declined")

	newReal := func(profile string, seed uint64) (backend.Kernel, error) {
		m, err := model.New(profile, seed)
		return &forgetful{Backend: m, nth: 1}, err
	}
	c, err := Check(s, sim.DefaultProfile, sim.DefaultProfile, "a forgetful system", newReal, newModel, env)
	require.NoError(t, err)
	assert.Equal(t, Disagree, c.Verdict, "a declined call counted as agreement: %s", c.Detail)
	assert.Contains(t, c.Detail, "declined")
}

// TestUnrefusedDeclineMessage shows what the run reports.
func TestUnrefusedDeclineMessage(t *testing.T) {
	s := mustParse(t, "t.yaml", prelude+"  - DeleteService: {service: svc}\n")
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	res := Run(s, &forgetful{Backend: m, nth: 1}, nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, "t.yaml:9:5: DeleteService(svc): harness error: the backend returned winsim's declined value without declining the call (backend.Refuser): it returned Win32 4294967295, not compared", res.Message)
	assert.Equal(t, 2, res.Calls, "the declined value is not a call with a result")
}

// declinesUnasked is a backend that is no Refuser and still returns the
// declined value for DeleteService.
type declinesUnasked struct{ *fakeSCM }

func (declinesUnasked) DeleteService(string, sim.Handle) sim.Errno { return declinedErrno }

// TestDeclinedValueFromANonRefuser: a backend that is no Refuser cannot
// decline; its declined value is the harness's error all the same.
func TestDeclinedValueFromANonRefuser(t *testing.T) {
	s := mustParse(t, "t.yaml", prelude+"  - DeleteService: {service: svc}\n")
	b := declinesUnasked{newFake("win8")}
	_, isRefuser := any(b).(backend.Refuser)
	require.False(t, isRefuser)
	res := Run(s, b, nil)
	assert.Equal(t, Failed, res.Outcome, "a declined value passed: %s", res.Message)
	assert.Contains(t, res.Message, "t.yaml:9:5: DeleteService(svc): harness error: ")
	rec := Record(s, declinesUnasked{newFake("win8")}, Options{Env: testEnv()})
	assert.Equal(t, Failed, rec.Outcome, "a declined value was recorded: %s", rec.Message)
	assert.Nil(t, rec.Recording)
}

// handsDeclinedHandle is the model standing in for a backend whose
// CreateEvent returns the declined handle with ERROR_SUCCESS and no
// refusal.
type handsDeclinedHandle struct{ *model.Backend }

func (handsDeclinedHandle) CreateEvent(string, bool, bool) (sim.Handle, sim.Errno) {
	return backend.DeclinedHandle, sim.ERROR_SUCCESS
}

// TestUnrefusedDeclinedHandleIsAHarnessError: a declined handle that comes
// with a success code and no refusal is the harness's error too, never
// bound to the step's variable.
func TestUnrefusedDeclinedHandleIsAHarnessError(t *testing.T) {
	s := mustParse(t, "t.yaml", head+"  - CreateEvent: {manual_reset: true, initial_state: false}\n    as: e\n  - SetEvent: {handle: e}\n")
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	res := Run(s, handsDeclinedHandle{m}, nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Contains(t, res.Message, "t.yaml:5:5: CreateEvent(")
	assert.Contains(t, res.Message, "harness error: the backend returned winsim's declined value without declining the call")
	assert.Contains(t, res.Message, "not bound")
}
