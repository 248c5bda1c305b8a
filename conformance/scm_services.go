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
	m := w.handle(a.H)
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
	want := w.predictCreate(a, m, display, errCtl)
	v, got := w.sc().CreateService(a.thread(), w.value(a.H), win32.CreateServiceParams{
		Name: a.Name, DisplayName: a.Display, DesiredAccess: a.Access, ServiceType: a.Type, StartType: a.Start,
		ErrorControl: errCtl, BinaryPath: a.Binary, Dependencies: a.Deps,
	})
	st := w.step(a, createArgs(a, errCtl), want)
	if want == sim.ERROR_SUCCESS {
		st.As = a.As
		s := &oSvc{name: *a.Name, display: display, named: a.Display != nil && *a.Display != "", typ: a.Type, start: a.Start, deps: slices.Clone(a.Deps),
			st: svcStatus{typ: a.Type, state: win32.SERVICE_STOPPED, exit: uint32(sim.ERROR_SERVICE_NEVER_STARTED)}}
		w.scm().svcs[lower(s.name)] = s
		s.open++
		w.bind(a.As, v, &oHandle{kind: hService, svc: s, access: grantService(a.Access), generic: a.Access&generic != 0, viaGeneric: viaGeneric(grantService, a.Access)})
		if grantService(a.Access)&win32.DELETE == 0 {
			w.assert("scm.create.access-irrelevant")
		}
		w.publish(nameEvent{win32.SERVICE_NOTIFY_CREATED, "/" + s.name})
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
func (w *World) predictCreate(a Action, m *oHandle, display string, errCtl uint32) (want sim.Errno) {
	tooLong := a.Name != nil && len([]rune(*a.Name)) > 256
	want = sim.ERROR_SUCCESS
	switch {
	case !isOpen(m, hSCM) && w.scm().set.nullArgsFirst && a.H != RefNULL && (a.Name == nil || a.Binary == nil):
		w.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		w.assert("scm.create.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case a.Name == nil || a.Binary == nil:
		w.assert("scm.create.null-name-or-binary")
		want = sim.ERROR_INVALID_ADDRESS
	case !w.checkAccess(m, win32.SC_MANAGER_CREATE_SERVICE, "scm.create.access"):
		want = sim.ERROR_ACCESS_DENIED
	case !validName(*a.Name):
		w.assert("scm.create.invalid-name")
		want = sim.ERROR_INVALID_NAME
	case tooLong && w.scm().set.nameLengthChecked:
		w.assert("scm.create.name-too-long")
		want = sim.ERROR_INVALID_NAME
	case *a.Binary == "":
		w.assert("scm.create.empty-binary")
		want = sim.ERROR_INVALID_PARAMETER
	case !validTypes(a.Type, a.Start):
		w.assert("scm.create.invalid-type")
		want = sim.ERROR_INVALID_PARAMETER
	case errCtl > win32.SERVICE_ERROR_CRITICAL && w.scm().set.errorControlChecked:
		w.assert("scm.create.invalid-error-control")
		want = sim.ERROR_INVALID_PARAMETER
	case w.scm().svcs[lower(*a.Name)] != nil && w.scm().svcs[lower(*a.Name)].marked:
		w.assert("scm.create.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case w.scm().svcs[lower(*a.Name)] != nil:
		w.assert("scm.create.exists")
		want = sim.ERROR_SERVICE_EXISTS
	default:
		want = w.predictDisplayName(*a.Name, display)
	}
	// Under Wine 8.0 a long name and any error control get past the checks
	// above; the long name then fails where the registry key is written.
	if want == sim.ERROR_SUCCESS && tooLong {
		w.assert("scm.create.name-too-long-wine")
		want = sim.ERROR_GEN_FAILURE
	}
	if want == sim.ERROR_SUCCESS && errCtl > win32.SERVICE_ERROR_CRITICAL {
		w.assert("scm.create.error-control-wine")
	}
	return want
}

// predictDisplayName states CreateService's display-name checks for a new
// service: against other display names, and against key names where the
// profile compares them too; a display name another service was given is
// shared where the profile allows it.
func (w *World) predictDisplayName(name, display string) sim.Errno {
	switch {
	case !w.scm().set.displayAgainstNames && w.givenDisplay(display):
		w.assert("scm.create.duplicate-display")
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	case !w.scm().set.displayAgainstNames && (w.nameClash(name, display) || w.givenDisplay(display)):
		// Refused where names count too, accepted here.
		w.assert("scm.create.duplicate-display-wine")
	case w.nameClash(name, display):
		w.assert("scm.create.duplicate-display")
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	case w.givenDisplay(display) && !w.scm().set.displayShared:
		w.assert("scm.create.display-shared-win7")
		return sim.ERROR_DUPLICATE_SERVICE_NAME
	case w.givenDisplay(display):
		// Windows 10 1709 and later share display names.
		w.assert("scm.create.display-shared")
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
func (w *World) nameClash(name, display string) bool {
	for _, s := range w.scm().svcs {
		if lower(s.name) == lower(display) || lower(s.display) == lower(name) {
			return true
		}
	}
	return false
}

// givenDisplay: another service was given display as its display name.
func (w *World) givenDisplay(display string) bool {
	for _, s := range w.scm().svcs {
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
	case !isOpen(m, hSCM) && w.scm().set.nullArgsFirst && a.H != RefNULL && a.Name == nil:
		w.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		w.assert("scm.open.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case a.Name == nil:
		w.assert("scm.open.null-name")
		want = sim.ERROR_INVALID_ADDRESS
	case w.scm().set.openNameValidated && !validName(*a.Name):
		w.assert("scm.open.invalid-name-wine")
		want = sim.ERROR_INVALID_NAME
	case w.scm().svcs[lower(*a.Name)] == nil:
		w.assert("scm.open.unknown")
		want = sim.ERROR_SERVICE_DOES_NOT_EXIST
	default:
		// A service marked for delete opens on every profile
		// (service.c:424), and the new handle keeps the record.
		s = w.scm().svcs[lower(*a.Name)]
		if s.marked {
			w.assert("scm.open.marked-for-delete")
		}
	}
	v, got := w.sc().OpenService(a.thread(), w.value(a.H), a.Name, a.Access)
	st := w.step(a, []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Name)}, {Key: "access", Value: constArg(win32.GroupSvcAccess, a.Access)}}, want)
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
	got := w.sc().CloseServiceHandle(a.thread(), w.value(a.H))
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
			if !w.scm().set.closeWithdrawsQueued {
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
	w.scm().regs = slices.DeleteFunc(w.scm().regs, func(x *oReg) bool { return x == r })
	r.h.regs = slices.DeleteFunc(r.h.regs, func(x *oReg) bool { return x == r })
	if r.h.svc != nil {
		r.h.svc.regs = slices.DeleteFunc(r.h.svc.regs, func(x *oReg) bool { return x == r })
	}
}

// maybeRemove removes a service marked for delete once no handle to it is
// open and it is stopped; SCM handles watching the database learn of it.
func (w *World) maybeRemove(s *oSvc) {
	if !s.marked || s.open > 0 || s.st.state != win32.SERVICE_STOPPED || w.scm().svcs[lower(s.name)] != s {
		return
	}
	w.assert("scm.delete.removed-when-closed")
	delete(w.scm().svcs, lower(s.name))
	w.publish(nameEvent{win32.SERVICE_NOTIFY_DELETED, s.name})
}

func (w *World) doDelete(a Action) {
	h := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	switch {
	case !isOpen(h, hService):
		w.assert("scm.delete.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case !w.checkAccess(h, win32.DELETE, "scm.delete.access"):
		want = sim.ERROR_ACCESS_DENIED
	case h.svc.marked:
		w.assert("scm.delete.twice")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	default:
		h.svc.marked = true
		if h.svc.st.state != win32.SERVICE_STOPPED {
			w.assert("scm.delete.waits-for-stop")
		}
		w.notifyMarked(h.svc)
	}
	got := w.sc().DeleteService(a.thread(), w.value(a.H))
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}}, want))
	w.compareCode(a, got, want)
}
