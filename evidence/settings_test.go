package evidence

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// TestSettingsEvidenceLines checks every Wine line a profile setting cites
// (its observed evidence, or the line it is contradicted by) against the
// sources, with the ledger's own extractor: the line must be an ok() site
// (of any call, modeled or not). A todo_wine line records what Windows
// returns as well as any other (todo_wine only excuses Wine's failure), but
// it also says Wine differs: a setting whose observed evidence is such a
// line must declare a wine-8.0 value of its own.
func TestSettingsEvidenceLines(t *testing.T) {
	root := os.Getenv(SourceEnv)
	if root == "" {
		t.Skipf("$%s is not set: the settings' Wine lines are checked for form only (backend/model)", SourceEnv)
	}
	sites := map[string]map[int]Site{} // file -> line -> site
	anyCall := func(name string) string { return name }
	for _, s := range scenario.Settings() {
		for _, ref := range []string{observedRef(s.Evidence), s.Evidence.Contradicts} {
			if ref == "" {
				continue
			}
			l, err := sim.ParseTestLine(ref)
			require.NoError(t, err, "setting %s", s.ID)
			if sites[l.Path] == nil {
				src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(l.Path)))
				require.NoError(t, err, "setting %s", s.ID)
				sites[l.Path] = map[int]Site{}
				for _, site := range Extract(l.Path, src, anyCall) {
					sites[l.Path][site.Line] = site
				}
			}
			site, ok := sites[l.Path][l.Line]
			if !assert.True(t, ok, "setting %s cites %s, which is not an ok() site", s.ID, ref) {
				continue
			}
			if ref == observedRef(s.Evidence) && site.Todo != NoTodo {
				assert.NotEqual(t, s.Values["win8"], s.Values["wine-8.0"],
					"setting %s rests on %s, a %s line (Wine fails it), but declares the same value for wine-8.0 as for win8", s.ID, ref, site.Todo)
			}
		}
	}
}

func observedRef(e sim.Evidence) string {
	if e.Class == sim.Observed {
		return e.Ref
	}
	return ""
}
