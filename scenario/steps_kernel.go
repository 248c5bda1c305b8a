package scenario

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// GroupKernel is the group of the kernel's step kinds.
const GroupKernel = "kernel"

// The kernel: threads, waits, events, virtual time, fault injection, the
// change notifications, and the family-independent assertions. Every
// backend has it.
var _ = RegisterFamily(Family{
	Name:     GroupKernel,
	Steps:    func() []*StepKind { return append(kernelSteps(), assertSteps()...) },
	Settings: sim.KernelSettings(),
	Rules:    slices.Concat(sim.KernelRules(), sim.ChangeRules()),
	Groups:   []StepGroup{{GroupKernel, "Kernel steps"}, {GroupAssert, "Assertions"}},
	Order:    50,
})

// kernelSteps are the step kinds of the kernel: threads, waits, events,
// virtual time and fault injection.
func kernelSteps() []*StepKind {
	return []*StepKind{
		{
			Name: "SleepEx", Group: GroupKernel, Returns: ReturnsWait,
			Summary: "Sleep on the calling thread. An alertable sleep runs the thread's queued APCs (notification callbacks) and returns WAIT_IO_COMPLETION; a sleep that times out returns 0.",
			Fields: []Field{
				{Name: "ms", Type: tMs, Required: true, Doc: "the timeout"},
				{Name: "alertable", Type: tBool, Default: "false", Doc: "whether queued APCs run"},
				windowField,
			},
			run: func(r *runner, st *Step, th string) {
				res, err := r.b.SleepEx(th, st.args.u32("ms"), st.args.bool("alertable"))
				r.checkWait(st, res, err)
			},
		},
		{
			Name: "CreateEvent", Group: GroupKernel, Returns: ReturnsStatus, BindsHandle: true,
			Summary: "Create an unnamed event; as: binds its handle.",
			Fields: []Field{
				{Name: "manual_reset", Type: tBool, Default: "false", Doc: "a manual-reset event stays signaled until ResetEvent"},
				{Name: "initial_state", Type: tBool, Default: "false", Doc: "whether the event starts signaled"},
			},
			run: func(r *runner, st *Step, th string) {
				h, code := r.b.CreateEvent(th, st.args.bool("manual_reset"), st.args.bool("initial_state"))
				r.bind(st, h)
				r.checkStatus(st, code)
			},
		},
		handleCall(GroupKernel, "SetEvent", "Signal an event.", "handle", func(r *runner, th string, h sim.Handle) sim.Errno { return r.b.SetEvent(th, h) }),
		handleCall(GroupKernel, "ResetEvent", "Reset an event to nonsignaled.", "handle", func(r *runner, th string, h sim.Handle) sim.Errno { return r.b.ResetEvent(th, h) }),
		handleCall(GroupKernel, "CloseHandle", "Close a kernel handle. The variable stays usable, as a stale handle.", "handle", func(r *runner, th string, h sim.Handle) sim.Errno { return r.b.CloseHandle(th, h) }),
		{
			Name: "WaitForSingleObjectEx", Group: GroupKernel, Returns: ReturnsWait,
			Summary: "Wait for one object.",
			Fields: []Field{
				{Name: "handle", Type: tHandle, Required: true, Doc: "the object"},
				{Name: "ms", Type: tMs, Required: true, Doc: "the timeout"},
				{Name: "alertable", Type: tBool, Default: "false", Doc: "whether queued APCs run"},
				windowField,
			},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("handle"))
				if !ok {
					return
				}
				res, err := r.b.WaitForSingleObjectEx(th, h, st.args.u32("ms"), st.args.bool("alertable"))
				r.checkWait(st, res, err)
			},
		},
		{
			Name: "WaitForMultipleObjectsEx", Group: GroupKernel, Returns: ReturnsWait,
			Summary: "Wait for any or all of several objects.",
			Fields: []Field{
				{Name: "handles", Type: tHandles, Required: true, Doc: "the objects"},
				{Name: "wait_all", Type: tBool, Default: "false", Doc: "wait for all objects instead of any"},
				{Name: "ms", Type: tMs, Required: true, Doc: "the timeout"},
				{Name: "alertable", Type: tBool, Default: "false", Doc: "whether queued APCs run"},
				windowField,
			},
			run: func(r *runner, st *Step, th string) {
				refs := st.args.handles("handles")
				hs := make([]sim.Handle, 0, len(refs))
				for _, ref := range refs {
					h, ok := r.handle(st, ref)
					if !ok {
						return
					}
					hs = append(hs, h)
				}
				res, err := r.b.WaitForMultipleObjectsEx(th, hs, st.args.bool("wait_all"), st.args.u32("ms"), st.args.bool("alertable"))
				r.checkWait(st, res, err)
			},
		},
		{
			Name: "exit_thread", Group: GroupKernel,
			Summary: "End a thread. Its queued APCs are discarded; no later step may run on it.",
			Value:   &Field{Name: "exit_thread", Type: tThread, Required: true, Doc: "the thread"},
			check: func(d *decoder, st *Step) bool {
				th := st.args.str("")
				if _, exited := d.exited[th]; !exited {
					d.exited[th] = st.args.at("").node.Line
				}
				return true
			},
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, r.b.ExitThread(st.args.str("")))
			},
		},
		{
			Name: "caller_context", Group: GroupKernel, Needs: []backend.Capability{backend.CapCallerContext},
			Summary: "Set who a thread claims to be when it calls: a ServiceMain, an IRQL, a driver routine.",
			Fields: []Field{
				{Name: "thread", Type: tThread, Doc: "the thread (default: the step's thread)"},
				{Name: "in_service_main", Type: tBool, Default: "false", Doc: "the thread is a ServiceMain that has not yet reported RUNNING"},
				{Name: "irql", Type: enumType("irql", "PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL"), Default: "PASSIVE_LEVEL", Doc: "the thread's IRQL"},
				{Name: "driver", Type: enumType("driver", "none", "WDM", "Storport"), Default: "none", Doc: "the driver model of the code the thread runs"},
				{Name: "routine", Type: enumType("routine", "other", "dispatch", "cancel"), Default: "other", Doc: "the driver routine the thread is in"},
				{Name: "previous_mode", Type: enumType("mode", "UserMode", "KernelMode"), Default: "UserMode", Doc: "the mode the call comes from"},
			},
			check: func(d *decoder, st *Step) bool {
				if th := st.args.str("thread"); th != "" {
					return d.threadAlive(st.args.at("thread").node, "caller_context.thread", th)
				}
				return true
			},
			run: func(r *runner, st *Step, th string) {
				if t := st.args.str("thread"); t != "" {
					th = t
				}
				ctx := sim.CallerContext{
					ServiceStarting: st.args.bool("in_service_main"),
					IRQL:            map[string]sim.IRQL{"PASSIVE_LEVEL": sim.PASSIVE_LEVEL, "APC_LEVEL": sim.APC_LEVEL, "DISPATCH_LEVEL": sim.DISPATCH_LEVEL}[st.args.str("irql")],
					Driver:          map[string]sim.DriverModel{"none": sim.DriverNone, "WDM": sim.DriverWDM, "Storport": sim.DriverStorport}[st.args.str("driver")],
					Routine:         map[string]sim.Routine{"other": sim.RoutineOther, "dispatch": sim.RoutineDispatch, "cancel": sim.RoutineCancel}[st.args.str("routine")],
					PreviousMode:    map[string]sim.Mode{"UserMode": sim.UserMode, "KernelMode": sim.KernelMode}[st.args.str("previous_mode")],
				}
				r.backendErr(st, backend.SetCallerContext(r.b, th, ctx))
			},
		},
		{
			Name: "advance", Group: GroupKernel, Needs: []backend.Capability{backend.CapVirtualClock},
			Summary: "Move virtual time forward, firing the timers due. No thread runs APCs: only alertable waits do.",
			Value:   &Field{Name: "advance", Type: tDuration, Required: true, Doc: "how far"},
			run: func(r *runner, st *Step, _ string) {
				d, _ := st.args.get("").(time.Duration)
				r.backendErr(st, backend.Advance(r.b, d))
			},
		},
		{
			Name: "inject", Group: GroupKernel, Needs: []backend.Capability{backend.CapFaultInjection},
			Summary: "Make the next count calls of an API fail with a code: the way to reach documented codes no model condition produces.",
			Fields: []Field{
				{Name: "api", Type: tFaultAPI, Required: true, Doc: "the Win32 function, e.g. StartService"},
				{Name: "code", Type: tCode, Required: true, Doc: "the code it returns"},
				{Name: "count", Type: tUint32, Default: "1", Doc: "how many calls fail"},
			},
			check:       checkInject,
			schemaRules: injectSchemaRules,
			run: func(r *runner, st *Step, _ string) {
				code, _ := st.args.get("code").(sim.Code)
				r.backendErr(st, backend.InjectFault(r.b, st.args.str("api"), code, int(st.args.u32("count"))))
			},
		},
	}
}

