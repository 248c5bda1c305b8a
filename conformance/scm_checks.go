package conformance

import (
	"strings"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The SCM family: its checks, and the description of its property (the
// rapid state machine in scm_property_test.go, whose actions include the
// kernel's events and waits).
// scmPropertyCovers are the ids the SCM property's oracle asserts at the
// default depth, under every profile together; TestPropertyCovers holds the
// property to it.
var scmPropertyCovers = []string{
	"kernel.close.not-kernel-object", "kernel.handle.stale", "kernel.wait.alertable-sleep", "kernel.wait.deadlock",
	"kernel.wait.duplicate-wait-all", "kernel.wait.duplicate-wait-all-wine", "kernel.wait.invalid-handle", "kernel.wait.non-alertable", "kernel.wait.object-index",
	"kernel.wait.signaled-before-apc", "kernel.wait.timeout",
	"scm.access.generic-mapping", "scm.close.invalid-handle", "scm.close.scm-keeps-services",
	"scm.contract.buffer-reused", "scm.contract.report-after-stopped",
	"scm.control.access", "scm.control.always-accepted", "scm.control.code-before-handle",
	"scm.control.dispatch", "scm.control.invalid-code", "scm.control.invalid-handle", "scm.control.not-accepted",
	"scm.control.not-active", "scm.control.start-pending", "scm.control.status-filled", "scm.control.stop-pending",
	"scm.create.access", "scm.create.access-irrelevant", "scm.create.duplicate-display", "scm.create.duplicate-display-wine", "scm.create.empty-binary",
	"scm.create.exists", "scm.create.invalid-handle", "scm.create.invalid-name", "scm.create.invalid-type",
	"scm.create.marked-for-delete", "scm.create.never-started", "scm.create.null-name-or-binary", "scm.create.stopped",
	"scm.delete.access", "scm.delete.invalid-handle", "scm.delete.removed-when-closed", "scm.delete.twice", "scm.delete.waits-for-stop",
	"scm.notify.access-scm", "scm.notify.access-service", "scm.notify.alertable-only", "scm.notify.callback-buffer",
	"scm.notify.cancel-on-close", "scm.notify.cancel-queued", "scm.notify.created", "scm.notify.delete-pending",
	"scm.notify.deleted", "scm.notify.deleted-after-handles", "scm.notify.driver-service", "scm.notify.immediate",
	"scm.notify.immediate-current-bit", "scm.notify.invalid-handle", "scm.notify.marked-for-delete", "scm.notify.mask-handle-mismatch",
	"scm.notify.mask-zero", "scm.notify.null-buffer", "scm.notify.one-shot", "scm.notify.per-handle", "scm.notify.rearm",
	"scm.notify.registering-thread", "scm.notify.second-registration-win7", "scm.notify.second-registration-win8",
	"scm.notify.status-marked", "scm.notify.status-snapshot", "scm.notify.transition", "scm.notify.unrequested-state",
	"scm.notify.version",
	"scm.open.invalid-handle", "scm.open.marked-for-delete", "scm.open.null-name", "scm.open.unknown",
	"scm.null-args-before-handle-wine",
	"scm.openscm.access-zero", "scm.openscm.database-case-wine", "scm.openscm.database-failed", "scm.openscm.database-unknown", "scm.openscm.remote-machine",
	"scm.query.access", "scm.query.invalid-handle", "scm.query.level", "scm.query.null-buffer",
	"scm.start.access", "scm.start.already-running", "scm.start.disabled", "scm.start.image-error", "scm.start.invalid-handle",
	"scm.start.marked-for-delete", "scm.start.no-dispatcher", "scm.start.returns-before-report", "scm.start.start-pending",
	"scm.status.any-order", "scm.status.final-states-zero-hints", "scm.status.invalid-handle", "scm.status.invalid-state", "scm.status.report-after-stopped-wine",
	"scm.status.stopped-pid-zero",
}

func openSCM(as string, access uint32) Action {
	return Action{Op: OpOpenSCM, As: as, Args: scmArgs{access: access}}
}

func create(as, scmH, name string, access uint32) Action {
	return Action{Op: OpCreate, As: as, H: scmH, Args: scmArgs{name: strp(name), access: access, serviceType: win32.SERVICE_WIN32_OWN_PROCESS, startType: win32.SERVICE_DEMAND_START, binary: strp(`C:\svc.exe`)}}
}

// with changes an SCM action's arguments.
func with(a Action, f func(*scmArgs)) Action {
	args := argsOf[scmArgs](a)
	f(&args)
	a.Args = args
	return a
}

func openSvc(as, scmH, name string, access uint32) Action {
	return Action{Op: OpOpen, As: as, H: scmH, Args: scmArgs{name: strp(name), access: access}}
}
func closeService(h string) Action { return Action{Op: OpCloseService, H: h} }
func del(h string) Action          { return Action{Op: OpDelete, H: h} }
func start(h string) Action        { return Action{Op: OpStart, H: h} }
func control(h string, c win32.ServiceControl) Action {
	return Action{Op: OpControl, H: h, Args: scmArgs{control: c}}
}
func query(h string) Action { return Action{Op: OpQueryEx, H: h} }
func notify(h string, mask win32.ServiceNotifyMask, buf string) Action {
	return Action{Op: OpNotify, H: h, Args: scmArgs{mask: mask, buffer: buf, version: win32.SERVICE_NOTIFY_STATUS_CHANGE}}
}
func report(svc string, state win32.ServiceState, accepted win32.ServiceAccept) Action {
	return Action{Op: OpReport, Args: scmArgs{service: svc, status: win32.SERVICE_STATUS{ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, CurrentState: state, ControlsAccepted: accepted}}}
}
func typical(svc string, startDelay, stepDelay time.Duration) Action {
	return Action{Op: OpProgram, Args: scmArgs{service: svc, startDelay: startDelay, stepDelay: stepDelay}}
}
func failing(svc string, code sim.Errno) Action {
	return Action{Op: OpProgram, Args: scmArgs{service: svc, startError: uint32(code)}}
}

const (
	all    = win32.SERVICE_ALL_ACCESS
	mgrAll = win32.SC_MANAGER_ALL_ACCESS
	accept = win32.SERVICE_ACCEPT_STOP | win32.SERVICE_ACCEPT_PAUSE_CONTINUE
)

// scmSetup opens the SCM as "scm" and creates "svc" (named name) with every
// right.
func scmSetup(name string) []Action {
	return []Action{openSCM("scm", mgrAll), create("svc", "scm", name, all)}
}

// running starts svc (named name) with a typical program and lets it reach
// RUNNING.
func running(name string) []Action {
	return seq(scmSetup(name), []Action{typical(name, 10*time.Millisecond, 10*time.Millisecond), start("svc"), advance(10 * time.Millisecond)})
}

var (
	win78   = []string{"win8", "win7"}
	win8    = []string{"win8"}
	win7    = []string{"win7"}
	win7wne = []string{"win7", "wine-8.0"}
	wine    = []string{"wine-8.0"}
)

// serviceReports are the ServiceReports checks' reports: invalid states and
// types, hints in final states, an unusual order, STOPPED, and a report
// after it.
func serviceReports() []Action {
	return []Action{
		start("svc"), report("reporter", 0, 0), report("reporter", 8, 0),
		with(report("reporter", win32.SERVICE_RUNNING, accept), func(s *scmArgs) { s.status.ServiceType = win32.SERVICE_KERNEL_DRIVER }),
		with(report("reporter", win32.SERVICE_RUNNING, accept), func(s *scmArgs) { s.status.CheckPoint, s.status.WaitHint = 4, 500 }), query("svc"),
		report("reporter", win32.SERVICE_START_PENDING, 0), report("reporter", win32.SERVICE_PAUSED, accept), query("svc"),
		with(report("reporter", win32.SERVICE_STOPPED, accept), func(s *scmArgs) { s.status.Win32ExitCode = 1066; s.status.ServiceSpecificExitCode = 9 }), query("svc"),
		report("reporter", win32.SERVICE_RUNNING, 0), query("svc"),
	}
}

func scmChecks() []Check {
	c := func(name string, covers []string, profiles []string, actions ...[]Action) Check {
		return Check{Family: "SCM", Name: name, Covers: covers, Profiles: profiles, Actions: seq(actions...)}
	}
	ids := func(s ...string) []string { return s }
	// offUnderWine marks claimed ids whose rules a wine-8.0 setting switches
	// off (see Check.Undecided).
	offUnderWine := func(ch Check, ids ...string) Check {
		ch.Undecided = map[string][]string{"wine-8.0": ids}
		return ch
	}
	return []Check{
		offUnderWine(c("OpenSCManager", ids("scm.openscm.access-zero", "scm.openscm.database-unknown", "scm.openscm.database-failed", "scm.openscm.remote-machine"), nil, []Action{
			openSCM("m0", 0), {Op: OpOpenSCM, As: "m1", Args: scmArgs{database: strp("Nonesuch")}}, {Op: OpOpenSCM, As: "m2", Args: scmArgs{database: strp(win32.SERVICES_FAILED_DATABASE)}},
			{Op: OpOpenSCM, As: "m3", Args: scmArgs{machine: strp(`\\elsewhere`)}}, {Op: OpOpenSCM, As: "m4", Args: scmArgs{machine: strp("."), database: strp("servicesactive")}},
		}), "scm.openscm.remote-machine"),
		c("GenericAccess", ids("scm.access.generic-mapping"), nil, []Action{
			openSCM("r", win32.GENERIC_READ), openSCM("w", win32.GENERIC_WRITE),
			create("svc", "r", "gen", all), create("svc", "w", "gen", win32.GENERIC_READ|win32.GENERIC_EXECUTE),
			query("svc"), start("svc"), del("svc"),
		}),
		c("CreateServiceErrors", ids("scm.create.invalid-handle", "scm.create.null-name-or-binary", "scm.create.access", "scm.create.invalid-name", "scm.create.empty-binary", "scm.create.invalid-type"), nil, []Action{
			openSCM("scm", mgrAll), openSCM("weak", win32.SC_MANAGER_CONNECT),
			create("x", RefNULL, "a", all), with(create("x", "weak", "a", all), func(s *scmArgs) { s.name = nil }),
			create("x", "weak", "", all), create("x", "scm", "a/b", all), create("x", "scm", `a\b`, all),
			with(create("x", "scm", "a", all), func(s *scmArgs) { s.binary = strp("") }),
			with(create("x", "scm", "a", all), func(s *scmArgs) { s.serviceType = 0x3 }),
			with(create("x", "scm", "a", all), func(s *scmArgs) { s.startType = win32.SERVICE_BOOT_START }),
			with(create("x", "scm", "a", all), func(s *scmArgs) { s.serviceType = win32.SERVICE_KERNEL_DRIVER | win32.SERVICE_INTERACTIVE_PROCESS }),
		}),
		c("CreateServiceLimits", ids("scm.create.name-too-long", "scm.create.invalid-error-control"), win78, createLimits()),
		c("CreateServiceLimitsWine", ids("scm.create.name-too-long-wine", "scm.create.error-control-wine"), wine, createLimits()),
		c("CreateServiceConflicts", ids("scm.create.exists", "scm.create.duplicate-display", "scm.create.marked-for-delete"), nil, scmSetup("one"), []Action{
			create("x", "scm", "ONE", all), with(create("x", "scm", "two", all), func(s *scmArgs) { s.display = strp("one") }),
			with(create("three", "scm", "three", all), func(s *scmArgs) { s.display = strp("Third") }), create("x", "scm", "third", all),
			del("svc"), create("x", "scm", "one", all), closeService("svc"), create("again", "scm", "one", all),
		}),
		c("CreateServiceStatus", ids("scm.create.stopped", "scm.create.never-started", "scm.create.access-irrelevant"), nil, []Action{
			openSCM("scm", mgrAll), create("h0", "scm", "fresh", 0), del("h0"), openSvc("svc", "scm", "fresh", all), query("svc"),
		}),
		c("OpenService", ids("scm.open.invalid-handle", "scm.open.null-name", "scm.open.unknown", "scm.open.marked-for-delete"), nil,
			scmSetup("opened"), []Action{
				with(create("x", "scm", "other", all), func(s *scmArgs) { s.display = strp("Other Service") }),
				openSvc("x", RefNULL, "opened", all), openSvc("x", "svc", "opened", all), {Op: OpOpen, As: "x", H: "scm", Args: scmArgs{access: all}},
				openSvc("x", "scm", "nonesuch", all), openSvc("x", "scm", "Other Service", all), openSvc("upper", "scm", "OPENED", all),
				del("svc"), openSvc("x", "scm", "opened", all),
			}),
		c("CloseServiceHandle", ids("scm.close.invalid-handle", "scm.close.scm-keeps-services"), nil, scmSetup("closing"), []Action{
			closeService(RefNULL), closeService(RefBogus), closeService("scm"), query("svc"), closeService("svc"), closeService("svc"),
		}),
		c("DeleteService", ids("scm.delete.access", "scm.delete.invalid-handle", "scm.delete.twice", "scm.delete.removed-when-closed", "scm.delete.waits-for-stop"), nil,
			running("doomed"), []Action{
				openSvc("q", "scm", "doomed", win32.SERVICE_QUERY_STATUS), del("q"), del(RefNULL), del("scm"),
				del("svc"), del("svc"), closeService("svc"), query("q"), closeService("q"),
				report("doomed", win32.SERVICE_STOPPED, 0), openSvc("x", "scm", "doomed", all),
			}),
		offUnderWine(c("StartService", ids("scm.start.start-pending", "scm.start.returns-before-report", "scm.start.invalid-handle", "scm.start.access", "scm.start.disabled", "scm.start.marked-for-delete", "scm.start.already-running"), nil,
			scmSetup("starter"), []Action{
				openSvc("q", "scm", "starter", win32.SERVICE_QUERY_STATUS), start("q"), start(RefInvalid), start("scm"),
				typical("starter", 50*time.Millisecond, 10*time.Millisecond), start("svc"), query("svc"), start("svc"),
				advance(50 * time.Millisecond), query("svc"), start("svc"),
				with(create("off", "scm", "off", all), func(s *scmArgs) { s.startType = win32.SERVICE_DISABLED }), start("off"), del("off"), start("off"),
				create("gone", "scm", "gone", all), del("gone"), start("gone"),
			}), "scm.start.marked-for-delete"),
		c("StartFailures", ids("scm.start.image-error", "scm.start.no-dispatcher"), nil, scmSetup("broken"), []Action{
			failing("broken", sim.ERROR_FILE_NOT_FOUND), start("svc"), start("svc"), query("svc"),
			failing("broken", sim.ERROR_BAD_EXE_FORMAT), start("svc"),
			failing("broken", sim.ERROR_SERVICE_REQUEST_TIMEOUT), start("svc"), query("svc"),
		}),
		c("ServiceReports", ids("scm.status.invalid-state", "scm.status.invalid-handle", "scm.status.final-states-zero-hints", "scm.status.any-order", "scm.status.stopped-pid-zero", "scm.contract.report-after-stopped"), win78,
			scmSetup("reporter"), serviceReports()),
		c("ServiceReportsWine", ids("scm.status.any-order", "scm.status.stopped-pid-zero", "scm.contract.report-after-stopped", "scm.status.report-after-stopped-wine"), wine,
			scmSetup("reporter"), serviceReports(), []Action{
				report("reporter", win32.SERVICE_RUNNING, accept), control("svc", win32.SERVICE_CONTROL_INTERROGATE), control("svc", win32.SERVICE_CONTROL_STOP),
				control("svc", win32.SERVICE_CONTROL_PAUSE), query("svc"), report("reporter", win32.SERVICE_STOPPED, 0), query("svc"),
			}),
		c("DatabaseNameCaseWine", ids("scm.openscm.database-case-wine", "scm.openscm.database-failed"), wine, []Action{
			{Op: OpOpenSCM, As: "m1", Args: scmArgs{database: strp("servicesactive")}}, {Op: OpOpenSCM, As: "m2", Args: scmArgs{database: strp("SERVICESFAILED")}},
			{Op: OpOpenSCM, As: "m3", Args: scmArgs{database: strp(win32.SERVICES_FAILED_DATABASE)}}, {Op: OpOpenSCM, As: "m4", Args: scmArgs{database: strp(win32.SERVICES_ACTIVE_DATABASE)}},
		}),
		c("DisplayNamesWine", ids("scm.create.duplicate-display-wine", "scm.create.duplicate-display"), wine, scmSetup("one"), []Action{
			with(create("two", "scm", "two", all), func(s *scmArgs) { s.display = strp("one") }),
			with(create("three", "scm", "three", all), func(s *scmArgs) { s.display = strp("TWO") }),
			with(create("four", "scm", "four", all), func(s *scmArgs) { s.display = strp("Disp Four") }),
			create("x", "scm", "disp four", all),
			with(create("five", "scm", "Disp Four", all), func(s *scmArgs) { s.display = strp("Other") }),
			with(create("x", "scm", "six", all), func(s *scmArgs) { s.display = strp("disp four") }),
		}),
		c("DisplayNamesShared", ids("scm.create.display-shared", "scm.create.duplicate-display"), win8, scmSetup("one"), []Action{
			with(create("two", "scm", "two", all), func(s *scmArgs) { s.display = strp("Shown") }),
			with(create("three", "scm", "three", all), func(s *scmArgs) { s.display = strp("SHOWN") }),
			with(create("x", "scm", "four", all), func(s *scmArgs) { s.display = strp("one") }),
			create("x", "scm", "shown", all), openSvc("q", "scm", "three", win32.SERVICE_QUERY_STATUS), query("q"),
		}),
		c("DisplayNamesSharedWin7", ids("scm.create.display-shared-win7"), win7, scmSetup("one"), []Action{
			with(create("two", "scm", "two", all), func(s *scmArgs) { s.display = strp("Shown") }),
			with(create("x", "scm", "three", all), func(s *scmArgs) { s.display = strp("SHOWN") }),
			openSvc("x", "scm", "three", win32.SERVICE_QUERY_STATUS),
		}),
		c("NullArgsBeforeHandleWine", ids("scm.null-args-before-handle-wine", "scm.open.invalid-handle", "scm.create.invalid-handle"), wine, scmSetup("held"), []Action{
			{Op: OpOpen, As: "x", H: RefNULL, Args: scmArgs{access: all}}, {Op: OpOpen, As: "x", H: RefBogus, Args: scmArgs{access: all}}, {Op: OpOpen, As: "x", H: "svc", Args: scmArgs{access: all}},
			with(create("x", RefNULL, "a", all), func(s *scmArgs) { s.name = nil }),
			with(create("x", RefBogus, "a", all), func(s *scmArgs) { s.name = nil }),
			with(create("x", RefBogus, "a", all), func(s *scmArgs) { s.binary = nil }),
			with(create("x", "svc", "a", all), func(s *scmArgs) { s.binary = nil }),
			openSvc("x", "svc", "held", all), openSvc("x", RefBogus, "held", all), create("x", "svc", "a", all),
		}),
		c("QueryServiceStatus", ids("scm.query.access", "scm.query.invalid-handle", "scm.query.level", "scm.query.null-buffer"), nil, scmSetup("queried"), []Action{
			openSvc("weak", "scm", "queried", win32.SERVICE_START), query("weak"), {Op: OpQuery, H: "weak"}, query(RefNULL), query("scm"),
			{Op: OpQueryEx, H: "svc", Args: scmArgs{level: 1}}, {Op: OpQuery, H: "svc"}, query("svc"),
			{Op: OpQueryEx, H: "weak", Args: scmArgs{level: 1}}, {Op: OpQueryEx, H: RefNULL, Args: scmArgs{level: 1}}, {Op: OpQueryEx, H: "scm", Args: scmArgs{level: 1}},
			{Op: OpQueryEx, H: "svc", Args: scmArgs{nullNeeded: true}}, {Op: OpQueryEx, H: "svc", Args: scmArgs{level: 1, nullNeeded: true}},
			{Op: OpQueryEx, H: "weak", Args: scmArgs{nullNeeded: true}}, {Op: OpQueryEx, H: RefNULL, Args: scmArgs{nullNeeded: true}},
		}),
		c("ControlErrors", ids("scm.control.invalid-code", "scm.control.code-before-handle", "scm.control.invalid-handle", "scm.control.access"), nil,
			running("controlled"), []Action{
				control(RefNULL, 5), control("scm", 5), control(RefNULL, win32.SERVICE_CONTROL_STOP), control("svc", 0), control("svc", 11), control("svc", 127), control("svc", 256),
				openSvc("weak", "scm", "controlled", win32.SERVICE_QUERY_STATUS),
				control("weak", win32.SERVICE_CONTROL_STOP), control("weak", win32.SERVICE_CONTROL_PAUSE), control("weak", win32.SERVICE_CONTROL_INTERROGATE),
				control("weak", 200), control("weak", win32.SERVICE_CONTROL_PARAMCHANGE),
			}),
		c("ControlStates", ids("scm.control.not-active", "scm.control.stop-pending", "scm.control.start-pending", "scm.control.not-accepted", "scm.control.always-accepted", "scm.control.status-filled"), nil,
			scmSetup("states"), []Action{
				control("svc", win32.SERVICE_CONTROL_STOP), control("svc", win32.SERVICE_CONTROL_INTERROGATE),
				start("svc"), control("svc", win32.SERVICE_CONTROL_PAUSE), control("svc", win32.SERVICE_CONTROL_INTERROGATE), control("svc", win32.SERVICE_CONTROL_STOP),
				report("states", win32.SERVICE_RUNNING, win32.SERVICE_ACCEPT_STOP), control("svc", win32.SERVICE_CONTROL_PAUSE), control("svc", win32.SERVICE_CONTROL_PARAMCHANGE),
				control("svc", win32.SERVICE_CONTROL_INTERROGATE), control("svc", 128), control("svc", 255),
				report("states", win32.SERVICE_STOP_PENDING, win32.SERVICE_ACCEPT_STOP), control("svc", win32.SERVICE_CONTROL_STOP), control("svc", win32.SERVICE_CONTROL_INTERROGATE),
			}),
		c("ControlDispatch", ids("scm.control.dispatch"), nil, running("dispatched"), []Action{
			control("svc", win32.SERVICE_CONTROL_PAUSE), query("svc"), advance(10 * time.Millisecond), query("svc"),
			control("svc", win32.SERVICE_CONTROL_CONTINUE), advance(10 * time.Millisecond),
			control("svc", win32.SERVICE_CONTROL_STOP), query("svc"), advance(10 * time.Millisecond), query("svc"),
		}),
		offUnderWine(c("ControlDependents", ids("scm.control.dependents-running"), nil, running("base"), []Action{
			with(create("dep", "scm", "dep", all), func(s *scmArgs) { s.deps = []string{"base"} }),
			control("svc", win32.SERVICE_CONTROL_STOP), start("dep"), control("svc", win32.SERVICE_CONTROL_STOP),
			report("dep", win32.SERVICE_STOPPED, 0), control("svc", win32.SERVICE_CONTROL_STOP),
		}), "scm.control.dependents-running"),
		offUnderWine(c("NotifyErrors", ids("scm.notify.invalid-handle", "scm.notify.access-service", "scm.notify.access-scm", "scm.notify.mask-handle-mismatch", "scm.notify.driver-service", "scm.notify.version", "scm.notify.null-buffer"), nil,
			scmSetup("watched"), []Action{
				notify(RefNULL, win32.SERVICE_NOTIFY_RUNNING, "n1"), notify(RefBogus, win32.SERVICE_NOTIFY_RUNNING, "n1"),
				openSvc("weak", "scm", "watched", win32.SERVICE_START), notify("weak", win32.SERVICE_NOTIFY_RUNNING, "n1"),
				openSCM("weakscm", win32.SC_MANAGER_CONNECT), notify("weakscm", win32.SERVICE_NOTIFY_CREATED, "n1"),
				notify("svc", win32.SERVICE_NOTIFY_CREATED, "n1"), notify("svc", win32.SERVICE_NOTIFY_RUNNING, ""),
				with(notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), func(s *scmArgs) { s.version = 3 }),
				with(create("drv", "scm", "drv", all), func(s *scmArgs) { s.serviceType = win32.SERVICE_KERNEL_DRIVER }),
				notify("drv", win32.SERVICE_NOTIFY_RUNNING, "n2"), sleep(0, true),
			}), "scm.notify.mask-handle-mismatch", "scm.notify.driver-service", "scm.notify.version"),
		c("NotifyImmediate", ids("scm.notify.immediate", "scm.notify.immediate-current-bit", "scm.notify.callback-buffer", "scm.notify.alertable-only"), nil,
			scmSetup("immediate"), []Action{
				notify("svc", win32.SERVICE_NOTIFY_STOPPED|win32.SERVICE_NOTIFY_RUNNING, "n1"), sleep(10, false), sleep(10, true),
			}),
		c("NotifyTransition", ids("scm.notify.transition", "scm.notify.unrequested-state", "scm.notify.one-shot", "scm.notify.status-snapshot"), nil,
			scmSetup("moving"), []Action{
				typical("moving", 20*time.Millisecond, 10*time.Millisecond),
				notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), start("svc"), sleep(100, true),
				notify("svc", win32.SERVICE_NOTIFY_STOPPED|win32.SERVICE_NOTIFY_STOP_PENDING, "n2"), control("svc", win32.SERVICE_CONTROL_STOP),
				advance(10 * time.Millisecond), sleep(0, true), query("svc"),
			}),
		c("NotifyRearm", ids("scm.notify.rearm"), nil, scmSetup("rearmed"), []Action{
			notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n1"), sleep(0, true), notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n1"), sleep(0, true),
			start("svc"), report("rearmed", win32.SERVICE_STOPPED, 0), sleep(0, true),
		}),
		c("NotifySecondRegistrationWin8", ids("scm.notify.second-registration-win8"), win8, scmSetup("twice"), []Action{
			notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), notify("svc", win32.SERVICE_NOTIFY_STOPPED|win32.SERVICE_NOTIFY_RUNNING, "n2"),
			sleep(0, true), start("svc"), report("twice", win32.SERVICE_RUNNING, 0), sleep(0, true),
		}),
		c("NotifySecondRegistrationWin7", ids("scm.notify.second-registration-win7"), win7wne, scmSetup("twice"), []Action{
			notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), notify("svc", win32.SERVICE_NOTIFY_STOPPED|win32.SERVICE_NOTIFY_RUNNING, "n2"),
			sleep(0, true), start("svc"), report("twice", win32.SERVICE_RUNNING, 0), sleep(0, true),
		}),
		c("NotifyPerHandle", ids("scm.notify.per-handle"), nil, scmSetup("shared"), []Action{
			openSvc("h2", "scm", "shared", all), notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), notify("h2", win32.SERVICE_NOTIFY_RUNNING, "n2"),
			start("svc"), report("shared", win32.SERVICE_RUNNING, 0), sleep(0, true),
		}),
		c("NotifyRegisteringThread", ids("scm.notify.registering-thread"), nil, scmSetup("threaded"), []Action{
			on("worker", notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n1")), sleep(10, true), on("worker", sleep(10, true)),
		}),
		offUnderWine(c("NotifyCancel", ids("scm.notify.cancel-on-close", "scm.notify.cancel-queued"), nil, scmSetup("cancelled"), []Action{
			openSvc("h1", "scm", "cancelled", all), notify("h1", win32.SERVICE_NOTIFY_RUNNING, "n1"), closeService("h1"),
			openSvc("h2", "scm", "cancelled", all), notify("h2", win32.SERVICE_NOTIFY_STOPPED, "n2"), closeService("h2"),
			start("svc"), report("cancelled", win32.SERVICE_RUNNING, 0), sleep(10, true),
		}), "scm.notify.cancel-queued"),
		c("NotifyDelete", ids("scm.notify.delete-pending", "scm.notify.status-marked", "scm.notify.marked-for-delete"), win78, scmSetup("deleted"), []Action{
			openSvc("h2", "scm", "deleted", all), notify("svc", win32.SERVICE_NOTIFY_DELETE_PENDING|win32.SERVICE_NOTIFY_RUNNING, "n1"),
			notify("h2", win32.SERVICE_NOTIFY_RUNNING, "n2"), del("svc"), sleep(0, true), notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n3"),
		}),
		c("NotifyDatabase", ids("scm.notify.created", "scm.notify.deleted", "scm.notify.deleted-after-handles", "scm.notify.names-accumulate", "scm.notify.mask-zero"), win78, []Action{
			openSCM("scm", mgrAll), openSCM("zero", mgrAll), notify("zero", 0, "n0"),
			openSCM("watch", mgrAll), notify("watch", win32.SERVICE_NOTIFY_CREATED, "n1"),
			create("a", "scm", "first", all), sleep(0, true), create("b", "scm", "second", all), create("c", "scm", "third", all),
			notify("watch", win32.SERVICE_NOTIFY_CREATED|win32.SERVICE_NOTIFY_DELETED, "n1"), sleep(0, true),
			notify("watch", win32.SERVICE_NOTIFY_DELETED, "n1"), del("a"), sleep(0, true), closeService("a"), sleep(0, true),
		}),
		c("NotifyLagging", ids("scm.notify.client-lagging"), win78, lagging()),
		c("BufferReused", ids("scm.contract.buffer-reused"), nil, scmSetup("reused"), []Action{
			notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n1"), sleep(0, true),
		}),
	}
}

