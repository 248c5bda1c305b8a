package model

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
)

// wineSourceEnv names the environment variable that points at a Wine 8.0
// source tree (the root, holding dlls/). When it is set, the cited lines
// are checked against the sources.
const wineSourceEnv = "WINSIM_WINE_SOURCE"

// TestSettingsStateEvidence: every setting of every family states the
// evidence of its win8 side, well formed; with the Wine sources at hand,
// every cited line exists and is an ok() not under todo_wine.
func TestSettingsStateEvidence(t *testing.T) {
	root := os.Getenv(wineSourceEnv)
	if root == "" {
		t.Logf("%s not set: the cited Wine lines are checked for form only", wineSourceEnv)
	}
	settings := Settings()
	require.NotEmpty(t, settings)
	seen := map[string]bool{}
	for _, s := range settings {
		t.Run(s.ID, func(t *testing.T) {
			assert.False(t, seen[s.ID], "setting declared twice")
			seen[s.ID] = true
			require.NoError(t, s.Evidence.Check(), "setting %s", s.ID)
			if root == "" {
				return
			}
			for _, ref := range []string{observedRef(s.Evidence), s.Evidence.Contradicts} {
				if ref == "" {
					continue
				}
				l, err := sim.ParseTestLine(ref)
				require.NoError(t, err)
				assert.NoError(t, checkWineLine(root, l), "setting %s", s.ID)
			}
		})
	}
}

func observedRef(e sim.Evidence) string {
	if e.Class == sim.Observed {
		return e.Ref
	}
	return ""
}

var (
	okCallRE   = regexp.MustCompile(`\bok\s*\(`)
	todoWineRE = regexp.MustCompile(`\btodo_wine(_if\s*\(.*\))?\b`)
)

// checkWineLine reports whether l names an ok() line of the sources under
// root that is not under todo_wine: not on its line, not in the statement
// before it, and not in a todo_wine { ... } block around it.
func checkWineLine(root string, l sim.TestLine) error {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(l.Path)))
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if l.Line > len(lines) {
		return fmt.Errorf("%s has %d lines, not %d", l.Path, len(lines), l.Line)
	}
	text := lines[l.Line-1]
	if !okCallRE.MatchString(text) {
		return fmt.Errorf("%s is not an ok() line: %q", l, strings.TrimSpace(text))
	}
	if todoWineRE.MatchString(text) {
		return fmt.Errorf("%s is under todo_wine", l)
	}
	// Walk back to the start of the function: a todo_wine guarding the
	// statement, or opening a block the line is inside, marks it.
	depth := 0
	for i := l.Line - 2; i >= 0; i-- {
		prev := strings.TrimSpace(lines[i])
		if strings.HasPrefix(lines[i], "{") || strings.HasPrefix(lines[i], "static ") {
			break
		}
		depth += strings.Count(prev, "}") - strings.Count(prev, "{")
		if i == l.Line-2 && todoWineRE.MatchString(prev) && !strings.HasSuffix(prev, ";") {
			return fmt.Errorf("%s is under todo_wine (line %d)", l, i+1)
		}
		if depth < 0 {
			// The line opening the block around l: is it todo_wine's?
			opener := prev
			if opener == "{" && i > 0 {
				opener = strings.TrimSpace(lines[i-1])
			}
			if todoWineRE.MatchString(opener) {
				return fmt.Errorf("%s is inside a todo_wine block (line %d)", l, i+1)
			}
			depth = 0
		}
	}
	return nil
}

// TestCheckWineLine proves the source check can fail: it refuses a line
// that is no ok(), one under a todo_wine statement or block, and a line
// past the end.
func TestCheckWineLine(t *testing.T) {
	dir := t.TempDir()
	src := "static void test(void)\n{\n    ok(a, \"x\");\n    todo_wine ok(b, \"x\");\n    todo_wine\n    ok(c, \"x\");\n    todo_wine\n    {\n    x = 1;\n    ok(d, \"x\");\n    }\n    if (e)\n    {\n        ok(f, \"x\");\n    }\n}\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "dlls"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dlls", "t.c"), []byte(src), 0o644))
	tests := []struct {
		line int
		want string // "" for an accepted line
	}{
		{3, ""},
		{4, "under todo_wine"},
		{6, "under todo_wine (line 5)"},
		{9, "not an ok() line"},
		{10, "inside a todo_wine block (line 8)"},
		{14, ""},
		{99, "has 16 lines"},
	}
	for _, tc := range tests {
		err := checkWineLine(dir, sim.TestLine{Path: "dlls/t.c", Line: tc.line})
		if tc.want == "" {
			assert.NoError(t, err, "line %d", tc.line)
		} else if assert.Error(t, err, "line %d", tc.line) {
			assert.Contains(t, err.Error(), tc.want, "line %d", tc.line)
		}
	}
}
