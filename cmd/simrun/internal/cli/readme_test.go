package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMEBadYAML: the README's bad.yaml, run as the README shows it,
// prints what the README says, in that order, and exits with its status.
func TestREADMEBadYAML(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(data)
	const (
		fileStart = "Given this `bad.yaml`:\n\n```yaml\n"
		command   = "$ ./simrun run bad.yaml; echo \"exit $?\"\n"
	)
	_, rest, found := strings.Cut(readme, fileStart)
	require.True(t, found, "README.md does not show bad.yaml (%q)", fileStart)
	file, rest, found := strings.Cut(rest, "```\n")
	require.True(t, found)
	_, rest, found = strings.Cut(rest, "```\n"+command)
	require.True(t, found, "README.md does not run bad.yaml (%q)", command)
	shown, _, found := strings.Cut(rest, "```\n")
	require.True(t, found)

	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("bad.yaml", []byte(file), 0o644))
	var out bytes.Buffer // stdout and stderr in the order they are written, as a terminal shows them
	code := Main([]string{"run", "bad.yaml"}, &out, &out)
	assert.Equal(t, shown, out.String()+fmt.Sprintf("exit %d\n", code))
}
