package scm

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// Runtime describes the process of a started service, for callers that act
// as the service's own code.
type Runtime struct {
	// Process is the service's process.
	Process *sim.Process
	// ServiceMain is the thread running ServiceMain. Its CallerContext has
	// ServiceStarting set until the service first reports SERVICE_RUNNING.
	ServiceMain *sim.Thread
	// Dispatcher is the thread that runs the control handler.
	Dispatcher *sim.Thread
	// StatusHandle is the SERVICE_STATUS_HANDLE of this run, valid in
	// Process until the service reports SERVICE_STOPPED.
	StatusHandle win32.SERVICE_STATUS_HANDLE
}

// Runtime returns the process of the named service's current or last run;
// ok is false if the service does not exist or never started.
func (mg *Manager) Runtime(name string) (rt Runtime, ok bool) {
	kernel.Lock(mg.m)
	defer kernel.Unlock(mg.m)
	svc := mg.services[key(name)]
	if svc == nil || svc.run == nil {
		return Runtime{}, false
	}
	r := svc.run
	return Runtime{Process: r.proc, ServiceMain: r.main, Dispatcher: r.dispatcher, StatusHandle: r.status}, true
}

// SetProgram gives a service a scripted behavior, used from its next start
// on. It fails if the service does not exist.
func (mg *Manager) SetProgram(name string, p win32.Program) error {
	kernel.Lock(mg.m)
	defer kernel.Unlock(mg.m)
	svc := mg.services[key(name)]
	if svc == nil {
		return fmt.Errorf("no service named %q", name)
	}
	svc.program = p
	return nil
}

// SetServiceStatus is the service side's status report, made by a thread of
// the service's process through its SERVICE_STATUS_HANDLE. It validates the
// state (1..7, else ERROR_INVALID_DATA), forces checkpoint and wait hint to 0
// for SERVICE_STOPPED, SERVICE_RUNNING and SERVICE_PAUSED, and notifies
// registrations whose mask names the new state. No transition order is
// enforced: any valid state may follow any other.
func (mg *Manager) SetServiceStatus(t *sim.Thread, h win32.SERVICE_STATUS_HANDLE, status *win32.SERVICE_STATUS) sim.Errno {
	kernel.Enter(mg.m, t)
	defer kernel.Unlock(mg.m)
	var st win32.SERVICE_STATUS
	if status != nil {
		st = *status
	}
	return mg.setServiceStatus(t, h, st)
}

func (mg *Manager) setServiceStatus(t *sim.Thread, h win32.SERVICE_STATUS_HANDLE, st win32.SERVICE_STATUS) sim.Errno {
	call := func() string {
		return fmt.Sprintf("SetServiceStatus(%s, %s)", h, fmtConst(win32.GroupState, st.CurrentState))
	}
	sh, _, hs := sim.Resolve[*statusHandle](kernel.Handles(t), h)
	if hs != sim.HandleValid {
		return mg.ret(t, call, sim.ERROR_INVALID_HANDLE)
	}
	if sh.dead {
		// A service reports nothing after SERVICE_STOPPED.
		violation := sim.FaultBroken("scm.contract.report-after-stopped", true, false)
		if violation {
			kernel.Violate(mg.m, t, RuleReportAfterStopped, "SetServiceStatus(%s) after the service reported SERVICE_STOPPED", sh.svc.name)
		}
		kept := mg.setting(&settingStatusHandleKept)
		kept = sim.FaultBroken("scm.status.report-after-stopped-wine", kept, false)
		if !kept {
			return mg.ret(t, call, sim.FaultBroken("scm.status.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_INVALID_DATA))
		}
		// Wine 8.0 still takes the report; the process is gone, so the
		// process id stays 0.
	}
	// The state is one of SERVICE_STOPPED..SERVICE_PAUSED, for a service
	// that is not a driver, where the profile checks it.
	invalid := (st.CurrentState < win32.SERVICE_STOPPED || st.CurrentState > win32.SERVICE_PAUSED || st.ServiceType&serviceDriverTypes != 0) && mg.setting(&settingStatusValidated)
	invalid = sim.FaultBroken("scm.status.invalid-state", invalid, false)
	if invalid {
		return mg.ret(t, call, sim.ERROR_INVALID_DATA)
	}
	svc := sh.svc
	// A service may report any state after any other.
	outOfOrder := sim.FaultBroken("scm.status.any-order", false, st.CurrentState == win32.SERVICE_PAUSED && svc.status.CurrentState != win32.SERVICE_PAUSE_PENDING)
	if outOfOrder {
		return mg.ret(t, call, sim.ERROR_INVALID_DATA)
	}
	switch st.CurrentState {
	case win32.SERVICE_STOPPED, win32.SERVICE_RUNNING, win32.SERVICE_PAUSED:
		zeroHints := mg.setting(&settingFinalStatesZeroHints)
		zeroHints = sim.FaultBroken("scm.status.final-states-zero-hints", zeroHints, false)
		if zeroHints {
			st.CheckPoint, st.WaitHint = 0, 0
		}
	}
	mg.ret(t, call, sim.ERROR_SUCCESS)
	next := win32.SERVICE_STATUS_PROCESS{
		ServiceType:             svc.status.ServiceType,
		CurrentState:            st.CurrentState,
		ControlsAccepted:        st.ControlsAccepted,
		Win32ExitCode:           st.Win32ExitCode,
		ServiceSpecificExitCode: st.ServiceSpecificExitCode,
		CheckPoint:              st.CheckPoint,
		WaitHint:                st.WaitHint,
		ProcessId:               svc.status.ProcessId,
	}
	if st.CurrentState == win32.SERVICE_RUNNING {
		kernel.Context(sh.run.main).ServiceStarting = false
	}
	if st.CurrentState == win32.SERVICE_STOPPED {
		sh.dead = true
		next.ProcessId = sim.FaultBroken("scm.status.stopped-pid-zero", 0, next.ProcessId)
		if mg.setting(&settingStoppedClearsAccepted) {
			next.ControlsAccepted = 0
		}
		mg.endRun(svc)
	}
	mg.setStatus(t, svc, next)
	return sim.ERROR_SUCCESS
}

// endRun cancels what is left of the run's script.
func (mg *Manager) endRun(svc *service) {
	r := svc.run
	if r == nil {
		return
	}
	for _, tm := range r.timers {
		kernel.StopTimer(mg.m, tm)
	}
	kernel.Context(r.main).ServiceStarting = false
	r.ended = true
}

// setStatus installs a new status, traces the transition, fires the
// notifications of a state change, and removes a stopped service that is
// marked for delete and has no handle left.
func (mg *Manager) setStatus(t *sim.Thread, svc *service, next win32.SERVICE_STATUS_PROCESS) {
	old := svc.status.CurrentState
	svc.status = next
	if old == next.CurrentState {
		return
	}
	if mg.m.Tracing() {
		kernel.Tracef(mg.m, t, sim.EvTransition, "%s %s -> %s", svc.name, fmtConst(win32.GroupState, old), fmtConst(win32.GroupState, next.CurrentState))
	}
	mg.notifyState(svc)
	mg.maybeRemove(svc)
}
