//go:build winsim_faults

package conformance

import (
	"testing"

	"github.com/winsim/winsim/scenario"
)

// TestDiagramClaimsKill: with the rule of any diagram's claim broken (its
// fault switch armed, or its deciding setting flipped), the diagram
// explored again lacks the claimed edge.
func TestDiagramClaimsKill(t *testing.T) {
	for _, p := range ProveDiagramClaims(newModel, scenario.NewEnv(scenario.Catalog())) {
		if p.Problem != "" {
			t.Errorf("%s: %s: %s", p.Diagram, p.Claim, p.Problem)
			continue
		}
		if p.Claim.Rule == "" {
			t.Logf("%s: %s: names no rule, nothing broken", p.Diagram, p.Claim)
			continue
		}
		t.Logf("%s: %s: lost with %s", p.Diagram, p.Claim.Rule, p.Falsifier)
	}
}
