package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The SCM's oracle as a pure step (see pureFamily): scmStep says from the
// oracle state and an action alone what the SCM returns, which rules
// decide it, what the state becomes, and what the call's outputs must
// hold; scmCall makes the call and scmScript writes it as a scenario step.
// A call may run the clock (StartService waiting for a dispatcher) and
// read other families' handles, so the step is a stepAll.

// scmStep is the SCM's oracle.
func scmStep(s oracleState, a Action) (oracleState, Expect) {
	args := argsOf[scmArgs](a)
	e := editKS(s)
	var x Expect
	switch a.Op {
	case OpOpenSCM:
		x = e.openSCM(a)
	case OpCreate:
		x = e.createService(a)
	case OpOpen:
		x = e.openService(a)
	case OpCloseService:
		x = Expect{OneOf: codes(e.closeService(a))}
	case OpDelete:
		x = Expect{OneOf: codes(e.deleteService(a))}
	case OpStart:
		x = Expect{OneOf: codes(e.startService(a))}
	case OpControl:
		x = e.controlService(a)
	case OpQuery, OpQueryEx:
		if cc, ok := a.Args.(crossCheck); ok {
			return s, cc.expect()
		}
		x = e.queryStatus(a)
	case OpNotify:
		want, viol := e.notifyChange(a)
		x = Expect{OneOf: codes(want), Violations: viol}
	case OpReport:
		sv := e.s.svcs[lower(args.service)]
		if sv == nil || sv.run == nil {
			// The action generator must not produce this.
			return s, Expect{}
		}
		want, viol := e.applyReport(sv, sv.run, args.status)
		x = Expect{OneOf: codes(want), Violations: viol}
	case OpProgram:
		sv := e.s.svcs[lower(args.service)]
		if sv == nil {
			return s, Expect{}
		}
		p := args
		sv.prog = &p
		x = Expect{OneOf: codes(sim.ERROR_SUCCESS)}
	default:
		return s, Expect{}
	}
	x.Rules = append(e.rules, x.Rules...)
	return e.done(), x
}

func (e *ksEdit) openSCM(a Action) Expect {
	args := argsOf[scmArgs](a)
	want := sim.ERROR_SUCCESS
	switch {
	case e.s.set.remoteUnavailable && args.machine != nil && *args.machine != "" && *args.machine != ".":
		e.assert("scm.openscm.remote-machine")
		want = sim.RPC_S_SERVER_UNAVAILABLE
	case args.database != nil && e.sameDatabase(*args.database, win32.SERVICES_FAILED_DATABASE):
		e.assert("scm.openscm.database-failed")
		want = sim.ERROR_DATABASE_DOES_NOT_EXIST
	case args.database != nil && !e.sameDatabase(*args.database, win32.SERVICES_ACTIVE_DATABASE):
		e.assert("scm.openscm.database-unknown")
		if e.s.set.databaseCaseExact && (strings.EqualFold(*args.database, win32.SERVICES_ACTIVE_DATABASE) || strings.EqualFold(*args.database, win32.SERVICES_FAILED_DATABASE)) {
			e.assert("scm.openscm.database-case-wine")
		}
		want = sim.ERROR_INVALID_NAME
	case args.access == 0:
		e.assert("scm.openscm.access-zero")
	}
	if want != sim.ERROR_SUCCESS {
		return Expect{OneOf: codes(want)}
	}
	e.s.bind(a.As, &scHandle{kind: hSCM, access: grantSCM(args.access), generic: args.access&generic != 0, viaGeneric: viaGeneric(grantSCM, args.access)})
	return Expect{OneOf: codes(want), Out: outNamed}
}

// createParams are the CreateService action's display name and error
// control as the call passes them.
func createParams(a Action) (display string, errCtl win32.ServiceErrorControl) {
	args := argsOf[scmArgs](a)
	if args.name != nil {
		display = *args.name
	}
	if args.display != nil && *args.display != "" {
		display = *args.display
	}
	errCtl = win32.SERVICE_ERROR_NORMAL
	if args.errorControl != nil {
		errCtl = *args.errorControl
	}
	return display, errCtl
}

