package conformance

import (
	"fmt"
	"slices"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The running-service part of the SCM oracle: StartService, the scripted
// programs and their timers, SetServiceStatus, ControlService and the status
// queries.

func (w *World) doStart(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	h := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	// Order (catalog, from Wine and ReactOS): handle, access, disabled,
	// marked for delete, state; then the image.
	switch {
	case !isOpen(h, hService):
		e.assert("scm.start.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !e.checkAccess(h, win32.SERVICE_START, "scm.start.access"):
		want = sim.ERROR_ACCESS_DENIED
	case h.svc.start == win32.SERVICE_DISABLED:
		e.assert("scm.start.disabled")
		want = sim.ERROR_SERVICE_DISABLED
	case h.svc.marked && e.s.set.markedChecks:
		e.assert("scm.start.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case h.svc.st.state != win32.SERVICE_STOPPED:
		e.assert("scm.start.already-running")
		want = sim.ERROR_SERVICE_ALREADY_RUNNING
	case h.svc.prog != nil && h.svc.prog.StartError == uint32(sim.ERROR_SERVICE_REQUEST_TIMEOUT):
		// The process never connects its dispatcher: StartService gives up
		// after the 30 s pipe timeout, during which time runs on.
		e.assert("scm.start.no-dispatcher")
		e.clockUntil(e.k.now+30*time.Second, false, "")
		want = sim.ERROR_SERVICE_REQUEST_TIMEOUT
	case h.svc.prog != nil && h.svc.prog.StartError != 0:
		e.assert("scm.start.image-error")
		want = sim.Errno(h.svc.prog.StartError)
	default:
		s := h.svc
		e.s.runSeq++
		s.run = &oRun{id: e.s.runSeq}
		e.assert("scm.start.start-pending")
		e.setStatus(s, svcStatus{typ: s.typ, state: win32.SERVICE_START_PENDING, waitHint: 2000, pid: true})
		if s.prog != nil && s.prog.StartError == 0 {
			e.assert("scm.start.returns-before-report")
			e.schedule(s, s.prog.StartDelay, win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING, ControlsAccepted: win32.SERVICE_ACCEPT_STOP | win32.SERVICE_ACCEPT_PAUSE_CONTINUE})
		}
	}
	got := w.sc().StartService(a.thread(), w.value(a.H), nil)
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}

// schedule has the service's current run report st after d.
func (e *ksEdit) schedule(s *oSvc, d time.Duration, st win32.SERVICE_STATUS) {
	e.s.timerSeq++
	e.s.timers = append(e.s.timers, &oTimer{at: e.k.now + d, seq: e.s.timerSeq, svc: s, run: s.run, rep: st})
}

func (e *ksEdit) fireTimer(t *oTimer) {
	e.s.timers = slices.DeleteFunc(e.s.timers, func(x *oTimer) bool { return x == t })
	e.k.now = max(e.k.now, t.at)
	if !t.run.dead {
		t.rep.ServiceType = t.svc.typ
		e.applyReport(t.svc, t.run, t.rep)
	}
}

// applyReport is SetServiceStatus from the service: the state must be 1..7
// and the type not a driver's (ERROR_INVALID_DATA); checkpoint and wait
// hint are 0 in STOPPED, RUNNING and PAUSED; STOPPED ends the run (process
// id 0, nothing accepted, the status handle gone). Any valid state may
// follow any other.
func (e *ksEdit) applyReport(s *oSvc, r *oRun, st win32.SERVICE_STATUS) (sim.Errno, []string) {
	var viol []string
	if r.dead {
		e.assert("scm.contract.report-after-stopped")
		viol = []string{"scm.contract.report-after-stopped"}
		if !e.s.set.statusHandleKept {
			// The run's status handle closed with its STOPPED report.
			e.assert("scm.status.invalid-handle")
			return sim.ERROR_INVALID_HANDLE, viol
		}
		// The handle still takes reports; the process is gone, so the
		// process id stays 0 (it is already, since the STOPPED report).
		e.assert("scm.status.report-after-stopped-wine")
	}
	if e.s.set.statusValidated && (st.CurrentState < win32.SERVICE_STOPPED || st.CurrentState > win32.SERVICE_PAUSED || isDriver(st.ServiceType)) {
		e.assert("scm.status.invalid-state")
		return sim.ERROR_INVALID_DATA, viol
	}
	next := svcStatus{typ: s.typ, state: st.CurrentState, accepted: st.ControlsAccepted, exit: st.Win32ExitCode,
		specific: st.ServiceSpecificExitCode, checkpoint: st.CheckPoint, waitHint: st.WaitHint, pid: s.st.pid}
	switch st.CurrentState {
	case win32.SERVICE_STOPPED, win32.SERVICE_RUNNING, win32.SERVICE_PAUSED:
		if e.s.set.finalZeroHints && (next.checkpoint != 0 || next.waitHint != 0) {
			e.assert("scm.status.final-states-zero-hints")
			next.checkpoint, next.waitHint = 0, 0
		}
	}
	if !conventional(s.st.state, next.state) {
		e.assert("scm.status.any-order")
	}
	if st.CurrentState == win32.SERVICE_STOPPED {
		r.dead = true
		next.pid = false
		if e.s.set.stoppedClears {
			next.accepted = 0
		}
		e.s.timers = slices.DeleteFunc(e.s.timers, func(t *oTimer) bool { return t.run == r })
	}
	e.setStatus(s, next)
	return sim.ERROR_SUCCESS, viol
}

// conventional lists the usual transitions of SetServiceStatus's page.
func conventional(from, to uint32) bool {
	switch {
	case from == to, to == win32.SERVICE_STOPPED:
		return true
	case from == win32.SERVICE_START_PENDING:
		return to == win32.SERVICE_RUNNING
	case from == win32.SERVICE_RUNNING:
		return to == win32.SERVICE_STOP_PENDING || to == win32.SERVICE_PAUSE_PENDING
	case from == win32.SERVICE_PAUSE_PENDING:
		return to == win32.SERVICE_PAUSED
	case from == win32.SERVICE_PAUSED:
		return to == win32.SERVICE_CONTINUE_PENDING || to == win32.SERVICE_STOP_PENDING
	case from == win32.SERVICE_CONTINUE_PENDING:
		return to == win32.SERVICE_RUNNING
	case from == win32.SERVICE_STOPPED:
		return to == win32.SERVICE_START_PENDING
	}
	return false
}

// setStatus installs a service's new status. A change of state fires the
// pending requests whose mask names the new state, and may complete a
// deletion.
func (e *ksEdit) setStatus(s *oSvc, next svcStatus) {
	old := s.st.state
	s.st = next
	s.version++
	if old == next.state {
		return
	}
	e.notifyState(s)
	e.maybeRemove(s)
}

// doControl runs ControlService: the call is checked (controlRejected),
// then the service's state decides (controlOnState); lpServiceStatus is
// filled where the rules say so (scm.control.status-filled).
func (w *World) doControl(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	h := e.s.handle(a.H)
	want, rejected := e.controlRejected(a, h)
	filled := false
	if !rejected {
		want, filled = e.controlOnState(a, h)
	}
	var want1 svcStatus
	if filled {
		want1 = h.svc.st
		e.assert("scm.control.status-filled")
	}
	sentinel := win32.SERVICE_STATUS{ServiceType: 0xDEAD, CurrentState: 0xDEAD}
	got1 := sentinel
	got := w.sc().ControlService(a.thread(), w.value(a.H), a.Control, &got1)
	st := w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}, {Key: "control", Value: controlArg(a.Control)}}, want)
	if filled {
		st.Expect = expectArgs(want1, false)
	}
	w.log(st)
	if !w.compareCode(a, got, want) {
		return
	}
	switch {
	case !filled && got1 != sentinel:
		w.fail(a, "lpServiceStatus was written for %s", got)
	case filled:
		w.compareStatus(a, "lpServiceStatus", want1, processOf(got1), h.svc.run, false)
	}
}

