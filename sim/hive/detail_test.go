package hive_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// lastTrace returns the text of the machine's last trace event.
func lastTrace(t *testing.T, m *sim.Machine) string {
	t.Helper()
	events := m.Trace()
	require.NotEmpty(t, events)
	return events[len(events)-1].Text
}

// TestTraceDetails checks the details the trace gives of a call: the full
// path of a deleted key, value data shown in hex up to 16 bytes and not for
// empty data, and predefined keys named only when the handle is one.
func TestTraceDetails(t *testing.T) {
	for _, tc := range []struct {
		name    string
		call    func(f *fixture)
		want    string
		notWant string
	}{
		{"deleted key's full path", func(f *fixture) {
			h := f.create(software+`\Gone`, 0)
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, h))
			for _, e := range f.m.Trace() {
				if strings.Contains(e.Text, " deleted") {
					assert.Contains(t, e.Text, `\SOFTWARE\Gone deleted`)
					return
				}
			}
			t.Error("no deletion in the trace")
		}, "", ""},
		{"16 bytes in hex", func(f *fixture) {
			h := f.create(software+`\Data`, 0)
			data := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtSetValueKey(f.th, h, "v", win32.REG_BINARY, data))
		}, "16 bytes: 000102030405060708090a0b0c0d0e0f", ""},
		{"empty data has no hex", func(f *fixture) {
			h := f.create(software+`\Data`, 0)
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtSetValueKey(f.th, h, "v", win32.REG_BINARY, nil))
		}, "0 bytes", "0 bytes:"},
		{"predefined key named", func(f *fixture) {
			require.Equal(t, sim.ERROR_SUCCESS, f.r.RegFlushKey(f.th, win32.HKEY_LOCAL_MACHINE))
		}, "HKEY_LOCAL_MACHINE", ""},
		{"ordinary handle not named as a predefined key", func(f *fixture) {
			h := f.create(software+`\Plain`, 0)
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
		}, "NtFlushKey(", "HKEY_"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "win8")
			tc.call(f)
			text := lastTrace(t, f.m)
			if tc.want != "" {
				assert.Contains(t, text, tc.want)
			}
			if tc.notWant != "" {
				assert.NotContains(t, text, tc.notWant)
			}
		})
	}
}

// TestParseCrashPolicyRoundTrip: every policy parses back from its name.
func TestParseCrashPolicyRoundTrip(t *testing.T) {
	for _, p := range []win32.CrashPolicy{win32.LoseUnbarriered, win32.KeepUnbarriered, win32.RandomUnbarriered} {
		got, err := win32.ParseCrashPolicy(p.String())
		require.NoError(t, err, p.String())
		assert.Equal(t, p, got)
	}
}

// TestCrashPointWaitsForAFlushThatWrites: an armed crash point is not
// spent by a flush that writes nothing (CrashAt: "the next flush that
// writes anything"); the next flush that writes hits it.
func TestCrashPointWaitsForAFlushThatWrites(t *testing.T) {
	f := newFixture(t, "win8")
	k := f.create(software+`\A`, 0)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, k))
	require.NoError(t, f.r.CrashAt(1, win32.LoseUnbarriered))
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, k), "clean: nothing written")
	f.set(k, "v", 1)
	assert.Equal(t, sim.STATUS_REGISTRY_IO_FAILED, f.r.NtFlushKey(f.th, k))
}

// TestLazyTimerFollowsChanges: the lazy flusher is armed by a change and
// by nothing else, so a flush always comes one interval after the first
// change since the last pass: not after SetLazyFlush on a clean registry,
// not after a pass that left nothing dirty; SetLazyFlush reschedules a
// pending pass with the new interval.
func TestLazyTimerFollowsChanges(t *testing.T) {
	const tHive = `\Registry\Machine\T`
	for _, tc := range []struct {
		name  string
		steps func(f *fixture, k sim.Handle) // leaves one change pending since changedAt
		from  time.Duration                  // the pending change's time
		after time.Duration                  // when it is written
	}{
		{"set interval on a clean registry", func(f *fixture, k sim.Handle) {
			require.NoError(t, f.r.SetLazyFlush(5*time.Second))
			f.m.Advance(2 * time.Second)
			f.set(k, "v", 1)
		}, 2 * time.Second, 7 * time.Second},
		{"second change after a pass", func(f *fixture, k sim.Handle) {
			f.set(k, "v", 1)
			f.m.Advance(5 * time.Second)
			require.Equal(t, uint64(2), f.stats(tHive).Flushes)
			f.m.Advance(2 * time.Second)
			f.set(k, "v", 2)
		}, 7 * time.Second, 12 * time.Second},
		{"new interval replaces a pending pass", func(f *fixture, k sim.Handle) {
			f.set(k, "v", 1)
			require.NoError(t, f.r.SetLazyFlush(time.Minute))
		}, 0, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "win8")
			require.NoError(t, f.r.LoadHive(tHive, 0))
			k := f.create(tHive+`\K`, 0)
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, k))
			tc.steps(f, k)
			before := f.stats(tHive).Flushes
			f.m.Advance(tc.after - tc.from - time.Millisecond)
			assert.Equal(t, before, f.stats(tHive).Flushes, "not yet")
			f.m.Advance(time.Millisecond)
			assert.Equal(t, before+1, f.stats(tHive).Flushes, "written at %s", tc.after)
		})
	}
}
