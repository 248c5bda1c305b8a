package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The SCM family's configuration steps: QueryServiceConfig,
// ChangeServiceConfig, QueryServiceConfig2, ChangeServiceConfig2 and
// EnumServicesStatusEx. A buffer is given by its size in bytes (size:,
// 8192 by default, the most the SCM's RPC interface answers) or is NULL
// (null_out:, with size 0).

var (
	tConfigLevel  = constType(win32.GroupConfigLevel)
	tEnumState    = constType(win32.GroupEnumState)
	tEnumType     = constType(win32.GroupEnumType)
	tTypeChange   = constType(win32.GroupTypeChange)
	tStartChange  = constType(win32.GroupStartChange)
	tErrorChange  = constType(win32.GroupErrorChange)
	tConfigExpect = objectType("expect", "pcbBytesNeeded and the members of QUERY_SERVICE_CONFIG; fields left out are not compared, and the members only when the call succeeds", []Field{
		{Name: "needed", Type: tUint32, Doc: "pcbBytesNeeded, after the call"},
		{Name: "type", Type: tServiceType, Doc: "dwServiceType"},
		{Name: "start", Type: tStartType, Doc: "dwStartType"},
		{Name: "error_control", Type: tErrorCtl, Doc: "dwErrorControl"},
		{Name: "binary", Type: tString, Doc: "lpBinaryPathName"},
		{Name: "group", Type: tString, Doc: "lpLoadOrderGroup"},
		{Name: "tag", Type: tUint32, Doc: "dwTagId"},
		{Name: "dependencies", Type: tStrings, Doc: "lpDependencies, one string per name"},
		{Name: "start_name", Type: tString, Doc: "lpServiceStartName"},
		{Name: "display", Type: tString, Doc: "lpDisplayName"},
	})
	tConfig2Expect = objectType("expect", "pcbBytesNeeded and the members of the level's structure; fields left out are not compared, and the members only when the call succeeds", []Field{
		{Name: "needed", Type: tUint32, Doc: "pcbBytesNeeded, after the call"},
		{Name: "description", Type: tStrPtr, Doc: "SERVICE_DESCRIPTION.lpDescription (null for NULL)"},
		{Name: "delayed", Type: tBool, Doc: "SERVICE_DELAYED_AUTO_START_INFO.fDelayedAutostart"},
		{Name: "reset_period", Type: tUint32, Doc: "SERVICE_FAILURE_ACTIONS.dwResetPeriod"},
		{Name: "reboot_msg", Type: tStrPtr, Doc: "SERVICE_FAILURE_ACTIONS.lpRebootMsg (null for NULL)"},
		{Name: "command", Type: tStrPtr, Doc: "SERVICE_FAILURE_ACTIONS.lpCommand (null for NULL)"},
		{Name: "actions", Type: tStrings, Doc: "SERVICE_FAILURE_ACTIONS.lpsaActions, each written \"SC_ACTION_RESTART 60000\" (type, then delay in ms)"},
	})
	tEnumExpect = objectType("expect", "what EnumServicesStatusEx wrote: the counts always, the entries when the call returned some; fields left out are not compared", []Field{
		{Name: "needed", Type: tUint32, Doc: "pcbBytesNeeded"},
		{Name: "returned", Type: tUint32, Doc: "lpServicesReturned"},
		{Name: "resume", Type: tUint32, Doc: "the resume handle after the call (with resume: given)"},
		{Name: "names", Type: tStrings, Doc: "lpServiceName of each entry, in order"},
		{Name: "displays", Type: tStrings, Doc: "lpDisplayName of each entry, in order"},
		{Name: "states", Type: tStrings, Doc: "dwCurrentState of each entry, by name, in order"},
	})
)

// bufferFields are a config query's buffer: its size, or NULL.
var bufferFields = []Field{
	{Name: "size", Type: tUint32, Default: "8192", Doc: "cbBufSize, the buffer's size in bytes"},
	{Name: "null_out", Type: tBool, Default: "false", Doc: "pass NULL for the buffer (give size: 0 for the usual size query)"},
}

