package windows

import (
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// notifyBuf is the real SERVICE_NOTIFY behind one of the caller's
// win32.SERVICE_NOTIFY buffers: the same real buffer each time the caller's
// buffer is passed, as the same memory would be in a C program.
type notifyBuf struct {
	b      *Backend
	caller *win32.SERVICE_NOTIFY
	mem    *windows.SERVICE_NOTIFY
	// decoy is what pContext points to: a callback handed pContext instead
	// of the buffer is told apart, and reported to the caller as such.
	decoy *[8]byte
	pin   runtime.Pinner
}

// notification is what the system wrote into a buffer, copied out in the
// callback.
type notification struct {
	status    uint32
	ss        windows.SERVICE_STATUS_PROCESS
	triggered uint32
	names     []string
}

// Every NotifyServiceStatusChange request of the process points at the one
// callback (Go allows only a limited number of NewCallback callbacks per
// process), which finds the request's buffer by its address in this table.
// Buffers stay pinned, and in the table, until their backend is closed:
// after that no request of the backend is pending and its threads are gone.
var (
	notifyMu       sync.Mutex
	notifyByAddr   = map[uintptr]*notifyBuf{}
	notifyByDecoy  = map[uintptr]*notifyBuf{}
	notifyCallback = sync.OnceValue(func() uintptr { return windows.NewCallback(onNotify) })
)

func newNotifyBuf(b *Backend, caller *win32.SERVICE_NOTIFY) *notifyBuf {
	nb := &notifyBuf{b: b, caller: caller, mem: new(windows.SERVICE_NOTIFY), decoy: new([8]byte)}
	nb.pin.Pin(nb.mem)
	nb.pin.Pin(nb.decoy)
	nb.mem.NotifyCallback = notifyCallback()
	nb.mem.Context = uintptr(unsafe.Pointer(nb.decoy))
	notifyMu.Lock()
	notifyByAddr[uintptr(unsafe.Pointer(nb.mem))] = nb
	notifyByDecoy[nb.mem.Context] = nb
	notifyMu.Unlock()
	return nb
}

// release forgets the buffer and unpins it. Only once no request on it can
// be pending.
func (nb *notifyBuf) release() {
	notifyMu.Lock()
	delete(notifyByAddr, uintptr(unsafe.Pointer(nb.mem)))
	delete(notifyByDecoy, uintptr(unsafe.Pointer(nb.decoy)))
	notifyMu.Unlock()
	nb.pin.Unpin()
}

// onNotify is the PFN_SC_NOTIFY_CALLBACK of every request. It runs as an
// APC on the registering thread, a worker's, during an alertable wait.
func onNotify(p uintptr) uintptr {
	notifyMu.Lock()
	nb, decoy := notifyByAddr[p], false
	if nb == nil {
		nb, decoy = notifyByDecoy[p], true
	}
	notifyMu.Unlock()
	v, _ := workers.Load(windows.GetCurrentThreadId())
	w, _ := v.(*worker)
	if nb == nil || w == nil {
		// Not one of ours: nothing can be told about it.
		return 0
	}
	ev := &apcEvent{nb: nb, decoy: decoy, n: nb.take()}
	w.delivered++
	w.raise(ev)
	return 0
}

// take copies the notification out of the buffer and frees the service
// names the system allocated for it.
func (nb *notifyBuf) take() notification {
	m := nb.mem
	n := notification{status: m.NotificationStatus, ss: m.ServiceStatus, triggered: m.NotificationTriggered}
	if m.ServiceNames != nil {
		n.names = multiSZ(m.ServiceNames)
		_, _ = windows.LocalFree(windows.Handle(uintptr(unsafe.Pointer(m.ServiceNames))))
		m.ServiceNames = nil
	}
	return n
}

// multiSZ splits a MULTI_SZ list: strings one after the other, each ended
// by a NUL, the list ended by an empty string.
func multiSZ(p *uint16) []string {
	var out []string
	at := unsafe.Pointer(p)
	for {
		n := 0
		for *(*uint16)(unsafe.Add(at, 2*n)) != 0 {
			n++
		}
		if n == 0 {
			return out
		}
		out = append(out, windows.UTF16ToString(unsafe.Slice((*uint16)(at), n)))
		at = unsafe.Add(at, 2*(n+1))
	}
}

// deliver runs on the goroutine that waits for the job during which the
// callback ran: it fills the caller's buffer as the system filled the real
// one, and runs the caller's callback with it.
func (b *Backend) deliver(ev *apcEvent) {
	c := ev.nb.caller
	n := ev.n
	c.NotificationStatus = sim.Errno(n.status)
	c.ServiceStatus = win32.SERVICE_STATUS_PROCESS{
		ServiceType:      win32.ServiceType(n.ss.ServiceType),
		CurrentState:     win32.ServiceState(n.ss.CurrentState),
		ControlsAccepted: win32.ServiceAccept(n.ss.ControlsAccepted),
		Win32ExitCode:    n.ss.Win32ExitCode, ServiceSpecificExitCode: n.ss.ServiceSpecificExitCode,
		CheckPoint: n.ss.CheckPoint, WaitHint: n.ss.WaitHint, ProcessId: n.ss.ProcessId, ServiceFlags: n.ss.ServiceFlags,
	}
	c.NotificationTriggered = win32.ServiceNotifyMask(n.triggered)
	c.ServiceNames = nil
	for _, name := range n.names {
		c.ServiceNames = append(c.ServiceNames, b.names.toScenarioList(name))
	}
	arg := c
	if ev.decoy {
		// The system passed pContext: hand the callback what the caller
		// put there, so that it sees the difference.
		ctx, _ := c.Context.(*win32.SERVICE_NOTIFY)
		if ctx == nil {
			ctx = &win32.SERVICE_NOTIFY{}
		}
		arg = ctx
	}
	if c.NotifyCallback != nil {
		c.NotifyCallback(arg)
	}
}
