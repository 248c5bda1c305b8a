package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
)

// The SCM part of the oracle. Each rule below is stated from the behavior
// catalog (the sim/scm rule statements and their sources: the SDK pages,
// Wine's conformance tests); where an order of checks is not documented the
// order is stated here and named as the oracle's assumption.

// scmState is the oracle's Service Control Manager: the services database,
// the notification buffers and outstanding requests, the scripted
// programs' timers, and the callbacks seen.
type scmState struct {
	set      settings
	svcs     map[string]*oSvc // the services database, by lower-case name
	timers   []*oTimer
	timerSeq int
	regSeq   int
	bufs     map[string]*oBuf
	regs     []*oReg // outstanding notification requests, in call order
	buffers  map[string]*scm.SERVICE_NOTIFY
	seen     []seenCallback
}

// settings are the SCM's profile differences, read by id from the oracle's
// statement (statement.go) for the backend's profile.
type settings struct {
	secondReg     bool // a second outstanding request on one handle is accepted
	scmNotify     bool // registrations on SCM handles are implemented
	deletePending bool // DeleteService delivers DELETE_PENDING / marked status
	markedChecks  bool // calls on a marked service fail with MARKED_FOR_DELETE
	versionCheck  bool // dwVersion other than 1 and 2 is rejected
	codeFirst     bool // ControlService checks the code before the handle
	laggingBound  int  // undelivered CREATED/DELETED events before lagging

	fillOnInvalidControl bool // INVALID_SERVICE_CONTROL fills lpServiceStatus
	dependentsChecked    bool // STOP checks for active dependents
	secondStopKills      bool // a second STOP after a delivered one kills the process
	closeWithdrawsQueued bool // closing a handle withdraws a queued callback
	driverNotifyRejected bool // registrations on driver services are refused
	openNameValidated    bool // OpenService rejects a name with '/' or a backslash
	handleBeforeCode     bool // ControlService rejects a handle not open before the code
	maskChecked          bool // CREATED/DELETED on a service handle are refused
	statusValidated      bool // SetServiceStatus rejects a bad state or a driver type
	finalZeroHints       bool // STOPPED, RUNNING, PAUSED have checkpoint and wait hint 0
	stoppedClears        bool // a STOPPED report clears the controls accepted
	queuedBlocksSecond   bool // a queued, unrun callback still counts as outstanding
	remoteUnavailable    bool // a remote machine name fails
	versionLimitsFields  bool // a level-1 buffer gets no dwNotificationTriggered, pszServiceNames
	databaseCaseExact    bool // OpenSCManager compares the database name exactly
	displayAgainstNames  bool // display names are checked against key names too
	displayShared        bool // a display name another service was given is accepted
	statusHandleKept     bool // reports after SERVICE_STOPPED are still taken
	nullArgsFirst        bool // NULL names and paths fail before a non-NULL bad handle
	errorControlChecked  bool // an error control above SERVICE_ERROR_CRITICAL is refused
	nameLengthChecked    bool // a name over 256 characters gives ERROR_INVALID_NAME
}

// knownSettings are the SCM statements the oracle has rules for. A
// statement in statement.go missing here makes every World fail: the oracle
// must say what each declared difference means before the suite can judge
// it.
var knownSettings = []string{
	"scm.notify.second-registration-accepted", "scm.notify.scm-handle-supported", "scm.notify.delete-pending-delivered",
	"scm.marked-for-delete-checked", "scm.notify.version-checked", "scm.control.code-checked-before-handle",
	"scm.control.status-filled-on-invalid-control", "scm.control.dependents-checked", "scm.control.second-stop-kills",
	"scm.control.invalid-handle-before-code", "scm.notify.mask-checked", "scm.notify.close-withdraws-queued",
	"scm.notify.driver-service-rejected", "scm.open.name-validated", "scm.notify.lagging-bound",
	"scm.status.validated", "scm.status.final-states-zero-hints", "scm.status.stopped-clears-accepted",
	"scm.notify.queued-blocks-second-registration", "scm.openscm.remote-machine-unavailable",
	"scm.notify.version-limits-fields", "scm.openscm.database-name-case-sensitive", "scm.create.display-checked-against-names", "scm.create.display-name-shared",
	"scm.status.handle-kept-after-stopped", "scm.null-args-before-handle", "scm.create.error-control-checked",
	"scm.create.name-length-checked",
}

func readSettings(profile string) (settings, error) {
	r := readStatements("scm.", profile, "conformance/scm.go", knownSettings)
	s := settings{
		secondReg:     r.bool("scm.notify.second-registration-accepted"),
		scmNotify:     r.bool("scm.notify.scm-handle-supported"),
		deletePending: r.bool("scm.notify.delete-pending-delivered"),
		markedChecks:  r.bool("scm.marked-for-delete-checked"),
		versionCheck:  r.bool("scm.notify.version-checked"),
		codeFirst:     r.bool("scm.control.code-checked-before-handle"),
		laggingBound:  r.int("scm.notify.lagging-bound"),

		fillOnInvalidControl: r.bool("scm.control.status-filled-on-invalid-control"),
		dependentsChecked:    r.bool("scm.control.dependents-checked"),
		secondStopKills:      r.bool("scm.control.second-stop-kills"),
		closeWithdrawsQueued: r.bool("scm.notify.close-withdraws-queued"),
		driverNotifyRejected: r.bool("scm.notify.driver-service-rejected"),
		openNameValidated:    r.bool("scm.open.name-validated"),
		handleBeforeCode:     r.bool("scm.control.invalid-handle-before-code"),
		maskChecked:          r.bool("scm.notify.mask-checked"),
		statusValidated:      r.bool("scm.status.validated"),
		finalZeroHints:       r.bool("scm.status.final-states-zero-hints"),
		stoppedClears:        r.bool("scm.status.stopped-clears-accepted"),
		queuedBlocksSecond:   r.bool("scm.notify.queued-blocks-second-registration"),
		remoteUnavailable:    r.bool("scm.openscm.remote-machine-unavailable"),
		versionLimitsFields:  r.bool("scm.notify.version-limits-fields"),
		databaseCaseExact:    r.bool("scm.openscm.database-name-case-sensitive"),
		displayAgainstNames:  r.bool("scm.create.display-checked-against-names"),
		displayShared:        r.bool("scm.create.display-name-shared"),
		statusHandleKept:     r.bool("scm.status.handle-kept-after-stopped"),
		nullArgsFirst:        r.bool("scm.null-args-before-handle"),
		errorControlChecked:  r.bool("scm.create.error-control-checked"),
		nameLengthChecked:    r.bool("scm.create.name-length-checked"),
	}
	if err := r.err(); err != nil {
		return settings{}, err
	}
	return s, nil
}

// svcStatus is a service's status as the oracle knows it: every field of
// SERVICE_STATUS_PROCESS, with the process id only as zero or not.
type svcStatus struct {
	typ, state, accepted, exit, specific, checkpoint, waitHint uint32
	pid                                                        bool
}

func statusOf(s scm.SERVICE_STATUS_PROCESS) svcStatus {
	return svcStatus{s.ServiceType, s.CurrentState, s.ControlsAccepted, s.Win32ExitCode, s.ServiceSpecificExitCode, s.CheckPoint, s.WaitHint, s.ProcessId != 0}
}

func (s svcStatus) String() string {
	pid := "zero"
	if s.pid {
		pid = "nonzero"
	}
	return fmt.Sprintf("{type %s, %s, accepted %s, exit %d/%d, checkpoint %d, wait hint %d, pid %s}",
		constName(scm.GroupServiceType, s.typ), constName(scm.GroupState, s.state), constName(scm.GroupAccept, s.accepted),
		s.exit, s.specific, s.checkpoint, s.waitHint, pid)
}

// oSvc is a record of the services database.
type oSvc struct {
	name, display string
	named         bool // the display name was given, not taken from the key name
	typ, start    uint32
	deps          []string
	st            svcStatus
	marked        bool
	open          int // open service handles
	prog          *Action
	run           *oRun
	version       int     // counts status changes
	regs          []*oReg // outstanding requests on its handles, in call order
}

// oRun is one run of a service: from StartService to its STOPPED report.
type oRun struct {
	dead     bool   // the status handle is gone (the run reported STOPPED)
	ended    bool   // the process was terminated: no scripted report follows
	stopSent bool   // a STOP was delivered to this run
	pid      uint32 // the process id, once seen
}

