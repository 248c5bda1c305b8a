package scm

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// dispatcherTimeout is how long StartService waits for a new service process
// to connect its control dispatcher (the ServicesPipeTimeout default), and
// how long ControlService waits for a handler.
const dispatcherTimeout = 30 * time.Second

// startWaitHint is the wait hint the SCM sets when it moves a service to
// START_PENDING.
const startWaitHint = 2000

// OpenSCManager opens the services database. machine must be NULL, empty or
// "." (the local machine); database NULL or SERVICES_ACTIVE_DATABASE.
// SC_MANAGER_CONNECT is always granted.
func (mg *Manager) OpenSCManager(t *sim.Thread, machine, database *string, access uint32) (sim.Handle, sim.Errno) {
	mg.begin(t, "OpenSCManager")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("OpenSCManager(%s, %s, %s)", fmtStr(machine), fmtStr(database), fmtConst(win32.GroupSCMAccess, access))
	}
	if machine != nil && *machine != "" && *machine != "." && mg.setting(&settingRemoteUnavailable) {
		return mg.retHandle(t, call, 0, sim.RPC_S_SERVER_UNAVAILABLE)
	}
	if database != nil && !mg.sameDatabase(*database, win32.SERVICES_ACTIVE_DATABASE) {
		// SERVICES_FAILED_DATABASE names a database that does not exist;
		// any other name is not a database.
		failed := mg.sameDatabase(*database, win32.SERVICES_FAILED_DATABASE)
		failed = sim.FaultBroken("scm.openscm.database-failed", failed, false)
		if failed {
			return mg.retHandle(t, call, 0, sim.ERROR_DATABASE_DOES_NOT_EXIST)
		}
		return mg.retHandle(t, call, 0, sim.FaultBroken("scm.openscm.database-unknown", sim.ERROR_INVALID_NAME, sim.ERROR_SUCCESS))
	}
	// SC_MANAGER_CONNECT is always granted, so no access mask is refused.
	denied := sim.FaultBroken("scm.openscm.access-zero", false, access == 0)
	if denied {
		return mg.retHandle(t, call, 0, sim.ERROR_ACCESS_DENIED)
	}
	mg.nextSCM++
	mh := &scmHandle{access: mapSCMAccess(access), opened: mg.nextSCM}
	return mg.retHandle(t, call, kernel.Handles(t).Insert(mh, mh.access), sim.ERROR_SUCCESS)
}

// sameDatabase compares a database name with a known one as the profile's
// SCM does: without regard to case, or exactly (Wine 8.0).
func (mg *Manager) sameDatabase(name, db string) bool {
	exact := mg.setting(&settingDatabaseCaseSensitive)
	exact = sim.FaultBroken("scm.openscm.database-case-wine", exact, false)
	if exact {
		return name == db
	}
	return strings.EqualFold(name, db)
}

// nullBeforeHandle reports whether a call that found no open SCM handle
// fails on its NULL string pointer instead: the handle is not NULL, and the
// profile's client checks the pointers first (Wine 8.0).
func (mg *Manager) nullBeforeHandle(h sim.Handle, null bool) bool {
	pointersFirst := null && h != 0 && mg.setting(&settingNullArgsBeforeHandle)
	pointersFirst = sim.FaultBroken("scm.null-args-before-handle-wine", pointersFirst, false)
	return pointersFirst
}

