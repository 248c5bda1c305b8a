package conformance

import (
	"errors"
	"strings"

	"github.com/winsim/winsim/backend"
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

// liveRegs returns the indexes of the change handles still open, in issue
// order.
func (e *kspEdit) liveRegs() []int {
	var out []int
	for i, h := range e.hs {
		if h.kind == hNChange && !h.closed {
			out = append(out, i)
		}
	}
	return out
}

// storeChanged signals every live registration watching the store: an
// unsignaled handle becomes signaled, a signaled one records the change.
// Registrations on another store or provider are not touched.
func (e *kspEdit) storeChanged(prov, store string) {
	for _, i := range e.liveRegs() {
		if r := e.hs[i]; r.prov != prov || r.store != store {
			e.assert("ksp.notify.store-scope")
			continue
		}
		e.assert("ksp.notify.triggers")
		if r := e.handleAt(i); r.signaled {
			r.recorded = true
		} else {
			r.signaled = true
		}
	}
}

// unchanged notes an action on a store that changes nothing in it
// (creating a key, opening one, an unpersisted property): the rule of what
// signals says it signals nothing.
func (e *kspEdit) unchanged(prov, store string) {
	for _, i := range e.liveRegs() {
		if r := e.hs[i]; r.prov == prov && r.store == store {
			e.assert("ksp.notify.triggers")
			return
		}
	}
}

// ephemeral notes an action on an ephemeral key: it signals nothing.
func (e *kspEdit) ephemeral() {
	if len(e.liveRegs()) > 0 {
		e.assert("ksp.notify.ephemeral-silent")
	}
}

// kspNotifyRefused is why the backend must refuse NCryptNotifyChangeKey
// where the profile declares it an unimplemented stub.
const kspNotifyRefused = "under this profile (ksp.notify.implemented false) the call never returns"

// notify is NCryptNotifyChangeKey. H is the provider, Key the handle
// *phEvent holds before the call ("" for NULL), NullOut passes NULL for
// phEvent, As names the change handle a registration writes. Where the
// profile declares the function an unimplemented stub
// (ksp.notify.implemented false) the real call ends the process, so a
// backend refuses it.
func (e *kspEdit) notify(a Action) Expect {
	if !e.set.notifyWorks {
		e.rules, e.viol = nil, nil
		return Expect{Refuse: kspNotifyRefused}
	}
	want, bind, closes := e.predictNCryptNotify(a)
	switch {
	case want != 0:
		return Expect{OneOf: []sim.Code{want.Code()}}
	case bind != nil:
		bind.name = a.As
		e.bind(*bind)
		return Expect{OneOf: []sim.Code{sim.HResult(0).Code()}, Out: outNew, OutFail: "succeeded, but wrote %s as the change handle"}
	}
	h := e.handleAt(closes)
	h.closed, h.unregistered = true, true
	return Expect{OneOf: []sim.Code{sim.HResult(0).Code()}, Out: outInvalid, OutFail: "unregistered, but left %s in *phEvent instead of INVALID_HANDLE_VALUE"}
}

// kspNotifyCall makes NCryptNotifyChangeKey's call: *phEvent holds Key's
// value before it, and what the call leaves there is bound to As when it
// succeeds (the driver checks it against Expect.Out first).
func kspNotifyCall(b backend.Kernel, api backend.KSP, a Action, vars handleVars) (sim.Code, error) {
	args := kspArgsOf(a)
	v := vars.value(args.event)
	var out *sim.Handle
	if !args.nullOut {
		out = &v
	}
	got := api.NCryptNotifyChangeKey(a.thread(), vars.value(a.H), out, args.flags)
	if err := backend.Refusal(b); err != nil {
		return sim.Code{}, err
	}
	if got == 0 && out != nil {
		vars.bindValue(a.As, v)
	}
	return got.Code(), nil
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
// (the index of the change handle it closes).
func (e *kspEdit) predictNCryptNotify(a Action) (want sim.HResult, bind *kspHandle, closes int) {
	args := kspArgsOf(a)
	ph, live := e.live(a.H, hNProv)
	f := notifyFlagsOf(args.flags)
	switch {
	case !live:
		e.assert("ksp.handle.invalid", "ksp.notify.invalid-handle")
		want = sim.NTE_INVALID_HANDLE
	case e.provs[e.hs[ph].prov].noNotify:
		e.assert("ksp.notify.not-supported")
		want = sim.NTE_NOT_SUPPORTED
	case f.odd:
		e.assert("ksp.notify.bad-flags")
		want = sim.NTE_BAD_FLAGS
	case f.machineUnreg:
		e.assert("ksp.notify.machine-flag-register-only")
		want = sim.NTE_BAD_FLAGS
	case args.nullOut:
		e.assert("ksp.notify.invalid-parameter")
		want = sim.NTE_INVALID_PARAMETER
	case f.reg:
		e.assert("ksp.notify.register")
		bind = &kspHandle{kind: hNChange, prov: e.hs[ph].prov, store: kspStore(args.flags)}
	default:
		want, closes = e.predictNCryptUnregister(a, e.hs[ph].prov)
	}
	if want == 0 && args.flags&win32.NCRYPT_SILENT_FLAG != 0 {
		e.assert("ksp.notify.silent-tolerated")
	}
	wrong := 0
	for _, bad := range []bool{!live, f.odd || f.machineUnreg, args.nullOut} {
		if bad {
			wrong++
		}
	}
	if wrong > 1 {
		e.assert("ksp.notify.validation-order")
	}
	return want, bind, closes
}

// predictNCryptUnregister predicts an unregistration: *phEvent must hold a
// live change handle of the same provider (ksp.notify.unregister), else
// NTE_INVALID_PARAMETER (ksp.notify.invalid-parameter; one FindCloseChangeNotification
// closed is ksp.notify.closed-by-findclose). It returns the index of the
// change handle.
func (e *kspEdit) predictNCryptUnregister(a Action, prov string) (sim.HResult, int) {
	args := kspArgsOf(a)
	i, ok := e.handle(args.event)
	if !ok || e.hs[i].kind != hNChange || e.hs[i].closed || e.hs[i].prov != prov {
		e.assert("ksp.notify.invalid-parameter")
		if ok && e.hs[i].kind == hNChange && e.hs[i].closed && !e.hs[i].unregistered {
			e.assert("ksp.notify.closed-by-findclose")
		}
		return sim.NTE_INVALID_PARAMETER, 0
	}
	e.assert("ksp.notify.unregister")
	return 0, i
}

// changeHandle is FindNextChangeNotification and
// FindCloseChangeNotification.
func (e *kspEdit) changeHandle(a Action) Expect {
	want := sim.ERROR_SUCCESS
	i, own := e.handle(a.H)
	if a.Op == OpFindNext {
		switch {
		case !own || e.hs[i].closed || e.hs[i].kind != hNChange:
			e.assert("kernel.change.invalid-handle")
			want = sim.ERROR_INVALID_HANDLE
		case !e.hs[i].signaled:
			// Nothing signaled it since it was armed: the request is
			// still outstanding, and re-arming it is the caller's mistake.
			e.assert(sim.RuleChangeRearmOutstanding.ID, "ksp.notify.change-handle")
			e.viol = []string{sim.RuleChangeRearmOutstanding.ID}
		default:
			h := e.handleAt(i)
			e.assert("ksp.notify.change-handle", map[bool]string{true: "kernel.change.recorded", false: "kernel.change.rearm"}[h.recorded])
			h.signaled, h.recorded = h.recorded, false
		}
		return Expect{OneOf: []sim.Code{want.Code()}}
	}
	// It closes any kernel handle, as CloseHandle does.
	switch {
	case own && !e.hs[i].closed && e.hs[i].kind == hNChange:
		e.handleAt(i).closed = true
		e.assert("ksp.notify.closed-by-findclose", "kernel.change.close")
	case own:
		e.assert("kernel.change.invalid-handle")
		want = sim.ERROR_INVALID_HANDLE
	default:
		h, f, ok := e.all.handleIn(a.H)
		if !ok || h.closed || !h.waitable || f.closeHandle == nil {
			e.assert("kernel.change.invalid-handle")
			want = sim.ERROR_INVALID_HANDLE
			break
		}
		e.all = e.all.with(f, f.closeHandle(e.all.of(f), a.H))
	}
	return Expect{OneOf: []sim.Code{want.Code()}}
}

// registerProv installs a key storage provider; a name already
// registered (or none) is refused.
func (e *kspEdit) registerProv(a Action) Expect {
	args := kspArgsOf(a)
	name := ""
	if args.provider != nil {
		name = *args.provider
	}
	if _, taken := e.provs[strings.ToLower(name)]; taken || name == "" {
		return Expect{OneOf: []sim.Code{kspNotInstalled}, Setup: true}
	}
	e.addProv(oNProv{name: strings.ToLower(name), noNotify: args.noNotify})
	return Expect{OneOf: []sim.Code{cOK}, Setup: true}
}

// kspNotInstalled is the result of an installation the backend refused
// (its error): the call has no code of its own.
var kspNotInstalled = sim.ERROR_ALREADY_REGISTERED.Code()

// kspSetupCode turns a setup's error into its result: ERROR_SUCCESS, or
// kspNotInstalled for an error other than the backend's refusal
// (backend.ErrUnsupported), which stops the run.
func kspSetupCode(err error) (sim.Code, error) {
	switch {
	case err == nil:
		return cOK, nil
	case errors.Is(err, backend.ErrUnsupported):
		return sim.Code{}, err
	}
	return kspNotInstalled, nil
}