// oReg is one outstanding NotifyServiceStatusChange request.
type oReg struct {
	id          int
	h           *oHandle
	thread, buf string
	mask        uint32
	version     uint32
	apc         *oAPC // set once the callback is queued
}

// oAPC is a queued notification callback, with what the buffer holds.
type oAPC struct {
	reg          *oReg
	cancelled    bool
	status       sim.Errno
	triggered    uint32
	triggerKnown bool // the buffer's level defines dwNotificationTriggered
	ss           svcStatus
	names        []string
	svc          *oSvc
	run          *oRun
	svcVersion   int
	write        int // the buffer write that filled it
}

type oBuf struct{ writes int }

type oTimer struct {
	at  time.Duration
	seq int
	svc *oSvc
	run *oRun
	rep scm.SERVICE_STATUS
}

type nameEvent struct {
	kind uint32
	name string
}

// seenCallback is a callback as it ran.
type seenCallback struct {
	buffer, thread string
	ptrOK          bool
	status         sim.Errno
	triggered      uint32
	ss             scm.SERVICE_STATUS_PROCESS
	names          []string
}

// inWantOrder puts the callbacks a real system ran in the order the oracle
// lists them, matching buffer and thread. The order in which one change
// queues the callbacks of several requests is not documented, and on a real
// system each request completes on its own (under Wine 8.0 two handles'
// requests for one state change were seen to run in either order).
// Callbacks that match none keep their places, so they still fail.
func inWantOrder(got []seenCallback, want []*oAPC) []seenCallback {
	out := make([]seenCallback, len(got))
	used := make([]bool, len(got))
	placed := make([]bool, len(want))
	for i, c := range want {
		for j, g := range got {
			if !used[j] && g.buffer == c.reg.buf && g.thread == c.reg.thread {
				out[i], used[j], placed[i] = g, true, true
				break
			}
		}
	}
	j := 0
	for i := range want {
		if placed[i] {
			continue
		}
		for used[j] {
			j++
		}
		out[i], used[j] = got[j], true
	}
	return out
}

func lower(s string) string { return strings.ToLower(s) }

func isOpen(h *oHandle, k hkind) bool { return h != nil && !h.closed && h.kind == k }

const generic = scm.GENERIC_READ | scm.GENERIC_WRITE | scm.GENERIC_EXECUTE | scm.GENERIC_ALL

// grantSCM maps a requested SCM access to the specific rights granted: the
// generic mapping of "Service Security and Access Rights", and
// SC_MANAGER_CONNECT always.
func grantSCM(access uint32) uint32 {
	g := access
	if access&scm.GENERIC_READ != 0 {
		g |= scm.SC_MANAGER_ENUMERATE_SERVICE | scm.SC_MANAGER_QUERY_LOCK_STATUS
	}
	if access&scm.GENERIC_WRITE != 0 {
		g |= scm.SC_MANAGER_CREATE_SERVICE | scm.SC_MANAGER_MODIFY_BOOT_CONFIG
	}
	if access&scm.GENERIC_EXECUTE != 0 {
		g |= scm.SC_MANAGER_CONNECT | scm.SC_MANAGER_LOCK
	}
	if access&scm.GENERIC_ALL != 0 {
		g |= scm.SC_MANAGER_ALL_ACCESS
	}
	return g | scm.SC_MANAGER_CONNECT
}

// grantService is the same mapping for a service handle.
func grantService(access uint32) uint32 {
	g := access
	if access&scm.GENERIC_READ != 0 {
		g |= scm.SERVICE_QUERY_CONFIG | scm.SERVICE_QUERY_STATUS | scm.SERVICE_INTERROGATE | scm.SERVICE_ENUMERATE_DEPENDENTS
	}
	if access&scm.GENERIC_WRITE != 0 {
		g |= scm.SERVICE_CHANGE_CONFIG
	}
	if access&scm.GENERIC_EXECUTE != 0 {
		g |= scm.SERVICE_START | scm.SERVICE_STOP | scm.SERVICE_PAUSE_CONTINUE | scm.SERVICE_USER_DEFINED_CONTROL
	}
	if access&scm.GENERIC_ALL != 0 {
		g |= scm.SERVICE_ALL_ACCESS
	}
	return g
}

// checkAccess applies an access check to h. The access rule id decides
// only a denial, so it is credited only then; the generic mapping decides
// when the caller asked with GENERIC_* bits and the right is missing, or
// when the right was granted through the mapping alone.
func (w *World) checkAccess(h *oHandle, right uint32, id string) bool {
	ok := h.access&right != 0
	if !ok {
		w.assert(id)
	}
	if (h.generic && !ok) || h.viaGeneric&right != 0 {
		w.assert("scm.access.generic-mapping")
	}
	return ok
}

// viaGeneric returns the rights that grant gives for access through the
// generic mapping alone: not asked for by name, not given to every handle.
func viaGeneric(grant func(uint32) uint32, access uint32) uint32 {
	return grant(access&generic) &^ grant(0) &^ access
}

