package conformance

import (
	"slices"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The services database part of the SCM oracle: CreateService, OpenService,
// CloseServiceHandle and DeleteService.

func (w *World) doCreate(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	m := e.s.handle(a.H)
	display := ""
	if a.Name != nil {
		display = *a.Name
	}
	if a.Display != nil && *a.Display != "" {
		display = *a.Display
	}
	errCtl := uint32(win32.SERVICE_ERROR_NORMAL)
	if a.ErrorControl != nil {
		errCtl = *a.ErrorControl
	}
	want := e.predictCreate(a, m, display, errCtl)
	v, got := w.sc().CreateService(a.thread(), w.value(a.H), win32.CreateServiceParams{
		Name: a.Name, DisplayName: a.Display, DesiredAccess: a.Access, ServiceType: a.Type, StartType: a.Start,
		ErrorControl: errCtl, BinaryPath: a.Binary, Dependencies: a.Deps,
	})
	st := w.step(a, createArgs(a, errCtl), want)
	if want == sim.ERROR_SUCCESS {
		st.As = a.As
		s := &oSvc{name: *a.Name, display: display, named: a.Display != nil && *a.Display != "", typ: a.Type, start: a.Start, deps: slices.Clone(a.Deps),
			st: svcStatus{typ: a.Type, state: win32.SERVICE_STOPPED, exit: uint32(sim.ERROR_SERVICE_NEVER_STARTED)}}
		e.s.svcs[lower(s.name)] = s
		s.open++
		e.s.bind(a.As, &scHandle{kind: hService, svc: s, access: grantService(a.Access), generic: a.Access&generic != 0, viaGeneric: viaGeneric(grantService, a.Access)})
		w.bindValue(a.As, v)
		if grantService(a.Access)&win32.DELETE == 0 {
			e.assert("scm.create.access-irrelevant")
		}
		e.publish(nameEvent{win32.SERVICE_NOTIFY_CREATED, "/" + s.name})
	}
	w.log(st)
	if w.compareCode(a, got, want) && want == sim.ERROR_SUCCESS && v == 0 {
		w.fail(a, "succeeded with a NULL handle")
	}
}

// predictCreate states CreateService, in the catalog's order: the handle,
// NULL pointers (before a non-NULL bad handle where the profile says so),
// access, the name, the binary path and the types, the error control, then
// the services database: an existing or marked service, and display names
// against names as the profile compares them.
func (e *ksEdit) predictCreate(a Action, m *scHandle, display string, errCtl uint32) (want sim.Errno) {
	tooLong := a.Name != nil && len([]rune(*a.Name)) > 256
	want = sim.ERROR_SUCCESS
	switch {
	case !isOpen(m, hSCM) && e.s.set.nullArgsFirst && a.H != RefNULL && (a.Name == nil || a.Binary == nil):
		e.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		e.assert("scm.create.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case a.Name == nil || a.Binary == nil:
		e.assert("scm.create.null-name-or-binary")
		want = sim.ERROR_INVALID_ADDRESS
	case !e.checkAccess(m, win32.SC_MANAGER_CREATE_SERVICE, "scm.create.access"):
		want = sim.ERROR_ACCESS_DENIED
	case !validName(*a.Name):
		e.assert("scm.create.invalid-name")
		want = sim.ERROR_INVALID_NAME
	case tooLong && e.s.set.nameLengthChecked:
		e.assert("scm.create.name-too-long")
		want = sim.ERROR_INVALID_NAME
	case *a.Binary == "":
		e.assert("scm.create.empty-binary")
		want = sim.ERROR_INVALID_PARAMETER
	case !validTypes(a.Type, a.Start):
		e.assert("scm.create.invalid-type")
		want = sim.ERROR_INVALID_PARAMETER
	case errCtl > win32.SERVICE_ERROR_CRITICAL && e.s.set.errorControlChecked:
		e.assert("scm.create.invalid-error-control")
		want = sim.ERROR_INVALID_PARAMETER
	case e.s.svcs[lower(*a.Name)] != nil && e.s.svcs[lower(*a.Name)].marked:
		e.assert("scm.create.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case e.s.svcs[lower(*a.Name)] != nil:
		e.assert("scm.create.exists")
		want = sim.ERROR_SERVICE_EXISTS
	default:
		want = e.predictDisplayName(*a.Name, display)
	}
	// Under Wine 8.0 a long name and any error control get past the checks
	// above; the long name then fails where the registry key is written.
	if want == sim.ERROR_SUCCESS && tooLong {
		e.assert("scm.create.name-too-long-wine")
		want = sim.ERROR_GEN_FAILURE
	}
	if want == sim.ERROR_SUCCESS && errCtl > win32.SERVICE_ERROR_CRITICAL {
		e.assert("scm.create.error-control-wine")
	}
	return want
}

// predictDisplayName states CreateService's display-name checks for a new
// service: against other display names, and against key names where the
// profile compares them too; a display name another service was given is
// shared where the profile allows it.
func (e *ksEdit) predictDisplayName(name, display string) sim.Errno {
	switch {
	case !e.s.set.displayAgainstNames && e.givenDisplay(display):
		e.assert("scm.create.duplicate-display")
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	case !e.s.set.displayAgainstNames && (e.nameClash(name, display) || e.givenDisplay(display)):
		// Refused where names count too, accepted here.
		e.assert("scm.create.duplicate-display-wine")
	case e.nameClash(name, display):
		e.assert("scm.create.duplicate-display")
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	case e.givenDisplay(display) && !e.s.set.displayShared:
		e.assert("scm.create.display-shared-win7")
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	case e.givenDisplay(display):
		// Windows 10 1709 and later share display names.
		e.assert("scm.create.display-shared")
	}
	return sim.ERROR_SUCCESS
}

// createArgs are the CreateService step's arguments as a scenario writes
// them.
func createArgs(a Action, errCtl uint32) []scenario.Arg {
	args := []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Name)}}
	if a.Display != nil {
		args = append(args, scenario.Arg{Key: "display", Value: *a.Display})
	}
	args = append(args, scenario.Arg{Key: "access", Value: constArg(win32.GroupSvcAccess, a.Access)},
		scenario.Arg{Key: "type", Value: constArg(win32.GroupServiceType, a.Type)},
		scenario.Arg{Key: "start", Value: constArg(win32.GroupStartType, a.Start)},
		scenario.Arg{Key: "binary", Value: strArg(a.Binary)})
	if a.ErrorControl != nil {
		args = append(args, scenario.Arg{Key: "error_control", Value: constArg(win32.GroupErrorCtl, errCtl)})
	}
	if len(a.Deps) > 0 {
		args = append(args, scenario.Arg{Key: "dependencies", Value: a.Deps})
	}
	return args
}

