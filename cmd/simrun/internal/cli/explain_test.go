package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

func TestExplainCode(t *testing.T) {
	dir := tree(t, map[string]string{"scm/a.yaml": passing})
	for _, arg := range []string{"NTE_BAD_FLAGS", "0x80090009", "2148073481", "-2146893815"} {
		code, out, errOut := run("explain", "-dir", dir, arg)
		require.Equal(t, ExitOK, code, errOut)
		assert.True(t, strings.HasPrefix(out, "NTE_BAD_FLAGS: HRESULT 2148073481 (0x80090009), a failure\n"), arg+": "+out)
		assert.Contains(t, out, "source: the Windows SDK (winerror.h)")
		assert.Contains(t, out, "step kinds whose want: takes HRESULT codes: ")
		assert.Contains(t, out, "CryptCreateHash")
		assert.NotContains(t, out, "OpenSCManager", "OpenSCManager's want: takes no HRESULT")
		// Every rule whose statement names the code, from the catalog.
		for _, r := range scenario.Catalog().Rules() {
			if strings.Contains(r.Statement, "NTE_BAD_FLAGS") {
				assert.Contains(t, out, "    "+r.ID+" ("+string(r.Status)+"): ")
			}
		}
	}
	code, out, _ := run("explain", "-dir", dir, "STATUS_ACCESS_DENIED")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "source: the Windows SDK (ntstatus.h)")
	assert.Contains(t, out, "takes NTSTATUS codes: NtClose,")
}

// TestExplainAmbiguous: a number that names a code in several kinds lists
// each kind.
func TestExplainAmbiguous(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	code, out, _ := run("explain", "-dir", dir, "0")
	assert.Equal(t, ExitOK, code)
	var want []string
	for _, k := range []sim.Kind{sim.KindWin32, sim.KindNTStatus, sim.KindHResult} {
		if c := (sim.Code{Kind: k}); c.Name() != "" {
			want = append(want, c.Name())
			assert.Contains(t, out, fmt.Sprintf("%s: %s 0 (0x00000000), a success\n", c.Name(), k))
		}
	}
	require.Greater(t, len(want), 1)
	assert.True(t, strings.HasPrefix(out, fmt.Sprintf("0 (0x00000000) is %d codes, one per kind:\n", len(want))), out)
}

func TestExplainRule(t *testing.T) {
	dir := tree(t, map[string]string{"kernel/a.yaml": passing, "kernel/b.yml": passing})
	code, out, _ := run("explain", "kernel.wait.alertable-sleep", "-dir", dir)
	assert.Equal(t, ExitOK, code)
	r, ok := scenario.Catalog().Lookup("kernel.wait.alertable-sleep")
	require.True(t, ok)
	assert.Equal(t, fmt.Sprintf("%s (%s): %s\n  source: %s\n  covered by: kernel/a, kernel/b\n", r.ID, r.Status, r.Statement, r.Source), out)
}

func TestExplainSetting(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	for _, s := range scenario.Settings() {
		code, out, _ := run("explain", "-dir", dir, s.ID)
		assert.Equal(t, ExitOK, code)
		if _, isRule := scenario.Catalog().Lookup(s.ID); isRule {
			_, out, _ = strings.Cut(out, "\n\n")
		}
		assert.True(t, strings.HasPrefix(out, s.ID+": profile setting\n  "+s.Reason+"\n  source: "+s.Source+"\n  evidence of the win8 value: "+s.Evidence.String()+"\n"), out)
		for _, r := range scenario.Catalog().Rules() {
			if r.DecidedBy == s.ID {
				assert.Contains(t, out, "    "+r.ID+" (")
			}
		}
	}
}

func TestExplainUnknown(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	for _, tc := range []struct{ arg, msg string }{
		{"ERROR_ACESS_DENIED", `simrun: explain: "ERROR_ACESS_DENIED" is no status code, rule id or setting (did you mean ERROR_ACCESS_DENIED?)` + "\n"},
		{"kernel.wait.alertable-slep", `simrun: explain: "kernel.wait.alertable-slep" is no status code, rule id or setting (did you mean kernel.wait.alertable-sleep?)` + "\n"},
		{"0x12345678", "simrun: explain: no status code has the value 0x12345678 in any kind (Win32, NTSTATUS, HRESULT)\n"},
	} {
		code, out, errOut := run("explain", "-dir", dir, tc.arg)
		assert.Equal(t, ExitInvalid, code)
		assert.Empty(t, out)
		assert.Equal(t, tc.msg, errOut)
	}
	code, _, errOut := run("explain")
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, errOut, "explain takes one NAME or VALUE")
}
