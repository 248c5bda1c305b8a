package scenario

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// positionOnly is n reduced to its position: the streamed and the whole
// tree differ in nothing else a decoded scenario keeps (comments attach to
// other nodes across a batch's edge, and nodes are not shared).
func positionOnly(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	return &yaml.Node{Line: n.Line, Column: n.Column}
}

// normalized strips s down to what decoding decided, for comparing the two
// decoders with reflect.DeepEqual.
func normalized(s *Scenario) *Scenario {
	c := *s
	c.golden, c.threadsNode = positionOnly(s.golden), positionOnly(s.threadsNode)
	seen := map[*Step]*Step{}
	var step func(st *Step) *Step
	var vals func(vs values) values
	vals = func(vs values) values {
		if vs == nil {
			return nil
		}
		out := make(values, len(vs))
		for k, v := range vs {
			nv := &out[k]
			*nv = namedValue{v.name, value{node: positionOnly(v.node), v: v.v, given: v.given}}
			switch x := v.v.(type) {
			case []*Step:
				steps := make([]*Step, len(x))
				for i, st := range x {
					steps[i] = step(st)
				}
				nv.v = steps
			case []item:
				items := make([]item, len(x))
				for i, it := range x {
					items[i] = item{node: positionOnly(it.node), vals: vals(it.vals)}
				}
				nv.v = items
			case values:
				nv.v = vals(x)
			}
		}
		return out
	}
	step = func(st *Step) *Step {
		if n := seen[st]; n != nil {
			return n
		}
		n := *st
		seen[st] = &n
		n.args, n.expect = vals(st.args), vals(st.expect)
		return &n
	}
	c.Steps = make([]*Step, len(s.Steps))
	for i, st := range s.Steps {
		c.Steps[i] = step(st)
	}
	c.last = step(s.last)
	c.observed = make([]Citation, len(s.observed))
	for i, o := range s.observed {
		c.observed[i] = Citation{TestLine: o.TestLine, Step: step(o.Step)}
	}
	return &c
}

// streamAgrees checks that Parse, which decodes in parts where it can,
// decides data exactly as the whole-tree decoder does: the same scenario,
// or the same problems. It reports whether the parts took the file.
func streamAgrees(t *testing.T, env *Env, name string, data []byte) bool {
	t.Helper()
	env = completeEnv(env)
	got, gotErr := Parse(name, data, env)
	var want *Scenario
	var wantErr error
	if e := precheckYAML(name, data); e != nil {
		wantErr = ErrorList{e}
	} else {
		want, wantErr = decodeTree(name, data, env)
	}
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("%s: Parse says\n%v\nthe tree decoder says\n%v", name, gotErr, wantErr)
	}
	var streamed int
	_, took := decodeStream(name, data, env, streamHooks{each: func(*Step) { streamed++ }})
	if gotErr != nil {
		if took {
			t.Fatalf("%s: the parts took a file with problems", name)
		}
		return false
	}
	if !reflect.DeepEqual(normalized(got), normalized(want)) {
		t.Fatalf("%s: the parts decode another scenario than the tree:\n%#v\n%#v", name, normalized(got), normalized(want))
	}
	if took && streamed != len(want.Steps) {
		t.Fatalf("%s: the parts handed on %d steps, the tree has %d", name, streamed, len(want.Steps))
	}
	return took
}

// TestStreamAgreesBundled: every bundled scenario, every format-v1 file and
// every hostile file decodes the same in parts as in one tree; the parts
// take nearly every valid one.
func TestStreamAgreesBundled(t *testing.T) {
	var files []string
	for _, root := range []string{"../scenarios", "testdata/format-v1", "../cmd/simrun/internal/cli/testdata/hostile"} {
		found, err := Find(root)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	took, valid := 0, 0
	env := NewEnv(Catalog())
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // a hostile file that is no regular file
		}
		if streamAgrees(t, env, filepath.ToSlash(f), data) {
			took++
		}
		if _, err := Parse(f, data, env); err == nil {
			valid++
		}
	}
	t.Logf("%d files, %d valid, %d decoded in parts", len(files), valid, took)
	if took < valid*9/10 {
		t.Errorf("the parts took %d of %d valid files", took, valid)
	}
}

