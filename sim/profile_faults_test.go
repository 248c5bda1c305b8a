//go:build winsim_faults

package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOverrideSetting encodes the setting kill run's seam: an override
// changes what the model reads (In) in every profile, never what the
// settings listings declare (Describe), and ends with OverrideSetting("", nil).
func TestOverrideSetting(t *testing.T) {
	s := Setting[int]{ID: "test.limit", Default: 10, ByProfile: map[string]int{"win7": 5}}
	win7 := MustNewMachine(Options{Profile: "win7"}).Profile()
	OverrideSetting("test.limit", 6)
	t.Cleanup(func() { OverrideSetting("", nil) })
	require.Equal(t, 6, s.In(win7))
	require.Equal(t, "5", s.Describe().Values["win7"], "the listings keep the declared value")
	OverrideSetting("test.limit", "six") // a value of another type is ignored
	require.Equal(t, 5, s.In(win7))
	OverrideSetting("other.limit", 6) // an override of another setting
	require.Equal(t, 5, s.In(win7))
	OverrideSetting("", nil)
	require.Equal(t, 5, s.In(win7))
}
