package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

const (
	passing = `version: 1
description: opening the SCM succeeds
covers: [kernel.wait.alertable-sleep]
steps:
  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}
    as: scm
  - CloseServiceHandle: {handle: scm}
`
	failing = `version: 1
description: a want that the model does not meet
covers: [kernel.wait.alertable-sleep]
steps:
  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}
    want: ERROR_ACCESS_DENIED
`
	win7Only = `version: 1
description: runs only under win7
covers: [kernel.wait.alertable-sleep]
profiles: [win7]
steps:
  - SleepEx: {ms: 1}
`
	invalid = `version: 1
description: a misspelt step
covers: [kernel.wait.alertable-sleep]
steps:
  - SleepExx: {ms: 1}
`
)

// tree writes scenario files under a temporary directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, doc := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(doc), 0o644))
	}
	return dir
}

func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunOutcomes(t *testing.T) {
	dir := tree(t, map[string]string{"scm/a.yaml": passing, "scm/c.yaml": win7Only})
	code, out, errOut := run("run", dir)
	assert.Equal(t, ExitOK, code, errOut)
	assert.Equal(t, "ok   scm/a (2 steps)\n"+
		"skip scm/c: profile win8 is not among the scenario's profiles (win7)\n"+
		"1 passed, 0 failed, 1 skipped\n", out)

	code, out, _ = run("run", "-profile", "win7", dir)
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "ok   scm/a (2 steps)\nok   scm/c (1 steps)\n2 passed, 0 failed, 0 skipped\n", out)
}

func TestRunFailure(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": failing})
	code, out, _ := run("run", dir)
	assert.Equal(t, ExitFailed, code)
	assert.Equal(t, "ok   a (2 steps)\n"+
		"FAIL b\n"+filepath.Join(dir, "b.yaml")+":5:5: OpenSCManager(SC_MANAGER_ALL_ACCESS): got ERROR_SUCCESS (0), want ERROR_ACCESS_DENIED (5)\n"+
		"1 passed, 1 failed, 0 skipped\n", out)
}

func TestRunInvalidScenario(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "d.yaml": invalid})
	code, out, errOut := run("run", dir)
	assert.Equal(t, ExitInvalid, code)
	assert.Equal(t, "ok   a (2 steps)\ninvalid d\n1 passed, 0 failed, 0 skipped, 1 invalid\n", out)
	assert.Equal(t, filepath.Join(dir, "d.yaml")+`:5:5: unknown step kind "SleepExx" (did you mean SleepEx?)`+"\n", errOut)
}

func TestRunFlags(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": failing})

	code, out, _ := run("run", "-run", "^a$", dir)
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "ok   a (2 steps)\n1 passed, 0 failed, 0 skipped\n", out)

	code, out, _ = run("run", "-v", "-run", "a", filepath.Join(dir, "a.yaml"))
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "ok   "+strings.TrimSuffix(filepath.ToSlash(filepath.Join(dir, "a.yaml")), ".yaml")+" (2 steps)\n")
	assert.Contains(t, out, "OpenSCManager(NULL, NULL, SC_MANAGER_ALL_ACCESS)")
}

func TestUsageErrors(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"frob"}, `unknown command "frob"`},
		{"bad flag", []string{"run", "-bogus", dir}, "flag provided but not defined: -bogus"},
		{"nonexistent path", []string{"run", filepath.Join(dir, "nope")}, "no such file or directory"},
		{"empty directory", []string{"run", t.TempDir()}, "no scenarios (*.yaml, *.yml) under"},
		{"unknown backend", []string{"run", "-backend", "frob", dir}, `unknown backend "frob"`},
		{"record with unknown backend", []string{"record", "-backend", "frob", dir}, `unknown backend "frob"`},
		{"record with unknown profile", []string{"record", "-backend", "model", "-profile", "win9", dir}, `unknown profile "win9"`},
		{"unknown profile", []string{"run", "-profile", "win9", dir}, `unknown profile "win9"`},
		{"bad regexp", []string{"run", "-run", "(", dir}, "-run: error parsing regexp"},
		{"validate nonexistent path", []string{"validate", filepath.Join(dir, "nope")}, "no such file or directory"},
		{"unknown help topic", []string{"help", "frob"}, `unknown help topic "frob"`},
		{"catalog with arguments", []string{"catalog", "x"}, "catalog takes no arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(tc.args...)
			assert.Equal(t, ExitInvalid, code)
			assert.Contains(t, errOut, tc.msg)
		})
	}
}