func (e *ksEdit) createService(a Action) Expect {
	args := argsOf[scmArgs](a)
	display, errCtl := createParams(a)
	want := e.predictCreate(a, e.s.handle(a.H), display, errCtl)
	if want != sim.ERROR_SUCCESS {
		return Expect{OneOf: codes(want)}
	}
	s := &oSvc{name: *args.name, display: display, named: args.display != nil && *args.display != "", typ: args.serviceType, start: args.startType, deps: slices.Clone(args.deps),
		st: svcStatus{typ: args.serviceType, state: win32.SERVICE_STOPPED, exit: uint32(sim.ERROR_SERVICE_NEVER_STARTED)}}
	e.s.svcs[lower(s.name)] = s
	s.open++
	e.s.bind(a.As, &scHandle{kind: hService, svc: s, access: grantService(args.access), generic: args.access&generic != 0, viaGeneric: viaGeneric(grantService, args.access)})
	if grantService(args.access)&win32.DELETE == 0 {
		e.assert("scm.create.access-irrelevant")
	}
	e.publish(nameEvent{win32.SERVICE_NOTIFY_CREATED, "/" + s.name})
	return Expect{OneOf: codes(want), Out: outNamed}
}

func (e *ksEdit) openService(a Action) Expect {
	args := argsOf[scmArgs](a)
	m := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case !isOpen(m, hSCM) && e.s.set.nullArgsFirst && a.H != RefNULL && args.name == nil:
		e.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		e.assert("scm.open.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case args.name == nil:
		e.assert("scm.open.null-name")
		want = sim.ERROR_INVALID_ADDRESS
	case e.s.set.openNameValidated && !validName(*args.name):
		e.assert("scm.open.invalid-name-wine")
		want = sim.ERROR_INVALID_NAME
	case e.s.svcs[lower(*args.name)] == nil:
		e.assert("scm.open.unknown")
		want = sim.ERROR_SERVICE_DOES_NOT_EXIST
	}
	if want != sim.ERROR_SUCCESS {
		return Expect{OneOf: codes(want)}
	}
	// A service marked for delete opens on every profile (service.c:424),
	// and the new handle keeps the record.
	s := e.s.svcs[lower(*args.name)]
	if s.marked {
		e.assert("scm.open.marked-for-delete")
	}
	s.open++
	e.s.bind(a.As, &scHandle{kind: hService, svc: s, access: grantService(args.access), generic: args.access&generic != 0, viaGeneric: viaGeneric(grantService, args.access)})
	return Expect{OneOf: codes(want), Out: outNamed}
}

func (e *ksEdit) closeService(a Action) sim.Errno {
	h := e.s.handle(a.H)
	switch {
	case isOpen(h, hService):
		h.closed = true
		e.cancel(h)
		h.svc.open--
		e.maybeRemove(h.svc)
	case isOpen(h, hSCM):
		h.closed = true
		e.cancel(h)
		if len(e.s.open(hService)) > 0 {
			e.assert("scm.close.scm-keeps-services")
		}
	default:
		e.assert("scm.close.invalid-handle")
		if closed, _ := e.closed(a.H); closed {
			e.assert("kernel.handle.stale")
		}
		return sim.ERROR_INVALID_HANDLE
	}
	return sim.ERROR_SUCCESS
}

func (e *ksEdit) deleteService(a Action) sim.Errno {
	h := e.s.handle(a.H)
	switch {
	case !isOpen(h, hService):
		e.assert("scm.delete.invalid-handle")
		return sim.ERROR_INVALID_HANDLE
	case !e.checkAccess(h, win32.DELETE, "scm.delete.access"):
		return sim.ERROR_ACCESS_DENIED
	case h.svc.marked:
		e.assert("scm.delete.twice")
		return sim.ERROR_SERVICE_MARKED_FOR_DELETE
	}
	h.svc.marked = true
	if h.svc.st.state != win32.SERVICE_STOPPED {
		e.assert("scm.delete.waits-for-stop")
	}
	e.notifyMarked(h.svc)
	return sim.ERROR_SUCCESS
}

