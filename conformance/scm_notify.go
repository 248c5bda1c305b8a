package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The notification part of the SCM oracle: NotifyServiceStatusChange, what
// each state change and name event delivers, and the callbacks each
// alertable wait runs.

// notifyState: every pending request whose mask names the new state fires,
// with that state's bit, and sets its handle's re-arm flag; every other
// handle to the service has its flag cleared (the service changed state
// without telling it).
func (e *ksEdit) notifyState(s *oSvc) {
	bit := notifyBit(s.st.state)
	told := map[*scHandle]bool{}
	handles := map[*scHandle]bool{}
	for _, r := range slices.Clone(s.regs) {
		handles[r.h] = true
		switch {
		case r.apc != nil:
			if r.mask&bit != 0 {
				e.assert("scm.notify.one-shot")
			}
		case r.mask&bit != 0:
			e.assert("scm.notify.transition")
			told[r.h] = true
			e.fire(r, sim.ERROR_SUCCESS, bit, s.st, nil)
		default:
			e.assert("scm.notify.unrequested-state")
		}
	}
	if len(told) > 1 {
		e.assert("scm.notify.per-handle")
	}
	for _, h := range e.s.hs {
		if h.kind == hService && !h.closed && h.svc == s {
			h.notified = told[h]
		}
	}
}

// notifyMarked: DeleteService fires pending requests that ask for
// DELETE_PENDING; every other pending request completes with
// dwNotificationStatus ERROR_SERVICE_MARKED_FOR_DELETE (a declared model
// choice), where the profile delivers them at all.
func (e *ksEdit) notifyMarked(s *oSvc) {
	if !e.s.set.deletePending {
		return
	}
	for _, r := range slices.Clone(s.regs) {
		if r.apc != nil {
			continue
		}
		if r.mask&win32.SERVICE_NOTIFY_DELETE_PENDING != 0 {
			e.assert("scm.notify.delete-pending")
			e.fire(r, sim.ERROR_SUCCESS, win32.SERVICE_NOTIFY_DELETE_PENDING, s.st, nil)
		} else {
			e.assert("scm.notify.status-marked")
			e.fire(r, sim.ERROR_SERVICE_MARKED_FOR_DELETE, 0, svcStatus{}, nil)
		}
	}
}

// fire fills the request's buffer and queues its callback to the thread
// that registered. dwNotificationTriggered and pszServiceNames exist in a
// level-2 buffer only (where the profile keeps to the levels); ServiceStatus
// and the rest are valid only with ERROR_SUCCESS.
func (e *ksEdit) fire(r *oReg, status sim.Errno, triggered win32.ServiceNotifyMask, ss svcStatus, names []string) {
	a := &oAPC{reg: r, status: status, svc: r.h.svc}
	if a.svc != nil {
		a.run, a.svcVersion = a.svc.run, a.svc.version
	}
	a.triggerKnown = true
	if status == sim.ERROR_SUCCESS {
		a.ss = ss
		if r.version >= win32.SERVICE_NOTIFY_STATUS_CHANGE || !e.s.set.versionLimitsFields {
			a.triggered, a.names = triggered, names
		}
	}
	e.s.bufs[r.buf]++
	a.write = e.s.bufs[r.buf]
	r.apc = a
	e.s.apcs[r.thread] = append(e.s.apcs[r.thread], a)
}

// publish records a creation or removal for every SCM handle that watches
// the database (it has registered once), in the order they were opened,
// and delivers it where a request is pending. A handle with more
// undelivered events than the declared bound is lagging from then on.
func (e *ksEdit) publish(ev nameEvent) {
	for _, h := range e.s.open(hSCM) {
		if !h.watching || h.lagging {
			continue
		}
		h.backlog = append(h.backlog, ev)
		e.flush(h)
		if len(h.backlog) > e.s.set.laggingBound {
			h.lagging, h.backlog = true, nil
		}
	}
}

// flush delivers an SCM handle's accumulated events to its first pending
// request that asks for any of them: every matching name, in order, in one
// notification; the backlog is then empty.
func (e *ksEdit) flush(h *scHandle) {
	for _, r := range h.regs {
		if r.apc != nil {
			continue
		}
		var names []string
		var trig win32.ServiceNotifyMask
		for _, ev := range h.backlog {
			if r.mask&ev.kind != 0 {
				names = append(names, ev.name)
				trig |= ev.kind
			}
		}
		if len(names) == 0 {
			continue
		}
		if trig&win32.SERVICE_NOTIFY_CREATED != 0 {
			e.assert("scm.notify.created")
		}
		if trig&win32.SERVICE_NOTIFY_DELETED != 0 {
			e.assert("scm.notify.deleted", "scm.notify.deleted-after-handles")
		}
		if len(names) > 1 {
			e.assert("scm.notify.names-accumulate")
		}
		h.backlog = nil
		e.fire(r, sim.ERROR_SUCCESS, trig, svcStatus{}, names)
		return
	}
}

