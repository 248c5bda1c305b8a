package conformance

import (
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The key change notification part of the KSP oracle. Its rules are the
// NCryptNotifyChangeKey page (the flags, the codes, the handle being a
// FindFirstChangeNotification handle, the ServiceMain remark) and the
// catalog's declared model choices where the page is silent: the order of
// the checks (handle, provider support, flags, phEvent), which store
// events signal (a named key finalized, a stored key deleted, a property
// persisted on a stored key; never an ephemeral key), and the handle's
// kernel behavior (it stays signaled until FindNextChangeNotification, and
// changes meanwhile coalesce into one more signal).

// The notification actions, and the two model-side ones the family needs.
const (
	OpNIsAlg    Op = "NCryptIsAlgSupported"
	OpNSetProp  Op = "NCryptSetProperty"
	OpNNotify   Op = "NCryptNotifyChangeKey"
	OpFindNext  Op = "FindNextChangeNotification"
	OpFindClose Op = "FindCloseChangeNotification"
	// OpNRegisterProv installs a key storage provider named Provider;
	// NoNotify makes it one without change notification.
	OpNRegisterProv Op = "register_ksp"
	// OpCallerContext makes the thread a starting ServiceMain (Starting),
	// or an ordinary thread again.
	OpCallerContext Op = "caller_context"
)

// oNReg is a change registration: the provider and store it watches,
// whether changes were recorded while its handle was signaled, and whether
// NCryptNotifyChangeKey removed it (rather than a close of its handle).
type oNReg struct {
	prov         *oNProv
	store        string
	recorded     bool
	unregistered bool
}

// liveRegs returns the change handles still open, in issue order.
func (w *World) liveRegs() []*oHandle {
	var out []*oHandle
	for _, h := range w.order {
		if h.kind == hNChange && !h.closed {
			out = append(out, h)
		}
	}
	return out
}

// storeChanged signals every live registration watching the store: an
// unsignaled handle becomes signaled, a signaled one records the change.
// Registrations on another store or provider are not touched.
func (w *World) storeChanged(p *oNProv, store string) {
	for _, h := range w.liveRegs() {
		r := w.ksp().regs[h]
		if r.prov != p || r.store != store {
			w.assert("ksp.notify.store-scope")
			continue
		}
		w.assert("ksp.notify.triggers")
		if h.ev.signaled {
			r.recorded = true
		} else {
			h.ev.signaled = true
		}
	}
}

// unchanged notes an action on a store that changes nothing in it
// (creating a key, opening one, an unpersisted property): the rule of what
// signals says it signals nothing.
func (w *World) unchanged(p *oNProv, store string) {
	for _, h := range w.liveRegs() {
		if r := w.ksp().regs[h]; r.prov == p && r.store == store {
			w.assert("ksp.notify.triggers")
			return
		}
	}
}

// ephemeral notes an action on an ephemeral key: it signals nothing.
func (w *World) ephemeral() {
	if len(w.liveRegs()) > 0 {
		w.assert("ksp.notify.ephemeral-silent")
	}
}

// doNCryptNotify runs NCryptNotifyChangeKey. H is the provider, Key the handle
// *phEvent holds before the call ("" for NULL), NullOut passes NULL for
// phEvent, As names the change handle a registration writes.
func (w *World) doNCryptNotify(a Action) {
	s := w.ksp()
	th := a.thread()
	want, bind, closes := w.predictNCryptNotify(a)
	prior := w.value(a.Key)
	v := prior
	var out *sim.Handle
	if !a.NullOut {
		out = &v
	}
	got := w.ks().NCryptNotifyChangeKey(th, w.value(a.H), out, a.Flags)
	err := backend.Refusal(w.b)
	evRef := a.Key
	if evRef == "" {
		evRef = RefNULL
	}
	st := scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th), Args: []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)},
		{Key: "flags", Value: a.Flags}, {Key: "null_out", Value: a.NullOut}, {Key: "event", Value: scenario.Raw(evRef)}}}
	if !s.set.notifyWorks {
		// The profile declares the function an unimplemented stub
		// (ksp.notify.implemented false): the real call ends the process,
		// so a backend refuses it.
		w.log(st)
		if err == nil {
			w.fail(a, "returned %s, but under this profile (ksp.notify.implemented false) the call never returns", got.Code())
			return
		}
		w.refuse(a, err) // the backend declined it, as it must
		return
	}
	if err != nil {
		w.refuse(a, err)
		return
	}
	switch {
	case want != 0:
		st.Want = wantSimCode(want.Code())
	case bind != nil:
		st.As = a.As
		st.Expect = []scenario.Arg{{Key: "out", Value: scenario.Raw("new")}}
	default:
		st.Expect = []scenario.Arg{{Key: "out", Value: scenario.Raw(RefInvalid)}}
	}
	w.log(st)
	if got != want {
		w.fail(a, "got %s, want %s", got.Code(), want.Code())
		return
	}
	w.checkChangeHandleOut(a, v, prior, bind, closes)
}

