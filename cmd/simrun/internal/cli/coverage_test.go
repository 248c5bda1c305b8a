//go:build !winsim_faults

package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// TestCoverageBundled: a plain build reports coverage by name, and says so
// and how to prove it, never that an id is asserted.
func TestCoverageBundled(t *testing.T) {
	code, out, errOut := run("coverage", "../../../../scenarios")
	require.Equal(t, ExitOK, code, errOut)
	assert.Contains(t, out, "scm.notify.immediate\tmodeled\tscenarios: scm/notify-immediate, scm/notify-wine-test-sequence; properties: TestProperty/SCM; checks: SCM/NotifyImmediate\n")
	assert.Contains(t, out, "kernel.wait.deadlock\tmodel-choice\tdocumented by: kernel/wait-deadlock; ")
	assert.Contains(t, out, "scm.notify.thread-set-context\tout-of-scope\tout of scope: ")
	assert.NotContains(t, strings.ToLower(out), "assert")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, len(scenario.Catalog().Rules())+1, "one line per catalog id and a summary")
	assert.Contains(t, lines[len(lines)-1], "; 0 not covered; covered by name only (a covers: list is a claim, proven by "+proveCommand+")")
}

func TestCoverageMissing(t *testing.T) {
	dir := tree(t, map[string]string{"k/a.yaml": passing})
	code, out, errOut := run("coverage", dir)
	assert.Equal(t, ExitFailed, code)
	assert.Contains(t, out, "kernel.wait.alertable-sleep\tmodeled\tscenarios: k/a; properties: TestProperty/SCM; checks: Kernel/AlertableSleep\n")
	assert.Contains(t, errOut, "catalog ids nothing covers:")
	// Every id that only scenarios name is reported, and nothing else.
	for _, r := range scenario.Catalog().Rules() {
		if r.Status != sim.OutOfScope && strings.Contains(out, r.ID+"\t"+string(r.Status)+"\tNOTHING COVERS IT\n") {
			assert.Contains(t, errOut, "  "+r.ID+"\n")
		}
	}

	code, _, _ = run("coverage", "-nosuchflag")
	assert.Equal(t, ExitInvalid, code)
}
