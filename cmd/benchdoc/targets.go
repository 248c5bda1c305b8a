package main

// target is one performance target of issue 16, checked against a median:
// of one benchmark's unit, or the ratio of two benchmarks' medians in it.
type target struct {
	what  string  // the target in words
	pkg   string  // the package, as the end of its import path
	bench string  // the benchmark, without "Benchmark"
	over  string  // when set, the figure is bench's median over this one's
	unit  string  // the metric
	max   float64 // met when the figure is at most this
}

// targets are issue 16's targets, as the benchmarks of this repository
// measure them. "Linear" is read as: the cost per item at the larger size
// at most twice the cost at the smaller one.
var targets = []target{
	// A million-step scenario.
	{"1M-step scenario: decode and run vs a bare YAML parse of the same text", "scenario", "ScaleSteps/n=1000000", "", "scenario/yaml", 1.3},
	{"1M-step scenario: the run after decoding, per step (2 s per 1M steps)", "scenario", "ScaleSteps/n=1000000", "", "run-ns/step", 2000},
	{"steps are linear: cost per step at 1M vs at 10k", "scenario", "ScaleSteps/n=1000000", "ScaleSteps/n=10000", "ns/step", 2},
	{"1M-step scenario: peak RSS of simrun run, MB", "cmd/simrun", "PeakRSS/traced=false", "", "MB-peak-RSS", 300},
	{"1M-step scenario traced (simrun run -v): peak RSS, MB", "cmd/simrun", "PeakRSS/traced=true", "", "MB-peak-RSS", 300},

	// Calls: allocations (trace off; one where the call makes an object
	// that outlives it).
	{"SetEvent+WaitForSingleObjectEx allocate nothing", "sim", "SetEventWait", "", "allocs/op", 0},
	{"queueing and delivering 8 APCs allocates nothing", "sim", "APCQueueDeliver/trace=false", "", "allocs/op", 0},
	{"OpenService+CloseServiceHandle: only the handle's object", "sim/scm", "OpenCloseService", "", "allocs/op", 1},
	{"SCM register+change+deliver: only the registration and its callback outlive their calls", "sim/scm", "NotifyCycle", "", "allocs/op", 2},
	{"SetServiceStatus allocates nothing", "sim/scm", "StateChange/services=10/handles=0", "", "allocs/op", 0},
	{"CryptContextAddRef+CryptReleaseContext allocate nothing", "sim/ksp", "AddRefRelease", "", "allocs/op", 0},
	{"CryptCreateHash+CryptDestroyHash: only the hash", "sim/ksp", "CreateDestroyHash", "", "allocs/op", 1},
	{"CryptAcquireContext+AddRef+2 releases: only the context", "sim/ksp", "AcquireAddRefRelease", "", "allocs/op", 1},
	{"NCrypt change+wait+re-arm: only the property value kept", "sim/ksp", "ChangeWaitRearm", "", "allocs/op", 1},
	{"NCrypt register+change+wait+re-arm+unregister: the change handle and the property value", "sim/ksp", "NotifyCycle", "", "allocs/op", 2},
	{"NtSetValueKey allocates nothing", "sim/hive", "ValueCalls/NtSetValueKey", "", "allocs/op", 0},
	{"NtQueryValueKey: only the data it returns", "sim/hive", "ValueCalls/NtQueryValueKey", "", "allocs/op", 1},
	{"NtOpenKey+NtClose: only the handle's object", "sim/hive", "ValueCalls/NtOpenKey+NtClose", "", "allocs/op", 1},
	{"NtFlushKey of a clean hive allocates nothing", "sim/hive", "ValueCalls/NtFlushKey-clean", "", "allocs/op", 0},
	{"NtSetValueKey+NtFlushKey: only the record the durable layer keeps", "sim/hive", "SetFlushCycle", "", "allocs/op", 1},

	// Calls: time (trace off), handle, status and value calls.
	{"SetEvent, WaitForSingleObjectEx", "sim", "SetEventWait", "", "ns/call", 100},
	{"OpenService, CloseServiceHandle", "sim/scm", "OpenCloseService", "", "ns/call", 100},
	{"CryptContextAddRef, CryptReleaseContext", "sim/ksp", "AddRefRelease", "", "ns/call", 100},
	{"CryptCreateHash, CryptDestroyHash", "sim/ksp", "CreateDestroyHash", "", "ns/call", 100},
	{"NtSetValueKey", "sim/hive", "ValueCalls/NtSetValueKey", "", "ns/call", 100},
	{"NtQueryValueKey", "sim/hive", "ValueCalls/NtQueryValueKey", "", "ns/call", 100},
	{"NtOpenKey, NtClose", "sim/hive", "ValueCalls/NtOpenKey+NtClose", "", "ns/call", 100},
	{"NtFlushKey of a clean hive", "sim/hive", "ValueCalls/NtFlushKey-clean", "", "ns/call", 100},
	{"NtSetValueKey+NtFlushKey cycle", "sim/hive", "SetFlushCycle", "", "ns/cycle", 300},

	// Cost independent of what else the machine holds.
	{"SCM notify cycle: 100k registrations pending elsewhere and 1M open handles vs an empty machine", "sim/scm", "NotifyCycleScaling", "", "loaded/empty", 1.2},
	{"registering is linear: cost per registration with 100k vs 1k", "sim/scm", "Register/n=100000", "Register/n=1000", "ns/registration", 2},
	{"flush cost follows dirty values: one changed value of 10,000 vs of 10", "sim/hive", "FlushOneValue", "", "big/small", 2},
	{"flush of one dirty key among 100k vs among 10", "sim/hive", "FlushOneDirtyKey/keys=100000", "FlushOneDirtyKey/keys=10", "ns/flush", 2},
	{"lazy flusher over 24 h x 8 hives x 1 write/s: its cost over the writes' own", "sim/hive", "LazyFlusherDay", "", "lazy-overhead", 0.2},
	{"lazy flusher alone over 24 h, no writes (ms)", "sim/hive", "LazyFlusherDay", "", "ms/day-idle", 2},

	// The trace.
	{"trace memory of 2,000,000 events with simrun's limit (MB)", "sim", "TraceMemory/limit=100000", "", "MB-live", 300},
}
