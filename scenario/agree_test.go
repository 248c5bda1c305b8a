package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
)

// fiveCalls makes five calls; the second DeleteService returns
// ERROR_SERVICE_MARKED_FOR_DELETE (1072), not the value a declined call
// returns. The advance between them is an operation with an error result.
const fiveCalls = head +
	"  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n" +
	"  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS}\n    as: svc\n" +
	"  - DeleteService: {service: svc}\n" +
	"  - advance: 1s\n" +
	"  - DeleteService: {service: svc}\n    want: ERROR_SERVICE_MARKED_FOR_DELETE\n" +
	"  - CloseServiceHandle: {handle: svc}\n"

// errDeclinedCall is what the declining backend says of the call it declines.
var errDeclinedCall = fmt.Errorf("DeleteService here: %w", backend.ErrUnsupported)

// declinerOf is the model standing in for a real system that declines its
// nth DeleteService (returning backend.DeclinedErrno without making the
// call, as the real binding does) and answers Advance with advanceErr when it is set.
type declinerOf struct {
	*model.Backend
	nth, seen  int
	advanceErr error
	wrongFirst bool // the first DeleteService gives ERROR_ACCESS_DENIED, unlike the model
	refused    error
}

func (d *declinerOf) DeleteService(th string, h sim.Handle) sim.Errno {
	d.seen++
	switch {
	case d.seen == d.nth:
		d.refused = errDeclinedCall
		return backend.DeclinedErrno
	case d.seen == 1 && d.wrongFirst:
		return sim.ERROR_ACCESS_DENIED
	}
	return d.Backend.DeleteService(th, h)
}

func (d *declinerOf) Advance(dur time.Duration) error {
	if d.advanceErr != nil {
		return d.advanceErr
	}
	return d.Backend.Advance(dur)
}

func (d *declinerOf) Refusal() error {
	err := d.refused
	d.refused = nil
	if err == nil {
		return d.Backend.Refusal()
	}
	return err
}

func newModel(profile string, seed uint64) (backend.Kernel, error) {
	return model.New(profile, seed)
}

// TestRecordKeepsNoDeclinedCode: a declined call's value is neither
// recorded nor counted; the recording ends before it.
func TestRecordKeepsNoDeclinedCode(t *testing.T) {
	s := mustParse(t, "t.yaml", fiveCalls)
	m, err := model.New(sim.DefaultProfile, 1)
	require.NoError(t, err)
	b := &declinerOf{Backend: m, nth: 2}
	res := Record(s, b, Options{})
	require.NotNil(t, res.Recording, res.Message)
	assert.Equal(t, 3, res.Calls, "the declined DeleteService is not a call with a result")
	assert.True(t, res.Recording.Declined())
	assert.Contains(t, res.Recording.Stopped(), "t.yaml:11:5: DeleteService(svc)")
	for _, sr := range res.Recording.records {
		if sr.st == s.Steps[4] {
			assert.Nil(t, sr.code, "the declined call's value was recorded")
		}
	}
	assert.NoError(t, b.Refusal(), "the runner took the refusal")
}

// TestCheckVerdicts checks a scenario on a backend that declines or fails
// part-way: partial or skipped when it declines (never agree), disagree
// when it fails or when what ran differs.
func TestCheckVerdicts(t *testing.T) {
	tests := []struct {
		name       string
		doc        string
		nth        int
		advanceErr error
		wrongFirst bool
		verdict    Verdict
		calls      string // Agreement.CallsText
		detail     string // a part of Detail; $F is the scenario's file
	}{
		{"whole run", fiveCalls, 0, nil, false, Agree, "5/5", ""},
		{"a call declined", fiveCalls, 2, nil, false, Partial, "3/5",
			"declined after 3 of 5 calls, at $F:11:5: DeleteService(svc): DeleteService here: not supported by this backend; the part that ran agrees"},
		{"an operation unsupported", fiveCalls, 0, backend.ErrUnsupported, false, Partial, "3/5", "declined after 3 of 5 calls, at $F:10:5: advance(1s)"},
		{"the backend fails", fiveCalls, 0, errors.New("the clock broke"), false, Disagree, "3/5",
			"the backend failed after 3 of 5 calls: $F:10:5: advance(1s): the clock broke"},
		{"the first call declined", head + "  - DeleteService: {service: NULL}\n", 1, nil, false, NotRun, "0/1", "nothing recorded: $F:5:5"},
		{"what ran differs", fiveCalls, 2, nil, true, Disagree, "3/5",
			"DeleteService(svc): got ERROR_SUCCESS (0), want ERROR_ACCESS_DENIED (5) [recorded up to $F:11:5"},
	}
	env := testEnv()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			require.NoError(t, os.WriteFile(path, []byte(tt.doc), 0o644))
			s, err := Load(path, env)
			require.NoError(t, err)
			newReal := func(profile string, seed uint64) (backend.Kernel, error) {
				m, err := model.New(profile, seed)
				return &declinerOf{Backend: m, nth: tt.nth, advanceErr: tt.advanceErr, wrongFirst: tt.wrongFirst}, err
			}
			c, err := Check(s, sim.DefaultProfile, sim.DefaultProfile, "a declining system", newReal, newModel, env)
			require.NoError(t, err)
			assert.Equal(t, tt.verdict, c.Verdict, c.Detail)
			assert.Equal(t, tt.calls, c.CallsText())
			assert.Contains(t, c.Detail, strings.ReplaceAll(tt.detail, "$F", path))
		})
	}
}

// TestCheckModelDeclines: where the model declines a call under the
// profile too (NCryptNotifyChangeKey under wine-8.0), the scenario's calls
// are counted under the baseline, and the run is partial.
func TestCheckModelDeclines(t *testing.T) {
	doc := head +
		"  - NCryptOpenStorageProvider: {}\n    as: prov\n" +
		"  - NCryptNotifyChangeKey: {provider: prov, flags: NCRYPT_REGISTER_NOTIFY_FLAG}\n    as: ev\n" +
		"  - CloseHandle: {handle: ev}\n" +
		"  - NCryptFreeObject: {handle: prov}\n"
	path := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	env := testEnv()
	s, err := Load(path, env)
	require.NoError(t, err)
	c, err := Check(s, "wine-8.0", sim.DefaultProfile, "the model", newModel, newModel, env)
	require.NoError(t, err)
	assert.Equal(t, Partial, c.Verdict, c.Detail)
	assert.Equal(t, "1/4", c.CallsText())
	_, steps, _ := strings.Cut(string(c.Recording), "\nsteps:\n")
	assert.NotContains(t, steps, "NCryptNotifyChangeKey", "the recording ends before the declined call")
}

// TestCallsText: N/M, or "-" when nothing is known.
func TestCallsText(t *testing.T) {
	assert.Equal(t, "-", Agreement{}.CallsText())
	assert.Equal(t, "0/7", Agreement{Calls: 7}.CallsText())
	assert.Equal(t, "3/7", Agreement{Compared: 3, Calls: 7}.CallsText())
}
