package scenario

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClockOverflow holds the runner to its refusal of a step whose
// duration would take the virtual clock past its end: the run is invalid,
// with the duration's position, and stops there.
func TestClockOverflow(t *testing.T) {
	const svc = "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n" +
		"  - CreateService: {scm: scm, name: svc1, access: SERVICE_ALL_ACCESS}\n    as: svc\n"
	tests := []struct {
		name, doc, want string
		steps           int
	}{
		{
			name:  "two advances",
			doc:   head + "  - advance: 2562047h\n  - advance: 2562047h\n  - SleepEx: {ms: 1}\n",
			want:  "t.yaml:6:14: advance: 2562047h0m0s from virtual time 2562047h0m0s passes the end of the virtual clock (2562047h47m16.854775807s after the start)",
			steps: 1,
		},
		{
			name:  "a start delay after an advance",
			doc:   head + "  - advance: 2562047h\n" + svc + "  - program: {service: svc1, typical: {start_delay: 2562047h, step_delay: 1ms}}\n  - StartService: {service: svc}\n",
			want:  "t.yaml:10:53: program: 2562047h0m0s from virtual time 2562047h0m0s passes the end of the virtual clock (2562047h47m16.854775807s after the start)",
			steps: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "t.yaml")
			require.NoError(t, os.WriteFile(p, []byte(tc.doc), 0o644))
			s, res, err := RunFile(p, newModel, nil, Options{Env: testEnv()})
			require.Error(t, err)
			require.NotNil(t, s)
			var list ErrorList
			require.ErrorAs(t, err, &list)
			require.Len(t, list, 1)
			list[0].File = "t.yaml"
			assert.Equal(t, tc.want, list[0].Error())
			assert.Equal(t, Failed, res.Outcome)
			assert.Equal(t, tc.steps, res.Steps)
		})
	}
}

// TestClockNoOverflow keeps the check from refusing durations that fit.
func TestClockNoOverflow(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(p, []byte(head+"  - advance: 2562047h\n  - advance: 47m\n  - SleepEx: {ms: 1}\n"), 0o644))
	_, res, err := RunFile(p, newModel, nil, Options{Env: testEnv()})
	require.NoError(t, err)
	assert.Equal(t, Passed, res.Outcome, res.Message)
}
