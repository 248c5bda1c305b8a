package conformance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// seededChooser draws a generator's choices from a seeded source.
type seededChooser struct{ r *rand.Rand }

func (c seededChooser) Intn(n int, _ string) int { return c.r.IntN(n) }

// TestCSPStepIsPure: along random runs under every profile, the step
// leaves the state it is given as it was (its maps, slices and the key
// pairs inside them), and gives the same next state and Expect for the
// same state and action.
func TestCSPStepIsPure(t *testing.T) {
	for _, p := range profilesOf(Options{}) {
		src := rand.New(rand.NewPCG(3, 0x5EED))
		for range 20 {
			b, err := newModel(p, 1)
			require.NoError(t, err)
			w, err := NewWorld(b)
			require.NoError(t, err)
			for range 60 {
				a, err := w.GenerateAction(seededChooser{src}, CSPGenerators())
				require.NoError(t, err)
				before := cspSlot.of(w)
				snapshot := fmt.Sprintf("%+v", before)
				n1, e1 := cspStep(before, a)
				n2, e2 := cspStep(before, a)
				require.Equal(t, snapshot, fmt.Sprintf("%+v", before), "%s changed the state it was given", describe(a))
				require.Equal(t, fmt.Sprintf("%+v", n1), fmt.Sprintf("%+v", n2))
				require.Equal(t, e1, e2)
				require.NoError(t, w.Do(a))
			}
		}
	}
}

// outLiar is a CryptoAPI that writes the wrong output handle: a handle of
// 0 for a new context, or none for CRYPT_DELETEKEYSET.
type outLiar struct {
	*model.Backend
	zeroNew bool
}

func (b outLiar) CryptAcquireContext(th string, out *sim.Handle, container, provider *string, typ, flags uint32) sim.Code {
	var mine sim.Handle
	code := b.Backend.CryptAcquireContext(th, &mine, container, provider, typ, flags)
	switch {
	case out == nil:
	case flags&win32.CRYPT_DELETEKEYSET != 0:
		// *out left as it was.
	case b.zeroNew:
		*out = 0
	default:
		*out = mine
	}
	return code
}

// TestCSPOutputHandle holds the driver to Expect.Out: a new context's
// handle must be a handle and is bound to the variable, CRYPT_DELETEKEYSET
// must write NULL, and the scenario steps say so (as: and expect: out).
func TestCSPOutputHandle(t *testing.T) {
	newKeyset := acquire("p", strp("out"), nil, rsaFull, win32.CRYPT_NEWKEYSET)
	del := acquire("d", strp("out"), nil, rsaFull, win32.CRYPT_DELETEKEYSET)
	run := []Action{newKeyset, release("p", 0), del}

	res := RunActions(run, newModel, "win8", 1)
	require.NoError(t, res.Err)
	require.Len(t, res.Script, 3)
	assert.Equal(t, "p", res.Script[0].As)
	assert.Equal(t, []scenario.Arg{{Key: "out", Value: scenario.Raw("new")}}, res.Script[0].Expect)
	assert.Equal(t, "", res.Script[2].As)
	assert.Equal(t, []scenario.Arg{{Key: "out", Value: scenario.Raw("NULL")}}, res.Script[2].Expect)
	assert.True(t, res.Asserted["csp.acquire.delete-zeroes-handle"])

	liar := func(zeroNew bool) NewBackend {
		return func(profile string, seed uint64) (backend.Kernel, error) {
			b, err := model.New(profile, seed)
			return outLiar{b, zeroNew}, err
		}
	}
	res = RunActions(run, liar(true), "win8", 1)
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), "step 1: CryptAcquireContext() on main: succeeded, but wrote NULL as the handle")
	res = RunActions(run, liar(false), "win8", 1)
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), "step 3: CryptAcquireContext() on main: left the handle")
	assert.True(t, res.LastAsserted["csp.acquire.delete-zeroes-handle"], "the failing action's rules are its own")
	assert.False(t, res.Asserted["csp.acquire.delete-zeroes-handle"], "but not credited")
}
