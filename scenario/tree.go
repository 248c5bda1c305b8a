package scenario

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// TB is what RunTree needs of a test. *testing.T satisfies TB[*testing.T],
// so this package runs under go test without importing package testing.
type TB[T any] interface {
	Reporter
	Helper()
	Run(name string, f func(T)) bool
}

// NewBackend creates a fresh backend for one run of a scenario.
type NewBackend func(profile string, seed uint64) (backend.Kernel, error)

// RunTree runs every *.yaml file under root as a subtest named after its
// path relative to root, without the extension (scm/notify-immediate), each
// against a fresh backend for opts.Profile and the scenario's seed.
func RunTree[T TB[T]](t T, root string, newBackend NewBackend, opts Options) {
	t.Helper()
	files, err := Find(root)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	if len(files) == 0 {
		t.Errorf("no scenarios (*.yaml) under %s", root)
		return
	}
	for _, file := range files {
		t.Run(Name(root, file), func(t T) {
			t.Helper()
			if _, _, err := RunFile(file, newBackend, t, opts); err != nil {
				t.Errorf("%v", err)
			}
		})
	}
}

// RunFile decodes a scenario file and runs it against a fresh backend, made
// by newBackend for opts.Profile and the scenario's seed, and closed after the
// run. The outcome goes to rep (which may be nil) and comes back as a Result.
// A file that does not decode returns its ErrorList and no Scenario, and
// reports nothing to rep. A run that finds the scenario at fault
// (Result.Invalid: the virtual clock overflowing) returns that ErrorList
// too, with the Scenario and the Result.
//
// On a model backend (one over a sim.Machine) each
// step runs as soon as it is decoded and is dropped after it ran, so that a
// file of any length runs in bounded memory: the Scenario returned then
// has no Steps (StepCount counts them). The model has no effect outside
// the run, and what the run concluded counts only once the whole file has
// decoded: a file with a problem after its first steps is invalid, as
// when it is decoded before it runs.
func RunFile(path string, newBackend NewBackend, rep Reporter, opts Options) (*Scenario, Result, error) {
	if rep == nil {
		rep = discard{}
	}
	var limit int64
	if opts.Env != nil {
		limit = opts.Env.MaxFileSize
	}
	data, err := readScenarioFile(path, limit)
	if err != nil {
		return nil, Result{}, err
	}
	fr := &fileRun{path: path, newBackend: newBackend, rep: rep, opts: opts}
	s, err := decodeFile(path, data, opts.Env, streamHooks{begin: fr.begin, each: fr.each, reset: fr.reset})
	if err != nil {
		fr.reset()
		return nil, Result{}, err
	}
	res := fr.end(s)
	switch res.Outcome {
	case Failed:
		rep.Errorf("%s", res.Message)
	case Skipped:
		rep.Skipf("%s", res.Message)
	}
	if res.Invalid != nil {
		return s, res, res.Invalid
	}
	return s, res, nil
}

// fileRun is RunFile's run of one file, begun once the file's top level is
// decoded and handed the steps as they are (see streamHooks).
type fileRun struct {
	path       string
	newBackend NewBackend
	rep        Reporter
	opts       Options

	profile string
	b       backend.Kernel // nil until created, and after a reset
	done    *Result        // the outcome decided before any step ran
	r       *runner        // a run that takes each step as it is decoded
	steps   []*Step        // the steps, kept for a run after the decoding
}

// begin creates the backend for s, and the runner when s can run as it is
// decoded.
func (fr *fileRun) begin(s *Scenario) {
	fr.profile = fr.opts.Profile
	if fr.profile == "" {
		fr.profile = sim.DefaultProfile
	}
	if !s.Supports(fr.profile) {
		fr.done = &Result{Outcome: Skipped, Message: fmt.Sprintf("profile %s is not among the scenario's profiles (%s)", fr.profile, strings.Join(s.Profiles, ", "))}
		return
	}
	b, err := fr.newBackend(fr.profile, s.Seed)
	if err != nil {
		fr.done = &Result{Outcome: Failed, Message: fmt.Sprintf("%s:1:1: creating backend for profile %s: %v", fr.path, fr.profile, err)}
		return
	}
	fr.b = b
	if fr.opts.Untraced && !s.Golden && !fr.opts.Record && !fr.opts.Update {
		backend.StopTrace(b)
	}
	if !runsAsDecoded(b, fr.opts) {
		return
	}
	r, early, ok := startRun(s, b, fr.rep, fr.opts)
	if !ok {
		fr.done = &early
		return
	}
	fr.r = r
}

