package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMarshalStoppedRecordings: a recording whose run stopped within its
// first step has no step to write (a scenario needs one), so Marshal says
// so instead of writing `steps: []`; stopped later, it writes the steps
// before the stop, and the file loads.
func TestMarshalStoppedRecordings(t *testing.T) {
	for _, tc := range []struct {
		name, steps string
		first       string // the first step written, "" when nothing is recorded
	}{
		{"stopped at the first step", "  - DeleteService: {service: NULL}\n  - CloseServiceHandle: {handle: NULL}\n", ""},
		{"stopped at the second step", "  - CloseServiceHandle: {handle: NULL}\n    want: ERROR_ACCESS_DENIED\n  - DeleteService: {service: NULL}\n", "CloseServiceHandle(NULL)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.yaml")
			require.NoError(t, os.WriteFile(path, []byte(head+tc.steps), 0o644))
			s, err := Load(path, testEnv())
			require.NoError(t, err)
			res := Record(s, &declining{fakeSCM: newFake("win8")}, Options{Env: testEnv()})
			require.NotNil(t, res.Recording, res.Message)
			require.NotEmpty(t, res.Recording.Stopped())
			data, err := res.Recording.Marshal("the fake")
			if tc.first == "" {
				require.ErrorIs(t, err, ErrNothingRecorded)
				assert.Contains(t, err.Error(), "s.yaml: nothing recorded: the run stopped within its first step, at "+path+":5:5: DeleteService(NULL)")
				assert.Nil(t, data)
				return
			}
			require.NoError(t, err)
			again, err := Parse(path, data, testEnv())
			require.NoError(t, err, "%s", data)
			assert.Equal(t, tc.first, again.Steps[0].String())
			for _, st := range again.Steps {
				assert.NotEqual(t, "DeleteService", st.Kind.Name, "the step the run stopped at is left out")
			}
		})
	}
}

// TestMarshalDropsModeline: a recording leaves out the scenario's
// yaml-language-server modeline, whose relative path would not lead from
// where the recording is written to the schema; the rest of the comment
// above the first key stays.
func TestMarshalDropsModeline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	doc := SchemaModeline("../../docs/scenario.schema.json") + "\n# kept\n" + head + "  - CloseServiceHandle: {handle: NULL}\n    want: ERROR_INVALID_HANDLE\n"
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	s, err := Load(path, testEnv())
	require.NoError(t, err)
	res := Record(s, newFake("win8"), Options{Env: testEnv()})
	require.NotNil(t, res.Recording, res.Message)
	data, err := res.Recording.Marshal("the fake")
	require.NoError(t, err)
	assert.NotContains(t, string(data), "yaml-language-server", "%s", data)
	assert.True(t, strings.HasPrefix(string(data), "# kept\nversion: 1\n"), "%s", data)
}