// ncryptNotifyFlags are the flags of NCryptNotifyChangeKey: whether it
// registers or unregisters, whether the flags are bad (unknown bits, or
// not exactly one of register and unregister), and whether an
// unregistration names the machine store (ksp.notify.machine-flag-register-only).
type ncryptNotifyFlags struct{ reg, odd, machineUnreg bool }

func notifyFlagsOf(flags uint32) ncryptNotifyFlags {
	reg := flags&win32.NCRYPT_REGISTER_NOTIFY_FLAG != 0
	unreg := flags&win32.NCRYPT_UNREGISTER_NOTIFY_FLAG != 0
	known := win32.NCRYPT_REGISTER_NOTIFY_FLAG | win32.NCRYPT_UNREGISTER_NOTIFY_FLAG | win32.NCRYPT_MACHINE_KEY_FLAG | win32.NCRYPT_SILENT_FLAG
	return ncryptNotifyFlags{reg: reg, odd: flags&^known != 0 || reg == unreg, machineUnreg: unreg && flags&win32.NCRYPT_MACHINE_KEY_FLAG != 0}
}

// predictNCryptNotify predicts NCryptNotifyChangeKey: the provider handle
// (ksp.notify.invalid-handle), a provider without notifications
// (ksp.notify.not-supported), the flags (ksp.notify.bad-flags,
// machine-flag-register-only), a NULL phEvent (ksp.notify.invalid-parameter),
// then a registration (the change handle it binds) or an unregistration
// (the change handle it closes).
func (w *World) predictNCryptNotify(a Action) (want sim.HResult, bind, closes *oHandle) {
	s := w.ksp()
	ph := w.liveKind(a.H, hNProv)
	f := notifyFlagsOf(a.Flags)
	switch {
	case ph == nil:
		w.assert("ksp.handle.invalid", "ksp.notify.invalid-handle")
		want = sim.NTE_INVALID_HANDLE
	case s.provOf[ph].noNotify:
		w.assert("ksp.notify.not-supported")
		want = sim.NTE_NOT_SUPPORTED
	case f.odd:
		w.assert("ksp.notify.bad-flags")
		want = sim.NTE_BAD_FLAGS
	case f.machineUnreg:
		w.assert("ksp.notify.machine-flag-register-only")
		want = sim.NTE_BAD_FLAGS
	case a.NullOut:
		w.assert("ksp.notify.invalid-parameter")
		want = sim.NTE_INVALID_PARAMETER
	case f.reg:
		w.assert("ksp.notify.register")
		bind = &oHandle{kind: hNChange, ev: &oEvent{manual: true}}
		s.regs[bind] = &oNReg{prov: s.provOf[ph], store: kspStore(a.Flags)}
	default:
		want, closes = w.predictNCryptUnregister(a, ph)
	}
	if want == 0 && a.Flags&win32.NCRYPT_SILENT_FLAG != 0 {
		w.assert("ksp.notify.silent-tolerated")
	}
	wrong := 0
	for _, bad := range []bool{ph == nil, f.odd || f.machineUnreg, a.NullOut} {
		if bad {
			wrong++
		}
	}
	if wrong > 1 {
		w.assert("ksp.notify.validation-order")
	}
	return want, bind, closes
}

// predictNCryptUnregister predicts an unregistration: *phEvent must hold a
// live change handle of the same provider (ksp.notify.unregister), else
// NTE_INVALID_PARAMETER (ksp.notify.invalid-parameter; one FindCloseChangeNotification
// closed is ksp.notify.closed-by-findclose).
func (w *World) predictNCryptUnregister(a Action, ph *oHandle) (sim.HResult, *oHandle) {
	s := w.ksp()
	ev := w.handle(a.Key)
	r := s.regs[ev]
	if ev == nil || ev.closed || r == nil || r.prov != s.provOf[ph] {
		w.assert("ksp.notify.invalid-parameter")
		if ev != nil && ev.closed && r != nil && !r.unregistered {
			w.assert("ksp.notify.closed-by-findclose")
		}
		return sim.NTE_INVALID_PARAMETER, nil
	}
	w.assert("ksp.notify.unregister")
	return 0, ev
}

