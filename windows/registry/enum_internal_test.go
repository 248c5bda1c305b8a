package registry

import (
	"cmp"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/winsimtest"
)

// fakeKey answers an enumeration as a key of the given names would, with
// the count the key reports, an error at one index, and the calls made.
type fakeKey struct {
	names      []string
	count      uint32    // what the count call says
	countErr   sim.Errno // its error, or ERROR_SUCCESS
	errAt      int       // the index that fails with ERROR_ACCESS_DENIED; -1 for none
	sameEntry  bool      // a broken enumeration: every index answers the first entry
	counts     int       // count calls made
	growAfter  int       // after this many entries, the key gains one (a concurrent writer); -1 for never
	entryCalls int
}

func (f *fakeKey) enumeration() *enumeration {
	return &enumeration{
		what: "test",
		size: 256,
		entry: func(_ reg, index, _ uint32) (string, sim.Errno) {
			f.entryCalls++
			if f.growAfter >= 0 && f.entryCalls > f.growAfter {
				f.names = append(f.names, "grown")
				f.count++
				f.growAfter = -1
			}
			if int(index) == f.errAt {
				return "", sim.ERROR_ACCESS_DENIED
			}
			if f.sameEntry && len(f.names) > 0 {
				index = 0
			}
			if int(index) >= len(f.names) {
				return "", sim.ERROR_NO_MORE_ITEMS
			}
			return f.names[index], sim.ERROR_SUCCESS
		},
		count: func(reg) (uint32, sim.Errno) {
			f.counts++
			return f.count, f.countErr
		},
	}
}

// inBubble runs f with a machine bound, which the enumeration's calls
// need although the fake key answers them.
func inBubble(t *testing.T, f func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		winsimtest.Use(t, winsimtest.Options{})
		f(t)
	})
}

// TestEnumerationLoop: x/sys's loop, for n below, at and above the count,
// an empty key, and an error part way (the names before it come back with
// it, as x/sys's loop returns them).
func TestEnumerationLoop(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		abc := []string{"a", "b", "c"}
		for _, c := range []struct {
			name  string
			names []string
			errAt int
			n     int
			want  []string
			err   error
		}{
			{"all", abc, -1, -1, abc, nil},
			{"all, n = 0", abc, -1, 0, abc, nil},
			{"fewer than there are", abc, -1, 2, []string{"a", "b"}, nil},
			{"as many as there are", abc, -1, 3, abc, nil},
			{"more than there are", abc, -1, 4, abc, io.EOF},
			{"an empty key", nil, -1, -1, []string{}, nil},
			{"one from an empty key", nil, -1, 1, []string{}, io.EOF},
			{"an error part way", abc, 2, -1, []string{"a", "b"}, windows.ERROR_ACCESS_DENIED},
			{"an error at once", abc, 0, -1, []string{}, windows.ERROR_ACCESS_DENIED},
		} {
			f := &fakeKey{names: c.names, count: uint32(len(c.names)), errAt: c.errAt, growAfter: -1}
			got, err := f.enumeration().readNames(c.n, 0)
			if got == nil || !slices.Equal(got, c.want) || err != c.err {
				t.Errorf("%s: %#v, %v; want %#v, %v (never a nil slice)", c.name, got, err, c.want, c.err)
			}
		}
	})
}

// TestEnumerationBounds: a broken enumeration panics with what is wrong
// within a few calls past the key's count, and a key that grows or cannot
// be counted does not trip the bound. The broken cases read at most 50
// names, so that a bound that fails makes the test fail, not hang.
func TestEnumerationBounds(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		abc := []string{"a", "b", "c"}
		for _, c := range []struct {
			name    string
			key     *fakeKey
			limit   uint32
			n       int
			loop    func(e *enumeration) // nil: readNames(n)
			panic   string               // "" for none
			want    []string
			maxCall int // entry calls at most
		}{
			{name: "the index ignored", key: &fakeKey{names: abc, count: 3, errAt: -1, sameEntry: true, growAfter: -1}, n: 50,
				panic: "index 4 found \"a\" in a key of 3 entries", maxCall: 5},
			{name: "ERROR_NO_MORE_ITEMS ignored", key: &fakeKey{names: abc, count: 3, errAt: -1, growAfter: -1},
				loop: func(e *enumeration) {
					for i := uint32(0); i < 50; i++ {
						e.next(i) // a loop that does not stop at ERROR_NO_MORE_ITEMS
					}
				},
				panic: "index 5 asked for after index 4, which was past the key's 3 entries", maxCall: 5},
			{name: "no count and the index ignored", key: &fakeKey{names: abc, countErr: sim.ERROR_ACCESS_DENIED, errAt: -1, sameEntry: true, growAfter: -1}, n: 50,
				limit: 20, panic: "index 20 reached the bound of 20 entries", maxCall: 20},
			{name: "no count, a working key", key: &fakeKey{names: abc, countErr: sim.ERROR_ACCESS_DENIED, errAt: -1, growAfter: -1},
				want: abc, maxCall: 4},
			{name: "a key that grows while it is read", key: &fakeKey{names: abc, count: 3, errAt: -1, growAfter: 2},
				want: []string{"a", "b", "c", "grown"}, maxCall: 5},
		} {
			e := c.key.enumeration()
			e.limit = c.limit
			var got []string
			msg := func() (msg string) {
				defer func() {
					if r := recover(); r != nil {
						msg = r.(string)
					}
				}()
				if c.loop != nil {
					c.loop(e)
					return ""
				}
				got, _ = e.readNames(cmp.Or(c.n, -1), 0)
				return ""
			}()
			switch {
			case c.panic == "" && msg != "":
				t.Errorf("%s: panicked: %s", c.name, msg)
			case c.panic != "" && !strings.Contains(msg, c.panic):
				t.Errorf("%s: panic %q, want one saying %q", c.name, msg, c.panic)
			case c.panic == "" && !slices.Equal(got, c.want):
				t.Errorf("%s: %q, want %q", c.name, got, c.want)
			}
			if c.key.entryCalls > c.maxCall {
				t.Errorf("%s: %d entry calls, want at most %d", c.name, c.key.entryCalls, c.maxCall)
			}
			if c.key.countErr != sim.ERROR_SUCCESS && c.key.counts > 1 {
				t.Errorf("%s: the count was asked for %d times after it was refused", c.name, c.key.counts)
			}
		}
	})
}
