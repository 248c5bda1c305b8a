package conformance

import (
	"fmt"
	"slices"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The SCM's state diagrams: a service's states under the client's calls
// and the service's own reports, and the lifecycle of one
// NotifyServiceStatusChange registration.

func scmDiagrams() []diagram { return []diagram{serviceDiagram(), deleteDiagram(), notifyDiagram()} }

// diagramService is the service the SCM's diagrams create.
const diagramService = "alpha"

// diagramProgram is the service program of the service diagrams: its
// control handler answers STOP, PAUSE and CONTINUE with the pending state
// at once, as the documentation asks of a handler, and leaves the final
// state to the service's own report (a move of the diagram). Without
// OnStart, the service stays START_PENDING until it reports.
func diagramProgram() win32.Program {
	return win32.Program{OnControl: map[win32.ServiceControl][]win32.Report{
		win32.SERVICE_CONTROL_STOP:     {{State: win32.SERVICE_STOP_PENDING, CheckPoint: 1, WaitHint: 1000}},
		win32.SERVICE_CONTROL_PAUSE:    {{State: win32.SERVICE_PAUSE_PENDING, Accept: accept, CheckPoint: 1, WaitHint: 1000}},
		win32.SERVICE_CONTROL_CONTINUE: {{State: win32.SERVICE_CONTINUE_PENDING, Accept: accept, CheckPoint: 1, WaitHint: 1000}},
	}}
}

// serviceView is the service diagrams' abstract state: the service's
// current state (0 once it is gone), whether it is marked for delete, and
// whether the client closed its handle.
type serviceView struct {
	state          win32.ServiceState
	marked, closed bool
}

func (v serviceView) String() string {
	if v.state == 0 {
		return "deleted"
	}
	s := v.state.String()
	if v.marked {
		s += ", marked for delete"
	}
	if v.closed {
		s += ", handle closed"
	}
	return s
}

// completes says in which states the service makes a report: the pending
// states the report completes.
func completes(states ...win32.ServiceState) func(serviceView) bool {
	return func(v serviceView) bool { return slices.Contains(states, v.state) }
}

// clientOpen says the client still holds its handle to the service.
func clientOpen(v serviceView) bool { return v.state != 0 && !v.closed }

// The service diagrams' moves.
func controlMove(c win32.ServiceControl) diagramMove[serviceView] {
	return diagramMove[serviceView]{label: "ControlService(" + c.String() + ")", action: control("svc", c), when: clientOpen}
}
func reportMove(state win32.ServiceState, accepted win32.ServiceAccept, from ...win32.ServiceState) diagramMove[serviceView] {
	return diagramMove[serviceView]{label: "SetServiceStatus(" + state.String() + ")", action: report(diagramService, state, accepted), when: completes(from...)}
}

var startMove = diagramMove[serviceView]{label: "StartService", action: start("svc"), when: clientOpen}

// serviceSetup opens the SCM, creates the service with every right and
// gives it diagramProgram.
func serviceSetup() ([]Action, func(b backend.Kernel) error) {
	return []Action{openSCM("scm", mgrAll), create("svc", "scm", diagramService, all)}, func(b backend.Kernel) error {
		side, ok := b.(backend.ServiceSide)
		if !ok {
			return fmt.Errorf("giving the service a program: %w", backend.ErrUnsupported)
		}
		return side.SetProgram(diagramService, diagramProgram())
	}
}

func serviceDiagram() diagram {
	setup, prepare := serviceSetup()
	return &stateDiagram[serviceView]{
		name: "scm-service", title: "service states",
		about: "A service created with every right, under the client's StartService and ControlService (STOP, PAUSE, CONTINUE) " +
			"and the service's own SetServiceStatus reports: its control handler answers each control with the pending state at once, " +
			"and the service then reports the state that completes it. The state is the service's dwCurrentState, as QueryServiceStatusEx reads it.",
		setup: setup, prepare: prepare,
		moves: []diagramMove[serviceView]{
			startMove,
			controlMove(win32.SERVICE_CONTROL_STOP), controlMove(win32.SERVICE_CONTROL_PAUSE), controlMove(win32.SERVICE_CONTROL_CONTINUE),
			reportMove(win32.SERVICE_RUNNING, accept, win32.SERVICE_START_PENDING, win32.SERVICE_CONTINUE_PENDING),
			reportMove(win32.SERVICE_PAUSED, accept, win32.SERVICE_PAUSE_PENDING),
			reportMove(win32.SERVICE_STOPPED, 0, win32.SERVICE_STOP_PENDING),
		},
		observe: observeService,
		label:   serviceView.String,
		final:   func(v serviceView) bool { return v.state == 0 },
		depth:   12,
		shows: []DiagramClaim{
			{Rule: "scm.start.start-pending", From: "SERVICE_STOPPED", Move: "StartService", Result: "ERROR_SUCCESS", To: "SERVICE_START_PENDING"},
			{From: "SERVICE_START_PENDING", Move: "SetServiceStatus(SERVICE_RUNNING)", Result: "ERROR_SUCCESS", To: "SERVICE_RUNNING"},
			{Rule: "scm.start.already-running", From: "SERVICE_RUNNING", Move: "StartService", Result: "ERROR_SERVICE_ALREADY_RUNNING (1056)", To: "SERVICE_RUNNING"},
			{Rule: "scm.control.dispatch", From: "SERVICE_RUNNING", Move: "ControlService(SERVICE_CONTROL_STOP)", Result: "ERROR_SUCCESS", To: "SERVICE_STOP_PENDING"},
			{Rule: "scm.control.not-accepted", From: "SERVICE_START_PENDING", Move: "ControlService(SERVICE_CONTROL_STOP)", Result: "ERROR_INVALID_SERVICE_CONTROL (1052)", To: "SERVICE_START_PENDING"},
			{Rule: "scm.control.start-pending", From: "SERVICE_START_PENDING", Move: "ControlService(SERVICE_CONTROL_PAUSE)", Result: "ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061)", To: "SERVICE_START_PENDING"},
			{Rule: "scm.control.stop-pending", From: "SERVICE_STOP_PENDING", Move: "ControlService(SERVICE_CONTROL_STOP)", Result: "ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061)", To: "SERVICE_STOP_PENDING"},
			{Rule: "scm.control.not-active", From: "SERVICE_STOPPED", Move: "ControlService(SERVICE_CONTROL_STOP)", Result: "ERROR_SERVICE_NOT_ACTIVE (1062)", To: "SERVICE_STOPPED"},
		},
	}
}

func deleteDiagram() diagram {
	setup, prepare := serviceSetup()
	return &stateDiagram[serviceView]{
		name: "scm-delete", title: "a service deleted",
		about: "The same service under DeleteService, and CloseServiceHandle once the client deleted it, besides StartService, ControlService(STOP) " +
			"and the service's reports of RUNNING and STOPPED: a deleted service is only marked until it has stopped and its last handle is closed. " +
			"Whether it is marked is read from CreateService of its name (ERROR_SERVICE_MARKED_FOR_DELETE against ERROR_SERVICE_EXISTS), " +
			"whether it is gone from OpenService.",
		setup: setup, prepare: prepare,
		moves: []diagramMove[serviceView]{
			startMove, controlMove(win32.SERVICE_CONTROL_STOP),
			reportMove(win32.SERVICE_RUNNING, accept, win32.SERVICE_START_PENDING),
			reportMove(win32.SERVICE_STOPPED, 0, win32.SERVICE_STOP_PENDING),
			{label: "DeleteService", action: del("svc"), when: clientOpen},
			{label: "CloseServiceHandle", action: closeService("svc"), when: func(v serviceView) bool { return clientOpen(v) && v.marked }},
		},
		observe: observeService,
		label:   serviceView.String,
		final:   func(v serviceView) bool { return v.state == 0 },
		depth:   12,
		shows: []DiagramClaim{
			{Rule: "scm.start.marked-for-delete", From: "SERVICE_STOPPED, marked for delete", Move: "StartService", Result: "ERROR_SERVICE_MARKED_FOR_DELETE (1072)", To: "SERVICE_STOPPED, marked for delete"},
			{Rule: "scm.delete.twice", From: "SERVICE_RUNNING, marked for delete", Move: "DeleteService", Result: "ERROR_SERVICE_MARKED_FOR_DELETE (1072)", To: "SERVICE_RUNNING, marked for delete"},
			{Rule: "scm.delete.removed-when-closed", From: "SERVICE_STOPPED, marked for delete", Move: "CloseServiceHandle", Result: "ERROR_SUCCESS", To: "deleted"},
			{Rule: "scm.delete.waits-for-stop", From: "SERVICE_STOP_PENDING, marked for delete, handle closed", Move: "SetServiceStatus(SERVICE_STOPPED)", Result: "ERROR_SUCCESS", To: "deleted"},
		},
	}
}

// observeService reads the service diagram's state through the backend: the
// client's handle still answers a query or is closed; a handle opened now
// finds the service or not, and reads its state; creating it again says
// whether it is marked for delete.
func observeService(r *diagramRun) (serviceView, error) {
	api := r.b.(backend.SCM)
	var v serviceView
	var ss win32.SERVICE_STATUS_PROCESS
	switch code := api.QueryServiceStatusEx(diagramThread, r.value("svc"), win32.SC_STATUS_PROCESS_INFO, &ss, false); code {
	case sim.ERROR_SUCCESS:
	case sim.ERROR_INVALID_HANDLE:
		v.closed = true
	default:
		return v, fmt.Errorf("QueryServiceStatusEx on the client's handle: %s", code)
	}
	return v, probeService(api, r.value("scm"), &v.state, &v.marked)
}

// probeService finds the diagram's service through a new handle: its state
// (0 when it is gone) and whether it is marked for delete.
func probeService(api backend.SCM, scm sim.Handle, state *win32.ServiceState, marked *bool) error {
	name := strp(diagramService)
	h, code := api.OpenService(diagramThread, scm, name, win32.SERVICE_QUERY_STATUS)
	switch code {
	case sim.ERROR_SUCCESS:
	case sim.ERROR_SERVICE_DOES_NOT_EXIST:
		return nil
	default:
		return fmt.Errorf("OpenService: %s", code)
	}
	var ss win32.SERVICE_STATUS_PROCESS
	if code := api.QueryServiceStatusEx(diagramThread, h, win32.SC_STATUS_PROCESS_INFO, &ss, false); code != sim.ERROR_SUCCESS {
		return fmt.Errorf("QueryServiceStatusEx: %s", code)
	}
	*state = ss.CurrentState
	_, code = api.CreateService(diagramThread, scm, win32.CreateServiceParams{
		Name: name, DesiredAccess: win32.SERVICE_QUERY_STATUS, ServiceType: win32.SERVICE_WIN32_OWN_PROCESS,
		StartType: win32.SERVICE_DEMAND_START, ErrorControl: win32.SERVICE_ERROR_NORMAL, BinaryPath: strp(`C:\svc.exe`),
	})
	switch code {
	case sim.ERROR_SERVICE_MARKED_FOR_DELETE:
		*marked = true
	case sim.ERROR_SERVICE_EXISTS:
	default:
		return fmt.Errorf("CreateService of an existing service: %s", code)
	}
	return nil
}

// notifyPhase is where one registration is in its lifecycle.
type notifyPhase uint8

const (
	notRegistered notifyPhase = iota
	registered                // the call succeeded; its event has not come
	queued                    // the event came: the buffer is filled, the callback queued as an APC
	delivered                 // the callback ran, in an alertable wait
	withdrawn                 // the queued callback was taken back before it ran
	dropped                   // the handle closed before the event came
)

// notifyView is the notification diagram's abstract state: the phase of
// the registration, the service's state and whether the client closed its
// handle.
type notifyView struct {
	phase   notifyPhase
	service win32.ServiceState
	closed  bool
}

func (v notifyView) String() string {
	switch v.phase {
	case delivered:
		return "delivered: the callback ran"
	case withdrawn:
		return "APC withdrawn"
	case dropped:
		return "registration dropped"
	case notRegistered:
		if v.closed {
			return "handle closed, not registered"
		}
	}
	s := map[notifyPhase]string{notRegistered: "not registered", registered: "registered", queued: "fired, APC queued"}[v.phase]
	s += ", service " + v.service.String()
	if v.closed {
		s += ", handle closed"
	}
	return s
}

func notifyDiagram() diagram {
	open := func(v notifyView) bool { return !v.closed }
	return &stateDiagram[notifyView]{
		name: "scm-notify", title: "a notification registration",
		about: "One NotifyServiceStatusChange request for SERVICE_NOTIFY_RUNNING on a service that is starting, made on the thread that then waits: " +
			"the service reports RUNNING, the thread sleeps alertably or not, the client closes its handle. " +
			"The registration's phase is read from what the client sees (the call's result, its callback) and from the trace's APC events.",
		setup: []Action{openSCM("scm", mgrAll), create("svc", "scm", diagramService, all), start("svc")},
		moves: []diagramMove[notifyView]{
			{label: "NotifyServiceStatusChange(SERVICE_NOTIFY_RUNNING)", action: notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"),
				when: func(v notifyView) bool { return open(v) && v.phase == notRegistered }},
			{label: "SetServiceStatus(SERVICE_RUNNING)", action: report(diagramService, win32.SERVICE_RUNNING, accept),
				when: func(v notifyView) bool { return v.service == win32.SERVICE_START_PENDING }},
			{label: "SleepEx(0, TRUE)", action: sleep(0, true)},
			{label: "SleepEx(0, FALSE)", action: sleep(0, false)},
			{label: "CloseServiceHandle", action: closeService("svc"), when: open},
		},
		observe: observeNotify,
		label:   notifyView.String,
		final: func(v notifyView) bool {
			return v.phase == delivered || v.phase == withdrawn || v.phase == dropped || v.phase == notRegistered && v.closed
		},
		depth: 12,
		shows: []DiagramClaim{
			{Rule: "scm.notify.transition", From: "registered, service SERVICE_START_PENDING", Move: "SetServiceStatus(SERVICE_RUNNING)", Result: "ERROR_SUCCESS", To: "fired, APC queued, service SERVICE_RUNNING"},
			{Rule: "scm.notify.immediate", From: "not registered, service SERVICE_RUNNING", Move: "NotifyServiceStatusChange(SERVICE_NOTIFY_RUNNING)", Result: "ERROR_SUCCESS", To: "fired, APC queued, service SERVICE_RUNNING"},
			{Rule: "scm.notify.alertable-only", From: "fired, APC queued, service SERVICE_RUNNING", Move: "SleepEx(0, FALSE)", Result: "0", To: "fired, APC queued, service SERVICE_RUNNING"},
			{Rule: "kernel.wait.alertable-sleep", From: "fired, APC queued, service SERVICE_RUNNING", Move: "SleepEx(0, TRUE)", Result: "WAIT_IO_COMPLETION", To: "delivered: the callback ran"},
			{Rule: "scm.notify.cancel-on-close", From: "registered, service SERVICE_START_PENDING", Move: "CloseServiceHandle", Result: "ERROR_SUCCESS", To: "registration dropped"},
			{Rule: "scm.notify.cancel-queued", From: "fired, APC queued, service SERVICE_RUNNING", Move: "CloseServiceHandle", Result: "ERROR_SUCCESS", To: "APC withdrawn"},
		},
	}
}

// observeNotify reads the notification diagram's state: whether a
// registration succeeded (the results of the replay's moves), whether its
// callback ran (the buffer's callback), whether the trace shows its APC
// queued or withdrawn, the service as probeService finds it, and, for a
// request still waiting when its handle was closed, whether it fires
// later (firesLater).
func observeNotify(r *diagramRun) (notifyView, error) {
	api := r.b.(backend.SCM)
	var v notifyView
	for _, res := range r.results {
		if res.op == OpNotify && res.code.Success() {
			v.phase = registered
		}
	}
	tr, ok := backend.Trace(r.b)
	if !ok {
		return v, fmt.Errorf("the backend keeps no trace")
	}
	var nQueued, nWithdrawn int
	for _, e := range tr {
		switch e.Kind {
		case sim.EvAPCQueued:
			nQueued++
		case sim.EvAPCCancelled:
			nWithdrawn++
		}
	}
	var ss win32.SERVICE_STATUS_PROCESS
	v.closed = api.QueryServiceStatusEx(diagramThread, r.value("svc"), win32.SC_STATUS_PROCESS_INFO, &ss, false) == sim.ERROR_INVALID_HANDLE
	if v.phase == registered {
		switch {
		case len(r.callbacks) > 0:
			v.phase = delivered
		case nWithdrawn > 0:
			v.phase = withdrawn
		case nQueued > 0:
			v.phase = queued
		}
	}
	var marked bool
	if err := probeService(api, r.value("scm"), &v.service, &marked); err != nil {
		return v, err
	}
	if v.phase == registered && v.closed {
		// Nothing tells a pending request the client can no longer see
		// from a dropped one, but its event: let the service report
		// RUNNING and the thread wait alertably.
		alive, err := firesLater(r)
		if err != nil {
			return v, err
		}
		if !alive {
			v.phase = dropped
		}
	}
	return v, nil
}

// firesLater reports whether the replay's registration still runs its
// callback when the service reports RUNNING and the thread then waits
// alertably.
func firesLater(r *diagramRun) (bool, error) {
	before := len(r.callbacks)
	for _, a := range []Action{report(diagramService, win32.SERVICE_RUNNING, accept), sleep(0, true)} {
		if _, _, err := r.do(a); err != nil {
			return false, err
		}
	}
	return len(r.callbacks) > before, nil
}
