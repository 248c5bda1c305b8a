package windows

import (
	"unsafe"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows/internal/twinfam"
	"github.com/winsim/winsim/windows/internal/twinrt"
	"github.com/winsim/winsim/windows/internal/twinsvc"
)

// Configuration levels, failure action types, enumeration levels and
// states (winsvc.h), untyped as in x/sys.
const (
	SC_ACTION_NONE        = 0
	SC_ACTION_RESTART     = 1
	SC_ACTION_REBOOT      = 2
	SC_ACTION_RUN_COMMAND = 3

	SERVICE_CONFIG_DESCRIPTION              = 1
	SERVICE_CONFIG_FAILURE_ACTIONS          = 2
	SERVICE_CONFIG_DELAYED_AUTO_START_INFO  = 3
	SERVICE_CONFIG_FAILURE_ACTIONS_FLAG     = 4
	SERVICE_CONFIG_SERVICE_SID_INFO         = 5
	SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO = 6
	SERVICE_CONFIG_PRESHUTDOWN_INFO         = 7
	SERVICE_CONFIG_TRIGGER_INFO             = 8
	SERVICE_CONFIG_PREFERRED_NODE           = 9
	SERVICE_CONFIG_LAUNCH_PROTECTED         = 12

	SERVICE_SID_TYPE_NONE         = 0
	SERVICE_SID_TYPE_UNRESTRICTED = 1
	SERVICE_SID_TYPE_RESTRICTED   = 2 | SERVICE_SID_TYPE_UNRESTRICTED

	SC_ENUM_PROCESS_INFO = 0

	SERVICE_ACTIVE    = 1
	SERVICE_INACTIVE  = 2
	SERVICE_STATE_ALL = 3
)

// QUERY_SERVICE_CONFIG is a service's configuration as QueryServiceConfig
// fills it: its strings live in the caller's buffer, after the structure.
// Dependencies is a list of NUL-terminated names ending with an empty one.
type QUERY_SERVICE_CONFIG struct {
	ServiceType      uint32
	StartType        uint32
	ErrorControl     uint32
	BinaryPathName   *uint16
	LoadOrderGroup   *uint16
	TagId            uint32
	Dependencies     *uint16
	ServiceStartName *uint16
	DisplayName      *uint16
}

// SERVICE_DESCRIPTION is level SERVICE_CONFIG_DESCRIPTION's structure.
type SERVICE_DESCRIPTION struct {
	Description *uint16
}

// SERVICE_DELAYED_AUTO_START_INFO is level
// SERVICE_CONFIG_DELAYED_AUTO_START_INFO's structure.
type SERVICE_DELAYED_AUTO_START_INFO struct {
	IsDelayedAutoStartUp uint32
}

// SERVICE_FAILURE_ACTIONS is level SERVICE_CONFIG_FAILURE_ACTIONS's
// structure: Actions points to ActionsCount SC_ACTIONs.
type SERVICE_FAILURE_ACTIONS struct {
	ResetPeriod  uint32
	RebootMsg    *uint16
	Command      *uint16
	ActionsCount uint32
	Actions      *SC_ACTION
}

// SC_ACTION is one failure action: its type (SC_ACTION_*) and the delay
// before it, in milliseconds.
type SC_ACTION struct {
	Type  uint32
	Delay uint32
}

// ENUM_SERVICE_STATUS_PROCESS is one entry of EnumServicesStatusEx's
// answer; its names live in the caller's buffer, after the entries.
type ENUM_SERVICE_STATUS_PROCESS struct {
	ServiceName          *uint16
	DisplayName          *uint16
	ServiceStatusProcess SERVICE_STATUS_PROCESS
}

// bufferWriter lays out strings and arrays in a caller's buffer after its
// fixed part, as the SCM's calls return them.
type bufferWriter struct {
	buf []byte
	off uintptr
}

// newBufferWriter writes into the size bytes at p, from offset fixed on.
func newBufferWriter(p unsafe.Pointer, size uint32, fixed uintptr) *bufferWriter {
	return &bufferWriter{buf: unsafe.Slice((*byte)(p), size), off: fixed}
}

// units writes UTF-16 code units and returns where they start.
func (w *bufferWriter) units(u []uint16) *uint16 {
	w.off = (w.off + 1) &^ 1
	start := w.off
	dst := unsafe.Slice((*uint16)(unsafe.Pointer(&w.buf[start])), len(u))
	copy(dst, u)
	w.off += uintptr(2 * len(u))
	return (*uint16)(unsafe.Pointer(&w.buf[start]))
}

// str writes s with its terminating NUL.
func (w *bufferWriter) str(s string) *uint16 { return w.units(append(win32.EncodeWTF16(s), 0)) }

// optStr writes s, or nothing for nil.
func (w *bufferWriter) optStr(s *string) *uint16 {
	if s == nil {
		return nil
	}
	return w.str(*s)
}

// multi writes names as a list of NUL-terminated strings ending with an
// empty one.
func (w *bufferWriter) multi(names []string) *uint16 {
	var u []uint16
	for _, n := range names {
		u = append(append(u, win32.EncodeWTF16(n)...), 0)
	}
	return w.units(append(u, 0))
}

