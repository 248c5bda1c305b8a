// Package win32 holds the SDK's names, numbers and structures for the API
// families winsim models: service control (winsvc.h), CNG key storage and
// CryptoAPI (ncrypt.h, wincrypt.h), and the registry (winnt.h, wdm.h,
// winreg.h), spelled as the headers spell them.
//
// It is neutral ground: the models (sim/scm, sim/ksp, sim/hive), the
// backends, the conformance suite's oracle and the x/sys twins all speak in
// these types, so none of them needs to import a model package to name a
// service state or fill an OBJECT_ATTRIBUTES. The kernel's names (handles,
// status codes, waits) stay in package sim, below this one.
//
// Where the SDK's constants of one kind form a closed set (the service
// states, control codes, controls-accepted and notification bits, service
// types, start types and error controls), they have a named type defined on
// uint32 (ServiceState, ServiceControl, ...), whose String prints the SDK
// name: an enumeration's value as its name, or Type(n) when it has none; a
// set of bits as their names joined by "|", with any unnamed bits in hex.
// The SDK declares all of them DWORD, and those type names are the
// project's. The CryptoAPI's algorithm identifiers have the SDK's own type,
// ALG_ID; the key specs AT_KEYEXCHANGE and AT_SIGNATURE stay untyped, as the
// header's defines are, since the SDK passes them both as an ALG_ID and as a
// DWORD key spec.
// A structure field holding such a value has its type, which keeps the
// structure's layout (each is 32 bits wide, as the DWORD is); x/sys declares
// those fields uint32, and the real binding converts field by field. Access
// masks stay uint32: one mask mixes a family's specific rights with the
// standard and generic ones, which package sim owns.
//
// Two names are the project's, not the headers': ObjectAttributes is the
// part of OBJECT_ATTRIBUTES the key calls read, and
// SERVICE_USER_DEFINED_CONTROL_FIRST and _LAST bound a documented range.
//
// A few types describe the simulated machine rather than an SDK structure:
// Program (a service process's scripted behavior), ProviderConfig and
// CSPConfig (third-party providers), HiveSpec and CrashPolicy. They are here
// because a backend's optional interfaces take them, and a backend must not
// depend on a model.
package win32
