package sim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// EvidenceClass says how strong the evidence for a behavior is, strongest
// first.
type EvidenceClass string

// The evidence classes.
const (
	// Observed: a Wine conformance test line records the result on
	// Windows (Wine's tests run on Windows too; todo_wine only excuses
	// Wine's failure, so a todo_wine line records Windows as well, and a
	// setting resting on one declares a wine-8.0 value of its own).
	Observed EvidenceClass = "observed"
	// Documented: a Microsoft documentation page states it.
	Documented EvidenceClass = "documented"
	// Inferred: another implementation (ReactOS) or a protocol
	// specification (MS-SCMR, MS-RRP) implies it.
	Inferred EvidenceClass = "inferred"
	// Choice: nothing known decides it; the model chose.
	Choice EvidenceClass = "choice"
)

// EvidenceClasses lists the classes, strongest first.
func EvidenceClasses() []EvidenceClass {
	return []EvidenceClass{Observed, Documented, Inferred, Choice}
}

// Evidence is what a behavior rests on: its class and the reference.
type Evidence struct {
	// Class is how strong the evidence is.
	Class EvidenceClass
	// Ref points at the evidence: for Observed the Wine test line
	// (path:line, see ParseTestLine); for Documented the page and what it
	// says, in the project's words; for Inferred the source or section; for
	// Choice what is unknown and what the model picked.
	Ref string
	// Contradicts is a Wine test line (path:line, not under todo_wine)
	// whose recorded Windows result the behavior does not match, "" when
	// none is known: the behavior is a known error of the model until it
	// is fixed, and the evidence says so rather than hiding it.
	Contradicts string
}

// String writes the evidence for listings: "class: ref", and the
// contradicting line when there is one.
func (e Evidence) String() string {
	s := string(e.Class) + ": " + e.Ref
	if e.Contradicts != "" {
		s += " (CONTRADICTED by " + e.Contradicts + ")"
	}
	return s
}

// Check reports what is malformed in the evidence: an unknown class, an
// empty reference, an Observed reference or a Contradicts that is not a
// test line.
func (e Evidence) Check() error {
	known := false
	for _, c := range EvidenceClasses() {
		known = known || c == e.Class
	}
	switch {
	case e.Class == "":
		return fmt.Errorf("no evidence class (one of observed, documented, inferred, choice)")
	case !known:
		return fmt.Errorf("unknown evidence class %q (one of observed, documented, inferred, choice)", e.Class)
	case strings.TrimSpace(e.Ref) == "":
		return fmt.Errorf("%s evidence with no reference", e.Class)
	}
	if e.Class == Observed {
		if _, err := ParseTestLine(e.Ref); err != nil {
			return fmt.Errorf("observed evidence: %w", err)
		}
	}
	if e.Contradicts != "" {
		if _, err := ParseTestLine(e.Contradicts); err != nil {
			return fmt.Errorf("contradicting line: %w", err)
		}
	}
	return nil
}

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

// TestLineSyntax is the regular expression of a position ParseTestLine
// reads: a relative path of plain segments, a file with an extension, then
// :line. ParseTestLine also refuses . and .. segments, which it matches.
const TestLineSyntax = `^([A-Za-z0-9_+-][A-Za-z0-9_.+-]*/)*[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\.[A-Za-z]+:([1-9][0-9]{0,6})$`

var testLineRE = regexp.MustCompile(TestLineSyntax)

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