// scmConfigSteps are the configuration and enumeration steps.
func scmConfigSteps() []*StepKind {
	return []*StepKind{
		{
			Name: "QueryServiceConfig", Group: GroupSCM, Returns: ReturnsStatus, Expect: tConfigExpect,
			Summary: "Query a service's QUERY_SERVICE_CONFIG; expect: compares pcbBytesNeeded and the members.",
			Fields:  append([]Field{{Name: "service", Type: tHandle, Required: true, Doc: "hService"}}, bufferFields...),
			run:     runQueryConfig,
		},
		{
			Name: "ChangeServiceConfig", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Change a service's configuration: SERVICE_NO_CHANGE and NULL (the defaults) keep a part.",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "type", Type: tTypeChange, Default: "SERVICE_NO_CHANGE", Doc: "dwServiceType"},
				{Name: "start", Type: tStartChange, Default: "SERVICE_NO_CHANGE", Doc: "dwStartType"},
				{Name: "error_control", Type: tErrorChange, Default: "SERVICE_NO_CHANGE", Doc: "dwErrorControl"},
				{Name: "binary", Type: tStrPtr, Default: "null", Doc: "lpBinaryPathName"},
				{Name: "group", Type: tStrPtr, Default: "null", Doc: "lpLoadOrderGroup"},
				{Name: "dependencies", Type: tStrings, Doc: "lpDependencies, one string per name (left out: NULL; []: none)"},
				{Name: "start_name", Type: tStrPtr, Default: "null", Doc: "lpServiceStartName"},
				{Name: "password", Type: tStrPtr, Default: "null", Doc: "lpPassword"},
				{Name: "display", Type: tStrPtr, Default: "null", Doc: "lpDisplayName"},
			},
			run: runChangeConfig,
		},
		{
			Name: "QueryServiceConfig2", Group: GroupSCM, Returns: ReturnsStatus, Expect: tConfig2Expect,
			Summary: "Query one level of a service's optional configuration; expect: compares pcbBytesNeeded and the level's members.",
			Fields: append([]Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "level", Type: tConfigLevel, Required: true, Doc: "dwInfoLevel"},
				{Name: "null_needed", Type: tBool, Default: "false", Doc: "pass NULL for pcbBytesNeeded"},
			}, bufferFields...),
			run: runQueryConfig2,
		},
		{
			Name: "ChangeServiceConfig2", Group: GroupSCM, Returns: ReturnsStatus,
			Summary: "Change one level of a service's optional configuration, from the fields of that level.",
			Fields: []Field{
				{Name: "service", Type: tHandle, Required: true, Doc: "hService"},
				{Name: "level", Type: tConfigLevel, Required: true, Doc: "dwInfoLevel"},
				{Name: "null_info", Type: tBool, Default: "false", Doc: "pass NULL for lpInfo"},
				{Name: "description", Type: tStrPtr, Default: "null", Doc: "SERVICE_DESCRIPTION.lpDescription"},
				{Name: "delayed", Type: tBool, Default: "false", Doc: "SERVICE_DELAYED_AUTO_START_INFO.fDelayedAutostart"},
				{Name: "reset_period", Type: tUint32, Default: "0", Doc: "SERVICE_FAILURE_ACTIONS.dwResetPeriod"},
				{Name: "reboot_msg", Type: tStrPtr, Default: "null", Doc: "SERVICE_FAILURE_ACTIONS.lpRebootMsg"},
				{Name: "command", Type: tStrPtr, Default: "null", Doc: "SERVICE_FAILURE_ACTIONS.lpCommand"},
				{Name: "actions", Type: tStrings, Doc: "SERVICE_FAILURE_ACTIONS.lpsaActions, each \"SC_ACTION_RESTART 60000\" (left out: NULL)"},
			},
			check: actionsArgs,
			run:   runChangeConfig2,
		},
		{
			Name: "EnumServicesStatusEx", Group: GroupSCM, Returns: ReturnsStatus, Expect: tEnumExpect,
			Summary: "List services with their SERVICE_STATUS_PROCESS; expect: compares the counts and the entries. On a real system, name a group the scenario's services are in, or the system's own services are listed too.",
			Fields: append([]Field{
				{Name: "scm", Type: tHandle, Required: true, Doc: "hSCManager"},
				{Name: "level", Type: tUint32, Default: "0", Doc: "InfoLevel (SC_ENUM_PROCESS_INFO is 0)"},
				{Name: "type", Type: tEnumType, Default: "SERVICE_WIN32", Doc: "dwServiceType"},
				{Name: "state", Type: tEnumState, Default: "SERVICE_STATE_ALL", Doc: "dwServiceState"},
				{Name: "group", Type: tStrPtr, Default: "null", Doc: "pszGroupName"},
				{Name: "resume", Type: tUint32, Doc: "pass a resume handle holding this value (left out: NULL)"},
				{Name: "null_needed", Type: tBool, Default: "false", Doc: "pass NULL for pcbBytesNeeded"},
				{Name: "null_returned", Type: tBool, Default: "false", Doc: "pass NULL for lpServicesReturned"},
			}, bufferFields...),
			run: runEnumServices,
		},
	}
}

