package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTraceLimit: with a limit, the trace keeps the last events in order
// and counts the ones it let go; without one it keeps all; StopTrace ends
// the trace and drops what it held.
func TestTraceLimit(t *testing.T) {
	texts := func(evs []TraceEvent) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Text)
		}
		return out
	}
	tests := []struct {
		name        string
		limit, n    int
		want        []string
		wantDropped int
	}{
		{"no limit", 0, 5, []string{"e0", "e1", "e2", "e3", "e4"}, 0},
		{"under the limit", 8, 3, []string{"e0", "e1", "e2"}, 0},
		{"at the limit", 3, 3, []string{"e0", "e1", "e2"}, 0},
		{"past the limit", 3, 5, []string{"e2", "e3", "e4"}, 2},
		{"round twice", 2, 7, []string{"e5", "e6"}, 5},
		{"negative is no limit", -1, 3, []string{"e0", "e1", "e2"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustNewMachine(Options{TraceLimit: tt.limit})
			m.head.Mu.Lock()
			for i := range tt.n {
				m.record(nil, EvNote, fmt.Sprintf("e%d", i))
			}
			m.head.Mu.Unlock()
			assert.Equal(t, tt.want, texts(m.Trace()))
			assert.Equal(t, tt.wantDropped, m.TraceDropped())
			assert.Equal(t, len(tt.want), m.TraceLen())
		})
	}
	t.Run("StopTrace", func(t *testing.T) {
		m := MustNewMachine(Options{})
		th := m.NewProcess("app.exe").NewThread("main")
		m.StopTrace()
		assert.False(t, m.Tracing())
		th.SleepEx(10, false)
		assert.Empty(t, m.Trace())
	})
}
