package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHandleString encodes Handle.String: "NULL", "INVALID_HANDLE_VALUE" or
// the value in hex prefixed by h.
func TestHandleString(t *testing.T) {
	tests := []struct {
		h    Handle
		want string
	}{
		{0, "NULL"},
		{INVALID_HANDLE_VALUE, "INVALID_HANDLE_VALUE"},
		{4, "h0x4"},
		{0x1f0, "h0x1f0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tt.h.String())
		})
	}
	require.Equal(t, Handle(^uintptr(0)), INVALID_HANDLE_VALUE, "INVALID_HANDLE_VALUE is (HANDLE)-1")
}

// TestHandleStateString encodes the names of the lookup outcomes.
func TestHandleStateString(t *testing.T) {
	tests := []struct {
		s    HandleState
		want string
	}{
		{HandleValid, "valid"},
		{HandleNull, "NULL"},
		{HandleInvalid, "INVALID_HANDLE_VALUE"},
		{HandleClosed, "closed"},
		{HandleNeverIssued, "never issued"},
		{HandleWrongType, "wrong type"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tt.s.String())
		})
	}
}

// TestHandleValues encodes the handle value rules: values are multiples of 4
// (as on Windows), 0 is never issued, and values are never reissued, even
// after every handle has been closed (catalog rule kernel.handle.stale).
func TestHandleValues(t *testing.T) {
	tab := newHandleTable()
	seen := map[Handle]bool{}
	var prev Handle
	for i := range 1000 {
		h := tab.Insert(&Event{}, EVENT_ALL_ACCESS)
		require.NotZero(t, h)
		require.NotEqual(t, INVALID_HANDLE_VALUE, h)
		require.Zero(t, h%4, "handle %s is not a multiple of 4", h)
		require.False(t, seen[h], "handle %s reissued", h)
		require.Greater(t, h, prev)
		seen[h] = true
		prev = h
		if i%3 == 0 {
			_, ok := tab.Remove(h)
			require.True(t, ok)
		}
	}
	for _, h := range tab.Handles() {
		tab.Remove(h)
	}
	require.Zero(t, tab.Len())
	h := tab.Insert(&Event{}, 0)
	require.False(t, seen[h], "a value is not reissued after the table empties")
	require.Equal(t, Handle(4*1001), h)
}

// TestHandleLookup encodes Lookup's states: it tells a NULL,
// INVALID_HANDLE_VALUE, closed, never-issued and valid handle apart, and a
// valid one resolves to its object and granted access.
func TestHandleLookup(t *testing.T) {
	tab := newHandleTable()
	ev := &Event{}
	open := tab.Insert(ev, 0x1234)
	closed := tab.Insert(&Event{}, 0)
	_, ok := tab.Remove(closed)
	require.True(t, ok)
	last := tab.Insert(&Event{}, 0)

	tests := []struct {
		name       string
		h          Handle
		want       HandleState
		wantObj    Object
		wantAccess uint32
	}{
		{"valid", open, HandleValid, ev, 0x1234},
		{"NULL", 0, HandleNull, nil, 0},
		{"INVALID_HANDLE_VALUE", INVALID_HANDLE_VALUE, HandleInvalid, nil, 0},
		{"closed", closed, HandleClosed, nil, 0},
		{"next value not yet issued", last + 4, HandleNeverIssued, nil, 0},
		{"far beyond", 0x10000, HandleNeverIssued, nil, 0},
		{"not a multiple of 4", open + 1, HandleNeverIssued, nil, 0},
		{"not a multiple of 4, odd", 3, HandleNeverIssued, nil, 0},
		{"INVALID_HANDLE_VALUE-3", INVALID_HANDLE_VALUE - 3, HandleNeverIssued, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, access, st := tab.Lookup(tt.h)
			require.Equal(t, tt.want, st)
			require.Equal(t, tt.wantObj, obj)
			require.Equal(t, tt.wantAccess, access)
		})
	}
}

