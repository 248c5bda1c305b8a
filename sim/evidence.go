package sim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// TestLine is a position in Wine's sources, the way citations name an ok()
// line of a conformance test: a path relative to the Wine source root, then
// the line, as in dlls/advapi32/tests/service.c:1234.
type TestLine struct {
	// Path is the source file, relative to the Wine source root, with /
	// separators.
	Path string
	// Line counts from 1.
	Line int
}

// String writes the position as ParseTestLine reads it.
func (t TestLine) String() string { return t.Path + ":" + strconv.Itoa(t.Line) }

// testLineRE is a relative path of plain segments, a file with an
// extension, then :line.
var testLineRE = regexp.MustCompile(`^([A-Za-z0-9_+-][A-Za-z0-9_.+-]*/)*[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\.[A-Za-z]+:([1-9][0-9]{0,6})$`)

// ParseTestLine reads a position written path:line, for example
// dlls/advapi32/tests/service.c:1234. The path must be relative (no leading
// /, no . or .. segment) and name a file with an extension; the line counts
// from 1.
func ParseTestLine(s string) (TestLine, error) {
	m := testLineRE.FindStringSubmatch(s)
	bad := m == nil
	if !bad {
		for _, seg := range strings.Split(strings.SplitN(s, ":", 2)[0], "/") {
			if seg == "." || seg == ".." {
				bad = true
			}
		}
	}
	if bad {
		return TestLine{}, fmt.Errorf("%q is not a Wine source position: write the path relative to the Wine source root, then :line, as in dlls/advapi32/tests/service.c:1234", s)
	}
	line, _ := strconv.Atoi(m[2])
	return TestLine{Path: s[:strings.LastIndexByte(s, ':')], Line: line}, nil
}
