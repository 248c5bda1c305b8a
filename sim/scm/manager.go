// Package scm models the Windows Service Control Manager: the services
// database, SCM and service handles with their access rights, the seven
// service states, StartService, ControlService, DeleteService,
// QueryServiceStatus(Ex), the service side's SetServiceStatus, and
// NotifyServiceStatusChangeW with its one-shot APC notifications.
//
// Every function takes the *sim.Thread that makes the call and returns the
// Win32 error code the real function would return (or leave in
// GetLastError), ERROR_SUCCESS for success. Notification callbacks run only
// while the registering thread is in an alertable wait (Thread.SleepEx and
// friends).
//
// Rules that the documentation states, that Windows was observed to follow,
// and the choices the model makes where the docs are silent are listed with
// their sources in Catalog; profile differences in Settings.
package scm

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// Manager is the Service Control Manager of one sim.Machine.
type Manager struct {
	m        *sim.Machine
	services map[string]*service // by lower-case key name
	// displays counts the services by lower-case display name: given
	// counts those whose display name was given to CreateService, all
	// also those whose key name stands in for one. CreateService checks a
	// new name against them without scanning the database.
	displays   struct{ given, all map[string]int }
	dependents map[string][]*service
	// watchers are the open SCM handles that keep CREATED/DELETED events,
	// in the order they were opened.
	watchers []*scmHandle
	nextSCM  uint64 // numbers the SCM handles in opening order
	// The outstanding registrations by registering thread, and by buffer:
	// byBuffer holds the oldest request given each buffer, and reused the
	// later ones, in call order, of a buffer given again while its request
	// is outstanding (a contract violation, RuleBufferReused). The buffer
	// index is not a list through the registrations, as the others are:
	// almost every buffer has one request, and two links more in each of
	// many pending registrations are two pointers more for the collector
	// to follow.
	byThread   map[*sim.Thread]regList
	byBuffer   map[*win32.SERVICE_NOTIFY]*registration
	reused     map[*win32.SERVICE_NOTIFY][]*registration
	nextReg    int
	lastCaller *sim.Thread // the latest caller, where a broken scm.notify.registering-thread queues callbacks
}

// New creates the SCM of machine m, with an empty services database.
func New(m *sim.Machine) *Manager {
	mg := &Manager{m: m, services: map[string]*service{}, dependents: map[string][]*service{},
		byThread: map[*sim.Thread]regList{}, byBuffer: map[*win32.SERVICE_NOTIFY]*registration{},
		reused: map[*win32.SERVICE_NOTIFY][]*registration{}}
	mg.displays.given, mg.displays.all = map[string]int{}, map[string]int{}
	kernel.OnThreadExit(m, mg.threadExited)
	return mg
}

// Machine returns the machine the manager runs on.
func (mg *Manager) Machine() *sim.Machine { return mg.m }

// service is one record of the services database.
type service struct {
	name, display string
	namedDisplay  bool // display was given to CreateService, not taken from name
	binary        string
	startType     win32.ServiceStartType
	errorControl  win32.ServiceErrorControl
	deps          []string
	status        win32.SERVICE_STATUS_PROCESS
	marked        bool
	removed       bool
	handleCount   int     // open service handles, in every process
	epoch         uint32  // counts state changes; see serviceHandle.notified
	regs          regList // outstanding requests on its handles, in call order (chain byService)
	program       win32.Program
	run           *run
	stopSent      bool // a STOP was delivered since the last start
	cfg           config
}

// run is one execution of a service's process, from StartService to STOPPED.
type run struct {
	proc       *sim.Process
	dispatcher *sim.Thread // runs control handlers
	main       *sim.Thread // ServiceMain
	status     sim.Handle  // the SERVICE_STATUS_HANDLE, in proc's table
	timers     []*sim.Timer
	ended      bool // the service reported SERVICE_STOPPED
}

// scmHandle is an SC_HANDLE from OpenSCManager.
type scmHandle struct {
	access   uint32
	opened   uint64      // its place in the opening order
	regs     regList     // outstanding requests on it, in call order (chain byHandle)
	watching bool        // has registered once: CREATED/DELETED events are kept for it
	backlog  []nameEvent // events not yet delivered
	lagging  bool
}

// TypeName implements sim.Object.
func (*scmHandle) TypeName() string { return "SC_HANDLE(manager)" }

// serviceHandle is an SC_HANDLE from OpenService or CreateService. It is kept
// small: a service may have very many handles open.
type serviceHandle struct {
	svc         *service
	regs        regList // outstanding requests on it, in call order (chain byHandle)
	access      uint32
	outstanding int32 // requests made on this handle whose callback has not run
	// The re-arm flag is set while notified is true and notifiedAt equals the
	// service's epoch: a delivery sets it, and any later state change that
	// does not fire on this handle clears it by moving the epoch on.
	notifiedAt uint32
	notified   bool
}

// rearmBlocked reports whether the handle was already told about the
// current state.
func (sh *serviceHandle) rearmBlocked() bool {
	return sh.notified && sh.notifiedAt == sh.svc.epoch
}

// markNotified sets the handle's re-arm flag for the current state.
func (sh *serviceHandle) markNotified() {
	sh.notified, sh.notifiedAt = true, sh.svc.epoch
}

// TypeName implements sim.Object.
func (*serviceHandle) TypeName() string { return "SC_HANDLE(service)" }

// statusHandle is a SERVICE_STATUS_HANDLE, valid until the run reports STOPPED.
type statusHandle struct {
	svc  *service
	run  *run
	dead bool
}