// TestResolve encodes Resolve: a valid handle to a T resolves, a valid handle
// to another kind of object is HandleWrongType, and the other states pass
// through with a zero object and access.
func TestResolve(t *testing.T) {
	tab := newHandleTable()
	ev := &Event{}
	hev := tab.Insert(ev, EVENT_ALL_ACCESS)
	hsc := tab.Insert(scHandleObject{}, 0xF003F)
	hplain := tab.Insert(&plainKernelObject{}, 1)
	hclosed := tab.Insert(&Event{}, 0)
	tab.Remove(hclosed)

	t.Run("*Event", func(t *testing.T) {
		tests := []struct {
			name       string
			h          Handle
			want       HandleState
			wantObj    *Event
			wantAccess uint32
		}{
			{"event", hev, HandleValid, ev, EVENT_ALL_ACCESS},
			{"SC_HANDLE", hsc, HandleWrongType, nil, 0},
			{"other kernel object", hplain, HandleWrongType, nil, 0},
			{"closed", hclosed, HandleClosed, nil, 0},
			{"NULL", 0, HandleNull, nil, 0},
			{"INVALID_HANDLE_VALUE", INVALID_HANDLE_VALUE, HandleInvalid, nil, 0},
			{"never issued", 0x400, HandleNeverIssued, nil, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				obj, access, st := Resolve[*Event](tab, tt.h)
				require.Equal(t, tt.want, st)
				require.Equal(t, tt.wantObj, obj)
				require.Equal(t, tt.wantAccess, access)
			})
		}
	})
	t.Run("interfaces", func(t *testing.T) {
		tests := []struct {
			name           string
			h              Handle
			kernel, waitOK HandleState
		}{
			{"event", hev, HandleValid, HandleValid},
			{"SC_HANDLE", hsc, HandleWrongType, HandleWrongType},
			{"other kernel object", hplain, HandleValid, HandleWrongType},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, st := Resolve[KernelObject](tab, tt.h)
				require.Equal(t, tt.kernel, st)
				_, _, st = Resolve[Waitable](tab, tt.h)
				require.Equal(t, tt.waitOK, st)
			})
		}
	})
}

// TestHandleRemove encodes Remove, Len and Handles: Remove closes a handle and
// returns its object once; Len counts open handles; Handles lists them in
// increasing order.
func TestHandleRemove(t *testing.T) {
	tab := newHandleTable()
	objs := make([]*Event, 5)
	hs := make([]Handle, 5)
	for i := range objs {
		objs[i] = &Event{}
		hs[i] = tab.Insert(objs[i], 0)
	}
	require.Equal(t, 5, tab.Len())

	tests := []struct {
		name    string
		h       Handle
		wantObj Object
		wantOK  bool
		wantLen int
	}{
		{"open", hs[2], objs[2], true, 4},
		{"again", hs[2], nil, false, 4},
		{"NULL", 0, nil, false, 4},
		{"never issued", 0x1000, nil, false, 4},
		{"first", hs[0], objs[0], true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, ok := tab.Remove(tt.h)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.wantObj, obj)
			require.Equal(t, tt.wantLen, tab.Len())
		})
	}
	require.Equal(t, []Handle{hs[1], hs[3], hs[4]}, tab.Handles())
}

