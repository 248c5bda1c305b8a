package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/winsim/winsim/backend"
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
func (w *World) notifyState(s *oSvc) {
	bit := notifyBit(s.st.state)
	told := map[*oHandle]bool{}
	handles := map[*oHandle]bool{}
	for _, r := range slices.Clone(s.regs) {
		handles[r.h] = true
		switch {
		case r.apc != nil:
			if r.mask&bit != 0 {
				w.assert("scm.notify.one-shot")
			}
		case r.mask&bit != 0:
			w.assert("scm.notify.transition")
			told[r.h] = true
			w.fire(r, sim.ERROR_SUCCESS, bit, s.st, nil)
		default:
			w.assert("scm.notify.unrequested-state")
		}
	}
	if len(told) > 1 {
		w.assert("scm.notify.per-handle")
	}
	for _, h := range w.order {
		if h.kind == hService && !h.closed && h.svc == s {
			h.notified = told[h]
		}
	}
}

// notifyMarked: DeleteService fires pending requests that ask for
// DELETE_PENDING; every other pending request completes with
// dwNotificationStatus ERROR_SERVICE_MARKED_FOR_DELETE (a declared model
// choice), where the profile delivers them at all.
func (w *World) notifyMarked(s *oSvc) {
	if !w.scm().set.deletePending {
		return
	}
	for _, r := range slices.Clone(s.regs) {
		if r.apc != nil {
			continue
		}
		if r.mask&win32.SERVICE_NOTIFY_DELETE_PENDING != 0 {
			w.assert("scm.notify.delete-pending")
			w.fire(r, sim.ERROR_SUCCESS, win32.SERVICE_NOTIFY_DELETE_PENDING, s.st, nil)
		} else {
			w.assert("scm.notify.status-marked")
			w.fire(r, sim.ERROR_SERVICE_MARKED_FOR_DELETE, 0, svcStatus{}, nil)
		}
	}
}

// fire fills the request's buffer and queues its callback to the thread
// that registered. dwNotificationTriggered and pszServiceNames exist in a
// level-2 buffer only (where the profile keeps to the levels); ServiceStatus
// and the rest are valid only with ERROR_SUCCESS.
func (w *World) fire(r *oReg, status sim.Errno, triggered uint32, ss svcStatus, names []string) {
	a := &oAPC{reg: r, status: status, svc: r.h.svc}
	if a.svc != nil {
		a.run, a.svcVersion = a.svc.run, a.svc.version
	}
	a.triggerKnown = true
	if status == sim.ERROR_SUCCESS {
		a.ss = ss
		if r.version >= win32.SERVICE_NOTIFY_STATUS_CHANGE || !w.scm().set.versionLimitsFields {
			a.triggered, a.names = triggered, names
		}
	}
	b := w.scm().bufs[r.buf]
	b.writes++
	a.write = b.writes
	r.apc = a
	w.apcs[r.thread] = append(w.apcs[r.thread], a)
}

// publish records a creation or removal for every SCM handle that watches
// the database (it has registered once), in the order they were opened,
// and delivers it where a request is pending. A handle with more
// undelivered events than the declared bound is lagging from then on.
func (w *World) publish(ev nameEvent) {
	for _, h := range w.open(hSCM) {
		if !h.watching || h.lagging {
			continue
		}
		h.backlog = append(h.backlog, ev)
		w.flush(h)
		if len(h.backlog) > w.scm().set.laggingBound {
			h.lagging, h.backlog = true, nil
		}
	}
}

// flush delivers an SCM handle's accumulated events to its first pending
// request that asks for any of them: every matching name, in order, in one
// notification; the backlog is then empty.
func (w *World) flush(h *oHandle) {
	for _, r := range h.regs {
		if r.apc != nil {
			continue
		}
		var names []string
		var trig uint32
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
			w.assert("scm.notify.created")
		}
		if trig&win32.SERVICE_NOTIFY_DELETED != 0 {
			w.assert("scm.notify.deleted", "scm.notify.deleted-after-handles")
		}
		if len(names) > 1 {
			w.assert("scm.notify.names-accumulate")
		}
		h.backlog = nil
		w.fire(r, sim.ERROR_SUCCESS, trig, svcStatus{}, names)
		return
	}
}

