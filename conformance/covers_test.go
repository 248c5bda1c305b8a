//go:build winsim_faults

package conformance

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

// bundledTargets lists the bundled scenarios as ProveCovers targets.
func bundledTargets(t *testing.T) []CoverTarget {
	root := filepath.Join("..", "scenarios")
	files, err := scenario.Find(root)
	require.NoError(t, err)
	var out []CoverTarget
	for _, f := range files {
		out = append(out, CoverTarget{Path: f, Name: scenario.Name(root, f)})
	}
	return out
}

// TestCoversBundled proves every bundled scenario's covers: list: each id
// it names must make it fail when broken (see ProveCovers), and every
// modeled id must be asserted so by some scenario. Run it with
//
//	go test -tags winsim_faults -run TestCoversBundled -v ./conformance
func TestCoversBundled(t *testing.T) {
	start := time.Now()
	proof, err := ProveCovers(bundledTargets(t), newModel, scenario.NewEnv(scenario.Catalog()))
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, c := range proof.Claims {
		if c.Proven() {
			ids[c.ID] = true
		}
	}
	t.Logf("%d claims, %d ids asserted, %d scenario runs, %v", len(proof.Claims), len(ids), proof.Runs, time.Since(start).Round(time.Millisecond))
	require.Empty(t, proof.Problems, "covers: claims that do not hold:\n%s", strings.Join(proof.Problems, "\n"))
}
