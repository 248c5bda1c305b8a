//go:build windows

package conformance

import (
	"flag"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows"
	"github.com/winsim/winsim/win32"
)

// The real binding's leg of the suite: the checks and the properties run
// against backend/windows, on the system the test runs on, under the
// profile that describes it (wine-8.0 under Wine 8.0; win8 or win7 on
// Windows). Every real call takes milliseconds, so the properties run at a
// reduced depth with a fixed seed.

// runAsService lets the test binary be the real backend's test service:
// the backend starts services that run this very program with
// windows.ServiceFlag. TestMain calls it first thing (not an init function:
// the Go runtime holds callbacks from other threads, such as ServiceMain,
// until package initialization is over). RunService returns at once unless
// the command line says so.
func runAsService() { windows.RunService() }

// The real binding's default depth, per property: 20 runs of 40 actions
// on average. WINSIM_REAL_CHECKS and WINSIM_REAL_STEPS override
// them; the seed is the suite's (-rapid.seed or RAPID_SEED replace it).
const (
	realChecks = 20
	realSteps  = 40
)

// realBackend is the real binding with its cleanup watched: Close deletes
// the services, scratch keys, key containers and keys the backend made, and
// a failure to do so fails TestRealBinding.
type realBackend struct {
	*windows.Backend
}

// closeErrs collects the cleanup failures of every real backend the test
// made (the runs close their backends themselves).
var closeErrs struct {
	sync.Mutex
	errs []error
}

// Close implements backend.Kernel.
func (b realBackend) Close() error {
	err := b.Backend.Close()
	if err != nil {
		closeErrs.Lock()
		closeErrs.errs = append(closeErrs.errs, err)
		closeErrs.Unlock()
	}
	return err
}

func newReal(profile string, _ uint64) (backend.Kernel, error) {
	b, err := windows.New(windows.Options{Profile: profile})
	if err != nil {
		return nil, err
	}
	return realBackend{b}, nil
}

// exclusion is an action the real binding does not run: one the backend
// would refuse (it yields no code to compare), or a deviation of the real
// system that no profile declares yet (reported, to be declared as a
// setting and then removed from here). Each has a name and its reason.
type exclusion struct {
	name, reason string
	// profiles the exclusion applies to; nil means every profile.
	profiles []string
	match    func(w *World, a Action) bool
}

