package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unicode"
)

// DefaultMaxFileSize is the largest scenario file Load reads when its Env
// sets no MaxFileSize: 64 MiB.
const DefaultMaxFileSize int64 = 64 << 20

// ErrNotRegular is wrapped by the error of reading a scenario path that is
// not a regular file (a directory, a FIFO, a device, a socket).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error of reading a scenario file larger than
// the size limit.
var ErrTooLarge = errors.New("file too large")

// readScenarioFile reads a scenario file of at most limit bytes (limit <= 0:
// DefaultMaxFileSize). Only a regular file is read: the path's type is
// checked before it is opened, so a FIFO or a device is refused without
// blocking in open or read, and checked again on the open file (the path
// may have been replaced in between; the open does not wait for a FIFO's
// writer, being non-blocking). Reading stops one byte past the limit, so a
// file that grows while read is refused too. Errors name the path.
func readScenarioFile(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	if err := checkRegular(path, info, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, pathError(path, err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, pathError(path, err)
	}
	if err := checkRegular(path, info, limit); err != nil {
		return nil, err
	}
	data, err := readSized(f, limit, info.Size())
	if errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("%s: %w: more than the limit of %d bytes (-max-size)", quote(path), ErrTooLarge, limit)
	}
	if err != nil {
		return nil, pathError(path, err)
	}
	return data, nil
}

// readLimited reads r to its end, reading at most limit+1 bytes of it: one
// more than limit gives ErrTooLarge.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	return readSized(r, limit, 0)
}

// readSized is readLimited into a buffer made for size bytes, the size the
// file had when opened: read in one piece, a file of 40 MB takes 40 MB, not
// the twice as much a buffer grown by doubling passes through. A file that
// grew meanwhile is still read to its end (or to the limit).
func readSized(r io.Reader, limit, size int64) ([]byte, error) {
	size = min(max(size, 0), limit)
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, ErrTooLarge
	}
	return data, nil
}

// checkRegular refuses what is not a regular file of at most limit bytes.
func checkRegular(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: %w (%s)", quote(path), ErrNotRegular, fileKind(info.Mode()))
	}
	if info.Size() > limit {
		return fmt.Errorf("%s: %w: %d bytes, more than the limit of %d (-max-size)", quote(path), ErrTooLarge, info.Size(), limit)
	}
	return nil
}

// fileKind names a file mode's type.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "type " + m.Type().String()
}

// pathError returns err as "path: problem", without the operation Go's
// *fs.PathError puts first ("stat", "open"), and keeps it unwrappable.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.ELOOP):
		msg = "too many levels of symbolic links (a symlink loop?)"
	case errors.Is(err, fs.ErrNotExist):
		if target, lerr := os.Readlink(path); lerr == nil {
			msg += fmt.Sprintf(" (a dangling symlink to %s)", quote(target))
		}
	}
	return &fileError{path: path, msg: msg, err: err}
}

// fileError is an I/O problem with a scenario path.
type fileError struct {
	path, msg string
	err       error
}

func (e *fileError) Error() string { return quote(e.path) + ": " + e.msg }

// quote returns a path as is, or Go-quoted when it holds a character that
// is not printable (a newline must not split a message's line).
func quote(path string) string {
	if strings.ContainsFunc(path, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(path)
	}
	return path
}
func (e *fileError) Unwrap() error { return e.err }
