package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// *testing.T must stay usable as RunTree's TB and as a Reporter.
var (
	_ TB[*testing.T] = (*testing.T)(nil)
	_ Reporter       = (*testing.T)(nil)
)

// record is a Reporter that keeps what it is told.
type record struct {
	logs, errs, skips []string
}

func (r *record) Logf(f string, a ...any)   { r.logs = append(r.logs, fmt.Sprintf(f, a...)) }
func (r *record) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }
func (r *record) Skipf(f string, a ...any)  { r.skips = append(r.skips, fmt.Sprintf(f, a...)) }

// fakeT is a TB for RunTree's test.
type fakeT struct {
	record
	name string
	subs []*fakeT
}

func (t *fakeT) Helper() {}
func (t *fakeT) Run(name string, f func(*fakeT)) bool {
	sub := &fakeT{name: name}
	t.subs = append(t.subs, sub)
	f(sub)
	return len(sub.errs) == 0
}

func mustParse(t *testing.T, name, doc string) *Scenario {
	t.Helper()
	s, err := Parse(name, []byte(doc), testEnv())
	require.NoError(t, err)
	return s
}

// prelude opens the SCM and creates svc1, on lines 5 to 8.
const prelude = head +
	"  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n" +
	"  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS}\n    as: svc\n"

func TestRunWantMismatch(t *testing.T) {
	s := mustParse(t, "scenarios/scm/notify-immediate.yaml", prelude+
		"  - DeleteService: {service: svc}\n"+
		"  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_RUNNING, buffer: n1}\n"+
		"    want: ERROR_SERVICE_MARKED_FOR_DELETE\n"+
		"  - CloseServiceHandle: {handle: NULL}\n")
	b := newFake("win8")
	var rep record
	res := Run(s, b, &rep)
	want := "scenarios/scm/notify-immediate.yaml:10:5: NotifyServiceStatusChange(svc, SERVICE_NOTIFY_RUNNING, n1): " +
		"got ERROR_SUCCESS (0), want ERROR_SERVICE_MARKED_FOR_DELETE (1072)"
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, want, res.Message)
	assert.Equal(t, []string{want}, rep.errs)
	assert.Empty(t, rep.skips)
	assert.Equal(t, 3, res.Steps)
	assert.Empty(t, b.viols, "the scenario must stop at the failing step")
}

func TestRunPasses(t *testing.T) {
	s := mustParse(t, "t.yaml", "version: 1\ndescription: x\ncovers: [a.b]\nthreads: [main, worker]\nsteps:\n"+
		"  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n"+
		"  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS}\n    as: svc\n"+
		"  - thread: worker\n"+
		"    NotifyServiceStatusChange:\n"+
		"      service: svc\n"+
		"      mask: SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNNING\n"+
		"      buffer: n1\n"+
		"      on_callback:\n"+
		"        - QueryServiceStatusEx: {service: svc}\n"+
		"          expect: {state: SERVICE_STOPPED, pid: zero}\n"+
		"        - OpenService: {scm: scm, name: svc1, access: SERVICE_QUERY_STATUS}\n"+
		"          as: inner\n"+
		"  - SleepEx: {ms: 100, alertable: true}\n"+
		"    thread: worker\n"+
		"    want: WAIT_IO_COMPLETION\n"+
		"  - callbacks:\n"+
		"      - {buffer: n1, thread: worker, status: ERROR_SUCCESS, triggered: SERVICE_NOTIFY_STOPPED, state: SERVICE_STOPPED, at: 0s}\n"+
		"  - CloseServiceHandle: {handle: inner}\n"+
		"  - CloseServiceHandle: {handle: inner}\n"+
		"    note: a stale handle\n"+
		"    want: ERROR_INVALID_HANDLE\n"+
		"  - StartService: {service: svc}\n"+
		"  - status: {service: svc, state: SERVICE_RUNNING, pid: nonzero, type: SERVICE_WIN32_OWN_PROCESS}\n"+
		"  - SleepEx: {ms: 50}\n"+
		"    want: 0\n"+
		"  - callbacks: []\n"+
		"  - ControlService: {service: svc, control: SERVICE_CONTROL_STOP}\n"+
		"    expect: {state: SERVICE_STOPPED}\n"+
		"  - QueryServiceStatus: {service: svc}\n"+
		"    expect: {state: SERVICE_STOPPED, type: SERVICE_WIN32_OWN_PROCESS}\n"+
		"  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_RUNNING, buffer: null}\n"+
		"    want: ERROR_INVALID_PARAMETER\n"+
		"  - CreateEvent: {}\n    as: ev\n"+
		"  - WaitForMultipleObjectsEx: {handles: [ev, BOGUS], ms: 0}\n"+
		"    want: WAIT_FAILED\n"+
		"    error: ERROR_INVALID_HANDLE\n"+
		"  - SetEvent: {handle: ev}\n"+
		"  - WaitForSingleObjectEx: {handle: ev, ms: 0}\n"+
		"    want: WAIT_OBJECT_0\n"+
		"  - WaitForSingleObjectEx: {handle: ev, ms: INFINITE}\n"+
		"    want: deadlock\n"+
		"  - CloseServiceHandle: {handle: NULL}\n"+
		"    want: ERROR_INVALID_HANDLE\n"+
		"  - violations: [fake.close-null]\n"+
		"  - inject: {api: StartService, code: ERROR_SERVICE_LOGON_FAILED}\n"+
		"  - StartService: {service: svc}\n"+
		"    want: ERROR_SERVICE_LOGON_FAILED\n"+
		"  - advance: 1s\n"+
		"  - report: {service: svc1, state: SERVICE_RUNNING}\n"+
		"  - program: {service: svc1, typical: {start_delay: 1s, step_delay: 1s}}\n"+
		"  - caller_context: {irql: APC_LEVEL}\n"+
		"  - exit_thread: worker\n")
	b := newFake("win8")
	var rep record
	res := Run(s, b, &rep)
	require.Equal(t, Passed, res.Outcome, res.Message)
	assert.Empty(t, rep.errs)
	assert.Empty(t, rep.skips)
	assert.Equal(t, len(s.Steps), res.Steps)
	assert.Equal(t, []string{"main", "worker"}, b.threads)
	assert.True(t, b.exited["worker"])
	assert.NotEmpty(t, res.Trace)
}

