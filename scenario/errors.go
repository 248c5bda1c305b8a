package scenario

import (
	"fmt"
	"strings"
)

// Error is one problem in a scenario file, located at the YAML node that
// causes it. Lines and columns count from 1, as editors do.
type Error struct {
	// File is the scenario's name, normally its path.
	File string
	// Line and Col locate the problem, counting from 1; Col is 0 when only
	// the line is known (a YAML syntax error).
	Line, Col int
	// Msg says what is wrong, and often what was meant.
	Msg string
}

// Error formats the problem GNU style, "file:line:col: msg", so that editors
// and CI problem matchers can link it; "file:line: msg" when Col is 0 (a
// YAML syntax error, whose column is not known).
func (e *Error) Error() string {
	if e.Col == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is every problem found in one file, ordered by position. Parse
// and Load return it as their error; errors.As finds each *Error in it.
type ErrorList []*Error

// Error prints one problem a line.
func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
