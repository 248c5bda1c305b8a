package scm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// TestServiceStartingUntilRunning: ServiceMain's caller context says the
// service is starting from StartService until the service reports
// SERVICE_RUNNING; a SERVICE_START_PENDING report on the way does not end
// it (Runtime documents the flag; the ksp service-start rule reads it).
func TestServiceStartingUntilRunning(t *testing.T) {
	f := newFixture(t, "win8")
	require.NoError(t, f.mg.SetProgram("svc", win32.Program{OnStart: []win32.Report{
		{After: 10 * time.Millisecond, State: win32.SERVICE_START_PENDING, CheckPoint: 1, WaitHint: 1000},
		{After: 20 * time.Millisecond, State: win32.SERVICE_RUNNING, Accept: win32.SERVICE_ACCEPT_STOP},
	}}))
	require.Equal(t, sim.ERROR_SUCCESS, f.mg.StartService(f.t, f.svc, nil))
	for _, step := range []struct {
		advance  time.Duration
		state    win32.ServiceState
		starting bool
	}{
		{0, win32.SERVICE_START_PENDING, true},
		{15 * time.Millisecond, win32.SERVICE_START_PENDING, true},
		{10 * time.Millisecond, win32.SERVICE_RUNNING, false},
	} {
		f.m.Advance(step.advance)
		var st win32.SERVICE_STATUS
		require.Equal(t, sim.ERROR_SUCCESS, f.mg.QueryServiceStatus(f.t, f.svc, &st))
		require.Equal(t, step.state, st.CurrentState, "at +%s", step.advance)
		rt, ok := f.mg.Runtime("svc")
		require.True(t, ok)
		assert.Equal(t, step.starting, rt.ServiceMain.Context().ServiceStarting, "state %s", step.state)
	}
}
