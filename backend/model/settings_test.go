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
const wineSourceEnv = "WINSIM_WINE_SRC"

// TestSettingsStateEvidence: every setting of every family states the
// evidence of its win8 side, well formed; with the Wine sources at hand,
// every cited line exists and is an ok(). A todo_wine line records what
// Windows returns as well as any other (todo_wine only excuses Wine's
// failure), but it also says that Wine differs: a setting whose observed
// evidence is such a line must declare a wine-8.0 value of its own.
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
				todo, err := checkWineLine(root, l)
				if !assert.NoError(t, err, "setting %s", s.ID) || !todo || ref != observedRef(s.Evidence) {
					continue
				}
				assert.NotEqual(t, s.Values["win8"], s.Values["wine-8.0"],
					"setting %s rests on %s, a todo_wine line (Wine fails it), but declares the same value for wine-8.0 as for win8", s.ID, ref)
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

// checkWineLine checks that l names an ok() line of the sources under root,
// and reports whether it is under todo_wine: on its line, in the statement
// before it, or in a todo_wine { ... } block around it.
func checkWineLine(root string, l sim.TestLine) (todo bool, err error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(l.Path)))
	if err != nil {
		return false, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return false, err
	}
	if l.Line > len(lines) {
		return false, fmt.Errorf("%s has %d lines, not %d", l.Path, len(lines), l.Line)
	}
	text := lines[l.Line-1]
	if !okCallRE.MatchString(text) {
		return false, fmt.Errorf("%s is not an ok() line: %q", l, strings.TrimSpace(text))
	}
	if todoWineRE.MatchString(text) {
		return true, nil
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
			return true, nil
		}
		if depth < 0 {
			// The line opening the block around l: is it todo_wine's?
			opener := prev
			if opener == "{" && i > 0 {
				opener = strings.TrimSpace(lines[i-1])
			}
			if todoWineRE.MatchString(opener) {
				return true, nil
			}
			depth = 0
		}
	}
	return false, nil
}

// TestCheckWineLine proves the source check can fail and tells todo_wine
// lines apart: it refuses a line that is no ok() and a line past the end,
// and reports a todo_wine statement or block around an ok().
func TestCheckWineLine(t *testing.T) {
	dir := t.TempDir()
	src := "static void test(void)\n{\n    ok(a, \"x\");\n    todo_wine ok(b, \"x\");\n    todo_wine\n    ok(c, \"x\");\n    todo_wine\n    {\n    x = 1;\n    ok(d, \"x\");\n    }\n    if (e)\n    {\n        ok(f, \"x\");\n    }\n}\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "dlls"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dlls", "t.c"), []byte(src), 0o644))
	tests := []struct {
		line int
		todo bool
		err  string // "" for an ok() line
	}{
		{line: 3},
		{line: 4, todo: true},
		{line: 6, todo: true},
		{line: 9, err: "not an ok() line"},
		{line: 10, todo: true},
		{line: 14},
		{line: 99, err: "has 16 lines"},
	}
	for _, tc := range tests {
		todo, err := checkWineLine(dir, sim.TestLine{Path: "dlls/t.c", Line: tc.line})
		if tc.err != "" {
			if assert.Error(t, err, "line %d", tc.line) {
				assert.Contains(t, err.Error(), tc.err, "line %d", tc.line)
			}
			continue
		}
		assert.NoError(t, err, "line %d", tc.line)
		assert.Equal(t, tc.todo, todo, "line %d: todo_wine", tc.line)
	}
}