// tFaultAPI is the api: of an inject: step: a call whose models take
// faults (sim.FaultAPIs); checkInject refuses any other.
var tFaultAPI = &Type{
	Name: "fault-api", Doc: "a call whose models take faults", brief: briefQuoted,
	schema: func(*schemaWriter) jsonObject {
		return jsonObject{"type": "string", "enum": mapKeysSorted(sim.FaultAPIs())}
	},
	decode: tString.decode,
}

// injectSchemaRules holds, in the schema, an inject: step's code to the
// kinds of code its api returns, as checkInject does.
func injectSchemaRules(s *schemaWriter, args jsonObject) {
	apis := sim.FaultAPIs()
	var rules []any
	for _, api := range mapKeysSorted(apis) {
		var codes []any
		for _, k := range apis[api] {
			codes = append(codes, s.codeNames(k))
		}
		rules = append(rules, jsonObject{
			"if":   jsonObject{"type": "object", "properties": jsonObject{"api": jsonObject{"const": api}}, "required": []string{"api"}},
			"then": jsonObject{"properties": jsonObject{"code": jsonObject{"anyOf": codes}}},
		})
	}
	args["allOf"] = rules
}

// checkInject refuses an inject: step whose fault could never fire: an api
// that no model consults (with a did-you-mean), or a code of a kind the call
// does not return (STATUS_ACCESS_DENIED on StartService, whose errors are
// Win32).
func checkInject(d *decoder, st *Step) bool {
	if st.args.at("api") == nil || st.args.at("code") == nil {
		return false // missing or malformed: already reported
	}
	apis := sim.FaultAPIs()
	api := st.args.str("api")
	kinds, ok := apis[api]
	if !ok {
		names := make([]string, 0, len(apis))
		for n := range apis {
			names = append(names, n)
		}
		sort.Strings(names)
		hint := ""
		if lookupKind(api) == nil {
			hint = suggest(api, names)
		}
		if hint == "" && lookupKind(api) == nil {
			// A misspelt call that takes no faults: name it, and say so.
			calls := []string{}
			for _, k := range StepKinds() {
				calls = append(calls, k.Name)
			}
			if n := sim.Nearest(api, calls); n != "" && n != api {
				hint = " (did you mean " + n + "? it takes no faults either)"
			}
		}
		d.errorf(st.args.at("api").node, "inject.api: %s takes no faults%s; the calls that do: %s",
			quoteName(api), hint, strings.Join(names, ", "))
		return false
	}
	code, _ := st.args.get("code").(sim.Code)
	if !slices.Contains(kinds, code.Kind) {
		want := make([]string, len(kinds))
		for i, k := range kinds {
			want[i] = k.String()
		}
		d.errorf(st.args.at("code").node, "inject.code: %s is of kind %s, but %s returns %s codes",
			code, code.Kind, api, strings.Join(want, " or "))
		return false
	}
	return true
}
