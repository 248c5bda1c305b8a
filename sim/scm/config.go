package scm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// localSystem is the account a service created without one runs under
// (CreateServiceW, lpServiceStartName).
const localSystem = "LocalSystem"

// config is the stored configuration of a service beyond what CreateService
// kept before: the load order group, the account, and the optional
// configuration of ChangeServiceConfig2. The model stores the failure
// actions and never runs them.
type config struct {
	group            string
	startName        string
	description      string // "" is no description
	delayedAutostart bool
	failureActions   win32.SERVICE_FAILURE_ACTIONS
}

// queryConfig returns svc's QUERY_SERVICE_CONFIG as the profile's SCM
// reports it.
func (mg *Manager) queryConfig(svc *service) win32.QUERY_SERVICE_CONFIG {
	deps := slices.Clone(svc.deps)
	returned := mg.setting(&settingDependenciesReturned)
	returned = sim.FaultBroken("scm.config.dependencies-wine", returned, true)
	if !returned {
		deps = nil
	}
	return win32.QUERY_SERVICE_CONFIG{
		ServiceType:      svc.status.ServiceType,
		StartType:        svc.startType,
		ErrorControl:     svc.errorControl,
		BinaryPathName:   svc.binary,
		LoadOrderGroup:   svc.cfg.group,
		TagId:            0,
		Dependencies:     deps,
		ServiceStartName: svc.cfg.startName,
		DisplayName:      mg.reportedDisplay(svc),
	}
}

// reportedDisplay is the display name QueryServiceConfig reports: the key
// name for a service that was given none, or, where the profile reports
// only a display name given (Wine 8.0), an empty string.
func (mg *Manager) reportedDisplay(svc *service) string {
	defaulted := svc.namedDisplay || mg.setting(&settingDisplayNameDefaulted)
	defaulted = sim.FaultBroken("scm.config.display-default-wine", defaulted, true)
	if !defaulted {
		return ""
	}
	return svc.display
}

// defaultStartName is the account a new service records when CreateService
// names none: LocalSystem for a Win32 service, and nothing for a driver (a
// driver's object name is the system's default; the model reports it
// empty).
func (mg *Manager) defaultStartName(typ win32.ServiceType, given *string) string {
	if given != nil {
		return *given
	}
	defaulted := typ&serviceDriverTypes == 0
	defaulted = sim.FaultBroken("scm.config.start-name-default", defaulted, false)
	if defaulted {
		return localSystem
	}
	return ""
}

// QueryServiceConfig fills out with the service's configuration when size,
// the buffer's size in bytes, holds it, and writes the bytes it needs to
// *needed either way. A nil out is a NULL buffer. The handle needs
// SERVICE_QUERY_CONFIG. A buffer too small for the structure and its
// strings gives ERROR_INSUFFICIENT_BUFFER, out untouched.
func (mg *Manager) QueryServiceConfig(t *sim.Thread, hService sim.Handle, out *win32.QUERY_SERVICE_CONFIG, size uint32, needed *uint32) sim.Errno {
	mg.begin(t, "QueryServiceConfig")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("QueryServiceConfig(%s%s, %d)", hService, nullArg(out == nil), size)
	}
	sh, code := mg.configHandle(t, hService, win32.SERVICE_QUERY_CONFIG, "scm.config.invalid-handle", "scm.config.access")
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	cfg := mg.queryConfig(sh.svc)
	n := cfg.BytesNeeded()
	if needed != nil {
		*needed = n
	}
	short := out == nil || size < n
	short = sim.FaultBroken("scm.config.buffer-size", short, false)
	if short {
		return mg.ret(t, call, sim.ERROR_INSUFFICIENT_BUFFER)
	}
	*out = cfg
	kernel.TraceCall(mg.m, t, call, func() string { return fmt.Sprintf("%s, %d bytes", sim.ERROR_SUCCESS, n) })
	return sim.ERROR_SUCCESS
}

// configHandle resolves the service handle of a configuration call and
// checks the access right it needs; invalid and access name the call's
// rules for the two checks.
func (mg *Manager) configHandle(t *sim.Thread, h sim.Handle, right uint32, invalid, access string) (*serviceHandle, sim.Errno) {
	sh, ok := lookupService(t, h)
	if !ok {
		return nil, sim.FaultBroken(invalid, sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED)
	}
	denied := sh.access&right == 0
	denied = sim.FaultBroken(access, denied, false)
	if denied {
		return nil, sim.ERROR_ACCESS_DENIED
	}
	return sh, sim.ERROR_SUCCESS
}