// nameClash: the new display name equals another service's key name, or
// the new key name another service's display name (its key name standing
// in when it was given none).
func (e *ksEdit) nameClash(name, display string) bool {
	for _, s := range e.s.svcs {
		if lower(s.name) == lower(display) || lower(s.display) == lower(name) {
			return true
		}
	}
	return false
}

// givenDisplay: another service was given display as its display name.
func (e *ksEdit) givenDisplay(display string) bool {
	for _, s := range e.s.svcs {
		if s.named && lower(s.display) == lower(display) {
			return true
		}
	}
	return false
}

func (w *World) doOpen(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	m := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	var s *oSvc
	switch {
	case !isOpen(m, hSCM) && e.s.set.nullArgsFirst && a.H != RefNULL && a.Name == nil:
		e.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		e.assert("scm.open.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case a.Name == nil:
		e.assert("scm.open.null-name")
		want = sim.ERROR_INVALID_ADDRESS
	case e.s.set.openNameValidated && !validName(*a.Name):
		e.assert("scm.open.invalid-name-wine")
		want = sim.ERROR_INVALID_NAME
	case e.s.svcs[lower(*a.Name)] == nil:
		e.assert("scm.open.unknown")
		want = sim.ERROR_SERVICE_DOES_NOT_EXIST
	default:
		// A service marked for delete opens on every profile
		// (service.c:424), and the new handle keeps the record.
		s = e.s.svcs[lower(*a.Name)]
		if s.marked {
			e.assert("scm.open.marked-for-delete")
		}
	}
	v, got := w.sc().OpenService(a.thread(), w.value(a.H), a.Name, a.Access)
	st := w.step(a, []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Name)}, {Key: "access", Value: constArg(win32.GroupSvcAccess, a.Access)}}, want)
	if s != nil {
		st.As = a.As
		s.open++
		e.s.bind(a.As, &scHandle{kind: hService, svc: s, access: grantService(a.Access), generic: a.Access&generic != 0, viaGeneric: viaGeneric(grantService, a.Access)})
		w.bindValue(a.As, v)
	}
	w.log(st)
	if w.compareCode(a, got, want) && want == sim.ERROR_SUCCESS && v == 0 {
		w.fail(a, "succeeded with a NULL handle")
	}
}

