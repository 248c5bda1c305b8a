package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateDocs = flag.Bool("update", false, "rewrite the generated blocks of the docs (docs/conformance.md's counts, docs/diagrams.md)")

// countsDoc is the document whose counts `simrun catalog -counts` writes.
var countsDoc = filepath.Join("..", "..", "..", "..", "docs", "conformance.md")

// TestDocCounts fails when the counts docs/conformance.md states are not
// the ones the catalog and the conformance suite hold now.
func TestDocCounts(t *testing.T) {
	data, err := os.ReadFile(countsDoc)
	require.NoError(t, err)
	doc := string(data)
	begin, end := strings.Index(doc, countsBegin), strings.Index(doc, countsEnd)
	require.True(t, begin >= 0 && end > begin, "docs/conformance.md has no generated counts block (%s ... %s)", countsBegin, countsEnd)
	var want bytes.Buffer
	writeCounts(&want)
	got := doc[begin : end+len(countsEnd)+1]
	if got == want.String() {
		return
	}
	if *updateDocs {
		require.NoError(t, os.WriteFile(countsDoc, []byte(doc[:begin]+want.String()+doc[end+len(countsEnd)+1:]), 0o644))
		return
	}
	t.Errorf("docs/conformance.md states stale counts; regenerate its block with\n"+
		"  go test ./cmd/simrun/internal/cli -run TestDocCounts -update\n"+
		"(the block is the output of `go run ./cmd/simrun catalog -counts`), then fix the prose that cites it.\n"+
		"stated:\n%s\nnow:\n%s", got, want.String())
}

// TestCatalogCounts: simrun catalog -counts prints the block.
func TestCatalogCounts(t *testing.T) {
	code, stdout, stderr := run("catalog", "-counts")
	require.Equal(t, ExitOK, code, stderr)
	var want bytes.Buffer
	writeCounts(&want)
	require.Equal(t, want.String(), stdout)
}