// doNotify runs NotifyServiceStatusChange. The oracle's order of checks
// (where undocumented): handle, access, the mask against the handle kind,
// the buffer, the service's state.
func (w *World) doNotify(a Action) []string {
	h := w.handle(a.H)
	var want sim.Errno
	var viol []string
	switch {
	case !isOpen(h, hService) && !isOpen(h, hSCM):
		w.assert("scm.notify.invalid-handle")
		if h != nil && h.closed {
			w.assert("kernel.handle.stale")
		}
		want = sim.ERROR_INVALID_HANDLE
	case h.kind == hService:
		want, viol = w.notifyOnService(a, h)
	default:
		want, viol = w.notifyOnSCM(a, h)
	}
	got := w.sc().NotifyServiceStatusChange(a.thread(), w.value(a.H), a.Mask, w.notifyBuffer(a))
	if err := backend.Refusal(w.b); err != nil {
		w.refuse(a, err)
		return nil
	}
	var bufArg any = scenario.Raw(a.Buffer)
	if a.Buffer == "" {
		bufArg = nil
	}
	w.log(w.step(a, []scenario.Arg{{Key: "service", Value: scenario.Raw(a.H)}, {Key: "mask", Value: constArg(win32.GroupNotifyMask, a.Mask)},
		{Key: "buffer", Value: bufArg}, {Key: "version", Value: a.Version}}, want))
	w.compareCode(a, got, want)
	return viol
}

