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