// checkChangeHandleOut checks what a successful call wrote to *phEvent: a
// new change handle for a registration, INVALID_HANDLE_VALUE for an
// unregistration, which closes the handle.
func (w *World) checkChangeHandleOut(a Action, v, prior sim.Handle, bind, closes *oHandle) {
	switch {
	case bind != nil:
		if v == prior || v == 0 || v == sim.INVALID_HANDLE_VALUE {
			w.fail(a, "succeeded, but wrote %s as the change handle", v)
			return
		}
		w.bind(a.As, v, bind)
	case closes != nil:
		closes.closed = true
		w.ksp().regs[closes].unregistered = true
		if v != sim.INVALID_HANDLE_VALUE {
			w.fail(a, "unregistered, but left %s in *phEvent instead of INVALID_HANDLE_VALUE", v)
		}
	}
}

// doChangeHandle runs FindNextChangeNotification and
// FindCloseChangeNotification, and returns the violations expected.
func (w *World) doChangeHandle(a Action) []string {
	s := w.ksp()
	th := a.thread()
	h := w.handle(a.H)
	want := sim.ERROR_SUCCESS
	var got sim.Errno
	var viol []string
	switch a.Op {
	case OpFindNext:
		switch {
		case h == nil || h.closed || h.kind != hNChange:
			w.assert("kernel.change.invalid-handle")
			want = sim.ERROR_INVALID_HANDLE
		case !h.ev.signaled:
			// Nothing signaled it since it was armed: the request is
			// still outstanding, and re-arming it is the caller's mistake.
			w.assert(sim.RuleChangeRearmOutstanding.ID, "ksp.notify.change-handle")
			viol = []string{sim.RuleChangeRearmOutstanding.ID}
		default:
			r := s.regs[h]
			w.assert("ksp.notify.change-handle", map[bool]string{true: "kernel.change.recorded", false: "kernel.change.rearm"}[r.recorded])
			h.ev.signaled, r.recorded = r.recorded, false
		}
		got = w.ks().FindNextChangeNotification(th, w.value(a.H))
	default:
		// It closes any kernel handle, as CloseHandle does.
		switch {
		case h == nil || h.closed || h.ev == nil:
			w.assert("kernel.change.invalid-handle")
			want = sim.ERROR_INVALID_HANDLE
		default:
			h.closed = true
			w.closeOwned(a.H)
			if h.kind == hNChange {
				w.assert("ksp.notify.closed-by-findclose", "kernel.change.close")
			}
		}
		got = w.ks().FindCloseChangeNotification(th, w.value(a.H))
	}
	w.log(scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th), Args: []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}, Want: wantCode(want)})
	if got != want {
		w.fail(a, "got %s, want %s", got, want)
	}
	return viol
}

// doRegisterProv installs a key storage provider; a name already
// registered is refused.
func (w *World) doRegisterProv(a Action) {
	s := w.ksp()
	name := ""
	if a.Provider != nil {
		name = *a.Provider
	}
	taken := name == "" || s.provs[strings.ToLower(name)] != nil
	err := backend.RegisterKeyStorageProvider(w.b, win32.ProviderConfig{Name: name, NoChangeNotify: a.NoNotify})
	w.log(scenario.ScriptStep{Kind: string(a.Op), Args: []scenario.Arg{{Key: "name", Value: name}, {Key: "change_notify", Value: !a.NoNotify}}})
	switch {
	case taken && err == nil:
		w.fail(a, "installed a provider named %q twice", name)
	case taken:
	case err != nil:
		w.failIf(a, "", err)
	default:
		s.provs[strings.ToLower(name)] = &oNProv{name: strings.ToLower(name), noNotify: a.NoNotify}
	}
}

// doCallerContext makes the thread a ServiceMain that has not reported
// SERVICE_RUNNING yet, or an ordinary thread again.
func (w *World) doCallerContext(a Action) {
	th := a.thread()
	err := backend.SetCallerContext(w.b, th, sim.CallerContext{ServiceStarting: a.Starting})
	w.log(scenario.ScriptStep{Kind: string(a.Op), Args: []scenario.Arg{{Key: "thread", Value: th}, {Key: "in_service_main", Value: a.Starting}}})
	w.failIf(a, "", err)
	if err == nil {
		w.ksp().starting[th] = a.Starting
	}
}