// startService states StartService, in the order of the catalog (from
// Wine and ReactOS): handle, access, disabled, marked for delete, state;
// then the image.
func (e *ksEdit) startService(a Action) sim.Errno {
	h := e.s.handle(a.H)
	switch {
	case !isOpen(h, hService):
		e.assert("scm.start.invalid-handle")
		return sim.ERROR_INVALID_HANDLE
	case !e.checkAccess(h, win32.SERVICE_START, "scm.start.access"):
		return sim.ERROR_ACCESS_DENIED
	case h.svc.start == win32.SERVICE_DISABLED:
		e.assert("scm.start.disabled")
		return sim.ERROR_SERVICE_DISABLED
	case h.svc.marked && e.s.set.markedChecks:
		e.assert("scm.start.marked-for-delete")
		return sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case h.svc.st.state != win32.SERVICE_STOPPED:
		e.assert("scm.start.already-running")
		return sim.ERROR_SERVICE_ALREADY_RUNNING
	case h.svc.prog != nil && h.svc.prog.startError == uint32(sim.ERROR_SERVICE_REQUEST_TIMEOUT):
		// The process never connects its dispatcher: StartService gives up
		// after the 30 s pipe timeout, during which time runs on.
		e.assert("scm.start.no-dispatcher")
		e.clockUntil(e.k.now+30*time.Second, false, "")
		return sim.ERROR_SERVICE_REQUEST_TIMEOUT
	case h.svc.prog != nil && h.svc.prog.startError != 0:
		e.assert("scm.start.image-error")
		return sim.Errno(h.svc.prog.startError)
	}
	s := h.svc
	e.s.runSeq++
	s.run = &oRun{id: e.s.runSeq}
	e.assert("scm.start.start-pending")
	e.setStatus(s, svcStatus{typ: s.typ, state: win32.SERVICE_START_PENDING, waitHint: 2000, pid: true})
	if s.prog != nil && s.prog.startError == 0 {
		e.assert("scm.start.returns-before-report")
		e.schedule(s, s.prog.startDelay, win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING, ControlsAccepted: win32.SERVICE_ACCEPT_STOP | win32.SERVICE_ACCEPT_PAUSE_CONTINUE})
	}
	return sim.ERROR_SUCCESS
}

// controlSentinel is what scmCall puts in ControlService's
// lpServiceStatus, to see whether the call wrote it.
var controlSentinel = win32.SERVICE_STATUS{ServiceType: 0xDEAD, CurrentState: 0xDEAD}

// controlService states ControlService: the call is checked
// (controlRejected), then the service's state decides (controlOnState);
// lpServiceStatus is filled where the rules say so
// (scm.control.status-filled), and left alone otherwise.
func (e *ksEdit) controlService(a Action) Expect {
	h := e.s.handle(a.H)
	want, rejected := e.controlRejected(a, h)
	filled := false
	if !rejected {
		want, filled = e.controlOnState(a, h)
	}
	x := Expect{OneOf: codes(want)}
	if !filled {
		x.Check = func(out map[string]any, _ func(key, value string) string) string {
			if out["status"] != controlSentinel {
				return fmt.Sprintf("lpServiceStatus was written for %s", want)
			}
			return ""
		}
		return x
	}
	e.assert("scm.control.status-filled")
	ss, run := h.svc.st, runID(h.svc.run)
	x.Checks = expectArgs(ss, false)
	x.Rules = statusRules(ss, h.svc.run, false)
	x.Check = func(out map[string]any, same func(key, value string) string) string {
		return statusDiff("lpServiceStatus", ss, processOf(out["status"].(win32.SERVICE_STATUS)), run, false, same)
	}
	return x
}

// queryStatus states QueryServiceStatus and QueryServiceStatusEx. The
// level is checked first (catalog), then a NULL pcbBytesNeeded (the RPC
// stub refuses it before the handle is sent), the handle and its access.
func (e *ksEdit) queryStatus(a Action) Expect {
	args := argsOf[scmArgs](a)
	h := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case a.Op == OpQueryEx && args.level != win32.SC_STATUS_PROCESS_INFO:
		e.assert("scm.query.level")
		want = sim.ERROR_INVALID_LEVEL
	case a.Op == OpQueryEx && args.nullNeeded:
		e.assert("scm.query.null-buffer")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(h, hService):
		e.assert("scm.query.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !e.checkAccess(h, win32.SERVICE_QUERY_STATUS, "scm.query.access"):
		want = sim.ERROR_ACCESS_DENIED
	}
	x := Expect{OneOf: codes(want)}
	if want != sim.ERROR_SUCCESS {
		return x
	}
	ss, run, withPID := h.svc.st, runID(h.svc.run), a.Op == OpQueryEx
	x.Checks = expectArgs(ss, withPID)
	x.Rules = statusRules(ss, h.svc.run, withPID)
	x.Check = func(out map[string]any, same func(key, value string) string) string {
		return statusDiff("status", ss, out["status"].(win32.SERVICE_STATUS_PROCESS), run, withPID, same)
	}
	return x
}

