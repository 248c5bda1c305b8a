package scenario

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
)

// The bounds of a fuzzed run. None is a wall clock:
//
//   - maxFuzzInput: a file larger than this is neither parsed nor run, and
//     a generated scenario has at most maxGenSteps steps, so a scenario
//     has at most a few hundred steps;
//   - fuzzStepBudget: a run stops, failed, after fuzzStepBudget step
//     executions per step of the file plus fuzzStepSlack
//     (Options.stepBudget; on_callback steps count each time they run),
//     and the targets report such a run as one that would not end;
//   - virtual time is bounded by the virtual clock itself: a duration that
//     would pass sim.EndOfTime makes the run invalid (checkClock), and one
//     wait fires a bounded number of timers (the kernel's
//     maxTimersPerWait) before it is reported as a deadlock. An advance:
//     fires every timer due, and the models' timers are the reports of a
//     service program (a finite list per start or control) and the lazy
//     flusher (re-armed only while a hive is dirty, which a pass ends), so
//     what one step fires is bounded by what the steps before it did.
const (
	genSeeds       = 32
	maxFuzzInput   = 16 << 10
	fuzzStepBudget = 64
	fuzzStepSlack  = 1024
)

// countSteps counts the steps of a scenario, on_callback steps included.
func countSteps(steps []*Step) int {
	n := len(steps)
	for _, st := range steps {
		for _, it := range st.args {
			if nested, ok := it.v.([]*Step); ok {
				n += countSteps(nested)
			}
		}
	}
	return n
}

// fuzzOptions are the options of a fuzzed run of s.
func fuzzOptions(env *Env, s *Scenario) Options {
	return Options{Env: env, stepBudget: fuzzStepBudget*countSteps(s.Steps) + fuzzStepSlack}
}

