package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diagramsDoc is the page that embeds the generated diagrams.
var diagramsDoc = filepath.Join("..", "..", "..", "..", "docs", "diagrams.md")

const (
	diagramsBegin = "<!-- BEGIN simrun diagram -format markdown (generated: do not edit) -->\n"
	diagramsEnd   = "<!-- END simrun diagram -->\n"
)

// diagramsBlock is what docs/diagrams.md embeds between its markers.
func diagramsBlock(t *testing.T) string {
	t.Helper()
	code, out, errOut := run("diagram", "-format", "markdown")
	require.Equal(t, ExitOK, code, errOut)
	return diagramsBegin + "\n" + out + "\n" + diagramsEnd
}

// docDiagramsBlock returns the generated block of docs/diagrams.md, with
// its markers; ok is false when the page has none.
func docDiagramsBlock(doc string) (block string, ok bool) {
	begin, end := strings.Index(doc, diagramsBegin), strings.Index(doc, diagramsEnd)
	if begin < 0 || end < begin {
		return "", false
	}
	return doc[begin : end+len(diagramsEnd)], true
}

// TestDocDiagrams fails when docs/diagrams.md embeds other diagrams than
// the models give now: a model change that moves an edge shows here.
func TestDocDiagrams(t *testing.T) {
	data, err := os.ReadFile(diagramsDoc)
	require.NoError(t, err)
	doc := string(data)
	got, ok := docDiagramsBlock(doc)
	require.True(t, ok, "docs/diagrams.md has no generated block (%q ... %q)", diagramsBegin, diagramsEnd)
	want := diagramsBlock(t)
	if got == want {
		return
	}
	if *updateDocs {
		require.NoError(t, os.WriteFile(diagramsDoc, []byte(strings.Replace(doc, got, want, 1)), 0o644))
		return
	}
	t.Errorf("docs/diagrams.md embeds stale diagrams; regenerate its block with\n"+
		"  go test ./cmd/simrun/internal/cli -run TestDocDiagrams -update\n"+
		"(the block is the output of `go run ./cmd/simrun diagram -format markdown`), then check the prose that cites them.\n%s",
		firstDifference(got, want))
}

// firstDifference shows the first line where two texts differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d of the block:\n stated: %s\n    now: %s", i+1, gl, wl)
		}
	}
	return ""
}

func TestDiagramCmd(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // in stdout
		not  []string
	}{
		{"a family", []string{"diagram", "scm"}, []string{
			"%% scm-service: SCM, service states (win8)\nstateDiagram-v2\n",
			"%% scm-delete: SCM, a service deleted (win8)\n",
			"%% scm-notify: SCM, a notification registration (win8)\n",
			"    s_SERVICE_START_PENDING --> s_SERVICE_RUNNING : SetServiceStatus(SERVICE_RUNNING): ERROR_SUCCESS\n",
			"    s_SERVICE_RUNNING --> s_SERVICE_RUNNING : StartService: ERROR_SERVICE_ALREADY_RUNNING (1056)\n",
			"ControlService(SERVICE_CONTROL_PAUSE): ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061)",
			"ControlService(SERVICE_CONTROL_STOP): ERROR_SERVICE_NOT_ACTIVE (1062)",
		}, []string{"csp-context"}},
		{"a diagram, any case", []string{"diagram", "SCM-Notify"}, []string{"%% scm-notify:"}, []string{"%% scm-service:"}},
		{"dot, flags after the name", []string{"diagram", "csp", "-format", "dot"}, []string{`digraph "csp-context" {`, "    __start -> s_no_context;\n"}, []string{"stateDiagram-v2"}},
		{"another profile", []string{"diagram", "-profile", "wine-8.0", "scm-delete"}, []string{
			"(wine-8.0)", "s_SERVICE_STOPPED_marked_for_delete --> s_SERVICE_START_PENDING_marked_for_delete : StartService: ERROR_SUCCESS",
		}, nil},
		{"every diagram", []string{"diagram"}, []string{"%% csp-context:", "%% registry-value:", "%% scm-service:", "%% scm-delete:", "%% scm-notify:"}, nil},
		{"help", []string{"diagram", "-h"}, []string{"simrun diagram [-format mermaid|dot|markdown]"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(tt.args...)
			require.Equal(t, ExitOK, code, errOut)
			assert.Empty(t, errOut)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, out, n)
			}
		})
	}
}

func TestDiagramCmdErrors(t *testing.T) {
	const lists = "; families: csp, registry, scm; diagrams: csp-context, registry-value, scm-service, scm-delete, scm-notify\n"
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"typo", []string{"diagram", "scn"}, `simrun: diagram: "scn" is no family with state diagrams, nor a diagram (did you mean scm?)` + lists},
		{"typo of a diagram", []string{"diagram", "scm-notfy"}, `simrun: diagram: "scm-notfy" is no family with state diagrams, nor a diagram (did you mean scm-notify?)` + lists},
		{"family without diagrams", []string{"diagram", "ksp"}, `simrun: diagram: the family ksp has no state diagram` + lists},
		{"nothing like it", []string{"diagram", "zzzzzzzz"}, `simrun: diagram: "zzzzzzzz" is no family with state diagrams, nor a diagram` + lists},
		{"format", []string{"diagram", "-format", "svg", "scm"}, "simrun: diagram: -format \"svg\": want mermaid, dot, markdown\n"},
		{"profile", []string{"diagram", "-profile", "win9", "scm"}, "simrun: unknown profile \"win9\" (known: win8, win7, wine-8.0)\n"},
		{"flag", []string{"diagram", "-depth", "3"}, "flag provided but not defined: -depth\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(tt.args...)
			assert.Equal(t, ExitInvalid, code)
			assert.Empty(t, out)
			if strings.HasPrefix(tt.msg, "simrun:") {
				assert.Equal(t, tt.msg, errOut)
			} else {
				assert.Contains(t, errOut, tt.msg)
			}
		})
	}
}

// TestDiagramFormatsAgree: the Markdown sections carry the same Mermaid as
// the plain output.
func TestDiagramFormatsAgree(t *testing.T) {
	_, plain, _ := run("diagram", "registry")
	_, md, _ := run("diagram", "-format", "markdown", "registry")
	body := plain[strings.Index(plain, "\n")+1:]
	assert.Contains(t, md, "```mermaid\n"+body+"```\n")
	assert.True(t, strings.HasPrefix(md, "## Registry: a value's durability\n\n"), md)
}
