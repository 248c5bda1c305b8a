package sim

// Locked reports whether m's lock is taken, without waiting for it: tests
// of the external package use it to show a call left the machine usable.
func Locked(m *Machine) bool {
	if m.head.Mu.TryLock() {
		m.head.Mu.Unlock()
		return false
	}
	return true
}

// QueueAPC queues a to t under the machine's lock.
func QueueAPC(t *Thread, a *APC) {
	t.m.head.Mu.Lock()
	defer t.m.head.Mu.Unlock()
	t.queueAPC(a)
}
