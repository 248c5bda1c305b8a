package scenarios_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
)

// TestRecordingKeepsOutputFields: a recording writes what the backend left
// in an output a step's field compares (ReleaseSemaphore's previous:), not
// what the scenario expected. Recorded on the model under wine-8.0, where a
// release of zero succeeds and reports the count, the Windows scenario's
// "previous: unwritten" becomes the count, and the recording replays.
func TestRecordingKeepsOutputFields(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	const file = "semaphore/release-count.yaml"
	s, err := scenario.Load(file, env)
	require.NoError(t, err)
	m, err := model.New("wine-8.0", s.Seed)
	require.NoError(t, err)
	res := scenario.Record(s, m, scenario.Options{Env: env})
	require.NotNil(t, res.Recording, res.Message)
	data, err := res.Recording.Marshal("the model")
	require.NoError(t, err)
	assert.Contains(t, string(data), "{handle: sem, release_count: 0, previous: 0}")
	path := filepath.Join(t.TempDir(), "release-count.yaml")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	rec, err := scenario.Load(path, env)
	require.NoError(t, err)
	replay, err := model.New("wine-8.0", rec.Seed)
	require.NoError(t, err)
	r := scenario.Run(rec, replay, nil)
	assert.Equal(t, scenario.Passed, r.Outcome, r.Message)
}
