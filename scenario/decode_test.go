package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// head is the valid top of a scenario; its steps start on line 5.
const head = "version: 1\ndescription: x\ncovers: [a.b]\nsteps:\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{
			name: "unknown top-level field",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\nsead: 2\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:4:1: unknown field "sead" in scenario (did you mean seed?)`},
		},
		{
			name: "unknown step kind",
			doc:  head + "  - OpenSCManger: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n  - CloseServiceHandle: {handle: scm}\n",
			want: []string{`t.yaml:5:5: unknown step kind "OpenSCManger" (did you mean OpenSCManager?)`},
		},
		{
			name: "unknown step kind without suggestion",
			doc:  head + "  - Frobnicate: {}\n",
			want: []string{`t.yaml:5:5: unknown step kind "Frobnicate"`},
		},
		{
			name: "unknown field in a step",
			doc:  head + "  - OpenSCManager: {acess: SC_MANAGER_ALL_ACCESS}\n",
			want: []string{
				`t.yaml:5:20: OpenSCManager: missing field "access"`,
				`t.yaml:5:21: unknown field "acess" in OpenSCManager (did you mean access?)`,
			},
		},
		{
			name: "unknown constant",
			doc:  head + "  - OpenSCManager: {access: SC_MANAGER_ALL_ACESS}\n",
			want: []string{`t.yaml:5:29: access: unknown scm-access constant "SC_MANAGER_ALL_ACESS" (did you mean SC_MANAGER_ALL_ACCESS?)`},
		},
		{
			name: "unknown constant after a bar points at the part",
			doc:  head + "  - NotifyServiceStatusChange:\n      service: NULL\n      mask: SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNING\n      buffer: n1\n",
			want: []string{`t.yaml:7:36: mask: unknown notify-mask constant "SERVICE_NOTIFY_RUNING" (did you mean SERVICE_NOTIFY_RUNNING?)`},
		},
		{
			name: "constant of another group",
			doc:  head + "  - OpenSCManager: {access: SERVICE_ALL_ACCESS}\n",
			want: []string{`t.yaml:5:29: access: unknown scm-access constant "SERVICE_ALL_ACCESS" (SERVICE_ALL_ACCESS is a service-access constant)`},
		},
		{
			name: "unknown status code",
			doc:  head + "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    want: ERROR_SERVICE_MARKD_FOR_DELETE\n",
			want: []string{`t.yaml:6:11: want: unknown status code "ERROR_SERVICE_MARKD_FOR_DELETE" (did you mean ERROR_SERVICE_MARKED_FOR_DELETE?)`},
		},
		{
			name: "status code of another space",
			doc:  head + "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    want: STATUS_ACCESS_DENIED\n",
			want: []string{`t.yaml:6:11: want: STATUS_ACCESS_DENIED is an NTSTATUS value; a Win32 error code is expected here`},
		},
		{
			name: "string where a bool is expected",
			doc:  head + "  - SleepEx: {ms: 10, alertable: \"yes\"}\n",
			want: []string{`t.yaml:5:34: alertable: want a bool (true or false), got string "yes"`},
		},
		{
			name: "scalar where a list is expected",
			doc:  "version: 1\ndescription: x\ncovers: a.b\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:3:9: covers: want a list, got string "a.b"`},
		},
		{
			name: "negative number",
			doc:  head + "  - SleepEx: {ms: -1}\n",
			want: []string{`t.yaml:5:19: ms: want a non-negative integer, got -1`},
		},
		{
			name: "undefined variable",
			doc:  head + "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n  - CloseServiceHandle: {handle: scn}\n",
			want: []string{`t.yaml:7:34: handle: undefined variable "scn" (did you mean scm?)`},
		},
		{
			name: "variable used before the step that binds it",
			doc:  head + "  - CloseServiceHandle: {handle: scm}\n  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n",
			want: []string{`t.yaml:5:34: handle: undefined variable "scm"`},
		},
		{
			name: "variable bound twice",
			doc:  head + "  - CreateEvent: {}\n    as: ev\n  - CreateEvent: {}\n    as: ev\n",
			want: []string{`t.yaml:8:9: as: variable "ev" already bound at line 6`},
		},
		{
			name: "unknown thread",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\nthreads: [main, worker]\nsteps:\n  - SleepEx: {ms: 1}\n    thread: wrker\n",
			want: []string{`t.yaml:7:13: thread: unknown thread "wrker" (did you mean worker?)`},
		},
		{
			name: "unknown thread without suggestion",
			doc:  head + "  - exit_thread: zzz\n",
			want: []string{`t.yaml:5:18: exit_thread: unknown thread "zzz" (declared: main)`},
		},
		{
			name: "step on an exited thread",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\nthreads: [main, worker]\nsteps:\n  - exit_thread: worker\n  - SleepEx: {ms: 1}\n    thread: worker\n",
			want: []string{`t.yaml:7:5: SleepEx: thread worker has exited (exit_thread at line 6)`},
		},
		{
			// Found by FuzzRun: the model panicked on the exited thread.
			name: "return from a routine on an exited thread",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\nthreads: [main, worker]\nsteps:\n  - exit_thread: worker\n  - return_from_routine: worker\n",
			want: []string{`t.yaml:7:26: return_from_routine: thread worker has exited (exit_thread at line 6)`},
		},
		{
			name: "caller context of an exited thread",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\nthreads: [main, worker]\nsteps:\n  - exit_thread: worker\n  - caller_context: {thread: worker, irql: DISPATCH_LEVEL}\n",
			want: []string{`t.yaml:7:30: caller_context.thread: thread worker has exited (exit_thread at line 6)`},
		},
		{
			name: "unknown catalog id",
			doc:  "version: 1\ndescription: x\ncovers: [scm.notify.immediate-current-bt]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:3:10: covers[0]: unknown catalog id "scm.notify.immediate-current-bt" (did you mean scm.notify.immediate-current-bit?)`},
		},
		{
			name: "empty covers",
			doc:  "version: 1\ndescription: x\ncovers: []\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:3:9: covers: list at least one catalog rule id`},
		},
		{
			name: "documented modeled id",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\ndocuments: [fake.close-null]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:4:13: documents[0]: fake.close-null is modeled, not a model choice; list a modeled id in covers:`},
		},
		{
			name: "documented id near a model choice",
			doc:  "version: 1\ndescription: x\ndocuments: [fake.choise]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:3:13: documents[0]: unknown catalog id "fake.choise" (did you mean fake.choice?)`},
		},
		{
			name: "covered and documented",
			doc:  "version: 1\ndescription: x\ncovers: [fake.choice]\ndocuments: [fake.choice]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:4:13: documents[0]: fake.choice is in covers: too; an id is either covered (falsifiable) or documented`},
		},
		{
			name: "neither covers nor documents",
			doc:  "version: 1\ndescription: x\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:1:1: scenario: missing field "covers"`},
		},
		{
			name: "unknown documents field",
			doc:  "version: 1\ndescription: x\ndocument: [fake.choice]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:1:1: scenario: missing field "covers"`, `t.yaml:3:1: unknown field "document" in scenario (did you mean documents?)`},
		},
		{
			name: "unknown violation id",
			doc:  head + "  - violations: [fake.close-nul]\n",
			want: []string{`t.yaml:5:18: violations[0]: unknown catalog id "fake.close-nul" (did you mean fake.close-null?)`},
		},
		{
			name: "unknown profile",
			doc:  "version: 1\ndescription: x\ncovers: [a.b]\nprofiles: [win9]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:4:12: profiles[0]: unknown profile "win9" (did you mean win7?)`},
		},
		{
			name: "not YAML",
			doc:  "version: 1\nsteps: [\n",
			want: []string{`t.yaml:2: not valid YAML near line 2: did not find expected node content; line 2 reads "steps: ["`},
		},
		{
			name: "not YAML at all",
			doc:  "\x00\x01\x02",
			want: []string{`t.yaml:1:1: not valid YAML: a NUL byte: a scenario file is text`},
		},
		{
			name: "not a mapping",
			doc:  "- a\n- b\n",
			want: []string{`t.yaml:1:1: a scenario is a mapping with version, description, covers and steps, got a sequence`},
		},
		{
			name: "empty file",
			doc:  "# nothing\n",
			want: []string{`t.yaml:1:1: empty file: a scenario is a mapping with version, description, covers and steps`},
		},
		{
			name: "two documents",
			doc:  head + "  - SleepEx: {ms: 1}\n---\nversion: 1\n",
			want: []string{`t.yaml:7:1: a scenario file holds one YAML document; another one starts here`},
		},
		{
			name: "missing version",
			doc:  "description: x\ncovers: [a.b]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:1:1: scenario: missing field "version"`},
		},
		{
			name: "wrong version",
			doc:  "version: 2\ndescription: x\ncovers: [a.b]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:1:10: version: unsupported version 2 (this runner reads version 1)`},
		},
		{
			name: "version as a string",
			doc:  "version: \"1\"\ndescription: x\ncovers: [a.b]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:1:10: version: want a non-negative integer, got string "1"`},
		},
		{
			name: "key written twice",
			doc:  "version: 1\nversion: 1\ndescription: x\ncovers: [a.b]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:2:1: scenario: key "version" written twice (first at line 1)`},
		},
		{
			name: "aliases are refused",
			doc:  "version: 1\ndescription: &d x\ncovers: [a.b]\nsteps:\n  - SleepEx: {ms: 1}\n    note: *d\n",
			want: []string{`t.yaml:6:11: aliases (*d) are not supported: write the value out`},
		},
		{
			name: "two step kinds",
			doc:  head + "  - SleepEx: {ms: 1}\n    advance: 1s\n",
			want: []string{`t.yaml:6:5: a step has one step kind; this one has SleepEx and advance`},
		},
		{
			name: "no step kind",
			doc:  head + "  - note: hello\n",
			want: []string{`t.yaml:5:5: step has no step kind, only note (see simrun help steps)`},
		},
		{
			name: "step is not a mapping",
			doc:  head + "  - SleepEx\n",
			want: []string{`t.yaml:5:5: a step is a mapping with one step kind (see simrun help steps), got string "SleepEx"`},
		},
		{
			name: "as on a step that returns no handle",
			doc:  head + "  - SleepEx: {ms: 1}\n    as: x\n",
			want: []string{`t.yaml:6:9: as: SleepEx returns no handle to bind`},
		},
		{
			name: "want on a step that returns nothing",
			doc:  head + "  - advance: 1s\n    want: ERROR_SUCCESS\n",
			want: []string{`t.yaml:6:11: want: advance returns nothing to compare`},
		},
		{
			name: "unknown wait result",
			doc:  head + "  - SleepEx: {ms: 1}\n    want: WAIT_TIMOUT\n",
			want: []string{`t.yaml:6:11: want: unknown wait result "WAIT_TIMOUT" (did you mean WAIT_TIMEOUT?)`},
		},
		{
			name: "error without WAIT_FAILED",
			doc:  head + "  - SleepEx: {ms: 1}\n    want: WAIT_TIMEOUT\n    error: ERROR_INVALID_HANDLE\n",
			want: []string{`t.yaml:7:12: error: give it together with want: WAIT_FAILED`},
		},
		{
			name: "bad duration",
			doc:  head + "  - advance: 5 seconds\n",
			want: []string{`t.yaml:5:14: advance: want a duration such as 200ms or 5s, got string "5 seconds"`},
		},
		{
			name: "typical with on_start",
			doc:  head + "  - program:\n      service: svc1\n      typical: {start_delay: 1s, step_delay: 1s}\n      on_start: [{state: SERVICE_RUNNING}]\n",
			want: []string{`t.yaml:7:16: program.typical: give either typical or on_start/on_control, not both`},
		},
		{
			name: "thread inside on_callback",
			doc: head + "  - NotifyServiceStatusChange:\n      service: NULL\n      mask: 0\n      buffer: n1\n      on_callback:\n" +
				"        - SleepEx: {ms: 1}\n          thread: main\n",
			want: []string{`t.yaml:11:19: thread: is not allowed inside on_callback: those steps run on the callback's thread`},
		},
		{
			name: "callbacks name an unknown buffer",
			doc:  head + "  - callbacks: [{buffer: n1}]\n",
			want: []string{`t.yaml:5:26: callbacks[0].buffer: unknown buffer "n1": no earlier NotifyServiceStatusChange names it`},
		},
		{
			name: "unknown field in a callback",
			doc: head + "  - NotifyServiceStatusChange: {service: NULL, mask: 0, buffer: n1}\n" +
				"  - callbacks: [{buffer: n1, trigered: SERVICE_NOTIFY_STOPPED}]\n",
			want: []string{`t.yaml:6:30: unknown field "trigered" in callbacks[0] (did you mean triggered?)`},
		},
		{
			name: "pid is not in SERVICE_STATUS",
			doc:  head + "  - QueryServiceStatus: {service: NULL}\n    expect: {pid: zero}\n",
			want: []string{`t.yaml:6:14: unknown field "pid" in expect`},
		},
		{
			name: "expect on a step that fills no status",
			doc:  head + "  - SleepEx: {ms: 1}\n    expect: {state: SERVICE_RUNNING}\n",
			want: []string{`t.yaml:6:13: expect: SleepEx fills no status structure to compare`},
		},
		{
			name: "expect with a NULL status buffer",
			doc:  head + "  - QueryServiceStatusEx: {service: NULL, null_out: true}\n    want: ERROR_INSUFFICIENT_BUFFER\n    expect: {state: SERVICE_STOPPED}\n",
			want: []string{`t.yaml:5:53: QueryServiceStatusEx: expect: compares nothing with null_out: true (no buffer is filled)`},
		},
		{
			name: "NULL buffer and NULL pcbBytesNeeded at level 0",
			doc:  head + "  - QueryServiceStatusEx: {service: NULL, null_out: true, null_needed: true}\n  - QueryServiceStatusEx: {service: NULL, level: 1, null_out: true, null_needed: true}\n    want: ERROR_INVALID_LEVEL\n",
			want: []string{`t.yaml:5:72: QueryServiceStatusEx: null_needed with null_out at level 0: the call writes the size needed through the NULL pointer`},
		},
		{
			name: "expect inside the arguments",
			doc:  head + "  - QueryServiceStatus: {service: NULL, expect: {state: SERVICE_RUNNING}}\n",
			want: []string{`t.yaml:5:41: expect: goes next to want: (a modifier of the step), not inside the arguments of QueryServiceStatus`},
		},
		{
			name: "bad field in the expect modifier",
			doc:  head + "  - QueryServiceStatusEx: {service: NULL}\n    expect: {state: SERVICE_RUNING}\n",
			want: []string{`t.yaml:6:21: expect.state: unknown service-state constant "SERVICE_RUNING" (did you mean SERVICE_RUNNING?)`},
		},
		{
			name: "bad enum word",
			doc:  head + "  - caller_context: {irql: DISPATCH}\n",
			want: []string{`t.yaml:5:28: irql: want one of PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL, got "DISPATCH"`},
		},
		{
			name: "every problem of a file, in order",
			doc: "version: 1\ndescription: x\ncovers: [a.b]\nsteps:\n" +
				"  - OpenSCManager: {access: SC_MANAGER_ALL_ACESS}\n    as: scm\n" +
				"  - OpenService: {scm: scm, name: svc, access: SERVICE_ALL_ACCESS}\n    as: svc\n    want: ERROR_FROBNICATED_WIDGET\n" +
				"  - SleepEx: {ms: 1, alertable: 1}\n",
			want: []string{
				`t.yaml:5:29: access: unknown scm-access constant "SC_MANAGER_ALL_ACESS" (did you mean SC_MANAGER_ALL_ACCESS?)`,
				`t.yaml:9:11: want: unknown status code "ERROR_FROBNICATED_WIDGET"`,
				`t.yaml:10:33: alertable: want a bool (true or false), got integer 1`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tc.doc), testEnv())
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, tc.want, strings.Split(err.Error(), "\n"))
			var list ErrorList
			require.ErrorAs(t, err, &list)
			assert.Len(t, list, len(tc.want))
			var first *Error
			require.ErrorAs(t, err, &first)
			assert.Equal(t, "t.yaml", first.File)
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "scenarios/scm/a.yaml", Line: 14, Col: 5, Msg: "boom"}
	assert.Equal(t, "scenarios/scm/a.yaml:14:5: boom", e.Error())
	list := ErrorList{e, {File: "f", Line: 1, Col: 2, Msg: "x"}}
	assert.Equal(t, "scenarios/scm/a.yaml:14:5: boom\nf:1:2: x", list.Error())
	assert.True(t, errors.Is(list, e))
}

