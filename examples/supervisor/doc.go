// Package supervisor is an example: a small service supervisor written
// against golang.org/x/sys/windows, windows/svc, windows/svc/mgr and
// windows/registry, as a Go program that manages a Windows service would
// be. It installs a service, starts it, waits for SERVICE_RUNNING with
// NotifyServiceStatusChange and an alertable SleepEx, stops it when asked
// (a signal, in cmd/supervisor), and keeps its state in the registry,
// flushed after every change. The service program it supervises is
// Worker, an svc.Handler run by svc.Run.
//
// It imports x/sys through a shim (internal/winapi), the package pair that
// "simrun shim" writes: x/sys's packages on Windows, winsim's twins
// elsewhere. Its tests are one set of cases run two ways: against the real
// x/sys on Windows (and under Wine in CI), in real time, with the test
// binary as the service program; and against the twins, on the SCM and
// registry models, in testing/synctest bubbles.
//
// What a supervisor must get right, and what a fake that jumps from Start
// to Running never shows:
//
//   - A service reports SERVICE_START_PENDING until it is ready, with a
//     checkpoint that grows while it makes progress; the wait hint says how
//     long the supervisor may wait for the next one (SERVICE_STATUS
//     documentation). The supervisor waits as long as the service makes
//     progress, and gives up (ErrNoProgress) only when a wait hint passes
//     without any.
//   - A stop requested while the service is starting cannot be sent: a
//     service that does not accept SERVICE_CONTROL_STOP yet answers
//     ERROR_INVALID_SERVICE_CONTROL (1052), and one the SCM will not send
//     the control to ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061). The supervisor
//     waits for the start to end and then stops the service; giving up at
//     the first refusal leaves it running, unsupervised.
//   - NotifyServiceStatusChange notifies once per registration, through an
//     APC that runs only while the registering thread waits alertably:
//     the waiting goroutine is locked to its OS thread, sleeps with
//     SleepEx(..., true), registers again after each notification, and
//     never reuses a buffer a registration may still write to.
package supervisor
