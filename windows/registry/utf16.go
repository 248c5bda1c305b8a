package registry

import (
	"encoding/binary"
	"strings"
	"syscall"

	"github.com/winsim/winsim/win32"
)

// x/sys's registry package converts strings as Go's syscall package does
// on Windows (syscall.UTF16FromString, UTF16PtrFromString and
// UTF16ToString), reading and writing WTF-8: a lone surrogate half in a Go
// string is that UTF-16 code unit, any other byte that is not UTF-8 is
// U+FFFD, and a string holding a NUL is refused with syscall.EINVAL before
// any call. Those functions exist on Windows only; the twin converts with
// package win32's WTF-16 codec, which follows them (and is checked against
// them on Windows). MULTI_SZ strings are the exception: x/sys converts them
// with unicode/utf16, where a lone surrogate is U+FFFD, and so does the
// twin.

// utf16FromString is syscall.UTF16FromString: the UTF-16 of s with a
// terminating NUL, or syscall.EINVAL for a string holding a NUL.
func utf16FromString(s string) ([]uint16, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, syscall.EINVAL
	}
	return append(win32.EncodeWTF16(s), 0), nil
}

// utf16ToString is syscall.UTF16ToString: the string of the units before
// the first NUL.
func utf16ToString(units []uint16) string {
	for i, u := range units {
		if u == 0 {
			units = units[:i]
			break
		}
	}
	return win32.DecodeWTF16(units)
}

// nativeName returns the name or path s as the Reg functions receive it
// from x/sys (UTF16PtrFromString) and pass it to the native calls, in the
// form the registry model takes names: the Go string of those UTF-16 code
// units. Two spellings with the same UTF-16 ("\xff" and "\uFFFD") give the
// same name; a NUL is syscall.EINVAL.
func nativeName(s string) (string, error) {
	u, err := utf16FromString(s)
	if err != nil {
		return "", err
	}
	return win32.DecodeWTF16(u[:len(u)-1]), nil
}

// nameFromNative is the name the enumeration calls return, as x/sys reads
// it back (UTF16ToString): up to its first NUL, which a name made through
// the native calls may hold.
func nameFromNative(name string) string {
	if i := strings.IndexByte(name, 0); i >= 0 {
		return name[:i]
	}
	return name
}

// unitsBytes lays out UTF-16 code units little-endian, as value data.
func unitsBytes(units []uint16) []byte {
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// bytesUnits reads value data as little-endian UTF-16 code units; an odd
// last byte is dropped.
func bytesUnits(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return u
}