// controlRejected states the checks of ControlService before the
// service's state: the handle (scm.control.invalid-handle; before the code
// where the client checks it first, scm.control.invalid-handle-before-code),
// the code (scm.control.invalid-code; before the handle where the profile
// says so, scm.control.code-before-handle), the access
// (scm.control.access), and a STOP with active dependents
// (scm.control.dependents-running).
func (e *ksEdit) controlRejected(a Action, h *scHandle) (sim.Errno, bool) {
	set := e.s.set
	right, valid := controlRight(a.Control)
	switch {
	case set.handleBeforeCode && e.noHandle(a.H):
		// The client rejects a value that is no open handle before the call
		// reaches the server.
		e.assert("scm.control.invalid-handle")
		return sim.ERROR_INVALID_HANDLE, true
	case !valid && set.codeFirst:
		e.assert("scm.control.invalid-code")
		if !isOpen(h, hService) {
			e.assert("scm.control.code-before-handle")
		}
		return sim.ERROR_INVALID_PARAMETER, true
	case !isOpen(h, hService):
		e.assert("scm.control.invalid-handle")
		return sim.ERROR_INVALID_HANDLE, true
	case !valid:
		e.assert("scm.control.invalid-code")
		return sim.ERROR_INVALID_PARAMETER, true
	case !e.checkAccess(h, right, "scm.control.access"):
		return sim.ERROR_ACCESS_DENIED, true
	case set.dependentsChecked && a.Control == win32.SERVICE_CONTROL_STOP && e.activeDependent(h.svc):
		e.assert("scm.control.dependents-running")
		return sim.ERROR_DEPENDENT_SERVICES_RUNNING, true
	}
	return sim.ERROR_SUCCESS, false
}

