package scenario

import (
	"errors"
	"os"
	"testing"
)

// TestReadLimitWhileReading: a file whose size stat reports as 0 but that
// holds more (a /proc file) is still cut at the limit, by the read.
func TestReadLimitWhileReading(t *testing.T) {
	if info, err := os.Stat("/proc/self/status"); err != nil || info.Size() != 0 {
		t.Skip("no /proc/self/status of size 0 here")
	}
	_, err := readScenarioFile("/proc/self/status", 10)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if want := "/proc/self/status: file too large: more than the limit of 10 bytes (-max-size)"; err.Error() != want {
		t.Fatalf("got %q, want %q", err, want)
	}
	if _, err := readScenarioFile("/proc/self/status", 1<<20); err != nil {
		t.Fatal(err)
	}
}
