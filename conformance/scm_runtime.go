package conformance

import (
	"fmt"
	"slices"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The running-service part of the SCM oracle: StartService, the scripted
// programs and their timers, SetServiceStatus, ControlService and the status
// queries.

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
func conventional(from, to win32.ServiceState) bool {
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

// controlRejected states the checks of ControlService before the
// service's state: the handle (scm.control.invalid-handle; before the code
// where the client checks it first, scm.control.invalid-handle-before-code),
// the code (scm.control.invalid-code; before the handle where the profile
// says so, scm.control.code-before-handle), the access
// (scm.control.access), and a STOP with active dependents
// (scm.control.dependents-running).
func (e *ksEdit) controlRejected(a Action, h *scHandle) (sim.Errno, bool) {
	args := argsOf[scmArgs](a)
	set := e.s.set
	right, valid := controlRight(args.control)
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
	case set.dependentsChecked && args.control == win32.SERVICE_CONTROL_STOP && e.activeDependent(h.svc):
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
	args := argsOf[scmArgs](a)
	s := h.svc
	switch {
	case s.st.state == win32.SERVICE_STOPPED:
		e.assert("scm.control.not-active")
		return sim.ERROR_SERVICE_NOT_ACTIVE, true
	case s.st.state == win32.SERVICE_STOP_PENDING:
		e.assert("scm.control.stop-pending")
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case s.st.state == win32.SERVICE_START_PENDING && args.control != win32.SERVICE_CONTROL_STOP:
		e.assert("scm.control.start-pending")
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case e.s.set.secondStopKills && s.run.stopSent:
		// A control after a delivered STOP terminates the service's process:
		// its script ends, its status stays as last reported.
		s.run.ended = true
		e.s.timers = slices.DeleteFunc(e.s.timers, func(t *oTimer) bool { return t.run == s.run })
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case acceptBit(args.control) != 0 && s.st.accepted&acceptBit(args.control) == 0:
		e.assert("scm.control.not-accepted")
		return sim.ERROR_INVALID_SERVICE_CONTROL, e.s.set.fillOnInvalidControl
	case s.run == nil || s.run.dead || s.run.ended:
		// Active by a report made after SERVICE_STOPPED (where the profile
		// takes those): no process is left to run the handler.
		e.assert("scm.status.report-after-stopped-wine")
		if args.control == win32.SERVICE_CONTROL_STOP && s.run != nil {
			s.run.stopSent = true
		}
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, false
	}
	if acceptBit(args.control) == 0 {
		e.assert("scm.control.always-accepted")
	}
	if s.st.state == win32.SERVICE_START_PENDING {
		e.assert("scm.control.start-pending")
	}
	if args.control == win32.SERVICE_CONTROL_STOP {
		s.run.stopSent = true
	}
	e.dispatch(s, args.control)
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
func (e *ksEdit) dispatch(s *oSvc, control win32.ServiceControl) {
	e.assert("scm.control.dispatch")
	if s.prog == nil || s.prog.startError != 0 {
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
		e.schedule(s, s.prog.stepDelay, later)
	}
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

// noHandle: ref is no open handle of any family.
func (e *ksEdit) noHandle(ref string) bool {
	closed, known := e.closed(ref)
	return !known || closed
}
