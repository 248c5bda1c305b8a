package conformance

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// deepDump writes v with everything it reaches, following pointers (each
// record once, named by the order it was first reached, so that two equal
// states written apart give the same text) and sorting maps; functions are
// written as func.
func deepDump(v any) string {
	d := &dumper{seen: map[uintptr]int{}}
	d.value(reflect.ValueOf(v))
	return d.b.String()
}

type dumper struct {
	b    strings.Builder
	seen map[uintptr]int
}

func (d *dumper) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		d.b.WriteString("nil")
	case reflect.Pointer:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		if id, ok := d.seen[v.Pointer()]; ok {
			fmt.Fprintf(&d.b, "&%d", id)
			return
		}
		d.seen[v.Pointer()] = len(d.seen)
		fmt.Fprintf(&d.b, "&%d:", len(d.seen)-1)
		d.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		fmt.Fprintf(&d.b, "(%s)", v.Elem().Type())
		d.value(v.Elem())
	case reflect.Struct:
		d.b.WriteString("{")
		for i := range v.NumField() {
			fmt.Fprintf(&d.b, "%s:", v.Type().Field(i).Name)
			d.value(v.Field(i))
			d.b.WriteString(" ")
		}
		d.b.WriteString("}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		d.b.WriteString("[")
		for i := range v.Len() {
			d.value(v.Index(i))
			d.b.WriteString(" ")
		}
		d.b.WriteString("]")
	case reflect.Map:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		d.b.WriteString("map[")
		for _, k := range keys {
			fmt.Fprintf(&d.b, "%v:", k)
			d.value(v.MapIndex(k))
			d.b.WriteString(" ")
		}
		d.b.WriteString("]")
	case reflect.Func:
		d.b.WriteString("func")
	default:
		fmt.Fprintf(&d.b, "%v", v)
	}
}

// testStepIsPure: along random runs of the SCM property's actions under
// every profile, the step of each action of the family leaves the state it
// is given as it was (everything it reaches), gives the same next state
// and Expect for the same state and action, and no later step changes a
// state an earlier one made (no record is shared between an old state and
// a new one).
func testStepIsPure(t *testing.T, family string) {
	f := familyNamed(family)
	// The kernel's and the SCM's states (the imperative families' states
	// hold the backend, which the calls change).
	ks := func(s oracleState) string { return deepDump([]any{s.of(kernelSlot.f), s.of(scmSlot.f)}) }
	for _, p := range profilesOf(Options{}) {
		src := rand.New(rand.NewPCG(5, 0x5EED))
		for range 10 {
			b, err := newModel(p, 1)
			require.NoError(t, err)
			w, err := NewWorld(b)
			require.NoError(t, err)
			require.NoError(t, w.Do(Action{Op: OpOpenSCM, As: "scm0", Args: scmArgs{access: 0xF003F}}))
			type kept struct {
				s    oracleState
				dump string
			}
			var olds []kept
			for range 60 {
				a, err := w.GenerateAction(seededChooser{src}, Generators())
				require.NoError(t, err)
				before := w.states
				snapshot := ks(before)
				olds = append(olds, kept{before, snapshot})
				if opOwner[a.Op] == f {
					n1, e1 := f.pure.stepAll(before, a)
					n2, e2 := f.pure.stepAll(before, a)
					require.Equal(t, snapshot, ks(before), "%s changed the state it was given", describe(a))
					require.Equal(t, ks(n1), ks(n2), "%s", describe(a))
					require.Equal(t, deepDump(e1), deepDump(e2), "%s", describe(a))
				}
				if w.Do(a) != nil {
					break
				}
			}
			for i, o := range olds {
				require.Equal(t, o.dump, ks(o.s), "the state before action %d changed later", i+1)
			}
		}
	}
}

func TestKernelStepIsPure(t *testing.T) { testStepIsPure(t, "Kernel") }

func TestSCMStepIsPure(t *testing.T) { testStepIsPure(t, "SCM") }

// pidLiar is an SCM whose QueryServiceStatusEx shows a running service's
// process id one higher from the second query on.
type pidLiar struct {
	*model.Backend
	queries *int
}

func (b pidLiar) QueryServiceStatusEx(th string, h sim.Handle, level uint32, ss *win32.SERVICE_STATUS_PROCESS, nullNeeded bool) sim.Errno {
	code := b.Backend.QueryServiceStatusEx(th, h, level, ss, nullNeeded)
	if *b.queries++; *b.queries > 1 && ss.ProcessId != 0 {
		ss.ProcessId++
	}
	return code
}

// TestSCMProcessIDStays holds the driver to the values the backend chose
// that must stay the same (World.same): a run's process id, which the
// oracle cannot predict, must be the one the run showed first.
func TestSCMProcessIDStays(t *testing.T) {
	run := seq(running("pid"), []Action{query("svc"), query("svc")})
	res := RunActions(run, newModel, "win8", 1)
	require.NoError(t, res.Err)
	liar := func(profile string, seed uint64) (backend.Kernel, error) {
		b, err := model.New(profile, seed)
		return pidLiar{b, new(int)}, err
	}
	res = RunActions(run, liar, "win8", 1)
	require.Error(t, res.Err)
	require.Contains(t, res.Err.Error(), "step 7: QueryServiceStatusEx(svc) on main: status: process id")
	require.Contains(t, res.Err.Error(), "but the same run showed")
}

// TestFindCloseClosesEvent: FindCloseChangeNotification, an NCrypt call
// still imperative, closes an event the kernel's state holds: a wait on it
// then fails.
func TestFindCloseClosesEvent(t *testing.T) {
	run := []Action{event("e", true, true), {Op: OpFindClose, H: "e"}, waitOne("e", 0, false)}
	res := RunActions(run, newModel, "win8", 1)
	require.NoError(t, res.Err)
	require.True(t, res.Asserted["kernel.handle.stale"])
}
