package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordModel records a scenario against the model under wine-8.0, where
// the scenario's documented behavior differs: the table shows the declared
// deviation, and the file written replays under that profile.
func TestRecordModel(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	out := t.TempDir()
	code, stdout, stderr := run("record", "-backend", "model", "-profile", "wine-8.0", "-o", out, dir)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "agreement of the model (profile wine-8.0) (backend model, profile wine-8.0) with the model; baseline win8\n")
	assert.Contains(t, stdout, "0 disagree, 0 skipped\n")
	data, err := os.ReadFile(filepath.Join(out, "a.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "recorded: the model (profile wine-8.0)")
	assert.Contains(t, string(data), "profiles: [wine-8.0]")
	code, stdout, stderr = run("run", "-profile", "wine-8.0", out)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "1 passed, 0 failed, 0 skipped\n")
}

// TestRecordUnwritableOutput: an -o under a regular file cannot be made;
// record says so and exits 2 before recording anything, and a recording
// that cannot be written (its directory is a file) fails the run.
func TestRecordUnwritableOutput(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "sub/b.yaml": passing})
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	code, stdout, stderr := run("record", "-backend", "model", "-o", filepath.Join(file, "out"), dir)
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, stderr, "simrun: -o: ")
	assert.Contains(t, stderr, file)
	assert.Empty(t, stdout)

	out := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(out, "sub"), nil, 0o644))
	code, _, stderr = run("record", "-backend", "model", "-o", out, dir)
	assert.Equal(t, ExitFailed, code)
	assert.Contains(t, stderr, "simrun: ")
	assert.Contains(t, stderr, filepath.Join(out, "sub"))
}

// TestWindowsBackendElsewhere: off Windows, -backend windows says where it
// runs.
func TestWindowsBackendElsewhere(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the windows backend is available here")
	}
	dir := tree(t, map[string]string{"a.yaml": passing})
	for _, cmd := range []string{"run", "record"} {
		code, _, stderr := run(cmd, "-backend", "windows", dir)
		assert.Equal(t, ExitInvalid, code)
		assert.Contains(t, stderr, "runs only in a Windows build of simrun")
	}
}
