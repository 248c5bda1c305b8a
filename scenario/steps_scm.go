package scenario

import (
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// Groups of the SCM family's step kinds: the client's calls, and the
// service side's.
const (
	GroupSCM     = "scm"
	GroupService = "service"
)

// The Service Control Manager family.
var _ = RegisterFamily(Family{
	Name:      GroupSCM,
	Title:     "SCM",
	Needs:     backend.CapSCM,
	Steps:     scmSteps,
	Constants: win32.ServiceConstants(),
	Settings:  scm.Settings(),
	Rules:     scm.Rules(),
	Groups:    []StepGroup{{GroupSCM, "SCM client steps"}, {GroupService, "Service-side steps"}, {GroupAssert, "SCM assertions"}},
	Order:     10,
})

// scmSteps are the step kinds of the Service Control Manager family: client
// calls, the service side, and assertions on status and callbacks. They run
// through r.scm.
func scmSteps() []*StepKind {
	return append(scmClientSteps(), scmConfigSteps()...)
}

// scmClientSteps are the SCM family's step kinds but the configuration
// calls (scmConfigSteps).
func scmClientSteps() []*StepKind {
	return []*StepKind{
		{
			Name: "OpenSCManager", Group: GroupSCM, Returns: ReturnsStatus, BindsHandle: true,
			Summary: "Open the service control manager.",
			Fields: []Field{
				{Name: "machine", Type: tStrPtr, Default: "null", Doc: "lpMachineName"},
				{Name: "database", Type: tStrPtr, Default: "null", Doc: "lpDatabaseName"},
				{Name: "access", Type: tSCMAccess, Required: true, Doc: "dwDesiredAccess"},
			},
			run: func(r *runner, st *Step, th string) {
				h, code := r.scm.OpenSCManager(th, st.args.strPtr("machine"), st.args.strPtr("database"), st.args.u32("access"))
				r.bind(st, h)
				r.checkStatus(st, code)
			},
		},
		{
			Name: "CreateService", Group: GroupSCM, Returns: ReturnsStatus, BindsHandle: true,
			Summary: "Create a service and open a handle to it.",
			Fields: []Field{
				{Name: "scm", Type: tHandle, Required: true, Doc: "hSCManager"},
				{Name: "name", Type: tStrPtr, Required: true, Doc: "lpServiceName"},
				{Name: "display", Type: tStrPtr, Default: "null", Doc: "lpDisplayName"},
				{Name: "access", Type: tSvcAccess, Required: true, Doc: "dwDesiredAccess"},
				{Name: "type", Type: tServiceType, Default: "SERVICE_WIN32_OWN_PROCESS", Doc: "dwServiceType"},
				{Name: "start", Type: tStartType, Default: "SERVICE_DEMAND_START", Doc: "dwStartType"},
				{Name: "error_control", Type: tErrorCtl, Default: "SERVICE_ERROR_NORMAL", Doc: "dwErrorControl"},
				{Name: "binary", Type: tStrPtr, Default: `'C:\svc.exe'`, Doc: "lpBinaryPathName"},
				{Name: "dependencies", Type: tStrings, Doc: "lpDependencies, one string per name"},
				{Name: "group", Type: tStrPtr, Default: "null", Doc: "lpLoadOrderGroup"},
				{Name: "start_name", Type: tStrPtr, Default: "null", Doc: "lpServiceStartName"},
				{Name: "password", Type: tStrPtr, Default: "null", Doc: "lpPassword"},
			},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("scm"))
				if !ok {
					return
				}
				p := win32.CreateServiceParams{
					Name:             st.args.strPtr("name"),
					DisplayName:      st.args.strPtr("display"),
					DesiredAccess:    st.args.u32("access"),
					ServiceType:      constOf[win32.ServiceType](st.args, "type"),
					StartType:        constOf[win32.ServiceStartType](st.args, "start"),
					ErrorControl:     constOf[win32.ServiceErrorControl](st.args, "error_control"),
					BinaryPath:       st.args.strPtr("binary"),
					Dependencies:     st.args.strs("dependencies"),
					LoadOrderGroup:   st.args.strPtr("group"),
					ServiceStartName: st.args.strPtr("start_name"),
					Password:         st.args.strPtr("password"),
				}
				svc, code := r.scm.CreateService(th, h, p)
				r.bind(st, svc)
				r.checkStatus(st, code)
			},
		},
		{
			Name: "OpenService", Group: GroupSCM, Returns: ReturnsStatus, BindsHandle: true,
			Summary: "Open a handle to an existing service.",
			Fields: []Field{
				{Name: "scm", Type: tHandle, Required: true, Doc: "hSCManager"},
				{Name: "name", Type: tStrPtr, Required: true, Doc: "lpServiceName"},
				{Name: "access", Type: tSvcAccess, Required: true, Doc: "dwDesiredAccess"},
			},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("scm"))
				if !ok {
					return
				}
				svc, code := r.scm.OpenService(th, h, st.args.strPtr("name"), st.args.u32("access"))
				r.bind(st, svc)
				r.checkStatus(st, code)
			},
		},
		handleCall(GroupSCM, "CloseServiceHandle", "Close an SCM or service handle. The variable stays usable, as a stale handle.", "handle", func(r *runner, th string, h sim.Handle) sim.Errno { return r.scm.CloseServiceHandle(th, h) }),
		handleCall(GroupSCM, "DeleteService", "Mark a service for deletion.", "service", func(r *runner, th string, h sim.Handle) sim.Errno { return r.scm.DeleteService(th, h) }),
		{
			Name: "StartService", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Start a service.",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "args", Type: tStrings, Doc: "lpServiceArgVectors (default: none, NULL)"},
			},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("service"))
				if !ok {
					return
				}
				r.checkStatus(st, r.scm.StartService(th, h, st.args.strs("args")))
			},
		},
		{
			Name: "ControlService", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Send a control to a service; expect: compares the SERVICE_STATUS it fills (when the call returns what want: says).",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "control", Type: tControl, Required: true, Doc: "dwControl: a SERVICE_CONTROL_* name, or an integer (user-defined 128-255, or invalid)"},
			},
			Expect: tExpect,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("service"))
				if !ok {
					return
				}
				var ss win32.SERVICE_STATUS
				code := r.scm.ControlService(th, h, constOf[win32.ServiceControl](st.args, "control"), &ss)
				if r.checkStatus(st, code) {
					r.checkExpect(st, st.expect, process(ss))
				}
			},
		},
		{
			Name: "QueryServiceStatus", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Query a service's SERVICE_STATUS; expect: compares it.",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "null_out", Type: tBool, Default: "false", Doc: "pass NULL for lpServiceStatus (expect: is then not compared)"},
			},
			Expect: tExpect,
			check:  nullOutFillsNothing,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("service"))
				if !ok {
					return
				}
				if st.args.bool("null_out") {
					r.checkStatus(st, r.scm.QueryServiceStatus(th, h, nil))
					return
				}
				var ss win32.SERVICE_STATUS
				if r.checkStatus(st, r.scm.QueryServiceStatus(th, h, &ss)) {
					r.checkExpect(st, st.expect, process(ss))
				}
			},
		},
		{
			Name: "QueryServiceStatusEx", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Query a service's SERVICE_STATUS_PROCESS; expect: compares it.",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "level", Type: tUint32, Default: "0", Doc: "InfoLevel (SC_STATUS_PROCESS_INFO is 0)"},
				{Name: "null_out", Type: tBool, Default: "false", Doc: "pass NULL for lpBuffer, with cbBufSize 0 (expect: is then not compared)"},
				{Name: "null_needed", Type: tBool, Default: "false", Doc: "pass NULL for pcbBytesNeeded (not with null_out at level 0, where the system writes the size needed through it)"},
			},
			Expect: tExpectEx,
			check:  queryExArgs,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("service"))
				if !ok {
					return
				}
				nullNeeded := st.args.bool("null_needed")
				if st.args.bool("null_out") {
					r.checkStatus(st, r.scm.QueryServiceStatusEx(th, h, st.args.u32("level"), nil, nullNeeded))
					return
				}
				var ss win32.SERVICE_STATUS_PROCESS
				if r.checkStatus(st, r.scm.QueryServiceStatusEx(th, h, st.args.u32("level"), &ss, nullNeeded)) {
					r.checkExpect(st, st.expect, ss)
				}
			},
		},
		{
			Name: "NotifyServiceStatusChange", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Register for a status notification. The runner passes the SERVICE_NOTIFY of the named buffer (the same one each time the name is used); its callback records what it receives, then runs on_callback.",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService (a service or SCM handle)"},
				{Name: "mask", Type: tNotifyMask, Required: true, Doc: "dwNotifyMask"},
				{Name: "buffer", Type: tBufferDef, Required: true, Doc: "pNotifyBuffer, by name; null passes a NULL pointer"},
				{Name: "version", Type: tUint32, Default: "2", Doc: "SERVICE_NOTIFY.dwVersion (SERVICE_NOTIFY_STATUS_CHANGE is 2)"},
				{Name: "on_callback", Type: tCallbackSteps, Doc: "steps the callback runs, on its thread, before returning"},
			},
			sets: func(sc *setup, st *Step) {
				// The runner observes the callbacks of named buffers only.
				sc.namedBuffers = sc.namedBuffers || st.args.str("buffer") != ""
			},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("service"))
				if !ok {
					return
				}
				var buf *win32.SERVICE_NOTIFY
				if name := st.args.str("buffer"); name != "" {
					buf = r.buffer(name)
					buf.Version = st.args.u32("version")
					steps, _ := st.args.get("on_callback").([]*Step)
					buf.NotifyCallback = r.recorder(name, steps)
				}
				r.checkStatus(st, r.scm.NotifyServiceStatusChange(th, h, constOf[win32.ServiceNotifyMask](st.args, "mask"), buf))
			},
		},

		// Service side.
		{
			Name: "report", Group: GroupService, Returns: ReturnsStatus, Needs: []backend.Capability{backend.CapServiceSide},
			Summary: "Make a service call SetServiceStatus from its ServiceMain thread; want: is SetServiceStatus's code.",
			Fields: append([]Field{
				{Name: "service", Type: tString, Required: true, Doc: "the service, by the name given to CreateService"},
			}, append(reportFields[:len(reportFields):len(reportFields)],
				Field{Name: "type", Type: tServiceType, Default: "SERVICE_WIN32_OWN_PROCESS", Doc: "dwServiceType"})...),
			run: func(r *runner, st *Step, _ string) {
				a := st.args
				code, err := r.b.(backend.ServiceSide).ReportStatus(a.str("service"), win32.SERVICE_STATUS{
					ServiceType:             constOf[win32.ServiceType](a, "type"),
					CurrentState:            constOf[win32.ServiceState](a, "state"),
					ControlsAccepted:        constOf[win32.ServiceAccept](a, "accepted"),
					Win32ExitCode:           a.u32("exit_code"),
					ServiceSpecificExitCode: a.u32("specific_exit_code"),
					CheckPoint:              a.u32("checkpoint"),
					WaitHint:                a.u32("wait_hint"),
				})
				if err != nil {
					r.backendErr(st, err)
					return
				}
				r.checkStatus(st, code)
			},
		},
		{
			Name: "program", Group: GroupService, Needs: []backend.Capability{backend.CapServiceSide},
			Summary: "Script what a service's process does when started and controlled (scm.Program), or use the typical well-behaved one.",
			Fields: []Field{
				{Name: "service", Type: tString, Required: true, Doc: "the service, by the name given to CreateService"},
				{Name: "start_error", Type: tStatus, Doc: "make StartService fail the way an image that cannot run fails"},
				{Name: "on_start", Type: tReports, Doc: "reports from ServiceMain after StartService returns"},
				{Name: "on_control", Type: tControlMap, Doc: "per control code, the handler's reports (after: 0s ones before ControlService returns)"},
				{Name: "typical", Type: tTypical, Doc: "use scm.TypicalProgram instead of on_start and on_control"},
			},
			check: programArgs,
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, r.b.(backend.ServiceSide).SetProgram(st.args.str("service"), program(st.args)))
			},
		},

		// SCM assertions.
		{
			Name: "status", Group: GroupAssert, Returns: ReturnsStatus,
			Summary: "Shorthand for QueryServiceStatusEx with expect: the given fields are compared.",
			Fields:  append([]Field{{Name: "service", Type: tHandle, Required: true, Doc: "hService"}}, expectFields(true)...),
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("service"))
				if !ok {
					return
				}
				var ss win32.SERVICE_STATUS_PROCESS
				if r.checkStatus(st, r.scm.QueryServiceStatusEx(th, h, win32.SC_STATUS_PROCESS_INFO, &ss, false)) {
					r.checkExpect(st, st.args, ss)
				}
			},
		},
		{
			Name: "callbacks", Group: GroupAssert,
			Summary: "Assert the exact list of notification callbacks run since the previous callbacks step. Callbacks no step asserts fail the scenario at its end.",
			Value:   &Field{Name: "callbacks", Type: tCallbacks, Required: true, Doc: "the expected callbacks"},
			vacuous: func(sc *setup, st *Step) (*yaml.Node, string) {
				if items, _ := st.args.get("").([]item); len(items) == 0 && !sc.namedBuffers {
					return st.args.at("").node, "[] cannot fail: no earlier NotifyServiceStatusChange names a buffer, and the runner observes only the callbacks of named buffers; drop the step, or register first"
				}
				return nil, ""
			},
			run: func(r *runner, st *Step, _ string) {
				items, _ := st.args.get("").([]item)
				r.checkCallbacks(st, items)
			},
		},
	}
}

