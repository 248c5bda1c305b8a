package hive

// DurableState returns a copy of s without the writes issued since its last
// barrier, for tests that compare what two stores hold once a flush is
// over (when nothing is pending either way, an empty list and none).
func DurableState(s *MemStore) MemStore {
	c := *s
	c.pending = nil
	return c
}
