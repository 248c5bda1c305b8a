package hive

import (
	"fmt"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
)

// This file checks the driver compliance rules of the registry routines
// (the DDI rules the ZwFlushKey page lists) for threads whose caller
// context names a driver model. Static Driver Verifier proves them at build
// time and Driver Verifier checks some at run time; the model checks them on
// every call and reports each breach as a violation naming the rule.

// driverState is what the checks remember of one driver thread.
type driverState struct {
	// released maps the value of every handle the driver obtained through
	// ZwCreateKey or ZwOpenKey and then closed, to how it obtained it.
	released map[sim.Handle]opener
}

func (r *Registry) driver(t *sim.Thread) *driverState {
	d := r.drivers[t]
	if d == nil {
		d = &driverState{released: map[sim.Handle]opener{}}
		r.drivers[t] = d
	}
	return d
}

// handleRule returns the rule that governs a handle obtained by how, for
// the thread's driver model.
func handleRule(dm sim.DriverModel, how opener) sim.Rule {
	switch {
	case dm == sim.DriverStorport && how == openedOpen:
		return RuleStorportZwRegistryOpen
	case dm == sim.DriverStorport:
		return RuleStorportZwRegistryCreate
	case how == openedOpen:
		return RuleZwRegistryOpen
	}
	return RuleZwRegistryCreate
}

// violateHandle reports a breach of one of the handle rules (handleRule).
// The fault switch of each of those rules, keyed by its id, silences its
// reports.
func (r *Registry) violateHandle(t *sim.Thread, rule sim.Rule, format string, args ...any) {
	reported := sim.FaultBroken(rule.ID, true, false)
	if reported {
		kernel.Violate(r.m, t, rule, format, args...)
	}
}

// enter runs the checks every Zw registry routine is subject to: the IRQL,
// and the routines a Storport miniport must not call.
func (r *Registry) enter(t *sim.Thread, via Via, api string) {
	if via != Zw {
		return
	}
	// The Zw registry routines run at PASSIVE_LEVEL.
	raised := kernel.Context(t).IRQL != sim.PASSIVE_LEVEL
	raised = sim.FaultBroken("ddi.IrqlZwPassive", raised, false)
	if raised {
		kernel.Violate(r.m, t, RuleIrqlZwPassive, "%s called at %s", api, kernel.Context(t).IRQL)
	}
	prohibited := kernel.Context(t).Driver == sim.DriverStorport && slices.Contains(storportProhibited, api)
	prohibited = sim.FaultBroken("ddi.storport.HwStorPortProhibitedDDIs", prohibited, false)
	if prohibited {
		kernel.Violate(r.m, t, RuleHwStorPortProhibitedDDIs, "a Storport miniport called %s", api)
	}
}

// storportProhibited are the registry routines whose reference pages name
// HwStorPortProhibitedDDIs.
var storportProhibited = []string{"ZwFlushKey", "ZwDeleteKey"}

// checkUse reports a driver using a registry handle it no longer holds: one
// it closed, or one it passed to ZwDeleteKey (which only ZwClose may follow,
// as the ZwDeleteKey page requires).
func (r *Registry) checkUse(t *sim.Thread, via Via, api string, h sim.Handle) {
	dm := kernel.Context(t).Driver
	if via != Zw || dm == sim.DriverNone {
		return
	}
	if how, ok := r.driver(t).released[h]; ok {
		r.violateHandle(t, handleRule(dm, how), "%s(%s): the handle was already closed", api, h)
		return
	}
	if kh := r.peek(t, h); kh != nil && kh.owner == t && kh.deleted && api != "ZwClose" {
		r.violateHandle(t, handleRule(dm, kh.via), "%s(%s): the handle was passed to ZwDeleteKey; only ZwClose may follow", api, h)
	}
}

// releasedByDelete records that the owner passed its handle to ZwDeleteKey.
func (r *Registry) releasedByDelete(t *sim.Thread, via Via, kh *keyHandle) {
	if via == Zw && kh.owner == t {
		kh.deleted = true
	}
}

// checkHeldTwice reports ZwCreateKey or ZwOpenKey of a key the driver
// already holds open.
func (r *Registry) checkHeldTwice(t *sim.Thread, how opener, k *key) {
	held := r.ownedBy(t, func(kh *keyHandle) bool { return kh.key == k })
	if len(held) == 0 {
		return
	}
	api := "ZwCreateKey"
	if how == openedOpen {
		api = "ZwOpenKey"
	}
	r.violateHandle(t, handleRule(kernel.Context(t).Driver, how), "%s of %s while the driver holds it open as %s", api, k.fullPath(), held[0].value)
}

// ownedBy returns the open handles t obtained as a driver and that match,
// ordered by value.
func (r *Registry) ownedBy(t *sim.Thread, match func(*keyHandle) bool) []*keyHandle {
	var out []*keyHandle
	for _, kh := range r.handles {
		if kh.owner == t && match(kh) {
			out = append(out, kh)
		}
	}
	slices.SortFunc(out, func(a, b *keyHandle) int {
		switch {
		case a.value < b.value:
			return -1
		case a.value > b.value:
			return 1
		}
		return 0
	})
	return out
}

// ReturnFromRoutine is the driver thread t returning from the routine its
// caller context names. A WDM driver must not return from a dispatch or
// cancel routine, and a Storport miniport from any routine, while it holds a
// registry handle it obtained through ZwCreateKey or ZwOpenKey: each such
// handle is reported. The thread is then in no particular routine
// (sim.RoutineOther).
func (r *Registry) ReturnFromRoutine(t *sim.Thread) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	ctx := *kernel.Context(t)
	kernel.Tracef(r.m, t, sim.EvNote, "return from %s routine (%s driver)", ctx.Routine, ctx.Driver)
	check := ctx.Driver == sim.DriverStorport ||
		(ctx.Driver == sim.DriverWDM && (ctx.Routine == sim.RoutineDispatch || ctx.Routine == sim.RoutineCancel))
	if check {
		for _, kh := range r.ownedBy(t, func(*keyHandle) bool { return true }) {
			r.violateHandle(t, handleRule(ctx.Driver, kh.via), "%s", fmt.Sprintf("returned from the %s routine with %s (%s) still open", ctx.Routine, kh.value, kh.key.fullPath()))
		}
	}
	kernel.Context(t).Routine = sim.RoutineOther
}