// Field types shared by several kinds.
var (
	tSCMAccess   = constType(win32.GroupSCMAccess)
	tSvcAccess   = constType(win32.GroupSvcAccess)
	tState       = constType(win32.GroupState)
	tAccept      = constType(win32.GroupAccept)
	tServiceType = constType(win32.GroupServiceType)
	tStartType   = constType(win32.GroupStartType)
	tErrorCtl    = constType(win32.GroupErrorCtl)
	tControl     = constType(win32.GroupControl)
	tNotifyMask  = constType(win32.GroupNotifyMask)
	tPID         = enumType("pid", "zero", "nonzero")
)

// expectFields are the fields of a status expectation; each given field is
// compared with the structure the call filled.
func expectFields(withPID bool) []Field {
	fs := []Field{
		{Name: "state", Type: tState, Doc: "dwCurrentState"},
		{Name: "accepted", Type: tAccept, Doc: "dwControlsAccepted"},
		{Name: "exit_code", Type: tExitCode, Doc: "dwWin32ExitCode"},
		{Name: "specific_exit_code", Type: tUint32, Doc: "dwServiceSpecificExitCode"},
		{Name: "checkpoint", Type: tUint32, Doc: "dwCheckPoint"},
		{Name: "wait_hint", Type: tUint32, Doc: "dwWaitHint"},
	}
	if withPID {
		fs = append(fs, Field{Name: "pid", Type: tPID, Doc: "whether dwProcessId is zero"})
	}
	return append(fs, Field{Name: "type", Type: tServiceType, Doc: "dwServiceType"})
}

