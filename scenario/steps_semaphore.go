package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim/semaphore"
)

// The semaphore family: its steps and its registration. Everything the
// runner needs of the family is in this file.
var _ = RegisterFamily(Family{
	Name:     groupSemaphore,
	Title:    "Semaphore",
	Needs:    backend.CapSemaphores,
	Steps:    semaphoreSteps,
	Settings: semaphore.Settings(),
	Rules:    semaphore.Rules(),
	Groups:   []StepGroup{{groupSemaphore, "Semaphore steps"}},
	Order:    60,
})

// groupSemaphore is the family's name and the step group of its kinds.
const groupSemaphore = "semaphore"

// tInt32 is a LONG: a signed 32-bit integer, negative values included (the
// counts of the semaphore calls are LONGs, and the documentation's limits
// on them are what scenarios probe).
var tInt32 = &Type{
	Name: "int32", Doc: "a signed 32-bit integer (decimal or 0x hex)", brief: briefBare,
	schema: func(*schemaWriter) jsonObject { return int32Schema },
	decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
		s, ok := d.scalar(n, path, "an integer", "!!int")
		if !ok {
			return nil, false
		}
		v, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 0, 32)
		if err != nil {
			d.errorf(n, "%s: %s is not a 32-bit signed integer (-2147483648 to 2147483647)", path, s)
			return nil, false
		}
		return int32(v), true
	},
}

// int32Schema is the JSON Schema of a LONG.
var int32Schema = jsonObject{"type": "integer", "minimum": math.MinInt32, "maximum": math.MaxInt32}

// unwritten is the value a ReleaseSemaphore step puts in its previous-count
// variable before the call, to see whether the call wrote it (the value
// Wine's own tests use).
const unwritten = int32(-559038737) // 0xdeadbeef

// tPreviousCount is what ReleaseSemaphore leaves in *lpPreviousCount: a
// count, or "unwritten".
var tPreviousCount = &Type{
	Name: "previous-count", Doc: `the count the call stores in *lpPreviousCount, or "unwritten" when it must leave the variable alone`, brief: briefBare,
	schema: func(*schemaWriter) jsonObject {
		return jsonObject{"anyOf": []any{jsonObject{"const": "unwritten"}, int32Schema}}
	},
	decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
		if n.Kind == yaml.ScalarNode && n.Value == "unwritten" {
			return unwritten, true
		}
		return tInt32.decode(d, n, path)
	},
}

func (vs values) i32(name string) int32 { v, _ := vs.get(name).(int32); return v }

// semaphoreSteps are the step kinds of the semaphore family.
func semaphoreSteps() []*StepKind {
	return []*StepKind{
		{
			Name: "CreateSemaphore", Group: groupSemaphore, Returns: ReturnsStatus, BindsHandle: true,
			Summary: "Create an unnamed semaphore (CreateSemaphoreW with NULL attributes and name); as: binds its handle. Waits take one unit each; CloseHandle closes it.",
			Fields: []Field{
				{Name: "initial_count", Type: tInt32, Required: true, Doc: "lInitialCount: 0 to maximum_count"},
				{Name: "maximum_count", Type: tInt32, Required: true, Doc: "lMaximumCount: above 0"},
			},
			run: func(r *runner, st *Step, th string) {
				h, code := r.b.(backend.Semaphores).CreateSemaphore(th, st.args.i32("initial_count"), st.args.i32("maximum_count"))
				r.bind(st, h)
				r.checkStatus(st, code)
			},
		},
		{
			Name: "ReleaseSemaphore", Group: groupSemaphore, Returns: ReturnsStatus,
			Summary: "Add release_count to a semaphore's count. previous: compares what the call stored in *lpPreviousCount.",
			Fields: []Field{
				{Name: "handle", Type: tHandle, Required: true, Doc: "the semaphore"},
				{Name: "release_count", Type: tInt32, Required: true, Doc: "lReleaseCount: above 0 on Windows"},
				{Name: "null_previous", Type: tBool, Default: "false", Doc: "pass NULL for lpPreviousCount"},
				{Name: "previous", Type: tPreviousCount, Doc: "the expected *lpPreviousCount after the call (not compared when left out)"},
			},
			check: func(d *decoder, st *Step) bool {
				if st.args.bool("null_previous") && st.args.has("previous") {
					d.errorf(st.args.at("previous").node, "ReleaseSemaphore.previous: nothing to compare with null_previous: true")
					return false
				}
				return true
			},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("handle"))
				if !ok {
					return
				}
				prev := unwritten
				p := &prev
				if st.args.bool("null_previous") {
					p = nil
				}
				code := r.b.(backend.Semaphores).ReleaseSemaphore(th, h, st.args.i32("release_count"), p)
				matched := r.checkStatus(st, code)
				switch {
				case !st.args.has("previous") || r.declined(st):
				case r.recording():
					r.recordField(st, "previous", countText(prev))
				case matched && prev != st.args.i32("previous"):
					r.failf(st, "previous count: got %s, want %s", countText(prev), countText(st.args.i32("previous")))
				}
			},
		},
	}
}

// countText names a previous-count value for messages.
func countText(v int32) string {
	if v == unwritten {
		return "unwritten"
	}
	return fmt.Sprint(v)
}
