package scm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// ids lists the registrations of l in order, by id.
func ids(l *regList, c chain) []int {
	var out []int
	for r := range l.all(c) {
		out = append(out, r.id)
	}
	return out
}

// TestRegList: a list keeps the order registrations were pushed in, through
// removals at its head, middle and end; an iteration may remove the
// registration it is at, and stop early.
func TestRegList(t *testing.T) {
	tests := []struct {
		name    string
		push    int
		remove  []int // ids, in this order
		want    []int
		dropAll bool // remove each element while iterating
	}{
		{name: "empty", want: nil},
		{name: "one", push: 1, want: []int{1}},
		{name: "order kept", push: 4, want: []int{1, 2, 3, 4}},
		{name: "head removed", push: 3, remove: []int{1}, want: []int{2, 3}},
		{name: "middle removed", push: 3, remove: []int{2}, want: []int{1, 3}},
		{name: "last removed", push: 3, remove: []int{3}, want: []int{1, 2}},
		{name: "all removed", push: 3, remove: []int{2, 1, 3}, want: nil},
		{name: "removed while iterating", push: 4, dropAll: true, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l regList
			regs := map[int]*registration{}
			for i := 1; i <= tt.push; i++ {
				regs[i] = &registration{id: i}
				l.pushBack(byHandle, regs[i])
			}
			for _, id := range tt.remove {
				l.remove(byHandle, regs[id])
			}
			if tt.dropAll {
				var seen []int
				for r := range l.all(byHandle) {
					seen = append(seen, r.id)
					l.remove(byHandle, r)
				}
				assert.Equal(t, []int{1, 2, 3, 4}, seen, "every registration is visited once")
			}
			assert.Equal(t, tt.want, ids(&l, byHandle))
			assert.Equal(t, len(tt.want) == 0, l.empty())
		})
	}
	t.Run("early stop", func(t *testing.T) {
		var l regList
		for i := 1; i <= 3; i++ {
			l.pushBack(byThread, &registration{id: i})
		}
		var seen []int
		for r := range l.all(byThread) {
			seen = append(seen, r.id)
			if r.id == 2 {
				break
			}
		}
		assert.Equal(t, []int{1, 2}, seen)
	})
}

// TestIndexesEmptyAfterDelivery: once every callback has run, or its
// handle is closed, or its thread exits, no index still holds a
// registration: the per-thread and per-buffer maps are empty, and so are the
// lists of the service and the handles.
func TestIndexesEmptyAfterDelivery(t *testing.T) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	mg := New(m)
	th := m.NewProcess("client.exe").NewThread("main")
	other := th.Proc.NewThread("other")
	hm, _ := mg.OpenSCManager(th, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	h, code := mg.CreateService(th, hm, win32.CreateServiceParams{Name: win32.Str("s"), DesiredAccess: win32.SERVICE_ALL_ACCESS,
		ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START, BinaryPath: win32.Str("x")})
	require.Equal(t, sim.ERROR_SUCCESS, code)
	h2, _ := mg.OpenService(th, hm, win32.Str("s"), win32.SERVICE_QUERY_STATUS)
	var bufs [4]win32.SERVICE_NOTIFY
	for i := range bufs {
		bufs[i].Version = win32.SERVICE_NOTIFY_STATUS_CHANGE
	}
	// Delivered at once: the service is stopped.
	require.Equal(t, sim.ERROR_SUCCESS, mg.NotifyServiceStatusChange(th, h, win32.SERVICE_NOTIFY_STOPPED, &bufs[0]))
	// Pending until the handle closes.
	require.Equal(t, sim.ERROR_SUCCESS, mg.NotifyServiceStatusChange(th, h2, win32.SERVICE_NOTIFY_RUNNING, &bufs[1]))
	// Pending until its thread exits.
	require.Equal(t, sim.ERROR_SUCCESS, mg.NotifyServiceStatusChange(other, h, win32.SERVICE_NOTIFY_RUNNING, &bufs[2]))
	// Pending on the SCM handle until it closes.
	require.Equal(t, sim.ERROR_SUCCESS, mg.NotifyServiceStatusChange(th, hm, win32.SERVICE_NOTIFY_CREATED, &bufs[3]))
	assert.Len(t, mg.byThread, 2)
	assert.Len(t, mg.byBuffer, 4)

	_, err := th.SleepEx(0, true)
	require.NoError(t, err)
	mg.CloseServiceHandle(th, h2)
	other.Exit()
	mg.CloseServiceHandle(th, hm)
	assert.Empty(t, mg.byThread)
	assert.Empty(t, mg.byBuffer)
	assert.Empty(t, mg.reused)
	sh, ok := lookupService(th, h)
	require.True(t, ok)
	assert.True(t, sh.regs.empty())
	assert.True(t, sh.svc.regs.empty())
	assert.Zero(t, sh.outstanding)
	assert.Empty(t, mg.watchers, "a closed SCM handle stops watching")
}

// TestBufferReusedNamesOldest: a buffer given again while requests on it are
// outstanding is reported against the oldest of them, whichever of them went
// away in the meantime.
func TestBufferReusedNamesOldest(t *testing.T) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	mg := New(m)
	th := m.NewProcess("client.exe").NewThread("main")
	hm, _ := mg.OpenSCManager(th, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	_, code := mg.CreateService(th, hm, win32.CreateServiceParams{Name: win32.Str("s"), DesiredAccess: win32.SERVICE_ALL_ACCESS,
		ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START, BinaryPath: win32.Str("x")})
	require.Equal(t, sim.ERROR_SUCCESS, code)
	buf := &win32.SERVICE_NOTIFY{Version: win32.SERVICE_NOTIFY_STATUS_CHANGE}
	var handles []sim.Handle
	// register makes request notify#<len(handles)> on a handle of its own;
	// the service is stopped, so a request for RUNNING stays pending.
	register := func() {
		h, code := mg.OpenService(th, hm, win32.Str("s"), win32.SERVICE_QUERY_STATUS)
		require.Equal(t, sim.ERROR_SUCCESS, code)
		handles = append(handles, h)
		require.Equal(t, sim.ERROR_SUCCESS, mg.NotifyServiceStatusChange(th, h, win32.SERVICE_NOTIFY_RUNNING, buf))
	}
	register() // notify#1
	register() // notify#2: reuses #1's buffer
	register() // notify#3: #1 is still the oldest
	mg.CloseServiceHandle(th, handles[0])
	register() // notify#4: #2 is now the oldest
	mg.CloseServiceHandle(th, handles[2])
	mg.CloseServiceHandle(th, handles[1])
	register() // notify#5: #4 is left
	var named []string
	for _, v := range m.Violations() {
		named = append(named, v.Detail)
	}
	want := []string{"notify#1", "notify#1", "notify#2", "notify#4"}
	require.Len(t, named, len(want))
	for i, id := range want {
		assert.Equal(t, "notify buffer of "+id+" reused while that request is outstanding", named[i])
	}
	mg.CloseServiceHandle(th, handles[3])
	mg.CloseServiceHandle(th, handles[4])
	assert.Empty(t, mg.byBuffer)
	assert.Empty(t, mg.reused)
}
