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
func RunFile(path string, newBackend NewBackend, rep Reporter, opts Options) (*Scenario, Result, error) {
	if rep == nil {
		rep = discard{}
	}
	s, err := Load(path, opts.Env)
	if err != nil {
		return nil, Result{}, err
	}
	profile := opts.Profile
	if profile == "" {
		profile = sim.DefaultProfile
	}
	if !s.Supports(profile) {
		res := Result{Outcome: Skipped, Message: fmt.Sprintf("profile %s is not among the scenario's profiles (%s)", profile, strings.Join(s.Profiles, ", "))}
		rep.Skipf("%s", res.Message)
		return s, res, nil
	}
	b, err := newBackend(profile, s.Seed)
	if err != nil {
		res := Result{Outcome: Failed, Message: fmt.Sprintf("%s:1:1: creating backend for profile %s: %v", path, profile, err)}
		rep.Errorf("%s", res.Message)
		return s, res, nil
	}
	if opts.Untraced && !s.Golden && !opts.Record && !opts.Update {
		backend.StopTrace(b)
	}
	if _, paced := b.(backend.Paced); paced && opts.Plan == nil && opts.Planner != nil {
		plan, err := PlanFor(s, profile, opts.Planner, opts)
		if err != nil {
			_ = b.Close()
			res := Result{Outcome: Failed, Message: fmt.Sprintf("%s:1:1: %v", path, err)}
			rep.Errorf("%s", res.Message)
			return s, res, nil
		}
		opts.Plan = plan
	}
	res := run(s, b, rep, opts)
	if err := b.Close(); err != nil && res.Outcome == Passed {
		res.Outcome, res.Message = Failed, fmt.Sprintf("%s:1:1: closing backend: %v", path, err)
	}
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