// ChangeServiceConfig changes the parts of a service's configuration that p
// gives: a DWORD other than SERVICE_NO_CHANGE, a pointer that is not nil.
// The handle needs SERVICE_CHANGE_CONFIG; a service marked for delete
// cannot be changed; the new configuration is checked as CreateService
// checks a new one (types, error control, display name), and nothing is
// changed when it is refused. The password is accepted and not kept: the
// model has no accounts.
func (mg *Manager) ChangeServiceConfig(t *sim.Thread, hService sim.Handle, p win32.ChangeServiceConfigParams) sim.Errno {
	mg.begin(t, "ChangeServiceConfig")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("ChangeServiceConfig(%s, %s, %s, %s, %s)", hService, fmtChange(win32.GroupTypeChange, uint32(p.ServiceType)),
			fmtChange(win32.GroupStartChange, uint32(p.StartType)), fmtChange(win32.GroupErrorChange, uint32(p.ErrorControl)), fmtStr(p.DisplayName))
	}
	sh, code := mg.configHandle(t, hService, win32.SERVICE_CHANGE_CONFIG, "scm.change.invalid-handle", "scm.change.access")
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	svc := sh.svc
	marked := sim.FaultBroken("scm.change.marked-for-delete", svc.marked, false)
	if marked {
		return mg.ret(t, call, sim.ERROR_SERVICE_MARKED_FOR_DELETE)
	}
	typ, start, errCtl := svc.status.ServiceType, svc.startType, svc.errorControl
	keep := sim.FaultBroken("scm.change.no-change", true, false)
	if !keep || uint32(p.ServiceType) != win32.SERVICE_NO_CHANGE {
		typ = p.ServiceType
	}
	if !keep || uint32(p.StartType) != win32.SERVICE_NO_CHANGE {
		start = p.StartType
	}
	if !keep || uint32(p.ErrorControl) != win32.SERVICE_NO_CHANGE {
		errCtl = p.ErrorControl
	}
	bin := svc.binary
	if p.BinaryPathName != nil {
		bin = *p.BinaryPathName
	}
	if code := mg.createParamsRefused(win32.CreateServiceParams{BinaryPath: &bin, ServiceType: typ, StartType: start, ErrorControl: errCtl}); code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, sim.FaultBroken("scm.change.invalid-parameter", code, sim.ERROR_SUCCESS))
	}
	if p.DisplayName != nil && mg.displayTakenByOther(svc, *p.DisplayName) {
		return mg.ret(t, call, sim.FaultBroken("scm.change.duplicate-display", sim.ERROR_DUPLICATE_SERVICE_NAME, sim.ERROR_SUCCESS))
	}
	applied := sim.FaultBroken("scm.change.applied", true, false)
	if applied {
		mg.applyChange(svc, p, typ, start, errCtl, bin)
	}
	return mg.ret(t, call, sim.ERROR_SUCCESS)
}

// applyChange installs a checked change.
func (mg *Manager) applyChange(svc *service, p win32.ChangeServiceConfigParams, typ win32.ServiceType, start win32.ServiceStartType, errCtl win32.ServiceErrorControl, bin string) {
	svc.status.ServiceType, svc.startType, svc.errorControl, svc.binary = typ, start, errCtl, bin
	if p.LoadOrderGroup != nil {
		svc.cfg.group = *p.LoadOrderGroup
	}
	if p.ServiceStartName != nil {
		svc.cfg.startName = *p.ServiceStartName
	}
	if p.Dependencies != nil {
		mg.setDependencies(svc, *p.Dependencies)
	}
	if p.DisplayName != nil {
		mg.indexDisplay(svc, -1)
		svc.display, svc.namedDisplay = *p.DisplayName, true
		if *p.DisplayName == "" {
			// An empty display name stands for none: the key name shows.
			svc.display, svc.namedDisplay = svc.name, false
		}
		mg.indexDisplay(svc, 1)
	}
}