// controlOnState states what the service's state makes of an accepted
// ControlService call: a stopped service (scm.control.not-active), a stop
// pending (scm.control.stop-pending), a start pending for any control but
// STOP (scm.control.start-pending), a control after a delivered STOP where
// that ends the process (scm.control.second-stop-kills), a control the
// service does not accept (scm.control.not-accepted), no process left
// (scm.status.report-after-stopped-wine); else the control is dispatched.
// It returns the code and whether lpServiceStatus is filled.
func (e *ksEdit) controlOnState(a Action, h *scHandle) (sim.Errno, bool) {
	s := h.svc
	switch {
	case s.st.state == win32.SERVICE_STOPPED:
		e.assert("scm.control.not-active")
		return sim.ERROR_SERVICE_NOT_ACTIVE, true
	case s.st.state == win32.SERVICE_STOP_PENDING:
		e.assert("scm.control.stop-pending")
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case s.st.state == win32.SERVICE_START_PENDING && a.Control != win32.SERVICE_CONTROL_STOP:
		e.assert("scm.control.start-pending")
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case e.s.set.secondStopKills && s.run.stopSent:
		// A control after a delivered STOP terminates the service's process:
		// its script ends, its status stays as last reported.
		s.run.ended = true
		e.s.timers = slices.DeleteFunc(e.s.timers, func(t *oTimer) bool { return t.run == s.run })
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case acceptBit(a.Control) != 0 && s.st.accepted&acceptBit(a.Control) == 0:
		e.assert("scm.control.not-accepted")
		return sim.ERROR_INVALID_SERVICE_CONTROL, e.s.set.fillOnInvalidControl
	case s.run == nil || s.run.dead || s.run.ended:
		// Active by a report made after SERVICE_STOPPED (where the profile
		// takes those): no process is left to run the handler.
		e.assert("scm.status.report-after-stopped-wine")
		if a.Control == win32.SERVICE_CONTROL_STOP && s.run != nil {
			s.run.stopSent = true
		}
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, false
	}
	if acceptBit(a.Control) == 0 {
		e.assert("scm.control.always-accepted")
	}
	if s.st.state == win32.SERVICE_START_PENDING {
		e.assert("scm.control.start-pending")
	}
	if a.Control == win32.SERVICE_CONTROL_STOP {
		s.run.stopSent = true
	}
	e.dispatch(s, a.Control)
	return sim.ERROR_SUCCESS, true
}

func processOf(s win32.SERVICE_STATUS) win32.SERVICE_STATUS_PROCESS {
	return win32.SERVICE_STATUS_PROCESS{ServiceType: s.ServiceType, CurrentState: s.CurrentState, ControlsAccepted: s.ControlsAccepted,
		Win32ExitCode: s.Win32ExitCode, ServiceSpecificExitCode: s.ServiceSpecificExitCode, CheckPoint: s.CheckPoint, WaitHint: s.WaitHint}
}

// activeDependent: a service that names s among its dependencies and is
// not stopped.
func (e *ksEdit) activeDependent(s *oSvc) bool {
	for _, d := range e.s.svcs {
		if d.st.state == win32.SERVICE_STOPPED {
			continue
		}
		for _, n := range d.deps {
			if lower(n) == lower(s.name) {
				return true
			}
		}
	}
	return false
}

