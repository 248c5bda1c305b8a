package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordModel records a scenario against the model under wine-8.0: the
// table shows its verdict and calls, and the file written replays under that
// profile.
func TestRecordModel(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	out := t.TempDir()
	code, stdout, stderr := run("record", "-backend", "model", "-profile", "wine-8.0", "-o", out, dir)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "agreement of the model (profile wine-8.0) (backend model, profile wine-8.0) with the model; baseline win8\n")
	assert.Contains(t, stdout, "\na                                          agree              2/2\n")
	assert.Contains(t, stdout, "\n1 agree, 0 partial, 0 declared deviation, 0 disagree, 0 skipped; 2 of 2 calls compared\n")
	data, err := os.ReadFile(filepath.Join(out, "a.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "recorded: the model (profile wine-8.0)")
	assert.Contains(t, string(data), "profiles: [wine-8.0]")
	code, stdout, stderr = run("run", "-profile", "wine-8.0", out)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "1 passed, 0 failed, 0 skipped\n")
}

// notifyRegister registers a key change notification, a call that the
// model declines under wine-8.0 (it ends the process there), then makes two
// more calls.
const notifyRegister = `version: 1
description: register for key changes
covers: [ksp.notify.register]
steps:
  - NCryptOpenStorageProvider: {}
    as: prov
  - NCryptNotifyChangeKey: {provider: prov, flags: NCRYPT_REGISTER_NOTIFY_FLAG}
    as: ev
  - CloseHandle: {handle: ev}
  - NCryptFreeObject: {handle: prov}
`

// TestRecordTable: -table writes the table without details, one row per
// scenario with its verdict and calls; a run declined part-way is partial,
// and the summary counts it apart from agreement.
func TestRecordTable(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": notifyRegister})
	table := filepath.Join(t.TempDir(), "table.txt")
	code, stdout, stderr := run("record", "-backend", "model", "-profile", "wine-8.0", "-table", table, dir)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "\nb                                          partial            1/4  declined after 1 of 4 calls, at ")
	data, err := os.ReadFile(table)
	require.NoError(t, err)
	assert.Equal(t, `# simrun record: agreement with the model under wine-8.0 (baseline win8)
# scenario, verdict, calls compared of the scenario's calls
a                                          agree              2/2
b                                          partial            1/4
1 agree, 1 partial, 0 declared deviation, 0 disagree, 0 skipped; 3 of 6 calls compared
`, string(data))
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
