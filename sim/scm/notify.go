package scm

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// registration is one NotifyServiceStatusChange request, from the call until
// its callback runs or it is cancelled.
type registration struct {
	id      int
	thread  *sim.Thread
	buf     *win32.SERVICE_NOTIFY
	mask    win32.ServiceNotifyMask
	version uint32
	svcH    *serviceHandle // exactly one of svcH and scmH is set
	scmH    *scmHandle
	apc     *sim.APC // set once the callback is queued
	// callback is the storage of the first APC of the request.
	callback sim.APC
	// links place the registration in its lists (see chain) while it is
	// attached: from the call until it is detached.
	links    [chains]regLinks
	attached bool
}

func (r *registration) label() string { return fmt.Sprintf("notify#%d", r.id) }

// NotifyServiceStatusChange registers a one-shot notification. When the
// service (or, for an SCM handle, the database) changes as mask asks, the
// model fills buf and queues buf.NotifyCallback(buf) as an APC to t; it runs
// during one of t's alertable waits. It returns the error code directly.
func (mg *Manager) NotifyServiceStatusChange(t *sim.Thread, h sim.Handle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno {
	mg.begin(t, "NotifyServiceStatusChange")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("NotifyServiceStatusChange(%s, %s)", h, fmtConst(win32.GroupNotifyMask, mask))
	}
	obj, access, st := kernel.Handles(t).Lookup(h)
	if st != sim.HandleValid {
		return mg.ret(t, call, sim.FaultBroken("scm.notify.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	switch o := obj.(type) {
	case *serviceHandle:
		// A service handle needs SERVICE_QUERY_STATUS.
		denied := access&win32.SERVICE_QUERY_STATUS == 0
		denied = sim.FaultBroken("scm.notify.access-service", denied, false)
		if denied {
			return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
		}
		return mg.ret(t, call, mg.notifyService(t, o, mask, buf))
	case *scmHandle:
		// An SCM handle needs SC_MANAGER_ENUMERATE_SERVICE.
		denied := access&win32.SC_MANAGER_ENUMERATE_SERVICE == 0
		denied = sim.FaultBroken("scm.notify.access-scm", denied, false)
		if denied {
			return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
		}
		return mg.ret(t, call, mg.notifySCM(t, o, mask, buf))
	}
	return mg.ret(t, call, sim.ERROR_INVALID_HANDLE)
}

// checkRequest applies the checks common to both handle kinds.
func (mg *Manager) checkRequest(t *sim.Thread, buf *win32.SERVICE_NOTIFY) sim.Errno {
	if buf == nil {
		return sim.ERROR_INVALID_PARAMETER
	}
	if mg.setting(&settingVersionCheck) && buf.Version != win32.SERVICE_NOTIFY_STATUS_CHANGE && buf.Version != win32.SERVICE_NOTIFY_STATUS_CHANGE_1 {
		return sim.ERROR_INVALID_LEVEL
	}
	// The buffer belongs to the request until its callback runs.
	checkReuse := sim.FaultBroken("scm.contract.buffer-reused", true, false)
	if r := mg.byBuffer[buf]; r != nil && checkReuse {
		kernel.Violate(mg.m, t, RuleBufferReused, "notify buffer of %s reused while that request is outstanding", r.label())
	}
	return sim.ERROR_SUCCESS
}

// newRegistration makes a request of thread t on a service handle (sh) or
// an SCM handle (mh), and links it into its lists.
func (mg *Manager) newRegistration(t *sim.Thread, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY, sh *serviceHandle, mh *scmHandle) *registration {
	mg.nextReg++
	r := &registration{id: mg.nextReg, thread: t, buf: buf, mask: mask, version: buf.Version, svcH: sh, scmH: mh, attached: true}
	pushIn(mg.byThread, t, byThread, r)
	if mg.byBuffer[buf] == nil {
		mg.byBuffer[buf] = r
	} else {
		mg.reused[buf] = append(mg.reused[buf], r)
	}
	if sh != nil {
		sh.outstanding++
		sh.regs.pushBack(byHandle, r)
		sh.svc.regs.pushBack(byService, r)
	}
	if mh != nil {
		mh.regs.pushBack(byHandle, r)
	}
	return r
}

// pushIn appends r to the list of chain c that m holds under k. The map
// holds only the list's head, which an append changes only when the list
// was empty: a list that has one stays as it is in m (the links live in the
// registrations), so appending to it does not write to the map.
func pushIn[K comparable](m map[K]regList, k K, c chain, r *registration) {
	l := m[k]
	first := l.empty()
	l.pushBack(c, r)
	if first {
		m[k] = l
	}
}

// removeIn removes r from the list of chain c that m holds under k, and the
// list from m when it is left empty. As in pushIn, m is written only when
// the head changes.
func removeIn[K comparable](m map[K]regList, k K, c chain, r *registration) {
	l := m[k]
	head := l.first()
	l.remove(c, r)
	switch {
	case l.empty():
		delete(m, k)
	case l.first() != head:
		m[k] = l
	}
}

func (mg *Manager) notifyService(t *sim.Thread, sh *serviceHandle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno {
	svc := sh.svc
	if (mask&scmNotifyBits != 0 && mg.setting(&settingMaskChecked)) || (svc.status.ServiceType&serviceDriverTypes != 0 && mg.setting(&settingDriverNotifyRejected)) {
		return sim.ERROR_INVALID_PARAMETER
	}
	if code := mg.checkRequest(t, buf); code != sim.ERROR_SUCCESS {
		return code
	}
	marked := svc.marked && mg.setting(&settingMarkedChecks)
	marked = sim.FaultBroken("scm.notify.marked-for-delete", marked, false)
	if marked {
		return sim.ERROR_SERVICE_MARKED_FOR_DELETE
	}
	concurrent := sh.outstanding > 0
	if !mg.setting(&settingQueuedBlocksSecond) {
		// Only a request still waiting for its event counts.
		concurrent = false
		for r := range sh.regs.all(byHandle) {
			if r.apc == nil {
				concurrent = true
			}
		}
	}
	// A second request on a handle while one is outstanding is refused,
	// except where the profile takes it (settingSecondRegistration).
	refused := concurrent && !mg.setting(&settingSecondRegistration)
	refused = sim.FaultBroken("scm.notify.second-registration-win8", refused, concurrent)
	refused = sim.FaultBroken("scm.notify.second-registration-win7", refused, false)
	if refused {
		return sim.ERROR_ALREADY_REGISTERED
	}
	r := mg.newRegistration(t, mask, buf, sh, nil)
	// Immediate queueing: the current state is requested and this handle has
	// not been told about it yet. A concurrent request (Windows 8+) starts
	// with a fresh flag.
	bit := win32.NotifyBit(svc.status.CurrentState)
	rearmed := !sh.rearmBlocked() || concurrent
	rearmed = sim.FaultBroken("scm.notify.rearm", rearmed, true)
	immediate := mask&bit != 0 && rearmed
	immediate = sim.FaultBroken("scm.notify.immediate", immediate, false)
	if immediate {
		sh.markNotified()
		mg.fire(r, sim.ERROR_SUCCESS, sim.FaultBroken("scm.notify.immediate-current-bit", bit, mask), svc.status, nil)
	}
	return sim.ERROR_SUCCESS
}

func (mg *Manager) notifySCM(t *sim.Thread, mh *scmHandle, mask win32.ServiceNotifyMask, buf *win32.SERVICE_NOTIFY) sim.Errno {
	if !mg.setting(&settingSCMHandleNotify) {
		return sim.ERROR_CALL_NOT_IMPLEMENTED
	}
	if mask&stateNotifyBits != 0 || mask&win32.SERVICE_NOTIFY_DELETE_PENDING != 0 {
		return sim.ERROR_INVALID_PARAMETER
	}
	if code := mg.checkRequest(t, buf); code != sim.ERROR_SUCCESS {
		return code
	}
	if mh.lagging {
		return sim.ERROR_SERVICE_NOTIFY_CLIENT_LAGGING
	}
	if !mh.regs.empty() && !mg.setting(&settingSecondRegistration) {
		return sim.ERROR_ALREADY_REGISTERED
	}
	mg.newRegistration(t, mask, buf, nil, mh)
	mg.watch(mh)
	mg.flushNames(mh)
	return sim.ERROR_SUCCESS
}

// fire writes the notification into the caller's buffer and queues the
// callback. The buffer is written at queue time, so a buffer reused for
// another request may show either request's data: the documented
// "no guarantee".
func (mg *Manager) fire(r *registration, status sim.Errno, triggered win32.ServiceNotifyMask, ss win32.SERVICE_STATUS_PROCESS, names []string) {
	b := r.buf
	b.NotificationStatus = status
	b.ServiceStatus = win32.SERVICE_STATUS_PROCESS{}
	b.NotificationTriggered = 0
	b.ServiceNames = nil
	if status == sim.ERROR_SUCCESS {
		b.ServiceStatus = ss
		if r.version >= win32.SERVICE_NOTIFY_STATUS_CHANGE || !mg.setting(&settingLevelLimitsFields) {
			b.NotificationTriggered = triggered
			b.ServiceNames = names
		}
	}
	name := ""
	if mg.m.Tracing() {
		name = fmt.Sprintf("%s %s %s", r.label(), status, fmtConst(win32.GroupNotifyMask, triggered))
	}
	// The callback's APC lives in the registration; a request fired twice
	// (only a broken scm.notify.one-shot does that) gets a second one.
	a := &r.callback
	if r.apc != nil {
		a = new(sim.APC)
	}
	*a = sim.APC{
		Name: name,
		Run: func(*sim.Thread) {
			mg.delivered(r, b, status)
			// The callback gets the caller's own buffer.
			given := b // b itself stays unchanged: the closure holds a copy of it, not a variable of its own
			copied := sim.FaultBroken("scm.notify.callback-buffer", false, true)
			if copied {
				c := *b
				given = &c
			}
			if given.NotifyCallback != nil {
				given.NotifyCallback(given)
			}
		},
	}
	r.apc = a
	kernel.QueueAPC(sim.FaultBroken("scm.notify.registering-thread", r.thread, mg.lastCaller), r.apc)
}

// delivered detaches a registration whose callback is about to run, under
// the lock (the APC routine runs without it). The buffer holds the status
// of the change that fired, not the status when the callback runs.
func (mg *Manager) delivered(r *registration, b *win32.SERVICE_NOTIFY, status sim.Errno) {
	kernel.Lock(mg.m)
	defer kernel.Unlock(mg.m)
	mg.detach(r)
	current := sim.FaultBroken("scm.notify.status-snapshot", false, r.svcH != nil && status == sim.ERROR_SUCCESS)
	if current {
		b.ServiceStatus = r.svcH.svc.status
	}
}

// detach forgets a registration: its callback ran, or it was cancelled.
// A registration detached already (a callback queued twice, which only a
// broken scm.notify.one-shot does) is in no list any more; its handle's
// count still goes down with each detach.
func (mg *Manager) detach(r *registration) {
	if r.svcH != nil {
		r.svcH.outstanding--
	}
	if !r.attached {
		return
	}
	r.attached = false
	removeIn(mg.byThread, r.thread, byThread, r)
	mg.dropBuffer(r)
	if r.svcH != nil {
		r.svcH.regs.remove(byHandle, r)
		r.svcH.svc.regs.remove(byService, r)
	}
	if r.scmH != nil {
		r.scmH.regs.remove(byHandle, r)
	}
}

// dropBuffer removes r from the buffer index. The next request given the
// same buffer, if any, becomes the oldest.
func (mg *Manager) dropBuffer(r *registration) {
	b := r.buf
	if len(mg.reused) == 0 {
		// No buffer is in more than one request: r is the only one on b.
		delete(mg.byBuffer, b)
		return
	}
	later := mg.reused[b]
	if mg.byBuffer[b] != r {
		// One of the later requests.
		later = slices.DeleteFunc(later, func(x *registration) bool { return x == r })
	} else if len(later) == 0 {
		delete(mg.byBuffer, b)
		return
	} else {
		mg.byBuffer[b] = later[0]
		later = slices.Delete(later, 0, 1)
	}
	if len(later) == 0 {
		delete(mg.reused, b)
		return
	}
	mg.reused[b] = later
}

// cancelAll cancels the registrations of a handle that closes: pending
// ones are dropped, and a callback already queued is withdrawn before it
// runs.
func (mg *Manager) cancelAll(t *sim.Thread, regs *regList) {
	if regs.empty() {
		// Most handles close with nothing outstanding: the setting need
		// not be looked up.
		return
	}
	withdraw := mg.setting(&settingCloseWithdrawsQueued)
	for r := range regs.all(byHandle) {
		if r.apc != nil && !withdraw {
			// Queued, and it stays queued: it detaches when it runs.
			continue
		}
		if r.apc != nil && r.apc.Cancel() {
			kernel.Tracef(mg.m, r.thread, sim.EvAPCCancelled, "%s withdrawn by CloseServiceHandle", r.label())
		}
		mg.detach(r)
	}
}

// notifyState runs after a state change. Every pending request whose mask
// names the new state fires and sets its handle's re-arm flag; moving the
// epoch on clears the flag of every handle where nothing fired.
func (mg *Manager) notifyState(svc *service) {
	svc.epoch++
	bit := win32.NotifyBit(svc.status.CurrentState)
	fired := false
	// A request whose callback is queued already does not fire again.
	oneShot := sim.FaultBroken("scm.notify.one-shot", true, false)
	for r := range svc.regs.all(byService) {
		if r.apc != nil && oneShot {
			continue
		}
		// A request fires for the states its mask names, once per change
		// on the service.
		requested := r.mask&bit != 0
		requested = sim.FaultBroken("scm.notify.unrequested-state", requested, true)
		fires := requested
		fires = sim.FaultBroken("scm.notify.transition", fires, false)
		fires = sim.FaultBroken("scm.notify.per-handle", fires, fires && !fired)
		if fires {
			r.svcH.markNotified()
			mg.fire(r, sim.ERROR_SUCCESS, bit, svc.status, nil)
			fired = true
		}
	}
}

// notifyMarked runs when DeleteService marks svc. Requests for
// DELETE_PENDING fire with it; every other pending request completes with
// dwNotificationStatus ERROR_SERVICE_MARKED_FOR_DELETE, telling its caller
// to close the handle.
func (mg *Manager) notifyMarked(svc *service) {
	told := mg.setting(&settingDeletePending)
	told = sim.FaultBroken("scm.notify.delete-pending-wine", told, true)
	if !told {
		return
	}
	for r := range svc.regs.all(byService) {
		if r.apc != nil {
			continue
		}
		asked := r.mask&win32.SERVICE_NOTIFY_DELETE_PENDING != 0
		asked = sim.FaultBroken("scm.notify.delete-pending", asked, false)
		if asked {
			mg.fire(r, sim.ERROR_SUCCESS, win32.SERVICE_NOTIFY_DELETE_PENDING, svc.status, nil)
		} else {
			mg.fire(r, sim.ERROR_SERVICE_MARKED_FOR_DELETE, 0, win32.SERVICE_STATUS_PROCESS{}, nil)
		}
	}
}

// watch makes mh keep CREATED/DELETED events from now on: it joins the
// watchers, in opening order.
func (mg *Manager) watch(mh *scmHandle) {
	if mh.watching {
		return
	}
	mh.watching = true
	i, _ := slices.BinarySearchFunc(mg.watchers, mh.opened, func(w *scmHandle, opened uint64) int { return cmp.Compare(w.opened, opened) })
	mg.watchers = slices.Insert(mg.watchers, i, mh)
}

// unwatch drops a closed SCM handle from the watchers.
func (mg *Manager) unwatch(mh *scmHandle) {
	if !mh.watching {
		return
	}
	i, _ := slices.BinarySearchFunc(mg.watchers, mh.opened, func(w *scmHandle, opened uint64) int { return cmp.Compare(w.opened, opened) })
	mg.watchers = slices.Delete(mg.watchers, i, i+1)
}

// publishName records a creation or removal for every SCM handle that
// watches the database, and delivers it where a request is pending.
func (mg *Manager) publishName(ev nameEvent) {
	for _, mh := range mg.watchers {
		if mh.lagging {
			continue
		}
		mh.backlog = append(mh.backlog, ev)
		mg.flushNames(mh)
		if len(mh.backlog) > settingLaggingBound.In(mg.m.Profile()) {
			mh.lagging = true
			mh.backlog = nil
			kernel.Tracef(mg.m, nil, sim.EvTransition, "SCM handle client lagging: more than %d undelivered events", settingLaggingBound.In(mg.m.Profile()))
		}
	}
}

// flushNames delivers an SCM handle's backlog to its first pending request
// whose mask matches any of it: all matching names in one MULTI_SZ, the
// triggered bits of their kinds. The backlog is then emptied; events of kinds
// the request did not ask for are dropped with it.
func (mg *Manager) flushNames(mh *scmHandle) {
	if len(mh.backlog) == 0 {
		return
	}
	for r := range mh.regs.all(byHandle) {
		if r.apc != nil {
			continue
		}
		var names []string
		var triggered win32.ServiceNotifyMask
		for _, ev := range mh.backlog {
			if r.mask&ev.kind != 0 {
				names = append(names, ev.name)
				triggered |= ev.kind
			}
		}
		if len(names) == 0 {
			continue
		}
		mh.backlog = nil
		mg.fire(r, sim.ERROR_SUCCESS, triggered, win32.SERVICE_STATUS_PROCESS{}, names)
		return
	}
}

// threadExited reports registrations left outstanding by an exiting thread;
// their callbacks can never run.
func (mg *Manager) threadExited(t *sim.Thread) {
	checked := sim.FaultBroken("scm.contract.thread-exit-pending", true, false)
	if !checked {
		return
	}
	mine := mg.byThread[t]
	for r := range mine.all(byThread) {
		kernel.Violate(mg.m, t, RuleThreadExitPending, "thread exits with %s outstanding; its callback can never run", r.label())
		if r.apc != nil {
			r.apc.Cancel()
		}
		mg.detach(r)
	}
}
