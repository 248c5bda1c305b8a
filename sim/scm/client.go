package scm

import (
	"fmt"
	"github.com/winsim/winsim/win32"
	"strings"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
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
	if machine != nil && *machine != "" && *machine != "." && mg.setting(settingRemoteUnavailable) {
		return mg.retHandle(t, call, 0, sim.RPC_S_SERVER_UNAVAILABLE)
	}
	if database != nil && !mg.sameDatabase(*database, win32.SERVICES_ACTIVE_DATABASE) {
		if mg.sameDatabase(*database, win32.SERVICES_FAILED_DATABASE) && !faultOn("scm.openscm.database-failed") {
			return mg.retHandle(t, call, 0, sim.ERROR_DATABASE_DOES_NOT_EXIST)
		}
		return mg.retHandle(t, call, 0, broken("scm.openscm.database-unknown", sim.ERROR_INVALID_NAME, sim.ERROR_SUCCESS))
	}
	if faultOn("scm.openscm.access-zero") && access == 0 {
		return mg.retHandle(t, call, 0, sim.ERROR_ACCESS_DENIED)
	}
	mh := &scmHandle{access: mapSCMAccess(access)}
	mg.scmHandles = append(mg.scmHandles, mh)
	return mg.retHandle(t, call, t.Proc.Handles.Insert(mh, mh.access), sim.ERROR_SUCCESS)
}

// sameDatabase compares a database name with a known one as the profile's
// SCM does: without regard to case, or exactly (Wine 8.0).
func (mg *Manager) sameDatabase(name, db string) bool {
	if mg.setting(settingDatabaseCaseSensitive) && !faultOn("scm.openscm.database-case-wine") {
		return name == db
	}
	return strings.EqualFold(name, db)
}