// QueryServiceConfig fills serviceConfig, a buffer of bufSize bytes, with
// the service's configuration and its strings, and sets *bytesNeeded to
// the size they take; a buffer too small gives ERROR_INSUFFICIENT_BUFFER
// with the size needed.
func QueryServiceConfig(service Handle, serviceConfig *QUERY_SERVICE_CONFIG, bufSize uint32, bytesNeeded *uint32) (err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	var cfg win32.QUERY_SERVICE_CONFIG
	out := &cfg
	if serviceConfig == nil {
		out = nil
	}
	b.Call(func(th *twinrt.Thread) {
		err = lastErr(th, mg.QueryServiceConfig(th.T, sim.Handle(service), out, bufSize, bytesNeeded))
	})
	if err != nil {
		return err
	}
	w := newBufferWriter(unsafe.Pointer(serviceConfig), bufSize, unsafe.Sizeof(*serviceConfig))
	*serviceConfig = QUERY_SERVICE_CONFIG{
		ServiceType: uint32(cfg.ServiceType), StartType: uint32(cfg.StartType), ErrorControl: uint32(cfg.ErrorControl),
		BinaryPathName: w.str(cfg.BinaryPathName), LoadOrderGroup: w.str(cfg.LoadOrderGroup), TagId: cfg.TagId,
		Dependencies: w.multi(cfg.Dependencies), ServiceStartName: w.str(cfg.ServiceStartName), DisplayName: w.str(cfg.DisplayName),
	}
	return nil
}

// ChangeServiceConfig changes what is given of a service's configuration:
// a DWORD other than SERVICE_NO_CHANGE, a pointer that is not nil. A tag
// (tagId not nil) is not modeled and is refused with an error matching
// errors.ErrUnsupported, and nothing is changed.
func ChangeServiceConfig(service Handle, serviceType uint32, startType uint32, errorControl uint32, binaryPathName *uint16, loadOrderGroup *uint16, tagId *uint32, dependencies *uint16, serviceStartName *uint16, password *uint16, displayName *uint16) (err error) {
	if tagId != nil {
		return &unmodeledError{"ChangeServiceConfig", "a tag (lpdwTagId not NULL)", ruleServiceAccounts}
	}
	p := win32.ChangeServiceConfigParams{
		ServiceType: win32.ServiceType(serviceType), StartType: win32.ServiceStartType(startType), ErrorControl: win32.ServiceErrorControl(errorControl),
		BinaryPathName: utf16PtrString(binaryPathName), LoadOrderGroup: utf16PtrString(loadOrderGroup),
		ServiceStartName: utf16PtrString(serviceStartName), Password: utf16PtrString(password), DisplayName: utf16PtrString(displayName),
	}
	if dependencies != nil {
		deps := multiString(dependencies)
		p.Dependencies = &deps
	}
	b := twinrt.Current()
	mg, sv := twinfam.SCM(b), twinsvc.Of(b)
	b.Call(func(th *twinrt.Thread) {
		err = lastErr(th, mg.ChangeServiceConfig(th.T, sim.Handle(service), p))
		if err == nil && p.BinaryPathName != nil {
			if name, ok := sv.NameOf(th.T, sim.Handle(service)); ok {
				sv.Created(th.T, sim.Handle(service), name, *p.BinaryPathName)
			}
		}
	})
	return err
}

// QueryServiceConfig2 fills buff, of buffSize bytes, with the service's
// configuration at infoLevel: SERVICE_CONFIG_DESCRIPTION,
// SERVICE_CONFIG_DELAYED_AUTO_START_INFO or SERVICE_CONFIG_FAILURE_ACTIONS
// (the levels the model keeps; others give ERROR_INVALID_LEVEL), and sets
// *bytesNeeded to the size it takes.
func QueryServiceConfig2(service Handle, infoLevel uint32, buff *byte, buffSize uint32, bytesNeeded *uint32) (err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	var info win32.ServiceConfigInfo
	out := &info
	if buff == nil {
		out = nil
	}
	b.Call(func(th *twinrt.Thread) {
		err = lastErr(th, mg.QueryServiceConfig2(th.T, sim.Handle(service), infoLevel, out, buffSize, bytesNeeded))
	})
	if err != nil {
		return err
	}
	switch infoLevel {
	case SERVICE_CONFIG_DESCRIPTION:
		d := (*SERVICE_DESCRIPTION)(unsafe.Pointer(buff))
		w := newBufferWriter(unsafe.Pointer(buff), buffSize, unsafe.Sizeof(*d))
		desc := info.Description
		if desc != nil && *desc == "" {
			desc = nil
		}
		*d = SERVICE_DESCRIPTION{Description: w.optStr(desc)}
	case SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
		d := (*SERVICE_DELAYED_AUTO_START_INFO)(unsafe.Pointer(buff))
		*d = SERVICE_DELAYED_AUTO_START_INFO{}
		if info.DelayedAutostart {
			d.IsDelayedAutoStartUp = 1
		}
	case SERVICE_CONFIG_FAILURE_ACTIONS:
		fa := &info.FailureActions
		d := (*SERVICE_FAILURE_ACTIONS)(unsafe.Pointer(buff))
		w := newBufferWriter(unsafe.Pointer(buff), buffSize, unsafe.Sizeof(*d))
		out := SERVICE_FAILURE_ACTIONS{ResetPeriod: fa.ResetPeriod, ActionsCount: uint32(len(fa.Actions))}
		if len(fa.Actions) > 0 {
			w.off = (w.off + 3) &^ 3
			actions := unsafe.Slice((*SC_ACTION)(unsafe.Pointer(&w.buf[w.off])), len(fa.Actions))
			for i, a := range fa.Actions {
				actions[i] = SC_ACTION{Type: uint32(a.Type), Delay: a.Delay}
			}
			out.Actions = &actions[0]
			w.off += uintptr(len(fa.Actions)) * unsafe.Sizeof(SC_ACTION{})
		}
		out.RebootMsg, out.Command = w.optStr(fa.RebootMsg), w.optStr(fa.Command)
		*d = out
	}
	return nil
}