// expect is the cross-check query's: the status the notification carried,
// process id included.
func (cc crossCheck) expect() Expect {
	return Expect{OneOf: codes(sim.ERROR_SUCCESS), Rules: []string{"scm.notify.status-snapshot"},
		Check: func(out map[string]any, same func(key, value string) string) string {
			got := out["status"].(win32.SERVICE_STATUS_PROCESS)
			if statusDiff("", cc.ss, got, cc.run, true, same) != "" {
				return fmt.Sprintf("the notification of buffer %s carried %s, but QueryServiceStatusEx says %s", cc.buf, cc.ss, statusOf(got))
			}
			return ""
		}}
}

// notifyChange states NotifyServiceStatusChange. The oracle's order of
// checks (where undocumented): handle, access, the mask against the handle
// kind, the buffer, the service's state.
func (e *ksEdit) notifyChange(a Action) (sim.Errno, []string) {
	args := argsOf[scmArgs](a)
	if args.buffer != "" {
		e.s.named = true
	}
	h := e.s.handle(a.H)
	switch {
	case !isOpen(h, hService) && !isOpen(h, hSCM):
		e.assert("scm.notify.invalid-handle")
		if closed, _ := e.closed(a.H); closed {
			e.assert("kernel.handle.stale")
		}
		return sim.ERROR_INVALID_HANDLE, nil
	case h.kind == hService:
		return e.notifyOnService(a, h)
	}
	return e.notifyOnSCM(a, h)
}

// scmCall makes an SCM action's call on the backend. A call that returns a
// handle binds it when it succeeds; the status a call fills is reported
// under "status" (Expect.Check compares it).
func scmCall(b backend.Kernel, a Action, vars handleVars) (sim.Code, error) {
	args := argsOf[scmArgs](a)
	api, ok := b.(backend.SCM)
	if !ok {
		return sim.Code{}, fmt.Errorf("the backend does not implement the SCM family")
	}
	th := a.thread()
	var v sim.Handle
	var got sim.Errno
	switch a.Op {
	case OpOpenSCM:
		v, got = api.OpenSCManager(th, args.machine, args.database, args.access)
	case OpCreate:
		_, errCtl := createParams(a)
		v, got = api.CreateService(th, vars.value(a.H), win32.CreateServiceParams{
			Name: args.name, DisplayName: args.display, DesiredAccess: args.access, ServiceType: args.serviceType, StartType: args.startType,
			ErrorControl: errCtl, BinaryPath: args.binary, Dependencies: args.deps,
		})
	case OpOpen:
		v, got = api.OpenService(th, vars.value(a.H), args.name, args.access)
	case OpCloseService:
		return api.CloseServiceHandle(th, vars.value(a.H)).Code(), nil
	case OpDelete:
		return api.DeleteService(th, vars.value(a.H)).Code(), nil
	case OpStart:
		return api.StartService(th, vars.value(a.H), nil).Code(), nil
	case OpNotify:
		return api.NotifyServiceStatusChange(th, vars.value(a.H), args.mask, notifyBuffer(a, vars)).Code(), nil
	default:
		return scmStatusCall(b, api, a, vars)
	}
	if got == sim.ERROR_SUCCESS {
		vars.bindValue(a.As, v)
	}
	return got.Code(), nil
}

