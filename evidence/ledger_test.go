package evidence

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

// repoRoot is the repository's root seen from this package's directory.
const repoRoot = ".."

func committedLedger(t *testing.T) []Entry {
	t.Helper()
	entries, err := Parse(LedgerPath, Ledger)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	return entries
}

// TestLedgerMatchesSources is the ledger's gate: every in-scope site of
// Wine's sources has its line, with the extractor's fields, and every line
// is such a site. It needs the sources (see SourceEnv).
func TestLedgerMatchesSources(t *testing.T) {
	root := os.Getenv(SourceEnv)
	if root == "" {
		t.Skipf("$%s is not set: the ledger is not compared with Wine's sources (.ci/wine-sources fetches them)", SourceEnv)
	}
	sites, err := ExtractTree(root)
	require.NoError(t, err)
	diffs := Diff(committedLedger(t), sites)
	assert.Empty(t, diffs, "the ledger and the sources differ; `go run ./cmd/simrun ledger update` rewrites the extractor's columns")
}

// TestLedgerStatuses checks what the ledger's statuses name: the scenario
// files of an encoded line exist.
func TestLedgerStatuses(t *testing.T) {
	for _, e := range committedLedger(t) {
		for _, p := range e.Scenarios() {
			_, err := os.Stat(filepath.Join(repoRoot, p))
			assert.NoError(t, err, "%s line %d: %s", LedgerPath, e.Line, e.Key)
		}
	}
}

// TestScenarioCitationsAreLedgerLines fails on a scenario citing, with an
// observed: field, a Wine test line the ledger does not have or whose
// status does not name the scenario, and on an encoded ledger line whose
// scenario does not cite it.
func TestScenarioCitationsAreLedgerLines(t *testing.T) {
	entries := committedLedger(t)
	keys := map[string]Entry{}
	for _, e := range entries {
		keys[e.Key] = e
	}
	cites, err := scenarioCitations(filepath.Join(repoRoot, "scenarios"))
	require.NoError(t, err)
	cited := map[string]map[string]bool{} // scenario path -> keys
	for _, c := range cites {
		e, ok := keys[c.key]
		if !ok {
			t.Errorf("%s: observed: %s is not a line of %s", c.pos, c.key, LedgerPath)
		} else if !slices.Contains(e.Scenarios(), c.file) {
			t.Errorf("%s: observed: %s, but %s:%d does not name %s", c.pos, c.key, LedgerPath, e.Line, c.file)
		}
		if cited[c.file] == nil {
			cited[c.file] = map[string]bool{}
		}
		cited[c.file][c.key] = true
	}
	for _, e := range entries {
		for _, p := range e.Scenarios() {
			if !cited[p][e.Key] {
				t.Errorf("%s:%d: %s names %s, which has no observed: %s", LedgerPath, e.Line, e.Key, p, e.Key)
			}
		}
	}
}

// TestREADMECounts keeps the README's ledger figures current.
func TestREADMECounts(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	const begin, end = "<!-- ledger counts: simrun ledger counts -->\n", "<!-- end of ledger counts -->"
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	require.True(t, i >= 0 && j > i, "README.md has no %q ... %q block", begin, end)
	assert.Equal(t, CountsTable(committedLedger(t)), text[i+len(begin):j],
		"README.md's ledger counts are stale: paste `go run ./cmd/simrun ledger counts`")
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"dlls/advapi32/tests/service.c:1 | f | c | v | -\n", "ledger:1: want 6 fields"},
		{"nowhere.c:1 | f | c | v | - | open\n", "ledger:1: \"nowhere.c:1\" is not file:line"},
		{"dlls/advapi32/tests/service.c:x | f | c | v | - | open\n", "is not file:line"},
		{"# c\ndlls/advapi32/tests/service.c:1 | f | c | v | maybe | open\n", "ledger:2: todo \"maybe\""},
		{"dlls/advapi32/tests/service.c:1 | f | c | v | - | out: \n", "out: needs a reason"},
		{"dlls/advapi32/tests/service.c:1 | f | c | v | - | done\n", "is not open, out: <reason>, or scenario paths"},
		{"dlls/advapi32/tests/service.c:1 | f | c | v | - | open\ndlls/advapi32/tests/service.c:1 | f | c | v | - | open\n", "ledger:2: dlls/advapi32/tests/service.c:1 is already on line 1"},
	} {
		_, err := Parse("ledger", []byte(tc.text))
		if assert.Error(t, err, tc.text) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func TestDiffAndUpdate(t *testing.T) {
	src, err := os.ReadFile("testdata/sites.c")
	require.NoError(t, err)
	var sites []Site
	for _, s := range Extract("dlls/advapi32/tests/service.c", src, testModel) {
		if s.Modeled {
			sites = append(sites, s)
		}
	}
	ledger := Update(nil, sites)
	assert.Empty(t, Diff(ledger, sites))
	ledger[0].Status = "out: a reason"
	round, err := Parse("ledger", Format(ledger))
	require.NoError(t, err)
	assert.Empty(t, Diff(round, sites))
	assert.Equal(t, "out: a reason", Update(round, sites)[0].Status, "update keeps statuses")

	// A missing line, a line that is not a site, a changed field: each is a
	// difference.
	assert.Len(t, Diff(round[1:], sites), 1)
	extra := append(append([]Entry{}, round...), Entry{Key: "dlls/advapi32/tests/service.c:9999", Line: 99})
	assert.Len(t, Diff(extra, sites), 1)
	changed := append([]Entry{}, round...)
	changed[2].Value = "ERROR_SUCCESS"
	assert.Len(t, Diff(changed, sites), 1)
}

// citation is one observed: value of a scenario.
type citation struct {
	file string // the scenario's path from the repository root
	pos  string // the citing step's position
	key  string
}

// scenarioCitations decodes every scenario under dir and lists the Wine
// test lines its steps cite with observed:.
func scenarioCitations(dir string) ([]citation, error) {
	env := scenario.NewEnv(scenario.Catalog())
	var out []citation
	files, err := scenario.Find(dir)
	if err != nil {
		return nil, err
	}
	for _, path := range files {
		s, err := scenario.Load(path, env)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(repoRoot, path)
		if err != nil {
			return nil, err
		}
		for _, c := range s.Observed() {
			out = append(out, citation{filepath.ToSlash(rel), c.Step.Pos(), c.TestLine.String()})
		}
	}
	return out, nil
}