// notifyBufferRejected applies the buffer's rules: a NULL buffer
// (scm.notify.null-buffer) and a dwVersion other than 1 and 2
// (scm.notify.version) fail; a buffer another request still holds is a
// contract violation, not a failure (scm.contract.buffer-reused).
func (e *ksEdit) notifyBufferRejected(a Action) (want sim.Errno, viol []string, rejected bool) {
	args := argsOf[scmArgs](a)
	validVersion := args.version == win32.SERVICE_NOTIFY_STATUS_CHANGE || args.version == win32.SERVICE_NOTIFY_STATUS_CHANGE_1
	switch {
	case args.buffer == "":
		e.assert("scm.notify.null-buffer")
		return sim.ERROR_INVALID_PARAMETER, nil, true
	case !validVersion && e.s.set.versionCheck:
		e.assert("scm.notify.version")
		return sim.ERROR_INVALID_LEVEL, nil, true
	}
	if slices.ContainsFunc(e.s.regs, func(r *oReg) bool { return r.buf == args.buffer }) {
		e.assert("scm.contract.buffer-reused")
		viol = []string{"scm.contract.buffer-reused"}
	}
	return sim.ERROR_SUCCESS, viol, false
}

// notifyOnService predicts a registration on a service handle: access
// (scm.notify.access-service), the database bits in the mask
// (scm.notify.mask-handle-mismatch), a driver service
// (scm.notify.driver-service), the buffer, a service marked for delete
// (scm.notify.marked-for-delete), a second outstanding request
// (scm.notify.second-registration-win7); else the request is registered.
func (e *ksEdit) notifyOnService(a Action, h *scHandle) (sim.Errno, []string) {
	args := argsOf[scmArgs](a)
	set := e.s.set
	switch {
	case !e.checkAccess(h, win32.SERVICE_QUERY_STATUS, "scm.notify.access-service"):
		return sim.ERROR_ACCESS_DENIED, nil
	case set.maskChecked && args.mask&dbBits != 0:
		e.assert("scm.notify.mask-handle-mismatch")
		return sim.ERROR_INVALID_PARAMETER, nil
	case set.driverNotifyRejected && isDriver(h.svc.typ):
		e.assert("scm.notify.driver-service")
		return sim.ERROR_INVALID_PARAMETER, nil
	}
	want, viol, rejected := e.notifyBufferRejected(a)
	switch {
	case rejected:
	case h.svc.marked && set.markedChecks:
		e.assert("scm.notify.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case e.outstandingOn(h) && !set.secondReg:
		e.assert("scm.notify.second-registration-win7")
		want = sim.ERROR_ALREADY_REGISTERED
	default:
		e.registerOnService(a, h)
	}
	return want, viol
}

// registerOnService registers an accepted request on a service handle. A
// request whose mask holds the current state's bit is queued at once, with
// that bit only (scm.notify.immediate, immediate-current-bit), unless the
// handle was already told about the state and no other request is
// outstanding (scm.notify.rearm).
func (e *ksEdit) registerOnService(a Action, h *scHandle) {
	args := argsOf[scmArgs](a)
	s := h.svc
	concurrent := e.outstandingOn(h)
	if concurrent {
		e.assert("scm.notify.second-registration-win8")
	}
	if args.mask&^(stateBits|win32.SERVICE_NOTIFY_DELETE_PENDING) != 0 || args.mask == 0 {
		e.assert("scm.notify.mask-zero")
	}
	reg := e.newReg(h, a.thread(), a)
	s.regs = append(s.regs, reg)
	bit := notifyBit(s.st.state)
	switch {
	case args.mask&bit != 0 && (!h.notified || concurrent):
		e.assert("scm.notify.immediate")
		if args.mask&stateBits != bit {
			e.assert("scm.notify.immediate-current-bit")
		}
		h.notified = true
		e.fire(reg, sim.ERROR_SUCCESS, bit, s.st, nil)
	case args.mask&bit != 0:
		e.assert("scm.notify.rearm")
	}
}

// notifyOnSCM predicts a registration on an SCM handle: access
// (scm.notify.access-scm), whether the profile implements it
// (scm.notify.scm-handle-supported), service-state bits in the mask
// (scm.notify.mask-handle-mismatch), the buffer, a lagging client
// (scm.notify.client-lagging), a second outstanding request
// (scm.notify.second-registration-win7); else the request is registered and
// the handle's backlog delivered.
func (e *ksEdit) notifyOnSCM(a Action, h *scHandle) (sim.Errno, []string) {
	args := argsOf[scmArgs](a)
	set := e.s.set
	switch {
	case !e.checkAccess(h, win32.SC_MANAGER_ENUMERATE_SERVICE, "scm.notify.access-scm"):
		return sim.ERROR_ACCESS_DENIED, nil
	case !set.scmNotify:
		return sim.ERROR_CALL_NOT_IMPLEMENTED, nil
	case args.mask&(stateBits|win32.SERVICE_NOTIFY_DELETE_PENDING) != 0:
		e.assert("scm.notify.mask-handle-mismatch")
		return sim.ERROR_INVALID_PARAMETER, nil
	}
	want, viol, rejected := e.notifyBufferRejected(a)
	switch {
	case rejected:
	case h.lagging:
		e.assert("scm.notify.client-lagging")
		want = sim.ERROR_SERVICE_NOTIFY_CLIENT_LAGGING
	case len(h.regs) > 0 && !set.secondReg:
		e.assert("scm.notify.second-registration-win7")
		want = sim.ERROR_ALREADY_REGISTERED
	default:
		if len(h.regs) > 0 {
			e.assert("scm.notify.second-registration-win8")
		}
		if args.mask&dbBits == 0 {
			e.assert("scm.notify.mask-zero")
		}
		e.newReg(h, a.thread(), a) // flush delivers to the handle's registrations
		h.watching = true
		e.flush(h)
	}
	return want, viol
}

// notifyBuffer returns the SERVICE_NOTIFY the call passes for the action's
// buffer (nil for NULL), made on first use and kept by name (the backend
// holds on to it: handleVars.held). Its pContext points elsewhere, so that
// a callback handed the context instead of the buffer is caught.
func notifyBuffer(a Action, vars handleVars) *win32.SERVICE_NOTIFY {
	args := argsOf[scmArgs](a)
	if args.buffer == "" {
		return nil
	}
	buf := vars.held("SERVICE_NOTIFY "+args.buffer, func() any {
		return &win32.SERVICE_NOTIFY{Context: &win32.SERVICE_NOTIFY{}}
	}).(*win32.SERVICE_NOTIFY)
	buf.Version = args.version
	name := args.buffer
	buf.NotifyCallback = func(n *win32.SERVICE_NOTIFY) {
		// The callback records what it received.
		vars.ran(seenCallback{
			buffer: name, thread: vars.thread(), ptrOK: n == buf,
			status: n.NotificationStatus, triggered: n.NotificationTriggered, ss: n.ServiceStatus,
			names: slices.Clone(n.ServiceNames),
		})
	}
	return buf
}

// outstandingOn reports whether a service handle has a request outstanding
// for the one-request rule: any whose callback has not run, or, where the
// profile forgets a request once it fired, any still waiting for its event.
func (e *ksEdit) outstandingOn(h *scHandle) bool {
	for _, r := range h.regs {
		if r.apc == nil || e.s.set.queuedBlocksSecond {
			return true
		}
	}
	return false
}

func (e *ksEdit) newReg(h *scHandle, th string, a Action) *oReg {
	args := argsOf[scmArgs](a)
	e.s.regSeq++
	r := &oReg{id: e.s.regSeq, h: h, thread: th, buf: args.buffer, mask: args.mask, version: args.version}
	h.regs = append(h.regs, r)
	e.s.regs = append(e.s.regs, r)
	return r
}

// wantCallback is a callback the oracle expects a wait to run: its
// request's buffer and thread, and what the buffer holds (compared only
// when current: the buffer was not written again since).
type wantCallback struct {
	buf, thread  string
	current      bool
	status       sim.Errno
	triggerKnown bool
	triggered    win32.ServiceNotifyMask
	names        []string
	ss           svcStatus
	run          int // the service's run (0 for none): its process id stays
	dead         bool
	withState    bool // the buffer names a service's state
}

// callbacks states what a wait's delivered callbacks must be (the
// scenario's callbacks: step, the comparison) and the queries that then
// cross-check each notification's ServiceStatus with QueryServiceStatusEx
// where the service has not changed since, through any open handle with
// SERVICE_QUERY_STATUS: the status must equal the notification's, process
// id included.
func (e *ksEdit) callbacks(a Action, delivered []*oAPC) (*callbacksWant, []Action) {
	k := argsOf[kernelArgs](a)
	cw := &callbacksWant{n: len(delivered), paced: k.alertable, within: time.Duration(max(k.ms, 1)) * time.Millisecond}
	var want []wantCallback
	items := [][]scenario.Arg{}
	var then []Action
	for _, c := range delivered {
		wc := wantCallback{buf: c.reg.buf, thread: c.reg.thread, current: e.s.bufs[c.reg.buf] == c.write, status: c.status,
			triggerKnown: c.triggerKnown, triggered: c.triggered, names: c.names, ss: c.ss, withState: c.svc != nil}
		if c.run != nil {
			wc.run, wc.dead = c.run.id, c.run.dead
		}
		want = append(want, wc)
		items = append(items, wc.args())
		e.assert("scm.notify.callback-buffer")
		if c.reg.version < win32.SERVICE_NOTIFY_STATUS_CHANGE && e.s.set.versionLimitsFields && c.status == sim.ERROR_SUCCESS && wc.current {
			// The fields a level-1 buffer lacks are compared as left out.
			e.assert("scm.notify.version-1-fields")
		}
		if wc.current {
			e.assert(statusRules(c.ss, c.run, true)...)
		}
		if c.status != sim.ERROR_SUCCESS || c.svc == nil || c.svc.version != c.svcVersion || !wc.current {
			continue
		}
		for _, h := range e.s.hs {
			if isOpen(h, hService) && h.svc == c.svc && h.access&win32.SERVICE_QUERY_STATUS != 0 {
				then = append(then, Action{Op: OpQueryEx, Thread: a.Thread, H: h.name, Args: crossCheck{buf: c.reg.buf, ss: c.ss, run: wc.run}})
				break
			}
		}
	}
	// Before any registration with a named buffer, callbacks: [] could
	// not fail (only those callbacks are observed), and the scenario
	// decoder refuses it.
	if e.s.hasAPI && (len(items) > 0 || e.s.named) {
		cw.step = &scenario.ScriptStep{Kind: "callbacks", Value: items}
	}
	cw.check = func(ran []any, paced bool, same func(key, value string) string) string {
		return checkCallbacks(want, ran, paced, same)
	}
	return cw, then
}

// checkCallbacks compares the callbacks a wait ran with the oracle's.
func checkCallbacks(want []wantCallback, ran []any, paced bool, same func(key, value string) string) string {
	got := make([]seenCallback, 0, len(ran))
	for _, r := range ran {
		if g, ok := r.(seenCallback); ok {
			got = append(got, g)
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d callbacks ran, want %d: got %s", len(got), len(want), seenText(got))
	}
	if paced {
		got = inWantOrder(got, want)
	}
	for i, c := range want {
		g := got[i]
		var msg string
		switch {
		case g.buffer != c.buf || g.thread != c.thread:
			msg = fmt.Sprintf("callback %d: buffer %s on %s, want buffer %s on %s", i, g.buffer, g.thread, c.buf, c.thread)
		case !g.ptrOK:
			msg = fmt.Sprintf("callback %d: the callback did not receive its SERVICE_NOTIFY buffer", i)
		case !c.current:
			// The buffer was reused for another request meanwhile: its
			// contents are undefined.
		case g.status != c.status:
			msg = fmt.Sprintf("callback %d (buffer %s): dwNotificationStatus %s, want %s", i, g.buffer, g.status, c.status)
		case c.triggerKnown && g.triggered != c.triggered:
			msg = fmt.Sprintf("callback %d (buffer %s): dwNotificationTriggered %s, want %s", i, g.buffer, constName(win32.GroupNotifyMask, g.triggered), constName(win32.GroupNotifyMask, c.triggered))
		case c.triggerKnown && !slices.Equal(g.names, c.names):
			msg = fmt.Sprintf("callback %d (buffer %s): pszServiceNames %q, want %q", i, g.buffer, g.names, c.names)
		default:
			msg = statusDiff(fmt.Sprintf("callback %d (buffer %s): ServiceStatus", i, g.buffer), c.ss, g.ss, c.run, true, same)
		}
		if msg != "" {
			return msg
		}
	}
	return ""
}

// crossCheck are the arguments of the QueryServiceStatusEx that
// cross-checks what the notification of buffer buf carried (Action.Args).
type crossCheck struct {
	buf string
	ss  svcStatus
	run int
}

func (c wantCallback) args() []scenario.Arg {
	args := []scenario.Arg{{Key: "buffer", Value: scenario.Raw(c.buf)}, {Key: "thread", Value: scenario.Raw(c.thread)}}
	if !c.current {
		return args
	}
	args = append(args, scenario.Arg{Key: "status", Value: scenario.Raw(c.status.Code().Name())})
	if c.triggerKnown {
		args = append(args, scenario.Arg{Key: "triggered", Value: constArg(win32.GroupNotifyMask, c.triggered)})
	}
	if c.status == sim.ERROR_SUCCESS && c.withState {
		args = append(args, scenario.Arg{Key: "state", Value: constArg(win32.GroupState, c.ss.state)})
	}
	if c.triggerKnown && c.names != nil {
		args = append(args, scenario.Arg{Key: "names", Value: c.names})
	}
	return args
}

func seenText(cs []seenCallback) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("{buffer %s on %s: %s, triggered %s, state %s}", c.buffer, c.thread, c.status,
			constName(win32.GroupNotifyMask, c.triggered), constName(win32.GroupState, c.ss.CurrentState)))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
