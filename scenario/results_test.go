package scenario

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// TestRecordingResults: Recording.Results gives, per step, what each of its
// executions returned, whatever want: says (a recording judges nothing):
// the code, the structure an expect: compares, the wait result and its
// error, the output pointer; an on_callback step's execution inside the
// callback; nothing for a step that returns nothing, nor for one the run
// never reached.
func TestRecordingResults(t *testing.T) {
	doc := head +
		"  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n" + // 0
		"  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS}\n    as: svc\n" + // 1
		"  - StartService: {service: svc}\n" + // 2
		"  - ControlService: {service: svc, control: SERVICE_CONTROL_STOP}\n    expect: {state: SERVICE_RUNNING}\n" + // 3
		"  - CloseServiceHandle: {handle: BOGUS}\n" + // 4: want: ERROR_SUCCESS by default, the fake says otherwise
		"  - WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: WAIT_OBJECT_0\n" + // 5
		"  - NotifyServiceStatusChange:\n" + // 6
		"      service: svc\n      mask: SERVICE_NOTIFY_STOPPED\n      buffer: n1\n" +
		"      on_callback:\n        - CloseServiceHandle: {handle: NULL}\n" +
		"  - SleepEx: {ms: 10, alertable: true}\n    want: 0\n" + // 7
		"  - callbacks: [{buffer: n1}]\n" + // 8
		"  - DeleteService: {service: svc}\n" + // 9: the declining fake refuses it
		"  - CloseServiceHandle: {handle: svc}\n" // 10: never reached
	path := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	s, err := Load(path, testEnv())
	require.NoError(t, err)
	res := Record(s, &declining{fakeSCM: newFake("win8")}, Options{Env: testEnv()})
	require.NotNil(t, res.Recording, res.Message)
	rec := res.Recording
	require.NotEmpty(t, rec.Stopped())

	one := func(i int) StepResult {
		t.Helper()
		rs := rec.Results(s.Steps[i])
		require.Len(t, rs, 1, "%s", s.Steps[i])
		return rs[0]
	}
	assert.Equal(t, sim.ERROR_SUCCESS.Code(), one(0).Code)
	assert.Empty(t, one(0).Out, "OpenSCManager returns its handle: no output pointer")
	control := one(3)
	assert.Equal(t, sim.ERROR_SUCCESS.Code(), control.Code)
	require.NotNil(t, control.Status, "expect: asks for the structure, so it is kept")
	assert.Equal(t, win32.SERVICE_STOPPED, control.Status.CurrentState, "what the call filled, not what expect: says")
	assert.Nil(t, one(2).Status, "no expect:, no structure")

	closeBogus := one(4)
	assert.Equal(t, sim.ERROR_INVALID_HANDLE.Code(), closeBogus.Code)
	assert.Equal(t, ReturnsStatus, closeBogus.Returns)
	assert.Equal(t, "ERROR_INVALID_HANDLE (6)", closeBogus.String())

	wait := one(5)
	assert.Equal(t, sim.WAIT_FAILED, wait.Wait)
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, wait.WaitError)
	assert.Equal(t, "WAIT_FAILED with ERROR_INVALID_HANDLE (6)", wait.String())

	// The on_callback step ran inside the callback the sleep delivered.
	inner, _ := s.Steps[6].args.get("on_callback").([]*Step)
	require.Len(t, inner, 1)
	cb := rec.Results(inner[0])
	require.Len(t, cb, 1)
	assert.Equal(t, sim.ERROR_INVALID_HANDLE.Code(), cb[0].Code)
	assert.Equal(t, sim.WAIT_IO_COMPLETION, one(7).Wait)

	assert.Empty(t, rec.Results(s.Steps[8]), "a callbacks step returns nothing")
	assert.Empty(t, rec.Results(s.Steps[9]), "a declined call has no result")
	assert.Empty(t, rec.Results(s.Steps[10]), "the run stopped before this step")
	assert.Empty(t, rec.Results(nil))
}

// TestRecordingResultsOfCodeSteps: for the KSP and CSP steps, Results gives
// the SECURITY_STATUS or last error, and what the call left in its output
// pointer.
func TestRecordingResultsOfCodeSteps(t *testing.T) {
	s := mustParse(t, "t.yaml", head+
		"  - NCryptOpenStorageProvider: {}\n    as: p\n"+
		"  - NCryptOpenStorageProvider: {flags: NCRYPT_SILENT_FLAG}\n"+
		"  - CryptAcquireContext: {flags: CRYPT_DELETEKEYSET, container: none, initial: BOGUS}\n    want: NTE_BAD_KEYSET\n")
	b, err := model.New("", 1)
	require.NoError(t, err)
	res := Record(s, b, Options{})
	require.NotNil(t, res.Recording, res.Message)
	var got []StepResult
	for _, st := range s.Steps {
		rs := res.Recording.Results(st)
		require.Len(t, rs, 1, "%s", st)
		got = append(got, rs[0])
	}
	assert.Equal(t, StepResult{Returns: ReturnsCode, Code: sim.ERROR_SUCCESS.Code(), Out: "new"}, got[0])
	assert.Equal(t, "ERROR_SUCCESS (0)", got[0].String())
	assert.Equal(t, sim.NTE_BAD_FLAGS.Code(), got[1].Code)
	assert.Equal(t, "NTE_BAD_FLAGS (0x80090009)", got[1].String())
	assert.Equal(t, StepResult{Returns: ReturnsCode, Code: sim.NTE_BAD_KEYSET.Code(), Out: "unchanged"}, got[2])
}

// TestStepAccepts encodes Step.Accepts: a one-of want: gives each value, a
// per-profile want: the profile's, no want: the kind's default (success),
// and a wait without want: nothing.
func TestStepAccepts(t *testing.T) {
	s := mustParse(t, "t.yaml", head+
		"  - CloseServiceHandle: {handle: NULL}\n    want: [ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED]\n"+
		"  - CloseServiceHandle: {handle: NULL}\n    want: {win8: ERROR_INVALID_HANDLE, win7: ERROR_ACCESS_DENIED, setting: scm.notify.second-registration-accepted}\n"+
		"  - OpenSCManager: {access: SC_MANAGER_CONNECT}\n"+
		"  - SleepEx: {ms: 1}\n")
	codes := func(rs []StepResult) []sim.Code {
		var out []sim.Code
		for _, r := range rs {
			out = append(out, r.Code)
		}
		return out
	}
	assert.Equal(t, []sim.Code{sim.ERROR_INVALID_HANDLE.Code(), sim.ERROR_ACCESS_DENIED.Code()}, codes(s.Steps[0].Accepts("win8")))
	assert.Equal(t, []sim.Code{sim.ERROR_INVALID_HANDLE.Code()}, codes(s.Steps[1].Accepts("win8")))
	assert.Equal(t, []sim.Code{sim.ERROR_ACCESS_DENIED.Code()}, codes(s.Steps[1].Accepts("win7")))
	assert.Equal(t, []sim.Code{sim.ERROR_SUCCESS.Code()}, codes(s.Steps[2].Accepts("win8")))
	assert.Nil(t, s.Steps[3].Accepts("win8"))
}
