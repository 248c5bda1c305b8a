package ksp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// TestWatchersForgotten: a store forgets the change handle that closes,
// whichever way it closes, and only that one, keeping the others in
// registration order. (A closed watcher left in the list would signal
// nothing, so no public call shows it; the list would only grow.)
func TestWatchersForgotten(t *testing.T) {
	m := sim.MustNewMachine(sim.Options{})
	k := NewKSP(m)
	th := m.NewProcess("client.exe").NewThread("main")
	var prov sim.Handle
	require.Equal(t, sim.HResult(0), k.NCryptOpenStorageProvider(th, &prov, nil, 0))
	register := func(flags uint32) (sim.Handle, *sim.ChangeNotification) {
		var ev sim.Handle
		s, err := k.NCryptNotifyChangeKey(th, prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG|flags)
		require.NoError(t, err)
		require.Equal(t, sim.HResult(0), s)
		cn, _, _ := sim.Resolve[*sim.ChangeNotification](kernel.Handles(th), ev)
		return ev, cn
	}
	user, machine := k.def.user, k.def.machine
	h1, c1 := register(0)
	h2, c2 := register(0)
	h3, c3 := register(0)
	_, cm := register(win32.NCRYPT_MACHINE_KEY_FLAG)
	require.Equal(t, []*sim.ChangeNotification{c1, c2, c3}, user.watchers)
	require.Equal(t, []*sim.ChangeNotification{cm}, machine.watchers)

	ev := h2
	s, err := k.NCryptNotifyChangeKey(th, prov, &ev, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG)
	require.NoError(t, err)
	require.Equal(t, sim.HResult(0), s)
	assert.Equal(t, []*sim.ChangeNotification{c1, c3}, user.watchers, "unregistered")

	require.Equal(t, sim.ERROR_SUCCESS, th.CloseHandle(h3))
	assert.Equal(t, []*sim.ChangeNotification{c1}, user.watchers, "closed with CloseHandle")

	require.Equal(t, sim.ERROR_SUCCESS, th.FindCloseChangeNotification(h1))
	assert.Empty(t, user.watchers, "closed with FindCloseChangeNotification")
	assert.Equal(t, []*sim.ChangeNotification{cm}, machine.watchers, "the other store's watcher stays")
}