// TypeName implements sim.Object.
func (*statusHandle) TypeName() string { return "SERVICE_STATUS_HANDLE" }

type nameEvent struct {
	kind win32.ServiceNotifyMask // SERVICE_NOTIFY_CREATED or SERVICE_NOTIFY_DELETED
	name string                  // as delivered: "/name" for created
}

// key returns the database key of a service name: the name in lower case.
// A name that is ASCII without upper-case letters, as almost every name a
// caller passes is, is its own key; strings.ToLower returns such a name
// unchanged too, but only after a call and a scan of its own.
func key(name string) string {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(name)
		}
	}
	return name
}

// begin enters the machine for t (kernel.Enter) and reports a call
// made from inside a notification callback. The caller defers
// kernel.Unlock(mg.m).
func (mg *Manager) begin(t *sim.Thread, api string) {
	kernel.Enter(mg.m, t)
	mg.lastCaller = t
	// A callback may not call the SCM.
	inCallback := kernel.Context(t).InAPC
	inCallback = sim.FaultBroken("scm.contract.scm-call-in-callback", inCallback, false)
	if inCallback {
		kernel.Violate(mg.m, t, RuleSCMCallInCallback, "%s called from inside a NotifyServiceStatusChange callback", api)
	}
}

// ret traces a call that returns only a code.
func (mg *Manager) ret(t *sim.Thread, call func() string, code sim.Errno) sim.Errno {
	kernel.TraceCall(mg.m, t, call, code.String)
	return code
}

// retHandle traces a call that returns a handle and a code.
func (mg *Manager) retHandle(t *sim.Thread, call func() string, h sim.Handle, code sim.Errno) (sim.Handle, sim.Errno) {
	kernel.TraceCall(mg.m, t, call, func() string { return fmt.Sprintf("%s, %s", h, code) })
	return h, code
}

func (mg *Manager) setting(s *sim.Setting[bool]) bool { return s.In(mg.m.Profile()) }

func fmtStr(s *string) string {
	if s == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *s)
}

// mapGeneric maps GENERIC_* rights to the object's specific rights, as the
// SCM's generic mappings do.
func mapGeneric(access uint32, read, write, execute, all uint32) uint32 {
	mapped := sim.FaultBroken("scm.access.generic-mapping", true, false)
	if !mapped {
		return access
	}
	out := access &^ (win32.GENERIC_READ | win32.GENERIC_WRITE | win32.GENERIC_EXECUTE | win32.GENERIC_ALL)
	if access&win32.GENERIC_READ != 0 {
		out |= read
	}
	if access&win32.GENERIC_WRITE != 0 {
		out |= write
	}
	if access&win32.GENERIC_EXECUTE != 0 {
		out |= execute
	}
	if access&win32.GENERIC_ALL != 0 {
		out |= all
	}
	return out
}

func mapSCMAccess(access uint32) uint32 {
	return mapGeneric(access,
		win32.STANDARD_RIGHTS_READ|win32.SC_MANAGER_ENUMERATE_SERVICE|win32.SC_MANAGER_QUERY_LOCK_STATUS,
		win32.STANDARD_RIGHTS_READ|win32.SC_MANAGER_CREATE_SERVICE|win32.SC_MANAGER_MODIFY_BOOT_CONFIG,
		win32.STANDARD_RIGHTS_READ|win32.SC_MANAGER_CONNECT|win32.SC_MANAGER_LOCK,
		win32.SC_MANAGER_ALL_ACCESS) | win32.SC_MANAGER_CONNECT
}

func mapServiceAccess(access uint32) uint32 {
	return mapGeneric(access,
		win32.STANDARD_RIGHTS_READ|win32.SERVICE_QUERY_CONFIG|win32.SERVICE_QUERY_STATUS|win32.SERVICE_INTERROGATE|win32.SERVICE_ENUMERATE_DEPENDENTS,
		win32.STANDARD_RIGHTS_READ|win32.SERVICE_CHANGE_CONFIG,
		win32.STANDARD_RIGHTS_READ|win32.SERVICE_START|win32.SERVICE_STOP|win32.SERVICE_PAUSE_CONTINUE|win32.SERVICE_USER_DEFINED_CONTROL,
		win32.SERVICE_ALL_ACCESS)
}

// lookupService resolves a service handle in t's process. It asserts the
// concrete type itself rather than through the generic sim.Resolve, whose
// shared instantiation checks the type through a dictionary: these two
// lookups are on the path of nearly every call.
func lookupService(t *sim.Thread, h sim.Handle) (*serviceHandle, bool) {
	obj, _, st := kernel.Handles(t).Lookup(h)
	if st != sim.HandleValid {
		return nil, false
	}
	sh, ok := obj.(*serviceHandle)
	return sh, ok
}

// lookupSCM resolves an SCM handle in t's process, as lookupService does.
func lookupSCM(t *sim.Thread, h sim.Handle) (*scmHandle, bool) {
	obj, _, st := kernel.Handles(t).Lookup(h)
	if st != sim.HandleValid {
		return nil, false
	}
	mh, ok := obj.(*scmHandle)
	return mh, ok
}

// ServiceNames returns the names of the services in the database (including
// those marked for delete), sorted.
func (mg *Manager) ServiceNames() []string {
	kernel.Lock(mg.m)
	defer kernel.Unlock(mg.m)
	names := make([]string, 0, len(mg.services))
	for _, s := range mg.services {
		names = append(names, s.name)
	}
	slices.Sort(names)
	return names
}