// TestHandleTablesPerProcess encodes "HandleTable maps handle values to
// objects for one process": each process numbers its handles on its own, so
// the same value names different objects, and a value another process issued
// means nothing here.
func TestHandleTablesPerProcess(t *testing.T) {
	m := MustNewMachine(Options{})
	pa, pb := m.NewProcess("a.exe"), m.NewProcess("b.exe")
	ta, tb := pa.NewThread("ta"), pb.NewThread("tb")
	ha1 := ta.CreateEvent(true, true)
	ha2 := ta.CreateEvent(true, true)
	hb1 := tb.CreateEvent(true, false)
	require.Equal(t, ha1, hb1, "both tables start at the same value")
	require.NotSame(t, eventOf(t, ta, ha1), eventOf(t, tb, hb1))

	_, _, st := pb.handles.Lookup(ha2)
	require.Equal(t, HandleNeverIssued, st)
	r, err := tb.WaitForSingleObjectEx(ha2, 0, false)
	require.Equal(t, WAIT_FAILED, r)
	require.Equal(t, ERROR_INVALID_HANDLE, err)

	// Waiting in b on b's own h0x4 sees b's unsignaled event, not a's.
	r, err = tb.WaitForSingleObjectEx(hb1, 0, false)
	require.NoError(t, err)
	require.Equal(t, WAIT_TIMEOUT, r)
}

// spyObject is a kernel object that wants to know when its handles close.
type spyObject struct {
	KernelObjectBase
	closed []Handle
	by     []string
}

func (*spyObject) TypeName() string { return "Spy" }
func (s *spyObject) HandleClosed(t *Thread, h Handle) {
	s.closed = append(s.closed, h)
	s.by = append(s.by, t.Name)
}

// TestCloseHandle encodes the CloseHandle docs and catalog rule
// kernel.close.not-kernel-object: CloseHandle closes a kernel object handle;
// a handle that is not a kernel object (an SC_HANDLE) fails with
// ERROR_INVALID_HANDLE and stays open, as does a NULL, closed or
// never-issued value; a pseudo handle closes with success and no effect.
func TestCloseHandle(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(th *Thread) Handle
		want     Errno
		stayOpen bool
	}{
		{"event", func(th *Thread) Handle { return th.CreateEvent(false, false) }, ERROR_SUCCESS, false},
		{"other kernel object", func(th *Thread) Handle { return th.Proc.handles.Insert(&plainKernelObject{}, 0) }, ERROR_SUCCESS, false},
		{"SC_HANDLE", func(th *Thread) Handle { return th.Proc.handles.Insert(scHandleObject{}, 0) }, ERROR_INVALID_HANDLE, true},
		{"closed", func(th *Thread) Handle {
			h := th.CreateEvent(false, false)
			require.Equal(t, ERROR_SUCCESS, th.CloseHandle(h))
			return h
		}, ERROR_INVALID_HANDLE, false},
		{"never issued", func(*Thread) Handle { return 0x400 }, ERROR_INVALID_HANDLE, false},
		{"NULL", func(*Thread) Handle { return 0 }, ERROR_INVALID_HANDLE, false},
		// The current process's and thread's pseudo handles: nothing to
		// close, and success.
		{"INVALID_HANDLE_VALUE", func(*Thread) Handle { return INVALID_HANDLE_VALUE }, ERROR_SUCCESS, false},
		{"current thread", func(*Thread) Handle { return NtCurrentThread }, ERROR_SUCCESS, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p, th := newTestThread(t)
			h := tt.setup(th)
			require.Equal(t, tt.want, th.CloseHandle(h))
			_, _, st := p.handles.Lookup(h)
			require.Equal(t, tt.stayOpen, st == HandleValid)
		})
	}
}

// TestCloseHandleNotifiesObject encodes HandleCloser: an object that
// implements it learns which handle was closed and by which thread, once.
func TestCloseHandleNotifiesObject(t *testing.T) {
	_, p, th := newTestThread(t)
	spy := &spyObject{}
	h1 := p.handles.Insert(spy, 0)
	h2 := p.handles.Insert(spy, 0)
	require.Equal(t, ERROR_SUCCESS, th.CloseHandle(h2))
	require.Equal(t, ERROR_INVALID_HANDLE, th.CloseHandle(h2))
	require.Equal(t, ERROR_SUCCESS, th.CloseHandle(h1))
	require.Equal(t, []Handle{h2, h1}, spy.closed)
	require.Equal(t, []string{"main", "main"}, spy.by)
}

