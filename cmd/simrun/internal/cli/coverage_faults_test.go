//go:build winsim_faults

package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

// TestCoverageProvenBundled: the fault build proves every bundled claim and
// says per id whether a scenario asserts it.
func TestCoverageProvenBundled(t *testing.T) {
	code, out, errOut := run("coverage", "../../../../scenarios")
	require.Equal(t, ExitOK, code, errOut)
	for _, want := range []string{
		"scm.notify.immediate\tmodeled\tasserted by: scm/notify-immediate, scm/notify-wine-test-sequence; ",
		"scm.notify.client-lagging\tmodel-choice\tasserted by: scm/notify-client-lagging; ",
		"kernel.wait.deadlock\tmodel-choice\tdocumented by: kernel/wait-deadlock; ",
		"scm.start.logon-failed\tfault-injection\tasserted by: scm/start-fault-logon-failed\n",
		"scm.notify.thread-set-context\tout-of-scope\tout of scope: ",
	} {
		assert.Contains(t, out, want)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, len(scenario.Catalog().Rules())+1, "one line per catalog id and a summary")
	assert.Contains(t, lines[len(lines)-1], " 0 not asserted; ")
	assert.Contains(t, lines[len(lines)-1], ", 0 problems")
}

// TestCoverageProvenClaims: a claim the scenario does not back fails the
// run, naming the id and the file.
func TestCoverageProvenClaims(t *testing.T) {
	for _, tc := range []struct {
		name, covers, want string
		from               string // a bundled scenario whose covers: line is replaced, "" for passing's
	}{
		{"modeled id not noticed", "covers: [scm.notify.client-lagging]", "scm.notify.client-lagging (model-choice): the scenario does not notice it", ""},
		{"modeled switch not noticed", "covers: [scm.notify.immediate]", "scm.notify.immediate (modeled): the scenario does not notice it: with switch scm.notify.immediate armed it passes", ""},
		{"model choice no setting decides", "covers: [kernel.wait.deadlock]", "kernel.wait.deadlock (model-choice): no profile setting decides this model choice", ""},
		{"fault injection without inject", "covers: [scm.start.logon-failed]", "scm.start.logon-failed (fault-injection): the scenario has no inject: step", ""},
		{"out of scope", "covers: [scm.notify.thread-set-context]", "scm.notify.thread-set-context (out-of-scope): out of scope", ""},
		{"documented but asserted", "documents: [scm.notify.client-lagging]", "scm.notify.client-lagging (model-choice): documented, but the scenario asserts it (with scm.notify.lagging-bound = 15 under win8: ", "scm/notify-client-lagging.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(passing, "covers: [kernel.wait.alertable-sleep]", tc.covers, 1)
			if tc.from != "" {
				data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "scenarios", tc.from))
				require.NoError(t, err)
				doc = regexp.MustCompile(`(?m)^covers: .*$`).ReplaceAllString(string(data), tc.covers)
			}
			dir := tree(t, map[string]string{"k/a.yaml": doc})
			code, out, errOut := run("coverage", dir)
			assert.Equal(t, ExitFailed, code)
			assert.Contains(t, errOut, filepath.Join(dir, "k", "a.yaml")+": "+tc.want)
			_, list, _ := strings.Cut(tc.covers, ": ")
			id := strings.Trim(list, "[]")
			assert.Contains(t, out, id+"\t", "the id has its line")
			assert.Regexp(t, "(?m)^"+regexp.QuoteMeta(id)+"\t.*claim not holding in: k/a", out)
			assert.NotContains(t, out, id+"\t"+"modeled\tasserted")
		})
	}
}