const fullScenario = `version: 1
description: |
  Registering STOPPED|RUNNING on a stopped service queues the callback at once.
  Source: a test.
covers: [scm.notify.immediate-current-bit, a.b]
profiles: [win8, win7]
seed: 7
threads: [main, worker]
golden: true
steps:
  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}
    as: scm
  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS, dependencies: [a, b]}
    as: svc
    note: a demand-start service
  - NotifyServiceStatusChange:
      service: svc
      mask: SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNNING
      buffer: n1
      on_callback:
        - QueryServiceStatusEx: {service: svc}
          expect: {state: SERVICE_STOPPED, pid: zero}
  - SleepEx: {ms: 100, alertable: true}
    want: WAIT_IO_COMPLETION
  - callbacks:
      - {buffer: n1, thread: main, status: ERROR_SUCCESS, triggered: SERVICE_NOTIFY_STOPPED, state: SERVICE_STOPPED}
  - OpenService: {scm: scm, name: null, access: 0x4}
    as: nothing
    want: ERROR_SERVICE_DOES_NOT_EXIST
    thread: worker
  - ControlService: {service: svc, control: 128}
    expect: {state: SERVICE_STOPPED}
    want: ERROR_SERVICE_NOT_ACTIVE
  - QueryServiceStatus: {service: svc}
    expect: {state: SERVICE_STOPPED, accepted: 0, checkpoint: 0}
  - NotifyServiceStatusChange: {service: svc, mask: 0, buffer: null}
    want: ERROR_INVALID_PARAMETER
  - CreateEvent: {manual_reset: true}
    as: ev
  - WaitForMultipleObjectsEx: {handles: [ev, BOGUS], ms: INFINITE}
    want: WAIT_FAILED
    error: ERROR_INVALID_HANDLE
  - WaitForSingleObjectEx: {handle: ev, ms: 0}
    want: WAIT_OBJECT_0+0
  - SleepEx: {ms: INFINITE}
    want: deadlock
  - report: {service: svc1, state: SERVICE_RUNNING, accepted: SERVICE_ACCEPT_STOP}
  - program:
      service: svc1
      start_error: ERROR_FILE_NOT_FOUND
      on_start: [{after: 200ms, state: SERVICE_RUNNING, accepted: SERVICE_ACCEPT_STOP|SERVICE_ACCEPT_PAUSE_CONTINUE}]
      on_control:
        SERVICE_CONTROL_STOP: [{state: SERVICE_STOP_PENDING, wait_hint: 1000}, {after: 50ms, state: SERVICE_STOPPED}]
        128: []
  - advance: 24h
  - inject: {api: StartService, code: ERROR_SERVICE_LOGON_FAILED}
  - caller_context: {thread: worker, irql: DISPATCH_LEVEL, driver: WDM}
  - status: {service: svc, state: SERVICE_STOPPED, exit_code: ERROR_SUCCESS}
  - violations: []
  - exit_thread: worker
`