// CreateService adds a service to the database and opens a handle to it with
// p.DesiredAccess. The new service is SERVICE_STOPPED.
func (mg *Manager) CreateService(t *sim.Thread, hSCManager sim.Handle, p win32.CreateServiceParams) (sim.Handle, sim.Errno) {
	mg.begin(t, "CreateService")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("CreateService(%s, %s, %s, %s, %s, %s)", hSCManager, fmtStr(p.Name), fmtConst(win32.GroupSvcAccess, p.DesiredAccess),
			fmtConst(win32.GroupServiceType, p.ServiceType), fmtConst(win32.GroupStartType, p.StartType), fmtStr(p.BinaryPath))
	}
	if code := mg.createArgsRefused(t, hSCManager, p); code != sim.ERROR_SUCCESS {
		return mg.retHandle(t, call, 0, code)
	}
	name := *p.Name
	display, named := name, false
	if p.DisplayName != nil && *p.DisplayName != "" {
		display, named = *p.DisplayName, true
	}
	if code := mg.nameConflict(name, display); code != sim.ERROR_SUCCESS {
		return mg.retHandle(t, call, 0, code)
	}
	// A new service is SERVICE_STOPPED, and its exit code says it never
	// started.
	state := sim.FaultBroken("scm.create.stopped", win32.SERVICE_STOPPED, win32.SERVICE_PAUSED)
	exitCode := sim.FaultBroken("scm.create.never-started", uint32(sim.ERROR_SERVICE_NEVER_STARTED), 0)
	svc := &service{
		name: name, display: display, namedDisplay: named, binary: *p.BinaryPath,
		startType: p.StartType, errorControl: p.ErrorControl,
		deps:   append([]string(nil), p.Dependencies...),
		status: win32.SERVICE_STATUS_PROCESS{ServiceType: p.ServiceType, CurrentState: state, Win32ExitCode: exitCode},
		cfg:    config{startName: mg.defaultStartName(p.ServiceType, p.ServiceStartName)},
	}
	if p.LoadOrderGroup != nil {
		svc.cfg.group = *p.LoadOrderGroup
	}
	mg.services[key(name)] = svc
	mg.indexDisplay(svc, 1)
	for _, d := range svc.deps {
		mg.dependents[key(d)] = append(mg.dependents[key(d)], svc)
	}
	h := mg.openHandle(t, svc, sim.FaultBroken("scm.create.access-irrelevant", p.DesiredAccess, win32.SERVICE_ALL_ACCESS))
	kernel.Tracef(mg.m, t, sim.EvTransition, "%s created, SERVICE_STOPPED", name)
	// SCM handles watching for SERVICE_NOTIFY_CREATED learn the new name.
	notify := sim.FaultBroken("scm.notify.created", true, false)
	if notify {
		mg.publishName(nameEvent{win32.SERVICE_NOTIFY_CREATED, "/" + name})
	}
	return mg.retHandle(t, call, h, sim.ERROR_SUCCESS)
}