// ChangeServiceConfig2 changes the service's configuration at infoLevel
// from info, the level's structure: SERVICE_CONFIG_DESCRIPTION (a nil
// Description keeps it, an empty one removes it),
// SERVICE_CONFIG_DELAYED_AUTO_START_INFO or SERVICE_CONFIG_FAILURE_ACTIONS
// (stored; the model never runs them). Other levels give
// ERROR_INVALID_LEVEL.
func ChangeServiceConfig2(service Handle, infoLevel uint32, info *byte) (err error) {
	var in *win32.ServiceConfigInfo
	if info != nil {
		in = &win32.ServiceConfigInfo{}
		switch infoLevel {
		case SERVICE_CONFIG_DESCRIPTION:
			in.Description = utf16PtrString((*SERVICE_DESCRIPTION)(unsafe.Pointer(info)).Description)
		case SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
			in.DelayedAutostart = (*SERVICE_DELAYED_AUTO_START_INFO)(unsafe.Pointer(info)).IsDelayedAutoStartUp != 0
		case SERVICE_CONFIG_FAILURE_ACTIONS:
			fa := (*SERVICE_FAILURE_ACTIONS)(unsafe.Pointer(info))
			in.FailureActions = win32.SERVICE_FAILURE_ACTIONS{ResetPeriod: fa.ResetPeriod,
				RebootMsg: utf16PtrString(fa.RebootMsg), Command: utf16PtrString(fa.Command)}
			if fa.Actions != nil {
				in.FailureActions.Actions = []win32.SC_ACTION{}
				for _, a := range unsafe.Slice(fa.Actions, fa.ActionsCount) {
					in.FailureActions.Actions = append(in.FailureActions.Actions, win32.SC_ACTION{Type: win32.SC_ACTION_TYPE(a.Type), Delay: a.Delay})
				}
			}
		}
	}
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	b.Call(func(th *twinrt.Thread) {
		err = lastErr(th, mg.ChangeServiceConfig2(th.T, sim.Handle(service), infoLevel, in))
	})
	return err
}

// EnumServicesStatusEx lists the services of the database that match
// serviceType, serviceState and groupName (nil: every group) into
// services, a buffer of bufSize bytes: the entries first, then their
// names. It sets *bytesNeeded and *servicesReturned; a buffer too small
// for every entry gives ERROR_MORE_DATA with the entries that fit, the
// room the others need, and, with resumeHandle, where to go on.
func EnumServicesStatusEx(mgr Handle, infoLevel uint32, serviceType uint32, serviceState uint32, services *byte, bufSize uint32, bytesNeeded *uint32, servicesReturned *uint32, resumeHandle *uint32, groupName *uint16) (err error) {
	b := twinrt.Current()
	mg := twinfam.SCM(b)
	p := win32.EnumServicesParams{InfoLevel: infoLevel, ServiceType: win32.ServiceType(serviceType), ServiceState: serviceState,
		ResumeHandle: resumeHandle, GroupName: utf16PtrString(groupName)}
	var list []win32.ENUM_SERVICE_STATUS_PROCESS
	out := &list
	if services == nil {
		out = nil
	}
	var code sim.Errno
	b.Call(func(th *twinrt.Thread) {
		code = mg.EnumServicesStatusEx(th.T, sim.Handle(mgr), p, out, bufSize, bytesNeeded, servicesReturned)
		err = lastErr(th, code)
	})
	if (code != sim.ERROR_SUCCESS && code != sim.ERROR_MORE_DATA) || len(list) == 0 {
		return err
	}
	entry := unsafe.Sizeof(ENUM_SERVICE_STATUS_PROCESS{})
	w := newBufferWriter(unsafe.Pointer(services), bufSize, entry*uintptr(len(list)))
	entries := unsafe.Slice((*ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(services)), len(list))
	for i, e := range list {
		entries[i] = ENUM_SERVICE_STATUS_PROCESS{ServiceName: w.str(e.ServiceName), DisplayName: w.str(e.DisplayName),
			ServiceStatusProcess: fromModelStatusProcess(e.ServiceStatusProcess)}
	}
	return err
}
