package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// settingsEnv is testEnv with two made-up profile settings: one that
// differs between win8 and wine-8.0 only, and one the same everywhere.
func settingsEnv() *Env {
	e := testEnv()
	e.Settings = []sim.SettingInfo{
		{ID: "test.wine-differs", Values: map[string]string{"win8": "true", "win7": "true", "wine-8.0": "false"}},
		{ID: "test.same-everywhere", Values: map[string]string{"win8": "1", "win7": "1", "wine-8.0": "1"}},
	}
	return e
}

// bogus is a step returning ERROR_INVALID_HANDLE on the fake, on line 5;
// its want: follows on line 6.
const bogus = head + "  - CloseServiceHandle: {handle: BOGUS}\n"

func TestWantFormsDecodeErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"empty one-of", bogus + "    want: []\n",
			`t.yaml:6:11: want: an empty list allows nothing: list the values any of which passes`},
		{"unknown code in a one-of", bogus + "    want: [ERROR_INVALID_HANDLE, ERROR_ACESS_DENIED]\n",
			`t.yaml:6:34: want[1]: unknown status code "ERROR_ACESS_DENIED" (did you mean ERROR_ACCESS_DENIED?)`},
		{"value listed twice", bogus + "    want: [ERROR_INVALID_HANDLE, ERROR_INVALID_HANDLE]\n",
			`t.yaml:6:34: want[1]: ERROR_INVALID_HANDLE is listed twice`},
		{"nested list", bogus + "    want: [[ERROR_INVALID_HANDLE]]\n",
			`t.yaml:6:12: want[0]: want a single value in a one-of list, got a sequence`},
		{"kind checked in a one-of", bogus + "    want: [ERROR_INVALID_HANDLE, STATUS_INVALID_HANDLE]\n",
			`t.yaml:6:34: want[1]: STATUS_INVALID_HANDLE is an NTSTATUS value; a Win32 error code is expected here`},
		{"kind checked per profile", head + "  - NtFlushKey: {key: NULL}\n    want: {win8: STATUS_INVALID_HANDLE, win7: ERROR_INVALID_HANDLE}\n",
			`t.yaml:6:47: want.win7: ERROR_INVALID_HANDLE is a Win32 value; this call returns an NTSTATUS (STATUS_*)`},
		{"S_OK is ERROR_SUCCESS", head + "  - NCryptFreeObject: {handle: NULL}\n    want: [ERROR_SUCCESS, S_OK]\n",
			`t.yaml:6:27: want[1]: S_OK is listed twice`},
		{"HRESULT kind checked", head + "  - NCryptFreeObject: {handle: NULL}\n    want: [NTE_INVALID_HANDLE, STATUS_INVALID_HANDLE]\n",
			`t.yaml:6:32: want[1]: STATUS_INVALID_HANDLE is an NTSTATUS value; a Win32 error or an HRESULT is expected here`},
		{"wait result checked", head + "  - SleepEx: {ms: 1}\n    want: [0, WAIT_TIMOUT]\n",
			`t.yaml:6:15: want[1]: unknown wait result "WAIT_TIMOUT" (did you mean WAIT_TIMEOUT?)`},
		{"unknown profile", bogus + "    want: {win8: ERROR_INVALID_HANDLE, wine8: ERROR_ACCESS_DENIED}\n",
			`t.yaml:6:40: want: unknown profile "wine8" (did you mean win8?)`},
		{"win8 missing", bogus + "    want: {win7: ERROR_INVALID_HANDLE}\n",
			`t.yaml:6:11: want: a per-profile want names win8's value, which every profile not listed takes`},
		{"difference without a setting", bogus + "    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED}\n",
			`t.yaml:6:50: want.wine-8.0: differs from win8's value: add setting: naming the profile setting that declares the difference`},
		{"unknown setting", bogus + "    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-difers}\n",
			`t.yaml:6:80: want.setting: unknown profile setting "test.wine-difers" (did you mean test.wine-differs?)`},
		{"setting that does not differ there", bogus + "    want: {win8: ERROR_INVALID_HANDLE, win7: ERROR_ACCESS_DENIED, setting: test.wine-differs}\n",
			`t.yaml:6:46: want.win7: differs from win8's value, but setting test.wine-differs declares the same value (true) for win7 and win8`},
		{"setting the same everywhere", bogus + "    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED, setting: test.same-everywhere}\n",
			`t.yaml:6:50: want.wine-8.0: differs from win8's value, but setting test.same-everywhere declares the same value (1) for wine-8.0 and win8`},
		{"setting with no difference", bogus + "    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_INVALID_HANDLE, setting: test.wine-differs}\n",
			`t.yaml:6:81: want.setting: test.wine-differs is named, but the want is the same under every profile: write it once, without the mapping`},
		{"one-of order is no difference", bogus + "    want: {win8: [ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED], wine-8.0: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE], setting: test.wine-differs}\n",
			`want.setting: test.wine-differs is named, but the want is the same under every profile`},
		{"error without WAIT_FAILED in any set", head + "  - SleepEx: {ms: 1}\n    want: [0, WAIT_TIMEOUT]\n    error: ERROR_INVALID_HANDLE\n",
			`t.yaml:7:12: error: give it together with want: WAIT_FAILED`},
		{"error per profile needs a setting", head + "  - WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: WAIT_FAILED\n    error: {win8: ERROR_INVALID_HANDLE, win7: ERROR_ACCESS_DENIED}\n",
			`t.yaml:7:47: error.win7: differs from win8's value: add setting: naming the profile setting that declares the difference`},
		{"callback status one-of checked", head + "  - callbacks: [{status: [ERROR_SUCCESS, STATUS_SUCCESS]}]\n",
			`t.yaml:5:42: callbacks[0].status[1]: STATUS_SUCCESS is an NTSTATUS value; a Win32 error code is expected here`},
		{"callback status per profile needs a setting", head + "  - callbacks: [{status: {win8: ERROR_SUCCESS, wine-8.0: ERROR_SERVICE_MARKED_FOR_DELETE}}]\n",
			`callbacks[0].status.wine-8.0: differs from win8's value: add setting:`},
		{"observed: not a position", bogus + "    want: ERROR_INVALID_HANDLE\n    observed: service.c\n",
			`t.yaml:7:15: observed: "service.c" is not a Wine source position: write the path relative to the Wine source root, then :line, as in dlls/advapi32/tests/service.c:1234`},
		{"observed: absolute path", bogus + "    observed: [dlls/advapi32/tests/service.c:12, /usr/src/wine/dlls/advapi32/tests/service.c:12]\n",
			`t.yaml:6:50: observed[1]: "/usr/src/wine/dlls/advapi32/tests/service.c:12" is not a Wine source position`},
		{"observed: dot-dot", bogus + "    observed: dlls/../advapi32/tests/service.c:12\n",
			`is not a Wine source position`},
		{"observed: line zero", bogus + "    observed: dlls/advapi32/tests/service.c:0\n",
			`is not a Wine source position`},
		{"observed: empty list", bogus + "    observed: []\n",
			`t.yaml:6:15: observed: list at least one Wine test line, or leave the field out`},
		{"observed: a number", bogus + "    observed: 1234\n",
			`t.yaml:6:15: observed: want a Wine source position such as dlls/advapi32/tests/service.c:1234, got integer 1234`},
		{"observed misspelled", bogus + "    observd: dlls/advapi32/tests/service.c:12\n",
			`t.yaml:6:5: unknown step kind "observd" (did you mean observed?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.doc), settingsEnv())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestWantFormsDecode(t *testing.T) {
	invalid := result{code: sim.ERROR_INVALID_HANDLE.Code()}
	denied := result{code: sim.ERROR_ACCESS_DENIED.Code()}
	tests := []struct {
		name, want string
		by         map[string][]result
	}{
		{"one value", "ERROR_INVALID_HANDLE", map[string][]result{"win8": {invalid}, "win7": {invalid}, "wine-8.0": {invalid}}},
		{"one-of", "[ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED]", map[string][]result{"win8": {invalid, denied}, "wine-8.0": {invalid, denied}}},
		{"per profile, unlisted take win8's", "{win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}",
			map[string][]result{"win8": {invalid}, "win7": {invalid}, "wine-8.0": {denied}}},
		{"per profile with one-of", "{win8: [ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED], wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}",
			map[string][]result{"win8": {invalid, denied}, "win7": {invalid, denied}, "wine-8.0": {denied}}},
		{"per profile, the same everywhere needs no setting", "{win8: ERROR_INVALID_HANDLE, win7: ERROR_INVALID_HANDLE}",
			map[string][]result{"win8": {invalid}, "win7": {invalid}, "wine-8.0": {invalid}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(bogus+"    want: "+tc.want+"\n"), settingsEnv())
			require.NoError(t, err)
			for p, set := range tc.by {
				assert.Equal(t, set, s.Steps[0].wantSet(p), p)
			}
		})
	}
}

func TestWantFormsRun(t *testing.T) {
	tests := []struct {
		name, profile, step, want string // want: "" for a pass, else the failure after the step
	}{
		{"one-of passes", "win8", "CloseServiceHandle: {handle: BOGUS}\n    want: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE]", ""},
		{"one-of fails listing the set", "win8", "CloseServiceHandle: {handle: BOGUS}\n    want: [ERROR_ACCESS_DENIED, ERROR_SUCCESS]",
			"CloseServiceHandle(BOGUS): got ERROR_INVALID_HANDLE (6), want one of ERROR_ACCESS_DENIED (5), ERROR_SUCCESS (0)"},
		{"per profile: win8's value", "win8", "CloseServiceHandle: {handle: BOGUS}\n    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}", ""},
		{"per profile: unlisted profile takes win8's", "win7", "CloseServiceHandle: {handle: BOGUS}\n    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}", ""},
		{"per profile: the listed profile's value", "wine-8.0", "CloseServiceHandle: {handle: BOGUS}\n    want: {win8: ERROR_INVALID_HANDLE, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}",
			"CloseServiceHandle(BOGUS): got ERROR_INVALID_HANDLE (6), want ERROR_ACCESS_DENIED (5) (the want of profile wine-8.0)"},
		{"per profile one-of", "wine-8.0", "CloseServiceHandle: {handle: BOGUS}\n    want: {win8: ERROR_ACCESS_DENIED, wine-8.0: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE], setting: test.wine-differs}", ""},
		{"per profile fails on win8", "win8", "CloseServiceHandle: {handle: BOGUS}\n    want: {win8: ERROR_ACCESS_DENIED, wine-8.0: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE], setting: test.wine-differs}",
			"CloseServiceHandle(BOGUS): got ERROR_INVALID_HANDLE (6), want ERROR_ACCESS_DENIED (5) (the want of profile win8)"},
		{"wait one-of passes", "win8", "SleepEx: {ms: 10, alertable: true}\n    want: [WAIT_IO_COMPLETION, 0]", ""},
		{"wait one-of fails", "win8", "SleepEx: {ms: 10, alertable: true}\n    want: [WAIT_IO_COMPLETION, deadlock]",
			"SleepEx(10, true): got WAIT_OBJECT_0 (0), want one of WAIT_IO_COMPLETION (192), deadlock"},
		{"deadlock in a one-of", "win8", "SleepEx: {ms: INFINITE}\n    want: [deadlock, WAIT_IO_COMPLETION]", ""},
		{"wait error one-of passes", "win8", "WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: [WAIT_FAILED, WAIT_TIMEOUT]\n    error: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE]", ""},
		{"wait error one-of fails", "win8", "WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: [WAIT_FAILED, WAIT_TIMEOUT]\n    error: [ERROR_ACCESS_DENIED, ERROR_NOT_ENOUGH_MEMORY]",
			"WaitForSingleObjectEx(BOGUS, 0): got WAIT_FAILED with ERROR_INVALID_HANDLE (6), want one of WAIT_FAILED with one of ERROR_ACCESS_DENIED (5), ERROR_NOT_ENOUGH_MEMORY (8), WAIT_TIMEOUT (258)"},
		{"no callback after a refused registration", "win8", "NotifyServiceStatusChange: {service: NULL, mask: SERVICE_NOTIFY_STOPPED, buffer: n1}\n    want: ERROR_INVALID_HANDLE\n  - callbacks: []", ""},
		{"wait error per profile", "wine-8.0", "WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: WAIT_FAILED\n    error: {win8: ERROR_ACCESS_DENIED, wine-8.0: ERROR_INVALID_HANDLE, setting: test.wine-differs}", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(head+"  - "+tc.step+"\n"), settingsEnv())
			require.NoError(t, err)
			res := Run(s, newFake(tc.profile), nil)
			if tc.want == "" {
				assert.Equal(t, Passed, res.Outcome, res.Message)
				return
			}
			assert.Equal(t, Failed, res.Outcome)
			assert.Equal(t, "t.yaml:5:5: "+tc.want, res.Message)
		})
	}
}

func TestObservedCitations(t *testing.T) {
	doc := head +
		"  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n    observed: dlls/advapi32/tests/service.c:100\n" +
		"  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS}\n    as: svc\n" +
		"  - NotifyServiceStatusChange:\n      service: svc\n      mask: SERVICE_NOTIFY_STOPPED\n      buffer: n1\n" +
		"      on_callback:\n        - CloseServiceHandle: {handle: BOGUS}\n          want: ERROR_INVALID_HANDLE\n" +
		"          observed: [dlls/advapi32/tests/service.c:200, dlls/advapi32/tests/service.c:201]\n"
	s, err := Parse("t.yaml", []byte(doc), settingsEnv())
	require.NoError(t, err)
	var got []string
	for _, c := range s.Observed() {
		got = append(got, c.String())
	}
	assert.Equal(t, []string{
		"t.yaml:5:5: dlls/advapi32/tests/service.c:100",
		"t.yaml:15:11: dlls/advapi32/tests/service.c:200",
		"t.yaml:15:11: dlls/advapi32/tests/service.c:201",
	}, got)
	c := s.Observed()[1]
	assert.Equal(t, sim.TestLine{Path: "dlls/advapi32/tests/service.c", Line: 200}, c.TestLine)
	assert.Equal(t, "CloseServiceHandle", c.Step.Kind.Name)
	assert.Equal(t, []sim.TestLine{{Path: "dlls/advapi32/tests/service.c", Line: 100}}, s.Steps[0].Observed)
	assert.Empty(t, mustParse(t, "t.yaml", bogus+"    want: ERROR_INVALID_HANDLE\n").Observed())
}

// TestRecordOneOfAndPerProfile records steps with the new forms: a result
// in the step's one-of set keeps the set (the models agree with any of its
// values, as the step does), a result outside it is written alone, and a
// per-profile want comes down to the recorded profile's value.
func TestRecordOneOfAndPerProfile(t *testing.T) {
	doc := head +
		"  - CloseServiceHandle: {handle: BOGUS}\n    want: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE]\n" +
		"  - CloseServiceHandle: {handle: BOGUS}\n    want: [ERROR_ACCESS_DENIED, ERROR_SUCCESS]\n" +
		"  - CloseServiceHandle: {handle: BOGUS}\n    want: {win8: ERROR_ACCESS_DENIED, wine-8.0: [ERROR_INVALID_HANDLE, ERROR_SUCCESS], setting: test.wine-differs}\n" +
		"  - SleepEx: {ms: 10, alertable: true}\n    want: [WAIT_IO_COMPLETION, 0]\n" +
		"  - WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: [WAIT_FAILED, WAIT_TIMEOUT]\n    error: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE]\n" +
		"    observed: dlls/kernel32/tests/sync.c:10\n"
	path := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	env := settingsEnv()
	for _, tc := range []struct {
		profile string
		wants   []string
	}{
		{"wine-8.0", []string{
			"want: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE]",
			"want: ERROR_INVALID_HANDLE",
			"want: [ERROR_INVALID_HANDLE, ERROR_SUCCESS]",
			"want: [WAIT_IO_COMPLETION, 0]",
			"want: [WAIT_FAILED, WAIT_TIMEOUT]\n",
			"error: [ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE]\n",
			"observed: dlls/kernel32/tests/sync.c:10\n",
		}},
		{"win8", []string{"want: ERROR_INVALID_HANDLE\n  - CloseServiceHandle: {handle: BOGUS}\n    want: ERROR_INVALID_HANDLE\n  - SleepEx"}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			s, err := Load(path, env)
			require.NoError(t, err)
			res := Record(s, newFake(tc.profile), Options{Env: env})
			require.NotNil(t, res.Recording, res.Message)
			data, err := res.Recording.Marshal("the fake")
			require.NoError(t, err)
			for _, w := range tc.wants {
				assert.Contains(t, string(data), w)
			}
			// The recording decodes, and replays on what it was recorded on.
			rs, err := Parse("rec.yaml", data, env)
			require.NoError(t, err, string(data))
			replay := Run(rs, newFake(tc.profile), nil)
			assert.Equal(t, Passed, replay.Outcome, replay.Message)
			assert.False(t, strings.Contains(string(data), "setting:"), "a per-profile want comes down to one profile's value")
		})
	}
}

// TestWantErrorReportedOnce: a want: that does not decode is reported
// alone, not also through the error: that goes with it.
func TestWantErrorReportedOnce(t *testing.T) {
	_, err := Parse("t.yaml", []byte(head+"  - WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: {win8: WAIT_FAILED, win7: WAIT_TIMEOUT}\n    error: ERROR_INVALID_HANDLE\n"), settingsEnv())
	require.Error(t, err)
	assert.Equal(t, "t.yaml:6:37: want.win7: differs from win8's value: add setting: naming the profile setting that declares the difference", err.Error())
}

// deniedFake is a fake whose CloseServiceHandle of a handle it never issued
// gives ERROR_ACCESS_DENIED where the plain fake gives ERROR_INVALID_HANDLE:
// a "real system" that returns another value of a one-of set.
type deniedFake struct{ *fakeSCM }

func (f deniedFake) CloseServiceHandle(thread string, h sim.Handle) sim.Errno {
	if f.service(h) == nil && f.objects[h] == nil {
		return sim.ERROR_ACCESS_DENIED
	}
	return f.fakeSCM.CloseServiceHandle(thread, h)
}

// TestCheckOneOfAgrees: the agreement of a recording with the models. A
// real result within the step's one-of set agrees, even when the model
// returns another value of the set; the same result against a single want
// disagrees.
func TestCheckOneOfAgrees(t *testing.T) {
	env := settingsEnv()
	newModel := func(profile string, _ uint64) (backend.Kernel, error) { return newFake(profile), nil }
	newReal := func(profile string, _ uint64) (backend.Kernel, error) {
		return deniedFake{newFake(profile)}, nil
	}
	for _, tc := range []struct {
		name, want string
		verdict    Verdict
	}{
		{"within the set", "[ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED]", Agree},
		{"a single value", "ERROR_INVALID_HANDLE", Disagree},
		{"outside the set", "[ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY]", Disagree},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			require.NoError(t, os.WriteFile(path, []byte(bogus+"    want: "+tc.want+"\n"), 0o644))
			s, err := Load(path, env)
			require.NoError(t, err)
			c, err := Check(s, "win8", "win8", "the denying fake", newReal, newModel, env)
			require.NoError(t, err)
			assert.Equal(t, tc.verdict, c.Verdict, "%s\n%s", c.Detail, c.Recording)
		})
	}
}

// TestCallbackStatusForms runs a callback's status: in the one-of and
// per-profile forms against a callback the fake delivers with
// ERROR_SUCCESS.
func TestCallbackStatusForms(t *testing.T) {
	for _, tc := range []struct{ name, profile, status, want string }{
		{"one-of passes", "win8", "[ERROR_SERVICE_MARKED_FOR_DELETE, ERROR_SUCCESS]", ""},
		{"one-of fails", "win8", "[ERROR_SERVICE_MARKED_FOR_DELETE, ERROR_ACCESS_DENIED]",
			"status: got ERROR_SUCCESS (0), want one of ERROR_SERVICE_MARKED_FOR_DELETE (1072), ERROR_ACCESS_DENIED (5)"},
		{"per profile passes under win8", "win8", "{win8: ERROR_SUCCESS, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}", ""},
		{"per profile fails under wine-8.0", "wine-8.0", "{win8: ERROR_SUCCESS, wine-8.0: ERROR_ACCESS_DENIED, setting: test.wine-differs}",
			"status: got ERROR_SUCCESS (0), want ERROR_ACCESS_DENIED (5) (the want of profile wine-8.0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := prelude + "  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_STOPPED, buffer: n1}\n" +
				"  - SleepEx: {ms: 100, alertable: true}\n    want: WAIT_IO_COMPLETION\n" +
				"  - callbacks: [{buffer: n1, status: " + tc.status + "}]\n"
			s, err := Parse("t.yaml", []byte(doc), settingsEnv())
			require.NoError(t, err)
			res := Run(s, newFake(tc.profile), nil)
			if tc.want == "" {
				assert.Equal(t, Passed, res.Outcome, res.Message)
				return
			}
			assert.Equal(t, Failed, res.Outcome)
			assert.Contains(t, res.Message, tc.want)
		})
	}
}