// scmStatusCall makes the calls that report a status, and the service's
// own.
func scmStatusCall(b backend.Kernel, api backend.SCM, a Action, vars handleVars) (sim.Code, error) {
	args := argsOf[scmArgs](a)
	th := a.thread()
	switch a.Op {
	case OpControl:
		got1 := controlSentinel
		got := api.ControlService(th, vars.value(a.H), args.control, &got1)
		vars.report("status", got1)
		return got.Code(), nil
	case OpQueryEx:
		var ss win32.SERVICE_STATUS_PROCESS
		level, nullNeeded := args.level, args.nullNeeded
		if _, ok := a.Args.(crossCheck); ok {
			level, nullNeeded = win32.SC_STATUS_PROCESS_INFO, false
		}
		got := api.QueryServiceStatusEx(th, vars.value(a.H), level, &ss, nullNeeded)
		vars.report("status", ss)
		return got.Code(), nil
	case OpQuery:
		var s win32.SERVICE_STATUS
		got := api.QueryServiceStatus(th, vars.value(a.H), &s)
		vars.report("status", processOf(s))
		return got.Code(), nil
	case OpReport:
		got, err := b.(backend.ServiceSide).ReportStatus(args.service, args.status)
		return got.Code(), err
	case OpProgram:
		var prog win32.Program
		if args.startError != 0 {
			prog.StartError = sim.Errno(args.startError)
		} else {
			prog = win32.TypicalProgram(args.startDelay, args.stepDelay)
		}
		return sim.ERROR_SUCCESS.Code(), b.(backend.ServiceSide).SetProgram(args.service, prog)
	}
	return sim.Code{}, fmt.Errorf("unknown SCM action %s", a.Op)
}

// scmScript writes an SCM action as its scenario step; the driver adds the
// thread, the want, the variable of a handle the call returns and the
// status the step expects.
func scmScript(a Action) scenario.ScriptStep {
	args := argsOf[scmArgs](a)
	st := scenario.ScriptStep{Kind: string(a.Op)}
	svc := []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}
	switch a.Op {
	case OpOpenSCM:
		st.Args = []scenario.Arg{{Key: "machine", Value: strArg(args.machine)}, {Key: "database", Value: strArg(args.database)}, {Key: "access", Value: constArg(win32.GroupSCMAccess, args.access)}}
	case OpCreate:
		_, errCtl := createParams(a)
		st.Args = createArgs(a, errCtl)
	case OpOpen:
		st.Args = []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(args.name)}, {Key: "access", Value: constArg(win32.GroupSvcAccess, args.access)}}
	case OpCloseService:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	case OpDelete, OpStart, OpQuery:
		st.Args = svc
	case OpControl:
		st.Args = append(svc, scenario.Arg{Key: "control", Value: controlArg(args.control)})
	case OpQueryEx:
		st.Args = svc
		if cc, ok := a.Args.(crossCheck); ok {
			st.Expect = expectArgs(cc.ss, true)
			st.Note = "the status the notification of buffer " + cc.buf + " carried"
			break
		}
		st.Args = append(st.Args, scenario.Arg{Key: "level", Value: args.level})
		if args.nullNeeded {
			st.Args = append(st.Args, scenario.Arg{Key: "null_needed", Value: true})
		}
	case OpNotify:
		var bufArg any = scenario.Raw(args.buffer)
		if args.buffer == "" {
			bufArg = nil
		}
		st.Args = []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}, {Key: "mask", Value: constArg(win32.GroupNotifyMask, args.mask)},
			{Key: "buffer", Value: bufArg}, {Key: "version", Value: args.version}}
	case OpReport:
		s := args.status
		st.Args = []scenario.Arg{
			{Key: "service", Value: args.service}, {Key: "state", Value: constArg(win32.GroupState, s.CurrentState)},
			{Key: "accepted", Value: constArg(win32.GroupAccept, s.ControlsAccepted)}, {Key: "exit_code", Value: s.Win32ExitCode},
			{Key: "specific_exit_code", Value: s.ServiceSpecificExitCode}, {Key: "checkpoint", Value: s.CheckPoint},
			{Key: "wait_hint", Value: s.WaitHint}, {Key: "type", Value: constArg(win32.GroupServiceType, s.ServiceType)},
		}
	case OpProgram:
		if args.startError != 0 {
			st.Args = []scenario.Arg{{Key: "service", Value: args.service}, {Key: "start_error", Value: scenario.Raw(sim.Errno(args.startError).Code().Name())}}
		} else {
			st.Args = []scenario.Arg{{Key: "service", Value: args.service}, {Key: "typical", Value: []scenario.Arg{
				{Key: "start_delay", Value: scenario.Raw(args.startDelay.String())}, {Key: "step_delay", Value: scenario.Raw(args.stepDelay.String())}}}}
		}
	}
	return st
}
