package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
)

// TestPanicInsideAPCLeavesNoAPCState: an APC routine that panics leaves its
// thread as it found it: not marked as running an APC, so that the thread's
// later calls are not taken for calls made from inside a callback (the
// SCM would record scm.contract.scm-call-in-callback for each).
func TestPanicInsideAPCLeavesNoAPCState(t *testing.T) {
	m := sim.MustNewMachine(sim.Options{})
	th := m.NewProcess("app.exe").NewThread("main")
	sim.QueueAPC(th, &sim.APC{Name: "boom", Run: func(*sim.Thread) { panic("boom") }})
	assert.PanicsWithValue(t, "boom", func() { _, _ = th.SleepEx(10, true) })
	require.False(t, sim.Locked(m), "the machine stays locked after the panic")
	assert.False(t, th.Context().InAPC, "the thread is still marked as running an APC after the APC panicked")
	_, err := scm.New(m).OpenSCManager(th, nil, nil, 0x1)
	assert.Equal(t, sim.ERROR_SUCCESS, err)
	assert.Empty(t, m.Violations(), "a call after the panicking APC is taken for a call from inside a callback")
}