// nullBeforeHandle reports whether a call that found no open SCM handle
// fails on its NULL string pointer instead: the handle is not NULL, and the
// profile's client checks the pointers first (Wine 8.0).
func (mg *Manager) nullBeforeHandle(h sim.Handle, null bool) bool {
	return null && h != 0 && mg.setting(settingNullArgsBeforeHandle) && !faultOn("scm.null-args-before-handle-wine")
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
	mh, ok := lookupSCM(t, hSCManager)
	if !ok {
		if mg.nullBeforeHandle(hSCManager, p.Name == nil || p.BinaryPath == nil) {
			return mg.retHandle(t, call, 0, sim.ERROR_INVALID_ADDRESS)
		}
		return mg.retHandle(t, call, 0, broken("scm.create.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	if p.Name == nil || p.BinaryPath == nil {
		return mg.retHandle(t, call, 0, broken("scm.create.null-name-or-binary", sim.ERROR_INVALID_ADDRESS, sim.ERROR_INVALID_PARAMETER))
	}
	if mh.access&win32.SC_MANAGER_CREATE_SERVICE == 0 && !faultOn("scm.create.access") {
		return mg.retHandle(t, call, 0, sim.ERROR_ACCESS_DENIED)
	}
	name := *p.Name
	if !validServiceName(name) {
		return mg.retHandle(t, call, 0, broken("scm.create.invalid-name", sim.ERROR_INVALID_NAME, sim.ERROR_INVALID_PARAMETER))
	}
	// The name is at most 256 characters (CreateServiceW, lpServiceName).
	tooLong := len([]rune(name)) > maxServiceName
	if tooLong && mg.setting(settingNameLengthChecked) && !faultOn("scm.create.name-too-long") {
		return mg.retHandle(t, call, 0, sim.ERROR_INVALID_NAME)
	}
	if (*p.BinaryPath == "" && !faultOn("scm.create.empty-binary")) || (!validTypes(p.ServiceType, p.StartType) && !faultOn("scm.create.invalid-type")) {
		return mg.retHandle(t, call, 0, sim.ERROR_INVALID_PARAMETER)
	}
	// dwErrorControl is one of SERVICE_ERROR_IGNORE..SERVICE_ERROR_CRITICAL
	// (CreateServiceW; ReactOS RCreateServiceW); Wine 8.0 takes any value.
	checked := mg.setting(settingErrorControlChecked)
	if checked && faultOn("scm.create.invalid-error-control") || !checked && faultOn("scm.create.error-control-wine") {
		checked = !checked
	}
	if p.ErrorControl > win32.SERVICE_ERROR_CRITICAL && checked {
		return mg.retHandle(t, call, 0, sim.ERROR_INVALID_PARAMETER)
	}
	display, named := name, false
	if p.DisplayName != nil && *p.DisplayName != "" {
		display, named = *p.DisplayName, true
	}
	if old := mg.services[key(name)]; old != nil {
		if old.marked {
			return mg.retHandle(t, call, 0, broken("scm.create.marked-for-delete", sim.ERROR_SERVICE_MARKED_FOR_DELETE, sim.ERROR_SERVICE_EXISTS))
		}
		return mg.retHandle(t, call, 0, broken("scm.create.exists", sim.ERROR_SERVICE_EXISTS, sim.ERROR_DUPLICATE_SERVICE_NAME))
	}
	if mg.displayTaken(name, display) && !faultOn("scm.create.duplicate-display") {
		return mg.retHandle(t, call, 0, sim.ERROR_DUPLICATE_SERVICE_NAME)
	}
	// Under Wine 8.0 a name over 256 characters gets this far; writing the
	// service's registry key fails.
	if tooLong && !faultOn("scm.create.name-too-long-wine") {
		return mg.retHandle(t, call, 0, sim.ERROR_GEN_FAILURE)
	}
	svc := &service{
		name: name, display: display, namedDisplay: named, binary: *p.BinaryPath,
		startType: p.StartType, errorControl: p.ErrorControl,
		deps:   append([]string(nil), p.Dependencies...),
		status: win32.SERVICE_STATUS_PROCESS{ServiceType: p.ServiceType, CurrentState: broken("scm.create.stopped", win32.SERVICE_STOPPED, win32.SERVICE_PAUSED), Win32ExitCode: broken("scm.create.never-started", uint32(sim.ERROR_SERVICE_NEVER_STARTED), 0)},
	}
	mg.services[key(name)] = svc
	mg.indexDisplay(svc, 1)
	for _, d := range svc.deps {
		mg.dependents[key(d)] = append(mg.dependents[key(d)], svc)
	}
	h := mg.openHandle(t, svc, broken("scm.create.access-irrelevant", p.DesiredAccess, win32.SERVICE_ALL_ACCESS))
	kernel.Tracef(mg.m, t, sim.EvTransition, "%s created, SERVICE_STOPPED", name)
	if !faultOn("scm.notify.created") {
		mg.publishName(nameEvent{win32.SERVICE_NOTIFY_CREATED, "/" + name})
	}
	return mg.retHandle(t, call, h, sim.ERROR_SUCCESS)
}

// displayTaken: a display name may match no other service's key name, and
// the key name no other service's display name. A display name another
// service was given is refused too, except where the profile lets display
// names be shared (Windows 10 1709 and later). Under Wine 8.0 only the new
// display name (the key name when none is given) is compared, with the
// display names other services were given.
func (mg *Manager) displayTaken(name, display string) bool {
	if mg.setting(settingDisplayAgainstNames) || faultOn("scm.create.duplicate-display-wine") {
		if mg.services[key(display)] != nil || mg.displayUsed(name, false) {
			return true
		}
		shared := mg.setting(settingDisplayShared)
		if shared && faultOn("scm.create.display-shared") || !shared && faultOn("scm.create.display-shared-win7") {
			shared = !shared
		}
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
func validTypes(typ, start uint32) bool {
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
	return t.Proc.Handles.Insert(sh, sh.access)
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
		return mg.retHandle(t, call, 0, broken("scm.open.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	if name == nil {
		return mg.retHandle(t, call, 0, broken("scm.open.null-name", sim.ERROR_INVALID_ADDRESS, sim.ERROR_INVALID_PARAMETER))
	}
	if mg.setting(settingOpenNameValidated) && !validServiceName(*name) && !faultOn("scm.open.invalid-name-wine") {
		return mg.retHandle(t, call, 0, sim.ERROR_INVALID_NAME)
	}
	svc := mg.services[key(*name)]
	if svc == nil {
		return mg.retHandle(t, call, 0, broken("scm.open.unknown", sim.ERROR_SERVICE_DOES_NOT_EXIST, sim.ERROR_INVALID_NAME))
	}
	// A service marked for delete still opens: the record stays until every
	// handle, the new one included, is closed.
	if svc.marked && faultOn("scm.open.marked-for-delete") {
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
	obj, _, st := t.Proc.Handles.Lookup(h)
	if st != sim.HandleValid {
		return mg.ret(t, call, broken("scm.close.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_SUCCESS))
	}
	switch o := obj.(type) {
	case *serviceHandle:
		t.Proc.Handles.Remove(h)
		var mine []*registration
		for _, r := range o.svc.regs {
			if r.svcH == o {
				mine = append(mine, r)
			}
		}
		if !faultOn("scm.notify.cancel-on-close") {
			mg.cancelAll(t, mine)
		}
		o.svc.handleCount--
		mg.ret(t, call, sim.ERROR_SUCCESS)
		mg.maybeRemove(o.svc)
		return sim.ERROR_SUCCESS
	case *scmHandle:
		t.Proc.Handles.Remove(h)
		if faultOn("scm.close.scm-keeps-services") {
			for _, v := range t.Proc.Handles.Handles() {
				if sh, ok := lookupService(t, v); ok {
					t.Proc.Handles.Remove(v)
					sh.svc.handleCount--
				}
			}
		}
		mg.cancelAll(t, o.regs)
		mg.scmHandles = removeItem(mg.scmHandles, o)
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
		return mg.ret(t, call, broken("scm.delete.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	if sh.access&win32.DELETE == 0 && !faultOn("scm.delete.access") {
		return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
	}
	svc := sh.svc
	if svc.marked && !faultOn("scm.delete.twice") {
		return mg.ret(t, call, sim.ERROR_SERVICE_MARKED_FOR_DELETE)
	}
	svc.marked = true
	mg.ret(t, call, sim.ERROR_SUCCESS)
	kernel.Tracef(mg.m, t, sim.EvTransition, "%s marked for delete", svc.name)
	if faultOn("scm.notify.deleted-after-handles") {
		mg.publishName(nameEvent{win32.SERVICE_NOTIFY_DELETED, svc.name})
	}
	mg.notifyMarked(svc)
	return sim.ERROR_SUCCESS
}

// maybeRemove removes a marked service once no handle is open and it is stopped.
func (mg *Manager) maybeRemove(svc *service) {
	if !svc.marked || svc.removed || svc.handleCount > 0 || (svc.status.CurrentState != win32.SERVICE_STOPPED && !faultOn("scm.delete.waits-for-stop")) || faultOn("scm.delete.removed-when-closed") {
		return
	}
	svc.removed = true
	delete(mg.services, key(svc.name))
	mg.indexDisplay(svc, -1)
	for _, d := range svc.deps {
		mg.dependents[key(d)] = removeItem(mg.dependents[key(d)], svc)
	}
	kernel.Tracef(mg.m, nil, sim.EvTransition, "%s removed from the database", svc.name)
	if !faultOn("scm.notify.deleted") {
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
		return mg.ret(t, call, broken("scm.start.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	if sh.access&win32.SERVICE_START == 0 && !faultOn("scm.start.access") {
		return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
	}
	return mg.ret(t, call, mg.start(t, sh.svc))
}

// start runs the SCM's start sequence for svc on behalf of t.
func (mg *Manager) start(t *sim.Thread, svc *service) sim.Errno {
	if svc.startType == win32.SERVICE_DISABLED && !faultOn("scm.start.disabled") {
		return sim.ERROR_SERVICE_DISABLED
	}
	if svc.marked && mg.setting(settingMarkedChecks) && !faultOn("scm.start.marked-for-delete") {
		return sim.ERROR_SERVICE_MARKED_FOR_DELETE
	}
	if c, ok := kernel.TakeFault(mg.m, "StartService"); ok {
		return sim.Errno(c.Value)
	}
	if svc.status.CurrentState != win32.SERVICE_STOPPED && !faultOn("scm.start.already-running") {
		return sim.ERROR_SERVICE_ALREADY_RUNNING
	}
	switch svc.program.StartError {
	case sim.ERROR_SUCCESS:
	case sim.ERROR_SERVICE_REQUEST_TIMEOUT:
		// The process starts but never connects its dispatcher: StartService
		// gives up after the pipe timeout. The calling thread is blocked, so
		// no APC runs meanwhile.
		kernel.Advance(mg.m, dispatcherTimeout)
		return broken("scm.start.no-dispatcher", sim.ERROR_SERVICE_REQUEST_TIMEOUT, sim.ERROR_SERVICE_NO_THREAD)
	default:
		return broken("scm.start.image-error", svc.program.StartError, sim.ERROR_SUCCESS)
	}
	svc.stopSent = false
	proc := kernel.NewProcess(mg.m, svc.name+".exe")
	r := &run{proc: proc}
	r.dispatcher = kernel.NewThread(proc, svc.name+":dispatcher")
	r.main = kernel.NewThread(proc, svc.name+":ServiceMain")
	r.main.Context.ServiceStarting = true
	r.status = proc.Handles.Insert(&statusHandle{svc: svc, run: r}, 0)
	svc.run = r
	mg.setStatus(t, svc, win32.SERVICE_STATUS_PROCESS{
		ServiceType:  svc.status.ServiceType,
		CurrentState: broken("scm.start.start-pending", win32.SERVICE_START_PENDING, win32.SERVICE_RUNNING),
		WaitHint:     startWaitHint,
		ProcessId:    proc.ID,
	})
	mg.schedule(svc, r, r.main, svc.program.OnStart)
	if faultOn("scm.start.returns-before-report") {
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
func controlRight(control uint32) (uint32, bool) {
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
	return 0, faultOn("scm.control.invalid-code")
}

// acceptBit returns the controls-accepted bit a control needs; 0 means the
// control is always accepted (INTERROGATE, user-defined codes).
func acceptBit(control uint32) uint32 {
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
	return broken("scm.control.always-accepted", 0, win32.SERVICE_ACCEPT_STOP)
}

// ControlService sends a control to a service. status is filled for
// ERROR_SUCCESS, ERROR_INVALID_SERVICE_CONTROL, ERROR_SERVICE_CANNOT_ACCEPT_CTRL
// and ERROR_SERVICE_NOT_ACTIVE, and left alone otherwise; it may be nil.
func (mg *Manager) ControlService(t *sim.Thread, hService sim.Handle, control uint32, status *win32.SERVICE_STATUS) sim.Errno {
	mg.begin(t, "ControlService")
	defer kernel.Unlock(mg.m)
	call := func() string {
		cname := win32.ConstName(win32.GroupControl, control)
		if cname == "" {
			cname = fmt.Sprint(control)
		}
		return fmt.Sprintf("ControlService(%s, %s)", hService, cname)
	}
	right, valid := controlRight(control)
	codeFirst := mg.setting(settingControlCodeFirst)
	if mg.setting(settingClientHandleCheck) {
		if _, _, st := t.Proc.Handles.Lookup(hService); st != sim.HandleValid {
			return mg.ret(t, call, sim.ERROR_INVALID_HANDLE)
		}
	}
	if !valid && codeFirst {
		return mg.ret(t, call, sim.ERROR_INVALID_PARAMETER)
	}
	sh, ok := lookupService(t, hService)
	if !ok {
		return mg.ret(t, call, broken("scm.control.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	if !valid {
		return mg.ret(t, call, sim.ERROR_INVALID_PARAMETER)
	}
	if sh.access&right == 0 && !faultOn("scm.control.access") {
		return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
	}
	svc := sh.svc
	if control == win32.SERVICE_CONTROL_STOP && mg.setting(settingDependentsChecked) {
		for _, d := range mg.dependents[key(svc.name)] {
			if d.status.CurrentState != win32.SERVICE_STOPPED && !faultOn("scm.control.dependents-running") {
				return mg.ret(t, call, sim.ERROR_DEPENDENT_SERVICES_RUNNING)
			}
		}
	}
	fill := func(code sim.Errno) sim.Errno {
		if status != nil && !faultOn("scm.control.status-filled") {
			*status = svc.status.Status()
		}
		return mg.ret(t, call, code)
	}
	switch state := svc.status.CurrentState; {
	case state == win32.SERVICE_STOPPED:
		return fill(broken("scm.control.not-active", sim.ERROR_SERVICE_NOT_ACTIVE, sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL))
	case state == win32.SERVICE_STOP_PENDING:
		return fill(broken("scm.control.stop-pending", sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL, sim.ERROR_SERVICE_NOT_ACTIVE))
	case state == win32.SERVICE_START_PENDING && control != win32.SERVICE_CONTROL_STOP && !faultOn("scm.control.start-pending"):
		return fill(sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL)
	}
	if svc.stopSent && mg.setting(settingSecondStopKills) {
		// The service did not stop after the STOP it was sent: its process
		// is terminated, and its status stays as last reported (and is
		// filled in, as for any ERROR_SERVICE_CANNOT_ACCEPT_CTRL).
		mg.endRun(svc)
		return fill(sim.ERROR_SERVICE_CANNOT_ACCEPT_CTRL)
	}
	if bit := acceptBit(control); bit != 0 && svc.status.ControlsAccepted&bit == 0 && !faultOn("scm.control.not-accepted") {
		if !mg.setting(settingStatusOnInvalidControl) {
			return mg.ret(t, call, sim.ERROR_INVALID_SERVICE_CONTROL)
		}
		return fill(sim.ERROR_INVALID_SERVICE_CONTROL)
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
	for _, rep := range broken("scm.control.dispatch", svc.program.OnControl[control], nil) {
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
	mg.traceCall(t, call, func() string {
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
	if level != win32.SC_STATUS_PROCESS_INFO && !faultOn("scm.query.level") {
		return mg.ret(t, call, sim.ERROR_INVALID_LEVEL)
	}
	if status == nil {
		return mg.ret(t, call, broken("scm.query.null-buffer", sim.ERROR_INSUFFICIENT_BUFFER, sim.ERROR_INVALID_HANDLE))
	}
	if nullNeeded {
		return mg.ret(t, call, broken("scm.query.null-buffer", sim.ERROR_INVALID_ADDRESS, sim.ERROR_INVALID_HANDLE))
	}
	svc, code := mg.queryable(t, hService, false)
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	*status = svc.status
	mg.traceCall(t, call, func() string {
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
		return nil, broken("scm.query.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED)
	}
	if nullStatus {
		return nil, broken("scm.query.null-buffer", sim.ERROR_INVALID_ADDRESS, sim.ERROR_ACCESS_DENIED)
	}
	if sh.access&win32.SERVICE_QUERY_STATUS == 0 && !faultOn("scm.query.access") {
		return nil, sim.ERROR_ACCESS_DENIED
	}
	return sh.svc, sim.ERROR_SUCCESS
}