// addBundledSeeds adds to the corpus of f, besides the inputs committed
// under testdata/fuzz/<target>, every bundled scenario (with no generator
// choices) and genSeeds sequences of generator choices (with no file),
// each from its own fixed seed, so that the fuzzer starts from scenarios
// of some length.
func addBundledSeeds(f *testing.F) {
	f.Helper()
	for i := range genSeeds {
		rng := rand.New(rand.NewPCG(uint64(i), 15))
		choices := make([]byte, 64+rng.IntN(192))
		for j := range choices {
			choices[j] = byte(rng.Uint32())
		}
		f.Add([]byte(nil), choices)
	}
	err := filepath.WalkDir(filepath.Join("..", "scenarios"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil {
			f.Add(data, []byte(nil))
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
}

// fuzzScenarios returns the scenarios an input of FuzzRun and FuzzRecord
// stands for: its file and the scenario its generator choices make, each
// when it is small enough and parses. With dir, each file is written there
// first, for a recording, which reads its file back.
func fuzzScenarios(t *testing.T, env *Env, file, choices []byte, dir string) []*Scenario {
	var out []*Scenario
	for i, doc := range [][]byte{file, generate(choices, env)} {
		if len(doc) > maxFuzzInput {
			continue
		}
		name := []string{"file.yaml", "generated.yaml"}[i]
		if dir != "" {
			name = filepath.Join(dir, name)
			if err := os.WriteFile(name, doc, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Parse(name, doc, env)
		if err != nil {
			continue // FuzzParse holds the errors to their form
		}
		s = s.anyProfile()
		s.Golden = false // a golden file is I/O, and an input has none
		out = append(out, s)
	}
	return out
}

// checkEnded fails t for a run that panicked in the model (the runner turns
// the panic into a failure) or used up its step budget.
func checkEnded(t *testing.T, what string, res Result) {
	t.Helper()
	switch {
	case strings.Contains(res.Message, errBackendPanicked):
		t.Fatalf("%s: the model panicked:\n%s", what, res.Message)
	case strings.Contains(res.Message, errStepBudget):
		t.Fatalf("%s: the run did not end within its step budget:\n%s", what, res.Message)
	}
	if res.Invalid != nil {
		list, ok := res.Invalid.(ErrorList)
		if !ok || len(list) == 0 || list[0].Line < 1 || list[0].Col < 1 {
			t.Fatalf("%s: a run-time invalid result without a position: %#v", what, res.Invalid)
		}
	}
}

// FuzzRun runs, on the model under every profile (whatever profiles the
// file lists), the scenario file of each input when it parses and the
// scenario its generator choices make (fuzz_gen_test.go): twice as
// written, which must give the same result and the same trace, and once
// recording, which runs every step whatever it returns. It fails on a
// panic, on a model panic the runner reports, on a run that uses up its
// step budget, and on a run-time invalid result without a position.
func FuzzRun(f *testing.F) {
	addBundledSeeds(f)
	env := NewEnv(Catalog())
	f.Fuzz(func(t *testing.T, file, choices []byte) {
		for _, s := range fuzzScenarios(t, env, file, choices, "") {
			opts := fuzzOptions(env, s)
			for _, p := range sim.Profiles() {
				var first Result
				for i := range 2 {
					b, err := model.New(p.Name, s.Seed)
					if err != nil {
						t.Fatal(err)
					}
					res := RunWith(s, b, nil, opts)
					checkEnded(t, s.File+" under "+p.Name, res)
					if i == 0 {
						first = res
						continue
					}
					if res.Outcome != first.Outcome || res.Message != first.Message || res.Steps != first.Steps || !reflect.DeepEqual(res.Trace, first.Trace) {
						t.Fatalf("%s under %s: two runs differ:\n%s %q (%d steps, %d events)\n%s %q (%d steps, %d events)", s.File, p.Name,
							first.Outcome, first.Message, first.Steps, len(first.Trace), res.Outcome, res.Message, res.Steps, len(res.Trace))
					}
				}
				b, err := model.New(p.Name, s.Seed)
				if err != nil {
					t.Fatal(err)
				}
				checkEnded(t, s.File+" recorded under "+p.Name, Record(s, b, opts))
			}
		}
	})
}

// stepShape is what a recording keeps of a step: its kind, thread and
// variable, and the shape of its on_callback steps. The recording rewrites
// what the step expects, never what it does; a status: that failed is
// written as the QueryServiceStatusEx it is short for.
func stepShape(st *Step) string {
	kind := st.Kind.Name
	if kind == "status" {
		kind = "QueryServiceStatusEx"
	}
	s := kind + "|" + st.Thread + "|" + st.As
	if nested, ok := st.args.get("on_callback").([]*Step); ok {
		for _, n := range nested {
			s += "[" + stepShape(n) + "]"
		}
	}
	return s
}

// FuzzRecord records the scenarios of each input (as FuzzRun makes them)
// on the model under every profile and writes each recording: what
// Marshal writes must load again, hold the same steps (those before the
// step where a run stopped, when one did, followed only by the callbacks
// and violations steps the recording adds), and replay on the model under
// the recorded profile as passed. A run stopped within its first step has
// nothing to write (ErrNothingRecorded).
func FuzzRecord(f *testing.F) {
	addBundledSeeds(f)
	env := NewEnv(Catalog())
	f.Fuzz(func(t *testing.T, file, choices []byte) {
		for _, s := range fuzzScenarios(t, env, file, choices, t.TempDir()) {
			opts := fuzzOptions(env, s)
			for _, p := range sim.Profiles() {
				b, err := model.New(p.Name, s.Seed)
				if err != nil {
					t.Fatal(err)
				}
				res := Record(s, b, opts)
				checkEnded(t, s.File+" recorded under "+p.Name, res)
				if res.Recording == nil {
					continue
				}
				data, err := res.Recording.Marshal("the model")
				if errors.Is(err, ErrNothingRecorded) {
					continue
				}
				if err != nil {
					t.Fatalf("%s recorded under %s: %v", s.File, p.Name, err)
				}
				again, err := Parse(s.File, data, env)
				if err != nil {
					t.Fatalf("%s recorded under %s: what Marshal wrote does not load: %v\n%s", s.File, p.Name, err, data)
				}
				k := 0
				for k < len(s.Steps) && k < len(again.Steps) && stepShape(s.Steps[k]) == stepShape(again.Steps[k]) {
					k++
				}
				for _, st := range again.Steps[k:] {
					if name := st.Kind.Name; name != "callbacks" && name != "violations" {
						t.Fatalf("%s recorded under %s: step %d is %s, not %s\n%s", s.File, p.Name, k+1, stepShape(again.Steps[k]), stepShape(s.Steps[min(k, len(s.Steps)-1)]), data)
					}
				}
				if res.Recording.Stopped() == "" && k < len(s.Steps) {
					t.Fatalf("%s recorded under %s: the recording keeps %d of the %d steps of a whole run\n%s", s.File, p.Name, k, len(s.Steps), data)
				}
				rb, err := model.New(p.Name, again.Seed)
				if err != nil {
					t.Fatal(err)
				}
				replay := RunWith(again.anyProfile(), rb, nil, fuzzOptions(env, again))
				checkEnded(t, s.File+" replayed under "+p.Name, replay)
				if replay.Outcome != Passed {
					t.Fatalf("%s recorded under %s does not replay under %s: %s\n%s", s.File, p.Name, p.Name, replay.Message, data)
				}
			}
		}
	})
}