func TestParseFull(t *testing.T) {
	s, err := Parse("scenarios/x.yaml", []byte(fullScenario), testEnv())
	require.NoError(t, err)
	assert.Equal(t, "scenarios/x.yaml", s.File)
	assert.Contains(t, s.Description, "Registering STOPPED|RUNNING")
	assert.Equal(t, []string{"scm.notify.immediate-current-bit", "a.b"}, s.Covers)
	assert.Equal(t, []string{"win8", "win7"}, s.Profiles)
	assert.Equal(t, uint64(7), s.Seed)
	assert.Equal(t, []string{"main", "worker"}, s.Threads)
	assert.True(t, s.Golden)
	assert.True(t, s.Supports("win7"))
	assert.False(t, s.Supports("wine-8.0"))
	assert.Equal(t, "scenarios/x.trace", s.GoldenFile())
	assert.Equal(t, "win8", s.GoldenProfile())
	assert.Equal(t, []backend.Capability{backend.CapSCM, backend.CapServiceSide, backend.CapVirtualClock, backend.CapFaultInjection, backend.CapCallerContext, backend.CapViolations}, s.Needs())
	require.Len(t, s.Steps, 21)

	names := make([]string, len(s.Steps))
	for i, st := range s.Steps {
		names[i] = st.String()
	}
	assert.Equal(t, []string{
		`OpenSCManager(SC_MANAGER_ALL_ACCESS)`,
		`CreateService(scm, "svc1", SERVICE_ALL_ACCESS, ["a", "b"])`,
		`NotifyServiceStatusChange(svc, SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNNING, n1)`,
		`SleepEx(100, true)`,
		`callbacks`,
		`OpenService(scm, NULL, 0x4)`,
		`ControlService(svc, 128)`,
		`QueryServiceStatus(svc)`,
		`NotifyServiceStatusChange(svc, 0, NULL)`,
		`CreateEvent(true)`,
		`WaitForMultipleObjectsEx([ev, BOGUS], INFINITE)`,
		`WaitForSingleObjectEx(ev, 0)`,
		`SleepEx(INFINITE)`,
		`report("svc1", SERVICE_RUNNING, SERVICE_ACCEPT_STOP)`,
		`program("svc1", ERROR_FILE_NOT_FOUND)`,
		`advance(24h)`,
		`inject("StartService", ERROR_SERVICE_LOGON_FAILED)`,
		`caller_context(worker, DISPATCH_LEVEL, WDM)`,
		`status(svc, SERVICE_STOPPED, ERROR_SUCCESS)`,
		`violations`,
		`exit_thread(worker)`,
	}, names)

	create := s.Steps[1]
	assert.Equal(t, "scenarios/x.yaml:13:5", create.Pos())
	assert.Equal(t, "svc", create.As)
	assert.Equal(t, "a demand-start service", create.Note)
	assert.Equal(t, "svc1", *create.args.strPtr("name"))
	assert.Nil(t, create.args.strPtr("display"))
	assert.Equal(t, `C:\svc.exe`, *create.args.strPtr("binary"))
	assert.Equal(t, win32.SERVICE_WIN32_OWN_PROCESS, constOf[win32.ServiceType](create.args, "type"))
	assert.Equal(t, win32.SERVICE_DEMAND_START, constOf[win32.ServiceStartType](create.args, "start"))
	assert.Equal(t, win32.SERVICE_ERROR_NORMAL, constOf[win32.ServiceErrorControl](create.args, "error_control"))
	assert.Equal(t, []string{"a", "b"}, create.args.strs("dependencies"))

	notify := s.Steps[2]
	assert.Equal(t, win32.SERVICE_NOTIFY_STOPPED|win32.SERVICE_NOTIFY_RUNNING, constOf[win32.ServiceNotifyMask](notify.args, "mask"))
	assert.Equal(t, win32.SERVICE_NOTIFY_STATUS_CHANGE, notify.args.u32("version"))
	inner, _ := notify.args.get("on_callback").([]*Step)
	require.Len(t, inner, 1)
	assert.Equal(t, "QueryServiceStatusEx(svc)", inner[0].String())

	assert.Equal(t, []result{{wait: sim.WAIT_IO_COMPLETION}}, s.Steps[3].wantSet(sim.DefaultProfile))
	open := s.Steps[5]
	assert.Equal(t, "worker", open.Thread)
	assert.Nil(t, open.args.strPtr("name"))
	assert.Equal(t, []result{{code: sim.ERROR_SERVICE_DOES_NOT_EXIST.Code()}}, open.wantSet(sim.DefaultProfile))
	control := s.Steps[6]
	assert.Equal(t, uint32(128), control.args.u32("control"))
	assert.Equal(t, win32.SERVICE_STOPPED, constOf[win32.ServiceState](control.expect, "state"))
	assert.False(t, control.args.has("expect"))
	query := s.Steps[7]
	assert.Equal(t, win32.SERVICE_STOPPED, constOf[win32.ServiceState](query.expect, "state"))
	assert.True(t, query.expect.has("accepted"))
	assert.False(t, query.expect.has("wait_hint"))
	assert.Equal(t, "", s.Steps[8].args.str("buffer"))
	s.Steps = append(s.Steps[:7], s.Steps[9:]...)
	wait := s.Steps[8]
	assert.Equal(t, []handleRef{{name: "ev"}, {fixed: BOGUS}}, wait.args.handles("handles"))
	assert.Equal(t, sim.INFINITE, wait.args.u32("ms"))
	assert.Equal(t, []result{{wait: sim.WAIT_FAILED}}, wait.wantSet(sim.DefaultProfile))
	assert.Equal(t, []sim.Errno{sim.ERROR_INVALID_HANDLE}, wait.want.err.in(sim.DefaultProfile))
	assert.Equal(t, []result{{deadlock: true}}, s.Steps[10].wantSet(sim.DefaultProfile))
	assert.Equal(t, 24*time.Hour, s.Steps[13].args.get(""))
	inject := s.Steps[14]
	assert.Equal(t, sim.ERROR_SERVICE_LOGON_FAILED.Code(), inject.args.get("code"))
	assert.Equal(t, uint32(1), inject.args.u32("count"))
}

