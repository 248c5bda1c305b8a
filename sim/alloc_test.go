package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSteadyStateAllocatesNothing: with the trace off, the kernel's calls
// in steady state allocate nothing: a profile check, queueing and delivering
// APCs (the queue's storage is reused), signaling an event, waiting on it,
// and a sleep. Counted with testing.AllocsPerRun, which measures no time.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	m := MustNewMachine(Options{Profile: "win7", NoTrace: true})
	th := m.NewProcess("app.exe").NewThread("main")
	ev := th.CreateEvent(false, false)
	var apcs [4]APC
	for i := range apcs {
		apcs[i] = APC{Name: "apc", Run: func(*Thread) {}}
	}
	tests := []struct {
		name string
		run  func()
	}{
		{"Setting.In", func() { settingDuplicateWaitAllRejected.In(m.Profile()) }},
		{"queue and deliver APCs", func() {
			m.head.Mu.Lock()
			for i := range apcs {
				apcs[i].cancelled = false
				th.queueAPC(&apcs[i])
			}
			m.head.Mu.Unlock()
			th.SleepEx(0, true)
		}},
		{"SetEvent", func() { th.SetEvent(ev) }},
		{"SetEvent and wait", func() {
			th.SetEvent(ev)
			th.WaitForSingleObjectEx(ev, 0, false)
		}},
		{"SleepEx", func() { th.SleepEx(0, true) }},
		{"ResetEvent", func() { th.ResetEvent(ev) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run() // the first run may size the queue
			assert.Zero(t, testing.AllocsPerRun(100, tt.run))
		})
	}
}
