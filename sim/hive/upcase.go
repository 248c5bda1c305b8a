package hive

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/winsim/winsim/sim"
)

// Registry names (key names, value names, and the object names of an
// absolute path looked up case-insensitively) compare the way the kernel
// compares counted strings without case: each UTF-16 code unit is upcased
// on its own, with RtlUpcaseUnicodeChar, and the results compare equal.
// Nothing is folded to lower case, no character expands (ß stays ß), and a
// surrogate half has no case, so a character outside the Basic Multilingual
// Plane compares exactly (reg.c:474 checks this on Windows with
// NtOpenKeyEx).
//
// The table: the kernel's upcase table maps a code unit to its simple
// upper-case mapping only where that mapping goes back, that is, where the
// upper-case letter's simple lower-case mapping is the unit itself. So 'i'
// upcases to 'I', but U+0131 (dotless i) and U+017F (long s) stay as they
// are although Unicode upcases them to 'I' and 'S', U+00B5 (micro sign)
// stays although Unicode upcases it to U+039C, and U+0130 and U+212A
// (Kelvin sign), upper-case letters whose lower-case forms are 'i' and 'k',
// are equal to nothing but themselves.
//
// Evidence: documented that key names are not case sensitive (the
// Structure of the Registry page); observed for RtlUpcaseUnicodeChar
// itself: over Latin-1, Windows upcases a-z and U+00E0-U+00FE but U+00F7,
// maps U+00FF to U+0178 and leaves the rest, U+00B5 and U+00DF among them
// (Wine's dlls/ntdll/tests/rtlstr.c:603), and RtlCompareUnicodeString
// ignoring case compares the upcased units (rtlstr.c:1907); inferred for
// the registry's use of it and for the rest of the table. ReactOS looks a
// name up in a key's lists by upcasing both sides one WCHAR at a time with
// RtlUpcaseUnicodeChar (sdk/lib/cmlib/cmname.c, CmpCompareCompressedName),
// or with RtlCompareUnicodeString ignoring case, which does the same, for
// a name stored uncompressed; Wine's server compares key names one unit at
// a time too. The round-trip restriction is how Wine builds its case table
// (l_intl.nls, tools/make_unicode) to stand for Windows'. The mappings
// themselves are those of Go's unicode package, whose Unicode version may
// be newer than the table of a given Windows release.

// upcase returns the upper-case form of one UTF-16 code unit, as
// RtlUpcaseUnicodeChar does: its simple upper-case mapping when that
// mapping round-trips, else the unit itself.
func upcase(u uint16) uint16 {
	switch {
	case u < utf8.RuneSelf:
		if 'a' <= u && u <= 'z' {
			return u - ('a' - 'A')
		}
		return u
	case 0xD800 <= u && u <= 0xDFFF:
		return u // a surrogate half has no case
	}
	// The registry's upcase table maps a character only to its own
	// uppercase; the broken rule folds case as Unicode does (U+212A
	// matches k, U+0130 matches i).
	folds := sim.FaultBroken("hive.name.upcase", false, true)
	if folds {
		return uint16(unicode.ToUpper(unicode.ToLower(rune(u))))
	}
	up := unicode.ToUpper(rune(u))
	if up == rune(u) || up > 0xFFFF || unicode.ToLower(up) != rune(u) {
		return u
	}
	return uint16(up)
}

// appendFold appends to dst the form of name that registry comparisons
// see: each UTF-16 code unit upcased (a character outside the BMP, two
// units, is kept). Bytes that are not UTF-8 are kept as they are.
//
// Names are nearly always ASCII, and every lookup folds one: the ASCII
// part is upcased byte by byte into room made once, and only the rest, from
// the first byte that is not ASCII, goes through the rune-by-rune path.
func appendFold(dst []byte, name string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(name))[:n+len(name)]
	out := dst[n:]
	for i := 0; i < len(name) && i < len(out); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return appendFoldRunes(dst[:n+i], name[i:])
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		out[i] = c
	}
	return dst
}

// appendFoldRunes is appendFold for a name that is not all ASCII.
func appendFoldRunes(dst []byte, name string) []byte {
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(name[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, c)
			i++
			continue
		}
		if r <= 0xFFFF {
			r = rune(upcase(uint16(r)))
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst
}

// foldBuf is the size of the stack buffer a lookup folds a name into; a
// longer name is folded on the heap.
const foldBuf = 64

// fold returns name as registry comparisons see it (see appendFold): the
// key under which a key or value is stored. It returns name itself when
// folding changes nothing.
func fold(name string) string {
	var buf [foldBuf]byte
	b := appendFold(buf[:0], name)
	if string(b) == name {
		return name
	}
	return string(b)
}

// equalFold reports whether two names are equal as the registry compares
// them (each UTF-16 code unit upcased). Two ASCII names are compared in
// place, without folding either; a name with any other byte is folded.
func equalFold(a, b string) bool {
	if a == b {
		return true // the usual case: a name spelled as the model spells it
	}
	if len(a) == len(b) {
		i := 0
		for ; i < len(a); i++ {
			ca, cb := a[i], b[i]
			if ca|cb >= utf8.RuneSelf {
				break
			}
			// Up to here both folded forms are the names' bytes upcased,
			// at the same offsets: a difference there is final.
			if ca != cb && upperASCII(ca) != upperASCII(cb) {
				return false
			}
		}
		if i == len(a) {
			return true
		}
	}
	var ba, bb [foldBuf]byte
	return string(appendFold(ba[:0], a)) == string(appendFold(bb[:0], b))
}

// upperASCII upcases an ASCII letter.
func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}
