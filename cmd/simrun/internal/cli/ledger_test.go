package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/evidence"
)

func TestLedgerCommand(t *testing.T) {
	t.Setenv(evidence.SourceEnv, "")
	entries, err := evidence.Parse(evidence.LedgerPath, evidence.Ledger)
	require.NoError(t, err)

	// A tree holding the covered files, empty: no site, so check reports
	// every ledger line as no longer a site.
	empty := t.TempDir()
	for _, f := range evidence.Files {
		p := filepath.Join(empty, f)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("static void f(void) {}\n"), 0o644))
	}

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"counts by default", []string{"ledger"}, ExitOK, evidence.CountsTable(entries), ""},
		{"counts", []string{"ledger", "counts"}, ExitOK, evidence.CountsTable(entries), ""},
		{"check needs the sources", []string{"ledger", "check"}, ExitInvalid, "", "needs the Wine 8.0 sources"},
		{"unknown action", []string{"ledger", "tally"}, ExitInvalid, "", `unknown action "tally"`},
		{"missing tree", []string{"ledger", "check", "-src", filepath.Join(empty, "nowhere")}, ExitInvalid, "", "no such file"},
		{"stray argument", []string{"ledger", "counts", "x"}, ExitInvalid, "", "takes no arguments"},
		{"check against an empty tree", []string{"ledger", "check", "-src", empty}, ExitFailed, "not an in-scope site of the sources", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(tc.args, &out, &errb)
			assert.Equal(t, tc.code, code, errb.String())
			if tc.code == ExitOK {
				assert.Equal(t, tc.stdout, out.String())
			} else if tc.stdout != "" {
				assert.Contains(t, out.String(), tc.stdout)
			}
			assert.Contains(t, errb.String(), tc.stderr)
		})
	}
}
