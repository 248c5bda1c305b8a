package conformance

import (
	"maps"
	"testing"

	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// familySetup are the actions every run of a family's property starts with.
var familySetup = map[string][]Action{"Registry": {lazyOff}}

// familyProperty runs a family's state machine (its generators only, on a
// fresh backend per run) under every profile, as subtests named by
// profile, then holds the property to the ids it declares.
func familyProperty(t *testing.T, family string, gens []Generator, needs backend.Capability, declared []string) {
	runs := newRunLog()
	for _, p := range sim.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			rapid.Check(t, familyMachine(newModel, family, p.Name, *regressions, gens, needs, runs))
		})
	}
	if coverDepthReached(t) {
		requireCovers(t, family, declared, runs.ids)
	}
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
// from gens and the World compares each with the oracle. A disagreement
// fails the run and writes it as a scenario under dir (the last write is
// rapid's shrunk run). Setup actions that are moot on the backend are left
// out. What the runs asserted, and any refusal, go to runs.
func familyMachine(newBackend NewBackend, family, profile, dir string, gens []Generator, needs backend.Capability, runs *runLog) func(*rapid.T) {
	return func(rt *rapid.T) {
		b, err := newBackend(profile, 1)
		if err != nil {
			rt.Fatalf("creating backend: %v", err)
		}
		defer b.Close()
		if !backend.Supports(b, needs) {
			rt.Skipf("backend %s lacks %s", b.Name(), needs)
		}
		w, err := NewWorld(b)
		if err != nil {
			rt.Fatalf("%v", err)
		}
		fail := func() string { return writeFamilyRegression(dir, family, profile, w.Result()) }
		for _, a := range familySetup[family] {
			if moot(a, b) {
				continue
			}
			if err := w.Do(a); err != nil && w.Refused() == nil {
				rt.Fatalf("%v%s", err, fail())
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"step": func(rt *rapid.T) { propertyStep(rt, w, b, gens, fail) },
			"": func(rt *rapid.T) {
				if err := w.Err(); err != nil {
					rt.Fatalf("%v", err)
				}
			},
		})
		runs.add(w)
	}
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
