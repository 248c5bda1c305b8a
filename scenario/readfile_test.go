package scenario

import (
	"errors"
	"testing"
)

// endless is a reader of zeros that would never end; past max bytes read
// it returns errReadPastLimit instead, so a reader that does not stop at the
// limit fails the test instead of running until memory runs out.
type endless struct{ n, max int64 }

var errReadPastLimit = errors.New("read past the limit")

func (e *endless) Read(p []byte) (int, error) {
	if e.n > e.max {
		return 0, errReadPastLimit
	}
	e.n += int64(len(p))
	clear(p)
	return len(p), nil
}

// TestReadLimited: an endless input (what a symlink to /dev/zero would be
// if it passed for a regular file) is read only to one byte past the limit.
func TestReadLimited(t *testing.T) {
	r := &endless{max: 1 << 20}
	_, err := readLimited(r, 1000)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if r.n > 1001+32<<10 {
		t.Fatalf("read %d bytes for a limit of 1000", r.n)
	}
	data, err := readLimited(&endless{max: 1 << 20}, 1<<21)
	if !errors.Is(err, errReadPastLimit) || data != nil {
		t.Fatalf("got %d bytes, %v; want errReadPastLimit", len(data), err)
	}
}
