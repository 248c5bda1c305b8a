package conformance

import (
	"fmt"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The registry family's oracle as a pure step (see pureFamily): regStep
// says from the state and an action alone what Windows returns, which
// rules decide it and what the state becomes; regCall makes the call and
// regScript writes it as a scenario step.

// regStep is the family's oracle.
func regStep(state any, a Action) (any, Expect) {
	e := &regEdit{regState: state.(regState)}
	var want Expect
	switch a.Op {
	case OpLazyFlush:
		// Only turns the lazy flusher off (or on): the oracle's flushes
		// are the explicit ones.
	case OpCrash:
		e.crashNow()
	case OpCrashFlush:
		arm, ok := e.crashInFlush(a)
		if !ok {
			return state, Expect{}
		}
		want = Expect{OneOf: ntCodes(sim.STATUS_REGISTRY_IO_FAILED), Before: []scenario.ScriptStep{arm}}
	case OpRegCreate, OpRegOpen:
		status, disp := e.createOpen(a)
		want.OneOf = ntCodes(status)
		if status == sim.STATUS_SUCCESS {
			want.Out = outNamed
			if a.Op == OpRegCreate {
				want.Checks = []scenario.Arg{{Key: "disposition", Value: constArg(win32.GroupDisposition, disp)}}
				want.Reports = []scenario.Arg{{Key: "disposition", Value: disp}}
			}
		}
	case OpRegSet:
		want.OneOf = ntCodes(e.setValue(a, e.targetOf(a.H)))
	case OpRegQuery:
		status, val := e.queryValue(a, e.targetOf(a.H))
		want.OneOf = ntCodes(status)
		if status == sim.STATUS_SUCCESS {
			want.Checks = queryChecks(val)
			want.Reports = []scenario.Arg{{Key: "read", Value: readReport(val.typ, []byte(val.data))}}
		}
	case OpRegDelete:
		want.OneOf = ntCodes(e.deleteKey(a, e.targetOf(a.H)))
	case OpRegFlush:
		want.OneOf = ntCodes(e.flush(a, e.targetOf(a.H)))
	case OpRegClose:
		want.OneOf = ntCodes(e.closeKey(a, e.targetOf(a.H)))
	default:
		return state, Expect{}
	}
	if want.OneOf == nil {
		want.OneOf = ntCodes(sim.STATUS_SUCCESS)
	}
	want.Rules = e.rules
	return e.regState, want
}

// ntCodes makes the Codes of NTSTATUS values.
func ntCodes(ss ...sim.NTStatus) []sim.Code {
	out := make([]sim.Code, len(ss))
	for i, s := range ss {
		out[i] = s.Code()
	}
	return out
}

// regCall makes an action's call on the backend. The lazy flusher's
// switch and the power cuts report success when the backend took them.
func regCall(b backend.Kernel, a Action, vars handleVars) (sim.Code, error) {
	api, ok := b.(backend.Registry)
	if !ok {
		return sim.Code{}, fmt.Errorf("the backend does not implement the registry family")
	}
	th, args := a.thread(), regArgsOf(a)
	ok2 := sim.STATUS_SUCCESS.Code()
	switch a.Op {
	case OpLazyFlush:
		return ok2, durability(b).SetLazyFlush(args.lazy)
	case OpCrash:
		return ok2, durability(b).Crash(win32.LoseUnbarriered)
	case OpCrashFlush:
		policy := win32.LoseUnbarriered
		if args.keep {
			policy = win32.KeepUnbarriered
		}
		if err := durability(b).CrashAt(int(args.point), policy); err != nil {
			return sim.Code{}, err
		}
		return api.NtFlushKey(th, vars.value(a.H)).Code(), nil
	case OpRegCreate, OpRegOpen:
		oa := win32.ObjectAttributes{RootDirectory: vars.value(args.root), ObjectName: args.name, Attributes: sim.OBJ_CASE_INSENSITIVE}
		var v sim.Handle
		var got sim.NTStatus
		if a.Op == OpRegCreate {
			var disp uint32
			v, disp, got = api.NtCreateKey(th, args.access, oa, args.options)
			vars.output("disposition", fmt.Sprint(disp))
		} else {
			v, got = api.NtOpenKey(th, args.access, oa)
		}
		if got == sim.STATUS_SUCCESS {
			vars.bindValue(a.As, v)
		}
		return got.Code(), nil
	case OpRegSet:
		return api.NtSetValueKey(th, vars.value(a.H), args.value, win32.REG_DWORD, dword(args.dword)).Code(), nil
	case OpRegQuery:
		typ, data, got := api.NtQueryValueKey(th, vars.value(a.H), args.value)
		vars.output("read", readReport(typ, data))
		return got.Code(), nil
	case OpRegDelete:
		return api.NtDeleteKey(th, vars.value(a.H)).Code(), nil
	case OpRegFlush:
		return api.NtFlushKey(th, vars.value(a.H)).Code(), nil
	case OpRegClose:
		return api.NtClose(th, vars.value(a.H)).Code(), nil
	}
	return sim.Code{}, fmt.Errorf("unknown registry action %s", a.Op)
}

// durability is the backend's power switch; the family's needs
// (backend.CapCrash) make sure the backend has one before such an action
// runs.
func durability(b backend.Kernel) backend.Durability { return b.(backend.Durability) }

// regScript writes an action as its scenario step; the driver adds the
// thread, the want, the variable of a handle the call returns and the
// expect: entries.
func regScript(a Action) scenario.ScriptStep {
	st, args := scenario.ScriptStep{Kind: string(a.Op)}, regArgsOf(a)
	switch a.Op {
	case OpLazyFlush:
		st.Value = scenario.Raw(args.lazy.String())
	case OpCrash:
		st.Args = []scenario.Arg{{Key: "unbarriered", Value: "lose"}}
	case OpCrashFlush:
		st.Kind = string(OpRegFlush)
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}}
	case OpRegCreate:
		st.Args = []scenario.Arg{{Key: "root", Value: scenario.Raw(args.root)}, {Key: "name", Value: args.name}, {Key: "access", Value: constArg(win32.GroupKeyAccess, args.access)},
			{Key: "options", Value: constArg(win32.GroupOptions, args.options)}}
	case OpRegOpen:
		st.Args = []scenario.Arg{{Key: "root", Value: scenario.Raw(args.root)}, {Key: "name", Value: args.name}, {Key: "access", Value: constArg(win32.GroupKeyAccess, args.access)}}
	case OpRegSet:
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "name", Value: args.value}, {Key: "dword", Value: args.dword}}
	case OpRegQuery:
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "name", Value: args.value}}
	case OpRegDelete, OpRegFlush:
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}}
	case OpRegClose:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	}
	return st
}