// setDependencies replaces svc's dependencies and the index of dependents.
func (mg *Manager) setDependencies(svc *service, deps []string) {
	for _, d := range svc.deps {
		mg.dependents[key(d)] = removeItem(mg.dependents[key(d)], svc)
		if len(mg.dependents[key(d)]) == 0 {
			delete(mg.dependents, key(d))
		}
	}
	svc.deps = slices.Clone(deps)
	for _, d := range svc.deps {
		mg.dependents[key(d)] = append(mg.dependents[key(d)], svc)
	}
}

// displayTakenByOther applies CreateService's display-name rules
// (displayTaken) to a new display name for svc, leaving svc itself out: a
// service may take its own key name or keep its display name.
func (mg *Manager) displayTakenByOther(svc *service, display string) bool {
	if display == "" || strings.EqualFold(display, svc.name) {
		return false
	}
	mg.indexDisplay(svc, -1)
	defer mg.indexDisplay(svc, 1)
	return mg.displayTaken(svc.name, display)
}

// fmtChange names a ChangeServiceConfig DWORD in the trace.
func fmtChange(group string, v uint32) string { return fmtConst(group, v) }

// config2Level reports whether the profile's SCM keeps level's
// configuration: SERVICE_CONFIG_DESCRIPTION always; the failure actions and
// the delayed auto-start flag where the profile implements them (not Wine
// 8.0: ChangeServiceConfig2 accepts the failure actions and drops them, and
// both levels are ERROR_INVALID_LEVEL elsewhere).
func (mg *Manager) config2Level(level uint32) (known, kept bool) {
	switch level {
	case win32.SERVICE_CONFIG_DESCRIPTION:
		return true, true
	case win32.SERVICE_CONFIG_FAILURE_ACTIONS, win32.SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
		kept = mg.setting(&settingConfig2Levels)
		kept = sim.FaultBroken("scm.config2.levels-wine", kept, true)
		return true, kept
	}
	return false, false
}

// QueryServiceConfig2 fills the member of out that level names when size
// holds it (win32.ConfigInfoBytes), and writes the bytes needed to *needed.
// The checks come in this order: the level (ERROR_INVALID_LEVEL), a NULL
// buffer with a nonzero size (ERROR_INVALID_ADDRESS), a NULL pcbBytesNeeded
// (ERROR_INVALID_ADDRESS), the handle, SERVICE_QUERY_CONFIG, then the size
// (ERROR_INSUFFICIENT_BUFFER).
func (mg *Manager) QueryServiceConfig2(t *sim.Thread, hService sim.Handle, level uint32, out *win32.ServiceConfigInfo, size uint32, needed *uint32) sim.Errno {
	mg.begin(t, "QueryServiceConfig2")
	defer kernel.Unlock(mg.m)
	call := func() string {
		s := fmt.Sprintf("QueryServiceConfig2(%s, %s%s, %d", hService, fmtConst(win32.GroupConfigLevel, level), nullArg(out == nil), size)
		if needed == nil {
			s += ", needed NULL"
		}
		return s + ")"
	}
	known, kept := mg.config2Level(level)
	badLevel := !known || !kept
	badLevel = sim.FaultBroken("scm.config2.level", badLevel, false)
	if badLevel {
		return mg.ret(t, call, sim.ERROR_INVALID_LEVEL)
	}
	nullBuf := out == nil && size != 0
	nullBuf = sim.FaultBroken("scm.config2.null-buffer", nullBuf, false)
	if nullBuf {
		return mg.ret(t, call, sim.ERROR_INVALID_ADDRESS)
	}
	nullNeeded := sim.FaultBroken("scm.config2.null-needed", needed == nil, false)
	if nullNeeded {
		return mg.ret(t, call, sim.ERROR_INVALID_ADDRESS)
	}
	sh, code := mg.configHandle(t, hService, win32.SERVICE_QUERY_CONFIG, "scm.config2.invalid-handle", "scm.config2.access")
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	info := sh.svc.configInfo()
	n := win32.ConfigInfoBytes(level, &info)
	*needed = n
	short := out == nil || size < n
	short = sim.FaultBroken("scm.config2.buffer-size", short, false)
	if short {
		return mg.ret(t, call, sim.ERROR_INSUFFICIENT_BUFFER)
	}
	switch level {
	case win32.SERVICE_CONFIG_DESCRIPTION:
		out.Description = info.Description
	case win32.SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
		out.DelayedAutostart = info.DelayedAutostart
	case win32.SERVICE_CONFIG_FAILURE_ACTIONS:
		out.FailureActions = info.FailureActions
	}
	kernel.TraceCall(mg.m, t, call, func() string { return fmt.Sprintf("%s, %d bytes", sim.ERROR_SUCCESS, n) })
	return sim.ERROR_SUCCESS
}

