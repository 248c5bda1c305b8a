// Package scenarios_test replays every bundled scenario under go test, once
// per profile, against the models, and checks that the scenarios together
// cover the behavior catalog.
package scenarios_test

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden traces of scenarios marked golden: true")

func newModel(profile string, seed uint64) (backend.Kernel, error) {
	return model.New(profile, seed)
}

// TestScenarios runs each scenario as TestScenarios/<profile>/<dir>/<name>.
func TestScenarios(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	for _, p := range sim.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			scenario.RunTree(t, ".", newModel, scenario.Options{Profile: p.Name, Update: *update, Env: env})
		})
	}
}

// TestDeterministic runs every scenario twice with the same seed and
// requires byte-identical traces.
func TestDeterministic(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	files, err := scenario.Find(".")
	require.NoError(t, err)
	for _, f := range files {
		var traces [2]string
		for i := range traces {
			_, res, err := scenario.RunFile(f, newModel, nil, scenario.Options{Env: env})
			require.NoError(t, err, f)
			traces[i] = scenario.TraceText(res.Trace)
		}
		require.Equal(t, traces[0], traces[1], "%s: two runs with one seed gave different traces", f)
	}
}

// TestCatalogCoverage requires every catalog rule that the models implement
// (modeled, model choice, or reachable by fault injection) to be named in
// the covers list of at least one scenario, or, for a model choice, in its
// documents list. Out-of-scope rules need none. It checks names only: that
// each covered id is asserted (the scenario fails with the rule broken) is
// proven by TestCoversBundled in package conformance, in the fault build.
func TestCatalogCoverage(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	files, err := scenario.Find(".")
	require.NoError(t, err)
	covered := map[string][]string{}
	for _, f := range files {
		s, err := scenario.Load(f, env)
		require.NoError(t, err)
		for _, id := range append(s.Covers, s.Documents...) {
			covered[id] = append(covered[id], scenario.Name(".", f))
		}
	}
	var missing []string
	for _, r := range scenario.Catalog().Rules() {
		if r.Status != sim.OutOfScope && len(covered[r.ID]) == 0 {
			missing = append(missing, fmt.Sprintf("%s (%s): %s", r.ID, r.Status, r.Statement))
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "catalog rules no scenario covers:\n%s", strings.Join(missing, "\n"))
}
