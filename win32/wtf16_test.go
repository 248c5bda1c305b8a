package win32_test

import (
	"slices"
	"testing"

	"github.com/winsim/winsim/win32"
)

// wtf16Cases are strings with the UTF-16 code units Go's syscall package
// gives them on Windows (UTF16FromString without its terminating NUL),
// and the string those units decode to (UTF16ToString): the canonical
// spelling.
var wtf16Cases = []struct {
	name      string
	s         string
	units     []uint16
	canonical string
}{
	{"empty", "", []uint16{}, ""},
	{"ASCII", "a\\b", []uint16{'a', '\\', 'b'}, "a\\b"},
	{"two-byte", "\u00e9", []uint16{0xE9}, "\u00e9"},
	{"three-byte", "\u20ac\uffff", []uint16{0x20AC, 0xFFFF}, "\u20ac\uffff"},
	{"the last character before the surrogates", "\ud7ff", []uint16{0xD7FF}, "\ud7ff"},
	{"outside the BMP: a pair", "\U0001F600", []uint16{0xD83D, 0xDE00}, "\U0001F600"},
	{"the last character", "\U0010FFFF", []uint16{0xDBFF, 0xDFFF}, "\U0010FFFF"},
	{"a lone high surrogate", "\xed\xa0\x80", []uint16{0xD800}, "\xed\xa0\x80"},
	{"a lone low surrogate", "\xed\xbf\xbf", []uint16{0xDFFF}, "\xed\xbf\xbf"},
	{"two high surrogates", "\xed\xa0\x80\xed\xa0\x81", []uint16{0xD800, 0xD801}, "\xed\xa0\x80\xed\xa0\x81"},
	{"low before high: no pair", "\xed\xb0\x80\xed\xa0\x80", []uint16{0xDC00, 0xD800}, "\xed\xb0\x80\xed\xa0\x80"},
	{"a high surrogate before a character", "\xed\xa0\x80\n", []uint16{0xD800, '\n'}, "\xed\xa0\x80\n"},
	{"lone halves around a pair", "\xed\xa0\x80\U0001D306\xed\xb0\x80", []uint16{0xD800, 0xD834, 0xDF06, 0xDC00}, "\xed\xa0\x80\U0001D306\xed\xb0\x80"},
	// Two halves spelled apart are the pair: one string with the
	// character's own spelling.
	{"a pair spelled as two halves", "\xed\xa0\x80\xed\xb0\x80", []uint16{0xD800, 0xDC00}, "\U00010000"},
	// Bytes that are neither UTF-8 nor a WTF-8 surrogate are U+FFFD each.
	{"a stray byte", "\xff", []uint16{0xFFFD}, "\ufffd"},
	{"U+FFFD itself", "\ufffd", []uint16{0xFFFD}, "\ufffd"},
	{"a cut surrogate", "\xed\xa0", []uint16{0xFFFD, 0xFFFD}, "\ufffd\ufffd"},
	{"a surrogate's lead without its last byte", "\xed\xa0A", []uint16{0xFFFD, 0xFFFD, 'A'}, "\ufffd\ufffdA"},
	{"ED with a byte past BF", "\xed\xc0\x80", []uint16{0xFFFD, 0xFFFD, 0xFFFD}, "\ufffd\ufffd\ufffd"},
	{"a NUL is a unit like any other", "a\x00b", []uint16{'a', 0, 'b'}, "a\x00b"},
}

func TestEncodeWTF16(t *testing.T) {
	for _, c := range wtf16Cases {
		if got := win32.EncodeWTF16(c.s); !slices.Equal(got, c.units) {
			t.Errorf("%s: EncodeWTF16(%q) = %#04x, want %#04x", c.name, c.s, got, c.units)
		}
		if got := win32.WTF16Len(c.s); got != len(c.units) {
			t.Errorf("%s: WTF16Len(%q) = %d, want %d", c.name, c.s, got, len(c.units))
		}
	}
}

func TestDecodeWTF16(t *testing.T) {
	for _, c := range wtf16Cases {
		if got := win32.DecodeWTF16(c.units); got != c.canonical {
			t.Errorf("%s: DecodeWTF16(%#04x) = %q, want %q", c.name, c.units, got, c.canonical)
		}
	}
}

// TestWTF16RoundTrip: any sequence of code units, well formed or not,
// comes back from DecodeWTF16 and EncodeWTF16 unchanged. It runs every
// sequence of up to three units drawn from the edges of each range.
func TestWTF16RoundTrip(t *testing.T) {
	edges := []uint16{0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0xFFFF}
	var seqs [][]uint16
	for _, a := range edges {
		seqs = append(seqs, []uint16{a})
		for _, b := range edges {
			seqs = append(seqs, []uint16{a, b})
			for _, c := range edges {
				seqs = append(seqs, []uint16{a, b, c})
			}
		}
	}
	for _, u := range seqs {
		if got := win32.EncodeWTF16(win32.DecodeWTF16(u)); !slices.Equal(got, u) {
			t.Errorf("%#04x came back as %#04x", u, got)
		}
	}
}