// configInfo returns svc's optional configuration as QueryServiceConfig2
// reports it: no description, or an empty one, is a NULL lpDescription.
func (svc *service) configInfo() win32.ServiceConfigInfo {
	info := win32.ServiceConfigInfo{DelayedAutostart: svc.cfg.delayedAutostart, FailureActions: cloneActions(svc.cfg.failureActions)}
	if svc.cfg.description != "" {
		d := svc.cfg.description
		info.Description = &d
	}
	return info
}

// cloneActions copies fa so that no caller shares the model's slice.
func cloneActions(fa win32.SERVICE_FAILURE_ACTIONS) win32.SERVICE_FAILURE_ACTIONS {
	fa.Actions = slices.Clone(fa.Actions)
	return fa
}

// ChangeServiceConfig2 changes the optional configuration of level from
// info (nil is a NULL lpInfo: ERROR_INVALID_ADDRESS). The handle needs
// SERVICE_CHANGE_CONFIG, and SERVICE_START as well for failure actions that
// include SC_ACTION_RESTART. A NULL lpDescription keeps the description, an
// empty one removes it. Failure actions are stored and reported; the model
// never runs them.
func (mg *Manager) ChangeServiceConfig2(t *sim.Thread, hService sim.Handle, level uint32, info *win32.ServiceConfigInfo) sim.Errno {
	mg.begin(t, "ChangeServiceConfig2")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("ChangeServiceConfig2(%s, %s%s)", hService, fmtConst(win32.GroupConfigLevel, level), nullArg(info == nil))
	}
	sh, code := mg.configHandle(t, hService, win32.SERVICE_CHANGE_CONFIG, "scm.config2.invalid-handle", "scm.config2.access")
	if code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	known, kept := mg.config2Level(level)
	if !known || (!kept && level != win32.SERVICE_CONFIG_FAILURE_ACTIONS) {
		return mg.ret(t, call, sim.ERROR_INVALID_LEVEL)
	}
	// A NULL lpInfo: the docs name no code; the model's is
	// ERROR_INVALID_ADDRESS, as for the SCM's other NULL pointers.
	nullInfo := sim.FaultBroken("scm.config2.null-info", info == nil, false)
	if nullInfo {
		return mg.ret(t, call, sim.ERROR_INVALID_ADDRESS)
	}
	svc := sh.svc
	if !kept {
		// Wine 8.0 takes failure actions without looking at them.
		return mg.ret(t, call, sim.ERROR_SUCCESS)
	}
	switch level {
	case win32.SERVICE_CONFIG_DESCRIPTION:
		// NULL keeps the description; "" removes it.
		keep := info.Description == nil
		keep = sim.FaultBroken("scm.config2.description", keep, false)
		if !keep {
			svc.cfg.description = ""
		}
		if info.Description != nil {
			svc.cfg.description = *info.Description
		}
	case win32.SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
		svc.cfg.delayedAutostart = sim.FaultBroken("scm.config2.delayed-auto-start", info.DelayedAutostart, svc.cfg.delayedAutostart)
	case win32.SERVICE_CONFIG_FAILURE_ACTIONS:
		restarts := slices.ContainsFunc(info.FailureActions.Actions, func(a win32.SC_ACTION) bool { return a.Type == win32.SC_ACTION_RESTART })
		denied := restarts && sh.access&win32.SERVICE_START == 0
		denied = sim.FaultBroken("scm.config2.restart-access", denied, false)
		if denied {
			return mg.ret(t, call, sim.ERROR_ACCESS_DENIED)
		}
		mg.setFailureActions(svc, info.FailureActions)
	}
	return mg.ret(t, call, sim.ERROR_SUCCESS)
}