// lagging makes an SCM handle fall behind: it registers for DELETED once,
// then more services are created than the declared bound without any of
// their events being delivered.
func lagging() []Action {
	out := []Action{openSCM("scm", mgrAll), openSCM("watch", mgrAll), notify("watch", win32.SERVICE_NOTIFY_DELETED, "n1")}
	for i := range 17 {
		n := string(rune('a'+i%26)) + "lag"
		out = append(out, create("s"+n, "scm", n, all))
	}
	return append(out, notify("watch", win32.SERVICE_NOTIFY_CREATED, "n2"), closeService("watch"),
		openSCM("again", mgrAll), notify("again", win32.SERVICE_NOTIFY_CREATED, "n3"))
}

// createLimits creates services at and past the documented limits: a
// 256-character name and SERVICE_ERROR_CRITICAL are accepted, a
// 257-character name and an error control of 4 are not (on Windows; Wine
// 8.0 fails the long name late and takes any error control).
func createLimits() []Action {
	errorControl := func(v win32.ServiceErrorControl) func(*scmArgs) { return func(s *scmArgs) { s.errorControl = &v } }
	return []Action{
		openSCM("scm", mgrAll),
		with(create("critical", "scm", "critical", all), errorControl(win32.SERVICE_ERROR_CRITICAL)),
		with(create("x", "scm", "four", all), errorControl(win32.SERVICE_ERROR_CRITICAL+1)),
		openSvc("x", "scm", "four", all),
		create("x", "scm", strings.Repeat("m", 257), all),
		// Last: the real binding declines it (its name prefix would make it
		// too long), and a check ends at a declined call.
		create("n256", "scm", strings.Repeat("n", 256), all),
	}
}
