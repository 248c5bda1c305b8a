package twinsvc

import (
	"slices"
	"testing"
)

// TestEscapeArgRoundTrip: each argument, escaped and joined after a
// program name, splits back to itself; the escaped forms are Go's.
func TestEscapeArgRoundTrip(t *testing.T) {
	tests := []struct{ arg, escaped string }{
		{"", `""`},
		{"plain", "plain"},
		{"with space", `"with space"`},
		{"tab\there", "\"tab\there\""},
		{`a"b`, `a\"b`},
		{`dir\`, `dir\`},
		{`dir with space\`, `"dir with space\\"`},
		{`back\\"quote`, `back\\\\\"quote`},
		{`C:\Program Files\svc.exe`, `"C:\Program Files\svc.exe"`},
	}
	for _, tt := range tests {
		if got := EscapeArg(tt.arg); got != tt.escaped {
			t.Errorf("EscapeArg(%q) = %q, want %q", tt.arg, got, tt.escaped)
		}
		line := `"C:\Program Files\prog.exe" ` + EscapeArg(tt.arg) + " last"
		want := []string{`C:\Program Files\prog.exe`, tt.arg, "last"}
		if got := SplitCommandLine(line); !slices.Equal(got, want) {
			t.Errorf("SplitCommandLine(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestSplitCommandLine: the program name's own rule (a backslash before
// its closing quote is literal), whitespace runs, an unclosed quote.
func TestSplitCommandLine(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"", nil},
		{"  prog.exe", []string{"prog.exe"}},
		{`"C:\dir\" -x`, []string{`C:\dir\`, "-x"}},
		{"prog  a\t b", []string{"prog", "a", "b"}},
		{`prog "open ended`, []string{"prog", "open ended"}},
		{`prog a\\b`, []string{"prog", `a\\b`}},
	}
	for _, tt := range tests {
		if got := SplitCommandLine(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("SplitCommandLine(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}
