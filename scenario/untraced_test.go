package scenario

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUntracedRunsKeepNoTrace: with Options.Untraced, a scenario without a
// golden trace runs with the backend's trace off and returns none; one
// with a golden trace keeps it and is compared with it; without the option
// every run keeps its trace.
func TestUntracedRunsKeepNoTrace(t *testing.T) {
	plain := filepath.Join("..", "scenarios", "kernel", "wait-alertable-sleep.yaml")
	golden := filepath.Join("..", "scenarios", "hive", "crash-during-flush-old.yaml")
	tests := []struct {
		name      string
		path      string
		untraced  bool
		wantTrace bool
	}{
		{"plain, untraced", plain, true, false},
		{"plain, traced", plain, false, true},
		{"golden, untraced", golden, true, true},
		{"golden, traced", golden, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, res, err := RunFile(tt.path, newModel, nil, Options{Untraced: tt.untraced})
			require.NoError(t, err)
			require.Equal(t, Passed, res.Outcome, res.Message)
			require.Equal(t, tt.path == golden, s.Golden)
			assert.Equal(t, tt.wantTrace, len(res.Trace) > 0)
		})
	}
}
