// Package semaphore models kernel semaphore objects as the Win32 layer
// shows them: CreateSemaphore, ReleaseSemaphore, and the waits of package
// sim, which treat a semaphore as signaled while its count is above zero and
// take one unit for every wait they satisfy.
//
// The family is small on purpose: it is the template for adding an API
// family to winsim. Everything it needs lives in new files: this package
// (the model, its catalog rules and its one profile setting), the SDK names
// in package win32, the backend interface and its two implementations, the
// scenario steps, the oracle of the conformance suite, and the bundled
// scenarios under scenarios/semaphore. docs/families.md walks through them.
//
// Only unnamed semaphores are modeled: a name, security attributes and
// OpenSemaphore are out of scope, as is the native layer
// (NtCreateSemaphore, NtReleaseSemaphore, NtQuerySemaphore).
package semaphore
