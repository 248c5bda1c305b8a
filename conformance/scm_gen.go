package conformance

import (
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// scmGenerators returns the generators of the SCM's action kinds.
func scmGenerators() []Generator {
	svcAccess := []uint32{win32.SERVICE_ALL_ACCESS, win32.SERVICE_ALL_ACCESS, win32.SERVICE_ALL_ACCESS, 0, win32.SERVICE_QUERY_STATUS,
		win32.SERVICE_START | win32.SERVICE_QUERY_STATUS, win32.SERVICE_STOP | win32.SERVICE_PAUSE_CONTINUE, win32.DELETE,
		win32.GENERIC_READ, win32.GENERIC_EXECUTE | win32.GENERIC_READ, win32.SERVICE_INTERROGATE | win32.SERVICE_USER_DEFINED_CONTROL}
	return []Generator{
		{Name: "OpenSCManager", Family: "SCM", Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpOpenSCM, Thread: pickThread(c), As: w.newVar("scm"), Args: scmArgs{access: pick(c, "access", win32.SC_MANAGER_ALL_ACCESS, win32.SC_MANAGER_ALL_ACCESS, uint32(0), win32.SC_MANAGER_ENUMERATE_SERVICE, win32.SC_MANAGER_CREATE_SERVICE, win32.GENERIC_READ, win32.GENERIC_WRITE)}}
			args := argsOf[scmArgs](a)
			switch c.Intn(12, "odd-open") {
			case 0:
				args.machine = strp(`\\elsewhere`)
			case 1:
				args.database = pick(c, "database", strp(win32.SERVICES_ACTIVE_DATABASE), strp(win32.SERVICES_FAILED_DATABASE), strp("Nonesuch"), strp("servicesactive"))
			}
			a.Args = args
			return a, true
		}},
		{Name: "CreateService", Family: "SCM", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			a := create(w.newVar("svc"), w.pickHandle(c, hSCM), pick(c, "name", servicePool...), pick(c, "access", svcAccess...))
			args := argsOf[scmArgs](a)
			a.Thread = pickThread(c)
			if c.Intn(4, "has-deps") == 0 {
				args.deps = []string{pick(c, "dep", servicePool...)}
			}
			if c.Intn(3, "odd") > 0 {
				a.Args = args
				return a, true
			}
			// One parameter off the beaten track.
			switch c.Intn(13, "oddity") {
			case 0:
				args.name = nil
			case 1:
				args.name = pick(c, "bad-name", strp(""), strp("a/b"), strp(`a\b`))
			case 2:
				args.binary = pick(c, "bad-binary", nil, strp(""))
			case 3:
				args.serviceType = pick(c, "bad-type", 0x3, win32.SERVICE_KERNEL_DRIVER|win32.SERVICE_INTERACTIVE_PROCESS, 0)
			case 4:
				args.startType = pick(c, "bad-start", win32.SERVICE_BOOT_START, win32.SERVICE_SYSTEM_START, 5)
			case 5:
				args.serviceType = win32.SERVICE_KERNEL_DRIVER
			case 6:
				args.startType = win32.SERVICE_DISABLED
			case 10:
				args.serviceType = pick(c, "type", win32.SERVICE_WIN32_SHARE_PROCESS, win32.SERVICE_WIN32_OWN_PROCESS|win32.SERVICE_INTERACTIVE_PROCESS)
				args.startType = win32.SERVICE_AUTO_START
			case 7:
				args.display = strp("Display " + pick(c, "display-of", servicePool...))
			case 8:
				args.display = strp(pick(c, "display-name", servicePool...))
			case 9:
				args.name = strp(strings.ToUpper(*args.name))
			default:
				args.access = 0
			}
			a.Args = args
			return a, true
		}},
		{Name: "OpenService", Family: "SCM", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			name := pick(c, "name", strp("alpha"), strp("beta"), strp("gamma"), strp("ALPHA"), strp("Display beta"), strp("nonesuch"), nil)
			return Action{Op: OpOpen, Thread: pickThread(c), As: w.newVar("svc"), H: w.pickHandle(c, hSCM), Args: scmArgs{name: name, access: pick(c, "access", svcAccess...)}}, true
		}},
		{Name: "CloseServiceHandle", Family: "SCM", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpCloseService, Thread: pickThread(c), H: w.pickHandle(c, hService, hService, hSCM)}, true
		}},
		{Name: "DeleteService", Family: "SCM", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpDelete, Thread: pickThread(c), H: w.pickHandle(c, hService)}, true
		}},
		{Name: "StartService", Family: "SCM", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpStart, Thread: pickThread(c), H: w.pickHandle(c, hService)}, true
		}},
		{Name: "ControlService", Family: "SCM", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			ctl := pick(c, "control", win32.SERVICE_CONTROL_STOP, win32.SERVICE_CONTROL_STOP, win32.SERVICE_CONTROL_PAUSE, win32.SERVICE_CONTROL_CONTINUE,
				win32.SERVICE_CONTROL_INTERROGATE, win32.SERVICE_CONTROL_PARAMCHANGE, win32.SERVICE_CONTROL_NETBINDADD, win32.SERVICE_CONTROL_SHUTDOWN,
				0, 11, 127, 128, 200, 255, 256)
			return Action{Op: OpControl, Thread: pickThread(c), H: w.pickHandle(c, hService), Args: scmArgs{control: ctl}}, true
		}},
		{Name: "QueryServiceStatus", Family: "SCM", Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: pick(c, "op", OpQueryEx, OpQueryEx, OpQuery), Thread: pickThread(c), H: w.pickHandle(c, hService)}
			args := argsOf[scmArgs](a)
			if a.Op == OpQueryEx {
				// One draw for both, so that adding NULL pcbBytesNeeded
				// left the rest of every generated run as it was.
				k := c.Intn(6, "level")
				args.level = []uint32{0, 0, 0, 0, 1, 0}[k]
				args.nullNeeded = k == 5
			}
			a.Args = args
			return a, true
		}},
		{Name: "NotifyServiceStatusChange", Family: "SCM", Weight: 4, Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpNotify, Thread: pickThread(c), Args: scmArgs{version: pick(c, "version", uint32(2), 2, 2, 2, 2, 2, 1, 0, 3)}}
			args := argsOf[scmArgs](a)
			if c.Intn(5, "on-scm") == 0 {
				a.H = w.pickHandle(c, hSCM)
				args.mask = pick(c, "mask", win32.SERVICE_NOTIFY_CREATED, win32.SERVICE_NOTIFY_DELETED, dbBits, dbBits, win32.SERVICE_NOTIFY_RUNNING, 0)
			} else {
				a.H = w.pickHandle(c, hService)
				args.mask = pick(c, "mask", win32.SERVICE_NOTIFY_STOPPED, win32.SERVICE_NOTIFY_RUNNING, win32.SERVICE_NOTIFY_STOPPED|win32.SERVICE_NOTIFY_RUNNING,
					stateBits, win32.SERVICE_NOTIFY_START_PENDING|win32.SERVICE_NOTIFY_STOP_PENDING, win32.SERVICE_NOTIFY_PAUSED|win32.SERVICE_NOTIFY_PAUSE_PENDING,
					win32.SERVICE_NOTIFY_DELETE_PENDING, win32.SERVICE_NOTIFY_RUNNING|win32.SERVICE_NOTIFY_DELETE_PENDING, 0, 0x400, win32.SERVICE_NOTIFY_CREATED)
			}
			args.buffer = w.pickBuffer(c)
			a.Args = args
			return a, true
		}},
		{Name: "report", Family: "SCM", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			var started []string
			for _, n := range servicePool {
				if s := w.scm().svcs[n]; s != nil && s.run != nil {
					started = append(started, n)
				}
			}
			if len(started) == 0 {
				return Action{}, false
			}
			st := win32.SERVICE_STATUS{
				ServiceType:      pick(c, "type", win32.SERVICE_WIN32_OWN_PROCESS, win32.SERVICE_WIN32_OWN_PROCESS, win32.SERVICE_WIN32_OWN_PROCESS, win32.SERVICE_WIN32_OWN_PROCESS, win32.SERVICE_KERNEL_DRIVER),
				CurrentState:     pick[win32.ServiceState](c, "state", 1, 2, 3, 4, 4, 4, 5, 6, 7, 0, 8),
				ControlsAccepted: pick(c, "accepted", 0, win32.SERVICE_ACCEPT_STOP, win32.SERVICE_ACCEPT_STOP|win32.SERVICE_ACCEPT_PAUSE_CONTINUE, win32.SERVICE_ACCEPT_PARAMCHANGE|win32.SERVICE_ACCEPT_NETBINDCHANGE),
				Win32ExitCode:    pick(c, "exit", uint32(0), 0, 0, 1066),
				CheckPoint:       pick(c, "checkpoint", uint32(0), 0, 3),
				WaitHint:         pick(c, "wait-hint", uint32(0), 0, 500),
			}
			if st.Win32ExitCode == 1066 {
				st.ServiceSpecificExitCode = 7
			}
			return Action{Op: OpReport, Args: scmArgs{service: pick(c, "service", started...), status: st}}, true
		}},
		{Name: "program", Family: "SCM", Gen: func(w *World, c Chooser) (Action, bool) {
			var stopped []string
			for _, n := range servicePool {
				if s := w.scm().svcs[n]; s != nil && s.st.state == win32.SERVICE_STOPPED {
					stopped = append(stopped, n)
				}
			}
			if len(stopped) == 0 {
				return Action{}, false
			}
			a := Action{Op: OpProgram, Args: scmArgs{service: pick(c, "service", stopped...), startDelay: pick(c, "start-delay", time.Duration(0), 10*time.Millisecond, 50*time.Millisecond), stepDelay: pick(c, "step-delay", 10*time.Millisecond, 50*time.Millisecond)}}
			args := argsOf[scmArgs](a)
			if c.Intn(5, "fails") == 0 {
				args.startError = uint32(pick(c, "start-error", sim.ERROR_FILE_NOT_FOUND, sim.ERROR_BAD_EXE_FORMAT, sim.ERROR_SERVICE_REQUEST_TIMEOUT))
			}
			a.Args = args
			return a, true
		}},
	}
}

// pickBuffer chooses a notify buffer: mostly one with no request
// outstanding, sometimes any (a reuse the documentation forbids), rarely
// NULL.
func (w *World) pickBuffer(c Chooser) string {
	names := []string{"n1", "n2", "n3", "n4", "n5", "n6"}
	var free []string
	for _, n := range names {
		if !slices.ContainsFunc(w.scm().regs, func(r *oReg) bool { return r.buf == n }) {
			free = append(free, n)
		}
	}
	r := c.Intn(16, "buffer-choice")
	switch {
	case r == 0:
		return ""
	case r < 14 && len(free) > 0:
		return pick(c, "free-buffer", free...)
	}
	return pick(c, "buffer", names...)
}
