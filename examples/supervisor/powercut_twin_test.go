//go:build !windows || winsim

package supervisor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/examples/supervisor"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/windows"
)

// explicitFlushWrites is the registry model's declared setting
// hive.flush.explicit-writes under profile: whether RegFlushKey writes the
// hive to disk (true on Windows; Wine 8.0's flush writes nothing, and the
// server saves the registry every 30 s).
func explicitFlushWrites(t *testing.T, profile string) bool {
	for _, s := range hive.Settings() {
		if s.ID == "hive.flush.explicit-writes" {
			return s.Values[profile] == "true"
		}
	}
	t.Fatal("the registry model declares no setting hive.flush.explicit-writes")
	return false
}

// A power cut between two of the supervisor's registry writes, on the
// models only (a real power cut is not a test step): after "stopping" is
// recorded and before "stopped" is. The supervisor's key handle is gone
// with the power, so its next write fails; a supervisor started after
// the cut reads the last record it flushed, whole. Under wine-8.0 the
// declared setting hive.flush.explicit-writes says that RegFlushKey
// writes nothing, and no periodic save has run 3 s into the run: nothing
// survives.
func TestPowerCutBetweenWrites(t *testing.T) {
	runCase(t, func(t *testing.T, e *env) {
		var seen events
		cut := false
		cfg := e.config("power-cut", "-start-after", "3s")
		cfg.OnEvent = func(ev supervisor.Event) {
			seen.add(ev)
			if ev.Kind == supervisor.EventRecorded && ev.Recorded == supervisor.StateStopping && !cut {
				cut = true
				e.m.PowerCut()
			}
		}
		s, err := supervisor.Open(cfg)
		require.NoError(t, err)
		require.NoError(t, s.Install())
		require.NoError(t, s.Start(), "events:%v", seen)

		err = s.Stop()
		require.True(t, cut, "no power cut; events:%v", seen)
		require.ErrorIs(t, err, windows.ERROR_INVALID_HANDLE, "the write after the cut")
		assert.ErrorIs(t, s.Close(), windows.ERROR_INVALID_HANDLE, "its state key went with the power")

		// The machine is back: a supervisor started now reads what survived.
		after, err := supervisor.Open(cfg)
		require.NoError(t, err)
		t.Cleanup(func() {
			assert.NoError(t, after.Uninstall())
			assert.NoError(t, after.Close())
		})
		rec, err := after.State()
		require.NoError(t, err)
		want := supervisor.Record{State: supervisor.StateStopping, Starts: 1}
		if !explicitFlushWrites(t, e.m.Profile()) {
			want = supervisor.Record{}
		}
		assert.Equal(t, want, rec, "events:%v", seen)
	})
}