func TestRunSkipsForMissingCapability(t *testing.T) {
	s := mustParse(t, "t.yaml", head+
		"  - advance: 1s\n"+
		"  - report: {service: svc1, state: SERVICE_RUNNING}\n"+
		"  - callbacks: [{at: 1s}]\n")
	b := newFake("win8")
	var rep record
	res := Run(s, traceOnly{b, b}, &rep)
	want := "backend fake lacks virtual-clock (needed by advance at t.yaml:5:5), service-side (needed by report at t.yaml:6:5)"
	assert.Equal(t, Skipped, res.Outcome)
	assert.Equal(t, want, res.Message)
	assert.Equal(t, []string{want}, rep.skips)
	assert.Empty(t, rep.errs)
	assert.Empty(t, b.threads, "a skipped scenario runs nothing")
	assert.Zero(t, res.Steps)
}

// kernelOnly hides every method of a backend but the Kernel interface.
type kernelOnly struct{ backend.Kernel }

func TestRunSkipsForMissingFamily(t *testing.T) {
	s := mustParse(t, "t.yaml", head+"  - SleepEx: {ms: 1}\n  - OpenSCManager: {access: SC_MANAGER_CONNECT}\n")
	b := newFake("win8")
	res := Run(s, kernelOnly{b}, nil)
	assert.Equal(t, Skipped, res.Outcome)
	assert.Equal(t, "backend fake lacks family:scm (needed by OpenSCManager at t.yaml:6:5)", res.Message)
	assert.Empty(t, b.threads, "a skipped scenario runs nothing")

	res = Run(mustParse(t, "t.yaml", head+"  - SleepEx: {ms: 1}\n"), kernelOnly{newFake("win8")}, nil)
	assert.Equal(t, Passed, res.Outcome, res.Message)
}

func TestRunSkipsOtherProfiles(t *testing.T) {
	s := mustParse(t, "t.yaml", "version: 1\ndescription: x\ncovers: [a.b]\nprofiles: [win7, wine-8.0]\nsteps:\n  - SleepEx: {ms: 1}\n")
	var rep record
	res := Run(s, newFake("win8"), &rep)
	assert.Equal(t, Skipped, res.Outcome)
	assert.Equal(t, "profile win8 is not among the scenario's profiles (win7, wine-8.0)", res.Message)
	assert.Len(t, rep.skips, 1)

	res = Run(s, newFake("win7"), nil)
	assert.Equal(t, Passed, res.Outcome, res.Message)
}

