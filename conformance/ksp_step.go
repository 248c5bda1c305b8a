package conformance

import (
	"fmt"
	"maps"
	"slices"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The key-storage family's oracle as a pure step (see pureFamily): kspStep
// says from the oracle state and an action alone what Windows returns,
// which rules decide it, what the call leaves in its output handle and
// what the state becomes; kspCall makes the call and kspScript writes it
// as a scenario step. It is a stepAll: NCryptFreeObject and
// FindCloseChangeNotification take other families' handles (an event),
// which it reads, and closes, through their declarations (shared.go).

// kspEdit is a step's working copy of the family's state: it starts as the
// state the step was given and clones each part of it (a map, the handle
// list) the first time the step changes that part, so the state given
// stays as it was. It gathers the rules that decide the result and the
// violations the action causes; all is the whole oracle state, through
// which the step reads and closes other families' handles.
type kspEdit struct {
	kspState
	all   oracleState
	owned struct{ keys, named, provs, hs, vars, starting bool }
	rules []string
	viol  []string
}

func (e *kspEdit) assert(ids ...string) { e.rules = append(e.rules, ids...) }

// handleAt returns a handle to change.
func (e *kspEdit) handleAt(i int) *kspHandle {
	if !e.owned.hs {
		e.hs, e.owned.hs = slices.Clone(e.hs), true
	}
	return &e.hs[i]
}

// setKey stores persisted key id under a slot; 0 removes it.
func (e *kspEdit) setKey(slot string, id int) {
	if !e.owned.keys {
		e.keys, e.owned.keys = maps.Clone(e.keys), true
	}
	if id == 0 {
		delete(e.keys, slot)
		return
	}
	e.keys[slot] = id
}

func (e *kspEdit) setNamed(slot string) {
	if e.named[slot] {
		return
	}
	if !e.owned.named {
		e.named, e.owned.named = maps.Clone(e.named), true
	}
	e.named[slot] = true
}

func (e *kspEdit) addProv(p oNProv) {
	if !e.owned.provs {
		e.provs, e.owned.provs = maps.Clone(e.provs), true
	}
	e.provs[p.name] = p
}

func (e *kspEdit) setStarting(th string, starting bool) {
	if !e.owned.starting {
		e.starting, e.owned.starting = maps.Clone(e.starting), true
	}
	e.starting[th] = starting
}

// bind records the handle a call hands out under its variable.
func (e *kspEdit) bind(h kspHandle) {
	e.hs, e.owned.hs = append(slices.Clip(e.hs), h), true
	if !e.owned.vars {
		e.vars, e.owned.vars = maps.Clone(e.vars), true
	}
	e.vars[h.name] = len(e.hs) - 1
}

// liveWaitable reports whether a reference names an open waitable handle
// (a change handle, or another family's event): the kernel object
// NCryptFreeObject refuses as no ncrypt handle.
func (e *kspEdit) liveWaitable(ref string) bool {
	if i, ok := e.handle(ref); ok {
		return !e.hs[i].closed && e.hs[i].kind == hNChange
	}
	h, _, ok := e.all.handleIn(ref)
	return ok && !h.closed && h.waitable
}

// kspStep is the family's oracle.
func kspStep(all oracleState, a Action) (oracleState, Expect) {
	e := &kspEdit{kspState: all.of(kspSlot.f).(kspState), all: all}
	want := e.step(a)
	next := e.all.with(kspSlot.f, e.kspState)
	want.Rules, want.Violations = e.rules, e.viol
	return next, want
}

// step works out one action on e.
func (e *kspEdit) step(a Action) Expect {
	args := kspArgsOf(a)
	if ncryptOp(a.Op) && e.starting[a.thread()] {
		e.assert(ruleServiceStart)
		e.viol = []string{ruleServiceStart}
	}
	switch a.Op {
	case OpNNotify:
		return e.notify(a)
	case OpFindNext, OpFindClose:
		return e.changeHandle(a)
	case OpNRegisterProv:
		return e.registerProv(a)
	case OpCallerContext:
		e.setStarting(a.thread(), args.starting)
		return Expect{OneOf: []sim.Code{cOK}, Setup: true}
	}
	var p kspPrediction
	switch a.Op {
	case OpNOpenProv:
		p = e.predictNOpenProv(a)
	case OpNFree:
		p = e.predictNFree(a)
	case OpNCreate:
		p = e.predictNCreate(a)
	case OpNFinalize:
		p = e.predictNFinalize(a)
	case OpNOpenKey:
		p = e.predictNOpenKey(a)
	case OpNDelete:
		p = e.predictNDelete(a)
	case OpNIsAlg:
		p = e.predictNIsAlg(a)
	case OpNSetProp:
		p = e.predictSetProperty(a)
	default:
		return Expect{}
	}
	want := Expect{OneOf: []sim.Code{p.want.Code()}}
	switch {
	case p.want != 0:
		return want
	case p.undefinedFlags:
		e.assert("ksp.flags.ignored-wine")
	}
	if p.changed != nil {
		e.storeChanged(p.changed.prov, p.changed.store)
	}
	if p.bind != nil {
		p.bind.name = a.As
		e.bind(*p.bind)
		want.Out = outNew
	}
	return want
}

// kspCall makes an action's call on the backend. A call that hands out a
// handle writes it over BOGUS (unless the action passes a NULL pointer);
// the value written is bound to a.As when the call succeeds (the driver
// checks it against Expect.Out first).
func kspCall(b backend.Kernel, a Action, vars handleVars) (sim.Code, error) {
	args := kspArgsOf(a)
	th := a.thread()
	switch a.Op {
	case OpNRegisterProv:
		name := ""
		if args.provider != nil {
			name = *args.provider
		}
		return kspSetupCode(backend.RegisterKeyStorageProvider(b, win32.ProviderConfig{Name: name, NoChangeNotify: args.noNotify}))
	case OpCallerContext:
		return cOK, backend.SetCallerContext(b, th, sim.CallerContext{ServiceStarting: args.starting})
	}
	api, ok := b.(backend.KSP)
	if !ok {
		return sim.Code{}, fmt.Errorf("the backend does not implement the key-storage family")
	}
	switch a.Op {
	case OpNNotify:
		return kspNotifyCall(b, api, a, vars)
	case OpFindNext:
		return api.FindNextChangeNotification(th, vars.value(a.H)).Code(), nil
	case OpFindClose:
		return api.FindCloseChangeNotification(th, vars.value(a.H)).Code(), nil
	}
	var out *sim.Handle
	if !args.nullOut {
		initial := scenario.BOGUS
		out = &initial
	}
	var got sim.HResult
	switch a.Op {
	case OpNOpenProv:
		got = api.NCryptOpenStorageProvider(th, out, args.provider, args.flags)
	case OpNFree:
		return api.NCryptFreeObject(th, vars.value(a.H)).Code(), nil
	case OpNCreate:
		got = api.NCryptCreatePersistedKey(th, vars.value(a.H), out, args.alg, args.name, 0, args.flags)
	case OpNFinalize:
		return api.NCryptFinalizeKey(th, vars.value(a.H), args.flags).Code(), nil
	case OpNOpenKey:
		got = api.NCryptOpenKey(th, vars.value(a.H), out, args.name, 0, args.flags)
	case OpNDelete:
		return api.NCryptDeleteKey(th, vars.value(a.H), args.flags).Code(), nil
	case OpNIsAlg:
		return api.NCryptIsAlgSupported(th, vars.value(a.H), args.alg, args.flags).Code(), nil
	case OpNSetProp:
		return api.NCryptSetProperty(th, vars.value(a.H), args.property, []byte(args.value), args.flags).Code(), nil
	default:
		return sim.Code{}, fmt.Errorf("unknown key-storage action %s", a.Op)
	}
	if out != nil && got == 0 {
		vars.bindValue(a.As, *out)
	}
	return got.Code(), nil
}

// kspScript writes an action as its scenario step; the driver adds the
// thread, the want, and the variable and out: expectation of a handle the
// step expects.
func kspScript(a Action) scenario.ScriptStep {
	args := kspArgsOf(a)
	st := scenario.ScriptStep{Kind: string(a.Op)}
	outArgs := []scenario.Arg{{Key: "null_out", Value: args.nullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	switch a.Op {
	case OpNOpenProv:
		st.Args = append([]scenario.Arg{{Key: "provider", Value: strArg(args.provider)}, {Key: "flags", Value: args.flags}}, outArgs...)
	case OpNFree:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	case OpNCreate:
		st.Args = append([]scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "alg", Value: strArg(args.alg)}, {Key: "name", Value: strArg(args.name)},
			{Key: "flags", Value: args.flags}}, outArgs...)
	case OpNFinalize, OpNDelete:
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "flags", Value: args.flags}}
	case OpNOpenKey:
		st.Args = append([]scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(args.name)}, {Key: "flags", Value: args.flags}}, outArgs...)
	case OpNIsAlg:
		st.Args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "alg", Value: strArg(args.alg)}, {Key: "flags", Value: args.flags}}
	case OpNSetProp:
		st.Args = []scenario.Arg{{Key: "object", Value: scenario.Raw(a.H)}, {Key: "property", Value: strArg(args.property)}, {Key: "value", Value: args.value}, {Key: "flags", Value: args.flags}}
	case OpNNotify:
		ev := args.event
		if ev == "" {
			ev = RefNULL
		}
		st.Args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "flags", Value: args.flags}, {Key: "null_out", Value: args.nullOut},
			{Key: "event", Value: scenario.Raw(ev)}}
	case OpFindNext, OpFindClose:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	case OpNRegisterProv:
		name := ""
		if args.provider != nil {
			name = *args.provider
		}
		st.Args = []scenario.Arg{{Key: "name", Value: name}, {Key: "change_notify", Value: !args.noNotify}}
	case OpCallerContext:
		st.Args = []scenario.Arg{{Key: "thread", Value: a.thread()}, {Key: "in_service_main", Value: args.starting}}
	}
	return st
}