var (
	tExpect   = objectType("expect", "the fields of SERVICE_STATUS to compare; fields left out are not compared", expectFields(false))
	tExpectEx = objectType("expect", "the fields of SERVICE_STATUS_PROCESS to compare; fields left out are not compared", expectFields(true))

	reportFields = []Field{
		{Name: "state", Type: tState, Required: true, Doc: "dwCurrentState"},
		{Name: "accepted", Type: tAccept, Default: "0", Doc: "dwControlsAccepted"},
		{Name: "exit_code", Type: tExitCode, Default: "0", Doc: "dwWin32ExitCode"},
		{Name: "specific_exit_code", Type: tUint32, Default: "0", Doc: "dwServiceSpecificExitCode"},
		{Name: "checkpoint", Type: tUint32, Default: "0", Doc: "dwCheckPoint"},
		{Name: "wait_hint", Type: tUint32, Default: "0", Doc: "dwWaitHint"},
	}
	tReport  = objectType("report", "one SetServiceStatus call of the service: after (delay), state, accepted, exit_code, specific_exit_code, checkpoint, wait_hint", append([]Field{{Name: "after", Type: tDuration, Default: "0s", Doc: "delay from the start or the control to this report"}}, reportFields...))
	tReports = listType(tReport, "SetServiceStatus calls the service makes, each at its after: delay")

	tControlMap = &Type{
		Name: "{control: [report]}", Doc: "control code (SERVICE_CONTROL_* name or integer) -> the handler's reports", Elem: tReport,
		schema: func(s *schemaWriter) jsonObject {
			return jsonObject{"type": "object", "propertyNames": s.constantKeys(win32.GroupControl), "additionalProperties": s.typeSchema(tReports)}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			pairs, ok := d.mapping(n, path)
			if !ok && pairs == nil {
				return nil, false
			}
			var out []controlReports
			seen := map[uint32]*yaml.Node{}
			for _, p := range pairs {
				c, good := d.constant(p.key, path, win32.GroupControl)
				if !good {
					ok = false
					continue
				}
				code := c.(uint32)
				if first := seen[code]; first != nil {
					d.errorf(p.key, "%s: control %d listed twice (first at line %d)", path, code, first.Line)
					ok = false
					continue
				}
				seen[code] = p.key
				reps, good := tReports.decode(d, p.val, path+"."+p.key.Value)
				if !good {
					ok = false
					continue
				}
				out = append(out, controlReports{win32.ServiceControl(code), reps.([]item)})
			}
			return out, ok
		},
	}

	tTypical = objectType("typical", "scm.TypicalProgram: RUNNING after start_delay; STOP, PAUSE and CONTINUE answered with the pending state at once and the final one after step_delay", []Field{
		{Name: "start_delay", Type: tDuration, Required: true, Doc: "delay from StartService to RUNNING"},
		{Name: "step_delay", Type: tDuration, Required: true, Doc: "delay from a pending state to the final one"},
	})

	tCallback = objectType("callback", "one expected notification callback; fields left out are not compared", []Field{
		{Name: "buffer", Type: tBufferRef, Doc: "the buffer the notification was written to"},
		{Name: "thread", Type: tThread, Doc: "the thread the callback ran on"},
		{Name: "status", Type: tStatusSet, Doc: "NotificationStatus"},
		{Name: "triggered", Type: tNotifyMask, Doc: "NotificationTriggered"},
		{Name: "state", Type: tState, Doc: "ServiceStatus.dwCurrentState"},
		{Name: "names", Type: tStrings, Doc: "ServiceNames, one string per name (created names carry a / prefix)"},
		{Name: "at", Type: tDuration, Doc: "the virtual time the callback ran at", Needs: []backend.Capability{backend.CapVirtualClock}},
	})
	tCallbacks = listType(tCallback, "the callbacks observed since the previous callbacks step, in order; [] asserts none")
)

