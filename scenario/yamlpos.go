package scenario

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// maxQuotedLine is how much of a line a syntax error quotes.
const maxQuotedLine = 60

// precheckYAML locates exactly what the YAML library reports without a
// column, or at the wrong place: invalid UTF-8 and a NUL byte (the library
// says "1:1"). It returns nil when data has neither. Columns count runes
// from 1.
func precheckYAML(file string, data []byte) *Error {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		// The usual file: two fast scans find neither, and the rune by
		// rune walk below, which locates the first one, is not needed.
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, w := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			return &Error{File: file, Line: line, Col: col, Msg: "not valid YAML: invalid UTF-8 (byte 0x" + strconv.FormatUint(uint64(data[i]), 16) + "): a scenario file is UTF-8 text"}
		case r == 0:
			return &Error{File: file, Line: line, Col: col, Msg: "not valid YAML: a NUL byte: a scenario file is text"}
		case r == '\n':
			line, col = line+1, 0
		}
		i += w
		col++
	}
	return nil
}

// tabIndent finds the first line indented with a tab, which YAML forbids,
// and returns its position (the tab's column); ok is false when none is.
// It is consulted only once the library has refused the file, since a tab
// inside a block scalar's text is content.
func tabIndent(data []byte) (line, col int, ok bool) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		for j, c := range l {
			if c == '\t' {
				return i + 1, j + 1, true
			}
			if c != ' ' {
				break
			}
		}
	}
	return 0, 0, false
}

// nearLine is the text of line n of data, quoted and cut for a message.
func nearLine(data []byte, n int) string {
	lines := bytes.Split(data, []byte("\n"))
	if n < 1 || n > len(lines) {
		return ""
	}
	l := string(bytes.TrimRight(lines[n-1], "\r"))
	if utf8.RuneCountInString(l) > maxQuotedLine {
		r := []rune(l)
		return strconv.Quote(string(r[:maxQuotedLine])) + "…"
	}
	return strconv.Quote(l)
}
