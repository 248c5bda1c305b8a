package sim

// fault is one armed fault injection.
type fault struct {
	api   string
	code  Code
	count int
}

// InjectFault makes the next count calls of api (a Win32 function name such
// as "StartService") return code. It is how scenarios reach codes the docs
// list without any condition a model could produce; the families consult it
// through kernel.TakeFault at the point where the real API could fail that
// way.
func (m *Machine) InjectFault(api string, code Code, count int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults = append(m.faults, fault{api: api, code: code, count: count})
	m.tracef(nil, EvNote, "fault armed: %s -> %s x%d", api, code, count)
}

// takeFault consumes one armed fault for api, if any. Callers hold the lock.
func (m *Machine) takeFault(api string) (Code, bool) {
	for i := range m.faults {
		f := &m.faults[i]
		if f.api == api && f.count > 0 {
			f.count--
			m.tracef(nil, EvNote, "fault injected: %s -> %s", api, f.code)
			return f.code, true
		}
	}
	return Code{}, false
}