// TestStreamAgreesEdges: the shapes around a batch's edge the parts must
// read as the whole tree does, or leave to it.
func TestStreamAgreesEdges(t *testing.T) {
	var big bytes.Buffer
	if err := writeLargeScenario(&big, largeCycles[0], 3000); err != nil {
		t.Fatal(err)
	}
	base := big.String()
	// The line of the 1500th step, well past the first batch's edge.
	lines := strings.SplitAfter(base, "\n")
	mid := len(lines) / 2
	for !strings.HasPrefix(lines[mid], "  - ") {
		mid++
	}
	at := func(insert string) string {
		return strings.Join(lines[:mid], "") + insert + strings.Join(lines[mid:], "")
	}
	tests := []struct {
		name string
		data string
		took bool // whether the parts must take it
	}{
		{"large", base, true},
		{"comments and blank lines at an edge", at("# a comment\n\n   # another\n"), true},
		{"a comment at column 1 inside a step", at("  - NtFlushKey:\n# between\n      key: app\n"), true},
		{"a flow mapping over lines", at("  - NtFlushKey: {\n      key: app}\n"), true},
		{"a quoted string over an item line", at("  - NtSetValueKey: {key: app, name: \"a\n  - b\"}\n"), false},
		{"a flow list over an item line", at("  - NtSetValueKey: {key: app, name: a, multi: [a,\n  - b]}\n"), false},
		{"a block scalar", at("  - NtSetValueKey:\n      key: app\n      string: |\n        - not a step\n"), true},
		{"an alias to an earlier batch", strings.Replace(at("  - NtFlushKey: {key: *k}\n"), "as: app", "as: &k app", 1), false},
		{"a key after the steps", base + "seed: 7\n", true},
		{"a key between the steps at the wrong indent", at("  seed: 7\n"), false},
		{"a second document", base + "---\nversion: 1\n", false},
		{"a tab", at("\t- NtFlushKey: {key: app}\n"), false},
		{"steps twice", base + "steps:\n  - NtFlushKey: {key: app}\n", false},
		{"steps in a quoted description", strings.Replace(base, "description: 3000", "description: \"x\nsteps:\n  - y\n  - \"\nz: 3000", 1), false},
		{"steps: only in a quoted description", "version: 1\ndescription: \"a\nsteps:\n  - CreateEvent: {}\n  \"\ncovers: [kernel.wait.timeout]\nsteps: [{SleepEx: {ms: 1}}]\n", false},
		{"an undefined variable at the end", base + "  - NtFlushKey: {key: nokey}\n", false},
		{"steps at column 1", strings.ReplaceAll(base, "\n  ", "\n"), true},
		{"CRLF", strings.ReplaceAll(base, "\n", "\r\n"), true},
	}
	defer func(b int) { streamBatchBytes = b }(streamBatchBytes)
	for _, batch := range []int{streamBatchBytes, 1} {
		streamBatchBytes = batch
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/batch=%d", tt.name, batch), func(t *testing.T) {
				// In batches of one step every step's line is an edge;
				// in larger ones the inserted lines may fall inside a
				// batch, where the parts read them as the tree does.
				took := streamAgrees(t, NewEnv(Catalog()), "edge.yaml", []byte(tt.data))
				if took != tt.took && (batch == 1 || tt.took) {
					t.Errorf("the parts took it: %v, want %v", took, tt.took)
				}
			})
		}
	}
}