// TestCloseHandleTrace encodes the CloseHandle trace lines.
func TestCloseHandleTrace(t *testing.T) {
	m, _, th := newTestThread(t)
	h := th.CreateEvent(false, false)
	n := m.TraceLen()
	th.CloseHandle(h)
	th.CloseHandle(h)
	tr := m.Trace()[n:]
	require.Equal(t, []TraceEvent{
		{Thread: "main", Kind: EvCall, Text: "CloseHandle(h0x4) -> ERROR_SUCCESS (0)"},
		{Thread: "main", Kind: EvCall, Text: "CloseHandle(h0x4) -> ERROR_INVALID_HANDLE (6)"},
	}, tr)
}

// TestCreateEvent encodes CreateEvent: a handle with EVENT_ALL_ACCESS
// (0x1F0003, winnt.h) to an Event with the requested type and initial state.
func TestCreateEvent(t *testing.T) {
	tests := []struct {
		manual, initial bool
		trace           string
	}{
		{false, false, "CreateEvent(FALSE, FALSE) -> h0x4"},
		{false, true, "CreateEvent(FALSE, TRUE) -> h0x4"},
		{true, false, "CreateEvent(TRUE, FALSE) -> h0x4"},
		{true, true, "CreateEvent(TRUE, TRUE) -> h0x4"},
	}
	for _, tt := range tests {
		t.Run(tt.trace, func(t *testing.T) {
			m, p, th := newTestThread(t)
			h := th.CreateEvent(tt.manual, tt.initial)
			obj, access, st := p.handles.Lookup(h)
			require.Equal(t, HandleValid, st)
			require.Equal(t, uint32(0x1F0003), access)
			ev := obj.(*Event)
			require.Equal(t, tt.manual, ev.ManualReset)
			require.Equal(t, tt.initial, ev.IsSet())
			require.Equal(t, "Event", ev.TypeName())
			tr := m.Trace()
			require.Equal(t, tt.trace, tr[len(tr)-1].Text)
		})
	}
}

// TestSetResetEvent encodes SetEvent/ResetEvent: they change the event behind
// a valid event handle; any other handle fails with ERROR_INVALID_HANDLE and
// changes nothing.
func TestSetResetEvent(t *testing.T) {
	_, p, th := newTestThread(t)
	h := th.CreateEvent(true, false)
	ev := eventOf(t, th, h)
	closed := th.CreateEvent(true, false)
	th.CloseHandle(closed)
	sc := p.handles.Insert(scHandleObject{}, 0)
	plain := p.handles.Insert(&plainKernelObject{}, 0)

	tests := []struct {
		name    string
		op      func(Handle) Errno
		h       Handle
		want    Errno
		wantSet bool
	}{
		{"SetEvent", th.SetEvent, h, ERROR_SUCCESS, true},
		{"SetEvent again", th.SetEvent, h, ERROR_SUCCESS, true},
		{"ResetEvent", th.ResetEvent, h, ERROR_SUCCESS, false},
		{"SetEvent closed", th.SetEvent, closed, ERROR_INVALID_HANDLE, false},
		{"SetEvent NULL", th.SetEvent, 0, ERROR_INVALID_HANDLE, false},
		{"SetEvent SC_HANDLE", th.SetEvent, sc, ERROR_INVALID_HANDLE, false},
		{"SetEvent other kernel object", th.SetEvent, plain, ERROR_INVALID_HANDLE, false},
		{"SetEvent never issued", th.SetEvent, 0x1000, ERROR_INVALID_HANDLE, false},
		{"SetEvent", th.SetEvent, h, ERROR_SUCCESS, true},
		{"ResetEvent INVALID_HANDLE_VALUE", th.ResetEvent, INVALID_HANDLE_VALUE, ERROR_INVALID_HANDLE, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.op(tt.h))
			require.Equal(t, tt.wantSet, ev.IsSet())
		})
	}
}
