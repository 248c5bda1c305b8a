package conformance

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
)

// Where the profile declares NCryptNotifyChangeKey an unimplemented stub,
// the oracle expects the backend to refuse the call (the real one ends the
// process): the run stops there, neither passed nor failed. Elsewhere the
// same actions pass.
func TestKSPNotifyStubIsRefused(t *testing.T) {
	actions := []Action{nOpen("p", nil), nRegister("ev", "p"), polled("ev"), nUnregister("p", "ev"), nFree("p")}
	notify := kspNotifyProfiles()
	for _, p := range sim.Profiles() {
		set, err := readKSPSettings(p.Name)
		require.NoError(t, err)
		assert.Equal(t, set.notifyWorks, slices.Contains(notify, p.Name), p.Name)
		res := RunActions(actions, newModel, p.Name, 1)
		require.NoError(t, res.Err, p.Name)
		if set.notifyWorks {
			assert.Empty(t, res.Skipped, p.Name)
			assert.Equal(t, len(actions), res.Steps, p.Name)
			continue
		}
		assert.Contains(t, res.Skipped, "step 2: NCryptNotifyChangeKey(p) on main: the backend refused it", p.Name)
		assert.Equal(t, 2, res.Steps, p.Name)
	}
	assert.NotContains(t, notify, "wine-8.0")
}
