package windows

import (
	"fmt"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The configuration calls. The real system holds the backend's names for
// the scenario's (a prefix before each service name, display name,
// dependency and group) and the test service's command line for every
// binary path, so the strings a call returns are mapped back, and the byte
// counts with them: before a call that answers a size, the backend reads
// what the call will return with a buffer large enough (a probe), and moves
// the scenario's size and the size the system answers by the bytes the
// backend's strings add. The fixed parts of the structures and the way the
// system counts are the real system's.

// probeSize is the buffer of a probe: the most the SCM's RPC interface
// answers for one service's configuration.
const probeSize = 8192

// scenarioBinary returns the binary path the scenario gave the service the
// handle h is open to, for the real one, which is the test service's
// command line.
func (b *Backend) scenarioBinary(h sim.Handle, real string) string {
	b.mu.Lock()
	name, known := b.open[windows.Handle(h)]
	b.mu.Unlock()
	if !known {
		return real
	}
	s := b.service(name)
	if s == nil {
		return real
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.binary != "" && real == b.serviceCommand(s.real) {
		return s.binary
	}
	return real
}

// setScenarioBinary records the binary path the scenario gave the service
// of h.
func (b *Backend) setScenarioBinary(h sim.Handle, binary string) {
	b.mu.Lock()
	name := b.open[windows.Handle(h)]
	b.mu.Unlock()
	if s := b.service(name); s != nil {
		s.mu.Lock()
		s.binary = binary
		s.mu.Unlock()
	}
}

// readConfig decodes a QUERY_SERVICE_CONFIGW the system filled, with the
// scenario's names.
func (b *Backend) readConfig(h sim.Handle, c *windows.QUERY_SERVICE_CONFIG) win32.QUERY_SERVICE_CONFIG {
	var deps []string
	for _, d := range multiSZTo(c.Dependencies) {
		deps = append(deps, b.names.toScenario(d))
	}
	return win32.QUERY_SERVICE_CONFIG{
		ServiceType:      win32.ServiceType(c.ServiceType),
		StartType:        win32.ServiceStartType(c.StartType),
		ErrorControl:     win32.ServiceErrorControl(c.ErrorControl),
		BinaryPathName:   b.scenarioBinary(h, windows.UTF16PtrToString(c.BinaryPathName)),
		LoadOrderGroup:   b.names.toScenario(windows.UTF16PtrToString(c.LoadOrderGroup)),
		TagId:            c.TagId,
		Dependencies:     deps,
		ServiceStartName: windows.UTF16PtrToString(c.ServiceStartName),
		DisplayName:      b.names.toScenario(windows.UTF16PtrToString(c.DisplayName)),
	}
}

// rawConfigBytes is the room c's strings take as the system returned them.
func rawConfigBytes(c *windows.QUERY_SERVICE_CONFIG) uint32 {
	n := uint32(0)
	for _, p := range []*uint16{c.BinaryPathName, c.LoadOrderGroup, c.ServiceStartName, c.DisplayName} {
		n += uint32(len(windows.UTF16PtrToString(p))+1) * 2
	}
	for _, d := range multiSZTo(c.Dependencies) {
		n += uint32(len(utf16.Encode([]rune(d)))+1) * 2
	}
	return n
}

// scenarioConfigBytes is the room the same strings take with the
// scenario's names.
func scenarioConfigBytes(c win32.QUERY_SERVICE_CONFIG) uint32 {
	n := win32.StringBytes(c.BinaryPathName) + win32.StringBytes(c.LoadOrderGroup) + win32.StringBytes(c.ServiceStartName) + win32.StringBytes(c.DisplayName)
	for _, d := range c.Dependencies {
		n += win32.StringBytes(d)
	}
	return n
}

// multiSZTo decodes a MULTI_SZ list.
func multiSZTo(p *uint16) []string {
	var out []string
	for p != nil && *p != 0 {
		s := windows.UTF16PtrToString(p)
		out = append(out, s)
		p = (*uint16)(unsafe.Add(unsafe.Pointer(p), (len(utf16.Encode([]rune(s)))+1)*2))
	}
	return out
}

// QueryServiceConfig implements backend.SCM. A NULL pcbBytesNeeded and a
// NULL buffer of nonzero size are declined, as the model declines them.
func (b *Backend) QueryServiceConfig(th string, h sim.Handle, out *win32.QUERY_SERVICE_CONFIG, size uint32, needed *uint32) (code sim.Errno) {
	if b.wineSCMGuard("QueryServiceConfig", h) {
		return backend.DeclinedErrno
	}
	if needed == nil || (out == nil && size != 0) {
		b.refuse(fmt.Errorf("QueryServiceConfig(%s): a NULL pcbBytesNeeded, or a NULL buffer of nonzero size: %w", h, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		probe := make([]uint64, probeSize/8)
		pc := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&probe[0]))
		var n uint32
		delta := uint32(0)
		if windows.QueryServiceConfig(windows.Handle(h), pc, probeSize, &n) == nil {
			delta = rawConfigBytes(pc) - scenarioConfigBytes(b.readConfig(h, pc))
		}
		var err error
		if out == nil {
			err = windows.QueryServiceConfig(windows.Handle(h), nil, 0, &n)
		} else {
			buf := make([]uint64, (size+delta)/8+1)
			c := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
			err = windows.QueryServiceConfig(windows.Handle(h), c, size+delta, &n)
			if err == nil {
				*out = b.readConfig(h, c)
			}
		}
		code = errno(err)
		*needed = n - min(n, delta)
	})
	return code
}

// ChangeServiceConfig implements backend.SCM. A binary path other than ""
// stays the test service's command line on the system; the scenario's is
// what QueryServiceConfig then reports.
func (b *Backend) ChangeServiceConfig(th string, h sim.Handle, p win32.ChangeServiceConfigParams) (code sim.Errno) {
	if b.wineSCMGuard("ChangeServiceConfig", h) {
		return backend.DeclinedErrno
	}
	binary := p.BinaryPathName
	if binary != nil && *binary != "" {
		b.mu.Lock()
		name, known := b.open[windows.Handle(h)]
		b.mu.Unlock()
		if s := b.service(name); known && s != nil {
			cmd := b.serviceCommand(s.real)
			binary = &cmd
		}
	}
	var deps *uint16
	if p.Dependencies != nil {
		var real []string
		for _, d := range *p.Dependencies {
			real = append(real, b.names.toReal(d))
		}
		deps = multiSZFrom(real)
		if deps == nil {
			empty := []uint16{0, 0}
			deps = &empty[0]
		}
	}
	b.worker(th).call(func() {
		err := windows.ChangeServiceConfig(windows.Handle(h), uint32(p.ServiceType), uint32(p.StartType), uint32(p.ErrorControl),
			utf16Ptr(binary), utf16Ptr(b.names.toRealPtr(p.LoadOrderGroup)), nil, deps, utf16Ptr(p.ServiceStartName), utf16Ptr(p.Password),
			utf16Ptr(b.names.toRealPtr(p.DisplayName)))
		code = errno(err)
		if err == nil && p.BinaryPathName != nil {
			b.setScenarioBinary(h, *p.BinaryPathName)
		}
	})
	return code
}

// QueryServiceConfig2 implements backend.SCM, at the three levels the
// model keeps; the others are declined.
func (b *Backend) QueryServiceConfig2(th string, h sim.Handle, level uint32, out *win32.ServiceConfigInfo, size uint32, needed *uint32) (code sim.Errno) {
	if b.wineSCMGuard("QueryServiceConfig2", h) {
		return backend.DeclinedErrno
	}
	if level >= win32.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG && level <= win32.SERVICE_CONFIG_LAUNCH_PROTECTED {
		b.refuse(fmt.Errorf("QueryServiceConfig2(%s) at level %d, which the model does not keep: %w", h, level, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		var buf []uint64
		var p *byte
		if out != nil {
			buf = make([]uint64, size/8+1)
			p = (*byte)(unsafe.Pointer(&buf[0]))
		}
		err := windows.QueryServiceConfig2(windows.Handle(h), level, p, size, needed)
		code = errno(err)
		if err != nil || out == nil {
			return
		}
		switch level {
		case win32.SERVICE_CONFIG_DESCRIPTION:
			d := (*windows.SERVICE_DESCRIPTION)(unsafe.Pointer(p))
			out.Description = strOrNil(d.Description)
		case win32.SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
			out.DelayedAutostart = (*windows.SERVICE_DELAYED_AUTO_START_INFO)(unsafe.Pointer(p)).IsDelayedAutoStartUp != 0
		case win32.SERVICE_CONFIG_FAILURE_ACTIONS:
			fa := (*windows.SERVICE_FAILURE_ACTIONS)(unsafe.Pointer(p))
			out.FailureActions = win32.SERVICE_FAILURE_ACTIONS{ResetPeriod: fa.ResetPeriod, RebootMsg: strOrNil(fa.RebootMsg), Command: strOrNil(fa.Command)}
			if fa.ActionsCount > 0 && fa.Actions != nil {
				for _, a := range unsafe.Slice(fa.Actions, fa.ActionsCount) {
					out.FailureActions.Actions = append(out.FailureActions.Actions, win32.SC_ACTION{Type: win32.SC_ACTION_TYPE(a.Type), Delay: a.Delay})
				}
			}
		}
	})
	return code
}

// strOrNil decodes a string that may be NULL.
func strOrNil(p *uint16) *string {
	if p == nil {
		return nil
	}
	s := windows.UTF16PtrToString(p)
	return &s
}

// ChangeServiceConfig2 implements backend.SCM, at the three levels the
// model keeps; the others are declined.
func (b *Backend) ChangeServiceConfig2(th string, h sim.Handle, level uint32, info *win32.ServiceConfigInfo) (code sim.Errno) {
	if b.wineSCMGuard("ChangeServiceConfig2", h) {
		return backend.DeclinedErrno
	}
	if level >= win32.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG && level <= win32.SERVICE_CONFIG_LAUNCH_PROTECTED {
		b.refuse(fmt.Errorf("ChangeServiceConfig2(%s) at level %d, which the model does not keep: %w", h, level, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	if info == nil {
		b.refuse(fmt.Errorf("ChangeServiceConfig2(%s) with a NULL lpInfo: the server reads through it: %w", h, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		var p *byte
		var desc windows.SERVICE_DESCRIPTION
		var delayed windows.SERVICE_DELAYED_AUTO_START_INFO
		var fa windows.SERVICE_FAILURE_ACTIONS
		var actions []windows.SC_ACTION
		switch level {
		case win32.SERVICE_CONFIG_DESCRIPTION:
			desc.Description = utf16Ptr(info.Description)
			p = (*byte)(unsafe.Pointer(&desc))
		case win32.SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
			if info.DelayedAutostart {
				delayed.IsDelayedAutoStartUp = 1
			}
			p = (*byte)(unsafe.Pointer(&delayed))
		default:
			in := info.FailureActions
			fa.ResetPeriod, fa.RebootMsg, fa.Command = in.ResetPeriod, utf16Ptr(in.RebootMsg), utf16Ptr(in.Command)
			for _, a := range in.Actions {
				actions = append(actions, windows.SC_ACTION{Type: uint32(a.Type), Delay: a.Delay})
			}
			if in.Actions != nil {
				fa.ActionsCount = uint32(len(actions))
				if len(actions) > 0 {
					fa.Actions = &actions[0]
				} else {
					var none windows.SC_ACTION
					fa.Actions = &none
				}
			}
			p = (*byte)(unsafe.Pointer(&fa))
		}
		code = errno(windows.ChangeServiceConfig2(windows.Handle(h), level, p))
	})
	return code
}

// EnumServicesStatusEx implements backend.SCM for a named group (the
// backend's name for it): without one, or with "" (the services in no
// group), the system's own services would be listed too, and the call is
// declined. The sizes are moved by the bytes the backend's prefix adds to
// each entry's two names; under Wine 8.0, whose answer is twice its
// server's count of every entry, by twice that for every entry.
func (b *Backend) EnumServicesStatusEx(th string, h sim.Handle, p win32.EnumServicesParams, out *[]win32.ENUM_SERVICE_STATUS_PROCESS, size uint32, needed, returned *uint32) (code sim.Errno) {
	if b.wineSCMGuard("EnumServicesStatusEx", h) {
		return backend.DeclinedErrno
	}
	if p.GroupName == nil || *p.GroupName == "" {
		b.refuse(fmt.Errorf("EnumServicesStatusEx(%s) without a group: the system's own services would be listed: %w", h, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	if out == nil && size != 0 {
		b.refuse(fmt.Errorf("EnumServicesStatusEx(%s) with a NULL buffer of nonzero size: %w", h, backend.ErrUnsupported))
		return backend.DeclinedErrno
	}
	group := b.names.toRealPtr(p.GroupName)
	perEntry := uint32(len(utf16.Encode([]rune(b.names.prefix)))) * 4
	b.worker(th).call(func() {
		// The probe: every entry from the resume point, to learn how many
		// the scenario's size holds.
		var all []win32.ENUM_SERVICE_STATUS_PROCESS
		var start uint32
		if p.ResumeHandle != nil {
			start = *p.ResumeHandle
		}
		probe := make([]uint64, 65536/8)
		var pn, pr uint32
		resume := start
		if windows.EnumServicesStatusEx(windows.Handle(h), p.InfoLevel, uint32(p.ServiceType), p.ServiceState, (*byte)(unsafe.Pointer(&probe[0])), 65536, &pn, &pr, &resume, utf16Ptr(group)) == nil {
			all = b.readEntries(probe, pr)
		}
		fit := 0
		used := uint32(0)
		for fit < len(all) && used+all[fit].BytesNeeded() <= size {
			used += all[fit].BytesNeeded()
			fit++
		}
		realSize := size + perEntry*uint32(fit)
		var buf []uint64
		var bp *byte
		if out != nil {
			buf = make([]uint64, realSize/8+1)
			bp = (*byte)(unsafe.Pointer(&buf[0]))
		}
		err := windows.EnumServicesStatusEx(windows.Handle(h), p.InfoLevel, uint32(p.ServiceType), p.ServiceState, bp, realSize, needed, returned, p.ResumeHandle, utf16Ptr(group))
		code = errno(err)
		if returned != nil && out != nil {
			*out = b.readEntries(buf, *returned)
		}
		if needed != nil && *needed != 0 {
			left := uint32(len(all) - fit)
			if b.profile == "wine-8.0" {
				left = 2 * uint32(len(all))
			}
			*needed -= min(*needed, perEntry*left)
		}
	})
	return code
}

// readEntries decodes n entries of an EnumServicesStatusEx buffer, with
// the scenario's names.
func (b *Backend) readEntries(buf []uint64, n uint32) []win32.ENUM_SERVICE_STATUS_PROCESS {
	if n == 0 || len(buf) == 0 {
		return nil
	}
	var out []win32.ENUM_SERVICE_STATUS_PROCESS
	for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), n) {
		ss := e.ServiceStatusProcess
		out = append(out, win32.ENUM_SERVICE_STATUS_PROCESS{
			ServiceName: b.names.toScenario(windows.UTF16PtrToString(e.ServiceName)),
			DisplayName: b.names.toScenario(windows.UTF16PtrToString(e.DisplayName)),
			ServiceStatusProcess: win32.SERVICE_STATUS_PROCESS{
				ServiceType: win32.ServiceType(ss.ServiceType), CurrentState: win32.ServiceState(ss.CurrentState),
				ControlsAccepted: win32.ServiceAccept(ss.ControlsAccepted), Win32ExitCode: ss.Win32ExitCode,
				ServiceSpecificExitCode: ss.ServiceSpecificExitCode, CheckPoint: ss.CheckPoint, WaitHint: ss.WaitHint,
				ProcessId: ss.ProcessId, ServiceFlags: ss.ServiceFlags,
			},
		})
	}
	return out
}
