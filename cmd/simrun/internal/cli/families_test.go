package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

// TestFamilies: `simrun families` lists every registered family with its
// scenarios directory, table and title, the bundled ones in the order the
// Wine leg has always recorded them; each directory holds scenarios.
func TestFamilies(t *testing.T) {
	code, out, _ := run("families")
	require.Equal(t, ExitOK, code)
	var bundled []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if slices.Contains([]string{"scm", "csp", "registry", "ksp", "kernel"}, strings.Split(line, "\t")[0]) {
			bundled = append(bundled, line)
		}
	}
	assert.Equal(t, []string{
		"scm\tscenarios/scm\tscm\tSCM",
		"csp\tscenarios/csp\tcryptoapi\tCryptoAPI",
		"registry\tscenarios/hive\tregistry\tregistry",
		"ksp\tscenarios/ksp\tncrypt\tNCrypt",
		"kernel\tscenarios/kernel\tkernel\tkernel",
	}, bundled)

	root := filepath.Join("..", "..", "..", "..")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Len(t, lines, len(scenario.Families()))
	for _, line := range lines {
		dir := strings.Split(line, "\t")[1]
		yamls, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), "*.yaml"))
		require.NoError(t, err)
		assert.NotEmpty(t, yamls, "%s: no bundled scenarios", dir)
	}

	code, _, errOut := run("families", "x")
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, errOut, "takes no arguments")
}