// controlReports is the handler of one control code in a program.
type controlReports struct {
	control win32.ServiceControl
	reports []item
}

func process(s win32.SERVICE_STATUS) win32.SERVICE_STATUS_PROCESS {
	return win32.SERVICE_STATUS_PROCESS{
		ServiceType: s.ServiceType, CurrentState: s.CurrentState, ControlsAccepted: s.ControlsAccepted,
		Win32ExitCode: s.Win32ExitCode, ServiceSpecificExitCode: s.ServiceSpecificExitCode,
		CheckPoint: s.CheckPoint, WaitHint: s.WaitHint,
	}
}

func reports(items []item) []win32.Report {
	out := make([]win32.Report, 0, len(items))
	for _, it := range items {
		a := it.vals
		after, _ := a.get("after").(time.Duration)
		out = append(out, win32.Report{
			After:            after,
			State:            constOf[win32.ServiceState](a, "state"),
			Accept:           constOf[win32.ServiceAccept](a, "accepted"),
			Win32ExitCode:    a.u32("exit_code"),
			SpecificExitCode: a.u32("specific_exit_code"),
			CheckPoint:       a.u32("checkpoint"),
			WaitHint:         a.u32("wait_hint"),
		})
	}
	return out
}

// programArgs refuses a program step that gives typical together with
// on_start or on_control.
func programArgs(d *decoder, st *Step) bool {
	if t := st.args.at("typical"); t != nil && (st.args.has("on_start") || st.args.has("on_control")) {
		d.errorf(t.node, "program.typical: give either typical or on_start/on_control, not both")
		return false
	}
	return true
}

