package conformance

import (
	"fmt"
	"strings"
	"time"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The SCM part of the oracle. Each rule below is stated from the behavior
// catalog (the sim/scm rule statements and their sources: the SDK pages,
// Wine's conformance tests); where an order of checks is not documented the
// order is stated here and named as the oracle's assumption.

// scmArgs are the SCM calls' arguments (Action.Args). The cross-check
// QueryServiceStatusEx calls that the oracle adds after a callback hold a
// crossCheck instead, and so pass level 0 and a non-NULL pcbBytesNeeded.
type scmArgs struct {
	// CreateService, OpenService and OpenSCManager: the names (nil passes
	// NULL), the machine and the database, the dependencies and the
	// desired access.
	name, display, binary *string
	machine, database     *string
	deps                  []string
	access                uint32
	// serviceType and startType are CreateService's dwServiceType and
	// dwStartType; errorControl its dwErrorControl (nil passes
	// SERVICE_ERROR_NORMAL).
	serviceType  win32.ServiceType
	startType    win32.ServiceStartType
	errorControl *win32.ServiceErrorControl

	control win32.ServiceControl // ControlService's dwControl
	level   uint32               // QueryServiceStatusEx's InfoLevel
	// nullNeeded: QueryServiceStatusEx passes a NULL pcbBytesNeeded.
	nullNeeded bool
	// NotifyServiceStatusChange: the mask, the buffer by name ("" passes
	// NULL) and the buffer's dwVersion.
	mask    win32.ServiceNotifyMask
	buffer  string
	version uint32

	// report and program: the service by name, and the status reported.
	service string
	status  win32.SERVICE_STATUS
	// program: a well-behaved service (win32.TypicalProgram) with these
	// delays, or a start failure when startError is nonzero.
	startDelay, stepDelay time.Duration
	startError            uint32
}

// scmState is the oracle's Service Control Manager: the services database,
// the notification buffers and outstanding requests, the scripted
// programs' timers, and the callbacks seen.
//
// The records point at each other (a handle at its service, a request at
// its handle, a callback at its request); clone copies them all, so that
// a step's state shares no pointer with the state it came from.
type scmState struct {
	hasAPI   bool // the backend implements the SCM family
	set      settings
	svcs     map[string]*oSvc // the services database, by lower-case name
	hs       []*scHandle      // every handle, in the order it was bound
	timers   []*oTimer
	timerSeq int
	regSeq   int
	runSeq   int
	bufs     map[string]int // writes to each notify buffer, by name
	regs     []*oReg        // outstanding notification requests, in call order
	apcs     map[string][]*oAPC
	// named says a NotifyServiceStatusChange call named a buffer: from
	// then on a wait's callbacks are asserted, none included.
	named bool
}

// scHandle is the oracle's view of one SC_HANDLE.
type scHandle struct {
	name   string
	kind   hkind
	closed bool
	// access is the granted specific rights, after generic mapping;
	// generic says the caller asked with GENERIC_* bits.
	access  uint32
	generic bool
	// viaGeneric are the rights granted through the generic mapping alone.
	viaGeneric uint32

	svc *oSvc // hService
	// notified is the re-arm flag: the handle was told about the service's
	// current state.
	notified bool
	regs     []*oReg // outstanding requests made on the handle, in call order

	// hSCM: whether it has registered once (CREATED/DELETED events are kept
	// for it from then on), the events not yet delivered, and lagging.
	watching bool
	backlog  []nameEvent
	lagging  bool
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

	// The configuration calls' settings. The oracle has no configuration
	// step yet (QueryServiceConfig, ChangeServiceConfig, their level-2
	// forms, EnumServicesStatusEx): it reads them so that its statement
	// stays whole, and no property judges them; the bundled scenarios do
	// (TestSettingKill flips each).
	dependenciesReturned bool // QueryServiceConfig reports the dependencies
	displayDefaulted     bool // a service without a display name reports its key name
	config2Levels        bool // failure actions and the delayed start are kept
	enumPartial          bool // EnumServicesStatusEx returns the entries that fit
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
	"scm.config.dependencies-returned", "scm.config.display-name-defaulted", "scm.config2.failure-and-delayed-levels", "scm.enum.partial-results",
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
		dependenciesReturned: r.bool("scm.config.dependencies-returned"),
		displayDefaulted:     r.bool("scm.config.display-name-defaulted"),
		config2Levels:        r.bool("scm.config2.failure-and-delayed-levels"),
		enumPartial:          r.bool("scm.enum.partial-results"),
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
	typ                                  win32.ServiceType
	state                                win32.ServiceState
	accepted                             win32.ServiceAccept
	exit, specific, checkpoint, waitHint uint32
	pid                                  bool
}

func statusOf(s win32.SERVICE_STATUS_PROCESS) svcStatus {
	return svcStatus{s.ServiceType, s.CurrentState, s.ControlsAccepted, s.Win32ExitCode, s.ServiceSpecificExitCode, s.CheckPoint, s.WaitHint, s.ProcessId != 0}
}

func (s svcStatus) String() string {
	pid := "zero"
	if s.pid {
		pid = "nonzero"
	}
	return fmt.Sprintf("{type %s, %s, accepted %s, exit %d/%d, checkpoint %d, wait hint %d, pid %s}",
		constName(win32.GroupServiceType, s.typ), constName(win32.GroupState, s.state), constName(win32.GroupAccept, s.accepted),
		s.exit, s.specific, s.checkpoint, s.waitHint, pid)
}

// oSvc is a record of the services database.
type oSvc struct {
	name, display string
	named         bool // the display name was given, not taken from the key name
	typ           win32.ServiceType
	start         win32.ServiceStartType
	deps          []string
	st            svcStatus
	marked        bool
	open          int // open service handles
	prog          *scmArgs
	run           *oRun
	version       int     // counts status changes
	regs          []*oReg // outstanding requests on its handles, in call order
}

// oRun is one run of a service: from StartService to its STOPPED report.
type oRun struct {
	id       int  // the run's number: the World keeps the process id it showed
	dead     bool // the status handle is gone (the run reported STOPPED)
	ended    bool // the process was terminated: no scripted report follows
	stopSent bool // a STOP was delivered to this run
}

// oReg is one outstanding NotifyServiceStatusChange request.
type oReg struct {
	id          int
	h           *scHandle
	thread, buf string
	mask        win32.ServiceNotifyMask
	version     uint32
	apc         *oAPC // set once the callback is queued
}

// oAPC is a queued notification callback, with what the buffer holds.
type oAPC struct {
	reg          *oReg
	cancelled    bool
	status       sim.Errno
	triggered    win32.ServiceNotifyMask
	triggerKnown bool // the buffer's level defines dwNotificationTriggered
	ss           svcStatus
	names        []string
	svc          *oSvc
	run          *oRun
	svcVersion   int
	write        int // the buffer write that filled it
}

type oTimer struct {
	at  time.Duration
	seq int
	svc *oSvc
	run *oRun
	rep win32.SERVICE_STATUS
}

type nameEvent struct {
	kind win32.ServiceNotifyMask
	name string
}

// seenCallback is a callback as it ran.
type seenCallback struct {
	buffer, thread string
	ptrOK          bool
	status         sim.Errno
	triggered      win32.ServiceNotifyMask
	ss             win32.SERVICE_STATUS_PROCESS
	names          []string
}

// inWantOrder puts the callbacks a real system ran in the order the oracle
// lists them, matching buffer and thread. The order in which one change
// queues the callbacks of several requests is not documented, and on a real
// system each request completes on its own (under Wine 8.0 two handles'
// requests for one state change were seen to run in either order).
// Callbacks that match none keep their places, so they still fail.
func inWantOrder(got []seenCallback, want []wantCallback) []seenCallback {
	out := make([]seenCallback, len(got))
	used := make([]bool, len(got))
	placed := make([]bool, len(want))
	for i, c := range want {
		for j, g := range got {
			if !used[j] && g.buffer == c.buf && g.thread == c.thread {
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

func isOpen(h *scHandle, k hkind) bool { return h != nil && !h.closed && h.kind == k }

const generic = win32.GENERIC_READ | win32.GENERIC_WRITE | win32.GENERIC_EXECUTE | win32.GENERIC_ALL

// grantSCM maps a requested SCM access to the specific rights granted: the
// generic mapping of "Service Security and Access Rights", and
// SC_MANAGER_CONNECT always.
func grantSCM(access uint32) uint32 {
	g := access
	if access&win32.GENERIC_READ != 0 {
		g |= win32.SC_MANAGER_ENUMERATE_SERVICE | win32.SC_MANAGER_QUERY_LOCK_STATUS
	}
	if access&win32.GENERIC_WRITE != 0 {
		g |= win32.SC_MANAGER_CREATE_SERVICE | win32.SC_MANAGER_MODIFY_BOOT_CONFIG
	}
	if access&win32.GENERIC_EXECUTE != 0 {
		g |= win32.SC_MANAGER_CONNECT | win32.SC_MANAGER_LOCK
	}
	if access&win32.GENERIC_ALL != 0 {
		g |= win32.SC_MANAGER_ALL_ACCESS
	}
	return g | win32.SC_MANAGER_CONNECT
}

// grantService is the same mapping for a service handle.
func grantService(access uint32) uint32 {
	g := access
	if access&win32.GENERIC_READ != 0 {
		g |= win32.SERVICE_QUERY_CONFIG | win32.SERVICE_QUERY_STATUS | win32.SERVICE_INTERROGATE | win32.SERVICE_ENUMERATE_DEPENDENTS
	}
	if access&win32.GENERIC_WRITE != 0 {
		g |= win32.SERVICE_CHANGE_CONFIG
	}
	if access&win32.GENERIC_EXECUTE != 0 {
		g |= win32.SERVICE_START | win32.SERVICE_STOP | win32.SERVICE_PAUSE_CONTINUE | win32.SERVICE_USER_DEFINED_CONTROL
	}
	if access&win32.GENERIC_ALL != 0 {
		g |= win32.SERVICE_ALL_ACCESS
	}
	return g
}

// checkAccess applies an access check to h. The access rule id decides
// only a denial, so it is credited only then; the generic mapping decides
// when the caller asked with GENERIC_* bits and the right is missing, or
// when the right was granted through the mapping alone.
func (e *ksEdit) checkAccess(h *scHandle, right uint32, id string) bool {
	ok := h.access&right != 0
	if !ok {
		e.assert(id)
	}
	if (h.generic && !ok) || h.viaGeneric&right != 0 {
		e.assert("scm.access.generic-mapping")
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
func validTypes(typ win32.ServiceType, start win32.ServiceStartType) bool {
	switch typ &^ win32.SERVICE_INTERACTIVE_PROCESS {
	case win32.SERVICE_WIN32_OWN_PROCESS, win32.SERVICE_WIN32_SHARE_PROCESS:
		if start == win32.SERVICE_BOOT_START || start == win32.SERVICE_SYSTEM_START {
			return false
		}
	case win32.SERVICE_KERNEL_DRIVER, win32.SERVICE_FILE_SYSTEM_DRIVER:
		if typ&win32.SERVICE_INTERACTIVE_PROCESS != 0 {
			return false
		}
	default:
		return false
	}
	return start <= win32.SERVICE_DISABLED
}

func isDriver(typ win32.ServiceType) bool {
	return typ&(win32.SERVICE_KERNEL_DRIVER|win32.SERVICE_FILE_SYSTEM_DRIVER) != 0
}

// notifyBit is the SERVICE_NOTIFY_* bit of a state: 1 << (state-1).
func notifyBit(state win32.ServiceState) win32.ServiceNotifyMask { return 1 << (state - 1) }

const (
	stateBits = win32.SERVICE_NOTIFY_STOPPED | win32.SERVICE_NOTIFY_START_PENDING | win32.SERVICE_NOTIFY_STOP_PENDING |
		win32.SERVICE_NOTIFY_RUNNING | win32.SERVICE_NOTIFY_CONTINUE_PENDING | win32.SERVICE_NOTIFY_PAUSE_PENDING | win32.SERVICE_NOTIFY_PAUSED
	dbBits = win32.SERVICE_NOTIFY_CREATED | win32.SERVICE_NOTIFY_DELETED
)

// controlRight is the right a control needs (ControlService's table), and
// whether ControlService accepts the code at all: the listed controls and
// 128-255; SHUTDOWN and 11-127 are not.
func controlRight(c win32.ServiceControl) (uint32, bool) {
	switch {
	case c == win32.SERVICE_CONTROL_STOP:
		return win32.SERVICE_STOP, true
	case c == win32.SERVICE_CONTROL_PAUSE, c == win32.SERVICE_CONTROL_CONTINUE, c == win32.SERVICE_CONTROL_PARAMCHANGE,
		c >= win32.SERVICE_CONTROL_NETBINDADD && c <= win32.SERVICE_CONTROL_NETBINDDISABLE:
		return win32.SERVICE_PAUSE_CONTINUE, true
	case c == win32.SERVICE_CONTROL_INTERROGATE:
		return win32.SERVICE_INTERROGATE, true
	case c >= 128 && c <= 255:
		return win32.SERVICE_USER_DEFINED_CONTROL, true
	}
	return 0, false
}

// acceptBit is the controls-accepted bit a control needs; INTERROGATE and
// user-defined codes need none.
func acceptBit(c win32.ServiceControl) win32.ServiceAccept {
	switch {
	case c == win32.SERVICE_CONTROL_STOP:
		return win32.SERVICE_ACCEPT_STOP
	case c == win32.SERVICE_CONTROL_PAUSE, c == win32.SERVICE_CONTROL_CONTINUE:
		return win32.SERVICE_ACCEPT_PAUSE_CONTINUE
	case c == win32.SERVICE_CONTROL_PARAMCHANGE:
		return win32.SERVICE_ACCEPT_PARAMCHANGE
	case c >= win32.SERVICE_CONTROL_NETBINDADD && c <= win32.SERVICE_CONTROL_NETBINDDISABLE:
		return win32.SERVICE_ACCEPT_NETBINDCHANGE
	}
	return 0
}

// sameDatabase compares a database name with a known one: without regard
// to case (the catalog), or exactly where the profile says so.
func (e *ksEdit) sameDatabase(name, db string) bool {
	if e.s.set.databaseCaseExact {
		return name == db
	}
	return strings.EqualFold(name, db)
}

func strArg(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// constName names v as a constant of group, for scenario steps and
// messages; a typed value (a state, a mask) names as its number would.
func constName[T ~uint32](group string, v T) string { return win32.FormatConst(group, uint32(v)) }

// constArg writes a constant by name when every bit has one, else as a
// number (a plain uint32, whatever v's type).
func constArg[T ~uint32](group string, v T) any {
	s := win32.FormatConst(group, uint32(v))
	if strings.Contains(s, "0x") || s == "0" {
		return uint32(v)
	}
	return scenario.Raw(s)
}

// controlArg writes a control code by name, or as a number (a plain
// uint32) when it has none.
func controlArg(c win32.ServiceControl) any {
	if n := win32.ConstName(win32.GroupControl, uint32(c)); n != "" {
		return scenario.Raw(n)
	}
	return uint32(c)
}

// expectArgs is the expect: of a status; withPID adds the process id as
// zero or nonzero.
func expectArgs(s svcStatus, withPID bool) []scenario.Arg {
	args := []scenario.Arg{
		{Key: "state", Value: constArg(win32.GroupState, s.state)}, {Key: "accepted", Value: constArg(win32.GroupAccept, s.accepted)},
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
	return append(args, scenario.Arg{Key: "type", Value: constArg(win32.GroupServiceType, s.typ)})
}