// dispatch runs the service's control handler: a well-behaved service (the
// program action) answers STOP, PAUSE and CONTINUE with the pending state
// at once, before ControlService returns, and with the final state after
// its step delay.
func (e *ksEdit) dispatch(s *oSvc, control uint32) {
	e.assert("scm.control.dispatch")
	if s.prog == nil || s.prog.StartError != 0 {
		return
	}
	both := win32.SERVICE_ACCEPT_STOP | win32.SERVICE_ACCEPT_PAUSE_CONTINUE
	var now, later win32.SERVICE_STATUS
	switch control {
	case win32.SERVICE_CONTROL_STOP:
		now = win32.SERVICE_STATUS{CurrentState: win32.SERVICE_STOP_PENDING, WaitHint: 1000, CheckPoint: 1}
		later = win32.SERVICE_STATUS{CurrentState: win32.SERVICE_STOPPED}
	case win32.SERVICE_CONTROL_PAUSE:
		now = win32.SERVICE_STATUS{CurrentState: win32.SERVICE_PAUSE_PENDING, ControlsAccepted: both, WaitHint: 1000, CheckPoint: 1}
		later = win32.SERVICE_STATUS{CurrentState: win32.SERVICE_PAUSED, ControlsAccepted: both}
	case win32.SERVICE_CONTROL_CONTINUE:
		now = win32.SERVICE_STATUS{CurrentState: win32.SERVICE_CONTINUE_PENDING, ControlsAccepted: both, WaitHint: 1000, CheckPoint: 1}
		later = win32.SERVICE_STATUS{CurrentState: win32.SERVICE_RUNNING, ControlsAccepted: both}
	default:
		return
	}
	now.ServiceType = s.typ
	r := s.run
	e.applyReport(s, r, now)
	if !r.dead && !r.ended {
		e.schedule(s, s.prog.StepDelay, later)
	}
}

func (w *World) doQuery(a Action) {
	if cc, ok := a.Args.(crossCheck); ok {
		w.doCrossCheck(a, cc)
		return
	}
	e := editKS(w.states)
	defer w.commitKS(e)
	h := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	// The level is checked first (catalog), then a NULL pcbBytesNeeded
	// (the RPC stub refuses it before the handle is sent), the handle and
	// its access.
	switch {
	case a.Op == OpQueryEx && a.Level != win32.SC_STATUS_PROCESS_INFO:
		e.assert("scm.query.level")
		want = sim.ERROR_INVALID_LEVEL
	case a.Op == OpQueryEx && a.NullNeeded:
		e.assert("scm.query.null-buffer")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(h, hService):
		e.assert("scm.query.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !e.checkAccess(h, win32.SERVICE_QUERY_STATUS, "scm.query.access"):
		want = sim.ERROR_ACCESS_DENIED
	}
	args := []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}
	var got sim.Errno
	var ss win32.SERVICE_STATUS_PROCESS
	if a.Op == OpQueryEx {
		got = w.sc().QueryServiceStatusEx(a.thread(), w.value(a.H), a.Level, &ss, a.NullNeeded)
		args = append(args, scenario.Arg{Key: "level", Value: a.Level})
		if a.NullNeeded {
			args = append(args, scenario.Arg{Key: "null_needed", Value: true})
		}
	} else {
		var s win32.SERVICE_STATUS
		got = w.sc().QueryServiceStatus(a.thread(), w.value(a.H), &s)
		ss = processOf(s)
	}
	st := w.step(a, args, want)
	if want == sim.ERROR_SUCCESS {
		st.Expect = expectArgs(h.svc.st, a.Op == OpQueryEx)
	}
	w.log(st)
	if w.compareCode(a, got, want) && want == sim.ERROR_SUCCESS {
		w.compareStatus(a, "status", h.svc.st, ss, h.svc.run, a.Op == OpQueryEx)
	}
}

// compareStatus compares a status a call returned with the oracle's; with
// withPID, the process id too: zero or not as the oracle says, and the same
// value through every route within one run.
func (w *World) compareStatus(a Action, what string, want svcStatus, got win32.SERVICE_STATUS_PROCESS, r *oRun, withPID bool) {
	if msg := statusDiff(what, want, got, runID(r), withPID, w.same); msg != "" {
		w.fail(a, "%s", msg)
		return
	}
	w.assert(statusRules(want, r, withPID)...)
}

func runID(r *oRun) int {
	if r == nil {
		return 0
	}
	return r.id
}

// statusDiff is compareStatus's comparison: the disagreement, "" for none.
// same keeps the process id each run showed first.
func statusDiff(what string, want svcStatus, got win32.SERVICE_STATUS_PROCESS, run int, withPID bool, same func(key, value string) string) string {
	g := statusOf(got)
	if !withPID {
		g.pid = want.pid
	}
	if g != want {
		return fmt.Sprintf("%s: got %s, want %s", what, g, want)
	}
	if withPID && want.pid && run != 0 {
		pid := fmt.Sprint(got.ProcessId)
		if prev := same(fmt.Sprintf("process id of run %d", run), pid); prev != pid {
			return fmt.Sprintf("%s: process id %d, but the same run showed %s before", what, got.ProcessId, prev)
		}
	}
	return ""
}

