package ksp

import (
	"fmt"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// changeHandleAccess is the access a change handle is opened with: the
// access FindFirstChangeNotification asks for its directory handle
// (FILE_LIST_DIRECTORY | SYNCHRONIZE).
const changeHandleAccess = 0x00100001

// NotifyImplemented reports whether NCryptNotifyChangeKey returns at all
// under the machine's profile. Where it does not (Wine 8.0 declares it as a
// stub, and calling it aborts the process), the call returns a
// *sim.AbortError.
func (k *KSP) NotifyImplemented() bool { return settingNotifyImplemented.In(k.m.Profile()) }

// NCryptNotifyChangeKey registers or removes a key change notification.
//
// With NCRYPT_REGISTER_NOTIFY_FLAG it writes a new change handle through
// phEvent: a waitable kernel object, signaled when the provider's user store
// (or, with NCRYPT_MACHINE_KEY_FLAG, machine store) changes, re-armed with
// FindNextChangeNotification. With NCRYPT_UNREGISTER_NOTIFY_FLAG it closes
// the handle *phEvent holds and writes INVALID_HANDLE_VALUE there.
//
// The checks run in the model's declared order: the provider handle
// (NTE_INVALID_HANDLE), the provider's support (NTE_NOT_SUPPORTED), the
// flags (NTE_BAD_FLAGS), then phEvent (NTE_INVALID_PARAMETER).
//
// Under a profile where the function is an unimplemented stub
// (NotifyImplemented is false), the real call aborts the process; the model
// returns a *sim.AbortError and no status. Otherwise the error is nil.
func (k *KSP) NCryptNotifyChangeKey(t *sim.Thread, hProvider sim.Handle, phEvent *sim.Handle, flags uint32) (sim.HResult, error) {
	k.begin(t, "NCryptNotifyChangeKey")
	defer kernel.Unlock(k.m)
	if !k.NotifyImplemented() {
		return 0, kernel.Abort(k.m, t, "NCryptNotifyChangeKey", "unimplemented stub under profile "+k.m.Profile().Name)
	}
	return k.notifyChangeKey(t, hProvider, phEvent, flags), nil
}

func (k *KSP) notifyChangeKey(t *sim.Thread, hProvider sim.Handle, phEvent *sim.Handle, flags uint32) sim.HResult {
	ev := outArg(phEvent)
	call := func() string {
		return fmt.Sprintf("NCryptNotifyChangeKey(%s, %s, %s)", hProvider, ev, fmtConst(win32.GroupNCryptFlags, flags))
	}
	p, ok := k.lookupProv(t, hProvider)
	if !ok {
		return k.ret(t, call, sim.FaultBroken("ksp.notify.invalid-handle", sim.NTE_INVALID_HANDLE, sim.NTE_INVALID_PARAMETER))
	}
	unsupported := p.cfg.NoChangeNotify
	unsupported = sim.FaultBroken("ksp.notify.not-supported", unsupported, false)
	if unsupported {
		return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
	}
	register := flags&win32.NCRYPT_REGISTER_NOTIFY_FLAG != 0
	unregister := flags&win32.NCRYPT_UNREGISTER_NOTIFY_FLAG != 0
	// NCRYPT_MACHINE_KEY_FLAG goes with NCRYPT_REGISTER_NOTIFY_FLAG only.
	machineUnregister := unregister && flags&win32.NCRYPT_MACHINE_KEY_FLAG != 0
	machineUnregister = sim.FaultBroken("ksp.notify.machine-flag-register-only", machineUnregister, false)
	if flags&^notifyFlags != 0 || register == unregister || machineUnregister {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	if phEvent == nil {
		return k.ret(t, call, sim.NTE_INVALID_PARAMETER)
	}
	if register {
		h := k.register(t, p.storeFor(sim.FaultBroken("ksp.notify.store-scope", flags, 0)))
		*phEvent = h
		return k.retOut(t, call, "phEvent", h)
	}
	st, cn := p.watcherOf(t, *phEvent)
	if cn == nil {
		return k.ret(t, call, sim.FaultBroken("ksp.notify.invalid-parameter", sim.NTE_INVALID_PARAMETER, sim.NTE_INVALID_HANDLE))
	}
	kernel.CloseChange(cn, t, *phEvent)
	st.watchers = removeItem(st.watchers, cn)
	*phEvent = sim.FaultBroken("ksp.notify.unregister", sim.INVALID_HANDLE_VALUE, *phEvent)
	return k.retOut(t, call, "phEvent", sim.INVALID_HANDLE_VALUE)
}

// register creates a change handle in t's process watching st. The object
// is the registration's one allocation: the store lists it as a watcher and
// the store's one close hook forgets it.
func (k *KSP) register(t *sim.Thread, st *store) sim.Handle {
	if st.forget == nil {
		st.forget = st.forgetClosed
	}
	cn := kernel.NewChangeNotification(st.label, st.forget)
	// A new registration is not signaled.
	bornSignaled := sim.FaultBroken("ksp.notify.register", false, true)
	if bornSignaled {
		kernel.Change(cn, k.m, t)
	}
	st.watchers = append(st.watchers, cn)
	return kernel.Handles(t).Insert(cn, changeHandleAccess)
}

// watcherOf returns p's live change handle h of t's process: its object and
// the store it watches, or nils.
func (p *provider) watcherOf(t *sim.Thread, h sim.Handle) (*store, *sim.ChangeNotification) {
	cn, _, st := sim.Resolve[*sim.ChangeNotification](kernel.Handles(t), h)
	if st != sim.HandleValid {
		return nil, nil
	}
	for _, s := range [...]*store{p.user, p.machine} {
		if slices.Contains(s.watchers, cn) {
			return s, cn
		}
	}
	return nil, nil
}

// forgetClosed is the close hook of st's change handles (CloseHandle,
// FindCloseChangeNotification, the process's exit): it forgets the watcher
// that was just closed. The object marks itself closed before its hook
// runs, and every other watcher is open (each is forgotten as it closes),
// so the hook needs no reference to the registration: one hook, made once
// per store, serves them all, and a registration allocates nothing but its
// object.
func (st *store) forgetClosed(*sim.Thread) {
	st.watchers = slices.DeleteFunc(st.watchers, (*sim.ChangeNotification).Closed)
}

func removeItem[T comparable](s []T, x T) []T {
	for i, y := range s {
		if y == x {
			return append(s[:i], s[i+1:]...)
		}
	}
	return s
}

// storeChanged records a change of st made by t and signals every change
// handle watching it, in registration order.
// what says what changed; it is only evaluated when the machine records a
// trace.
func (k *KSP) storeChanged(t *sim.Thread, st *store, what func() string) {
	if k.m.Tracing() {
		kernel.Tracef(k.m, t, sim.EvTransition, "%s: %s", st.label, what())
	}
	for _, cn := range st.watchers {
		kernel.Change(cn, k.m, t)
	}
}
