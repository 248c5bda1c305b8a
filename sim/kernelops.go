package sim

import (
	"math/rand/v2"
	"time"

	"github.com/winsim/winsim/sim/internal/hook"
)

// kernelOps carries the machine's internal operations, those a family model
// performs around and under the lock, to package sim/internal/kernel, where
// the family packages call them. They are not part of the public API: no
// package outside the module can import kernel, and kernelOps is
// unexported.
type kernelOps struct{}

func init() { hook.Ops = &kernelOps{} }

func (*kernelOps) Enter(m *Machine, t *Thread)                 { m.enter(t) }
func (*kernelOps) Now(m *Machine) Time                         { return m.nowLocked() }
func (*kernelOps) Advance(m *Machine, d time.Duration)         { m.advanceLocked(d) }
func (*kernelOps) NewProcess(m *Machine, name string) *Process { return m.newProcessLocked(name) }
func (*kernelOps) NewThread(p *Process, name string) *Thread   { return p.newThreadLocked(name) }
func (*kernelOps) Trace(m *Machine, t *Thread, kind EventKind, text string) {
	if m.tracing {
		m.record(t, kind, text)
	}
}
func (*kernelOps) Violate(m *Machine, t *Thread, rule Rule, detail string) {
	m.violate(t, rule, "%s", detail)
}
func (*kernelOps) Rand(m *Machine) *rand.Rand { return m.random() }
func (*kernelOps) After(m *Machine, d time.Duration, name string, fn func()) *Timer {
	return m.after(d, name, fn)
}
func (*kernelOps) StopTimer(m *Machine, tm *Timer) bool { return m.stopTimer(tm) }
func (*kernelOps) ResetTimer(m *Machine, tm *Timer, d time.Duration, name string) {
	m.resetTimer(tm, d, name)
}
func (*kernelOps) TakeFault(m *Machine, api string) (Code, bool) { return m.takeFault(api) }
func (*kernelOps) Abort(m *Machine, t *Thread, api, reason string) *AbortError {
	return m.abort(t, api, reason)
}
func (*kernelOps) OnThreadExit(m *Machine, fn func(*Thread)) { m.onThreadExit(fn) }
func (*kernelOps) QueueAPC(t *Thread, a *APC)                { t.queueAPC(a) }
func (*kernelOps) Context(t *Thread) *CallerContext          { return &t.ctx }
func (*kernelOps) TableOf(t *Thread, h Handle) (*HandleTable, Handle) {
	return t.tableOf(h)
}
func (*kernelOps) InsertHandle(t *Thread, obj Object, access, attributes uint32, mode Mode) Handle {
	return t.insertHandle(obj, access, attributes, mode)
}
func (*kernelOps) CloseNative(t *Thread, h Handle, mode Mode) NTStatus {
	return t.closeNativeLocked(h, mode)
}
func (*kernelOps) Reference(t *Thread, h Handle, mode Mode) (KernelObject, uint32, NTStatus) {
	return referenceByHandle[KernelObject](t, h, mode)
}
func (*kernelOps) NewChangeNotification(watch string, onClose func(*Thread)) *ChangeNotification {
	return newChangeNotification(watch, onClose)
}
func (*kernelOps) Change(c *ChangeNotification, m *Machine, t *Thread) { c.change(m, t) }
func (*kernelOps) CloseChange(c *ChangeNotification, t *Thread, h Handle) {
	c.closeLocked(t, h)
}
