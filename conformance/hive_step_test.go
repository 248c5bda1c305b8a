package conformance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// regDump writes a registry state out whole: the keys its maps point to,
// not the pointers.
func regDump(s regState) string {
	live := map[string]regKey{}
	for p, k := range s.live {
		live[p] = *k
	}
	durable := map[string]map[string]regKey{}
	for h, img := range s.durable {
		durable[h] = map[string]regKey{}
		for p, k := range img {
			durable[h][p] = *k
		}
	}
	return fmt.Sprintf("set %+v gen %d live %+v durable %+v dirty %+v keys %+v", s.set, s.gen, live, durable, s.dirty, s.keys)
}

// TestHiveStepIsPure: along random runs under every profile (power cuts
// and cuts inside flushes among them), the step leaves the state it is
// given as it was (its maps, the keys they point to, the dirty lists and
// the handles), and gives the same next state and Expect for the same
// state and action.
func TestHiveStepIsPure(t *testing.T) {
	for _, p := range profilesOf(Options{}) {
		src := rand.New(rand.NewPCG(5, 0x41FE))
		for range 20 {
			b, err := newModel(p, 1)
			require.NoError(t, err)
			w, err := NewWorld(b)
			require.NoError(t, err)
			require.NoError(t, w.Do(lazyOff))
			for range 60 {
				a, err := w.GenerateAction(seededChooser{src}, RegistryGenerators())
				require.NoError(t, err)
				before := regSlot.of(w)
				snapshot := regDump(before)
				n1, e1 := regStep(before, a)
				n2, e2 := regStep(before, a)
				require.Equal(t, snapshot, regDump(before), "%s changed the state it was given", describe(a))
				require.Equal(t, regDump(n1.(regState)), regDump(n2.(regState)))
				require.Equal(t, e1, e2)
				require.NoError(t, w.Do(a))
			}
		}
	}
}
