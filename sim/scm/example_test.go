package scm_test

import (
	"fmt"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// A test that watches a service start: the callback runs only when the
// registering thread waits alertably, and virtual time jumps to the moment
// the service reports SERVICE_RUNNING.
func ExampleManager_NotifyServiceStatusChange() {
	m := sim.MustNewMachine(sim.Options{})
	mgr := scm.New(m)
	t := m.NewProcess("client.exe").NewThread("main")

	h, _ := mgr.OpenSCManager(t, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	svc, _ := mgr.CreateService(t, h, win32.CreateServiceParams{
		Name: win32.Str("demo"), DesiredAccess: win32.SERVICE_ALL_ACCESS,
		ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START,
		BinaryPath: win32.Str(`C:\demo.exe`),
	})
	_ = mgr.SetProgram("demo", win32.TypicalProgram(200*time.Millisecond, 50*time.Millisecond))

	n := &win32.SERVICE_NOTIFY{
		Version: win32.SERVICE_NOTIFY_STATUS_CHANGE,
		NotifyCallback: func(n *win32.SERVICE_NOTIFY) {
			fmt.Printf("callback: %s, triggered %s, state %s\n", n.NotificationStatus, n.NotificationTriggered, n.ServiceStatus.CurrentState)
		},
	}
	fmt.Println(mgr.NotifyServiceStatusChange(t, svc, win32.SERVICE_NOTIFY_RUNNING, n))
	fmt.Println(mgr.StartService(t, svc, nil))
	r, _ := t.SleepEx(sim.INFINITE, true)
	fmt.Println(r, "at", m.Now())
	// Output:
	// ERROR_SUCCESS (0)
	// ERROR_SUCCESS (0)
	// callback: ERROR_SUCCESS (0), triggered SERVICE_NOTIFY_RUNNING, state SERVICE_RUNNING
	// WAIT_IO_COMPLETION at   0.200s
}

// demo returns a machine with an SCM, a client thread, an SCM handle and a
// stopped service "demo" opened with SERVICE_ALL_ACCESS.
func demo() (*sim.Machine, *scm.Manager, *sim.Thread, sim.Handle, sim.Handle) {
	m := sim.MustNewMachine(sim.Options{})
	mgr := scm.New(m)
	t := m.NewProcess("client.exe").NewThread("main")
	h, _ := mgr.OpenSCManager(t, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	svc, _ := mgr.CreateService(t, h, win32.CreateServiceParams{
		Name: win32.Str("demo"), DesiredAccess: win32.SERVICE_ALL_ACCESS,
		ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START,
		BinaryPath: win32.Str(`C:\demo.exe`),
	})
	return m, mgr, t, h, svc
}

// DeleteService only marks a service: it stays in the database, still
// opening but refusing a new service of its name, until the last handle is
// closed.
func ExampleManager_DeleteService() {
	_, mgr, t, h, svc := demo()

	fmt.Println(mgr.DeleteService(t, svc))
	again, code := mgr.OpenService(t, h, win32.Str("demo"), win32.SERVICE_QUERY_STATUS)
	fmt.Println(code)
	_, code = mgr.CreateService(t, h, win32.CreateServiceParams{
		Name: win32.Str("demo"), ServiceType: win32.SERVICE_WIN32_OWN_PROCESS,
		StartType: win32.SERVICE_DEMAND_START, BinaryPath: win32.Str(`C:\demo.exe`),
	})
	fmt.Println(code)
	mgr.CloseServiceHandle(t, svc)
	mgr.CloseServiceHandle(t, again)
	_, code = mgr.OpenService(t, h, win32.Str("demo"), win32.SERVICE_QUERY_STATUS)
	fmt.Println(code)
	// Output:
	// ERROR_SUCCESS (0)
	// ERROR_SUCCESS (0)
	// ERROR_SERVICE_MARKED_FOR_DELETE (1072)
	// ERROR_SERVICE_DOES_NOT_EXIST (1060)
}

// Calling SCM functions from inside the notification callback is a contract
// violation: the call still runs, and the machine records the broken rule.
func ExampleRuleSCMCallInCallback() {
	m, mgr, t, _, svc := demo()
	n := &win32.SERVICE_NOTIFY{Version: win32.SERVICE_NOTIFY_STATUS_CHANGE}
	n.NotifyCallback = func(*win32.SERVICE_NOTIFY) {
		var st win32.SERVICE_STATUS
		mgr.QueryServiceStatus(t, svc, &st) // not allowed here
	}
	mgr.NotifyServiceStatusChange(t, svc, win32.SERVICE_NOTIFY_STOPPED, n)
	_, _ = t.SleepEx(0, true)
	for _, v := range m.Violations() {
		fmt.Println(v.Rule.ID)
	}
	// Output:
	// scm.contract.scm-call-in-callback
}
