package hive

import (
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/win32"
)

func TestUpcase(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in, up uint16
	}{
		// ASCII: only a-z change.
		{"a", 'a', 'A'},
		{"z", 'z', 'Z'},
		{"A stays", 'A', 'A'},
		{"digit", '7', '7'},
		{"underscore", '_', '_'},
		{"backquote, before a", '`', '`'},
		{"brace, after z", '{', '{'},
		{"NUL", 0, 0},
		// Latin-1.
		{"e acute", 0x00E9, 0x00C9},
		{"o diaeresis", 0x00F6, 0x00D6},
		{"O diaeresis stays", 0x00D6, 0x00D6},
		{"y diaeresis leaves Latin-1", 0x00FF, 0x0178},
		{"sharp s has no simple upper case", 0x00DF, 0x00DF},
		{"division sign", 0x00F7, 0x00F7},
		{"micro sign: Unicode's U+039C does not go back", 0x00B5, 0x00B5},
		// Mappings that do not round-trip stay as they are.
		{"capital I with dot above", 0x0130, 0x0130},
		{"dotless i: Unicode's I does not go back", 0x0131, 0x0131},
		{"long s: Unicode's S does not go back", 0x017F, 0x017F},
		{"Kelvin sign", 0x212A, 0x212A},
		{"Angstrom sign", 0x212B, 0x212B},
		{"title-case Dz with caron", 0x01C5, 0x01C5},
		{"dz with caron, lower", 0x01C6, 0x01C4},
		{"final sigma", 0x03C2, 0x03C2},
		{"sigma", 0x03C3, 0x03A3},
		{"capital sharp s", 0x1E9E, 0x1E9E},
		// The characters of reg.c:470.
		{"o macron", 0x014D, 0x014C},
		{"Greek heta", 0x0371, 0x0370},
		// Surrogate halves have no case: U+10428 (two units) is not upcased
		// to U+10400 (reg.c:474).
		{"high surrogate", 0xD801, 0xD801},
		{"low surrogate of U+10428", 0xDC28, 0xDC28},
		{"low surrogate of U+10400", 0xDC00, 0xDC00},
		// Beyond Latin.
		{"Cyrillic a", 0x0430, 0x0410},
		{"fullwidth a", 0xFF41, 0xFF21},
		{"CJK", 0x4E2D, 0x4E2D},
	} {
		assert.Equal(t, tc.up, upcase(tc.in), "%s: upcase(U+%04X)", tc.name, tc.in)
	}
}

// TestUpcaseTable checks the whole table: upcasing is idempotent, and a
// unit that changes maps to a letter whose lower-case mapping is the unit
// itself (the pairs are one-to-one).
func TestUpcaseTable(t *testing.T) {
	from := map[uint16]uint16{}
	for u := 0; u <= 0xFFFF; u++ {
		up := upcase(uint16(u))
		if !assert.Equal(t, up, upcase(up), "upcase(upcase(U+%04X))", u) {
			return
		}
		if up == uint16(u) {
			continue
		}
		assert.Equal(t, rune(u), unicode.ToLower(rune(up)), "U+%04X upcases to U+%04X, whose lower case is another unit", u, up)
		if prev, ok := from[up]; ok {
			t.Fatalf("U+%04X and U+%04X both upcase to U+%04X", prev, u, up)
		}
		from[up] = uint16(u)
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		equal bool
	}{
		{"Software", "SOFTWARE", true},
		{"WineTest", "winetest", true},
		{"öóōͱ𐐀", "ÖÓŌͰ𐐀", true},  // reg.c:477
		{"öóōͱ𐐀", "ÖÓŌͰ𐐨", false}, // reg.c:474: U+10428 is not U+10400
		{"k", "\u212A", false},    // Kelvin sign
		{"K", "\u212A", false},    //
		{"i", "\u0130", false},    // capital I with dot above
		{"I", "\u0131", false},    // dotless i
		{"s", "\u017F", false},    // long s
		{"Registry", "Regi\u017Ftry", false},
		{"ß", "\u1E9E", false},     // capital sharp s
		{"ß", "ss", false},         // nothing expands
		{"\u01C4", "\u01C6", true}, // DZ with caron, upper and lower
		{"\u01C5", "\u01C6", false},
		{"", "", true},
		{"a", "", false},
		{"bad\xffutf8", "BAD\xffUTF8", true}, // a stray byte is kept
		{"bad\xffutf8", "BAD\xfeUTF8", false},
	} {
		assert.Equal(t, tc.equal, equalFold(tc.a, tc.b), "equalFold(%q, %q)", tc.a, tc.b)
		assert.Equal(t, tc.equal, fold(tc.a) == fold(tc.b), "fold(%q) == fold(%q)", tc.a, tc.b)
	}
	long := "a_name_longer_than_the_stack_buffer_of_a_lookup_0123456789_abcdefghij"
	assert.Greater(t, len(long), foldBuf)
	assert.Equal(t, "A_NAME_LONGER_THAN_THE_STACK_BUFFER_OF_A_LOOKUP_0123456789_ABCDEFGHIJ", fold(long))
	same := "ALREADY_FOLDED"
	assert.Equal(t, same, fold(same))
}

// TestLookupDoesNotAllocate: looking a key or value up folds its name in a
// stack buffer.
func TestLookupDoesNotAllocate(t *testing.T) {
	k := &key{name: "k"}
	k.addChild(&key{name: "SubKey"})
	k.setValue("Value", win32.REG_DWORD, []byte{1, 2, 3, 4})
	allocs := testing.AllocsPerRun(100, func() {
		if k.child("subkey") == nil || k.value("VALUE") == nil || k.child("Ö\u212A") != nil {
			t.Fatal("lookup failed")
		}
	})
	assert.Zero(t, allocs)
}

// TestUpcaseLatin1 checks the first 256 units against what Windows
// returns for RtlUpcaseUnicodeChar (Wine's dlls/ntdll/tests/rtlstr.c:603,
// observed): a-z and U+00E0-U+00FE but U+00F7 lose 0x20, U+00FF becomes
// U+0178, every other unit (U+00B5 and U+00DF among them) stays.
func TestUpcaseLatin1(t *testing.T) {
	for u := uint16(0); u <= 0xFF; u++ {
		want := u
		switch {
		case 'a' <= u && u <= 'z', 0xE0 <= u && u <= 0xFE && u != 0xF7:
			want = u - 0x20
		case u == 0xFF:
			want = 0x178
		}
		assert.Equal(t, want, upcase(u), "upcase(U+%04X)", u)
	}
}