func runQueryConfig(r *runner, st *Step, th string) {
	h, ok := r.handle(st, st.args.handle("service"))
	if !ok {
		return
	}
	var cfg win32.QUERY_SERVICE_CONFIG
	out := &cfg
	if st.args.bool("null_out") {
		out = nil
	}
	var needed uint32
	code := r.scm.QueryServiceConfig(th, h, out, st.args.u32("size"), &needed)
	if !r.checkStatus(st, code) || st.expect == nil {
		return
	}
	c := r.newExpectCheck(st)
	defer c.done()
	c.u32("needed", needed)
	members := []string{"type", "start", "error_control", "binary", "group", "tag", "dependencies", "start_name", "display"}
	if code != sim.ERROR_SUCCESS {
		c.gaveNothing(fmt.Sprintf("the call returned %s: no member was filled", code), members...)
		return
	}
	c.constant("type", win32.GroupServiceType, uint32(cfg.ServiceType))
	c.constant("start", win32.GroupStartType, uint32(cfg.StartType))
	c.constant("error_control", win32.GroupErrorCtl, uint32(cfg.ErrorControl))
	c.str("binary", cfg.BinaryPathName)
	c.str("group", cfg.LoadOrderGroup)
	c.u32("tag", cfg.TagId)
	c.strs("dependencies", cfg.Dependencies)
	c.str("start_name", cfg.ServiceStartName)
	c.str("display", cfg.DisplayName)
}

func runChangeConfig(r *runner, st *Step, th string) {
	h, ok := r.handle(st, st.args.handle("service"))
	if !ok {
		return
	}
	p := win32.ChangeServiceConfigParams{
		ServiceType:      constOf[win32.ServiceType](st.args, "type"),
		StartType:        constOf[win32.ServiceStartType](st.args, "start"),
		ErrorControl:     constOf[win32.ServiceErrorControl](st.args, "error_control"),
		BinaryPathName:   st.args.strPtr("binary"),
		LoadOrderGroup:   st.args.strPtr("group"),
		ServiceStartName: st.args.strPtr("start_name"),
		Password:         st.args.strPtr("password"),
		DisplayName:      st.args.strPtr("display"),
	}
	if st.args.has("dependencies") {
		deps := append([]string{}, st.args.strs("dependencies")...)
		p.Dependencies = &deps
	}
	r.checkStatus(st, r.scm.ChangeServiceConfig(th, h, p))
}

func runQueryConfig2(r *runner, st *Step, th string) {
	h, ok := r.handle(st, st.args.handle("service"))
	if !ok {
		return
	}
	var info win32.ServiceConfigInfo
	out := &info
	if st.args.bool("null_out") {
		out = nil
	}
	var needed uint32
	pNeeded := &needed
	if st.args.bool("null_needed") {
		pNeeded = nil
	}
	level := st.args.u32("level")
	code := r.scm.QueryServiceConfig2(th, h, level, out, st.args.u32("size"), pNeeded)
	if !r.checkStatus(st, code) || st.expect == nil {
		return
	}
	c := r.newExpectCheck(st)
	defer c.done()
	c.u32("needed", needed)
	members := []string{"description", "delayed", "reset_period", "reboot_msg", "command", "actions"}
	if code != sim.ERROR_SUCCESS {
		c.gaveNothing(fmt.Sprintf("the call returned %s: no member was filled", code), members...)
		return
	}
	c.strPtr("description", info.Description)
	c.boolean("delayed", info.DelayedAutostart)
	fa := info.FailureActions
	c.u32("reset_period", fa.ResetPeriod)
	c.strPtr("reboot_msg", fa.RebootMsg)
	c.strPtr("command", fa.Command)
	c.strs("actions", actionTexts(fa.Actions))
}

