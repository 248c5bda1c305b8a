package supervisor

import "fmt"

// EventKind says what an Event reports.
type EventKind int

// The kinds of Event.
const (
	// EventStatus: a wait saw the service's status change (its state or
	// its checkpoint), by a notification or by a query.
	EventStatus EventKind = iota
	// EventNotified: a NotifyServiceStatusChange registration fired.
	EventNotified
	// EventStopSent: SERVICE_CONTROL_STOP was sent and taken.
	EventStopSent
	// EventStopDeferred: the service could not take the stop while it
	// started (Err says why); it is sent once the service runs.
	EventStopDeferred
	// EventAlreadyRunning: StartService found the service running.
	EventAlreadyRunning
	// EventRecorded: the state was written to the registry and flushed.
	EventRecorded
)

// Event is one thing a Supervisor saw or did, for Config.OnEvent.
type Event struct {
	Kind EventKind
	// State, CheckPoint and WaitHint are the service's status, where the
	// kind has one (SERVICE_RUNNING is 4, SERVICE_START_PENDING 2).
	State, CheckPoint, WaitHint uint32
	// Err is the refusal of an EventStopDeferred.
	Err error
	// Recorded is the state an EventRecorded wrote.
	Recorded string
}

// String describes the event in one line.
func (e Event) String() string {
	switch e.Kind {
	case EventStatus:
		return fmt.Sprintf("status: %s, checkpoint %d, wait hint %d ms", stateName(e.State), e.CheckPoint, e.WaitHint)
	case EventNotified:
		return "notified: " + stateName(e.State)
	case EventStopSent:
		return "stop sent in " + stateName(e.State)
	case EventStopDeferred:
		return fmt.Sprintf("stop deferred in %s: %v", stateName(e.State), e.Err)
	case EventAlreadyRunning:
		return "already running"
	case EventRecorded:
		return "recorded: " + e.Recorded
	}
	return fmt.Sprintf("event %d", int(e.Kind))
}

// stateName names a service state as the SDK does.
func stateName(state uint32) string {
	names := [...]string{1: "SERVICE_STOPPED", "SERVICE_START_PENDING", "SERVICE_STOP_PENDING", "SERVICE_RUNNING",
		"SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED"}
	if state < uint32(len(names)) && names[state] != "" {
		return names[state]
	}
	return fmt.Sprintf("state %d", state)
}
