package windows_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/backend/windows"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

func newModel(profile string, seed uint64) (backend.Kernel, error) { return model.New(profile, seed) }

func newReal(profile string, _ uint64) (backend.Kernel, error) {
	return windows.New(windows.Options{Profile: profile})
}

// TestScenarios is the go test adapter of the real backend: every bundled
// scenario of every registered family is recorded against the system this
// test runs on and replayed on the model under the system's profile
// (detected: wine-8.0 under Wine 8.0). A scenario whose recording does not
// replay fails, so does a declared deviation that no longer happens; a
// scenario with a model-only step is skipped, and one the backend declines
// part-way is partial (logged, not failed: the Wine leg's snapshot pins it).
// Each family's agreement table is logged.
func TestScenarios(t *testing.T) {
	profile, system, err := windows.DetectProfile()
	require.NoError(t, err)
	env := scenario.NewEnv(scenario.Catalog())
	for _, fam := range scenario.Families() {
		t.Run(fam.Name, func(t *testing.T) {
			root := filepath.Join("..", "..", "scenarios", filepath.FromSlash(fam.Dir))
			files, err := scenario.Find(root)
			require.NoError(t, err)
			require.NotEmpty(t, files, "family %s has no scenarios under %s", fam.Name, root)
			var table strings.Builder
			counts := map[scenario.Verdict]int{}
			for _, f := range files {
				name := scenario.Name(root, f)
				t.Run(name, func(t *testing.T) {
					s, err := scenario.Load(f, env)
					require.NoError(t, err)
					c, err := scenario.Check(s, profile, sim.DefaultProfile, system, newReal, newModel, env)
					require.NoError(t, err)
					counts[c.Verdict]++
					fmt.Fprintf(&table, "%-40s %-18s %-7s %s\n", name, c.Verdict, c.CallsText(), c.Detail)
					switch c.Verdict {
					case scenario.Disagree:
						t.Errorf("%s on %s: %s\nrecording:\n%s", name, system, c.Detail, c.Recording)
					case scenario.NotRun:
						t.Skip(c.Detail)
					}
				})
			}
			t.Logf("%s agreement on %s (profile %s) with the model:\n%s%d agree, %d partial, %d declared deviation, %d disagree, %d skipped",
				fam.Name, system, profile, table.String(), counts[scenario.Agree], counts[scenario.Partial], counts[scenario.Deviation], counts[scenario.Disagree], counts[scenario.NotRun])
		})
	}
}