// TestDefaultsDecode decodes every field default through its own type, so a
// default that does not parse is caught here rather than in some scenario.
func TestDefaultsDecode(t *testing.T) {
	var check func(where string, fields []Field)
	check = func(where string, fields []Field) {
		for _, f := range fields {
			require.NotNil(t, f.Type, "%s.%s has no type", where, f.Name)
			if f.Default != "" {
				d := newDecoder("defaults", testEnv())
				d.threads = []string{"main"}
				n := d.defaultNode(&f, &yamlPos)
				require.NotNil(t, n, "%s.%s", where, f.Name)
				_, ok := f.Type.decode(d, n, f.Name)
				assert.True(t, ok, "%s.%s default %q: %v", where, f.Name, f.Default, d.errs)
			}
			nested := f.Type
			if nested.Elem != nil {
				nested = nested.Elem
			}
			check(where+"."+f.Name, nested.Fields)
		}
	}
	check("top", topFields)
	for _, k := range StepKinds() {
		assert.NotEmpty(t, k.Summary, k.Name)
		assert.NotNil(t, k.run, k.Name)
		assert.Same(t, k, LookupStepKind(k.Name))
		if k.Value != nil {
			assert.Nil(t, k.Fields, k.Name)
			continue
		}
		check(k.Name, k.Fields)
	}
}

func TestParseWaitResult(t *testing.T) {
	for in, want := range map[string]sim.WaitResult{
		"WAIT_OBJECT_0": 0, "WAIT_OBJECT_0+3": 3, "WAIT_ABANDONED_0+1": 0x81,
		"WAIT_TIMEOUT": sim.WAIT_TIMEOUT, "WAIT_IO_COMPLETION": sim.WAIT_IO_COMPLETION, "WAIT_FAILED": sim.WAIT_FAILED,
	} {
		got, err := parseWaitResult(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"WAIT_OBJECT_0+64", "WAIT_OBJECT_0+x", "WAIT_TIMEOUT+1", "WAIT"} {
		_, err := parseWaitResult(in)
		assert.Error(t, err, in)
	}
}
