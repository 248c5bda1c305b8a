// Package windows is winsim's twin of a subset of golang.org/x/sys/windows
// (v0.47.0): the same identifiers with the same signatures, types and
// constant values, running on winsim's executable models instead of
// Windows. Code written against x/sys builds against it on any system
// (through a shim package of aliases in the user's module, which simrun
// shim writes) and its calls reach a simulated machine that a test selects
// and controls with package winsimtest.
//
// # Covered
//
// Kernel objects and waits: Handle, InvalidHandle, CreateEvent, SetEvent,
// ResetEvent, CloseHandle, WaitForSingleObject, WaitForMultipleObjects,
// SleepEx, GetLastError, INFINITE, WAIT_OBJECT_0, WAIT_FAILED,
// WAIT_IO_COMPLETION and WAIT_TIMEOUT. CryptoAPI contexts:
// CryptAcquireContext, CryptReleaseContext, the PROV_* types and the
// CRYPT_* flags of CryptAcquireContext. Services, on the SCM model of
// package sim/scm: OpenSCManager, CreateService, OpenService,
// DeleteService, CloseServiceHandle, StartService, ControlService,
// SetServiceStatus, QueryServiceStatus, QueryServiceStatusEx,
// NotifyServiceStatusChange, QueryServiceConfig, ChangeServiceConfig,
// QueryServiceConfig2 and ChangeServiceConfig2 (the description, delayed
// automatic start and failure action levels), EnumServicesStatusEx, their
// structures, the SC_* and SERVICE_* constants, and NewCallback.
// Packages windows/svc and windows/svc/mgr are the twins of x/sys's svc
// and svc/mgr over these calls. The error codes those calls return
// (ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, NTE_BAD_KEYSET, ...), and
// the types CreateEvent's signature needs (SecurityAttributes,
// SECURITY_DESCRIPTOR, SECURITY_DESCRIPTOR_CONTROL, SID, ACL), declared
// with x/sys's fields but not backed by any model.
//
// Every call sits on a modeled call of the sim package (events, waits,
// CloseHandle), of sim/ksp (the CryptoAPI) or of sim/scm (services), with
// its catalog rules,
// scenarios and Wine check. A test in this package loads x/sys with
// GOOS=windows and compares every exported identifier with x/sys's.
//
// # Left out, and why
//
// Every identifier whose call is not modeled is left out, never emulated:
// the twin answers only what a model answers. Among those a user of this
// subset might look for: OpenEvent and every other call on named objects
// (the model has no object namespace), CreateMutex (mutexes are not
// modeled), DuplicateHandle, the rest of the CryptoAPI (CryptGenRandom and
// the certificate store calls), and the UTF-16 helpers
// (UTF16PtrFromString and friends), which are not Windows calls (a program
// converts with unicode/utf16). CreateEventEx, and GetCurrentProcess and
// GetCurrentThread (whose pseudo handles the waits and CloseHandle model),
// sit on modeled calls but are not in this first subset. The registry is
// package windows/registry, with x/sys's registry API (x/sys's Reg* calls
// here are left out; RegNotifyChangeKeyValue's change notification is not
// modeled). Of the service calls, EnumDependentServices is not modeled,
// nor are QueryServiceConfig2's and ChangeServiceConfig2's other levels
// (they give ERROR_INVALID_LEVEL), the SCM model has no database lock
// (QueryServiceLockStatus), and the dispatcher calls
// (StartServiceCtrlDispatcher, RegisterServiceCtrlHandlerEx) are what
// package svc's Run stands for. simrun shim names the reason for each of
// these.
//
// # Services
//
// A service's executable runs a Go program a test names with
// winsimtest's SetServiceProgram (its main function, usually a call of
// svc.Run with the service's handler). StartService starts it in a
// goroutine once the model has started the service, and returns when it
// has connected (svc.Run) or returned; a control the model accepts goes to
// the handler before ControlService returns; each status the handler sends
// is a SetServiceStatus. A tag (CreateService's and ChangeServiceConfig's
// lpdwTagId) and a QueryServiceStatusEx buffer that is not a whole
// SERVICE_STATUS_PROCESS (or a NULL one with a size) are not modeled and
// are refused, matching errors.ErrUnsupported. The strings and arrays of
// the configuration and enumeration calls are laid out in the caller's
// buffer after its fixed part, with the sizes the model counts.
//
// NewCallback returns a token (a small number, not a code address) that
// the twins resolve to the Go function when the model runs the callback.
// A notification's callback runs as the model delivers it: an APC on the
// thread of the goroutine that called NotifyServiceStatusChange, during
// one of that goroutine's alertable waits (SleepEx with alertable true,
// WaitForSingleObjectEx), which then returns WAIT_IO_COMPLETION. The twin
// fills the caller's SERVICE_NOTIFY just before the callback runs. The
// callback may call the twins (a call of an SCM function there is the
// contract violation scm.contract.scm-call-in-callback, as on Windows),
// but a wait it makes must not block: the twins run it inside the
// goroutine's own wait, and panic, saying so, rather than deadlock.
//
// Arguments a model does not support are refused, never ignored: a named
// event or a SECURITY_ATTRIBUTES passed to CreateEvent (rules
// kernel.object.named, kernel.object.security-attributes), the Schannel
// provider passed to CryptAcquireContext (rule csp.acquire.schannel). The
// call is not made and returns an error naming the rule, which matches
// errors.ErrUnsupported.
//
// # Extras
//
// WaitForSingleObjectEx is not in x/sys; programs that need an alertable
// wait generate it with mkwinsyscall. The twin offers it with the signature
// such a wrapper has, outside the identity check.
//
// # Errno, the one non-identity
//
// x/sys's Errno is an alias of syscall.Errno. On Linux syscall.Errno is a
// Unix errno: Errno(6).Error() is "no such device or address" and
// errors.Is matches Unix meanings. The twin's Errno is its own defined
// type, of the same kind (uintptr) and with the same methods (Error, Is,
// Temporary, Timeout): Error gives Windows' message ("The handle is
// invalid."), Is matches fs.ErrNotExist, fs.ErrExist, fs.ErrPermission and
// errors.ErrUnsupported as the models' status codes do. Code that
// type-asserts or switches on syscall.Errno will not match the twin's
// errors; comparing with the twin's constants (err ==
// windows.ERROR_INVALID_HANDLE), errors.Is, and errors.As into a
// windows.Errno work on both sides of a shim. The constants x/sys types
// syscall.Errno (ERROR_*, WAIT_TIMEOUT) are the twin's Errno.
//
// # Threads, last errors and time
//
// Each goroutine that calls the twin is a simulated thread of one process,
// made on its first call, with its own last-error value (GetLastError).
// The exceptions are a service's goroutines: its program's is the
// ServiceMain thread of the service's process, svc.Run's handler
// goroutine another thread of that process, and so is a goroutine either
// starts (told by the "created by ... in goroutine N" line of its stack).
// A blocking call (WaitForSingleObject, WaitForMultipleObjects, SleepEx)
// blocks its goroutine until the model delivers: the object is signaled by
// another goroutine's call, or the timeout passes. The model's clock
// follows the time package's clock.
//
// In a testing/synctest bubble that clock is fake: it moves only when
// every goroutine in the bubble is durably blocked, so a 30-second timeout
// passes at once while the rest of the test is blocked too, and a wait
// that nothing can end is reported by synctest as a deadlock. Bind the
// machine inside the bubble (winsimtest.Use in the function given to
// synctest.Test): made outside, its channels are not the bubble's and the
// test hangs until its -timeout. winsim's own tests of the twins run only
// in bubbles.
//
// Outside a bubble the twin runs in real time: a 30-second timeout takes
// 30 seconds, and the model's clock reads the time since the machine was
// bound. winsimtest's Advance moves the model's clock ahead in either mode.
//
// With no machine bound, every call panics with a message saying to bind
// one: the twins have no machine of their own.
package windows