// statusRules are the rules that decided the fields of a status compared:
// a service never started since its creation is STOPPED with
// ERROR_SERVICE_NEVER_STARTED (and process id 0); one whose run reported
// STOPPED has process id 0.
func statusRules(want svcStatus, r *oRun, withPID bool) []string {
	switch {
	case r == nil && want.state == win32.SERVICE_STOPPED:
		if want.exit == uint32(sim.ERROR_SERVICE_NEVER_STARTED) {
			return []string{"scm.create.stopped", "scm.create.never-started"}
		}
		return []string{"scm.create.stopped"}
	case r != nil && r.dead && want.state == win32.SERVICE_STOPPED && withPID:
		return []string{"scm.status.stopped-pid-zero"}
	}
	return nil
}

func (w *World) doReport(a Action) []string {
	e := editKS(w.states)
	defer w.commitKS(e)
	s := e.s.svcs[lower(a.Service)]
	if s == nil || s.run == nil {
		w.fail(a, "the oracle knows no run of service %q (the action generator must not produce this)", a.Service)
		return nil
	}
	want, viol := e.applyReport(s, s.run, a.Status)
	got, err := w.b.(backend.ServiceSide).ReportStatus(a.Service, a.Status)
	st := a.Status
	w.log(scenario.ScriptStep{Kind: "report", Want: wantCode(want), Args: []scenario.Arg{
		{Key: "service", Value: a.Service}, {Key: "state", Value: constArg(win32.GroupState, st.CurrentState)},
		{Key: "accepted", Value: constArg(win32.GroupAccept, st.ControlsAccepted)}, {Key: "exit_code", Value: st.Win32ExitCode},
		{Key: "specific_exit_code", Value: st.ServiceSpecificExitCode}, {Key: "checkpoint", Value: st.CheckPoint},
		{Key: "wait_hint", Value: st.WaitHint}, {Key: "type", Value: constArg(win32.GroupServiceType, st.ServiceType)},
	}})
	w.failIf(a, "", err)
	if err == nil {
		w.compareCode(a, got, want)
	}
	return viol
}

func (w *World) doProgram(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	s := e.s.svcs[lower(a.Service)]
	if s == nil {
		w.fail(a, "the oracle knows no service %q (the action generator must not produce this)", a.Service)
		return
	}
	p := a
	s.prog = &p
	var prog win32.Program
	var args []scenario.Arg
	if a.StartError != 0 {
		prog.StartError = sim.Errno(a.StartError)
		args = []scenario.Arg{{Key: "service", Value: a.Service}, {Key: "start_error", Value: scenario.Raw(sim.Errno(a.StartError).Code().Name())}}
	} else {
		prog = win32.TypicalProgram(a.StartDelay, a.StepDelay)
		args = []scenario.Arg{{Key: "service", Value: a.Service}, {Key: "typical", Value: []scenario.Arg{
			{Key: "start_delay", Value: scenario.Raw(a.StartDelay.String())}, {Key: "step_delay", Value: scenario.Raw(a.StepDelay.String())}}}}
	}
	w.log(scenario.ScriptStep{Kind: "program", Args: args})
	w.failIf(a, "", w.b.(backend.ServiceSide).SetProgram(a.Service, prog))
}

// doCrossCheck queries the service of a notification (Expect.Then of the
// wait that delivered it): the status must be the one the notification
// carried, process id included.
func (w *World) doCrossCheck(a Action, cc crossCheck) {
	var ss win32.SERVICE_STATUS_PROCESS
	code := w.sc().QueryServiceStatusEx(a.thread(), w.value(a.H), win32.SC_STATUS_PROCESS_INFO, &ss, false)
	w.log(scenario.ScriptStep{Kind: string(OpQueryEx), Args: []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}},
		Thread: threadMod(a.thread()), Expect: expectArgs(cc.ss, true), Note: "the status the notification of buffer " + cc.buf + " carried"})
	switch {
	case code != sim.ERROR_SUCCESS:
		w.fail(a, "cross-check QueryServiceStatusEx(%s): got %s", a.H, code)
	case statusDiff("", cc.ss, ss, cc.run, true, w.same) != "":
		w.fail(a, "the notification of buffer %s carried %s, but QueryServiceStatusEx says %s", cc.buf, cc.ss, statusOf(ss))
	default:
		w.assert("scm.notify.status-snapshot")
	}
}

// noHandle: ref is no open handle of any family.
func (e *ksEdit) noHandle(ref string) bool {
	closed, known := e.closed(ref)
	return !known || closed
}
