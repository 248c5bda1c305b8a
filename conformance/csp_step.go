package conformance

import (
	"fmt"
	"slices"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The CryptoAPI family's oracle as a pure step (see pureFamily): cspStep
// says from the state and an action alone what Windows returns, which
// rules decide it, what the call leaves in its output handle and what the
// state becomes; cspCall makes the call and cspScript writes it as a
// scenario step.

// cspStep is the family's oracle.
func cspStep(state any, a Action) (any, Expect) {
	e := &cspEdit{cspState: state.(cspState)}
	var want sim.Code
	var out outHandle
	var viol []string
	switch a.Op {
	case OpAcquire:
		want, out = e.acquire(a)
	case OpAddRef:
		want = e.addRef(a)
	case OpRelease:
		want, viol = e.release(a)
	case OpGenKey, OpGetUserKey:
		want, out = e.key(a)
	case OpCreateHash:
		want, out = e.createHash(a)
	case OpHashData:
		want = e.hashData(a)
	case OpDestroyKey, OpDestroyHash:
		want = e.destroy(a)
	default:
		return state, Expect{}
	}
	return e.cspState, Expect{OneOf: []sim.Code{want}, Rules: e.rules, Violations: viol, Out: out}
}

// cspCall makes an action's call on the backend. A call that hands out a
// handle writes it over BOGUS (unless the action passes a NULL pointer);
// the value written is bound to a.As when the call succeeds (the driver
// checks it against Expect.Out first).
func cspCall(b backend.Kernel, a Action, vars handleVars) (sim.Code, error) {
	args := argsOf[cspArgs](a)
	api, ok := b.(backend.CSP)
	if !ok {
		return sim.Code{}, fmt.Errorf("the backend does not implement the CryptoAPI family")
	}
	th := a.thread()
	var out *sim.Handle
	if !args.nullOut {
		initial := scenario.BOGUS
		out = &initial
	}
	var got sim.Code
	switch a.Op {
	case OpAcquire:
		got = api.CryptAcquireContext(th, out, args.container, args.provider, args.provType, args.flags)
	case OpAddRef:
		var reserved *uint32
		if args.reserved {
			reserved = new(uint32)
		}
		return api.CryptContextAddRef(th, vars.value(a.H), reserved, args.flags), nil
	case OpRelease:
		return api.CryptReleaseContext(th, vars.value(a.H), args.flags), nil
	case OpGenKey:
		got = api.CryptGenKey(th, vars.value(a.H), args.alg, args.flags, out)
	case OpGetUserKey:
		got = api.CryptGetUserKey(th, vars.value(a.H), uint32(args.alg), out)
	case OpCreateHash:
		got = api.CryptCreateHash(th, vars.value(a.H), args.alg, vars.value(args.hashKey), args.flags, out)
	case OpHashData:
		return api.CryptHashData(th, vars.value(a.H), []byte(args.data), args.flags), nil
	case OpDestroyKey:
		return api.CryptDestroyKey(th, vars.value(a.H)), nil
	case OpDestroyHash:
		return api.CryptDestroyHash(th, vars.value(a.H)), nil
	default:
		return sim.Code{}, fmt.Errorf("unknown CryptoAPI action %s", a.Op)
	}
	if out != nil && got == cOK {
		vars.bindValue(a.As, *out)
	}
	return got, nil
}

// cspScript writes an action as its scenario step; the driver adds the
// thread, the want, and the variable and out: expectation of a handle the
// step expects.
func cspScript(a Action) scenario.ScriptStep {
	args := argsOf[cspArgs](a)
	st := scenario.ScriptStep{Kind: string(a.Op)}
	outArgs := []scenario.Arg{{Key: "null_out", Value: args.nullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	switch a.Op {
	case OpAcquire:
		st.Args = append([]scenario.Arg{{Key: "container", Value: strArg(args.container)}, {Key: "provider", Value: strArg(args.provider)},
			{Key: "type", Value: args.provType}, {Key: "flags", Value: constArg(win32.GroupAcquireFlags, args.flags)}}, outArgs...)
	case OpAddRef:
		st.Args = []scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "reserved", Value: args.reserved}, {Key: "flags", Value: args.flags}}
	case OpRelease:
		st.Args = []scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "flags", Value: args.flags}}
	case OpGenKey:
		st.Args = append([]scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "alg", Value: constArg(win32.GroupAlgID, args.alg)}, {Key: "flags", Value: args.flags}}, outArgs...)
	case OpGetUserKey:
		st.Args = append([]scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "key_spec", Value: uint32(args.alg)}}, outArgs...)
	case OpCreateHash:
		st.Args = append([]scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "alg", Value: constArg(win32.GroupAlgID, args.alg)},
			{Key: "key", Value: scenario.Raw(args.hashKey)}, {Key: "flags", Value: args.flags}}, outArgs...)
	case OpHashData:
		st.Args = []scenario.Arg{{Key: "hash", Value: scenario.Raw(a.H)}, {Key: "data", Value: args.data}, {Key: "flags", Value: args.flags}}
	case OpDestroyKey:
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}}
	case OpDestroyHash:
		st.Args = []scenario.Arg{{Key: "hash", Value: scenario.Raw(a.H)}}
	}
	return st
}

// pickCSP picks a handle reference for a generated action as pickHandle
// does, from the CryptoAPI handles the oracle expects (the family's
// handles are the state's, not the World's): mostly an open one of the
// kinds, else any handle issued, else NULL, INVALID_HANDLE_VALUE or BOGUS.
func (w *World) pickCSP(c Chooser, kinds ...hkind) string {
	var fit, all []string
	for _, h := range cspSlot.of(w).hs {
		all = append(all, h.name)
		if !h.closed && slices.Contains(kinds, h.kind) {
			fit = append(fit, h.name)
		}
	}
	return pickRef(c, fit, all)
}