// TestRunFileAsDecoded: RunFile on the model, which runs each step as it
// is decoded, ends every bundled scenario as a run of the whole decoded
// scenario does (outcome, message, steps, calls and trace), under the
// default profile and win7.
func TestRunFileAsDecoded(t *testing.T) {
	files, err := Find("../scenarios")
	if err != nil {
		t.Fatal(err)
	}
	env := NewEnv(Catalog())
	streamed := 0
	for _, profile := range []string{"win8", "win7"} {
		for _, f := range files {
			s, got, err := RunFile(f, newModel, nil, Options{Env: env, Profile: profile})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			whole, err := Load(f, env)
			if err != nil {
				t.Fatal(err)
			}
			b, err := newModel(profile, whole.Seed)
			if err != nil {
				t.Fatal(err)
			}
			want := Result{Outcome: Skipped, Message: fmt.Sprintf("profile %s is not among the scenario's profiles (%s)", profile, strings.Join(whole.Profiles, ", "))}
			if whole.Supports(profile) {
				want = RunWith(whole, b, nil, Options{Env: env})
			}
			_ = b.Close()
			if s.Steps == nil && whole.Supports(profile) {
				streamed++
			}
			if s.StepCount() != len(whole.Steps) {
				t.Errorf("%s: StepCount %d, the file has %d", f, s.StepCount(), len(whole.Steps))
			}
			got.Trace, want.Trace = nil, nil // compared as text below
			gotText, wantText := TraceText(got.Trace), TraceText(want.Trace)
			if !reflect.DeepEqual(got, want) || gotText != wantText {
				t.Errorf("%s under %s: as decoded %+v, whole %+v", f, profile, got, want)
			}
		}
	}
	if streamed == 0 {
		t.Error("no scenario ran as it was decoded")
	}
	t.Logf("%d runs took their steps as they were decoded", streamed)
}

// TestRunFileLateProblem: a scenario whose first step fails and whose last
// step does not decode is invalid, not failed, though its first step ran
// before the last was decoded; the problem is the whole-tree decoder's.
func TestRunFileLateProblem(t *testing.T) {
	var big bytes.Buffer
	if err := writeLargeScenario(&big, largeCycles[0], 2000); err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(big.String(), "  - NtSetValueKey: {key: app, name: Value, dword: 0}\n",
		"  - NtSetValueKey: {key: app, name: Value, dword: 0}\n    want: STATUS_ACCESS_DENIED\n", 1) +
		"  - NtFlushKey: {key: nokey}\n"
	path := filepath.Join(t.TempDir(), "late.yaml")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	env := NewEnv(Catalog())
	s, res, err := RunFile(path, newModel, nil, Options{Env: env})
	_, want := Parse(path, []byte(data), env)
	if s != nil || res.Outcome != Passed || fmt.Sprint(err) != fmt.Sprint(want) || want == nil {
		t.Fatalf("RunFile = %v, %+v, %v; want no scenario and %v", s, res, err, want)
	}
	// Without the late problem, the first step's failure stands.
	if err := os.WriteFile(path, []byte(strings.TrimSuffix(data, "  - NtFlushKey: {key: nokey}\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	s, res, err = RunFile(path, newModel, nil, Options{Env: env})
	if err != nil || res.Outcome != Failed || !strings.Contains(res.Message, "want STATUS_ACCESS_DENIED") || s.Steps != nil {
		t.Fatalf("RunFile = %+v, %v; want the first step's failure, run as decoded", res, err)
	}
}

// TestRunFileAsDecodedNeeds: a scenario whose steps need what the model
// lacks is skipped, as it is when that is known before it runs, though on
// the model its steps ran as they were decoded.
func TestRunFileAsDecodedNeeds(t *testing.T) {
	require.True(t, RegisterFamily(counterFamily()))
	t.Cleanup(func() { unregisterFamily("counter") })
	doc := "version: 1\ndescription: bump\ncovers: [counter.bump.adds]\nsteps:\n  - Bump: {by: BUMP_TWO}\n"
	path := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	_, res, err := RunFile(path, newModel, nil, Options{Env: NewEnv(Catalog())})
	require.NoError(t, err)
	assert.Equal(t, Result{Outcome: Skipped, Message: "backend model lacks test:counter (needed by Bump at " + path + ":5:5)"}, res)
}
