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
// scenarios directory, table and title, in the order the Wine leg records
// them; the directories are exactly those under scenarios/.
func TestFamilies(t *testing.T) {
	code, out, _ := run("families")
	require.Equal(t, ExitOK, code)
	assert.Equal(t, "scm\tscenarios/scm\tscm\tSCM\n"+
		"csp\tscenarios/csp\tcryptoapi\tCryptoAPI\n"+
		"registry\tscenarios/hive\tregistry\tregistry\n"+
		"ksp\tscenarios/ksp\tncrypt\tNCrypt\n"+
		"kernel\tscenarios/kernel\tkernel\tkernel\n", out)

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
