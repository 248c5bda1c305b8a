package mgr

import (
	"unsafe"

	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows"
)

// Service start types and error controls.
const (
	StartManual    = windows.SERVICE_DEMAND_START // started by StartService only
	StartAutomatic = windows.SERVICE_AUTO_START   // started at boot (the model has no boot)
	StartDisabled  = windows.SERVICE_DISABLED     // StartService gives ERROR_SERVICE_DISABLED

	ErrorCritical = windows.SERVICE_ERROR_CRITICAL
	ErrorIgnore   = windows.SERVICE_ERROR_IGNORE
	ErrorNormal   = windows.SERVICE_ERROR_NORMAL
	ErrorSevere   = windows.SERVICE_ERROR_SEVERE
)

// Config is a service's configuration, as CreateService and UpdateConfig
// take it and Service.Config returns it. On the model SidType must be
// SERVICE_SID_TYPE_NONE (see the package documentation); TagId is only
// reported.
type Config struct {
	ServiceType      uint32
	StartType        uint32
	ErrorControl     uint32
	BinaryPathName   string // the command line: the executable and its arguments
	LoadOrderGroup   string
	TagId            uint32
	Dependencies     []string
	ServiceStartName string // the account the service runs as (stored; the model has no accounts)
	DisplayName      string
	Password         string
	Description      string
	SidType          uint32 // a SERVICE_SID_TYPE_* value (not modeled)
	DelayedAutoStart bool   // a delayed automatic start (stored; the model has no boot)
}

// multiStrings reads a list of NUL-terminated strings ending with an empty
// one, as x/sys's mgr does.
func multiStrings(p *uint16) []string {
	out := make([]string, 0)
	for p != nil && *p != 0 {
		var units []uint16
		for ; *p != 0; p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2)) {
			units = append(units, *p)
		}
		p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2))
		out = append(out, win32.DecodeWTF16(units))
	}
	return out
}

// utf16PtrToString is windows.UTF16PtrToString: "" for nil.
func utf16PtrToString(p *uint16) string {
	if p == nil {
		return ""
	}
	s := multiStrings(p)
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// Config returns s's configuration: QueryServiceConfig's, with the
// description and the delayed automatic start of QueryServiceConfig2. The
// SID type (SERVICE_CONFIG_SERVICE_SID_INFO) is not modeled: no twin call
// sets one (CreateService and UpdateConfig refuse a SidType other than
// SERVICE_SID_TYPE_NONE), so Config reports SERVICE_SID_TYPE_NONE, the
// type of a service nothing set one for, without asking.
func (s *Service) Config() (Config, error) {
	n := uint32(1024)
	var p *windows.QUERY_SERVICE_CONFIG
	for {
		b := make([]byte, n)
		p = (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&b[0]))
		err := windows.QueryServiceConfig(s.Handle, p, n, &n)
		if err == nil {
			break
		}
		if err != windows.ERROR_INSUFFICIENT_BUFFER || n <= uint32(len(b)) {
			return Config{}, err
		}
	}
	b, err := s.queryServiceConfig2(windows.SERVICE_CONFIG_DESCRIPTION)
	if err != nil {
		return Config{}, err
	}
	desc := (*windows.SERVICE_DESCRIPTION)(unsafe.Pointer(&b[0]))
	b, err = s.queryServiceConfig2(windows.SERVICE_CONFIG_DELAYED_AUTO_START_INFO)
	if err != nil {
		return Config{}, err
	}
	delayed := (*windows.SERVICE_DELAYED_AUTO_START_INFO)(unsafe.Pointer(&b[0]))
	return Config{
		ServiceType:      p.ServiceType,
		StartType:        p.StartType,
		ErrorControl:     p.ErrorControl,
		BinaryPathName:   utf16PtrToString(p.BinaryPathName),
		LoadOrderGroup:   utf16PtrToString(p.LoadOrderGroup),
		TagId:            p.TagId,
		Dependencies:     multiStrings(p.Dependencies),
		ServiceStartName: utf16PtrToString(p.ServiceStartName),
		DisplayName:      utf16PtrToString(p.DisplayName),
		Description:      utf16PtrToString(desc.Description),
		DelayedAutoStart: delayed.IsDelayedAutoStartUp != 0,
		SidType:          windows.SERVICE_SID_TYPE_NONE,
	}, nil
}

// UpdateConfig sets s's configuration to c: ChangeServiceConfig with c's
// fields (empty strings leave theirs as they are), then its delayed
// automatic start and description with ChangeServiceConfig2. A SidType
// other than SERVICE_SID_TYPE_NONE is not modeled and is refused, matching
// errors.ErrUnsupported, before any change.
func (s *Service) UpdateConfig(c Config) error {
	if c.SidType != windows.SERVICE_SID_TYPE_NONE {
		return errUnmodeledConfig("UpdateConfig", "SidType")
	}
	var ptrs [5]*uint16
	for i, str := range []string{c.BinaryPathName, c.LoadOrderGroup, c.ServiceStartName, c.Password, c.DisplayName} {
		p, err := toPtr(str)
		if err != nil {
			return err
		}
		ptrs[i] = p
	}
	err := windows.ChangeServiceConfig(s.Handle, c.ServiceType, c.StartType, c.ErrorControl,
		ptrs[0], ptrs[1], nil, toStringBlock(c.Dependencies), ptrs[2], ptrs[3], ptrs[4])
	if err != nil {
		return err
	}
	if err := updateStartUp(s.Handle, c.DelayedAutoStart); err != nil {
		return err
	}
	return updateDescription(s.Handle, c.Description)
}

// updateDescription sets a service's description ("" removes it).
func updateDescription(h windows.Handle, desc string) error {
	p, err := toPtr(desc)
	if err != nil {
		return err
	}
	d := windows.SERVICE_DESCRIPTION{Description: p}
	return windows.ChangeServiceConfig2(h, windows.SERVICE_CONFIG_DESCRIPTION, (*byte)(unsafe.Pointer(&d)))
}

// updateStartUp sets a service's delayed automatic start.
func updateStartUp(h windows.Handle, delayed bool) error {
	var d windows.SERVICE_DELAYED_AUTO_START_INFO
	if delayed {
		d.IsDelayedAutoStartUp = 1
	}
	return windows.ChangeServiceConfig2(h, windows.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, (*byte)(unsafe.Pointer(&d)))
}

// queryServiceConfig2 returns s's configuration at level, in a buffer
// grown until it holds it.
func (s *Service) queryServiceConfig2(level uint32) ([]byte, error) {
	n := uint32(1024)
	for {
		b := make([]byte, n)
		err := windows.QueryServiceConfig2(s.Handle, level, &b[0], n, &n)
		if err == nil {
			return b, nil
		}
		if err != windows.ERROR_INSUFFICIENT_BUFFER || n <= uint32(len(b)) {
			return nil, err
		}
	}
}