func (w *World) doClose(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	h := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case isOpen(h, hService):
		h.closed = true
		e.cancel(h)
		h.svc.open--
		e.maybeRemove(h.svc)
	case isOpen(h, hSCM):
		h.closed = true
		e.cancel(h)
		if len(e.s.open(hService)) > 0 {
			e.assert("scm.close.scm-keeps-services")
		}
	default:
		e.assert("scm.close.invalid-handle")
		if closed, _ := e.closed(a.H); closed {
			e.assert("kernel.handle.stale")
		}
		want = sim.ERROR_INVALID_HANDLE
	}
	got := w.sc().CloseServiceHandle(a.thread(), w.value(a.H))
	w.log(w.step(a, []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}

// cancel withdraws every request made on a closing handle: no callback is
// queued for them any more, and one already queued does not run (a declared
// model choice).
func (e *ksEdit) cancel(h *scHandle) {
	for _, r := range slices.Clone(h.regs) {
		e.assert("scm.notify.cancel-on-close")
		if r.apc != nil {
			if !e.s.set.closeWithdrawsQueued {
				continue // it stays queued, and runs
			}
			e.assert("scm.notify.cancel-queued")
			r.apc.cancelled = true
		}
		e.detach(r)
	}
}

// detach forgets a request: its callback ran, or it was cancelled.
func (e *ksEdit) detach(r *oReg) {
	e.s.regs = slices.DeleteFunc(e.s.regs, func(x *oReg) bool { return x == r })
	r.h.regs = slices.DeleteFunc(r.h.regs, func(x *oReg) bool { return x == r })
	if r.h.svc != nil {
		r.h.svc.regs = slices.DeleteFunc(r.h.svc.regs, func(x *oReg) bool { return x == r })
	}
}

// maybeRemove removes a service marked for delete once no handle to it is
// open and it is stopped; SCM handles watching the database learn of it.
func (e *ksEdit) maybeRemove(s *oSvc) {
	if !s.marked || s.open > 0 || s.st.state != win32.SERVICE_STOPPED || e.s.svcs[lower(s.name)] != s {
		return
	}
	e.assert("scm.delete.removed-when-closed")
	delete(e.s.svcs, lower(s.name))
	e.publish(nameEvent{win32.SERVICE_NOTIFY_DELETED, s.name})
}

func (w *World) doDelete(a Action) {
	e := editKS(w.states)
	defer w.commitKS(e)
	h := e.s.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case !isOpen(h, hService):
		e.assert("scm.delete.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !e.checkAccess(h, win32.DELETE, "scm.delete.access"):
		want = sim.ERROR_ACCESS_DENIED
	case h.svc.marked:
		e.assert("scm.delete.twice")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	default:
		h.svc.marked = true
		if h.svc.st.state != win32.SERVICE_STOPPED {
			e.assert("scm.delete.waits-for-stop")
		}
		e.notifyMarked(h.svc)
	}
	got := w.sc().DeleteService(a.thread(), w.value(a.H))
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}
