package supervisor

import (
	"flag"
	"io"
	"time"

	"github.com/winsim/winsim/examples/supervisor/internal/winapi/svc"
)

// Worker is the service program the example supervises: an svc.Handler,
// run by svc.Run. Its start is slow on purpose, as a service's start is
// when it loads its data or waits for a dependency: it polls until it is
// ready, reporting SERVICE_START_PENDING with a growing checkpoint at each
// poll, then runs until it is stopped.
//
// How it behaves comes from the arguments StartService gives it
// (Execute's args after the service's name), so that one program serves
// every case:
//
//	-start-after D      be ready after D (0: at once)
//	-checkpoint-every D poll (and report progress) every D (default 100ms)
//	-wait-hint D        the wait hint it reports while pending (default 2s)
//	-never-running      never get ready: report SERVICE_START_PENDING once,
//	                    with no progress after it, and give up (stop, exit
//	                    code ERROR_SERVICE_REQUEST_TIMEOUT, 1053) after
//	                    -give-up-after D (default 10s)
//	-exit-after D       once running, stop by itself after D, with the
//	                    service-specific exit code 3 (0: run until stopped)
//
// Until it runs it accepts no control: the SCM answers a stop sent then
// with ERROR_INVALID_SERVICE_CONTROL (a stop that reaches it anyway, as at
// shutdown, ends it). Running, it accepts stop and shutdown. A closed
// request channel (its process ended) ends it too.
type Worker struct{}

// Exit codes of a Worker: ERROR_SERVICE_REQUEST_TIMEOUT when it gave up
// starting, and its service-specific code when it stopped by itself
// (-exit-after).
const (
	errServiceRequestTimeout = 1053
	workerExitCode           = 3
)

// workerOptions are a Worker's arguments.
type workerOptions struct {
	startAfter, checkpointEvery, waitHint, giveUpAfter, exitAfter time.Duration
	neverRunning                                                  bool
}

func parseWorkerArgs(args []string) (workerOptions, error) {
	var o workerOptions
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.DurationVar(&o.startAfter, "start-after", 0, "")
	fs.DurationVar(&o.checkpointEvery, "checkpoint-every", 100*time.Millisecond, "")
	fs.DurationVar(&o.waitHint, "wait-hint", 2*time.Second, "")
	fs.DurationVar(&o.giveUpAfter, "give-up-after", 10*time.Second, "")
	fs.DurationVar(&o.exitAfter, "exit-after", 0, "")
	fs.BoolVar(&o.neverRunning, "never-running", false, "")
	if len(args) > 0 {
		args = args[1:] // the service's name
	}
	return o, fs.Parse(args)
}

// Execute runs the service: see Worker.
func (Worker) Execute(args []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (svcSpecificEC bool, exitCode uint32) {
	o, err := parseWorkerArgs(args)
	if err != nil {
		return true, 2
	}
	hint := uint32(o.waitHint / time.Millisecond)
	s <- svc.Status{State: svc.StartPending, WaitHint: hint}
	switch o.start(r, s, hint) {
	case startGaveUp:
		return false, errServiceRequestTimeout
	case startStopped:
		return false, 0
	}
	s <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	var exit <-chan time.Time
	if o.exitAfter > 0 {
		exit = time.After(o.exitAfter)
	}
	for {
		select {
		case <-exit:
			return true, workerExitCode
		case c, ok := <-r:
			if !ok {
				return false, 0
			}
			switch c.Cmd {
			case svc.Interrogate:
				s <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				s <- svc.Status{State: svc.StopPending, WaitHint: hint}
				return false, 0
			}
		}
	}
}

// How a Worker's start ended.
const (
	startReady   = iota // it is ready to run
	startGaveUp         // -never-running: it gave up
	startStopped        // it was told to stop (at shutdown, the SCM sends STOP whatever a service accepts)
)

// start polls until the worker is ready, reporting progress, and says how
// it ended.
func (o workerOptions) start(r <-chan svc.ChangeRequest, s chan<- svc.Status, hint uint32) int {
	poll := time.NewTicker(o.checkpointEvery)
	defer poll.Stop()
	var ready, giveUp <-chan time.Time
	if o.neverRunning {
		giveUp = time.After(o.giveUpAfter)
	} else {
		ready = time.After(o.startAfter)
	}
	for checkPoint := uint32(1); ; {
		select {
		case <-ready:
			return startReady
		case <-giveUp:
			return startGaveUp
		case <-poll.C:
			if !o.neverRunning {
				s <- svc.Status{State: svc.StartPending, CheckPoint: checkPoint, WaitHint: hint}
				checkPoint++
			}
		case c, ok := <-r:
			switch {
			case !ok || c.Cmd == svc.Stop || c.Cmd == svc.Shutdown:
				return startStopped
			case c.Cmd == svc.Interrogate:
				s <- c.CurrentStatus
			}
		}
	}
}
