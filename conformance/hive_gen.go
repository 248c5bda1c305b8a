package conformance

import (
	"github.com/winsim/winsim/win32"
)

// RegistryGenerators returns the generators of the registry actions: creates
// and opens (absolute, and relative to live, deleted and closed keys;
// volatile and not) under two hives, values set and queried with and
// without the rights, deletes, flushes and closes on good and bad handles,
// and power cuts between calls. Every run starts with the lazy flusher off
// (lazyOff), so that only explicit flushes write.
func RegistryGenerators() []Generator {
	names := []string{regSoftware + `\A`, regSoftware + `\A`, regSoftware + `\B`, regSoftware + `\A\C`, regSoftware + `\B\C`,
		regUser + `\A`, regUser + `\A\C`, regSoftware, regUser}
	access := []uint32{win32.KEY_ALL_ACCESS, win32.KEY_ALL_ACCESS, win32.KEY_ALL_ACCESS, win32.KEY_READ, win32.KEY_WRITE, 0}
	create := func(op Op) func(w *World, c Chooser) (Action, bool) {
		return func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: op, Thread: pickThread(c), As: w.newVar("key")}
			args := regArgs{root: RefNULL, access: pick(c, "access", access...)}
			if c.Intn(4, "relative") == 0 {
				args.root = w.pickRegHandle(c, false)
				args.name = pick(c, "relative-name", "C", "c", "D")
			} else {
				args.name = pick(c, "name", names...)
			}
			if op == OpRegCreate && c.Intn(4, "volatile") == 0 {
				args.options = win32.REG_OPTION_VOLATILE
			}
			a.Args = args
			return a, true
		}
	}
	return []Generator{
		{Name: "NtCreateKey", Family: "Registry", Weight: 4, Gen: create(OpRegCreate)},
		{Name: "NtOpenKey", Family: "Registry", Weight: 2, Gen: create(OpRegOpen)},
		{Name: "NtSetValueKey", Family: "Registry", Weight: 4, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpRegSet, Thread: pickThread(c), H: w.pickRegHandle(c, false),
				Args: regArgs{value: pick(c, "value", "v", "w", "V"), dword: pick(c, "data", uint32(1), 2, 3)}}, true
		}},
		{Name: "NtQueryValueKey", Family: "Registry", Weight: 4, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpRegQuery, Thread: pickThread(c), H: w.pickRegHandle(c, false), Args: regArgs{value: pick(c, "value", "v", "w", "V")}}, true
		}},
		{Name: "NtDeleteKey", Family: "Registry", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpRegDelete, Thread: pickThread(c), H: w.pickRegHandle(c, false)}, true
		}},
		{Name: "NtFlushKey", Family: "Registry", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpRegFlush, Thread: pickThread(c), H: w.pickRegHandle(c, true)}, true
		}},
		{Name: "NtClose", Family: "Registry", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpRegClose, Thread: pickThread(c), H: w.pickRegHandle(c, false)}, true
		}},
		{Name: "crash_in_flush", Family: "Registry", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			var fit []string
			s := regSlot.of(w)
			for _, h := range s.keys {
				if s.crashFlushTarget(h.name) != "" {
					fit = append(fit, h.name)
				}
			}
			if len(fit) == 0 {
				return Action{}, false
			}
			return Action{Op: OpCrashFlush, Thread: pickThread(c), H: pick(c, "handle", fit...),
				Args: regArgs{point: uint32(1 + c.Intn(12, "point")), keep: c.Intn(2, "keep") != 0}}, true
		}},
		{Name: "crash", Family: "Registry", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpCrash}, true
		}},
	}
}

// pickRegHandle chooses a key handle argument as pickHandle does, from the
// key handles the oracle expects (the family's handles are the state's,
// not the World's): mostly an open key handle, sometimes any key handle
// ever issued (closed, deleted, from before a power cut), sometimes NULL
// or a never-issued value; with pseudo, also the current-process pseudo
// handle (INVALID_HANDLE_VALUE).
func (w *World) pickRegHandle(c Chooser, pseudo bool) string {
	var fit, all []string
	for _, h := range regSlot.of(w).keys {
		all = append(all, h.name)
		if !h.closed {
			fit = append(fit, h.name)
		}
	}
	h := pickRef(c, fit, all)
	if h == RefInvalid && !pseudo {
		return RefBogus
	}
	return h
}