// realExclusions is the one list of what the real binding leaves out.
var realExclusions = []exclusion{
	{
		name: "csp-default-container",
		// CryptAcquireContext with a NULL or empty container name (and no
		// CRYPT_VERIFYCONTEXT) opens, makes or deletes the container named
		// after the logged-on user: the user's own keys, on a real system.
		// The backend refuses the NULL name; the empty one is the same
		// container.
		reason: "the default key container is the real user's own",
		match: func(w *World, a Action) bool {
			args := argsOf[cspArgs](a)
			return a.Op == OpAcquire && (args.container == nil || *args.container == "") && args.flags&win32.CRYPT_VERIFYCONTEXT == 0
		},
	},
	{
		name:     "ksp-dead-handle",
		profiles: []string{"wine-8.0"},
		// Wine 8.0's ncrypt dereferences its handles unchecked: a value that
		// is neither NULL nor a live ncrypt handle ends the process
		// (measured; the backend refuses the call).
		reason: "an ncrypt call on a value that is not a live ncrypt handle ends the process under Wine 8.0",
		match: func(w *World, a Action) bool {
			if !isKSP(a.Op) || a.H == RefNULL || a.H == "" {
				return false
			}
			s := kspSlot.of(w)
			i, ok := s.handle(a.H)
			return !ok || s.hs[i].closed || (s.hs[i].kind != hNProv && s.hs[i].kind != hNKey)
		},
	},
	{
		name:     "ksp-notify-aborts",
		profiles: []string{"wine-8.0"},
		// NCryptNotifyChangeKey ends the calling process under Wine 8.0
		// (measured): never made there, whatever the generators draw.
		reason: "NCryptNotifyChangeKey ends the process under Wine 8.0",
		match:  func(w *World, a Action) bool { return a.Op == OpNNotify },
	},
	{
		name:     "ksp-null-out",
		profiles: []string{"wine-8.0"},
		// Wine 8.0's ncrypt writes the output handle unchecked: a NULL
		// pointer ends the process (measured; the backend refuses it).
		reason: "an ncrypt call with a NULL output pointer ends the process under Wine 8.0",
		match: func(w *World, a Action) bool {
			return isKSP(a.Op) && kspArgsOf(a).nullOut && (a.Op == OpNOpenProv || a.Op == OpNCreate || a.Op == OpNOpenKey)
		},
	},
	{
		name:     "ksp-set-property-null-name",
		profiles: []string{"wine-8.0"},
		// Wine 8.0's NCryptSetProperty reads the property name unchecked: a
		// NULL name faults and ends the process (measured:
		// NCryptSetProperty(key, NULL, "v", NCRYPT_SILENT_FLAG) ended the
		// test with an access violation; the backend refuses it, and the
		// exclusion keeps the run going past it).
		reason: "NCryptSetProperty with a NULL property name ends the process under Wine 8.0",
		match:  func(w *World, a Action) bool { return a.Op == OpNSetProp && kspArgsOf(a).property == nil },
	},
	{
		name:     "scm-notify-unissued",
		profiles: []string{"wine-8.0"},
		// Wine 8.0 treats the handle as its own structure: a value the SCM
		// never issued ends the process (measured; the backend refuses it).
		reason: "NotifyServiceStatusChange on a value the SCM never issued ends the process under Wine 8.0",
		match: func(w *World, a Action) bool {
			if a.Op != OpNotify || a.H == RefNULL {
				return false
			}
			h, _, ok := w.states.handleIn(a.H)
			return !ok || (h.kind != hSCM && h.kind != hService)
		},
	},
	{
		name:     "scm-call-on-kernel-handle",
		profiles: []string{"wine-8.0"},
		// Wine 8.0 takes an SC_HANDLE for a pointer: an event's handle value
		// (a small number) given to an SCM call faults inside advapi32's RPC
		// binding, and the fault cannot be dispatched on a Go thread, so the
		// process ends (measured: CreateEvent -> OpenService(event handle,
		// "gamma", 0x60) ended the test with an access violation at 0xb4;
		// so did CreateService(INVALID_HANDLE_VALUE, "gamma", ...)). A
		// made-up value (BOGUS), NULL and closed SC handles fail cleanly
		// with ERROR_INVALID_HANDLE and still run. The backend refuses the
		// fatal ones; the exclusion keeps the run going past them.
		reason: "an SCM call on a kernel handle value or INVALID_HANDLE_VALUE ends the process under Wine 8.0",
		match: func(w *World, a Action) bool {
			switch a.Op {
			case OpCreate, OpOpen, OpCloseService, OpDelete, OpStart, OpControl, OpQuery, OpQueryEx, OpNotify:
				h, _, ok := w.states.handleIn(a.H)
				return a.H == RefInvalid || (ok && h.kind != hSCM && h.kind != hService)
			}
			return false
		},
	},
	{
		name:     "scm-notify-null-buffer",
		profiles: []string{"wine-8.0"},
		// Wine 8.0 accepts a NULL SERVICE_NOTIFY, and the notification then
		// ends the process (measured; the backend refuses it).
		reason: "NotifyServiceStatusChange with a NULL buffer ends the process under Wine 8.0",
		match:  func(w *World, a Action) bool { return a.Op == OpNotify && argsOf[scmArgs](a).buffer == "" },
	},
	{
		name: "real-start-driver",
		// A kernel-driver service's binary here is the test program: a real
		// system would try to load it as a driver (Wine 8.0 starts its
		// driver host, and StartService gave ERROR_DLL_INIT_FAILED, 1114,
		// where the model starts it; measured, the SCM property). The
		// model's driver services are for the model only.
		reason: "starting a kernel-driver service would load the test program as a driver",
		match: func(w *World, a Action) bool {
			h := w.scm().handle(a.H)
			return a.Op == OpStart && isOpen(h, hService) && isDriver(h.svc.typ)
		},
	},
	{
		name: "real-handle-reuse",
		// kernel.handle.stale is a model choice: the model never issues a
		// handle value twice. A real system reuses values at once, for
		// objects the test does not see. A closed event's value may be the
		// Go runtime's by then: closing it again closed a runtime semaphore
		// under Wine 8.0 (measured: the second CloseHandle of HandleStale
		// returned ERROR_SUCCESS, and the runtime died on
		// "waitforsingleobject wait_failed"). A closed SC_HANDLE (a heap
		// pointer) may be the value of a newer SC handle, the test's or the
		// backend's own: CreateService on a closed SCM handle gave
		// ERROR_ACCESS_DENIED in one run and ERROR_INVALID_HANDLE in the
		// next (measured, the SCM property). So no call is made on a handle
		// the caller closed.
		reason: "a real system reuses closed handle values",
		match: func(w *World, a Action) bool {
			for _, r := range append([]string{a.H, regArgsOf(a).root, argsOf[cspArgs](a).hashKey}, a.Hs...) {
				if h, _, ok := w.states.handleIn(r); ok && h.closed {
					return true
				}
			}
			return false
		},
	},
	{
		name: "registry-relative-name-without-root",
		// The backend places absolute names in its scratch key; a relative
		// name with no root directory cannot be placed, and the backend
		// refuses the call (the oracle says STATUS_OBJECT_PATH_SYNTAX_BAD).
		// Left out so that runs are not cut short.
		reason: "the backend cannot place a relative key name with no root in its scratch key",
		match: func(w *World, a Action) bool {
			return (a.Op == OpRegCreate || a.Op == OpRegOpen) && regArgsOf(a).root == RefNULL && !strings.HasPrefix(regArgsOf(a).name, `\`)
		},
	},
	{
		name: "registry-delete-hive-root",
		// The backend mirrors each hive root as an ordinary key of its
		// scratch area: deleting one would not be refused as on the real
		// root (the backend refuses the call).
		reason: "a hive root is an ordinary key in the backend's scratch area",
		match: func(w *World, a Action) bool {
			if a.Op != OpRegDelete {
				return false
			}
			h, _, ok := regSlot.of(w).handle(a.H)
			return ok && slices.ContainsFunc(regHives, func(p string) bool { return strings.EqualFold(p, h.path) })
		},
	},
}

func isKSP(op Op) bool {
	switch op {
	case OpNOpenProv, OpNFree, OpNCreate, OpNFinalize, OpNOpenKey, OpNDelete, OpNIsAlg, OpNSetProp, OpNNotify:
		return true
	}
	return false
}

// excludeFor returns the exclusions of a profile as an Options.Exclude.
func excludeFor(profile string) func(w *World, a Action) string {
	return func(w *World, a Action) string {
		for _, e := range realExclusions {
			if (e.profiles == nil || slices.Contains(e.profiles, profile)) && e.match(w, a) {
				return e.name + ": " + e.reason
			}
		}
		return ""
	}
}

// realGenerators wraps gens so that an excluded action is never drawn: the
// generator reports that it does not apply, and another is drawn.
func realGenerators(gens []Generator, exclude func(*World, Action) string, drop ...string) []Generator {
	var out []Generator
	for _, g := range gens {
		if slices.Contains(drop, g.Name) {
			continue
		}
		gen := g.Gen
		g.Gen = func(w *World, c Chooser) (Action, bool) {
			a, ok := gen(w, c)
			if !ok || exclude(w, a) != "" {
				return Action{}, false
			}
			return a, true
		}
		out = append(out, g)
	}
	return out
}

// realDepth sets rapid's depth for the real binding, unless the environment
// chose one, and restores the suite's afterwards.
func realDepth(t *testing.T) {
	set := func(name, env string, value int) {
		if v, ok := os.LookupEnv(env); ok {
			n, err := strconv.Atoi(v)
			require.NoError(t, err, "%s", env)
			value = n
		}
		old := flag.Lookup(name).Value.String()
		require.NoError(t, flag.Set(name, strconv.Itoa(value)))
		t.Cleanup(func() { _ = flag.Set(name, old) })
	}
	set("rapid.checks", "WINSIM_REAL_CHECKS", realChecks)
	set("rapid.steps", "WINSIM_REAL_STEPS", realSteps)
}

// TestRealBinding runs the suite against the real binding: every check
// (TestRealBinding/Checks/SCM/NotifyImmediate/wine-8.0), then every
// registered family's property (TestRealBinding/Property/CSP), under
// the profile of the system the test runs on. Checks and actions the
// backend cannot execute are skipped with the reason; the excluded ones
// are listed in realExclusions.
func TestRealBinding(t *testing.T) {
	profile, system, err := windows.DetectProfile()
	require.NoError(t, err)
	t.Logf("real binding on %s, profile %s", system, profile)
	exclude := excludeFor(profile)
	t.Cleanup(func() {
		closeErrs.Lock()
		defer closeErrs.Unlock()
		for _, err := range closeErrs.errs {
			t.Errorf("cleaning up after a run: %v", err)
		}
		closeErrs.errs = nil
	})

	t.Run("Checks", func(t *testing.T) {
		Run(t, newReal, Options{Profiles: []string{profile}, Exclude: exclude})
	})

	t.Run("Property", func(t *testing.T) {
		realDepth(t)
		property := func(t *testing.T, run func(runs *runLog) func(*rapid.T)) {
			runs := newRunLog()
			rapid.Check(t, run(runs))
			t.Logf("%d catalog ids asserted", len(runs.ids))
			if len(runs.refused) > 0 {
				t.Logf("%d runs cut short by a refusal (the rest of each run neither passed nor failed):\n%s",
					len(runs.refused), strings.Join(runs.refused, "\n"))
			}
		}
		for _, f := range families {
			p := f.property
			if p.Name == "" {
				continue
			}
			t.Run(f.name, func(t *testing.T) {
				property(t, func(runs *runLog) func(*rapid.T) {
					return familyMachine(newReal, f.name, profile, "", realGenerators(p.gens(), exclude, p.realDrop...), p.setup, p.realNeeds, runs)
				})
			})
		}
	})
}