func TestValidate(t *testing.T) {
	good := tree(t, map[string]string{"a.yaml": passing, "b.yaml": failing})
	code, out, errOut := run("validate", good)
	assert.Equal(t, ExitOK, code, errOut)
	assert.Equal(t, "2 valid, 0 invalid\n", out)

	bad := tree(t, map[string]string{"a.yaml": passing, "d.yaml": invalid, "e.yaml": "version: 1\nsteps: [\n"})
	code, out, errOut = run("validate", bad)
	assert.Equal(t, ExitInvalid, code)
	assert.Equal(t, "1 valid, 2 invalid\n", out)
	assert.Equal(t, filepath.Join(bad, "d.yaml")+`:5:5: unknown step kind "SleepExx" (did you mean SleepEx?)`+"\n"+
		filepath.Join(bad, "e.yaml")+":2: not valid YAML near line 2: did not find expected node content; line 2 reads \"steps: [\"\n", errOut)
}

func TestHelpAndCatalog(t *testing.T) {
	code, out, _ := run("help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "simrun run [flags] [paths...]")

	code, out, _ = run("help", "steps")
	assert.Equal(t, ExitOK, code)
	for _, kind := range []string{"SleepEx", "NotifyServiceStatusChange", "callbacks", "violations", "program", "exit_thread"} {
		assert.Contains(t, out, "\n  "+kind, kind)
	}

	code, out, _ = run("help", "markdown")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "### NotifyServiceStatusChange")

	code, out, _ = run("catalog")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "kernel.wait.alertable-sleep\t")

	assert.Contains(t, out, "\nscm.marked-for-delete-checked\twin8=true win7=true wine-8.0=false\tdocumented: ")
	assert.Contains(t, out, "\nhive.open.zero-access-denied\twin8=true win7=true wine-8.0=false\tobserved: dlls/ntdll/tests/reg.c:377")
	assert.True(t, strings.HasSuffix(out, "\n"+evidenceSummary()+"\n"), "the catalog ends with the evidence counts")

	code, out, _ = run("catalog", "-json")
	assert.Equal(t, ExitOK, code)
	var cat struct {
		Rules    []struct{ ID, Status, Source string }
		Settings []struct {
			ID       string
			Evidence struct{ Class, Ref, Contradicts string }
			Values   map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cat))
	require.NotEmpty(t, cat.Rules)
	for _, r := range cat.Rules {
		assert.NotEmpty(t, r.Source, r.ID)
	}
	require.Len(t, cat.Settings, len(scenario.Settings()))
	for _, s := range cat.Settings {
		assert.NotEmpty(t, s.Evidence.Class, s.ID)
		assert.NotEmpty(t, s.Evidence.Ref, s.ID)
		assert.NotEmpty(t, s.Values["win8"], s.ID)
	}
}

// TestREADMEEvidenceCounts keeps the README's evidence counts equal to the
// settings' declared evidence: a setting added, or its class changed,
// without the README following fails here.
func TestREADMEEvidenceCounts(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "README.md"))
	require.NoError(t, err)
	_, rest, found := strings.Cut(string(data), "<!-- evidence counts -->\n")
	require.True(t, found, "README.md lacks the evidence counts block")
	got, _, found := strings.Cut(rest, "\n<!-- end -->")
	require.True(t, found, "README.md: the evidence counts block is not closed")
	assert.Equal(t, evidenceSummary(), got)
}

// TestREADMEAgreementSummaries keeps the README's Wine agreement figures
// equal to the committed snapshots the Wine leg gates on: the block holds
// the last line of each family's snapshot, in the order of `simrun
// families`, so a snapshot updated without the README (or the reverse)
// fails here. A family without a snapshot yet (a new one, before its first
// `.ci/wine update`) has no line; the Wine leg fails on the missing
// snapshot.
func TestREADMEAgreementSummaries(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..")
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, rest, found := strings.Cut(string(data), "<!-- agreement summaries: the last line of each snapshot in docs/agreement/wine-8.0 -->\n```\n")
	require.True(t, found, "README.md lacks the agreement summaries block")
	got, _, found := strings.Cut(rest, "```\n<!-- end of agreement summaries -->")
	require.True(t, found, "README.md: the agreement summaries block is not closed")
	var want strings.Builder
	for _, f := range scenario.Families() {
		snap, err := os.ReadFile(filepath.Join(root, "docs", "agreement", "wine-8.0", f.Table+".txt"))
		if errors.Is(err, fs.ErrNotExist) {
			t.Logf("family %s has no agreement snapshot yet", f.Name)
			continue
		}
		require.NoError(t, err)
		lines := strings.Split(strings.TrimRight(string(snap), "\n"), "\n")
		fmt.Fprintf(&want, "%s: %s\n", f.Title, lines[len(lines)-1])
	}
	assert.Equal(t, want.String(), got, "README.md's agreement summaries differ from docs/agreement/wine-8.0: copy each snapshot's last line")
}