// validName: CreateServiceW's lpServiceName is at most 256 characters and
// may not contain '/' or '\'.
func validName(n string) bool {
	return n != "" && !strings.ContainsAny(n, `/\`)
}

// validTypes: a Win32 service (own or shared process, optionally
// interactive) may not have a boot or system start; a driver may not be
// interactive; start types go up to SERVICE_DISABLED.
func validTypes(typ, start uint32) bool {
	switch typ &^ scm.SERVICE_INTERACTIVE_PROCESS {
	case scm.SERVICE_WIN32_OWN_PROCESS, scm.SERVICE_WIN32_SHARE_PROCESS:
		if start == scm.SERVICE_BOOT_START || start == scm.SERVICE_SYSTEM_START {
			return false
		}
	case scm.SERVICE_KERNEL_DRIVER, scm.SERVICE_FILE_SYSTEM_DRIVER:
		if typ&scm.SERVICE_INTERACTIVE_PROCESS != 0 {
			return false
		}
	default:
		return false
	}
	return start <= scm.SERVICE_DISABLED
}

func isDriver(typ uint32) bool {
	return typ&(scm.SERVICE_KERNEL_DRIVER|scm.SERVICE_FILE_SYSTEM_DRIVER) != 0
}

// notifyBit is the SERVICE_NOTIFY_* bit of a state: 1 << (state-1).
func notifyBit(state uint32) uint32 { return 1 << (state - 1) }

const (
	stateBits = scm.SERVICE_NOTIFY_STOPPED | scm.SERVICE_NOTIFY_START_PENDING | scm.SERVICE_NOTIFY_STOP_PENDING |
		scm.SERVICE_NOTIFY_RUNNING | scm.SERVICE_NOTIFY_CONTINUE_PENDING | scm.SERVICE_NOTIFY_PAUSE_PENDING | scm.SERVICE_NOTIFY_PAUSED
	dbBits = scm.SERVICE_NOTIFY_CREATED | scm.SERVICE_NOTIFY_DELETED
)

// controlRight is the right a control needs (ControlService's table), and
// whether ControlService accepts the code at all: the listed controls and
// 128-255; SHUTDOWN and 11-127 are not.
func controlRight(c uint32) (uint32, bool) {
	switch {
	case c == scm.SERVICE_CONTROL_STOP:
		return scm.SERVICE_STOP, true
	case c == scm.SERVICE_CONTROL_PAUSE, c == scm.SERVICE_CONTROL_CONTINUE, c == scm.SERVICE_CONTROL_PARAMCHANGE,
		c >= scm.SERVICE_CONTROL_NETBINDADD && c <= scm.SERVICE_CONTROL_NETBINDDISABLE:
		return scm.SERVICE_PAUSE_CONTINUE, true
	case c == scm.SERVICE_CONTROL_INTERROGATE:
		return scm.SERVICE_INTERROGATE, true
	case c >= 128 && c <= 255:
		return scm.SERVICE_USER_DEFINED_CONTROL, true
	}
	return 0, false
}

// acceptBit is the controls-accepted bit a control needs; INTERROGATE and
// user-defined codes need none.
func acceptBit(c uint32) uint32 {
	switch {
	case c == scm.SERVICE_CONTROL_STOP:
		return scm.SERVICE_ACCEPT_STOP
	case c == scm.SERVICE_CONTROL_PAUSE, c == scm.SERVICE_CONTROL_CONTINUE:
		return scm.SERVICE_ACCEPT_PAUSE_CONTINUE
	case c == scm.SERVICE_CONTROL_PARAMCHANGE:
		return scm.SERVICE_ACCEPT_PARAMCHANGE
	case c >= scm.SERVICE_CONTROL_NETBINDADD && c <= scm.SERVICE_CONTROL_NETBINDDISABLE:
		return scm.SERVICE_ACCEPT_NETBINDCHANGE
	}
	return 0
}

// doSCM runs one SCM action and returns the contract violations the oracle
// expects from it.
func (w *World) doSCM(a Action) []string {
	if w.sc == nil {
		w.fail(a, "the backend does not implement the SCM family")
		return nil
	}
	switch a.Op {
	case OpOpenSCM:
		w.doOpenSCM(a)
	case OpCreate:
		w.doCreate(a)
	case OpOpen:
		w.doOpen(a)
	case OpCloseService:
		w.doClose(a)
	case OpDelete:
		w.doDelete(a)
	case OpStart:
		w.doStart(a)
	case OpControl:
		w.doControl(a)
	case OpQuery, OpQueryEx:
		w.doQuery(a)
	case OpNotify:
		return w.doNotify(a)
	case OpReport:
		return w.doReport(a)
	case OpProgram:
		w.doProgram(a)
	default:
		w.fail(a, "unknown action")
	}
	return nil
}

func (w *World) compareCode(a Action, got, want sim.Errno) bool {
	if got != want {
		w.fail(a, "got %s, want %s", got, want)
		return false
	}
	return true
}

func (w *World) doOpenSCM(a Action) {
	want := sim.ERROR_SUCCESS
	switch {
	case w.scm.set.remoteUnavailable && a.Machine != nil && *a.Machine != "" && *a.Machine != ".":
		w.assert("scm.openscm.remote-machine")
		want = sim.RPC_S_SERVER_UNAVAILABLE
	case a.Database != nil && w.sameDatabase(*a.Database, scm.SERVICES_FAILED_DATABASE):
		w.assert("scm.openscm.database-failed")
		want = sim.ERROR_DATABASE_DOES_NOT_EXIST
	case a.Database != nil && !w.sameDatabase(*a.Database, scm.SERVICES_ACTIVE_DATABASE):
		w.assert("scm.openscm.database-unknown")
		if w.scm.set.databaseCaseExact && (strings.EqualFold(*a.Database, scm.SERVICES_ACTIVE_DATABASE) || strings.EqualFold(*a.Database, scm.SERVICES_FAILED_DATABASE)) {
			w.assert("scm.openscm.database-case-wine")
		}
		want = sim.ERROR_INVALID_NAME
	case a.Access == 0:
		w.assert("scm.openscm.access-zero")
	}
	v, got := w.sc.OpenSCManager(a.thread(), a.Machine, a.Database, a.Access)
	st := w.step(a, []scenario.Arg{{Key: "machine", Value: strArg(a.Machine)}, {Key: "database", Value: strArg(a.Database)}, {Key: "access", Value: constArg(scm.GroupSCMAccess, a.Access)}}, want)
	if want == sim.ERROR_SUCCESS {
		st.As = a.As
		w.bind(a.As, v, &oHandle{kind: hSCM, access: grantSCM(a.Access), generic: a.Access&generic != 0, viaGeneric: viaGeneric(grantSCM, a.Access)})
	}
	w.log(st)
	if w.compareCode(a, got, want) && want == sim.ERROR_SUCCESS && v == 0 {
		w.fail(a, "succeeded with a NULL handle")
	}
}

// sameDatabase compares a database name with a known one: without regard
// to case (the catalog), or exactly where the profile says so.
func (w *World) sameDatabase(name, db string) bool {
	if w.scm.set.databaseCaseExact {
		return name == db
	}
	return strings.EqualFold(name, db)
}

// step starts the scenario step of an SCM call.
func (w *World) step(a Action, args []scenario.Arg, want sim.Errno) scenario.ScriptStep {
	return scenario.ScriptStep{Kind: string(a.Op), Args: args, Thread: threadMod(a.thread()), Want: wantCode(want)}
}

func strArg(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func (w *World) doCreate(a Action) {
	m := w.handle(a.H)
	display := ""
	if a.Name != nil {
		display = *a.Name
	}
	if a.Display != nil && *a.Display != "" {
		display = *a.Display
	}
	errCtl := uint32(scm.SERVICE_ERROR_NORMAL)
	if a.ErrorControl != nil {
		errCtl = *a.ErrorControl
	}
	tooLong := a.Name != nil && len([]rune(*a.Name)) > 256
	want := sim.ERROR_SUCCESS
	// Order (catalog): handle, NULL pointers (before access), access, name,
	// binary path and types, then the database. Where the profile says so,
	// the NULL pointers come before a handle that is not NULL.
	switch {
	case !isOpen(m, hSCM) && w.scm.set.nullArgsFirst && a.H != RefNULL && (a.Name == nil || a.Binary == nil):
		w.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		w.assert("scm.create.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case a.Name == nil || a.Binary == nil:
		w.assert("scm.create.null-name-or-binary")
		want = sim.ERROR_INVALID_ADDRESS
	case !w.checkAccess(m, scm.SC_MANAGER_CREATE_SERVICE, "scm.create.access"):
		want = sim.ERROR_ACCESS_DENIED
	case !validName(*a.Name):
		w.assert("scm.create.invalid-name")
		want = sim.ERROR_INVALID_NAME
	case tooLong && w.scm.set.nameLengthChecked:
		w.assert("scm.create.name-too-long")
		want = sim.ERROR_INVALID_NAME
	case *a.Binary == "":
		w.assert("scm.create.empty-binary")
		want = sim.ERROR_INVALID_PARAMETER
	case !validTypes(a.Type, a.Start):
		w.assert("scm.create.invalid-type")
		want = sim.ERROR_INVALID_PARAMETER
	case errCtl > scm.SERVICE_ERROR_CRITICAL && w.scm.set.errorControlChecked:
		w.assert("scm.create.invalid-error-control")
		want = sim.ERROR_INVALID_PARAMETER
	case w.scm.svcs[lower(*a.Name)] != nil && w.scm.svcs[lower(*a.Name)].marked:
		w.assert("scm.create.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case w.scm.svcs[lower(*a.Name)] != nil:
		w.assert("scm.create.exists")
		want = sim.ERROR_SERVICE_EXISTS
	case !w.scm.set.displayAgainstNames && w.givenDisplay(display):
		w.assert("scm.create.duplicate-display")
		want = sim.ERROR_DUPLICATE_SERVICE_NAME
	case !w.scm.set.displayAgainstNames && (w.nameClash(*a.Name, display) || w.givenDisplay(display)):
		// Refused where names count too, accepted here.
		w.assert("scm.create.duplicate-display-wine")
	case w.nameClash(*a.Name, display):
		w.assert("scm.create.duplicate-display")
		want = sim.ERROR_DUPLICATE_SERVICE_NAME
	case w.givenDisplay(display) && !w.scm.set.displayShared:
		w.assert("scm.create.display-shared-win7")
		want = sim.ERROR_DUPLICATE_SERVICE_NAME
	case w.givenDisplay(display):
		// Windows 10 1709 and later share display names.
		w.assert("scm.create.display-shared")
	}
	// Under Wine 8.0 a long name and any error control get past the checks
	// above; the long name then fails where the registry key is written.
	if want == sim.ERROR_SUCCESS && tooLong {
		w.assert("scm.create.name-too-long-wine")
		want = sim.ERROR_GEN_FAILURE
	}
	if want == sim.ERROR_SUCCESS && errCtl > scm.SERVICE_ERROR_CRITICAL {
		w.assert("scm.create.error-control-wine")
	}
	v, got := w.sc.CreateService(a.thread(), w.value(a.H), scm.CreateServiceParams{
		Name: a.Name, DisplayName: a.Display, DesiredAccess: a.Access, ServiceType: a.Type, StartType: a.Start,
		ErrorControl: errCtl, BinaryPath: a.Binary, Dependencies: a.Deps,
	})
	args := []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Name)}}
	if a.Display != nil {
		args = append(args, scenario.Arg{Key: "display", Value: *a.Display})
	}
	args = append(args, scenario.Arg{Key: "access", Value: constArg(scm.GroupSvcAccess, a.Access)},
		scenario.Arg{Key: "type", Value: constArg(scm.GroupServiceType, a.Type)},
		scenario.Arg{Key: "start", Value: constArg(scm.GroupStartType, a.Start)},
		scenario.Arg{Key: "binary", Value: strArg(a.Binary)})
	if a.ErrorControl != nil {
		args = append(args, scenario.Arg{Key: "error_control", Value: constArg(scm.GroupErrorCtl, errCtl)})
	}
	if len(a.Deps) > 0 {
		args = append(args, scenario.Arg{Key: "dependencies", Value: a.Deps})
	}
	st := w.step(a, args, want)
	if want == sim.ERROR_SUCCESS {
		st.As = a.As
		s := &oSvc{name: *a.Name, display: display, named: a.Display != nil && *a.Display != "", typ: a.Type, start: a.Start, deps: slices.Clone(a.Deps),
			st: svcStatus{typ: a.Type, state: scm.SERVICE_STOPPED, exit: uint32(sim.ERROR_SERVICE_NEVER_STARTED)}}
		w.scm.svcs[lower(s.name)] = s
		s.open++
		w.bind(a.As, v, &oHandle{kind: hService, svc: s, access: grantService(a.Access), generic: a.Access&generic != 0, viaGeneric: viaGeneric(grantService, a.Access)})
		if grantService(a.Access)&scm.DELETE == 0 {
			w.assert("scm.create.access-irrelevant")
		}
		w.publish(nameEvent{scm.SERVICE_NOTIFY_CREATED, "/" + s.name})
	}
	w.log(st)
	if w.compareCode(a, got, want) && want == sim.ERROR_SUCCESS && v == 0 {
		w.fail(a, "succeeded with a NULL handle")
	}
}

// nameClash: the new display name equals another service's key name, or
// the new key name another service's display name (its key name standing
// in when it was given none).
func (w *World) nameClash(name, display string) bool {
	for _, s := range w.scm.svcs {
		if lower(s.name) == lower(display) || lower(s.display) == lower(name) {
			return true
		}
	}
	return false
}

// givenDisplay: another service was given display as its display name.
func (w *World) givenDisplay(display string) bool {
	for _, s := range w.scm.svcs {
		if s.named && lower(s.display) == lower(display) {
			return true
		}
	}
	return false
}

func (w *World) doOpen(a Action) {
	m := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	var s *oSvc
	switch {
	case !isOpen(m, hSCM) && w.scm.set.nullArgsFirst && a.H != RefNULL && a.Name == nil:
		w.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		w.assert("scm.open.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case a.Name == nil:
		w.assert("scm.open.null-name")
		want = sim.ERROR_INVALID_ADDRESS
	case w.scm.set.openNameValidated && !validName(*a.Name):
		w.assert("scm.open.invalid-name-wine")
		want = sim.ERROR_INVALID_NAME
	case w.scm.svcs[lower(*a.Name)] == nil:
		w.assert("scm.open.unknown")
		want = sim.ERROR_SERVICE_DOES_NOT_EXIST
	default:
		// A service marked for delete opens on every profile
		// (service.c:424), and the new handle keeps the record.
		s = w.scm.svcs[lower(*a.Name)]
		if s.marked {
			w.assert("scm.open.marked-for-delete")
		}
	}
	v, got := w.sc.OpenService(a.thread(), w.value(a.H), a.Name, a.Access)
	st := w.step(a, []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Name)}, {Key: "access", Value: constArg(scm.GroupSvcAccess, a.Access)}}, want)
	if s != nil {
		st.As = a.As
		s.open++
		w.bind(a.As, v, &oHandle{kind: hService, svc: s, access: grantService(a.Access), generic: a.Access&generic != 0, viaGeneric: viaGeneric(grantService, a.Access)})
	}
	w.log(st)
	if w.compareCode(a, got, want) && want == sim.ERROR_SUCCESS && v == 0 {
		w.fail(a, "succeeded with a NULL handle")
	}
}

func (w *World) doClose(a Action) {
	h := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case isOpen(h, hService):
		h.closed = true
		w.cancel(h)
		h.svc.open--
		w.maybeRemove(h.svc)
	case isOpen(h, hSCM):
		h.closed = true
		w.cancel(h)
		if len(w.open(hService)) > 0 {
			w.assert("scm.close.scm-keeps-services")
		}
	default:
		w.assert("scm.close.invalid-handle")
		if h != nil && h.closed {
			w.assert("kernel.handle.stale")
		}
		want = sim.ERROR_INVALID_HANDLE
	}
	got := w.sc.CloseServiceHandle(a.thread(), w.value(a.H))
	w.log(w.step(a, []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}

// cancel withdraws every request made on a closing handle: no callback is
// queued for them any more, and one already queued does not run (a declared
// model choice).
func (w *World) cancel(h *oHandle) {
	for _, r := range slices.Clone(h.regs) {
		w.assert("scm.notify.cancel-on-close")
		if r.apc != nil {
			if !w.scm.set.closeWithdrawsQueued {
				continue // it stays queued, and runs
			}
			w.assert("scm.notify.cancel-queued")
			r.apc.cancelled = true
		}
		w.detach(r)
	}
}

// detach forgets a request: its callback ran, or it was cancelled.
func (w *World) detach(r *oReg) {
	w.scm.regs = slices.DeleteFunc(w.scm.regs, func(x *oReg) bool { return x == r })
	r.h.regs = slices.DeleteFunc(r.h.regs, func(x *oReg) bool { return x == r })
	if r.h.svc != nil {
		r.h.svc.regs = slices.DeleteFunc(r.h.svc.regs, func(x *oReg) bool { return x == r })
	}
}

// maybeRemove removes a service marked for delete once no handle to it is
// open and it is stopped; SCM handles watching the database learn of it.
func (w *World) maybeRemove(s *oSvc) {
	if !s.marked || s.open > 0 || s.st.state != scm.SERVICE_STOPPED || w.scm.svcs[lower(s.name)] != s {
		return
	}
	w.assert("scm.delete.removed-when-closed")
	delete(w.scm.svcs, lower(s.name))
	w.publish(nameEvent{scm.SERVICE_NOTIFY_DELETED, s.name})
}

func (w *World) doDelete(a Action) {
	h := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case !isOpen(h, hService):
		w.assert("scm.delete.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !w.checkAccess(h, scm.DELETE, "scm.delete.access"):
		want = sim.ERROR_ACCESS_DENIED
	case h.svc.marked:
		w.assert("scm.delete.twice")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	default:
		h.svc.marked = true
		if h.svc.st.state != scm.SERVICE_STOPPED {
			w.assert("scm.delete.waits-for-stop")
		}
		w.notifyMarked(h.svc)
	}
	got := w.sc.DeleteService(a.thread(), w.value(a.H))
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}

func (w *World) doStart(a Action) {
	h := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	// Order (catalog, from Wine and ReactOS): handle, access, disabled,
	// marked for delete, state; then the image.
	switch {
	case !isOpen(h, hService):
		w.assert("scm.start.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !w.checkAccess(h, scm.SERVICE_START, "scm.start.access"):
		want = sim.ERROR_ACCESS_DENIED
	case h.svc.start == scm.SERVICE_DISABLED:
		w.assert("scm.start.disabled")
		want = sim.ERROR_SERVICE_DISABLED
	case h.svc.marked && w.scm.set.markedChecks:
		w.assert("scm.start.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case h.svc.st.state != scm.SERVICE_STOPPED:
		w.assert("scm.start.already-running")
		want = sim.ERROR_SERVICE_ALREADY_RUNNING
	case h.svc.prog != nil && h.svc.prog.StartError == uint32(sim.ERROR_SERVICE_REQUEST_TIMEOUT):
		// The process never connects its dispatcher: StartService gives up
		// after the 30 s pipe timeout, during which time runs on.
		w.assert("scm.start.no-dispatcher")
		w.clockUntil(w.now+30*time.Second, false, "")
		want = sim.ERROR_SERVICE_REQUEST_TIMEOUT
	case h.svc.prog != nil && h.svc.prog.StartError != 0:
		w.assert("scm.start.image-error")
		want = sim.Errno(h.svc.prog.StartError)
	default:
		s := h.svc
		s.run = &oRun{}
		w.assert("scm.start.start-pending")
		w.setStatus(s, svcStatus{typ: s.typ, state: scm.SERVICE_START_PENDING, waitHint: 2000, pid: true})
		if s.prog != nil && s.prog.StartError == 0 {
			w.assert("scm.start.returns-before-report")
			w.schedule(s, s.prog.StartDelay, scm.SERVICE_STATUS{CurrentState: scm.SERVICE_RUNNING, ControlsAccepted: scm.SERVICE_ACCEPT_STOP | scm.SERVICE_ACCEPT_PAUSE_CONTINUE})
		}
	}
	got := w.sc.StartService(a.thread(), w.value(a.H), nil)
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}

// schedule has the service's current run report st after d.
func (w *World) schedule(s *oSvc, d time.Duration, st scm.SERVICE_STATUS) {
	w.scm.timerSeq++
	w.scm.timers = append(w.scm.timers, &oTimer{at: w.now + d, seq: w.scm.timerSeq, svc: s, run: s.run, rep: st})
}

func (w *World) fireTimer(t *oTimer) {
	w.scm.timers = slices.DeleteFunc(w.scm.timers, func(x *oTimer) bool { return x == t })
	w.now = max(w.now, t.at)
	if !t.run.dead {
		t.rep.ServiceType = t.svc.typ
		w.applyReport(t.svc, t.run, t.rep)
	}
}

// applyReport is SetServiceStatus from the service: the state must be 1..7
// and the type not a driver's (ERROR_INVALID_DATA); checkpoint and wait
// hint are 0 in STOPPED, RUNNING and PAUSED; STOPPED ends the run (process
// id 0, nothing accepted, the status handle gone). Any valid state may
// follow any other.
func (w *World) applyReport(s *oSvc, r *oRun, st scm.SERVICE_STATUS) (sim.Errno, []string) {
	var viol []string
	if r.dead {
		w.assert("scm.contract.report-after-stopped")
		viol = []string{"scm.contract.report-after-stopped"}
		if !w.scm.set.statusHandleKept {
			// The run's status handle closed with its STOPPED report.
			w.assert("scm.status.invalid-handle")
			return sim.ERROR_INVALID_HANDLE, viol
		}
		// The handle still takes reports; the process is gone, so the
		// process id stays 0 (it is already, since the STOPPED report).
		w.assert("scm.status.report-after-stopped-wine")
	}
	if w.scm.set.statusValidated && (st.CurrentState < scm.SERVICE_STOPPED || st.CurrentState > scm.SERVICE_PAUSED || isDriver(st.ServiceType)) {
		w.assert("scm.status.invalid-state")
		return sim.ERROR_INVALID_DATA, viol
	}
	next := svcStatus{typ: s.typ, state: st.CurrentState, accepted: st.ControlsAccepted, exit: st.Win32ExitCode,
		specific: st.ServiceSpecificExitCode, checkpoint: st.CheckPoint, waitHint: st.WaitHint, pid: s.st.pid}
	switch st.CurrentState {
	case scm.SERVICE_STOPPED, scm.SERVICE_RUNNING, scm.SERVICE_PAUSED:
		if w.scm.set.finalZeroHints && (next.checkpoint != 0 || next.waitHint != 0) {
			w.assert("scm.status.final-states-zero-hints")
			next.checkpoint, next.waitHint = 0, 0
		}
	}
	if !conventional(s.st.state, next.state) {
		w.assert("scm.status.any-order")
	}
	if st.CurrentState == scm.SERVICE_STOPPED {
		r.dead = true
		next.pid = false
		if w.scm.set.stoppedClears {
			next.accepted = 0
		}
		w.scm.timers = slices.DeleteFunc(w.scm.timers, func(t *oTimer) bool { return t.run == r })
	}
	w.setStatus(s, next)
	return sim.ERROR_SUCCESS, viol
}

// conventional lists the usual transitions of SetServiceStatus's page.
func conventional(from, to uint32) bool {
	switch {
	case from == to, to == scm.SERVICE_STOPPED:
		return true
	case from == scm.SERVICE_START_PENDING:
		return to == scm.SERVICE_RUNNING
	case from == scm.SERVICE_RUNNING:
		return to == scm.SERVICE_STOP_PENDING || to == scm.SERVICE_PAUSE_PENDING
	case from == scm.SERVICE_PAUSE_PENDING:
		return to == scm.SERVICE_PAUSED
	case from == scm.SERVICE_PAUSED:
		return to == scm.SERVICE_CONTINUE_PENDING || to == scm.SERVICE_STOP_PENDING
	case from == scm.SERVICE_CONTINUE_PENDING:
		return to == scm.SERVICE_RUNNING
	case from == scm.SERVICE_STOPPED:
		return to == scm.SERVICE_START_PENDING
	}
	return false
}

// setStatus installs a service's new status. A change of state fires the
// pending requests whose mask names the new state, and may complete a
// deletion.
func (w *World) setStatus(s *oSvc, next svcStatus) {
	old := s.st.state
	s.st = next
	s.version++
	if old == next.state {
		return
	}
	w.notifyState(s)
	w.maybeRemove(s)
}

// notifyState: every pending request whose mask names the new state fires,
// with that state's bit, and sets its handle's re-arm flag; every other
// handle to the service has its flag cleared (the service changed state
// without telling it).
func (w *World) notifyState(s *oSvc) {
	bit := notifyBit(s.st.state)
	told := map[*oHandle]bool{}
	handles := map[*oHandle]bool{}
	for _, r := range slices.Clone(s.regs) {
		handles[r.h] = true
		switch {
		case r.apc != nil:
			if r.mask&bit != 0 {
				w.assert("scm.notify.one-shot")
			}
		case r.mask&bit != 0:
			w.assert("scm.notify.transition")
			told[r.h] = true
			w.fire(r, sim.ERROR_SUCCESS, bit, s.st, nil)
		default:
			w.assert("scm.notify.unrequested-state")
		}
	}
	if len(told) > 1 {
		w.assert("scm.notify.per-handle")
	}
	for _, h := range w.order {
		if h.kind == hService && !h.closed && h.svc == s {
			h.notified = told[h]
		}
	}
}

// notifyMarked: DeleteService fires pending requests that ask for
// DELETE_PENDING; every other pending request completes with
// dwNotificationStatus ERROR_SERVICE_MARKED_FOR_DELETE (a declared model
// choice), where the profile delivers them at all.
func (w *World) notifyMarked(s *oSvc) {
	if !w.scm.set.deletePending {
		return
	}
	for _, r := range slices.Clone(s.regs) {
		if r.apc != nil {
			continue
		}
		if r.mask&scm.SERVICE_NOTIFY_DELETE_PENDING != 0 {
			w.assert("scm.notify.delete-pending")
			w.fire(r, sim.ERROR_SUCCESS, scm.SERVICE_NOTIFY_DELETE_PENDING, s.st, nil)
		} else {
			w.assert("scm.notify.status-marked")
			w.fire(r, sim.ERROR_SERVICE_MARKED_FOR_DELETE, 0, svcStatus{}, nil)
		}
	}
}

// fire fills the request's buffer and queues its callback to the thread
// that registered. dwNotificationTriggered and pszServiceNames exist in a
// level-2 buffer only (where the profile keeps to the levels); ServiceStatus
// and the rest are valid only with ERROR_SUCCESS.
func (w *World) fire(r *oReg, status sim.Errno, triggered uint32, ss svcStatus, names []string) {
	a := &oAPC{reg: r, status: status, svc: r.h.svc}
	if a.svc != nil {
		a.run, a.svcVersion = a.svc.run, a.svc.version
	}
	a.triggerKnown = true
	if status == sim.ERROR_SUCCESS {
		a.ss = ss
		if r.version >= scm.SERVICE_NOTIFY_STATUS_CHANGE || !w.scm.set.versionLimitsFields {
			a.triggered, a.names = triggered, names
		}
	}
	b := w.scm.bufs[r.buf]
	b.writes++
	a.write = b.writes
	r.apc = a
	w.apcs[r.thread] = append(w.apcs[r.thread], a)
}

// publish records a creation or removal for every SCM handle that watches
// the database (it has registered once), in the order they were opened,
// and delivers it where a request is pending. A handle with more
// undelivered events than the declared bound is lagging from then on.
func (w *World) publish(ev nameEvent) {
	for _, h := range w.open(hSCM) {
		if !h.watching || h.lagging {
			continue
		}
		h.backlog = append(h.backlog, ev)
		w.flush(h)
		if len(h.backlog) > w.scm.set.laggingBound {
			h.lagging, h.backlog = true, nil
		}
	}
}

// flush delivers an SCM handle's accumulated events to its first pending
// request that asks for any of them: every matching name, in order, in one
// notification; the backlog is then empty.
func (w *World) flush(h *oHandle) {
	for _, r := range h.regs {
		if r.apc != nil {
			continue
		}
		var names []string
		var trig uint32
		for _, ev := range h.backlog {
			if r.mask&ev.kind != 0 {
				names = append(names, ev.name)
				trig |= ev.kind
			}
		}
		if len(names) == 0 {
			continue
		}
		if trig&scm.SERVICE_NOTIFY_CREATED != 0 {
			w.assert("scm.notify.created")
		}
		if trig&scm.SERVICE_NOTIFY_DELETED != 0 {
			w.assert("scm.notify.deleted", "scm.notify.deleted-after-handles")
		}
		if len(names) > 1 {
			w.assert("scm.notify.names-accumulate")
		}
		h.backlog = nil
		w.fire(r, sim.ERROR_SUCCESS, trig, svcStatus{}, names)
		return
	}
}

func (w *World) doControl(a Action) {
	h := w.handle(a.H)
	right, valid := controlRight(a.Control)
	want := sim.ERROR_SUCCESS
	filled := false
	switch {
	case w.scm.set.handleBeforeCode && (h == nil || h.closed):
		// The client rejects a value that is no open handle before the call
		// reaches the server.
		w.assert("scm.control.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !valid && w.scm.set.codeFirst:
		w.assert("scm.control.invalid-code")
		if !isOpen(h, hService) {
			w.assert("scm.control.code-before-handle")
		}
		want = sim.ERROR_INVALID_PARAMETER
	case !isOpen(h, hService):
		w.assert("scm.control.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !valid:
		w.assert("scm.control.invalid-code")
		want = sim.ERROR_INVALID_PARAMETER
	case !w.checkAccess(h, right, "scm.control.access"):
		want = sim.ERROR_ACCESS_DENIED
	case w.scm.set.dependentsChecked && a.Control == scm.SERVICE_CONTROL_STOP && w.activeDependent(h.svc):
		w.assert("scm.control.dependents-running")
		want = sim.ERROR_DEPENDENT_SERVICES_RUNNING
	case h.svc.st.state == scm.SERVICE_STOPPED:
		w.assert("scm.control.not-active")
		want, filled = sim.ERROR_SERVICE_NOT_ACTIVE, true
	case h.svc.st.state == scm.SERVICE_STOP_PENDING:
		w.assert("scm.control.stop-pending")
		want, filled = sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case h.svc.st.state == scm.SERVICE_START_PENDING && a.Control != scm.SERVICE_CONTROL_STOP:
		w.assert("scm.control.start-pending")
		want, filled = sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case w.scm.set.secondStopKills && h.svc.run.stopSent:
		// A control after a delivered STOP terminates the service's process:
		// its script ends, its status stays as last reported.
		h.svc.run.ended = true
		w.scm.timers = slices.DeleteFunc(w.scm.timers, func(t *oTimer) bool { return t.run == h.svc.run })
		want, filled = sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	case acceptBit(a.Control) != 0 && h.svc.st.accepted&acceptBit(a.Control) == 0:
		w.assert("scm.control.not-accepted")
		want, filled = sim.ERROR_INVALID_SERVICE_CONTROL, w.scm.set.fillOnInvalidControl
	case h.svc.run == nil || h.svc.run.dead || h.svc.run.ended:
		// Active by a report made after SERVICE_STOPPED (where the profile
		// takes those): no process is left to run the handler.
		w.assert("scm.status.report-after-stopped-wine")
		if a.Control == scm.SERVICE_CONTROL_STOP && h.svc.run != nil {
			h.svc.run.stopSent = true
		}
		want = sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL
	default:
		if acceptBit(a.Control) == 0 {
			w.assert("scm.control.always-accepted")
		}
		if h.svc.st.state == scm.SERVICE_START_PENDING {
			w.assert("scm.control.start-pending")
		}
		if a.Control == scm.SERVICE_CONTROL_STOP {
			h.svc.run.stopSent = true
		}
		w.dispatch(h.svc, a.Control)
		filled = true
	}
	var want1 svcStatus
	if filled {
		want1 = h.svc.st
		w.assert("scm.control.status-filled")
	}
	sentinel := scm.SERVICE_STATUS{ServiceType: 0xDEAD, CurrentState: 0xDEAD}
	got1 := sentinel
	got := w.sc.ControlService(a.thread(), w.value(a.H), a.Control, &got1)
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

func processOf(s scm.SERVICE_STATUS) scm.SERVICE_STATUS_PROCESS {
	return scm.SERVICE_STATUS_PROCESS{ServiceType: s.ServiceType, CurrentState: s.CurrentState, ControlsAccepted: s.ControlsAccepted,
		Win32ExitCode: s.Win32ExitCode, ServiceSpecificExitCode: s.ServiceSpecificExitCode, CheckPoint: s.CheckPoint, WaitHint: s.WaitHint}
}

// activeDependent: a service that names s among its dependencies and is
// not stopped.
func (w *World) activeDependent(s *oSvc) bool {
	for _, d := range w.scm.svcs {
		if d.st.state == scm.SERVICE_STOPPED {
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
func (w *World) dispatch(s *oSvc, control uint32) {
	w.assert("scm.control.dispatch")
	if s.prog == nil || s.prog.StartError != 0 {
		return
	}
	both := scm.SERVICE_ACCEPT_STOP | scm.SERVICE_ACCEPT_PAUSE_CONTINUE
	var now, later scm.SERVICE_STATUS
	switch control {
	case scm.SERVICE_CONTROL_STOP:
		now = scm.SERVICE_STATUS{CurrentState: scm.SERVICE_STOP_PENDING, WaitHint: 1000, CheckPoint: 1}
		later = scm.SERVICE_STATUS{CurrentState: scm.SERVICE_STOPPED}
	case scm.SERVICE_CONTROL_PAUSE:
		now = scm.SERVICE_STATUS{CurrentState: scm.SERVICE_PAUSE_PENDING, ControlsAccepted: both, WaitHint: 1000, CheckPoint: 1}
		later = scm.SERVICE_STATUS{CurrentState: scm.SERVICE_PAUSED, ControlsAccepted: both}
	case scm.SERVICE_CONTROL_CONTINUE:
		now = scm.SERVICE_STATUS{CurrentState: scm.SERVICE_CONTINUE_PENDING, ControlsAccepted: both, WaitHint: 1000, CheckPoint: 1}
		later = scm.SERVICE_STATUS{CurrentState: scm.SERVICE_RUNNING, ControlsAccepted: both}
	default:
		return
	}
	now.ServiceType = s.typ
	r := s.run
	w.applyReport(s, r, now)
	if !r.dead && !r.ended {
		w.schedule(s, s.prog.StepDelay, later)
	}
}

func (w *World) doQuery(a Action) {
	h := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	// The level is checked first (catalog), then a NULL pcbBytesNeeded
	// (the RPC stub refuses it before the handle is sent), the handle and
	// its access.
	switch {
	case a.Op == OpQueryEx && a.Level != scm.SC_STATUS_PROCESS_INFO:
		w.assert("scm.query.level")
		want = sim.ERROR_INVALID_LEVEL
	case a.Op == OpQueryEx && a.NullNeeded:
		w.assert("scm.query.null-buffer")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(h, hService):
		w.assert("scm.query.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !w.checkAccess(h, scm.SERVICE_QUERY_STATUS, "scm.query.access"):
		want = sim.ERROR_ACCESS_DENIED
	}
	args := []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}
	var got sim.Errno
	var ss scm.SERVICE_STATUS_PROCESS
	if a.Op == OpQueryEx {
		got = w.sc.QueryServiceStatusEx(a.thread(), w.value(a.H), a.Level, &ss, a.NullNeeded)
		args = append(args, scenario.Arg{Key: "level", Value: a.Level})
		if a.NullNeeded {
			args = append(args, scenario.Arg{Key: "null_needed", Value: true})
		}
	} else {
		var s scm.SERVICE_STATUS
		got = w.sc.QueryServiceStatus(a.thread(), w.value(a.H), &s)
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
func (w *World) compareStatus(a Action, what string, want svcStatus, got scm.SERVICE_STATUS_PROCESS, r *oRun, withPID bool) {
	g := statusOf(got)
	if !withPID {
		g.pid = want.pid
	}
	if g != want {
		w.fail(a, "%s: got %s, want %s", what, g, want)
		return
	}
	if withPID && want.pid && r != nil {
		if r.pid == 0 {
			r.pid = got.ProcessId
		} else if r.pid != got.ProcessId {
			w.fail(a, "%s: process id %d, but the same run showed %d before", what, got.ProcessId, r.pid)
		}
	}
	// The rules that decided the fields just compared: a service never
	// started since its creation is STOPPED with ERROR_SERVICE_NEVER_STARTED
	// (and process id 0); one whose run reported STOPPED has process id 0.
	switch {
	case r == nil && want.state == scm.SERVICE_STOPPED:
		w.assert("scm.create.stopped")
		if want.exit == uint32(sim.ERROR_SERVICE_NEVER_STARTED) {
			w.assert("scm.create.never-started")
		}
	case r != nil && r.dead && want.state == scm.SERVICE_STOPPED && withPID:
		w.assert("scm.status.stopped-pid-zero")
	}
}

func (w *World) doNotify(a Action) []string {
	h := w.handle(a.H)
	th := a.thread()
	want := sim.ERROR_SUCCESS
	var viol []string
	var reg *oReg
	validVersion := a.Version == scm.SERVICE_NOTIFY_STATUS_CHANGE || a.Version == scm.SERVICE_NOTIFY_STATUS_CHANGE_1
	// Order (the oracle's, where undocumented): handle, access, the mask
	// against the handle kind, the buffer, the service's state.
	checkBuffer := func() bool {
		switch {
		case a.Buffer == "":
			w.assert("scm.notify.null-buffer")
			want = sim.ERROR_INVALID_PARAMETER
		case !validVersion && w.scm.set.versionCheck:
			w.assert("scm.notify.version")
			want = sim.ERROR_INVALID_LEVEL
		default:
			for _, r := range w.scm.regs {
				if r.buf == a.Buffer {
					w.assert("scm.contract.buffer-reused")
					viol = []string{"scm.contract.buffer-reused"}
					break
				}
			}
			return true
		}
		return false
	}
	switch {
	case !isOpen(h, hService) && !isOpen(h, hSCM):
		w.assert("scm.notify.invalid-handle")
		if h != nil && h.closed {
			w.assert("kernel.handle.stale")
		}
		want = sim.ERROR_INVALID_HANDLE
	case h.kind == hService:
		s := h.svc
		switch {
		case !w.checkAccess(h, scm.SERVICE_QUERY_STATUS, "scm.notify.access-service"):
			want = sim.ERROR_ACCESS_DENIED
		case w.scm.set.maskChecked && a.Mask&dbBits != 0:
			w.assert("scm.notify.mask-handle-mismatch")
			want = sim.ERROR_INVALID_PARAMETER
		case w.scm.set.driverNotifyRejected && isDriver(s.typ):
			w.assert("scm.notify.driver-service")
			want = sim.ERROR_INVALID_PARAMETER
		case !checkBuffer():
		case s.marked && w.scm.set.markedChecks:
			w.assert("scm.notify.marked-for-delete")
			want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
		case w.outstandingOn(h) && !w.scm.set.secondReg:
			w.assert("scm.notify.second-registration-win7")
			want = sim.ERROR_ALREADY_REGISTERED
		default:
			concurrent := w.outstandingOn(h)
			if concurrent {
				w.assert("scm.notify.second-registration-win8")
			}
			if a.Mask&^(stateBits|scm.SERVICE_NOTIFY_DELETE_PENDING) != 0 || a.Mask == 0 {
				w.assert("scm.notify.mask-zero")
			}
			reg = w.newReg(h, th, a)
			s.regs = append(s.regs, reg)
			bit := notifyBit(s.st.state)
			switch {
			case a.Mask&bit != 0 && (!h.notified || concurrent):
				// Queued at once, with the current state's bit only.
				w.assert("scm.notify.immediate")
				if a.Mask&stateBits != bit {
					w.assert("scm.notify.immediate-current-bit")
				}
				h.notified = true
				w.fire(reg, sim.ERROR_SUCCESS, bit, s.st, nil)
			case a.Mask&bit != 0:
				w.assert("scm.notify.rearm")
			}
		}
	default: // an SCM handle
		switch {
		case !w.checkAccess(h, scm.SC_MANAGER_ENUMERATE_SERVICE, "scm.notify.access-scm"):
			want = sim.ERROR_ACCESS_DENIED
		case !w.scm.set.scmNotify:
			want = sim.ERROR_CALL_NOT_IMPLEMENTED
		case a.Mask&(stateBits|scm.SERVICE_NOTIFY_DELETE_PENDING) != 0:
			w.assert("scm.notify.mask-handle-mismatch")
			want = sim.ERROR_INVALID_PARAMETER
		case !checkBuffer():
		case h.lagging:
			w.assert("scm.notify.client-lagging")
			want = sim.ERROR_SERVICE_NOTIFY_CLIENT_LAGGING
		case len(h.regs) > 0 && !w.scm.set.secondReg:
			w.assert("scm.notify.second-registration-win7")
			want = sim.ERROR_ALREADY_REGISTERED
		default:
			if len(h.regs) > 0 {
				w.assert("scm.notify.second-registration-win8")
			}
			if a.Mask&dbBits == 0 {
				w.assert("scm.notify.mask-zero")
			}
			w.newReg(h, th, a) // flush delivers to the handle's registrations
			h.watching = true
			w.flush(h)
		}
	}

	var buf *scm.SERVICE_NOTIFY
	if a.Buffer != "" {
		buf = w.scm.buffers[a.Buffer]
		if buf == nil {
			// pContext points elsewhere, so that a callback handed the
			// context instead of the buffer is caught.
			buf = &scm.SERVICE_NOTIFY{Context: &scm.SERVICE_NOTIFY{}}
			w.scm.buffers[a.Buffer] = buf
		}
		buf.Version = a.Version
		buf.NotifyCallback = w.recorder(a.Buffer)
	}
	got := w.sc.NotifyServiceStatusChange(th, w.value(a.H), a.Mask, buf)
	if err := backend.Refusal(w.b); err != nil {
		w.refuse(a, err)
		return nil
	}
	var bufArg any = scenario.Raw(a.Buffer)
	if a.Buffer == "" {
		bufArg = nil
	}
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}, {Key: "mask", Value: constArg(scm.GroupNotifyMask, a.Mask)},
		{Key: "buffer", Value: bufArg}, {Key: "version", Value: a.Version}}, want))
	w.compareCode(a, got, want)
	return viol
}

// outstandingOn reports whether a service handle has a request outstanding
// for the one-request rule: any whose callback has not run, or, where the
// profile forgets a request once it fired, any still waiting for its event.
func (w *World) outstandingOn(h *oHandle) bool {
	for _, r := range h.regs {
		if r.apc == nil || w.scm.set.queuedBlocksSecond {
			return true
		}
	}
	return false
}

func (w *World) newReg(h *oHandle, th string, a Action) *oReg {
	w.scm.regSeq++
	r := &oReg{id: w.scm.regSeq, h: h, thread: th, buf: a.Buffer, mask: a.Mask, version: a.Version}
	if w.scm.bufs[a.Buffer] == nil {
		w.scm.bufs[a.Buffer] = &oBuf{}
	}
	h.regs = append(h.regs, r)
	w.scm.regs = append(w.scm.regs, r)
	return r
}

// recorder is a buffer's callback: it records what it received.
func (w *World) recorder(name string) func(*scm.SERVICE_NOTIFY) {
	return func(n *scm.SERVICE_NOTIFY) {
		w.scm.seen = append(w.scm.seen, seenCallback{
			buffer: name, thread: w.waiting, ptrOK: n == w.scm.buffers[name],
			status: n.NotificationStatus, triggered: n.NotificationTriggered, ss: n.ServiceStatus,
			names: slices.Clone(n.ServiceNames),
		})
	}
}

// checkCallbacks compares the callbacks a wait ran with the oracle's, then
// cross-checks each notification's ServiceStatus with QueryServiceStatusEx
// where the service has not changed since.
func (w *World) checkCallbacks(a Action, want []*oAPC) {
	var items [][]scenario.Arg
	for _, c := range want {
		items = append(items, w.callbackArgs(c))
	}
	if items == nil {
		items = [][]scenario.Arg{}
	}
	// Before any registration with a named buffer, callbacks: [] could
	// not fail (only those callbacks are observed), and the scenario
	// decoder refuses it.
	if w.sc != nil && (len(items) > 0 || len(w.scm.buffers) > 0) {
		w.log(scenario.ScriptStep{Kind: "callbacks", Value: items})
	}
	got := w.scm.seen
	w.scm.seen = nil
	if w.err != nil {
		return
	}
	if len(got) != len(want) {
		w.fail(a, "%d callbacks ran, want %d: got %s", len(got), len(want), seenText(got))
		return
	}
	if _, real := w.b.(backend.Paced); real {
		got = inWantOrder(got, want)
	}
	for i, c := range want {
		g := got[i]
		w.assert("scm.notify.callback-buffer")
		if c.reg.version < scm.SERVICE_NOTIFY_STATUS_CHANGE && w.scm.set.versionLimitsFields && c.status == sim.ERROR_SUCCESS && w.scm.bufs[c.reg.buf].writes == c.write {
			// The fields a level-1 buffer lacks are compared as left out.
			w.assert("scm.notify.version-1-fields")
		}
		switch {
		case g.buffer != c.reg.buf || g.thread != c.reg.thread:
			w.fail(a, "callback %d: buffer %s on %s, want buffer %s on %s", i, g.buffer, g.thread, c.reg.buf, c.reg.thread)
		case !g.ptrOK:
			w.fail(a, "callback %d: the callback did not receive its SERVICE_NOTIFY buffer", i)
		case w.scm.bufs[c.reg.buf].writes != c.write:
			// The buffer was reused for another request meanwhile: its
			// contents are undefined.
		case g.status != c.status:
			w.fail(a, "callback %d (buffer %s): dwNotificationStatus %s, want %s", i, g.buffer, g.status, c.status)
		case c.triggerKnown && g.triggered != c.triggered:
			w.fail(a, "callback %d (buffer %s): dwNotificationTriggered %s, want %s", i, g.buffer, constName(scm.GroupNotifyMask, g.triggered), constName(scm.GroupNotifyMask, c.triggered))
		case c.triggerKnown && !slices.Equal(g.names, c.names):
			w.fail(a, "callback %d (buffer %s): pszServiceNames %q, want %q", i, g.buffer, g.names, c.names)
		default:
			w.compareStatus(a, fmt.Sprintf("callback %d (buffer %s): ServiceStatus", i, g.buffer), c.ss, g.ss, c.run, true)
		}
		if w.err != nil {
			return
		}
	}
	for i, c := range want {
		if c.status != sim.ERROR_SUCCESS || c.svc == nil || c.svc.version != c.svcVersion || w.scm.bufs[c.reg.buf].writes != c.write {
			continue
		}
		w.crossCheck(a, c, got[i])
	}
}

// crossCheck queries the service of a notification through any open handle
// with SERVICE_QUERY_STATUS: the status must equal the notification's,
// process id included.
func (w *World) crossCheck(a Action, c *oAPC, g seenCallback) {
	var via *oHandle
	for _, h := range w.order {
		if isOpen(h, hService) && h.svc == c.svc && h.access&scm.SERVICE_QUERY_STATUS != 0 {
			via = h
			break
		}
	}
	if via == nil {
		return
	}
	w.assert("scm.notify.status-snapshot")
	var ss scm.SERVICE_STATUS_PROCESS
	code := w.sc.QueryServiceStatusEx(a.thread(), w.value(via.name), scm.SC_STATUS_PROCESS_INFO, &ss, false)
	w.log(scenario.ScriptStep{Kind: string(OpQueryEx), Args: []scenario.Arg{{Key: "service", Value: scenario.Raw(via.name)}},
		Thread: threadMod(a.thread()), Expect: expectArgs(c.ss, true), Note: "the status the notification of buffer " + c.reg.buf + " carried"})
	switch {
	case code != sim.ERROR_SUCCESS:
		w.fail(a, "cross-check QueryServiceStatusEx(%s): got %s", via.name, code)
	case ss != g.ss:
		w.fail(a, "the notification of buffer %s carried %+v, but QueryServiceStatusEx says %+v", c.reg.buf, g.ss, ss)
	}
}

func (w *World) callbackArgs(c *oAPC) []scenario.Arg {
	args := []scenario.Arg{{Key: "buffer", Value: scenario.Raw(c.reg.buf)}, {Key: "thread", Value: scenario.Raw(c.reg.thread)}}
	if w.scm.bufs[c.reg.buf].writes != c.write {
		return args
	}
	args = append(args, scenario.Arg{Key: "status", Value: scenario.Raw(c.status.Code().Name())})
	if c.triggerKnown {
		args = append(args, scenario.Arg{Key: "triggered", Value: constArg(scm.GroupNotifyMask, c.triggered)})
	}
	if c.status == sim.ERROR_SUCCESS && c.svc != nil {
		args = append(args, scenario.Arg{Key: "state", Value: constArg(scm.GroupState, c.ss.state)})
	}
	if c.triggerKnown && c.names != nil {
		args = append(args, scenario.Arg{Key: "names", Value: c.names})
	}
	return args
}

func seenText(cs []seenCallback) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("{buffer %s on %s: %s, triggered %s, state %s}", c.buffer, c.thread, c.status,
			constName(scm.GroupNotifyMask, c.triggered), constName(scm.GroupState, c.ss.CurrentState)))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func (w *World) doReport(a Action) []string {
	s := w.scm.svcs[lower(a.Service)]
	if s == nil || s.run == nil {
		w.fail(a, "the oracle knows no run of service %q (the action generator must not produce this)", a.Service)
		return nil
	}
	want, viol := w.applyReport(s, s.run, a.Status)
	got, err := w.b.(backend.ServiceSide).ReportStatus(a.Service, a.Status)
	st := a.Status
	w.log(scenario.ScriptStep{Kind: "report", Want: wantCode(want), Args: []scenario.Arg{
		{Key: "service", Value: a.Service}, {Key: "state", Value: constArg(scm.GroupState, st.CurrentState)},
		{Key: "accepted", Value: constArg(scm.GroupAccept, st.ControlsAccepted)}, {Key: "exit_code", Value: st.Win32ExitCode},
		{Key: "specific_exit_code", Value: st.ServiceSpecificExitCode}, {Key: "checkpoint", Value: st.CheckPoint},
		{Key: "wait_hint", Value: st.WaitHint}, {Key: "type", Value: constArg(scm.GroupServiceType, st.ServiceType)},
	}})
	w.failIf(a, "", err)
	if err == nil {
		w.compareCode(a, got, want)
	}
	return viol
}

func (w *World) doProgram(a Action) {
	s := w.scm.svcs[lower(a.Service)]
	if s == nil {
		w.fail(a, "the oracle knows no service %q (the action generator must not produce this)", a.Service)
		return
	}
	p := a
	s.prog = &p
	var prog scm.Program
	var args []scenario.Arg
	if a.StartError != 0 {
		prog.StartError = sim.Errno(a.StartError)
		args = []scenario.Arg{{Key: "service", Value: a.Service}, {Key: "start_error", Value: scenario.Raw(sim.Errno(a.StartError).Code().Name())}}
	} else {
		prog = scm.TypicalProgram(a.StartDelay, a.StepDelay)
		args = []scenario.Arg{{Key: "service", Value: a.Service}, {Key: "typical", Value: []scenario.Arg{
			{Key: "start_delay", Value: scenario.Raw(a.StartDelay.String())}, {Key: "step_delay", Value: scenario.Raw(a.StepDelay.String())}}}}
	}
	w.log(scenario.ScriptStep{Kind: "program", Args: args})
	w.failIf(a, "", w.b.(backend.ServiceSide).SetProgram(a.Service, prog))
}

// constTable names SCM constants for scenario steps and messages.
var constTable = func() *sim.ConstTable {
	t, err := sim.NewConstTable(scm.Constants())
	if err != nil {
		panic(err)
	}
	return t
}()

func constName(group string, v uint32) string { return constTable.Format(group, v) }

// constArg writes a constant by name when every bit has one, else as a
// number.
func constArg(group string, v uint32) any {
	s := constTable.Format(group, v)
	if strings.Contains(s, "0x") || s == "0" {
		return v
	}
	return scenario.Raw(s)
}

func controlArg(c uint32) any {
	if n := constTable.Name(scm.GroupControl, c); n != "" {
		return scenario.Raw(n)
	}
	return c
}

// expectArgs is the expect: of a status; withPID adds the process id as
// zero or nonzero.
func expectArgs(s svcStatus, withPID bool) []scenario.Arg {
	args := []scenario.Arg{
		{Key: "state", Value: constArg(scm.GroupState, s.state)}, {Key: "accepted", Value: constArg(scm.GroupAccept, s.accepted)},
		{Key: "exit_code", Value: s.exit}, {Key: "specific_exit_code", Value: s.specific},
		{Key: "checkpoint", Value: s.checkpoint}, {Key: "wait_hint", Value: s.waitHint},
	}
	if withPID {
		pid := "zero"
		if s.pid {
			pid = "nonzero"
		}
		args = append(args, scenario.Arg{Key: "pid", Value: scenario.Raw(pid)})
	}
	return append(args, scenario.Arg{Key: "type", Value: constArg(scm.GroupServiceType, s.typ)})
}
