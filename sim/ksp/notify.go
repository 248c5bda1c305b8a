package ksp

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// registration is one live NCryptNotifyChangeKey registration: a change
// handle watching one store of one provider.
type registration struct {
	id    int
	prov  *provider
	store *store
	cn    *sim.ChangeNotification
}

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
		h := k.register(t, p, p.storeFor(sim.FaultBroken("ksp.notify.store-scope", flags, 0)))
		*phEvent = h
		return k.retOut(t, call, "phEvent", h)
	}
	r := p.registrationOf(t, *phEvent)
	if r == nil {
		return k.ret(t, call, sim.FaultBroken("ksp.notify.invalid-parameter", sim.NTE_INVALID_PARAMETER, sim.NTE_INVALID_HANDLE))
	}
	kernel.CloseChange(r.cn, t, *phEvent)
	k.drop(r)
	*phEvent = sim.FaultBroken("ksp.notify.unregister", sim.INVALID_HANDLE_VALUE, *phEvent)
	return k.retOut(t, call, "phEvent", sim.INVALID_HANDLE_VALUE)
}

// register creates a change handle in t's process watching st.
func (k *KSP) register(t *sim.Thread, p *provider, st *store) sim.Handle {
	k.nextReg++
	r := &registration{id: k.nextReg, prov: p, store: st}
	r.cn = kernel.NewChangeNotification(st.label, func(*sim.Thread) { k.drop(r) })
	// A new registration is not signaled.
	bornSignaled := sim.FaultBroken("ksp.notify.register", false, true)
	if bornSignaled {
		kernel.Change(r.cn, k.m, t)
	}
	st.watchers = append(st.watchers, r)
	p.regs = append(p.regs, r)
	return kernel.Handles(t).Insert(r.cn, changeHandleAccess)
}

// registrationOf returns p's live registration whose change handle is h in
// t's process, or nil.
func (p *provider) registrationOf(t *sim.Thread, h sim.Handle) *registration {
	cn, _, st := sim.Resolve[*sim.ChangeNotification](kernel.Handles(t), h)
	if st != sim.HandleValid {
		return nil
	}
	for _, r := range p.regs {
		if r.cn == cn {
			return r
		}
	}
	return nil
}

// drop forgets a registration whose handle is being closed.
func (k *KSP) drop(r *registration) {
	r.store.watchers = removeItem(r.store.watchers, r)
	r.prov.regs = removeItem(r.prov.regs, r)
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
	for _, r := range st.watchers {
		kernel.Change(r.cn, k.m, t)
	}
}
