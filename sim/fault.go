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
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	m.faults = append(m.faults, fault{api: api, code: code, count: count})
	if count > 0 {
		m.head.Faults += count
	}
	m.tracef(nil, EvNote, "fault armed: %s -> %s x%d", api, code, count)
}

// takeFault consumes one armed fault for api, if any. Callers hold the lock.
func (m *Machine) takeFault(api string) (Code, bool) {
	for i := range m.faults {
		f := &m.faults[i]
		if f.api == api && f.count > 0 {
			f.count--
			m.head.Faults--
			m.tracef(nil, EvNote, "fault injected: %s -> %s", api, f.code)
			return f.code, true
		}
	}
	return Code{}, false
}

// FaultAPIs returns the APIs whose models consult injected faults, each with
// the kinds of code the call returns: a Win32 error from the SCM's calls, an
// NTSTATUS from NtFlushKey, a SECURITY_STATUS (HRESULT) from NCrypt, and
// either a Win32 error or an NTE_* HRESULT from the CryptoAPI's
// GetLastError. A fault armed for any other name never fires, and a code of
// another kind is not what the call can return, so scenario decoding
// refuses both.
func FaultAPIs() map[string][]Kind {
	return map[string][]Kind{
		"StartService":              {KindWin32},
		"ControlService":            {KindWin32},
		"NtFlushKey":                {KindNTStatus},
		"NCryptOpenStorageProvider": {KindHResult},
		"NCryptOpenKey":             {KindHResult},
		"NCryptCreatePersistedKey":  {KindHResult},
		"CryptAcquireContext":       {KindWin32, KindHResult},
		"CryptReleaseContext":       {KindWin32, KindHResult},
	}
}
