package mgr_test

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/winsim/winsim/windows/svc"
	"github.com/winsim/winsim/windows/svc/mgr"
	"github.com/winsim/winsim/windows/winsimtest"
)

// agent is a service that takes 30 seconds to start.
type agent struct{}

func (agent) Execute(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
	s <- svc.Status{State: svc.StartPending, WaitHint: 40000}
	time.Sleep(30 * time.Second) // loading
	s <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop}
	for c := range r {
		if c.Cmd == svc.Stop {
			s <- svc.Status{State: svc.StopPending}
			return false, 0
		}
	}
	return false, 0
}

// agentStarts is a test of code that installs a service, starts it and
// waits for it to run, printing what it sees with println.
func agentStarts(t *testing.T, println func(...any)) {
	synctest.Test(t, func(t *testing.T) {
		m := winsimtest.Use(t, winsimtest.Options{})
		m.SetServiceProgram(`C:\agent.exe`, func([]string) { svc.Run("agent", agent{}) })

		sm, _ := mgr.Connect()
		s, _ := sm.CreateService("agent", `C:\agent.exe`, mgr.Config{})
		s.Start()
		st, _ := s.Query()
		println(st.State == svc.StartPending)
		time.Sleep(30 * time.Second)
		synctest.Wait() // the service's report due now comes first
		st, _ = s.Query()
		println(st.State == svc.Running)
		_, err := s.Control(svc.Pause)
		println(err)
	})
}

// A test of code that installs a service, starts it and waits for it to
// run: the service's own handler runs on the SCM model, and its 30-second
// start passes on the bubble's clock in no real time. The example is
// compiled, not run: an example has no *testing.T to make a bubble with;
// TestExampleAgent runs it and checks what it prints.
func Example() {
	testAgentStarts := func(t *testing.T) {
		agentStarts(t, func(a ...any) { fmt.Println(a...) })
		// Prints: true
		// true
		// The requested control is not valid for this service.
	}
	_ = testAgentStarts
}

// TestExampleAgent runs Example's test and checks what it prints.
func TestExampleAgent(t *testing.T) {
	var got []string
	agentStarts(t, func(a ...any) { got = append(got, fmt.Sprint(a...)) })
	want := []string{"true", "true", "The requested control is not valid for this service."}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Example prints %q, want %q", got, want)
	}
}
