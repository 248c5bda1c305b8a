package windows

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows/internal/twinfam"
	"github.com/winsim/winsim/windows/internal/twinrt"
)

// NewCallback returns a token for fn, a function with one uintptr-sized
// result and uintptr-sized arguments, to put where Windows takes a
// callback's address (SERVICE_NOTIFY's NotifyCallback). On Windows it is a
// machine-code entry point; here it is a number the twins resolve to fn
// when the model runs the callback. As on Windows, a process has room for
// 2000 callbacks, fn is checked as x/sys's runtime checks it, and the
// token stays valid for the rest of the program.
func NewCallback(fn interface{}) uintptr {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		panic("compileCallback: expected function with one uintptr-sized result")
	}
	t := v.Type()
	if t.NumOut() != 1 || t.Out(0).Size() != unsafe.Sizeof(uintptr(0)) {
		panic("compileCallback: expected function with one uintptr-sized result")
	}
	for i := range t.NumIn() {
		if t.In(i).Size() > unsafe.Sizeof(uintptr(0)) {
			panic("compileCallback: argument size is larger than uintptr")
		}
	}
	callbacks.Lock()
	defer callbacks.Unlock()
	if len(callbacks.fns) >= maxCallbacks {
		panic("too many callback functions")
	}
	callbacks.fns = append(callbacks.fns, v)
	return callbackBase + uintptr(len(callbacks.fns)-1)*callbackStride
}

// callbacks are the functions NewCallback was given, in order; token i is
// callbackBase + i*callbackStride.
var callbacks struct {
	sync.Mutex
	fns []reflect.Value
}

const (
	maxCallbacks   = 2000 // Go's runtime limit on Windows
	callbackBase   = 0x7f000000
	callbackStride = 16
)

// callbackOf resolves a NewCallback token.
func callbackOf(token uintptr) (reflect.Value, bool) {
	callbacks.Lock()
	defer callbacks.Unlock()
	i := (token - callbackBase) / callbackStride
	if token < callbackBase || (token-callbackBase)%callbackStride != 0 || i >= uintptr(len(callbacks.fns)) {
		return reflect.Value{}, false
	}
	return callbacks.fns[i], true
}

// callPointer calls fn with p as its first argument (converted to its
// type: uintptr, unsafe.Pointer or a pointer) and zero for the others.
func callPointer(fn reflect.Value, p unsafe.Pointer) {
	t := fn.Type()
	args := make([]reflect.Value, t.NumIn())
	for i := range args {
		args[i] = reflect.Zero(t.In(i))
	}
	if len(args) > 0 {
		switch in := t.In(0); in.Kind() {
		case reflect.Pointer:
			args[0] = reflect.NewAt(in.Elem(), p)
		case reflect.UnsafePointer:
			args[0] = reflect.ValueOf(p).Convert(in)
		default:
			args[0] = reflect.ValueOf(uintptr(p)).Convert(in)
		}
	}
	fn.Call(args)
}

// notifyBuffers maps each caller's SERVICE_NOTIFY to the model's buffer
// that stands for it on one machine: one model buffer per caller buffer,
// so that the model sees a buffer passed again while its request is
// outstanding (rule scm.contract.buffer-reused).
type notifyBuffers struct {
	mu   sync.Mutex
	bufs map[*SERVICE_NOTIFY]*win32.SERVICE_NOTIFY
}

func newNotifyBuffers(*sim.Machine) *notifyBuffers {
	return &notifyBuffers{bufs: map[*SERVICE_NOTIFY]*win32.SERVICE_NOTIFY{}}
}

// of returns the model's buffer for n, with n's version.
func (nb *notifyBuffers) of(n *SERVICE_NOTIFY) *win32.SERVICE_NOTIFY {
	nb.mu.Lock()
	defer nb.mu.Unlock()
	mb := nb.bufs[n]
	if mb == nil {
		mb = &win32.SERVICE_NOTIFY{NotifyCallback: func(mb *win32.SERVICE_NOTIFY) { deliver(n, mb) }}
		nb.bufs[n] = mb
	}
	mb.Version = n.Version
	return mb
}

// deliver is a notification's callback as the model runs it, an APC on
// the registering goroutine's thread during its alertable wait: the
// caller's buffer gets what the model filled in, then the caller's
// callback runs with the buffer's address.
func deliver(n *SERVICE_NOTIFY, mb *win32.SERVICE_NOTIFY) {
	n.NotificationStatus = uint32(mb.NotificationStatus)
	n.ServiceStatus = fromModelStatusProcess(mb.ServiceStatus)
	n.NotificationTriggered = uint32(mb.NotificationTriggered)
	n.ServiceNames = nil
	if len(mb.ServiceNames) > 0 {
		var units []uint16
		for _, name := range mb.ServiceNames {
			units = append(append(units, win32.EncodeWTF16(name)...), 0)
		}
		units = append(units, 0)
		n.ServiceNames = &units[0]
	}
	if n.NotifyCallback == 0 {
		return
	}
	fn, ok := callbackOf(n.NotifyCallback)
	if !ok {
		panic(fmt.Sprintf("winsim/windows: SERVICE_NOTIFY.NotifyCallback %#x is not a NewCallback token; Windows would call that address", n.NotifyCallback))
	}
	callPointer(fn, unsafe.Pointer(n))
}

// NotifyServiceStatusChange registers a one-shot notification
// (NotifyServiceStatusChangeW): when the service enters a state notifyMask
// names (or, on an SCM handle, a service is created or deleted), the model
// queues the notifier's callback as an APC to the calling goroutine's
// thread. It runs during one of that goroutine's alertable waits (SleepEx
// with alertable true, WaitForSingleObjectEx), which then returns
// WAIT_IO_COMPLETION; the notifier is filled in first. The error is the
// call's code, returned as x/sys returns it (the last error is not set).
//
// The twin writes the notifier when the callback runs; the model filled
// its own buffer, with the status at the moment the notification was
// queued (rule scm.notify.status-snapshot), when it queued it.
func NotifyServiceStatusChange(service Handle, notifyMask uint32, notifier *SERVICE_NOTIFY) (ret error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	var mb *win32.SERVICE_NOTIFY
	if notifier != nil {
		mb = twinrt.Family(b, newNotifyBuffers).of(notifier)
	}
	b.Call(func(th *twinrt.Thread) {
		if code := mg.NotifyServiceStatusChange(th.T, sim.Handle(service), win32.ServiceNotifyMask(notifyMask), mb); code != sim.ERROR_SUCCESS {
			ret = Errno(code)
		}
	})
	return ret
}
