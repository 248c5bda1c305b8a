package scm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/win32"
)

// TestSteadyStateAllocations: with the trace off, the SCM's calls allocate
// only what outlives them: a notify cycle its registration and the
// callback's routine, an open the handle's object. Counted with
// testing.AllocsPerRun, which measures no time.
func TestSteadyStateAllocations(t *testing.T) {
	w := newWorld(t, 1)
	c := newCycler(t, w)
	name := win32.Str("svc0")
	tests := []struct {
		name string
		want float64
		run  func()
	}{
		{"NotifyServiceStatusChange+SetServiceStatus+SleepEx", 2, c.cycle},
		{"OpenService+CloseServiceHandle", 1, func() {
			h, _ := w.mg.OpenService(w.t, w.scm, name, win32.SERVICE_QUERY_STATUS)
			w.mg.CloseServiceHandle(w.t, h)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run()
			assert.Equal(t, tt.want, testing.AllocsPerRun(100, tt.run))
		})
	}
}
