package conformance

import (
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/win32"
)

// The SCM family's registration: its operations and handle kinds, its
// oracle state, its checks, generators and property, and its kill routes.
func init() {
	scmSlot = slotOf[*scmState](register(family{
		name: "SCM",
		ops: append(ops(caps(backend.CapSCM), OpOpenSCM, OpCreate, OpOpen, OpCloseService, OpDelete, OpStart, OpControl, OpQuery, OpQueryEx, OpNotify),
			ops(caps(backend.CapSCM, backend.CapServiceSide), OpReport, OpProgram)...),
		requires:   backend.CapSCM,
		kinds:      []hkind{hSCM, hService},
		newState:   newSCMState,
		handles:    scmHandles,
		pure:       &pureFamily{stepAll: scmStep, call: scmCall, script: scmScript},
		describe:   describeSCM,
		checks:     scmChecks,
		generators: scmGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/SCM", Family: "SCM", Covers: scmPropertyCovers},
			gens:     Generators,
			// Every run starts with a handle to the SCM with every right,
			// so that most sequences reach services quickly.
			setup: []Action{{Op: OpOpenSCM, As: "scm0", Args: scmArgs{access: win32.SC_MANAGER_ALL_ACCESS}}},
			// Scripted service programs report on real timers, while the
			// oracle moves time only in waits: on a real system their
			// reports race the calls (each takes milliseconds under Wine,
			// the delays' order), so there the property drives services by
			// explicit reports only. The checks still run programs.
			realDrop: []string{"program"},
		},
		kill:     killSpec{prefixes: []string{"scm."}, dirs: []string{"scm", "kernel"}, checks: []string{"SCM", "Kernel"}},
		diagrams: scmDiagrams,
	}))
}

// The SCM's operations: the Win32 calls, and what a service's own program
// does (report: SetServiceStatus; program: a scripted service).
const (
	OpOpenSCM      Op = "OpenSCManager"
	OpCreate       Op = "CreateService"
	OpOpen         Op = "OpenService"
	OpCloseService Op = "CloseServiceHandle"
	OpDelete       Op = "DeleteService"
	OpStart        Op = "StartService"
	OpControl      Op = "ControlService"
	OpQuery        Op = "QueryServiceStatus"
	OpQueryEx      Op = "QueryServiceStatusEx"
	OpNotify       Op = "NotifyServiceStatusChange"
	OpReport       Op = "report"
	OpProgram      Op = "program"
)

// The SCM's handle kinds.
const (
	hSCM     hkind = "SC_HANDLE (manager)"
	hService hkind = "SC_HANDLE (service)"
)

// scmSlot is the SCM's oracle state in a World.
var scmSlot stateSlot[*scmState]

func newSCMState(w *World) (any, error) {
	set, err := readSettings(w.profile)
	if err != nil {
		return nil, err
	}
	_, api := w.b.(backend.SCM)
	return &scmState{hasAPI: api, set: set, svcs: map[string]*oSvc{}, bufs: map[string]int{}, apcs: map[string][]*oAPC{}}, nil
}

// scm returns the SCM's oracle state.
func (w *World) scm() *scmState { return scmSlot.of(w) }

func describeSCM(a Action, add func(string, ...any)) {
	args := argsOf[scmArgs](a)
	switch a.Op {
	case OpCreate, OpOpen:
		add("%s", fmtStrp(args.name))
		add("access=%#x", args.access)
	case OpOpenSCM:
		add("access=%#x", args.access)
	case OpControl:
		add("control=%s", args.control)
	case OpNotify:
		add("mask=%s buffer=%q version=%d", args.mask, args.buffer, args.version)
	case OpReport:
		add("%s state=%s", args.service, args.status.CurrentState)
	case OpProgram:
		add("%s", args.service)
	}
}