// setFailureActions stores fa as ChangeServiceConfig2 does: a NULL
// lpsaActions (nil Actions) keeps the actions and the reset period; NULL
// strings keep the strings, empty ones remove them.
func (mg *Manager) setFailureActions(svc *service, fa win32.SERVICE_FAILURE_ACTIONS) {
	cur := &svc.cfg.failureActions
	stored := sim.FaultBroken("scm.config2.failure-actions", true, false)
	if !stored {
		return
	}
	if fa.Actions != nil {
		cur.ResetPeriod, cur.Actions = fa.ResetPeriod, slices.Clone(fa.Actions)
	}
	for _, f := range []struct{ cur, in **string }{{&cur.RebootMsg, &fa.RebootMsg}, {&cur.Command, &fa.Command}} {
		switch {
		case *f.in == nil:
		case **f.in == "":
			*f.cur = nil
		default:
			s := **f.in
			*f.cur = &s
		}
	}
}

// EnumServicesStatusEx lists the services of the database that match p's
// type, state and group, in the order of their key names, into *out as far
// as size holds them. A nil out is a NULL buffer (with size 0). It sets
// *needed and *returned; on ERROR_MORE_DATA *needed is the room the
// entries left out need, and the resume handle, when given, the index of
// the first of them (0 once the list is complete).
func (mg *Manager) EnumServicesStatusEx(t *sim.Thread, hSCManager sim.Handle, p win32.EnumServicesParams, out *[]win32.ENUM_SERVICE_STATUS_PROCESS, size uint32, needed, returned *uint32) sim.Errno {
	mg.begin(t, "EnumServicesStatusEx")
	defer kernel.Unlock(mg.m)
	call := func() string {
		return fmt.Sprintf("EnumServicesStatusEx(%s, %d, %s, %s%s, %d, group %s)", hSCManager, p.InfoLevel, fmtConst(win32.GroupEnumType, uint32(p.ServiceType)),
			fmtConst(win32.GroupEnumState, p.ServiceState), nullArg(out == nil), size, fmtStr(p.GroupName))
	}
	badLevel := sim.FaultBroken("scm.enum.level", p.InfoLevel != win32.SC_ENUM_PROCESS_INFO, false)
	if badLevel {
		return mg.ret(t, call, sim.ERROR_INVALID_LEVEL)
	}
	mh, ok := lookupSCM(t, hSCManager)
	if !ok {
		return mg.ret(t, call, sim.FaultBroken("scm.enum.invalid-handle", sim.ERROR_INVALID_HANDLE, sim.ERROR_ACCESS_DENIED))
	}
	nullCounts := sim.FaultBroken("scm.enum.null-pointers", needed == nil || returned == nil, false)
	if nullCounts {
		return mg.ret(t, call, sim.ERROR_INVALID_ADDRESS)
	}
	*needed, *returned = 0, 0
	if code := mg.enumRefused(mh, p); code != sim.ERROR_SUCCESS {
		return mg.ret(t, call, code)
	}
	all := mg.enumMatches(p)
	// Wine 8.0 ignores the resume handle: it neither reads nor writes it.
	resume := p.ResumeHandle
	if !mg.setting(&settingEnumPartial) {
		resume = nil
	}
	first := uint32(0)
	if resume != nil {
		first = min(*resume, uint32(len(all)))
	}
	list := all[first:]
	fit, rest := mg.enumFit(list, size)
	if out != nil {
		*out = list[:fit]
	}
	*returned = uint32(fit)
	if fit < len(list) {
		*needed = rest
		if resume != nil {
			*resume = sim.FaultBroken("scm.enum.resume", first+uint32(fit), first)
		}
		return mg.ret(t, call, sim.ERROR_MORE_DATA)
	}
	if resume != nil {
		*resume = 0
	}
	kernel.TraceCall(mg.m, t, call, func() string { return fmt.Sprintf("%s, %d services", sim.ERROR_SUCCESS, fit) })
	return sim.ERROR_SUCCESS
}

