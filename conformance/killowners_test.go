//go:build winsim_faults

package conformance

import (
	"testing"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// TestKillOwnsEveryModeledRule: every modeled rule of the catalog belongs
// to the kill run of a registered family, and every family's kill run owns
// a modeled rule. TestKill breaks only the rules a family's prefixes claim,
// so a family whose prefixes miss its ids (a typo, a renamed prefix) or a
// family registered in the scenarios but not here passed with a kill ratio
// of 0/0; TestSettingKill's like check sees only families with settings.
func TestKillOwnsEveryModeledRule(t *testing.T) {
	fams := killFamilies(t)
	owned := map[string]int{}
	for _, r := range scenario.Catalog().Rules() {
		if r.Status != sim.Modeled {
			continue
		}
		n := 0
		for _, f := range fams {
			if f.owns(r.ID) {
				n++
				owned[f.name]++
			}
		}
		if n == 0 {
			t.Errorf("modeled rule %s belongs to no family of the kill run: no fault build ever breaks it", r.ID)
		}
	}
	for _, f := range fams {
		if owned[f.name] == 0 {
			t.Errorf("the kill run of %s owns no modeled rule (prefixes %q)", f.name, f.prefixes)
		}
	}
}
