package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// changeFixture is a thread with a change-notification handle whose close
// hook counts its calls.
type changeFixture struct {
	m      *Machine
	th     *Thread
	c      *ChangeNotification
	h      Handle
	closes int
}

func newChangeFixture(t *testing.T) *changeFixture {
	t.Helper()
	f := &changeFixture{m: MustNewMachine(Options{})}
	f.th = f.m.NewProcess("app.exe").NewThread("main")
	f.c = newChangeNotification("test store", func(*Thread) { f.closes++ })
	f.m.head.Mu.Lock()
	f.h = f.th.Proc.handles.Insert(f.c, 0)
	f.m.head.Mu.Unlock()
	return f
}

func (f *changeFixture) change() {
	f.m.head.Mu.Lock()
	defer f.m.head.Mu.Unlock()
	f.c.change(f.m, f.th)
}

func (f *changeFixture) wait(t *testing.T) WaitResult {
	t.Helper()
	r, err := f.th.WaitForSingleObjectEx(f.h, 0, false)
	require.NoError(t, err)
	return r
}

// TestChangeNotificationSignals walks sequences of changes, waits and
// re-arms, checking after each what a zero-timeout wait returns.
func TestChangeNotificationSignals(t *testing.T) {
	type op uint8
	const (
		change op = iota
		rearm
	)
	tests := []struct {
		name  string
		ops   []op
		waits []WaitResult // a wait after each op
	}{
		{"armed and unsignaled at first", nil, nil},
		{"a change signals", []op{change}, []WaitResult{WAIT_OBJECT_0}},
		{"re-arm without a later change unsignals", []op{change, rearm}, []WaitResult{WAIT_OBJECT_0, WAIT_TIMEOUT}},
		{"a change after the signal is recorded", []op{change, change, rearm}, []WaitResult{WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_OBJECT_0}},
		{"many changes coalesce into one more signal", []op{change, change, change, change, rearm, rearm}, []WaitResult{WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_TIMEOUT}},
		{"a change after re-arm signals again", []op{change, rearm, change}, []WaitResult{WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_OBJECT_0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newChangeFixture(t)
			require.Equal(t, WAIT_TIMEOUT, f.wait(t))
			for i, o := range tc.ops {
				switch o {
				case change:
					f.change()
				case rearm:
					require.Equal(t, ERROR_SUCCESS, f.th.FindNextChangeNotification(f.h))
				}
				assert.Equal(t, tc.waits[i], f.wait(t), "after op %d", i)
				assert.Equal(t, tc.waits[i], f.wait(t), "a wait does not reset it (op %d)", i)
			}
			assert.Empty(t, f.m.Violations())
		})
	}
}

// TestFindNextChangeNotificationOutstanding: re-arming while the request
// is outstanding is a violation and changes nothing.
func TestFindNextChangeNotificationOutstanding(t *testing.T) {
	f := newChangeFixture(t)
	require.Equal(t, ERROR_SUCCESS, f.th.FindNextChangeNotification(f.h))
	vs := f.m.Violations()
	require.Len(t, vs, 1)
	assert.Equal(t, RuleChangeRearmOutstanding.ID, vs[0].Rule.ID)
	f.change()
	assert.Equal(t, WAIT_OBJECT_0, f.wait(t))
}

// TestChangeNotificationHandles covers the handle checks and closing.
func TestChangeNotificationHandles(t *testing.T) {
	tests := []struct {
		name string
		run  func(f *changeFixture) Errno
		want Errno
	}{
		{"FindNext on NULL", func(f *changeFixture) Errno { return f.th.FindNextChangeNotification(0) }, ERROR_INVALID_HANDLE},
		{"FindNext on an event", func(f *changeFixture) Errno {
			return f.th.FindNextChangeNotification(f.th.CreateEvent(true, true))
		}, ERROR_INVALID_HANDLE},
		{"FindClose on NULL", func(f *changeFixture) Errno { return f.th.FindCloseChangeNotification(0) }, ERROR_INVALID_HANDLE},
		{"FindClose on an event closes it, as NtClose would", func(f *changeFixture) Errno {
			return f.th.FindCloseChangeNotification(f.th.CreateEvent(true, true))
		}, ERROR_SUCCESS},
		{"FindClose twice", func(f *changeFixture) Errno {
			f.th.FindCloseChangeNotification(f.h)
			return f.th.FindCloseChangeNotification(f.h)
		}, ERROR_INVALID_HANDLE},
		{"FindNext after close", func(f *changeFixture) Errno {
			f.th.FindCloseChangeNotification(f.h)
			return f.th.FindNextChangeNotification(f.h)
		}, ERROR_INVALID_HANDLE},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newChangeFixture(t)
			assert.Equal(t, tc.want, tc.run(f))
		})
	}
}

// TestChangeNotificationClose: both close paths run the owner's hook once
// (CloseHandle, FindCloseChangeNotification), closeLocked does not, and a
// closed object ignores changes.
func TestChangeNotificationClose(t *testing.T) {
	for _, tc := range []struct {
		name   string
		close  func(f *changeFixture)
		closes int
	}{
		{"CloseHandle", func(f *changeFixture) { f.th.CloseHandle(f.h) }, 1},
		{"FindCloseChangeNotification", func(f *changeFixture) { f.th.FindCloseChangeNotification(f.h) }, 1},
		{"CloseLocked", func(f *changeFixture) {
			f.m.head.Mu.Lock()
			defer f.m.head.Mu.Unlock()
			f.c.closeLocked(f.th, f.h)
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newChangeFixture(t)
			tc.close(f)
			assert.Equal(t, tc.closes, f.closes)
			assert.True(t, f.c.Closed())
			f.change()
			assert.False(t, f.c.signaledFor(f.th))
			_, err := f.th.WaitForSingleObjectEx(f.h, 0, false)
			assert.Equal(t, ERROR_INVALID_HANDLE, err)
		})
	}
}

// TestChangeNotificationCloseLockedOtherHandle: closeLocked removes h only
// when it refers to the object closed; a handle to another object stays open.
func TestChangeNotificationCloseLockedOtherHandle(t *testing.T) {
	f := newChangeFixture(t)
	ev := f.th.CreateEvent(true, false)
	f.m.head.Mu.Lock()
	f.c.closeLocked(f.th, ev)
	f.m.head.Mu.Unlock()
	assert.True(t, f.c.Closed())
	assert.Equal(t, ERROR_SUCCESS, f.th.SetEvent(ev), "the event's handle is still open")
}

// TestLastError: the severity bit tells HRESULTs from Win32 codes.
func TestLastError(t *testing.T) {
	for _, tc := range []struct {
		v    uint32
		want Code
		name string
	}{
		{0, ERROR_SUCCESS.Code(), "ERROR_SUCCESS"},
		{87, ERROR_INVALID_PARAMETER.Code(), "ERROR_INVALID_PARAMETER"},
		{170, ERROR_BUSY.Code(), "ERROR_BUSY"},
		{0x80090009, NTE_BAD_FLAGS.Code(), "NTE_BAD_FLAGS"},
		{0x80090001, NTE_BAD_UID.Code(), "NTE_BAD_UID"},
		{0x800706F4, HRESULT_RPC_X_NULL_REF_POINTER.Code(), "HRESULT_RPC_X_NULL_REF_POINTER"},
	} {
		got := LastError(tc.v)
		assert.Equal(t, tc.want, got, "%#x", tc.v)
		assert.Equal(t, tc.name, got.Name(), "%#x", tc.v)
	}
}
