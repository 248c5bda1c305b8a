package conformance

import (
	"maps"
	"testing"

	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// familyProperty runs a registered family's property (its generators, on
// a fresh backend per run) under every profile, as subtests named by
// profile, then holds the property to the ids it declares.
func familyProperty(t *testing.T, f *family) {
	runs := newRunLog()
	for _, p := range sim.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			rapid.Check(t, propertyMachine(newModel, f, p.Name, *regressions, runs))
		})
	}
	if coverDepthReached(t) {
		requireCovers(t, f.name, f.property.Covers, runs.ids)
	}
}

// propertyMachine is one run of a registered family's property on a model
// backend.
func propertyMachine(newBackend NewBackend, f *family, profile, dir string, runs *runLog) func(*rapid.T) {
	p := f.property
	return familyMachine(newBackend, f.name, profile, dir, p.gens(), p.setup, p.needs, runs)
}

// runLog gathers what the runs of a property did: the ids their oracle
// asserted, and the refusals that cut runs short.
type runLog struct {
	ids     map[string]bool
	refused []string
}

func newRunLog() *runLog { return &runLog{ids: map[string]bool{}} }

// add records the end of one run.
func (l *runLog) add(w *World) {
	maps.Copy(l.ids, w.Asserted())
	if err := w.Refused(); err != nil {
		l.refused = append(l.refused, err.Error())
	}
}

// familyMachine is one run of a family's property: rapid draws actions
// from gens and the World compares each with the oracle. A backend without
// needs ("" for none) skips the run; the generators of a family whose
// required capability the backend lacks are left out, and so are setup
// actions the backend cannot run or that are moot there. A disagreement
// fails the run and writes it as a scenario under dir (the last write is
// rapid's shrunk run). What the runs asserted, and any refusal, go to runs.
func familyMachine(newBackend NewBackend, family, profile, dir string, gens []Generator, setup []Action, needs backend.Capability, runs *runLog) func(*rapid.T) {
	return func(rt *rapid.T) {
		b, err := newBackend(profile, 1)
		if err != nil {
			rt.Fatalf("creating backend: %v", err)
		}
		defer b.Close()
		if needs != "" && !backend.Supports(b, needs) {
			rt.Skipf("backend %s lacks %s", b.Name(), needs)
		}
		w, err := NewWorld(b)
		if err != nil {
			rt.Fatalf("%v", err)
		}
		fail := func() string { return writeFamilyRegression(dir, family, profile, w.Result()) }
		for _, a := range setup {
			if moot(a, b) || a.unsupported(b) != "" {
				continue
			}
			if err := w.Do(a); err != nil && w.Refused() == nil {
				rt.Fatalf("%v%s", err, fail())
			}
		}
		fit := supportedGenerators(b, gens)
		rt.Repeat(map[string]func(*rapid.T){
			"step": func(rt *rapid.T) { propertyStep(rt, w, b, fit, fail) },
			"": func(rt *rapid.T) {
				if err := w.Err(); err != nil {
					rt.Fatalf("%v", err)
				}
			},
		})
		runs.add(w)
	}
}

// supportedGenerators leaves out the generators of the families whose
// required capability b lacks.
func supportedGenerators(b backend.Kernel, gens []Generator) []Generator {
	var fit []Generator
	for _, g := range gens {
		if f := familyNamed(g.Family); f == nil || f.requires == "" || backend.Supports(b, f.requires) {
			fit = append(fit, g)
		}
	}
	return fit
}

// propertyStep is one step of a property run: an applicable action drawn
// from gens, compared with the oracle. Once the backend has refused an
// action the run is over: the remaining steps do nothing (the refusal is
// reported with the run, never counted as agreement).
func propertyStep(rt *rapid.T, w *World, b backend.Kernel, gens []Generator, fail func() string) {
	if w.Refused() != nil {
		return
	}
	a, err := w.GenerateAction(rapidChooser{rt}, gens)
	if err != nil || a.unsupported(b) != "" {
		rt.Skip("no applicable action")
	}
	if err := w.Do(a); err != nil && w.Refused() == nil {
		rt.Fatalf("%v%s", err, fail())
	}
}
