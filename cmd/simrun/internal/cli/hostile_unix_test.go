//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostileFiles: paths that are not regular scenario files are refused
// with exit 2 and a message naming the path after "simrun:", by validate
// and run alike. Nothing here can hang: the type of each path is checked
// before it is opened, and a FIFO is opened non-blocking in any case.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	require.NoError(t, syscall.Mkfifo(at("fifo.yaml"), 0o600))
	require.NoError(t, os.Symlink("/dev/zero", at("zero.yaml")))
	require.NoError(t, os.Symlink("nowhere.yaml", at("dangling.yaml")))
	require.NoError(t, os.Symlink("loop.yaml", at("loop.yaml")))
	require.NoError(t, os.Mkdir(at("dir.yaml"), 0o755))
	require.NoError(t, os.Symlink("dir.yaml", at("dirlink.yaml")))
	require.NoError(t, os.WriteFile(at("big.yaml"), []byte(passing), 0o644))
	require.NoError(t, os.WriteFile(at("new\nline.yaml"), []byte(passing), 0o644))

	for _, tc := range []struct {
		path string
		args []string
		code int
		msg  string // stderr, with DIR for the directory
	}{
		{"fifo.yaml", nil, ExitInvalid, "simrun: DIR/fifo.yaml: not a regular file (a named pipe)\n"},
		{"zero.yaml", nil, ExitInvalid, "simrun: DIR/zero.yaml: not a regular file (a character device)\n"},
		{"dangling.yaml", nil, ExitInvalid, "simrun: DIR/dangling.yaml: no such file or directory (a dangling symlink to nowhere.yaml)\n"},
		{"loop.yaml", nil, ExitInvalid, "simrun: DIR/loop.yaml: too many levels of symbolic links (a symlink loop?)\n"},
		{"dirlink.yaml", nil, ExitInvalid, "simrun: DIR/dirlink.yaml: not a regular file (a directory)\n"},
		{"dir.yaml", nil, ExitInvalid, "simrun: no scenarios (*.yaml, *.yml) under DIR/dir.yaml\n"},
		{"big.yaml", []string{"-max-size", "100"}, ExitInvalid, "simrun: DIR/big.yaml: file too large: 195 bytes, more than the limit of 100 (-max-size)\n"},
		{"big.yaml", []string{"-max-size", "195"}, ExitOK, ""},
	} {
		for _, cmd := range []string{"validate", "run"} {
			args := append([]string{cmd, at(tc.path)}, tc.args...)
			code, _, errOut := run(args...)
			assert.Equal(t, tc.code, code, "%s %s", cmd, tc.path)
			assert.Equal(t, tc.msg, strings.ReplaceAll(errOut, dir, "DIR"), "%s %s", cmd, tc.path)
		}
	}

	// The whole directory: every bad file reported, one line each; the
	// scenario whose name holds a newline is quoted on its line.
	code, out, errOut := run("run", dir)
	assert.Equal(t, ExitInvalid, code)
	assert.Equal(t, "ok   big (2 steps)\n"+
		"invalid dangling\n"+
		"invalid dirlink\n"+
		"invalid fifo\n"+
		"invalid loop\n"+
		"ok   \"new\\nline\" (2 steps)\n"+
		"invalid zero\n"+
		"2 passed, 0 failed, 0 skipped, 5 invalid\n", out)
	assert.Equal(t, 5, strings.Count(errOut, "\n"), errOut)
	code, out, _ = run("validate", dir)
	assert.Equal(t, ExitInvalid, code)
	assert.Equal(t, "2 valid, 5 invalid\n", out)
}
