package scenarios_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// TestRecordReplaysOnModel records every SCM scenario against the model
// under each profile (whatever profiles the file lists), writes the
// recording, and replays it: under the recorded profile it must agree or
// show a declared deviation, never disagree; a recording under the default
// profile must agree outright. This is the model-only half of
// `simrun record`: the recorded file is what a real system would produce.
func TestRecordReplaysOnModel(t *testing.T) {
	env := scenario.NewEnv(model.Catalog())
	files, err := scenario.Find("scm")
	require.NoError(t, err)
	dir := t.TempDir()
	for _, p := range sim.Profiles() {
		deviations := 0
		for _, f := range files {
			s, err := scenario.Load(f, env)
			require.NoError(t, err)
			b, err := model.New(p.Name, s.Seed)
			require.NoError(t, err)
			res := scenario.Record(s, b, scenario.Options{Env: env})
			require.NotNil(t, res.Recording, "%s under %s: %s", f, p.Name, res.Message)
			assert.Empty(t, res.Recording.Stopped(), f)
			data, err := res.Recording.Marshal("the model")
			require.NoError(t, err, f)
			out := filepath.Join(dir, p.Name+"-"+filepath.Base(f))
			require.NoError(t, os.WriteFile(out, data, 0o644))
			ag, err := scenario.Compare(out, data, p.Name, sim.DefaultProfile, newModel, env)
			require.NoError(t, err, "%s\n%s", f, data)
			switch {
			case p.Name == sim.DefaultProfile:
				assert.Equal(t, scenario.Agree, ag.Verdict, "%s: %s\n%s", f, ag.Detail, data)
			default:
				assert.NotEqual(t, scenario.Disagree, ag.Verdict, "%s under %s: %s\n%s", f, p.Name, ag.Detail, data)
			}
			if ag.Verdict == scenario.Deviation {
				deviations++
			}
		}
		if p.Name != sim.DefaultProfile {
			assert.Positive(t, deviations, "no scenario shows a difference between %s and %s", p.Name, sim.DefaultProfile)
		}
	}
}
