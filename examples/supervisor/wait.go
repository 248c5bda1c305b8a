package supervisor

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/winsim/winsim/examples/supervisor/internal/winapi/mgr"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/windows"
)

// notifyCallback is the PFN_SC_NOTIFY_CALLBACK of every registration. It
// does nothing: the SCM fills the registration's SERVICE_NOTIFY before it
// queues the call, and the waiting goroutine reads its own buffer when its
// alertable sleep returns. Made once: callbacks are never freed.
var notifyCallback = sync.OnceValue(func() uintptr {
	return windows.NewCallback(func(notify uintptr) uintptr { return 0 })
})

// notifyGrace is how long a wait lets a notification come after it read
// the state it waits for: the SCM sends it from another process, and a
// loaded machine may take a while.
const notifyGrace = 10 * time.Second

// notifyMask is the SERVICE_NOTIFY_* bit of a service state.
func notifyMask(state uint32) uint32 { return 1 << (state - 1) }

// await waits until the service is in state want, or has stopped. It
// registers for a notification of either (NotifyServiceStatusChange, on a
// handle of its own) and sleeps alertably, at most Config.Poll at a time:
// the registration's APC ends the sleep as the state changes, and the
// notification is what ends the wait. Between sleeps it reads the status,
// to see the checkpoint move (a state change is notified, progress within
// a pending state is not), and gives up with ErrNoProgress when the
// service is in a pending state and neither state nor checkpoint changed
// for longer than the wait hint, and with
// ErrNotNotified when the state it waits for was read but not notified
// within notifyGrace. When stop is closed it returns the status read at once,
// with cut true.
//
// The goroutine stays on one OS thread while it waits: APCs run on the
// thread that registered, and only during its alertable waits.
func (s *Supervisor) await(svcH *mgr.Service, want uint32, stop <-chan struct{}) (st windows.SERVICE_STATUS, cut bool, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// A handle for the registration alone: closing it withdraws a
	// registration that has not fired when the wait ends, so that no
	// registration outlives the wait.
	notifyH, err := s.m.OpenService(svcH.Name)
	if err != nil {
		return st, false, fmt.Errorf("supervisor: opening %s: %w", svcH.Name, err)
	}
	defer func() {
		notifyH.Close()
		// Run the no-op callback of a notification queued before the
		// close, here, rather than in some later alertable wait.
		windows.SleepEx(0, true)
	}()

	mask := notifyMask(want) | windows.SERVICE_NOTIFY_STOPPED
	var pending *windows.SERVICE_NOTIFY // the registration not yet fired
	var last windows.SERVICE_STATUS
	lastChange := time.Now()
	for first := true; ; first = false {
		if err := windows.QueryServiceStatus(notifyH.Handle, &st); err != nil {
			return st, false, fmt.Errorf("supervisor: querying %s: %w", svcH.Name, err)
		}
		if first || st.CurrentState != last.CurrentState || st.CheckPoint != last.CheckPoint {
			s.event(Event{Kind: EventStatus, State: st.CurrentState, CheckPoint: st.CheckPoint, WaitHint: st.WaitHint})
			last, lastChange = st, time.Now()
		}
		select {
		case <-stop:
			return st, true, nil
		default:
		}
		stalled := time.Since(lastChange)
		if reached := st.CurrentState == want || st.CurrentState == windows.SERVICE_STOPPED; reached && stalled > notifyGrace {
			return st, false, fmt.Errorf("supervisor: %s: %w: %s for %v", svcH.Name, ErrNotNotified, stateName(st.CurrentState), stalled.Round(time.Millisecond))
		} else if !reached && isPending(st.CurrentState) && stalled > s.waitHint(st) {
			return st, false, fmt.Errorf("supervisor: %s: %w: %s at checkpoint %d for %v (wait hint %d ms)",
				svcH.Name, ErrNoProgress, stateName(st.CurrentState), st.CheckPoint, stalled.Round(time.Millisecond), st.WaitHint)
		}
		if pending == nil {
			// One shot: register again after every notification, each time
			// with a fresh buffer. A service already in a state of the mask
			// is notified at once.
			pending = &windows.SERVICE_NOTIFY{Version: windows.SERVICE_NOTIFY_STATUS_CHANGE, NotifyCallback: notifyCallback()}
			s.buffers = append(s.buffers, pending)
			if err := windows.NotifyServiceStatusChange(notifyH.Handle, mask, pending); err != nil {
				if errors.Is(err, windows.ERROR_SERVICE_MARKED_FOR_DELETE) {
					return st, false, fmt.Errorf("supervisor: %s: %w", svcH.Name, ErrDeleted)
				}
				return st, false, fmt.Errorf("supervisor: registering for %s's notifications: %w", svcH.Name, err)
			}
		}
		if windows.SleepEx(uint32(s.cfg.Poll/time.Millisecond), true) != windows.WAIT_IO_COMPLETION || pending.NotificationTriggered == 0 {
			continue
		}
		n := pending
		pending = nil
		if n.NotificationStatus == uint32(windows.ERROR_SERVICE_MARKED_FOR_DELETE) {
			return st, false, fmt.Errorf("supervisor: %s: %w", svcH.Name, ErrDeleted)
		}
		s.event(Event{Kind: EventNotified, State: n.ServiceStatus.CurrentState, CheckPoint: n.ServiceStatus.CheckPoint, WaitHint: n.ServiceStatus.WaitHint})
		if state := n.ServiceStatus.CurrentState; state == want || state == windows.SERVICE_STOPPED {
			return windows.SERVICE_STATUS{
				ServiceType: n.ServiceStatus.ServiceType, CurrentState: state, ControlsAccepted: n.ServiceStatus.ControlsAccepted,
				Win32ExitCode: n.ServiceStatus.Win32ExitCode, ServiceSpecificExitCode: n.ServiceStatus.ServiceSpecificExitCode,
				CheckPoint: n.ServiceStatus.CheckPoint, WaitHint: n.ServiceStatus.WaitHint,
			}, false, nil
		}
	}
}

// isPending says whether a state is one of the pending states, in which the
// service is to make progress; in the others (running, paused) it may stay
// as long as it likes.
func isPending(state uint32) bool {
	switch state {
	case windows.SERVICE_START_PENDING, windows.SERVICE_STOP_PENDING, windows.SERVICE_CONTINUE_PENDING, windows.SERVICE_PAUSE_PENDING:
		return true
	}
	return false
}

// waitHint is how long a wait lets the service stay as st without
// progress: its wait hint, at least Config.MinWaitHint.
func (s *Supervisor) waitHint(st windows.SERVICE_STATUS) time.Duration {
	return max(time.Duration(st.WaitHint)*time.Millisecond, s.cfg.MinWaitHint)
}