// createArgsRefused makes CreateService's checks of its arguments in the
// order Windows makes them (CreateServiceW): the SCM handle, the NULL
// pointers, the handle's access, the name and its length, then the binary
// path, the types and the error control (createParamsRefused).
func (mg *Manager) createArgsRefused(t *sim.Thread, hSCManager sim.Handle, p win32.CreateServiceParams) sim.Errno {
	mh, ok := lookupSCM(t, hSCManager)
	if !ok {
		if mg.nullBeforeHandle(hSCManager, p.Name == nil || p.BinaryPath == nil) {
			return sim.ERROR_INVALID_ADDRESS
		}
		return sim.FaultBroken("scm.create.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED)
	}
	if p.Name == nil || p.BinaryPath == nil {
		return sim.FaultBroken("scm.create.null-name-or-binary", sim.ERROR_INVALID_ADDRESS, sim.ERROR_INVALID_PARAMETER)
	}
	// CreateService needs SC_MANAGER_CREATE_SERVICE on the SCM handle.
	denied := mh.access&win32.SC_MANAGER_CREATE_SERVICE == 0
	denied = sim.FaultBroken("scm.create.access", denied, false)
	if denied {
		return sim.ERROR_ACCESS_DENIED
	}
	if !validServiceName(*p.Name) {
		return sim.FaultBroken("scm.create.invalid-name", sim.ERROR_INVALID_NAME, sim.ERROR_INVALID_PARAMETER)
	}
	// The name is at most 256 characters (CreateServiceW, lpServiceName);
	// the profile says whether the length is checked here.
	tooLong := nameTooLong(*p.Name) && mg.setting(&settingNameLengthChecked)
	tooLong = sim.FaultBroken("scm.create.name-too-long", tooLong, false)
	if tooLong {
		return sim.ERROR_INVALID_NAME
	}
	return mg.createParamsRefused(p)
}

// createParamsRefused checks CreateService's binary path, types and error
// control: a binary path is not empty, the service type and start type fit
// together, and dwErrorControl is one of SERVICE_ERROR_IGNORE ..
// SERVICE_ERROR_CRITICAL (CreateServiceW; ReactOS RCreateServiceW), which
// Wine 8.0 does not check (settingErrorControlChecked).
func (mg *Manager) createParamsRefused(p win32.CreateServiceParams) sim.Errno {
	emptyBinary := *p.BinaryPath == ""
	emptyBinary = sim.FaultBroken("scm.create.empty-binary", emptyBinary, false)
	badTypes := !validTypes(p.ServiceType, p.StartType)
	badTypes = sim.FaultBroken("scm.create.invalid-type", badTypes, false)
	checked := mg.setting(&settingErrorControlChecked)
	checked = sim.FaultBroken("scm.create.invalid-error-control", checked, false)
	checked = sim.FaultBroken("scm.create.error-control-wine", checked, true)
	badErrorControl := p.ErrorControl > win32.SERVICE_ERROR_CRITICAL && checked
	if emptyBinary || badTypes || badErrorControl {
		return sim.ERROR_INVALID_PARAMETER
	}
	return sim.ERROR_SUCCESS
}

// nameConflict checks a new service's names against the database: a
// service of that name (ERROR_SERVICE_MARKED_FOR_DELETE while the old one
// is marked), a display name in use (displayTaken), and, under Wine 8.0, a
// name too long for the service's registry key, found only when it is
// written (ERROR_GEN_FAILURE).
func (mg *Manager) nameConflict(name, display string) sim.Errno {
	if old := mg.services[key(name)]; old != nil {
		if old.marked {
			return sim.FaultBroken("scm.create.marked-for-delete", sim.ERROR_SERVICE_MARKED_FOR_DELETE, sim.ERROR_SERVICE_EXISTS)
		}
		return sim.FaultBroken("scm.create.exists", sim.ERROR_SERVICE_EXISTS, sim.ERROR_DUPLICATE_SERVICE_NAME)
	}
	taken := mg.displayTaken(name, display)
	taken = sim.FaultBroken("scm.create.duplicate-display", taken, false)
	if taken {
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	}
	// A profile that checked the length refused the name already.
	keyFails := nameTooLong(name)
	keyFails = sim.FaultBroken("scm.create.name-too-long-wine", keyFails, false)
	if keyFails {
		return sim.ERROR_GEN_FAILURE
	}
	return sim.ERROR_SUCCESS
}

// nameTooLong reports whether a service name has more than maxServiceName
// characters.
func nameTooLong(name string) bool { return utf8.RuneCountInString(name) > maxServiceName }

// displayTaken: a display name may match no other service's key name, and
// the key name no other service's display name. A display name another
// service was given is refused too, except where the profile lets display
// names be shared (Windows 10 1709 and later). Under Wine 8.0 only the new
// display name (the key name when none is given) is compared, with the
// display names other services were given.
func (mg *Manager) displayTaken(name, display string) bool {
	againstNames := mg.setting(&settingDisplayAgainstNames)
	againstNames = sim.FaultBroken("scm.create.duplicate-display-wine", againstNames, true)
	if againstNames {
		if mg.services[key(display)] != nil || mg.displayUsed(name, false) {
			return true
		}
		shared := mg.setting(&settingDisplayShared)
		shared = sim.FaultBroken("scm.create.display-shared", shared, false)
		shared = sim.FaultBroken("scm.create.display-shared-win7", shared, true)
		return !shared && mg.displayUsed(display, false)
	}
	return mg.displayUsed(display, true)
}

// displayUsed reports whether another service has d as its display name
// (only a display name it was given, when given is set; otherwise also its
// key name standing in for one).
func (mg *Manager) displayUsed(d string, given bool) bool {
	if given {
		return mg.displays.given[key(d)] > 0
	}
	return mg.displays.all[key(d)] > 0
}

// indexDisplay adds n (1 or -1) to the display-name counts of svc.
func (mg *Manager) indexDisplay(svc *service, n int) {
	d := key(svc.display)
	if svc.namedDisplay {
		addCount(mg.displays.given, d, n)
	}
	addCount(mg.displays.all, d, n)
}

// addCount adds n to m[k], dropping the entry when it reaches zero.
func addCount(m map[string]int, k string, n int) {
	if m[k] += n; m[k] == 0 {
		delete(m, k)
	}
}

// maxServiceName is the longest service name, in characters
// (CreateServiceW, lpServiceName).
const maxServiceName = 256

// validServiceName: non-empty, no '/' or '\'.
func validServiceName(n string) bool {
	return n != "" && !strings.ContainsAny(n, `/\`)
}

// validTypes checks the service type and start type combination.
func validTypes(typ win32.ServiceType, start win32.ServiceStartType) bool {
	base := typ &^ win32.SERVICE_INTERACTIVE_PROCESS
	switch base {
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

func (mg *Manager) openHandle(t *sim.Thread, svc *service, access uint32) sim.Handle {
	sh := &serviceHandle{svc: svc, access: mapServiceAccess(access)}
	svc.handleCount++
	return kernel.Handles(t).Insert(sh, sh.access)
}

// OpenService opens a handle to a service by its key name (not its display
// name), also while the service is marked for delete.
func (mg *Manager) OpenService(t *sim.Thread, hSCManager sim.Handle, name *string, access uint32) (sim.Handle, sim.Errno) {
	mg.begin(t, "OpenService")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("OpenService(%s, %s, %s)", hSCManager, fmtStr(name), fmtConst(win32.GroupSvcAccess, access))
	}
	if _, ok := lookupSCM(t, hSCManager); !ok {
		if mg.nullBeforeHandle(hSCManager, name == nil) {
			return mg.retHandle(t, call, 0, sim.ERROR_INVALID_ADDRESS)
		}
		return mg.retHandle(t, call, 0, sim.FaultBroken("scm.open.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	if name == nil {
		return mg.retHandle(t, call, 0, sim.FaultBroken("scm.open.null-name", sim.ERROR_INVALID_ADDRESS, sim.ERROR_INVALID_PARAMETER))
	}
	badName := mg.setting(&settingOpenNameValidated) && !validServiceName(*name)
	badName = sim.FaultBroken("scm.open.invalid-name-wine", badName, false)
	if badName {
		return mg.retHandle(t, call, 0, sim.ERROR_INVALID_NAME)
	}
	svc := mg.services[key(*name)]
	if svc == nil {
		return mg.retHandle(t, call, 0, sim.FaultBroken("scm.open.unknown", sim.ERROR_SERVICE_DOES_NOT_EXIST, sim.ERROR_INVALID_NAME))
	}
	// A service marked for delete still opens: the record stays until every
	// handle, the new one included, is closed.
	refused := sim.FaultBroken("scm.open.marked-for-delete", false, svc.marked)
	if refused {
		return mg.retHandle(t, call, 0, sim.ERROR_SERVICE_MARKED_FOR_DELETE)
	}
	return mg.retHandle(t, call, mg.openHandle(t, svc, access), sim.ERROR_SUCCESS)
}

// CloseServiceHandle closes an SCM or service handle. Outstanding
// notification requests on it are cancelled, including a callback already
// queued but not yet delivered. Closing the last handle of a service marked
// for delete, once it is stopped, removes it.
func (mg *Manager) CloseServiceHandle(t *sim.Thread, h sim.Handle) sim.Errno {
	mg.begin(t, "CloseServiceHandle")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("CloseServiceHandle(%s)", h)
	}
	handles := kernel.Handles(t)
	obj, _, st := handles.Lookup(h)
	if st != sim.HandleValid {
		return mg.ret(t, call, sim.FaultBroken("scm.close.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_SUCCESS))
	}
	switch o := obj.(type) {
	case *serviceHandle:
		handles.Remove(h)
		// Closing the handle cancels its notification requests.
		cancel := sim.FaultBroken("scm.notify.cancel-on-close", true, false)
		if cancel {
			mg.cancelAll(t, &o.regs)
		}
		o.svc.handleCount--
		mg.ret(t, call, sim.ERROR_SUCCESS)
		mg.maybeRemove(o.svc)
		return sim.ERROR_SUCCESS
	case *scmHandle:
		handles.Remove(h)
		// The service handles opened through it stay open.
		closeServices := sim.FaultBroken("scm.close.scm-keeps-services", false, true)
		if closeServices {
			for _, v := range kernel.Handles(t).Handles() {
				if sh, ok := lookupService(t, v); ok {
					kernel.Handles(t).Remove(v)
					sh.svc.handleCount--
				}
			}
		}
		mg.cancelAll(t, &o.regs)
		mg.unwatch(o)
		return mg.ret(t, call, sim.ERROR_SUCCESS)
	}
	return mg.ret(t, call, sim.ERROR_INVALID_HANDLE)
}

func removeItem[T comparable](s []T, x T) []T {
	for i, y := range s {
		if y == x {
			return append(s[:i], s[i+1:]...)
		}
	}
	return s
}

// DeleteService marks a service for delete. The record goes away once every
// handle to it is closed and it is stopped.
func (mg *Manager) DeleteService(t *sim.Thread, hService sim.Handle) sim.Errno {
	mg.begin(t, "DeleteService")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("DeleteService(%s)", hService)
	}
	sh, ok := lookupService(t, hService)
	if !ok {
		return mg.ret(t, call, sim.FaultBroken("scm.delete.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	// DeleteService needs DELETE access.
	denied := sh.access&win32.DELETE == 0
	denied = sim.FaultBroken("scm.delete.access", denied, false)
	if denied {
		return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
	}
	svc := sh.svc
	twice := sim.FaultBroken("scm.delete.twice", svc.marked, false)
	if twice {
		return mg.ret(t, call, sim.ERROR_SERVICE_MARKED_FOR_DELETE)
	}
	svc.marked = true
	mg.ret(t, call, sim.ERROR_SUCCESS)
	kernel.Tracef(mg.m, t, sim.EvTransition, "%s marked for delete", svc.name)
	// SERVICE_NOTIFY_DELETED comes when the record goes (maybeRemove), not
	// when it is marked.
	deletedNow := sim.FaultBroken("scm.notify.deleted-after-handles", false, true)
	if deletedNow {
		mg.publishName(nameEvent{win32.SERVICE_NOTIFY_DELETED, svc.name})
	}
	mg.notifyMarked(svc)
	return sim.ERROR_SUCCESS
}

// maybeRemove removes a marked service once no handle is open and it is stopped.
func (mg *Manager) maybeRemove(svc *service) {
	running := svc.status.CurrentState != win32.SERVICE_STOPPED
	running = sim.FaultBroken("scm.delete.waits-for-stop", running, false)
	stays := !svc.marked || svc.removed || svc.handleCount > 0 || running
	stays = sim.FaultBroken("scm.delete.removed-when-closed", stays, true)
	if stays {
		return
	}
	svc.removed = true
	delete(mg.services, key(svc.name))
	mg.indexDisplay(svc, -1)
	for _, d := range svc.deps {
		mg.dependents[key(d)] = removeItem(mg.dependents[key(d)], svc)
	}
	kernel.Tracef(mg.m, nil, sim.EvTransition, "%s removed from the database", svc.name)
	notify := sim.FaultBroken("scm.notify.deleted", true, false)
	if notify {
		mg.publishName(nameEvent{win32.SERVICE_NOTIFY_DELETED, svc.name})
	}
}

// StartService starts a stopped service: the SCM sets SERVICE_START_PENDING
// (no controls accepted, checkpoint 0, wait hint 2000) and returns once the
// service's process is running its ServiceMain, before the service's first
// status report.
func (mg *Manager) StartService(t *sim.Thread, hService sim.Handle, args []string) sim.Errno {
	mg.begin(t, "StartService")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("StartService(%s, %d args)", hService, len(args))
	}
	sh, ok := lookupService(t, hService)
	if !ok {
		return mg.ret(t, call, sim.FaultBroken("scm.start.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	// StartService needs SERVICE_START access.
	denied := sh.access&win32.SERVICE_START == 0
	denied = sim.FaultBroken("scm.start.access", denied, false)
	if denied {
		return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
	}
	return mg.ret(t, call, mg.start(t, sh.svc))
}

// start runs the SCM's start sequence for svc on behalf of t.
func (mg *Manager) start(t *sim.Thread, svc *service) sim.Errno {
	disabled := svc.startType == win32.SERVICE_DISABLED
	disabled = sim.FaultBroken("scm.start.disabled", disabled, false)
	if disabled {
		return sim.ERROR_SERVICE_DISABLED
	}
	marked := svc.marked && mg.setting(&settingMarkedChecks)
	marked = sim.FaultBroken("scm.start.marked-for-delete", marked, false)
	if marked {
		return sim.ERROR_SERVICE_MARKED_FOR_DELETE
	}
	if c, ok := kernel.TakeFault(mg.m, "StartService"); ok {
		return sim.Errno(c.Value)
	}
	running := svc.status.CurrentState != win32.SERVICE_STOPPED
	running = sim.FaultBroken("scm.start.already-running", running, false)
	if running {
		return sim.ERROR_SERVICE_ALREADY_RUNNING
	}
	switch svc.program.StartError {
	case sim.ERROR_SUCCESS:
	case sim.ERROR_SERVICE_REQUEST_TIMEOUT:
		// The process starts but never connects its dispatcher: StartService
		// gives up after the pipe timeout. The calling thread is blocked, so
		// no APC runs meanwhile.
		kernel.Advance(mg.m, dispatcherTimeout)
		return sim.FaultBroken("scm.start.no-dispatcher", sim.ERROR_SERVICE_REQUEST_TIMEOUT, sim.ERROR_SERVICE_NO_THREAD)
	default:
		return sim.FaultBroken("scm.start.image-error", svc.program.StartError, sim.ERROR_SUCCESS)
	}
	svc.stopSent = false
	proc := kernel.NewProcess(mg.m, svc.name+".exe")
	r := &run{proc: proc}
	r.dispatcher = kernel.NewThread(proc, svc.name+":dispatcher")
	r.main = kernel.NewThread(proc, svc.name+":ServiceMain")
	kernel.Context(r.main).ServiceStarting = true
	r.status = kernel.Handles(r.main).Insert(&statusHandle{svc: svc, run: r}, 0)
	svc.run = r
	mg.setStatus(t, svc, win32.SERVICE_STATUS_PROCESS{
		ServiceType:  svc.status.ServiceType,
		CurrentState: sim.FaultBroken("scm.start.start-pending", win32.SERVICE_START_PENDING, win32.SERVICE_RUNNING),
		WaitHint:     startWaitHint,
		ProcessId:    proc.ID,
	})
	mg.schedule(svc, r, r.main, svc.program.OnStart)
	// StartService returns before the service's first status report; the
	// broken rule waits for it.
	waits := sim.FaultBroken("scm.start.returns-before-report", false, true)
	if waits {
		kernel.Advance(mg.m, time.Second)
	}
	return sim.ERROR_SUCCESS
}

// schedule arranges for th to report each of reps at its delay.
func (mg *Manager) schedule(svc *service, r *run, th *sim.Thread, reps []win32.Report) {
	for _, rep := range reps {
		rep := rep
		name := ""
		if mg.m.Tracing() {
			name = fmt.Sprintf("%s reports %s", svc.name, fmtConst(win32.GroupState, rep.State))
		}
		tm := kernel.After(mg.m, rep.After, name, func() {
			if !r.ended {
				mg.setServiceStatus(th, r.status, reportStatus(rep, svc))
			}
		})
		r.timers = append(r.timers, tm)
	}
}

// reportStatus is the status a service reports with rep.
func reportStatus(rep win32.Report, svc *service) win32.SERVICE_STATUS {
	return win32.SERVICE_STATUS{
		ServiceType: svc.status.ServiceType, CurrentState: rep.State, ControlsAccepted: rep.Accept,
		Win32ExitCode: rep.Win32ExitCode, ServiceSpecificExitCode: rep.SpecificExitCode,
		CheckPoint: rep.CheckPoint, WaitHint: rep.WaitHint,
	}
}

// controlRight returns the access right a control needs, and whether the
// code is one ControlService accepts at all.
func controlRight(control win32.ServiceControl) (uint32, bool) {
	switch {
	case control == win32.SERVICE_CONTROL_STOP:
		return win32.SERVICE_STOP, true
	case control == win32.SERVICE_CONTROL_PAUSE, control == win32.SERVICE_CONTROL_CONTINUE,
		control == win32.SERVICE_CONTROL_PARAMCHANGE,
		control >= win32.SERVICE_CONTROL_NETBINDADD && control <= win32.SERVICE_CONTROL_NETBINDDISABLE:
		return win32.SERVICE_PAUSE_CONTINUE, true
	case control == win32.SERVICE_CONTROL_INTERROGATE:
		return win32.SERVICE_INTERROGATE, true
	case control >= win32.SERVICE_USER_DEFINED_CONTROL_FIRST && control <= win32.SERVICE_USER_DEFINED_CONTROL_LAST:
		return win32.SERVICE_USER_DEFINED_CONTROL, true
	}
	return 0, sim.FaultBroken("scm.control.invalid-code", false, true)
}

// acceptBit returns the controls-accepted bit a control needs; 0 means the
// control is always accepted (INTERROGATE, user-defined codes).
func acceptBit(control win32.ServiceControl) win32.ServiceAccept {
	switch {
	case control == win32.SERVICE_CONTROL_STOP:
		return win32.SERVICE_ACCEPT_STOP
	case control == win32.SERVICE_CONTROL_PAUSE, control == win32.SERVICE_CONTROL_CONTINUE:
		return win32.SERVICE_ACCEPT_PAUSE_CONTINUE
	case control == win32.SERVICE_CONTROL_PARAMCHANGE:
		return win32.SERVICE_ACCEPT_PARAMCHANGE
	case control >= win32.SERVICE_CONTROL_NETBINDADD && control <= win32.SERVICE_CONTROL_NETBINDDISABLE:
		return win32.SERVICE_ACCEPT_NETBINDCHANGE
	}
	return sim.FaultBroken("scm.control.always-accepted", 0, win32.SERVICE_ACCEPT_STOP)
}

// ControlService sends a control to a service. status is filled for
// ERROR_SUCCESS, ERROR_INVALID_SERVICE_CONTROL, ERROR_SERVICE_CANNOT_ACCEPT_CTRL
// and ERROR_SERVICE_NOT_ACTIVE, and left alone otherwise; it may be nil.
func (mg *Manager) ControlService(t *sim.Thread, hService sim.Handle, control win32.ServiceControl, status *win32.SERVICE_STATUS) sim.Errno {
	mg.begin(t, "ControlService")
	defer kernel.Unlock(mg.m)
	call := func() string {
		cname := win32.ConstName(win32.GroupControl, uint32(control))
		if cname == "" {
			cname = fmt.Sprint(uint32(control))
		}
		return fmt.Sprintf("ControlService(%s, %s)", hService, cname)
	}
	sh, code := mg.controlTarget(t, hService, control)
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	svc := sh.svc
	fill := func(code sim.Errno) sim.Errno {
		// The status is filled in for the codes the doc page names.
		filled := status != nil
		filled = sim.FaultBroken("scm.control.status-filled", filled, false)
		if filled {
			*status = svc.status.Status()
		}
		return mg.ret(t, call, code)
	}
	if code, filled := mg.controlRefused(svc, control); code != sim.ERROR_SUCCESS {
		if !filled {
			return mg.ret(t, call, code)
		}
		return fill(code)
	}
	if c, ok := kernel.TakeFault(mg.m, "ControlService"); ok {
		if sim.Errno(c.Value) == sim.ERROR_SERVICE_REQUEST_TIMEOUT {
			kernel.Advance(mg.m, dispatcherTimeout)
		}
		return mg.ret(t, call, sim.Errno(c.Value))
	}
	if control == win32.SERVICE_CONTROL_STOP {
		svc.stopSent = true
	}
	if svc.run == nil || svc.run.ended {
		// No process is left to run the handler: the service reported
		// again through a status handle kept after SERVICE_STOPPED
		// (settingStatusHandleKept).
		return mg.ret(t, call, sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL)
	}
	// The handler runs on the service's dispatcher thread: reports due at once
	// are made before ControlService returns, later ones on the clock.
	r := svc.run
	var later []win32.Report
	for _, rep := range sim.FaultBroken("scm.control.dispatch", svc.program.OnControl[control], nil) {
		if rep.After == 0 {
			mg.setServiceStatus(r.dispatcher, r.status, reportStatus(rep, svc))
		} else {
			later = append(later, rep)
		}
	}
	if len(later) > 0 && !r.ended {
		mg.schedule(svc, r, r.dispatcher, later)
	}
	return fill(sim.ERROR_SUCCESS)
}

// controlTarget makes ControlService's checks of its arguments, in the
// profile's order: the handle, as the client sees it
// (settingClientHandleCheck); the control code, before the handle where the
// profile checks it first (settingControlCodeFirst); the service handle; the
// code; the access right the control needs; and, for SERVICE_CONTROL_STOP,
// the dependent services, which must all be stopped
// (settingDependentsChecked).
func (mg *Manager) controlTarget(t *sim.Thread, hService sim.Handle, control win32.ServiceControl) (*serviceHandle, sim.Errno) {
	right, valid := controlRight(control)
	if mg.setting(&settingClientHandleCheck) {
		if _, _, st := kernel.Handles(t).Lookup(hService); st != sim.HandleValid {
			return nil, sim.ERROR_INVALID_HANDLE
		}
	}
	if !valid && mg.setting(&settingControlCodeFirst) {
		return nil, sim.ERROR_INVALID_PARAMETER
	}
	sh, ok := lookupService(t, hService)
	if !ok {
		return nil, sim.FaultBroken("scm.control.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED)
	}
	if !valid {
		return nil, sim.ERROR_INVALID_PARAMETER
	}
	denied := sh.access&right == 0
	denied = sim.FaultBroken("scm.control.access", denied, false)
	if denied {
		return nil, sim.ERROR_ACCESS_DENIED
	}
	if control == win32.SERVICE_CONTROL_STOP && mg.setting(&settingDependentsChecked) {
		for _, d := range mg.dependents[key(sh.svc.name)] {
			dependentRuns := d.status.CurrentState != win32.SERVICE_STOPPED
			dependentRuns = sim.FaultBroken("scm.control.dependents-running", dependentRuns, false)
			if dependentRuns {
				return nil, sim.ERROR_DEPENDENT_SERVICES_RUNNING
			}
		}
	}
	return sh, sim.ERROR_SUCCESS
}

// controlRefused checks a control against the service's state: a stopped
// service is not active; one stopping, or starting (for any control but
// STOP), cannot accept controls; a second STOP to a service that did not
// stop terminates its process (settingSecondStopKills); and a control the
// service does not accept is invalid. filled says whether ControlService
// fills in the status with the code (ERROR_INVALID_SERVICE_CONTROL only
// where settingStatusOnInvalidControl says so).
func (mg *Manager) controlRefused(svc *service, control win32.ServiceControl) (code sim.Errno, filled bool) {
	switch svc.status.CurrentState {
	case win32.SERVICE_STOPPED:
		return sim.FaultBroken("scm.control.not-active", sim.ERROR_SERVICE_NOT_ACTIVE, sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL), true
	case win32.SERVICE_STOP_PENDING:
		return sim.FaultBroken("scm.control.stop-pending", sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, sim.ERROR_SERVICE_NOT_ACTIVE), true
	case win32.SERVICE_START_PENDING:
		starting := control != win32.SERVICE_CONTROL_STOP
		starting = sim.FaultBroken("scm.control.start-pending", starting, false)
		if starting {
			return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
		}
	}
	if svc.stopSent && mg.setting(&settingSecondStopKills) {
		// The service did not stop after the STOP it was sent: its process
		// is terminated, and its status stays as last reported (and is
		// filled in, as for any ERROR_SERVICE_CANNOT_ACCEPT_CTRL).
		mg.endRun(svc)
		return sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, true
	}
	bit := acceptBit(control)
	notAccepted := bit != 0 && svc.status.ControlsAccepted&bit == 0
	notAccepted = sim.FaultBroken("scm.control.not-accepted", notAccepted, false)
	if notAccepted {
		return sim.ERROR_INVALID_SERVICE_CONTROL, mg.setting(&settingStatusOnInvalidControl)
	}
	return sim.ERROR_SUCCESS, false
}

// QueryServiceStatus fills status with the service's current status. A
// nil status is a NULL lpServiceStatus: ERROR_INVALID_ADDRESS, checked
// after the handle and before its access (service.c:925, 944, 951).
func (mg *Manager) QueryServiceStatus(t *sim.Thread, hService sim.Handle, status *win32.SERVICE_STATUS) sim.Errno {
	mg.begin(t, "QueryServiceStatus")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("QueryServiceStatus(%s%s)", hService, nullArg(status == nil))
	}
	svc, code := mg.queryable(t, hService, status == nil)
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	*status = svc.status.Status()
	kernel.TraceCall(mg.m, t, call, func() string {
		return fmt.Sprintf("%s, %s", sim.ERROR_SUCCESS, fmtConst(win32.GroupState, svc.status.CurrentState))
	})
	return sim.ERROR_SUCCESS
}

// QueryServiceStatusEx fills status at info level SC_STATUS_PROCESS_INFO, the
// only level there is. Any other level fails first, whatever the handle and
// pointers (service.c:980-982 passes NULL for both). A nil status is a NULL
// lpBuffer with cbBufSize 0: ERROR_INSUFFICIENT_BUFFER, checked after the
// level and before the handle and its access (service.c:995-998,
// 1018-1021). nullNeeded passes NULL for pcbBytesNeeded: with a buffer,
// ERROR_INVALID_ADDRESS (service.c:1054-1056, a handle that may query),
// checked after the buffer's size and before the handle: the pointer is a
// [ref] parameter of the RPC call (MS-SCMR RQueryServiceStatusEx), which
// the client's stub rejects before the handle reaches the server (inferred;
// measured under Wine 8.0, whose sechost passes the pointer straight to the
// stub, with a NULL handle too). With a nil status too, Windows writes the
// size needed through the NULL pointer and faults (the test's comment
// before service.c:988): the backends decline that call, and the model
// answers it as if pcbBytesNeeded were given.
func (mg *Manager) QueryServiceStatusEx(t *sim.Thread, hService sim.Handle, level uint32, status *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno {
	mg.begin(t, "QueryServiceStatusEx")
	defer kernel.Unlock(mg.m)
	call := func() string {
		s := fmt.Sprintf("QueryServiceStatusEx(%s, %d%s", hService, level, nullArg(status == nil))
		if nullNeeded {
			s += ", needed NULL"
		}
		return s + ")"
	}
	// The level is checked first, then the buffer's size, then the handle
	// and its access.
	badLevel := level != win32.SC_STATUS_PROCESS_INFO
	badLevel = sim.FaultBroken("scm.query.level", badLevel, false)
	if badLevel {
		return mg.ret(t, call, sim.ERROR_INVALID_LEVEL)
	}
	if status == nil {
		return mg.ret(t, call, nullBuffer(sim.ERROR_INSUFFICIENT_BUFFER, sim.ERROR_INVALID_HANDLE))
	}
	if nullNeeded {
		return mg.ret(t, call, nullBuffer(sim.ERROR_INVALID_ADDRESS, sim.ERROR_INVALID_HANDLE))
	}
	svc, code := mg.queryable(t, hService, false)
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	*status = svc.status
	kernel.TraceCall(mg.m, t, call, func() string {
		return fmt.Sprintf("%s, %s pid=%d", sim.ERROR_SUCCESS, fmtConst(win32.GroupState, svc.status.CurrentState), svc.status.ProcessId)
	})
	return sim.ERROR_SUCCESS
}

// nullArg is how the trace shows a NULL status buffer: ", NULL" after the
// other arguments, and nothing for a buffer (the usual case).
func nullArg(null bool) string {
	if null {
		return ", NULL"
	}
	return ""
}

// queryable resolves the service of a status query: the handle, then a NULL
// output pointer (QueryServiceStatus's status, QueryServiceStatusEx's
// pcbBytesNeeded), then the handle's access.
func (mg *Manager) queryable(t *sim.Thread, h sim.Handle, nullStatus bool) (*service, sim.Errno) {
	sh, ok := lookupService(t, h)
	if !ok {
		return nil, sim.FaultBroken("scm.query.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED)
	}
	if nullStatus {
		return nil, nullBuffer(sim.ERROR_INVALID_ADDRESS, sim.ERROR_ACCESS_DENIED)
	}
	// A status query needs SERVICE_QUERY_STATUS access.
	denied := sh.access&win32.SERVICE_QUERY_STATUS == 0
	denied = sim.FaultBroken("scm.query.access", denied, false)
	if denied {
		return nil, sim.ERROR_ACCESS_DENIED
	}
	return sh.svc, sim.ERROR_SUCCESS
}

// nullBuffer is a status query's error for a NULL output pointer, code, or
// broken while rule scm.query.null-buffer is: the one place of the rule's
// guard for the three pointers it covers (QueryServiceStatus's
// lpServiceStatus, QueryServiceStatusEx's lpBuffer and pcbBytesNeeded),
// each checked at its own step and broken into the error of the step after.
func nullBuffer(code, broken sim.Errno) sim.Errno {
	return sim.FaultBroken("scm.query.null-buffer", code, broken)
}