// enumRefused checks EnumServicesStatusEx's filters and access: a type with
// no service type bit or bits outside SERVICE_TYPE_ALL, or a state other
// than SERVICE_ACTIVE, SERVICE_INACTIVE and SERVICE_STATE_ALL, is
// ERROR_INVALID_PARAMETER, before the handle's SC_MANAGER_ENUMERATE_SERVICE
// is looked at; a group no service belongs to is
// ERROR_SERVICE_DOES_NOT_EXIST, after it.
func (mg *Manager) enumRefused(mh *scmHandle, p win32.EnumServicesParams) sim.Errno {
	badType := p.ServiceType&(win32.SERVICE_WIN32|win32.SERVICE_DRIVER) == 0 || p.ServiceType&^win32.SERVICE_TYPE_ALL != 0
	badState := p.ServiceState < win32.SERVICE_ACTIVE || p.ServiceState > win32.SERVICE_STATE_ALL
	badFilter := sim.FaultBroken("scm.enum.invalid-filter", badType || badState, false)
	if badFilter {
		return sim.ERROR_INVALID_PARAMETER
	}
	denied := mh.access&win32.SC_MANAGER_ENUMERATE_SERVICE == 0
	denied = sim.FaultBroken("scm.enum.access", denied, false)
	if denied {
		return sim.ERROR_ACCESS_DENIED
	}
	if p.GroupName != nil && *p.GroupName != "" {
		known := false
		for _, svc := range mg.services {
			if strings.EqualFold(svc.cfg.group, *p.GroupName) {
				known = true
				break
			}
		}
		unknown := sim.FaultBroken("scm.enum.group-unknown", !known, false)
		if unknown {
			return sim.ERROR_SERVICE_DOES_NOT_EXIST
		}
	}
	return sim.ERROR_SUCCESS
}

// enumMatches returns the entries of the services p selects, by key name.
func (mg *Manager) enumMatches(p win32.EnumServicesParams) []win32.ENUM_SERVICE_STATUS_PROCESS {
	names := make([]string, 0, len(mg.services))
	for k := range mg.services {
		names = append(names, k)
	}
	slices.Sort(names)
	reversed := sim.FaultBroken("scm.enum.order", false, true)
	if reversed {
		slices.Reverse(names)
	}
	var out []win32.ENUM_SERVICE_STATUS_PROCESS
	for _, k := range names {
		svc := mg.services[k]
		if !mg.enumSelects(svc, p) {
			continue
		}
		out = append(out, win32.ENUM_SERVICE_STATUS_PROCESS{ServiceName: svc.name, DisplayName: svc.display, ServiceStatusProcess: svc.status})
	}
	return out
}

// enumSelects applies the filters: a type bit in common, the state, and the
// group ("" selects the services in no group), compared without regard to
// case.
func (mg *Manager) enumSelects(svc *service, p win32.EnumServicesParams) bool {
	typeOK := svc.status.ServiceType&p.ServiceType != 0
	active := svc.status.CurrentState != win32.SERVICE_STOPPED
	stateOK := p.ServiceState == win32.SERVICE_STATE_ALL || active == (p.ServiceState == win32.SERVICE_ACTIVE)
	groupOK := p.GroupName == nil || strings.EqualFold(svc.cfg.group, *p.GroupName)
	selected := typeOK && stateOK && groupOK
	return sim.FaultBroken("scm.enum.filters", selected, true)
}

// enumFit returns how many of list's entries fit in size bytes, taken in
// order, and the bytes the others need. Where the profile returns nothing
// unless every entry fits (Wine 8.0), it reports the whole list's size
// doubled, as Wine's client does.
func (mg *Manager) enumFit(list []win32.ENUM_SERVICE_STATUS_PROCESS, size uint32) (fit int, rest uint32) {
	partial := mg.setting(&settingEnumPartial)
	partial = sim.FaultBroken("scm.enum.partial-wine", partial, true)
	if !partial {
		var total, wire uint32
		for i := range list {
			total += list[i].BytesNeeded()
			wire += wineEnumEntryBytes + win32.StringBytes(list[i].ServiceName) + win32.StringBytes(list[i].DisplayName)
		}
		if total <= size {
			return len(list), 0
		}
		return 0, 2 * wire
	}
	var used uint32
	for fit < len(list) && used+list[fit].BytesNeeded() <= size {
		used += list[fit].BytesNeeded()
		fit++
	}
	fit = sim.FaultBroken("scm.enum.more-data", fit, len(list))
	for i := fit; i < len(list); i++ {
		rest += list[i].BytesNeeded()
	}
	return fit, rest
}

// wineEnumEntryBytes is the fixed part of an entry as Wine's server sends
// it: two string offsets and a SERVICE_STATUS_PROCESS.
const wineEnumEntryBytes = 44
