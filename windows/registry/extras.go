package registry

import "github.com/winsim/winsim/sim"

// RegFlushKey is not in golang.org/x/sys/windows/registry: programs that
// need it generate it with mkwinsyscall from
//
//	//sys	RegFlushKey(key Key) (regerrno error) = advapi32.RegFlushKey
//
// and the twin offers it with the signature such a wrapper has, outside the
// identity check. It writes the whole hive of the key and returns once the
// hive is durable (the registry model's RegFlushKey, rules hive.flush.* and
// hive.regflush.*): what it wrote survives a power cut
// (winsimtest.Machine.PowerCut), what came after it does not unless the
// lazy flusher wrote it. LOCAL_MACHINE and USERS flush every hive,
// CURRENT_USER the user's hive. A power cut armed inside the flush
// (winsimtest.Machine.PowerCutDuringFlush) makes it fail with
// ERROR_REGISTRY_IO_FAILED.
func RegFlushKey(key Key) (regerrno error) {
	var e sim.Errno
	call(func(c reg) { e = c.regFlushKey(key) })
	return errOf(e)
}
