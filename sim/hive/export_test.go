package hive

import (
	"time"

	"github.com/winsim/winsim/sim"
)

// DurableState returns a copy of s without the writes issued since its last
// barrier, for tests that compare what two stores hold once a flush is
// over (when nothing is pending either way, an empty list and none), and
// without the log entries of the flushes its checkpoint covers: no
// recovery reads those (Recover replays only a log committed after the
// checkpoint), and a whole flush does not keep them.
func DurableState(s *MemStore) MemStore {
	c := *s
	c.pending = nil
	var live []logEntry
	for _, e := range c.log {
		if e.seq > c.checkpoint {
			live = append(live, e)
		}
	}
	c.log = live
	return c
}

// LazyPolicy returns the lazy flusher's interval and the hives one pass
// writes (0: all) under profile p, for tests that count its passes.
func LazyPolicy(p sim.Profile) (time.Duration, int) {
	return settingLazyInterval.In(p), settingLazyHivesPerPass.In(p)
}
