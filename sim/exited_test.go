package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
)

// TestEveryFamilyCallRefusesExitedThread: a family call made on a thread
// that has exited panics as a kernel call on it does (an exited thread makes
// no calls), instead of succeeding; the machine stays usable.
func TestEveryFamilyCallRefusesExitedThread(t *testing.T) {
	for _, f := range familyModels {
		t.Run(f.name, func(t *testing.T) {
			m := sim.MustNewMachine(sim.Options{})
			dead := m.NewProcess("app.exe").NewThread("dead")
			dead.Exit()
			calls := threadCalls(f.build(t, m))
			require.NotEmpty(t, calls)
			for name, c := range calls {
				assert.PanicsWithValue(t, "sim: call on exited thread dead", func() { c(dead) }, "%s on an exited thread", name)
				require.False(t, sim.Locked(m), "%s on an exited thread left the machine locked", name)
			}
		})
	}
}
