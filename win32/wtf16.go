package win32

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Windows strings are sequences of UTF-16 code units that need not be
// well formed: a surrogate half may stand alone. Go's syscall package
// converts them on Windows through WTF-8, the superset of UTF-8 that also
// encodes a lone surrogate as three bytes (ED A0..BF 80..BF), so that a
// name read from Windows and written back is the same name
// (syscall.UTF16FromString and UTF16ToString since Go 1.21; see
// go.dev/issue/59971). The simulated machine names keys and values with Go
// strings in the same convention, and these two functions are the
// conversion, without the NUL handling of syscall's (UTF16FromString
// refuses a NUL and appends one, UTF16ToString stops at one): the callers
// that need it add it.

// EncodeWTF16 returns the UTF-16 code units of s, read as WTF-8: each
// well-formed character gives its one or two units, the three-byte form
// of a lone surrogate gives that surrogate, and any other byte that is not
// UTF-8 gives U+FFFD, as syscall.UTF16FromString does on Windows. Decoding
// the result with DecodeWTF16 gives the canonical spelling of s: two
// strings with the same units are the same Windows string.
func EncodeWTF16(s string) []uint16 {
	units := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if u, ok := wtf8Surrogate(s[i:]); ok {
				units = append(units, u)
				i += 3
				continue
			}
		}
		units = utf16.AppendRune(units, r)
		i += size
	}
	return units
}

// WTF16Len returns len(EncodeWTF16(s)) without building the units.
func WTF16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if _, ok := wtf8Surrogate(s[i:]); ok {
				n++
				i += 3
				continue
			}
		}
		n += utf16.RuneLen(r)
		i += size
	}
	return n
}

// wtf8Surrogate reads the three-byte WTF-8 form of a surrogate half at the
// start of s: ED, then a byte in A0..BF, then a continuation byte.
func wtf8Surrogate(s string) (uint16, bool) {
	if len(s) < 3 || s[0] != 0xED || s[1] < 0xA0 || s[1] > 0xBF || s[2] < 0x80 || s[2] > 0xBF {
		return 0, false
	}
	return 0xD000 | uint16(s[1]&0x3F)<<6 | uint16(s[2]&0x3F), true
}

// DecodeWTF16 returns the WTF-8 string of units: a surrogate pair is its
// character, a lone surrogate its three-byte form, as
// syscall.UTF16ToString does on Windows (but for the NUL, which it keeps).
// Every sequence of units comes back from EncodeWTF16 unchanged.
func DecodeWTF16(units []uint16) string {
	b := make([]byte, 0, len(units))
	for i := 0; i < len(units); i++ {
		u := units[i]
		if utf16.IsSurrogate(rune(u)) {
			if u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
				b = utf8.AppendRune(b, utf16.DecodeRune(rune(u), rune(units[i+1])))
				i++
				continue
			}
			b = append(b, 0xE0|byte(u>>12), 0x80|byte(u>>6)&0x3F, 0x80|byte(u)&0x3F)
			continue
		}
		b = utf8.AppendRune(b, rune(u))
	}
	return string(b)
}
