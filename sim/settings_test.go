package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKernelSettings: every kernel setting is described with its reason
// and source and has a value for every profile.
func TestKernelSettings(t *testing.T) {
	infos := KernelSettings()
	require.NotEmpty(t, infos)
	for _, s := range infos {
		assert.True(t, strings.HasPrefix(s.ID, "kernel."), s.ID)
		assert.NotEmpty(t, s.Reason, s.ID)
		assert.NotEmpty(t, s.Source, s.ID)
		for _, p := range Profiles() {
			assert.Contains(t, s.Values, p.Name, s.ID)
		}
	}
}

// TestDuplicateWaitAllByProfile: a wait-all naming one event twice fails
// under the Windows profiles and is waited for as if named once under
// wine-8.0 (an auto-reset event reset once, an unsignaled one timing out).
func TestDuplicateWaitAllByProfile(t *testing.T) {
	tests := []struct {
		profile        string
		manual, signal bool
		want           WaitResult
		wantErr        error
		setAfter       bool
	}{
		{"win8", true, true, WAIT_FAILED, ERROR_INVALID_PARAMETER, true},
		{"win7", false, true, WAIT_FAILED, ERROR_INVALID_PARAMETER, true},
		{"wine-8.0", true, true, WAIT_OBJECT_0, nil, true},
		{"wine-8.0", false, true, WAIT_OBJECT_0, nil, false},
		{"wine-8.0", true, false, WAIT_TIMEOUT, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			m, err := NewMachine(Options{Profile: tt.profile})
			require.NoError(t, err)
			th := m.NewProcess("app.exe").NewThread("main")
			h := th.CreateEvent(tt.manual, tt.signal)
			r, err := th.WaitForMultipleObjectsEx([]Handle{h, h}, true, 10, false)
			assert.Equal(t, tt.want, r)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.setAfter, eventOf(t, th, h).IsSet())
		})
	}
}
