package scenarios_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
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
	env := scenario.NewEnv(scenario.Catalog())
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

// stopsAt is the model declining the n-th step it runs (backend.Refuser), as
// the real binding declines a call that would end its process: a recording
// then stops there.
type stopsAt struct {
	*model.Backend
	n, steps int
}

// Refusal is asked once after every step the runner executes.
func (s *stopsAt) Refusal() error {
	if err := s.Backend.Refusal(); err != nil {
		return err
	}
	s.steps++
	if s.steps == s.n {
		return fmt.Errorf("declined step %d: %w", s.n, backend.ErrUnsupported)
	}
	return nil
}

// TestRecordingRoundTrip is the property of Recording.Marshal: whatever it
// writes loads again, wherever the recorded run stops (any bundled scenario,
// any profile, the backend declining any of its steps, on_callback steps
// included), and it writes nothing only for a run stopped within its first
// step, saying so.
func TestRecordingRoundTrip(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	files, err := scenario.Find(".")
	require.NoError(t, err)
	var profiles []string
	for _, p := range sim.Profiles() {
		profiles = append(profiles, p.Name)
	}
	rapid.Check(t, func(rt *rapid.T) {
		f := rapid.SampledFrom(files).Draw(rt, "file")
		profile := rapid.SampledFrom(profiles).Draw(rt, "profile")
		s, err := scenario.Load(f, env)
		require.NoError(rt, err)
		m, err := model.New(profile, s.Seed)
		require.NoError(rt, err)
		b := &stopsAt{Backend: m, n: rapid.IntRange(0, 40).Draw(rt, "stop at step (0: never)")}
		res := scenario.Record(s, b, scenario.Options{Env: env})
		if res.Recording == nil {
			rt.Skipf("not recorded: %s", res.Message)
		}
		data, err := res.Recording.Marshal("the model")
		if errors.Is(err, scenario.ErrNothingRecorded) {
			require.NotEmpty(rt, res.Recording.Stopped(), "only a stopped run has nothing to write")
			return
		}
		require.NoError(rt, err)
		_, err = scenario.Parse(f, data, env)
		require.NoError(rt, err, "the recording of %s does not load:\n%s", f, data)
	})
}

// TestRecordingStoppedInsideCallback: a run stopped inside a callback's
// on_callback steps drops the step that registered the callback's buffer,
// and with it the callback observed at the end of the run, which names that
// buffer; the recording loads again. (Found by TestRecordingRoundTrip: the
// callback used to be written after the truncated steps.)
func TestRecordingStoppedInsideCallback(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	const file = "scm/contract-scm-call-in-callback.yaml"
	s, err := scenario.Load(file, env)
	require.NoError(t, err)
	m, err := model.New("win8", s.Seed)
	require.NoError(t, err)
	res := scenario.Record(s, &stopsAt{Backend: m, n: 11}, scenario.Options{Env: env})
	require.NotNil(t, res.Recording)
	require.Contains(t, res.Recording.Stopped(), ":27:11: QueryServiceStatusEx(svc)", "the 11th step is the callback's own call")
	data, err := res.Recording.Marshal("the model")
	require.NoError(t, err)
	assert.NotContains(t, string(data), "n1", "the buffer's registration and its callback are both cut")
	_, err = scenario.Parse(file, data, env)
	require.NoError(t, err)
}
