package registry

import (
	"cmp"
	"fmt"
	"io"

	"github.com/winsim/winsim/sim"
)

// An enumeration reads the names of a key's subkeys or values as x/sys's
// ReadSubKeyNames and ReadValueNames do: RegEnumKeyExW or RegEnumValueW
// from index 0 until ERROR_NO_MORE_ITEMS (or n names), the name buffer
// doubled on ERROR_MORE_DATA.
//
// x/sys's loop has no bound but the registry's answers. The twin's is
// bounded, so that a wrong answer from the layers below (the model, or the
// Reg* layer over it) panics with what went wrong instead of spinning for
// ever. Each time the index passes the count of entries last known (the
// value count Stat read for ReadValueNames; none yet for
// ReadSubKeyNames), the key's count is read again (NtQueryKey,
// KeyFullInformation) in the same call as the entry, so both describe one
// state of the key even while other goroutines change it; a key that
// grows during the enumeration only moves the bound. An enumeration that
// ends where its count said makes no such call: ReadValueNames none,
// ReadSubKeyNames one once it has passed its first subkey. Against that
// count:
//   - an entry found at an index at or past the count is an enumeration
//     that does not follow its index;
//   - an index asked for after one that was at or past the count, which
//     can only have answered ERROR_NO_MORE_ITEMS, is a loop that did not
//     stop there.
//
// When the count cannot be read (a handle without KEY_QUERY_VALUE, which
// ReadSubKeyNames does not need), it is not asked for again and the index
// is bounded by maxEntries instead. A name that still does not fit a buffer past any the registry
// holds panics too.
type enumeration struct {
	what    string // "subkey" or "value", for the panics
	size    uint32 // the name buffer, in characters with the NUL
	known   uint32 // the key's entries when last counted
	refused bool   // the count could not be read: the index is bounded by limit
	limit   uint32 // the bound without a count; 0 for maxEntries
	// entry is RegEnumKeyExW or RegEnumValueW: the name at index.
	entry func(c reg, index, size uint32) (string, sim.Errno)
	// count returns the key's number of entries.
	count func(c reg) (uint32, sim.Errno)
	// pastEnd is 1 + the last index that was at or past the count read
	// with it; 0 if none was.
	pastEnd uint32
}

// maxEntries bounds the index of an enumeration whose key cannot be
// counted: 2^24 entries, beyond any key's (the largest keys of a Windows
// installation, the class registrations, hold tens of thousands). A
// broken enumeration of such a key fails after that many calls rather
// than never.
const maxEntries = 1 << 24

// maxNameBuffer is past the longest name the registry holds (a value name
// of 16,383 characters; documented: Registry Element Size Limits).
const maxNameBuffer = 1 << 16

// readNames reads up to n names (all for n <= 0), as x/sys's loop does:
// io.EOF with them when n > 0 and there are fewer; an error part way
// returns the names read before it with the error. capacity is the
// slice's first capacity (x/sys's: the value count for values, 0 for
// subkeys); the slice is never nil.
func (e *enumeration) readNames(n, capacity int) ([]string, error) {
	names := make([]string, 0, capacity)
	for i := uint32(0); n <= 0 || len(names) < n; i++ {
		name, code := e.next(i)
		if code == sim.ERROR_NO_MORE_ITEMS {
			break
		}
		if code != sim.ERROR_SUCCESS {
			return names, errOf(code)
		}
		names = append(names, name)
	}
	if n > len(names) {
		return names, io.EOF
	}
	return names, nil
}

// next returns the name at index, growing the buffer while the name does
// not fit, and checks the answer against the key's count when the index
// has passed the last one known (see enumeration).
func (e *enumeration) next(index uint32) (string, sim.Errno) {
	if e.pastEnd != 0 {
		panic(fmt.Sprintf("winsim/windows/registry: %s enumeration: index %d asked for after index %d, which was past the key's %d entries and cannot have been found: the loop did not stop at ERROR_NO_MORE_ITEMS", e.what, index, e.pastEnd-1, e.known))
	}
	if limit := cmp.Or(e.limit, maxEntries); e.refused && index >= limit {
		panic(fmt.Sprintf("winsim/windows/registry: %s enumeration: index %d reached the bound of %d entries without ERROR_NO_MORE_ITEMS (the key's count cannot be read)", e.what, index, limit))
	}
	var (
		name    string
		code    sim.Errno
		count   uint32
		counted bool
	)
	ask := !e.refused && index > e.known
	for {
		call(func(c reg) {
			if ask {
				n, countCode := e.count(c)
				count, counted = n, countCode == sim.ERROR_SUCCESS
			}
			name, code = e.entry(c, index, e.size)
		})
		if code != sim.ERROR_MORE_DATA {
			break
		}
		if e.size > maxNameBuffer {
			// No name is this long: the layer below is wrong, and
			// doubling again would loop for ever.
			panic(fmt.Sprintf("winsim/windows/registry: %s enumeration: entry %d still does not fit %d characters", e.what, index, e.size))
		}
		e.size *= 2
	}
	if ask && !counted {
		e.refused = true
	}
	if counted {
		e.known = count
		if index >= count {
			if code == sim.ERROR_SUCCESS {
				panic(fmt.Sprintf("winsim/windows/registry: %s enumeration: index %d found %q in a key of %d entries: the enumeration does not follow its index", e.what, index, name, count))
			}
			e.pastEnd = index + 1
		}
	}
	return name, code
}
