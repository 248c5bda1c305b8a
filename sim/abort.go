package sim

import "fmt"

// AbortError reports a call that, under the machine's profile, never returns
// to its caller because it ends the calling process (an unimplemented Wine
// stub, for example). A model returns it instead of a status code, so that
// nothing downstream mistakes the call for one that returned.
type AbortError struct {
	// API is the function that was called.
	API string
	// Process is the process that the call ends.
	Process string
	// Reason says why the call aborts under this profile.
	Reason string
}

func (e *AbortError) Error() string {
	return fmt.Sprintf("%s aborts process %s: %s", e.API, e.Process, e.Reason)
}

// abort records in the trace that t's process ends inside api and returns the
// error describing it. Callers hold the lock.
func (m *Machine) abort(t *Thread, api, reason string) *AbortError {
	e := &AbortError{API: api, Process: t.Proc.Name, Reason: reason}
	m.tracef(t, EvProcess, "abort in %s: %s", api, reason)
	return e
}
