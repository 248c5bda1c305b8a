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
	ids := map[string]bool{}
	for _, p := range sim.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			rapid.Check(t, familyMachine(newModel, family, p.Name, *regressions, gens, needs, ids))
		})
	}
	if coverDepthReached(t) {
		requireCovers(t, family, declared, ids)
	}
}

// familyMachine is one run of a family's property: rapid draws actions
// from gens and the World compares each with the oracle. A disagreement
// fails the run and writes it as a scenario under dir (the last write is
// rapid's shrunk run). The ids the oracle asserted are added to ids.
func familyMachine(newBackend NewBackend, family, profile, dir string, gens []Generator, needs backend.Capability, ids map[string]bool) func(*rapid.T) {
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
		for _, a := range familySetup[family] {
			if err := w.Do(a); err != nil {
				rt.Fatalf("%v%s", err, writeFamilyRegression(dir, family, profile, w.Result()))
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"step": func(rt *rapid.T) {
				a, err := w.GenerateAction(rapidChooser{rt}, gens)
				if err != nil || a.unsupported(b) != "" {
					rt.Skip("no applicable action")
				}
				if err := w.Do(a); err != nil {
					rt.Fatalf("%v%s", err, writeFamilyRegression(dir, family, profile, w.Result()))
				}
			},
			"": func(rt *rapid.T) {
				if err := w.Err(); err != nil {
					rt.Fatalf("%v", err)
				}
			},
		})
		maps.Copy(ids, w.Asserted())
	}
}
