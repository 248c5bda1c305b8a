// Package sim is the shared kernel of winsim's executable models of Windows
// APIs: a virtual clock, simulated processes and threads with their handle
// tables and APC queues, waitable objects and the wait functions, status codes
// with their SDK names and values, profiles for version differences, contract
// violations and a deterministic trace.
//
// Everything in sim is pure and deterministic: it starts no goroutine, reads no
// wall clock and does no I/O. Time moves only when a caller advances the
// Machine's clock or a simulated thread waits; a wait that nothing can ever
// satisfy reports a deadlock instead of blocking. The same calls in the same
// order give a byte-identical trace.
//
// The API families (sim/scm, sim/ksp, sim/hive, sim/semaphore) build on a
// Machine: every call is made on behalf of an explicit *Thread, whose
// CallerContext says who is calling (inside an APC, from a ServiceMain, at
// which IRQL).
//
// The Machine's lock is not part of the API: the calls take it themselves.
// A nil *Thread, a Thread of another Machine, or one that has exited,
// passed to a call is refused with a panic that names the mistake, with the
// lock free; a panic inside a call (an APC routine's included) releases the
// lock as it unwinds.
// The family packages reach the lock, and the operations a model performs
// while holding it (tracing, contract violations, timers, handle insertion),
// through the module-internal package sim/internal/kernel.
package sim
