package win32_test

import (
	"slices"
	"syscall"
	"testing"

	"github.com/winsim/winsim/win32"
)

// TestWTF16MatchesSyscall: on Windows, where Go's syscall package has its
// own conversion, both agree on every case (with syscall's NUL handling
// set aside: a case holding a NUL is skipped).
func TestWTF16MatchesSyscall(t *testing.T) {
	for _, c := range wtf16Cases {
		if slices.Contains(c.units, 0) {
			continue
		}
		want, err := syscall.UTF16FromString(c.s)
		if err != nil {
			t.Fatal(err)
		}
		if got := win32.EncodeWTF16(c.s); !slices.Equal(got, want[:len(want)-1]) {
			t.Errorf("%s: EncodeWTF16(%q) = %#04x, syscall %#04x", c.name, c.s, got, want)
		}
		if got, want := win32.DecodeWTF16(c.units), syscall.UTF16ToString(c.units); got != want {
			t.Errorf("%s: DecodeWTF16(%#04x) = %q, syscall %q", c.name, c.units, got, want)
		}
	}
}
