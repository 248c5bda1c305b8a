//go:build winsim_faults

package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// knownSurvivors are, by family, the modeled rules whose switch the suite
// does not catch, each with the reason. The kill test fails when another
// switch survives, and when one listed here is killed (the list must stay
// true).
var knownSurvivors = map[string]map[string]string{}

// TestKill arms the fault switch of each modeled rule of each family in
// turn and requires the family's checks, its bundled scenarios (under every
// profile), or its property's random runs to fail. Run it with
//
//	go test -tags winsim_faults -run TestKill -v ./conformance
func TestKill(t *testing.T) {
	for _, f := range killFamilies(t) {
		t.Run(f.name, func(t *testing.T) { killFamilyRun(t, f) })
	}
}

func killFamilyRun(t *testing.T, f killFamily) {
	rs := routes(t, f, everyProfile())
	sim.ArmFaultSwitch("")
	for _, r := range rs {
		require.Empty(t, guarded(r.run), "with no switch armed, the %s must pass", r.name)
	}

	var ids []string
	for _, r := range scenario.Catalog().Rules() {
		if r.Status == sim.Modeled && f.owns(r.ID) {
			ids = append(ids, r.ID)
		}
	}
	killed := 0
	var survivors, unexpected []string
	for _, id := range ids {
		sw, idRS, via := id, rs, ""
		if base, ok := restsOn[id]; ok {
			scope := everyProfile()
			scope.covers = id
			sw, idRS, via = base, routes(t, f, scope), " (switch of "+base+")"
			sim.ArmFaultSwitch("")
			for _, r := range idRS {
				require.Empty(t, guarded(r.run), "with no switch armed, the %s covering %s must pass", r.name, id)
			}
		}
		sim.ArmFaultSwitch(sw)
		var by []string
		first := ""
		for _, r := range idRS {
			if msg := guarded(r.run); msg != "" {
				by = append(by, r.name)
				if first == "" {
					first = msg
				}
			}
		}
		reached := sim.FaultSwitchReached(sw)
		switch {
		case len(by) > 0:
			killed++
			t.Logf("killed   %-45s by %-26s %s", id+via, strings.Join(by, "+"), firstLine(first))
			if _, listed := f.survivors[id]; listed {
				unexpected = append(unexpected, id+" (listed as a survivor, but killed)")
			}
		default:
			why := f.survivors[id]
			if why == "" {
				why = "NOT LISTED"
				unexpected = append(unexpected, id)
			}
			if !reached {
				why += " (switch never reached)"
			}
			survivors = append(survivors, id)
			t.Logf("SURVIVED %-45s %s", id, why)
		}
	}
	sim.ArmFaultSwitch("")
	t.Logf("kill ratio: %d/%d modeled %s rules (%.1f%%); survivors: %s", killed, len(ids), f.name, 100*float64(killed)/float64(len(ids)), strings.Join(survivors, ", "))
	slices.Sort(unexpected)
	require.Empty(t, unexpected, "fault switches the suite does not catch (or known survivors it now catches)")
}
