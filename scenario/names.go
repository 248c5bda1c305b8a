package scenario

import (
	"strconv"
	"unicode/utf8"
)

// maxEchoRunes is how much of a name or value a message echoes.
const maxEchoRunes = 80

// quoteName quotes s for a one-line message: strconv.Quote's escapes keep a
// newline or a NUL from breaking the line, and s longer than maxEchoRunes
// runes is cut there and followed by "…(N bytes)", N being s's whole length.
func quoteName(s string) string {
	if utf8.RuneCountInString(s) <= maxEchoRunes {
		return strconv.Quote(s)
	}
	i, n := 0, 0
	for i < len(s) && n < maxEchoRunes {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		n++
	}
	return strconv.Quote(s[:i]) + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