// program builds the win32.Program a program step's arguments describe.
func program(a values) win32.Program {
	var p win32.Program
	if t, ok := a.get("typical").(values); ok {
		start, _ := t.get("start_delay").(time.Duration)
		step, _ := t.get("step_delay").(time.Duration)
		p = win32.TypicalProgram(start, step)
	} else {
		items, _ := a.get("on_start").([]item)
		p.OnStart = reports(items)
		if ctl, ok := a.get("on_control").([]controlReports); ok {
			p.OnControl = map[win32.ServiceControl][]win32.Report{}
			for _, c := range ctl {
				p.OnControl[c.control] = reports(c.reports)
			}
		}
	}
	if e, ok := a.get("start_error").(sim.Errno); ok {
		p.StartError = e
	}
	return p
}

// nullOutFillsNothing refuses expect: on a status query given a NULL
// buffer (null_out: true): nothing is filled, so the comparison could not
// fail.
// queryExArgs checks QueryServiceStatusEx's pointer fields: what
// nullOutFillsNothing checks, and no NULL pcbBytesNeeded with a NULL
// buffer at SC_STATUS_PROCESS_INFO (the call would write the size needed
// through it; backend.SCM declines it).
func queryExArgs(d *decoder, st *Step) bool {
	if !nullOutFillsNothing(d, st) {
		return false
	}
	if st.args.bool("null_needed") && st.args.bool("null_out") && st.args.u32("level") == win32.SC_STATUS_PROCESS_INFO {
		d.errorf(st.args.at("null_needed").node, "%s: null_needed with null_out at level 0: the call writes the size needed through the NULL pointer", st.Kind.Name)
		return false
	}
	return true
}

func nullOutFillsNothing(d *decoder, st *Step) bool {
	if st.args.bool("null_out") && st.expect != nil {
		d.errorf(st.args.at("null_out").node, "%s: expect: compares nothing with null_out: true (no buffer is filled)", st.Kind.Name)
		return false
	}
	return true
}
