package conformance

import (
	"slices"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The services database part of the SCM oracle: CreateService, OpenService,
// CloseServiceHandle and DeleteService.

// predictCreate states CreateService, in the catalog's order: the handle,
// NULL pointers (before a non-NULL bad handle where the profile says so),
// access, the name, the binary path and the types, the error control, then
// the services database: an existing or marked service, and display names
// against names as the profile compares them.
func (e *ksEdit) predictCreate(a Action, m *scHandle, display string, errCtl win32.ServiceErrorControl) (want sim.Errno) {
	args := argsOf[scmArgs](a)
	tooLong := args.name != nil && len([]rune(*args.name)) > 256
	want = sim.ERROR_SUCCESS
	switch {
	case !isOpen(m, hSCM) && e.s.set.nullArgsFirst && a.H != RefNULL && (args.name == nil || args.binary == nil):
		e.assert("scm.null-args-before-handle-wine")
		want = sim.ERROR_INVALID_ADDRESS
	case !isOpen(m, hSCM):
		e.assert("scm.create.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	case args.name == nil || args.binary == nil:
		e.assert("scm.create.null-name-or-binary")
		want = sim.ERROR_INVALID_ADDRESS
	case !e.checkAccess(m, win32.SC_MANAGER_CREATE_SERVICE, "scm.create.access"):
		want = sim.ERROR_ACCESS_DENIED
	case !validName(*args.name):
		e.assert("scm.create.invalid-name")
		want = sim.ERROR_INVALID_NAME
	case tooLong && e.s.set.nameLengthChecked:
		e.assert("scm.create.name-too-long")
		want = sim.ERROR_INVALID_NAME
	case *args.binary == "":
		e.assert("scm.create.empty-binary")
		want = sim.ERROR_INVALID_PARAMETER
	case !validTypes(args.serviceType, args.startType):
		e.assert("scm.create.invalid-type")
		want = sim.ERROR_INVALID_PARAMETER
	case errCtl > win32.SERVICE_ERROR_CRITICAL && e.s.set.errorControlChecked:
		e.assert("scm.create.invalid-error-control")
		want = sim.ERROR_INVALID_PARAMETER
	case e.s.svcs[lower(*args.name)] != nil && e.s.svcs[lower(*args.name)].marked:
		e.assert("scm.create.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case e.s.svcs[lower(*args.name)] != nil:
		e.assert("scm.create.exists")
		want = sim.ERROR_SERVICE_EXISTS
	default:
		want = e.predictDisplayName(*args.name, display)
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
func createArgs(a Action, errCtl win32.ServiceErrorControl) []scenario.Arg {
	args := argsOf[scmArgs](a)
	out := []scenario.Arg{{Key: "scm", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(args.name)}}
	if args.display != nil {
		out = append(out, scenario.Arg{Key: "display", Value: *args.display})
	}
	out = append(out, scenario.Arg{Key: "access", Value: constArg(win32.GroupSvcAccess, args.access)},
		scenario.Arg{Key: "type", Value: constArg(win32.GroupServiceType, args.serviceType)},
		scenario.Arg{Key: "start", Value: constArg(win32.GroupStartType, args.startType)},
		scenario.Arg{Key: "binary", Value: strArg(args.binary)})
	if args.errorControl != nil {
		out = append(out, scenario.Arg{Key: "error_control", Value: constArg(win32.GroupErrorCtl, errCtl)})
	}
	if len(args.deps) > 0 {
		out = append(out, scenario.Arg{Key: "dependencies", Value: args.deps})
	}
	return out
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