// kspHandles declares the family's handles to the other families' calls:
// the change handles are waitable (manual-reset events to the kernel's
// waits and CloseHandle); CloseHandle refuses the provider and key handles
// as no kernel objects (ksp.free.not-ncrypt-handle).
func kspHandles(state any) []ownedHandle {
	s := state.(kspState)
	out := make([]ownedHandle, 0, len(s.hs))
	for _, h := range s.hs {
		o := ownedHandle{name: h.name, kind: h.kind, closed: h.closed}
		if h.kind == hNChange {
			o.waitable, o.manual, o.signaled = true, true, h.signaled
		} else {
			o.closeRules = []string{"ksp.free.not-ncrypt-handle"}
		}
		out = append(out, o)
	}
	return out
}

// kspCloseHandle is the kernel's CloseHandle on a change handle: it is
// closed (the registration stays, not unregistered).
func kspCloseHandle(state any, ref string) any {
	e := &kspEdit{kspState: state.(kspState)}
	if i, ok := e.handle(ref); ok {
		e.handleAt(i).closed = true
	}
	return e.kspState
}

// kspConsume is a satisfied wait on a change handle: it is manual-reset,
// so the wait takes nothing.
func kspConsume(state any, _ string) any { return state }

// pickKSP picks a handle reference for a generated action as pickHandle
// does, from the key-storage handles the oracle expects, without
// INVALID_HANDLE_VALUE, which the key-storage oracle does not state (BOGUS
// instead).
func (w *World) pickKSP(c Chooser, kinds ...hkind) string {
	var fit, all []string
	for _, h := range kspSlot.of(w).hs {
		all = append(all, h.name)
		if !h.closed && slices.Contains(kinds, h.kind) {
			fit = append(fit, h.name)
		}
	}
	if ref := pickRef(c, fit, all); ref != RefInvalid {
		return ref
	}
	return RefBogus
}