func TestRunUnexpectedCallback(t *testing.T) {
	s := mustParse(t, "t.yaml", prelude+
		"  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_STOPPED, buffer: n1}\n"+
		"  - SleepEx: {ms: 100, alertable: true}\n"+
		"    want: WAIT_IO_COMPLETION\n")
	var rep record
	res := Run(s, newFake("win8"), &rep)
	want := "t.yaml:10:5: SleepEx(100, true): unexpected callback n1 on main: status ERROR_SUCCESS (0), " +
		"triggered SERVICE_NOTIFY_STOPPED, state SERVICE_STOPPED, at 0.000s (no callbacks step asserts it)"
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, want, res.Message)
	assert.Equal(t, []string{want}, rep.errs)
}

func TestRunUnexpectedViolation(t *testing.T) {
	s := mustParse(t, "t.yaml", head+
		"  - CloseServiceHandle: {handle: NULL}\n"+
		"    want: ERROR_INVALID_HANDLE\n")
	res := Run(s, newFake("win8"), nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, "t.yaml:5:5: CloseServiceHandle(NULL): unexpected violation fake.close-null: CloseServiceHandle(NULL) (fake) (no violations step asserts it)", res.Message)

	// Without the violations capability nothing is collected.
	res = Run(s, scmOnly{newFake("win8")}, nil)
	assert.Equal(t, Passed, res.Outcome, res.Message)
}

func TestRunAssertionFailures(t *testing.T) {
	notify := prelude + "  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_STOPPED, buffer: n1}\n" +
		"  - SleepEx: {ms: 100, alertable: true}\n"
	tests := []struct {
		name, doc, want string
	}{
		{
			name: "callback field differs",
			doc:  notify + "  - callbacks:\n      - {buffer: n1, state: SERVICE_RUNNING}\n",
			want: "t.yaml:12:9: callbacks[0]: state: got SERVICE_STOPPED (1), want SERVICE_RUNNING (4) " +
				"(got n1 on main: status ERROR_SUCCESS (0), triggered SERVICE_NOTIFY_STOPPED, state SERVICE_STOPPED, at 0.000s)",
		},
		{
			name: "callback count differs",
			doc:  notify + "  - callbacks: []\n",
			want: "t.yaml:11:5: callbacks: got 1 callbacks, want 0; got [n1 on main: status ERROR_SUCCESS (0), " +
				"triggered SERVICE_NOTIFY_STOPPED, state SERVICE_STOPPED, at 0.000s]",
		},
		{
			name: "callback time differs",
			doc:  notify + "  - callbacks: [{at: 1s}]\n",
			want: "t.yaml:11:17: callbacks[0]: at: got 0.000s, want 1.000s " +
				"(got n1 on main: status ERROR_SUCCESS (0), triggered SERVICE_NOTIFY_STOPPED, state SERVICE_STOPPED, at 0.000s)",
		},
		{
			name: "status fields differ",
			doc:  prelude + "  - status: {service: svc, state: SERVICE_RUNNING, pid: nonzero, checkpoint: 0}\n",
			want: "t.yaml:9:5: status(svc, SERVICE_RUNNING, 0, nonzero): state: got SERVICE_STOPPED (1), want SERVICE_RUNNING (4); pid: got zero (0), want nonzero",
		},
		{
			name: "expect modifier differs",
			doc:  prelude + "  - QueryServiceStatusEx: {service: svc}\n    expect: {state: SERVICE_RUNNING, wait_hint: 0}\n",
			want: "t.yaml:9:5: QueryServiceStatusEx(svc): state: got SERVICE_STOPPED (1), want SERVICE_RUNNING (4)",
		},
		{
			name: "wait result differs",
			doc:  head + "  - SleepEx: {ms: 10, alertable: true}\n    want: WAIT_IO_COMPLETION\n",
			want: "t.yaml:5:5: SleepEx(10, true): got WAIT_OBJECT_0 (0), want WAIT_IO_COMPLETION (192)",
		},
		{
			name: "unexpected deadlock",
			doc:  head + "  - SleepEx: {ms: INFINITE}\n",
			want: "t.yaml:5:5: SleepEx(INFINITE): got deadlock (deadlock: thread main waits forever at   0.000s in SleepEx: nothing pending can satisfy it), want a wait that neither fails nor deadlocks",
		},
		{
			name: "wait error differs",
			doc:  head + "  - WaitForSingleObjectEx: {handle: BOGUS, ms: 0}\n    want: WAIT_FAILED\n    error: ERROR_ACCESS_DENIED\n",
			want: "t.yaml:5:5: WaitForSingleObjectEx(BOGUS, 0): got WAIT_FAILED with ERROR_INVALID_HANDLE (6), want WAIT_FAILED with ERROR_ACCESS_DENIED (5)",
		},
		{
			name: "violations differ",
			doc:  head + "  - violations: [a.b]\n",
			want: "t.yaml:5:5: violations: got [], want [a.b]",
		},
		{
			name: "backend error",
			doc:  head + "  - report: {service: nosuch, state: SERVICE_RUNNING}\n",
			want: `t.yaml:5:5: report("nosuch", SERVICE_RUNNING): no service nosuch`,
		},
		{
			name: "variable bound only in a callback that never ran",
			doc: prelude + "  - NotifyServiceStatusChange:\n      service: svc\n      mask: SERVICE_NOTIFY_RUNNING\n      buffer: n1\n" +
				"      on_callback:\n        - CreateEvent: {}\n          as: ev\n  - SetEvent: {handle: ev}\n",
			want: "t.yaml:16:5: SetEvent(ev): variable ev is not bound: the step that binds it has not run",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Run(mustParse(t, "t.yaml", tc.doc), newFake("win8"), nil)
			assert.Equal(t, Failed, res.Outcome)
			assert.Equal(t, tc.want, res.Message)
		})
	}
}

