package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTestLine(t *testing.T) {
	tests := []struct {
		in   string
		want TestLine // zero for a refused form
	}{
		{"dlls/advapi32/tests/service.c:1234", TestLine{"dlls/advapi32/tests/service.c", 1234}},
		{"dlls/rsaenh/tests/rsaenh.c:1", TestLine{"dlls/rsaenh/tests/rsaenh.c", 1}},
		{"include/winsvc.h:42", TestLine{"include/winsvc.h", 42}},
		{"service.c:12", TestLine{"service.c", 12}},
		{"dlls/advapi32/tests/service.c", TestLine{}},
		{"dlls/advapi32/tests/service.c:0", TestLine{}},
		{"dlls/advapi32/tests/service.c:-3", TestLine{}},
		{"dlls/advapi32/tests/service.c:12a", TestLine{}},
		{"/dlls/advapi32/tests/service.c:12", TestLine{}},
		{"dlls/../advapi32/tests/service.c:12", TestLine{}},
		{"./dlls/advapi32/tests/service.c:12", TestLine{}},
		{"dlls//advapi32/service.c:12", TestLine{}},
		{"dlls/advapi32/tests/service:12", TestLine{}},
		{`dlls\advapi32\tests\service.c:12`, TestLine{}},
		{"dlls/advapi32/tests/service.c:12 ", TestLine{}},
		{"", TestLine{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTestLine(tc.in)
			if tc.want == (TestLine{}) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "is not a Wine source position")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.in, got.String())
		})
	}
}

func TestEvidenceCheck(t *testing.T) {
	tests := []struct {
		name string
		e    Evidence
		want string // "" for well formed
	}{
		{"observed", Evidence{Class: Observed, Ref: "dlls/advapi32/tests/service.c:2446"}, ""},
		{"documented", Evidence{Class: Documented, Ref: "the page says so"}, ""},
		{"inferred with a contradiction", Evidence{Class: Inferred, Ref: "ReactOS", Contradicts: "dlls/rsaenh/tests/rsaenh.c:3213"}, ""},
		{"choice", Evidence{Class: Choice, Ref: "nothing known"}, ""},
		{"no class", Evidence{Ref: "x"}, "no evidence class"},
		{"unknown class", Evidence{Class: "measured", Ref: "x"}, `unknown evidence class "measured"`},
		{"no reference", Evidence{Class: Choice, Ref: "  "}, "choice evidence with no reference"},
		{"observed without a line", Evidence{Class: Observed, Ref: "service.c test_servicenotify"}, "observed evidence: "},
		{"bad contradiction", Evidence{Class: Choice, Ref: "x", Contradicts: "rsaenh.c"}, "contradicting line: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.e.Check()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.Equal(t, "choice: x (CONTRADICTED by a/b.c:3)", Evidence{Class: Choice, Ref: "x", Contradicts: "a/b.c:3"}.String())
}
