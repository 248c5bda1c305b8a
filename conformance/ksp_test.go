package conformance

import (
	"fmt"
	"math/rand/v2"
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

// TestKSPStepIsPure: along random runs under every profile, the step
// leaves the oracle state it is given as it was (the family's maps, its
// handle list and the handles in it), and gives the same next state and
// Expect for the same state and action.
func TestKSPStepIsPure(t *testing.T) {
	for _, p := range profilesOf(Options{}) {
		src := rand.New(rand.NewPCG(5, 0x5EED))
		for range 20 {
			b, err := newModel(p, 1)
			require.NoError(t, err)
			w, err := NewWorld(b)
			require.NoError(t, err)
			for range 60 {
				a, err := w.GenerateAction(seededChooser{src}, KSPGenerators())
				require.NoError(t, err)
				if opOwner[a.Op] != kspSlot.f {
					// The kernel's waits and CloseHandle on change handles.
					require.NoError(t, w.Do(a))
					continue
				}
				before := w.states
				snapshot := fmt.Sprintf("%+v", before.of(kspSlot.f))
				n1, e1 := kspStep(before, a)
				n2, e2 := kspStep(before, a)
				require.Equal(t, snapshot, fmt.Sprintf("%+v", before.of(kspSlot.f)), "%s changed the state it was given", describe(a))
				require.Equal(t, fmt.Sprintf("%+v", n1.of(kspSlot.f)), fmt.Sprintf("%+v", n2.of(kspSlot.f)))
				require.Equal(t, e1, e2)
				require.NoError(t, w.Do(a))
			}
		}
	}
}

// TestKSPHandlesAcrossFamilies: the kernel's calls see the family's
// handles through its declarations (a change handle is waitable and
// CloseHandle closes it; a provider handle is no kernel object), and the
// family's calls see the kernel's events (NCryptFreeObject refuses one as
// no ncrypt handle; FindCloseChangeNotification closes it).
func TestKSPHandlesAcrossFamilies(t *testing.T) {
	actions := []Action{nOpen("p", nil), nRegister("ev", "p"), polled("ev"), event("e", true, true), nFree("e"), polled("e"),
		findClose("e"), polled("e"), closeHandle("ev"), polled("ev"), nUnregister("p", "ev"), closeHandle("p"), nFree("p")}
	res := RunActions(actions, newModel, "win8", 1)
	require.NoError(t, res.Err)
	assert.Equal(t, len(actions), res.Steps)
	for _, id := range []string{"ksp.free.not-ncrypt-handle", "kernel.close.not-kernel-object", "kernel.handle.stale", "ksp.notify.closed-by-findclose"} {
		assert.True(t, res.Asserted[id], id)
	}
	assert.Equal(t, "WAIT_FAILED", res.Script[7].Want, "FindCloseChangeNotification closed the event")
	assert.Equal(t, "WAIT_FAILED", res.Script[9].Want, "CloseHandle closed the change handle")
}
