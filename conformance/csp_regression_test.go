package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// keysOutliveContext is a wrong CryptoAPI: destroying a key whose handle is
// no longer valid succeeds, so the keys of a released context look alive.
type keysOutliveContext struct{ *model.Backend }

func (b keysOutliveContext) CryptDestroyKey(th string, h sim.Handle) sim.Code {
	code := b.Backend.CryptDestroyKey(th, h)
	if code == sim.ERROR_INVALID_PARAMETER.Code() && h != 0 {
		return sim.ERROR_SUCCESS.Code()
	}
	return code
}

func newKeysOutliveContext(profile string, seed uint64) (backend.Kernel, error) {
	b, err := model.New(profile, seed)
	if err != nil {
		return nil, err
	}
	return keysOutliveContext{b}, nil
}

func TestCSPPropertyShrinksAndWritesRegression(t *testing.T) {
	first, last, path := failingRegressions(t, func(dir string) func(*rapid.T) {
		return propertyMachine(newKeysOutliveContext, familyNamed("CSP"), "win8", dir, newRunLog())
	}, "property-csp-win8.yaml")
	for _, s := range []*scenario.Scenario{first, last} {
		assert.Contains(t, s.Covers, "csp.key.destroyed")
		end := s.Steps[len(s.Steps)-1].String()
		assert.True(t, strings.HasPrefix(end, "CryptDestroyKey"), "ends with the destroy that disagreed: %s", end)
	}
	assert.Equal(t, scenario.Failed, replay(t, path, newKeysOutliveContext).Outcome)
	good := replay(t, path, newModel)
	assert.Equal(t, scenario.Passed, good.Outcome, good.Message)
}

// TestChecksReplayAsScenarios writes the run of every check of the
// families whose checks replay (family.checksReplay) as a scenario and
// replays it with the scenario runner: the steps the World logs must say
// what the oracle said.
func TestChecksReplayAsScenarios(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	var checks []Check
	for _, f := range families {
		if f.checksReplay {
			checks = append(checks, f.checks()...)
		}
	}
	require.NotEmpty(t, checks)
	for _, c := range checks {
		for _, p := range profilesOf(Options{}) {
			res := RunCheck(c, newModel, p, 1)
			if res.Skipped != "" {
				continue
			}
			require.NoError(t, res.Err, "%s under %s", c.Name, p)
			data, err := (&scenario.Script{Description: c.Family + " check " + c.Name + ".\nSource: the conformance oracle.", Covers: c.Covers,
				Profiles: []string{p}, Threads: res.Threads, Steps: res.Script}).Marshal()
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), c.Name+".yaml")
			require.NoError(t, os.WriteFile(path, data, 0o644))
			_, out, err := scenario.RunFile(path, newModel, nil, scenario.Options{Profile: p, Env: env})
			require.NoError(t, err, "%s under %s:\n%s", c.Name, p, data)
			assert.Equal(t, scenario.Passed, out.Outcome, "%s under %s: %s\n%s", c.Name, p, out.Message, data)
		}
	}
}
