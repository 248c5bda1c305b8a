package cli

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

// TestFamilies: `simrun families` lists every registered family with its
// scenarios directory, table and title, the bundled ones in the order the
// Wine leg has always recorded them; the directories are exactly those
// under scenarios/.
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
	entries, err := os.ReadDir(filepath.Join(root, DefaultPath))
	require.NoError(t, err)
	var dirs, listed []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, DefaultPath+"/"+e.Name())
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		listed = append(listed, strings.Split(line, "\t")[1])
	}
	slices.Sort(listed)
	assert.Equal(t, dirs, listed, "every directory of bundled scenarios belongs to one family")
	assert.Len(t, listed, len(scenario.Families()))

	code, _, errOut := run("families", "x")
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, errOut, "takes no arguments")
}
