package scenarios_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// pacedModel is the model posing as a backend whose waits take real time:
// it records what the runner tells it to expect before each wait.
type pacedModel struct {
	*model.Backend
	expected []int
}

func (p *pacedModel) ExpectCallbacks(_ string, n int, _ time.Duration) {
	p.expected = append(p.expected, n)
}

var _ backend.Paced = (*pacedModel)(nil)

// TestPacedWaitsFollowThePlan: before each wait, a paced backend is told how
// many callbacks the model delivers there (RunFile plans with Planner).
func TestPacedWaitsFollowThePlan(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	var paced *pacedModel
	newPaced := func(profile string, seed uint64) (backend.Kernel, error) {
		m, err := model.New(profile, seed)
		paced = &pacedModel{Backend: m}
		return paced, err
	}
	_, res, err := scenario.RunFile("scm/notify-rearm.yaml", newPaced, nil, scenario.Options{Env: env, Planner: newModel})
	require.NoError(t, err)
	require.Equal(t, scenario.Passed, res.Outcome, res.Message)
	assert.Equal(t, []int{1, 1, 0, 1}, paced.expected)
}

// TestRecordedCallbackOrder: in a recorded scenario, callbacks that ran
// during one step match in any order; in a written one the order counts.
func TestRecordedCallbackOrder(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	s, err := scenario.Load("scm/notify-per-handle.yaml", env)
	require.NoError(t, err)
	b, err := model.New(sim.DefaultProfile, s.Seed)
	require.NoError(t, err)
	res := scenario.Record(s, b, scenario.Options{Env: env})
	require.NotNil(t, res.Recording, res.Message)
	data, err := res.Recording.Marshal("a test")
	require.NoError(t, err)
	text := string(data)
	first := "- {buffer: n1, status: ERROR_SUCCESS, triggered: SERVICE_NOTIFY_STOPPED, state: SERVICE_STOPPED}"
	second := "- {buffer: n2, status: ERROR_SUCCESS, triggered: SERVICE_NOTIFY_STOPPED, state: SERVICE_STOPPED}"
	require.Contains(t, text, first+"\n      "+second)
	swapped := strings.Replace(text, first+"\n      "+second, second+"\n      "+first, 1)
	for _, tc := range []struct {
		name, text string
		want       scenario.Outcome
	}{
		{"recorded, swapped", swapped, scenario.Passed},
		{"written, swapped", strings.Replace(swapped, "recorded: a test\n", "", 1), scenario.Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := t.TempDir() + "/s.yaml"
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o644))
			_, res, err := scenario.RunFile(path, newModel, nil, scenario.Options{Env: env, Profile: sim.DefaultProfile})
			require.NoError(t, err)
			assert.Equal(t, tc.want, res.Outcome, res.Message)
		})
	}
}