// panicky is a backend whose SleepEx panics.
type panicky struct{ *fakeSCM }

func (panicky) SleepEx(string, uint32, bool) (sim.WaitResult, error) { panic("boom") }

func TestRunSurvivesBackendPanic(t *testing.T) {
	s := mustParse(t, "t.yaml", head+"  - SleepEx: {ms: 1}\n")
	res := Run(s, panicky{newFake("win8")}, nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, "t.yaml:5:5: SleepEx(1): backend panicked: boom", res.Message)
}

// declining is a backend that declines DeleteService (backend.Refuser), as
// the real binding declines calls that would end the process.
type declining struct {
	*fakeSCM
	refused error
	why     error // the refusal; nil: one wrapping backend.ErrUnsupported
}

func (d *declining) DeleteService(string, sim.Handle) sim.Errno {
	d.refused = d.why
	if d.refused == nil {
		d.refused = fmt.Errorf("DeleteService here: %w", backend.ErrUnsupported)
	}
	return backend.DeclinedErrno
}

func (d *declining) Refusal() error {
	err := d.refused
	d.refused = nil
	return err
}

func TestRunSkipsADeclinedCall(t *testing.T) {
	s := mustParse(t, "t.yaml", prelude+
		"  - DeleteService: {service: svc}\n"+
		"    want: ERROR_ACCESS_DENIED\n"+
		"  - CloseServiceHandle: {handle: NULL}\n")
	b := &declining{fakeSCM: newFake("win8")}
	var rep record
	res := Run(s, b, &rep)
	want := "t.yaml:9:5: DeleteService(svc): backend fake: DeleteService here: not supported by this backend"
	assert.Equal(t, Skipped, res.Outcome, "the value of a declined call is no result: %s", res.Message)
	assert.Equal(t, want, res.Message)
	assert.Empty(t, rep.errs)
	assert.NoError(t, b.Refusal(), "the runner took the refusal")
}

