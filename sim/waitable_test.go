package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
)

// tokens is a family's waitable object, as a family package would write
// one: signaled while it holds tokens, and each satisfied wait takes one.
type tokens struct {
	sim.KernelObjectBase
	n int
}

func (*tokens) TypeName() string            { return "Tokens" }
func (k *tokens) Signaled(*sim.Thread) bool { return k.n > 0 }
func (k *tokens) Acquire(*sim.Thread)       { k.n-- }

// TestWaitableObject: the kernel's waits take a family's WaitableObject
// like one of its own events: it satisfies waits while signaled, each
// satisfied wait acquires it, and a wait-all naming it twice is refused as
// for any object.
func TestWaitableObject(t *testing.T) {
	m := sim.MustNewMachine(sim.Options{})
	th := m.NewProcess("p").NewThread("main")
	k := &tokens{n: 2}
	h := kernel.Handles(th).Insert(k, 0x1F0003)
	for i, want := range []sim.WaitResult{sim.WAIT_OBJECT_0, sim.WAIT_OBJECT_0, sim.WAIT_TIMEOUT} {
		got, err := th.WaitForSingleObjectEx(h, 0, false)
		require.NoError(t, err)
		assert.Equal(t, want, got, "wait %d", i+1)
	}
	assert.Equal(t, 0, k.n)
	ev := th.CreateEvent(true, true)
	k.n = 1
	got, err := th.WaitForMultipleObjectsEx([]sim.Handle{ev, h}, true, 0, false)
	require.NoError(t, err)
	assert.Equal(t, sim.WAIT_OBJECT_0, got, "a wait-all over an event and the family's object")
	assert.Equal(t, 0, k.n, "the wait-all acquired it")
	got, err = th.WaitForMultipleObjectsEx([]sim.Handle{h, h}, true, 0, false)
	assert.Equal(t, sim.WAIT_FAILED, got, "the same object twice in a wait-all")
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER, err)
}
