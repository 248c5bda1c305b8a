package hive

import (
	"slices"
	"strings"
)

// This file is the durable layer: what a hive's flush writes to and what a
// power loss leaves behind. The key logic talks to it only through Store,
// a medium of writes and barriers, so that an implementation over a real
// on-disk hive format (base block, bins, .LOG1/.LOG2) can replace the
// in-memory MemStore without touching keys, handles or flush scheduling.

// Value is one value of a key: its name, type and data.
type Value struct {
	Name string
	Type uint32
	Data []byte
}

// Record is the durable form of one key: its path inside the hive ("" for
// the hive's root key, components joined by backslashes, as created), its
// LastWriteTime and its values in the key's order (the order they were
// first set in, which a key's value list keeps on disk); or, with Deleted,
// its removal.
type Record struct {
	Path      string
	Deleted   bool
	LastWrite int64 // FILETIME ticks
	Values    []Value
}

// payload is the value data size of the record.
func (r *Record) payload() int {
	n := 0
	for _, v := range r.Values {
		n += len(v.Data)
	}
	return n
}

// WriteKind says what a Write carries.
type WriteKind uint8

// The writes of the flush protocol, in the order a flush issues them.
const (
	// WriteLog puts a record at position Index of the flush's log.
	WriteLog WriteKind = iota
	// WriteCommit marks the log of flush Seq complete with Count records.
	WriteCommit
	// WritePrimary applies a record to the primary image.
	WritePrimary
	// WriteCheckpoint marks the primary image up to date with flush Seq.
	WriteCheckpoint
)

// String names the kind for the trace.
func (k WriteKind) String() string {
	return [...]string{"log", "commit", "primary", "checkpoint"}[k]
}

// Write is one write operation of a flush.
type Write struct {
	Kind   WriteKind
	Seq    uint64  // the flush's sequence number, from 1
	Index  int     // WriteLog: the record's position in the log
	Count  int     // WriteCommit: how many records the log holds
	Record *Record // WriteLog and WritePrimary
}

// Store is the durable layer of one hive.
//
// A flush of flush sequence number s with records r1..rn issues, in order:
// WriteLog(s, i, ri) for each record, Barrier, WriteCommit(s, n), Barrier,
// WritePrimary(ri) for each record, Barrier, WriteCheckpoint(s), Barrier.
// The flush is durable once the barrier after the commit returns.
//
// A Store must guarantee that after Crash, Recover returns the records of
// the last flush whose commit reached the medium applied over the previous
// image, whole, and never a part of a flush.
type Store interface {
	// Write issues one write. It is not durable until the next Barrier.
	Write(w Write)
	// Barrier returns once every write issued before it is durable.
	Barrier()
	// Crash is a power loss: each write issued since the last barrier
	// reached the medium if keep says so, in issue order; the rest is lost.
	Crash(keep func(i int, w Write) bool)
	// Recover reads the medium as a restart does, completes a committed
	// flush the primary image lacks, and returns the image: one record per
	// key, sorted by path, none of them Deleted.
	Recover() []Record
}

// logEntry is one durable log record.
type logEntry struct {
	seq uint64
	rec *Record
}

// MemStore is the in-memory Store: a medium that holds a log area and a
// primary image, with writes cached until a barrier.
type MemStore struct {
	log        map[int]logEntry
	commitSeq  uint64
	commitN    int
	primary    map[string]*Record // by lower-case path
	checkpoint uint64
	pending    []Write
}

// NewMemStore returns an empty in-memory store. The path is unused: every
// MemStore is its own medium.
func NewMemStore(string) Store {
	return &MemStore{log: map[int]logEntry{}, primary: map[string]*Record{}}
}

// Write implements Store.
func (s *MemStore) Write(w Write) { s.pending = append(s.pending, w) }

// Barrier implements Store.
func (s *MemStore) Barrier() {
	for _, w := range s.pending {
		s.apply(w)
	}
	s.pending = s.pending[:0]
}

// Crash implements Store.
func (s *MemStore) Crash(keep func(i int, w Write) bool) {
	for i, w := range s.pending {
		if keep(i, w) {
			s.apply(w)
		}
	}
	s.pending = nil
}

func (s *MemStore) apply(w Write) {
	switch w.Kind {
	case WriteLog:
		s.log[w.Index] = logEntry{w.Seq, w.Record}
	case WriteCommit:
		s.commitSeq, s.commitN = w.Seq, w.Count
	case WritePrimary:
		s.applyPrimary(w.Record)
	case WriteCheckpoint:
		s.checkpoint = w.Seq
	}
}

func (s *MemStore) applyPrimary(r *Record) {
	k := fold(r.Path)
	if r.Deleted {
		delete(s.primary, k)
		return
	}
	s.primary[k] = r
}

// Recover implements Store: a committed log newer than the primary's
// checkpoint is replayed into the primary (records hold whole keys, so
// replaying over a partly updated primary gives the same image); an
// uncommitted or incomplete log is ignored.
func (s *MemStore) Recover() []Record {
	if s.commitSeq > s.checkpoint && s.logComplete() {
		for i := range s.commitN {
			s.applyPrimary(s.log[i].rec)
		}
		s.checkpoint = s.commitSeq
	}
	out := make([]Record, 0, len(s.primary))
	for _, r := range s.primary {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Record) int { return strings.Compare(fold(a.Path), fold(b.Path)) })
	return out
}

func (s *MemStore) logComplete() bool {
	for i := range s.commitN {
		if e, ok := s.log[i]; !ok || e.seq != s.commitSeq {
			return false
		}
	}
	return true
}