// TestRunFailsAnOddRefusal: a refusal that is not an unsupported call is a
// failure of the backend, reported, not dropped with what the step
// concluded from the declined value.
func TestRunFailsAnOddRefusal(t *testing.T) {
	s := mustParse(t, "t.yaml", prelude+
		"  - DeleteService: {service: svc}\n"+
		"    want: ERROR_ACCESS_DENIED\n"+
		"  - CloseServiceHandle: {handle: NULL}\n")
	b := &declining{fakeSCM: newFake("win8"), why: errors.New("the pipe broke")}
	res := Run(s, b, nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, "t.yaml:9:5: DeleteService(svc): the pipe broke", res.Message)
	assert.Equal(t, 2, res.Calls, "the declined call is not counted")
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.yaml")
	doc := "version: 1\ndescription: x\ncovers: [a.b]\ngolden: true\nsteps:\n  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n  - SleepEx: {ms: 5}\n"
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	s, err := Load(path, testEnv())
	require.NoError(t, err)
	golden := filepath.Join(dir, "g.trace")

	res := Run(s, newFake("win8"), nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, path+":4:9: golden trace "+golden+" does not exist (run with -update to write it)", res.Message)

	var rep record
	res = RunWith(s, newFake("win8"), &rep, Options{Update: true})
	require.Equal(t, Passed, res.Outcome, res.Message)
	assert.Equal(t, []string{path + ":4:9: wrote " + golden}, rep.logs)
	data, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, TraceText(res.Trace), string(data))
	assert.Equal(t, 2, strings.Count(string(data), "\n"))

	res = Run(s, newFake("win8"), nil)
	assert.Equal(t, Passed, res.Outcome, res.Message)

	lines := strings.Split(string(data), "\n")
	lines[1] = "changed"
	require.NoError(t, os.WriteFile(golden, []byte(strings.Join(lines, "\n")), 0o644))
	res = Run(s, newFake("win8"), nil)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, path+":4:9: trace differs from "+golden+" at line 2:\n\tgot:  "+strings.Split(string(data), "\n")[1]+"\n\twant: changed", res.Message)

	// A backend without a trace is not compared.
	rep = record{}
	res = RunWith(s, scmOnly{newFake("win8")}, &rep, Options{})
	assert.Equal(t, Passed, res.Outcome, res.Message)
	assert.Len(t, rep.logs, 1)
}

func TestDiffLines(t *testing.T) {
	assert.Equal(t, "", diffLines("a\nb\n", "a\nb\n"))
	assert.Equal(t, "at line 2:\n\tgot:  <end of trace>\n\twant: b", diffLines("a\n", "a\nb\n"))
	assert.Equal(t, "at line 1:\n\tgot:  a\n\twant: <end of file>", diffLines("a\n", ""))
	assert.Equal(t, "in its final newline", diffLines("a\n", "a"))
}

func TestRunTree(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(doc), 0o644))
	}
	write("a.yaml", head+"  - SleepEx: {ms: 1}\n")
	write("scm/b.yaml", head+"  - SleepEx: {ms: 1}\n    want: WAIT_TIMEOUT\n")
	write("scm/c.yaml", "version: 3\n")
	write("scm/d.yaml", "version: 1\ndescription: x\ncovers: [a.b]\nprofiles: [win7]\nsteps:\n  - SleepEx: {ms: 1}\n")
	write("scm/notes.txt", "not a scenario")

	var made []string
	newBackend := func(profile string, seed uint64) (backend.Kernel, error) {
		made = append(made, fmt.Sprintf("%s/%d", profile, seed))
		return newFake(profile), nil
	}
	root := &fakeT{}
	RunTree(root, dir, newBackend, Options{Env: testEnv()})
	require.Len(t, root.subs, 4)
	names := []string{}
	for _, s := range root.subs {
		names = append(names, s.name)
	}
	assert.Equal(t, []string{"a", "scm/b", "scm/c", "scm/d"}, names)
	assert.Empty(t, root.subs[0].errs)
	assert.Equal(t, []string{filepath.Join(dir, "scm/b.yaml") + ":5:5: SleepEx(1): got WAIT_OBJECT_0 (0), want WAIT_TIMEOUT (258)"}, root.subs[1].errs)
	require.Len(t, root.subs[2].errs, 1)
	assert.Contains(t, root.subs[2].errs[0], "c.yaml:1:10: version: unsupported version 3")
	assert.Equal(t, []string{"profile win8 is not among the scenario's profiles (win7)"}, root.subs[3].skips)
	assert.Equal(t, []string{"win8/1", "win8/1"}, made, "no backend for invalid or skipped scenarios")

	empty := &fakeT{}
	RunTree(empty, t.TempDir(), newBackend, Options{})
	assert.Len(t, empty.errs, 1)
	missing := &fakeT{}
	RunTree(missing, filepath.Join(dir, "nope"), newBackend, Options{})
	assert.Len(t, missing.errs, 1)
}

func TestFindAndName(t *testing.T) {
	assert.Equal(t, "scm/notify-immediate", Name("scenarios", filepath.Join("scenarios", "scm", "notify-immediate.yaml")))
	assert.Equal(t, "x/y", Name("x/y.yaml", "x/y.yaml"))
	_, err := Find("does/not/exist")
	assert.Error(t, err)
}
