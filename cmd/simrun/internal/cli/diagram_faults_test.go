//go:build winsim_faults

package cli

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
)

// TestDocDiagramsNoticeBrokenModels: with a rule broken in the model (a
// fault switch armed, a setting flipped), the diagrams simrun generates
// differ from those docs/diagrams.md embeds, so TestDocDiagrams would fail
// on such a model.
func TestDocDiagramsNoticeBrokenModels(t *testing.T) {
	defer func() {
		sim.ArmFaultSwitch("")
		sim.OverrideSetting("", nil)
	}()
	data, err := os.ReadFile(diagramsDoc)
	require.NoError(t, err)
	stated, ok := docDiagramsBlock(string(data))
	require.True(t, ok)
	require.Equal(t, stated, diagramsBlock(t), "the page is current with nothing broken")
	tests := []struct {
		name       string
		breakModel func()
	}{
		{"switch scm.start.already-running", func() { sim.ArmFaultSwitch("scm.start.already-running") }},
		{"switch scm.notify.cancel-on-close", func() { sim.ArmFaultSwitch("scm.notify.cancel-on-close") }},
		{"switch csp.addref.count", func() { sim.ArmFaultSwitch("csp.addref.count") }},
		{"switch hive.lazy.power-loss", func() { sim.ArmFaultSwitch("hive.lazy.power-loss") }},
		{"setting scm.notify.close-withdraws-queued", func() { sim.OverrideSetting("scm.notify.close-withdraws-queued", false) }},
		{"setting hive.flush.explicit-writes", func() { sim.OverrideSetting("hive.flush.explicit-writes", false) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.breakModel()
			block := diagramsBlock(t)
			sim.ArmFaultSwitch("")
			sim.OverrideSetting("", nil)
			assert.NotEqual(t, stated, block)
			t.Log(firstDifference(stated, block))
		})
	}
}
