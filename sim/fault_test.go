package sim

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFaultAPIsMatchFaultPoints holds FaultAPIs to the models' sources: every
// API named at a kernel.TakeFault point is listed, and every listed API has
// a point, so a scenario's inject: step is refused exactly when it could not
// fire.
func TestFaultAPIsMatchFaultPoints(t *testing.T) {
	re := regexp.MustCompile(`TakeFault\([^,]+, "([A-Za-z]+)"\)`)
	points := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			points[string(m[1])] = true
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, points)
	apis := FaultAPIs()
	for p := range points {
		require.Contains(t, apis, p, "a fault point missing from FaultAPIs")
	}
	for a, kinds := range apis {
		require.True(t, points[a], "FaultAPIs lists %s, which no model consults", a)
		require.NotEmpty(t, kinds, a)
	}
}
