package semaphore_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/sim/semaphore"
)

func thread(t *testing.T, profile string) *sim.Thread {
	t.Helper()
	m, err := sim.NewMachine(sim.Options{Profile: profile})
	require.NoError(t, err)
	return m.NewProcess("client.exe").NewThread("main")
}

func TestCreateSemaphoreCounts(t *testing.T) {
	for _, tc := range []struct {
		initial, maximum int32
		want             sim.Errno
	}{
		{0, 1, sim.ERROR_SUCCESS},
		{1, 1, sim.ERROR_SUCCESS},
		{0, 0x7FFFFFFF, sim.ERROR_SUCCESS},
		{2, 1, sim.ERROR_INVALID_PARAMETER},
		{-1, 1, sim.ERROR_INVALID_PARAMETER},
		{0, 0, sim.ERROR_INVALID_PARAMETER},
		{0, -5, sim.ERROR_INVALID_PARAMETER},
	} {
		th := thread(t, "")
		h, code := semaphore.CreateSemaphore(th, tc.initial, tc.maximum)
		assert.Equal(t, tc.want, code, "CreateSemaphore(%d, %d)", tc.initial, tc.maximum)
		assert.Equal(t, code == sim.ERROR_SUCCESS, h != 0, "a handle exactly when the call succeeds")
	}
}

func TestReleaseSemaphore(t *testing.T) {
	type release struct {
		n        int32
		want     sim.Errno
		previous int32 // -99: not written
	}
	for _, tc := range []struct {
		name             string
		profile          string
		initial, maximum int32
		releases         []release
		count            int32
	}{
		{"adds and reports the count before", "win8", 0, 3, []release{{1, sim.ERROR_SUCCESS, 0}, {2, sim.ERROR_SUCCESS, 1}}, 3},
		{"over the maximum changes nothing", "win8", 1, 2, []release{{2, sim.ERROR_TOO_MANY_POSTS, -99}, {1, sim.ERROR_SUCCESS, 1}}, 2},
		{"at the maximum fails", "win8", 1, 1, []release{{1, sim.ERROR_TOO_MANY_POSTS, -99}}, 1},
		{"zero is refused on Windows", "win8", 0, 1, []release{{0, sim.ERROR_INVALID_PARAMETER, -99}}, 0},
		{"negative is refused on Windows", "win7", 0, 1, []release{{-1, sim.ERROR_INVALID_PARAMETER, -99}}, 0},
		{"zero succeeds under Wine 8.0", "wine-8.0", 1, 2, []release{{0, sim.ERROR_SUCCESS, 1}}, 1},
		{"zero succeeds at the maximum under Wine 8.0", "wine-8.0", 1, 1, []release{{0, sim.ERROR_SUCCESS, 1}}, 1},
		{"negative overflows under Wine 8.0", "wine-8.0", 0, 0x7FFFFFFF, []release{{-1, sim.ERROR_TOO_MANY_POSTS, -99}}, 0},
		// The sum leaves LONG's range: the maximum is its largest value, so
		// the release is past it and fails, on Windows and under Wine 8.0
		// alike; the count must not wrap to a negative one that fits.
		{"a sum past LONG's range fails", "win8", 1, 0x7FFFFFFF, []release{{0x7FFFFFFF, sim.ERROR_TOO_MANY_POSTS, -99}, {0x7FFFFFFE, sim.ERROR_SUCCESS, 1}}, 0x7FFFFFFF},
		{"a sum past LONG's range fails under Wine 8.0", "wine-8.0", 1, 0x7FFFFFFF, []release{{0x7FFFFFFF, sim.ERROR_TOO_MANY_POSTS, -99}, {0x7FFFFFFE, sim.ERROR_SUCCESS, 1}}, 0x7FFFFFFF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th := thread(t, tc.profile)
			h, code := semaphore.CreateSemaphore(th, tc.initial, tc.maximum)
			require.Equal(t, sim.ERROR_SUCCESS, code)
			for _, r := range tc.releases {
				prev := int32(-99)
				assert.Equal(t, r.want, semaphore.ReleaseSemaphore(th, h, r.n, &prev), "ReleaseSemaphore(%d)", r.n)
				assert.Equal(t, r.previous, prev, "previous count after ReleaseSemaphore(%d)", r.n)
			}
			sem, _, _ := sim.Resolve[*semaphore.Semaphore](kernel.Handles(th), h)
			assert.Equal(t, tc.count, sem.Count())
		})
	}
}