// runsAsDecoded reports whether a run on b may take each step as it is
// decoded: b is a model (a run on it has no effect outside it), and the run
// neither records (which keeps every step) nor plans. Whether b has what
// the steps need is known once they are all decoded (end).
func runsAsDecoded(b backend.Kernel, opts Options) bool {
	mb, ok := b.(machineBackend)
	if !ok || mb.Machine() == nil || opts.Record || opts.Plan != nil {
		return false
	}
	_, paced := b.(backend.Paced)
	return !paced
}

// each takes the next top-level step: runs it, or keeps it for later.
func (fr *fileRun) each(st *Step) {
	switch {
	case fr.done != nil:
	case fr.r != nil:
		fr.r.next(st)
	default:
		fr.steps = append(fr.steps, st)
	}
}

// reset voids what begin and each did: the decoding starts over, or failed.
func (fr *fileRun) reset() {
	if fr.b != nil {
		_ = fr.b.Close()
	}
	*fr = fileRun{path: fr.path, newBackend: fr.newBackend, rep: fr.rep, opts: fr.opts}
}

// end runs what was kept and closes the backend, once s is decoded.
func (fr *fileRun) end(s *Scenario) Result {
	if fr.done != nil {
		if fr.b != nil {
			_ = fr.b.Close()
		}
		return *fr.done
	}
	var res Result
	switch {
	case fr.r != nil && missingNeeds(s, fr.b) != "":
		// What ran is void: the scenario is skipped, as it is when
		// this is known before it runs.
		res = Result{Outcome: Skipped, Message: missingNeeds(s, fr.b)}
	case fr.r != nil:
		res = fr.r.finish()
	default:
		s.Steps = fr.steps
		res = fr.runKept(s)
	}
	if err := fr.b.Close(); err != nil && res.Outcome == Passed {
		res.Outcome, res.Message = Failed, fmt.Sprintf("%s:1:1: closing backend: %v", fr.path, err)
	}
	return res
}

// runKept runs the kept steps of s, planning the waits first for a backend
// whose waits take real time.
func (fr *fileRun) runKept(s *Scenario) Result {
	opts := fr.opts
	if _, paced := fr.b.(backend.Paced); paced && opts.Plan == nil && opts.Planner != nil {
		plan, err := PlanFor(s, fr.profile, opts.Planner, opts)
		if err != nil {
			return Result{Outcome: Failed, Message: fmt.Sprintf("%s:1:1: %v", fr.path, err)}
		}
		opts.Plan = plan
	}
	return run(s, fr.b, fr.rep, opts)
}

// Find returns the scenario files under root in lexical order: root itself
// when it is not a directory, else every *.yaml and *.yml file below it
// (symlinks are not followed into directories; a symlink named *.yaml is
// listed, and Load then reads it only if it leads to a regular file).
// Errors name the path they are about.
func Find(root string) ([]string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, pathError(root, err)
	}
	if !info.IsDir() {
		return []string{root}, nil
	}
	var files []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return pathError(path, err)
		}
		if !d.IsDir() && IsScenarioFile(d.Name()) {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// IsScenarioFile reports whether a file name is a scenario's: *.yaml or
// *.yml.
func IsScenarioFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// trimExt removes a scenario file's extension, .yaml or .yml.
func trimExt(path string) string {
	if p, ok := strings.CutSuffix(path, ".yaml"); ok {
		return p
	}
	return strings.TrimSuffix(path, ".yml")
}

// Name returns a scenario's name: its path relative to root without .yaml
// (or .yml), with forward slashes (scm/notify-immediate). For a root that is
// the file itself, the name is the path without its extension.
func Name(root, path string) string {
	rel := path
	if r, err := filepath.Rel(root, path); err == nil && r != "." {
		rel = r
	}
	return trimExt(filepath.ToSlash(rel))
}
