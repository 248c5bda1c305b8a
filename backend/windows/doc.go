// Package windows implements winsim's backend interfaces over the real
// Windows API, through golang.org/x/sys/windows: the same calls the models
// answer, made for real, so that a scenario's expectations can be checked
// against the system itself (on Windows, or under Wine on Linux) and a run on
// the system can be recorded and replayed against the models.
//
// Everything but this file is Windows-only. On other systems the package is
// empty.
//
// Each scenario thread is a goroutine locked to its own OS thread; every call
// made "on" a thread is marshalled to it, so that notification callbacks are
// queued to, and run on, the thread that registered them. One callback
// created with NewCallback serves every NotifyServiceStatusChange request of
// the process: it finds the request by the address of its SERVICE_NOTIFY
// buffer. Buffers stay pinned while the backend lives.
//
// The service side (report, program) runs in a test service: the program
// that uses the backend re-runs itself as the service (see RunService), and
// the backend drives it over a named pipe. Service names are made unique per
// backend, and every service a backend creates is deleted when it is closed.
//
// Waits take real time. An alertable wait that is expected to deliver
// callbacks lasts until they have run, up to a watchdog; one that is
// expected to deliver none lasts an explicit window (see
// backend.Paced).
package windows