func TestReleaseSemaphoreHandles(t *testing.T) {
	th := thread(t, "")
	ev := th.CreateEvent(false, false)
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, semaphore.ReleaseSemaphore(th, ev, 1, nil), "an event is not a semaphore")
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, semaphore.ReleaseSemaphore(th, 0x1234, 1, nil), "never issued")
	h, _ := semaphore.CreateSemaphore(th, 0, 1)
	require.Equal(t, sim.ERROR_SUCCESS, th.CloseHandle(h))
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, semaphore.ReleaseSemaphore(th, h, 1, nil), "closed")
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER, semaphore.ReleaseSemaphore(th, 0x1234, 0, nil), "the count is checked before the handle")
	wine := thread(t, "wine-8.0")
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, semaphore.ReleaseSemaphore(wine, 0x1234, 0, nil), "Wine 8.0 checks only the handle")
}

func TestWaitTakesOne(t *testing.T) {
	th := thread(t, "")
	h, _ := semaphore.CreateSemaphore(th, 2, 2)
	for i, want := range []sim.WaitResult{sim.WAIT_OBJECT_0, sim.WAIT_OBJECT_0, sim.WAIT_TIMEOUT} {
		got, err := th.WaitForSingleObjectEx(h, 0, false)
		require.NoError(t, err)
		assert.Equal(t, want, got, "wait %d", i+1)
	}
	var prev int32
	require.Equal(t, sim.ERROR_SUCCESS, semaphore.ReleaseSemaphore(th, h, 1, &prev))
	assert.Equal(t, int32(0), prev)
	got, _ := th.WaitForMultipleObjectsEx([]sim.Handle{h, h}, false, 0, false)
	assert.Equal(t, sim.WAIT_OBJECT_0, got, "a wait-any takes one unit")
}

func TestNilThreadLeavesNoLock(t *testing.T) {
	assert.PanicsWithValue(t, "semaphore: a model call was given a nil *Thread", func() { semaphore.CreateSemaphore(nil, 0, 1) })
	assert.Panics(t, func() { semaphore.ReleaseSemaphore(nil, 4, 1, nil) })
}

// TestExitedThreadRefused: an exited thread makes no calls. Both calls
// panic on one, as the kernel's and the other families' calls do, and leave
// the machine usable. sim's TestEveryFamilyCallRefusesExitedThread walks
// the methods of the other families' models; this family's calls are
// functions, so it is checked here (taking the lock with kernel.Lock instead
// of kernel.Enter passed every test before).
func TestExitedThreadRefused(t *testing.T) {
	m := sim.MustNewMachine(sim.Options{})
	p := m.NewProcess("app.exe")
	live := p.NewThread("live")
	h, code := semaphore.CreateSemaphore(live, 0, 1)
	require.Equal(t, sim.ERROR_SUCCESS, code)
	dead := p.NewThread("dead")
	dead.Exit()
	assert.PanicsWithValue(t, "sim: call on exited thread dead", func() { semaphore.CreateSemaphore(dead, 0, 1) })
	assert.PanicsWithValue(t, "sim: call on exited thread dead", func() { semaphore.ReleaseSemaphore(dead, h, 1, nil) })
	// The lock is free: the live thread still calls.
	var prev int32 = -1
	assert.Equal(t, sim.ERROR_SUCCESS, semaphore.ReleaseSemaphore(live, h, 1, &prev))
	assert.Equal(t, int32(0), prev, "the refused release added nothing")
}

// TestDuplicateWaitAllWine: Wine 8.0's waits accept a wait-all naming the
// semaphore twice; the model takes at most the count (rule
// semaphore.wait.duplicate-wine, out of scope), so the count never goes
// below zero.
func TestDuplicateWaitAllWine(t *testing.T) {
	th := thread(t, "wine-8.0")
	h, _ := semaphore.CreateSemaphore(th, 1, 2)
	got, err := th.WaitForMultipleObjectsEx([]sim.Handle{h, h}, true, 0, false)
	require.NoError(t, err)
	assert.Equal(t, sim.WAIT_OBJECT_0, got)
	var prev int32
	require.Equal(t, sim.ERROR_SUCCESS, semaphore.ReleaseSemaphore(th, h, 1, &prev))
	assert.Equal(t, int32(0), prev, "the count stopped at zero")
}