// actionTexts writes failure actions as the actions: field reads them.
func actionTexts(as []win32.SC_ACTION) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = fmt.Sprintf("%s %d", consts().Format(win32.GroupSCActionType, uint32(a.Type)), a.Delay)
	}
	return out
}

// parseAction reads one "SC_ACTION_RESTART 60000" of actions:.
func parseAction(s string) (win32.SC_ACTION, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return win32.SC_ACTION{}, fmt.Errorf("%q: write an action as its type and its delay in ms, as \"SC_ACTION_RESTART 60000\"", s)
	}
	typ, ok := consts().Lookup(win32.GroupSCActionType, f[0])
	if !ok {
		return win32.SC_ACTION{}, fmt.Errorf("%q: %s is not an action type (SC_ACTION_NONE, SC_ACTION_RESTART, SC_ACTION_REBOOT, SC_ACTION_RUN_COMMAND)", s, f[0])
	}
	delay, err := strconv.ParseUint(f[1], 10, 32)
	if err != nil {
		return win32.SC_ACTION{}, fmt.Errorf("%q: the delay %s is not a number of milliseconds", s, f[1])
	}
	return win32.SC_ACTION{Type: win32.SC_ACTION_TYPE(typ), Delay: uint32(delay)}, nil
}

// actionsArgs refuses an actions: entry that does not read as an action.
func actionsArgs(d *decoder, st *Step) bool {
	for _, a := range st.args.strs("actions") {
		if _, err := parseAction(a); err != nil {
			d.errorf(st.args.at("actions").node, "%s: actions: %s", st.Kind.Name, err)
			return false
		}
	}
	return true
}

func runChangeConfig2(r *runner, st *Step, th string) {
	h, ok := r.handle(st, st.args.handle("service"))
	if !ok {
		return
	}
	info := &win32.ServiceConfigInfo{
		Description:      st.args.strPtr("description"),
		DelayedAutostart: st.args.bool("delayed"),
		FailureActions: win32.SERVICE_FAILURE_ACTIONS{
			ResetPeriod: st.args.u32("reset_period"),
			RebootMsg:   st.args.strPtr("reboot_msg"),
			Command:     st.args.strPtr("command"),
		},
	}
	if st.args.has("actions") {
		info.FailureActions.Actions = []win32.SC_ACTION{}
		for _, a := range st.args.strs("actions") {
			act, _ := parseAction(a) // checked at decode (actionsArgs)
			info.FailureActions.Actions = append(info.FailureActions.Actions, act)
		}
	}
	if st.args.bool("null_info") {
		info = nil
	}
	r.checkStatus(st, r.scm.ChangeServiceConfig2(th, h, st.args.u32("level"), info))
}

func runEnumServices(r *runner, st *Step, th string) {
	h, ok := r.handle(st, st.args.handle("scm"))
	if !ok {
		return
	}
	p := win32.EnumServicesParams{
		InfoLevel:    st.args.u32("level"),
		ServiceType:  constOf[win32.ServiceType](st.args, "type"),
		ServiceState: st.args.u32("state"),
		GroupName:    st.args.strPtr("group"),
	}
	var resume uint32
	if st.args.has("resume") {
		resume = st.args.u32("resume")
		p.ResumeHandle = &resume
	}
	var list []win32.ENUM_SERVICE_STATUS_PROCESS
	out := &list
	if st.args.bool("null_out") {
		out = nil
	}
	var needed, returned uint32
	pNeeded, pReturned := &needed, &returned
	if st.args.bool("null_needed") {
		pNeeded = nil
	}
	if st.args.bool("null_returned") {
		pReturned = nil
	}
	code := r.scm.EnumServicesStatusEx(th, h, p, out, st.args.u32("size"), pNeeded, pReturned)
	if !r.checkStatus(st, code) || st.expect == nil {
		return
	}
	c := r.newExpectCheck(st)
	defer c.done()
	c.u32("needed", needed)
	c.u32("returned", returned)
	if p.ResumeHandle != nil {
		c.u32("resume", resume)
	}
	var names, displays, states []string
	for _, e := range list {
		names = append(names, e.ServiceName)
		displays = append(displays, e.DisplayName)
		states = append(states, consts().Format(win32.GroupState, uint32(e.ServiceStatusProcess.CurrentState)))
	}
	c.strs("names", names)
	c.strs("displays", displays)
	c.strs("states", states)
}