// notifyBufferRejected applies the buffer's rules: a NULL buffer
// (scm.notify.null-buffer) and a dwVersion other than 1 and 2
// (scm.notify.version) fail; a buffer another request still holds is a
// contract violation, not a failure (scm.contract.buffer-reused).
func (w *World) notifyBufferRejected(a Action) (want sim.Errno, viol []string, rejected bool) {
	validVersion := a.Version == win32.SERVICE_NOTIFY_STATUS_CHANGE || a.Version == win32.SERVICE_NOTIFY_STATUS_CHANGE_1
	switch {
	case a.Buffer == "":
		w.assert("scm.notify.null-buffer")
		return sim.ERROR_INVALID_PARAMETER, nil, true
	case !validVersion && w.scm().set.versionCheck:
		w.assert("scm.notify.version")
		return sim.ERROR_INVALID_LEVEL, nil, true
	}
	if slices.ContainsFunc(w.scm().regs, func(r *oReg) bool { return r.buf == a.Buffer }) {
		w.assert("scm.contract.buffer-reused")
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
func (w *World) notifyOnService(a Action, h *oHandle) (sim.Errno, []string) {
	set := w.scm().set
	switch {
	case !w.checkAccess(h, win32.SERVICE_QUERY_STATUS, "scm.notify.access-service"):
		return sim.ERROR_ACCESS_DENIED, nil
	case set.maskChecked && a.Mask&dbBits != 0:
		w.assert("scm.notify.mask-handle-mismatch")
		return sim.ERROR_INVALID_PARAMETER, nil
	case set.driverNotifyRejected && isDriver(h.svc.typ):
		w.assert("scm.notify.driver-service")
		return sim.ERROR_INVALID_PARAMETER, nil
	}
	want, viol, rejected := w.notifyBufferRejected(a)
	switch {
	case rejected:
	case h.svc.marked && set.markedChecks:
		w.assert("scm.notify.marked-for-delete")
		want = sim.ERROR_SERVICE_MARKED_FOR_DELETE
	case w.outstandingOn(h) && !set.secondReg:
		w.assert("scm.notify.second-registration-win7")
		want = sim.ERROR_ALREADY_REGISTERED
	default:
		w.registerOnService(a, h)
	}
	return want, viol
}

// registerOnService registers an accepted request on a service handle. A
// request whose mask holds the current state's bit is queued at once, with
// that bit only (scm.notify.immediate, immediate-current-bit), unless the
// handle was already told about the state and no other request is
// outstanding (scm.notify.rearm).
func (w *World) registerOnService(a Action, h *oHandle) {
	s := h.svc
	concurrent := w.outstandingOn(h)
	if concurrent {
		w.assert("scm.notify.second-registration-win8")
	}
	if a.Mask&^(stateBits|win32.SERVICE_NOTIFY_DELETE_PENDING) != 0 || a.Mask == 0 {
		w.assert("scm.notify.mask-zero")
	}
	reg := w.newReg(h, a.thread(), a)
	s.regs = append(s.regs, reg)
	bit := notifyBit(s.st.state)
	switch {
	case a.Mask&bit != 0 && (!h.notified || concurrent):
		w.assert("scm.notify.immediate")
		if a.Mask&stateBits != bit {
			w.assert("scm.notify.immediate-current-bit")
		}
		h.notified = true
		w.fire(reg, sim.ERROR_SUCCESS, bit, s.st, nil)
	case a.Mask&bit != 0:
		w.assert("scm.notify.rearm")
	}
}

// notifyOnSCM predicts a registration on an SCM handle: access
// (scm.notify.access-scm), whether the profile implements it
// (scm.notify.scm-handle-supported), service-state bits in the mask
// (scm.notify.mask-handle-mismatch), the buffer, a lagging client
// (scm.notify.client-lagging), a second outstanding request
// (scm.notify.second-registration-win7); else the request is registered and
// the handle's backlog delivered.
func (w *World) notifyOnSCM(a Action, h *oHandle) (sim.Errno, []string) {
	set := w.scm().set
	switch {
	case !w.checkAccess(h, win32.SC_MANAGER_ENUMERATE_SERVICE, "scm.notify.access-scm"):
		return sim.ERROR_ACCESS_DENIED, nil
	case !set.scmNotify:
		return sim.ERROR_CALL_NOT_IMPLEMENTED, nil
	case a.Mask&(stateBits|win32.SERVICE_NOTIFY_DELETE_PENDING) != 0:
		w.assert("scm.notify.mask-handle-mismatch")
		return sim.ERROR_INVALID_PARAMETER, nil
	}
	want, viol, rejected := w.notifyBufferRejected(a)
	switch {
	case rejected:
	case h.lagging:
		w.assert("scm.notify.client-lagging")
		want = sim.ERROR_SERVICE_NOTIFY_CLIENT_LAGGING
	case len(h.regs) > 0 && !set.secondReg:
		w.assert("scm.notify.second-registration-win7")
		want = sim.ERROR_ALREADY_REGISTERED
	default:
		if len(h.regs) > 0 {
			w.assert("scm.notify.second-registration-win8")
		}
		if a.Mask&dbBits == 0 {
			w.assert("scm.notify.mask-zero")
		}
		w.newReg(h, a.thread(), a) // flush delivers to the handle's registrations
		h.watching = true
		w.flush(h)
	}
	return want, viol
}

// notifyBuffer returns the SERVICE_NOTIFY the call passes for the action's
// buffer (nil for NULL), made on first use and kept by name. Its pContext
// points elsewhere, so that a callback handed the context instead of the
// buffer is caught.
func (w *World) notifyBuffer(a Action) *win32.SERVICE_NOTIFY {
	if a.Buffer == "" {
		return nil
	}
	buf := w.scm().buffers[a.Buffer]
	if buf == nil {
		buf = &win32.SERVICE_NOTIFY{Context: &win32.SERVICE_NOTIFY{}}
		w.scm().buffers[a.Buffer] = buf
	}
	buf.Version = a.Version
	buf.NotifyCallback = w.recorder(a.Buffer)
	return buf
}

// outstandingOn reports whether a service handle has a request outstanding
// for the one-request rule: any whose callback has not run, or, where the
// profile forgets a request once it fired, any still waiting for its event.
func (w *World) outstandingOn(h *oHandle) bool {
	for _, r := range h.regs {
		if r.apc == nil || w.scm().set.queuedBlocksSecond {
			return true
		}
	}
	return false
}

func (w *World) newReg(h *oHandle, th string, a Action) *oReg {
	w.scm().regSeq++
	r := &oReg{id: w.scm().regSeq, h: h, thread: th, buf: a.Buffer, mask: a.Mask, version: a.Version}
	if w.scm().bufs[a.Buffer] == nil {
		w.scm().bufs[a.Buffer] = &oBuf{}
	}
	h.regs = append(h.regs, r)
	w.scm().regs = append(w.scm().regs, r)
	return r
}

// recorder is a buffer's callback: it records what it received.
func (w *World) recorder(name string) func(*win32.SERVICE_NOTIFY) {
	return func(n *win32.SERVICE_NOTIFY) {
		w.scm().seen = append(w.scm().seen, seenCallback{
			buffer: name, thread: w.waiting, ptrOK: n == w.scm().buffers[name],
			status: n.NotificationStatus, triggered: n.NotificationTriggered, ss: n.ServiceStatus,
			names: slices.Clone(n.ServiceNames),
		})
	}
}

// checkCallbacks compares the callbacks a wait ran with the oracle's, then
// cross-checks each notification's ServiceStatus with QueryServiceStatusEx
// where the service has not changed since.
func (w *World) checkCallbacks(a Action, want []*oAPC) {
	var items [][]scenario.Arg
	for _, c := range want {
		items = append(items, w.callbackArgs(c))
	}
	if items == nil {
		items = [][]scenario.Arg{}
	}
	// Before any registration with a named buffer, callbacks: [] could
	// not fail (only those callbacks are observed), and the scenario
	// decoder refuses it.
	if w.sc() != nil && (len(items) > 0 || len(w.scm().buffers) > 0) {
		w.log(scenario.ScriptStep{Kind: "callbacks", Value: items})
	}
	got := w.scm().seen
	w.scm().seen = nil
	if w.err != nil {
		return
	}
	if len(got) != len(want) {
		w.fail(a, "%d callbacks ran, want %d: got %s", len(got), len(want), seenText(got))
		return
	}
	if _, real := w.b.(backend.Paced); real {
		got = inWantOrder(got, want)
	}
	for i, c := range want {
		g := got[i]
		w.assert("scm.notify.callback-buffer")
		if c.reg.version < win32.SERVICE_NOTIFY_STATUS_CHANGE && w.scm().set.versionLimitsFields && c.status == sim.ERROR_SUCCESS && w.scm().bufs[c.reg.buf].writes == c.write {
			// The fields a level-1 buffer lacks are compared as left out.
			w.assert("scm.notify.version-1-fields")
		}
		switch {
		case g.buffer != c.reg.buf || g.thread != c.reg.thread:
			w.fail(a, "callback %d: buffer %s on %s, want buffer %s on %s", i, g.buffer, g.thread, c.reg.buf, c.reg.thread)
		case !g.ptrOK:
			w.fail(a, "callback %d: the callback did not receive its SERVICE_NOTIFY buffer", i)
		case w.scm().bufs[c.reg.buf].writes != c.write:
			// The buffer was reused for another request meanwhile: its
			// contents are undefined.
		case g.status != c.status:
			w.fail(a, "callback %d (buffer %s): dwNotificationStatus %s, want %s", i, g.buffer, g.status, c.status)
		case c.triggerKnown && g.triggered != c.triggered:
			w.fail(a, "callback %d (buffer %s): dwNotificationTriggered %s, want %s", i, g.buffer, constName(win32.GroupNotifyMask, g.triggered), constName(win32.GroupNotifyMask, c.triggered))
		case c.triggerKnown && !slices.Equal(g.names, c.names):
			w.fail(a, "callback %d (buffer %s): pszServiceNames %q, want %q", i, g.buffer, g.names, c.names)
		default:
			w.compareStatus(a, fmt.Sprintf("callback %d (buffer %s): ServiceStatus", i, g.buffer), c.ss, g.ss, c.run, true)
		}
		if w.err != nil {
			return
		}
	}
	for i, c := range want {
		if c.status != sim.ERROR_SUCCESS || c.svc == nil || c.svc.version != c.svcVersion || w.scm().bufs[c.reg.buf].writes != c.write {
			continue
		}
		w.crossCheck(a, c, got[i])
	}
}

// crossCheck queries the service of a notification through any open handle
// with SERVICE_QUERY_STATUS: the status must equal the notification's,
// process id included.
func (w *World) crossCheck(a Action, c *oAPC, g seenCallback) {
	var via *oHandle
	for _, h := range w.order {
		if isOpen(h, hService) && h.svc == c.svc && h.access&win32.SERVICE_QUERY_STATUS != 0 {
			via = h
			break
		}
	}
	if via == nil {
		return
	}
	w.assert("scm.notify.status-snapshot")
	var ss win32.SERVICE_STATUS_PROCESS
	code := w.sc().QueryServiceStatusEx(a.thread(), w.value(via.name), win32.SC_STATUS_PROCESS_INFO, &ss, false)
	w.log(scenario.ScriptStep{Kind: string(OpQueryEx), Args: []scenario.Arg{{Key: "service", Value: scenario.Raw(via.name)}},
		Thread: threadMod(a.thread()), Expect: expectArgs(c.ss, true), Note: "the status the notification of buffer " + c.reg.buf + " carried"})
	switch {
	case code != sim.ERROR_SUCCESS:
		w.fail(a, "cross-check QueryServiceStatusEx(%s): got %s", via.name, code)
	case ss != g.ss:
		w.fail(a, "the notification of buffer %s carried %+v, but QueryServiceStatusEx says %+v", c.reg.buf, g.ss, ss)
	}
}

func (w *World) callbackArgs(c *oAPC) []scenario.Arg {
	args := []scenario.Arg{{Key: "buffer", Value: scenario.Raw(c.reg.buf)}, {Key: "thread", Value: scenario.Raw(c.reg.thread)}}
	if w.scm().bufs[c.reg.buf].writes != c.write {
		return args
	}
	args = append(args, scenario.Arg{Key: "status", Value: scenario.Raw(c.status.Code().Name())})
	if c.triggerKnown {
		args = append(args, scenario.Arg{Key: "triggered", Value: constArg(win32.GroupNotifyMask, c.triggered)})
	}
	if c.status == sim.ERROR_SUCCESS && c.svc != nil {
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
