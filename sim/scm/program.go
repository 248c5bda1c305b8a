package scm

import (
	"time"

	"github.com/winsim/winsim/sim"
)

// Report is one SetServiceStatus call a scripted service makes.
type Report struct {
	// After is the delay from the event that started the sequence (the start
	// or the control) to this report.
	After time.Duration
	// State is the new dwCurrentState.
	State uint32
	// Accept is dwControlsAccepted.
	Accept uint32
	// Win32ExitCode and SpecificExitCode are the exit codes reported with it.
	Win32ExitCode    uint32
	SpecificExitCode uint32
	// CheckPoint and WaitHint are reported for pending states.
	CheckPoint uint32
	WaitHint   uint32
}

// Program is the scripted behavior of a service's process, standing in for
// the service's own code. Without a program a started service stays
// START_PENDING until something reports for it.
type Program struct {
	// StartError, when nonzero, makes StartService fail the way the SCM fails
	// when the image cannot run: ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND
	// (missing binary), ERROR_BAD_EXE_FORMAT (not an executable) or
	// ERROR_SERVICE_REQUEST_TIMEOUT (the process never connects its control
	// dispatcher; StartService returns after the 30 s pipe timeout).
	StartError sim.Errno
	// OnStart runs in ServiceMain after StartService returns, each report on
	// the virtual clock at its After.
	OnStart []Report
	// OnControl maps a control code to the handler's reports. Reports with
	// After == 0 are made inside the handler, before ControlService returns;
	// later ones from a worker, on the virtual clock.
	OnControl map[uint32][]Report
}

// TypicalProgram is a well-behaved service: it reports RUNNING after
// startDelay accepting STOP and PAUSE_CONTINUE, and answers STOP, PAUSE and
// CONTINUE with the pending state at once and the final state after
// stepDelay.
func TypicalProgram(startDelay, stepDelay time.Duration) Program {
	accept := SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE
	return Program{
		OnStart: []Report{{After: startDelay, State: SERVICE_RUNNING, Accept: accept}},
		OnControl: map[uint32][]Report{
			SERVICE_CONTROL_STOP: {
				{State: SERVICE_STOP_PENDING, WaitHint: 1000, CheckPoint: 1},
				{After: stepDelay, State: SERVICE_STOPPED},
			},
			SERVICE_CONTROL_PAUSE: {
				{State: SERVICE_PAUSE_PENDING, Accept: accept, WaitHint: 1000, CheckPoint: 1},
				{After: stepDelay, State: SERVICE_PAUSED, Accept: accept},
			},
			SERVICE_CONTROL_CONTINUE: {
				{State: SERVICE_CONTINUE_PENDING, Accept: accept, WaitHint: 1000, CheckPoint: 1},
				{After: stepDelay, State: SERVICE_RUNNING, Accept: accept},
			},
		},
	}
}
