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
//
// A flush writes a key the image already holds as a Partial record, as a
// hive's log holds the cells a change dirtied rather than the whole key:
// the values the key lost since its last record (Removed, by name) and
// those set since (Values). Applied to the image's record of the key, the
// Removed values go first (names compare as the registry compares them,
// hive.name.upcase), then each of Values replaces the value
// of its name in its place, keeping the image's order, or goes last where
// the image has none, in the record's order; LastWrite replaces the
// image's. A value removed and set again since the last record is in both
// lists, and so moves to the end, as it does in the live key. Applying a
// partial record twice is therefore not applying it once: a Store applies
// each record of a flush to its image once. A record written is never
// changed afterwards; a Store may keep it.
type Record struct {
	Path      string
	Deleted   bool
	Partial   bool
	LastWrite int64 // FILETIME ticks
	Removed   []string
	Values    []Value
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
// WritePrimary(s, ri) for each record, Barrier, WriteCheckpoint(s),
// Barrier. The flush is durable once the barrier after the commit returns.
// A flush holds at most one record per key but for a key deleted and
// created again since the previous flush: its removal, then its new
// record.
//
// A Store must guarantee that after Crash, Recover returns the records of
// the last flush whose commit reached the medium applied over the previous
// image, whole, each once, and never a part of a flush.
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
	// key, sorted by path, each with all the key's values in its order,
	// none of them Deleted or Partial.
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
	log        []logEntry // by position; an entry with a nil record was never written
	commitSeq  uint64
	commitN    int
	primary    map[string]*storedKey // by folded path
	checkpoint uint64
	pending    []Write

	// lastPath and last are the path of the record applied last to the
	// primary image, as the record spells it, and its key there: a hive
	// whose one busy key is written flush after flush finds it without
	// folding its path. last is nil when the key was removed since.
	lastPath string
	last     *storedKey
}

// storedKey is one key of a MemStore's primary image: its record (path as
// created, LastWrite, values in the key's order), the folded names of the
// values with their positions, and the flush whose record it holds last.
// A value's data is the store's own copy, which a later record of the
// value overwrites in place: Recover hands out copies of it.
type storedKey struct {
	rec    Record
	folded []string       // the folded name of each of rec.Values
	index  map[string]int // position in rec.Values, by folded name
	seq    uint64
	// hint is the position of the value replaced last: the value a
	// partial record replaces is most often the one it replaced before.
	hint int
}

// NewMemStore returns an empty in-memory store. The path is unused: every
// MemStore is its own medium.
func NewMemStore(string) Store {
	return &MemStore{primary: map[string]*storedKey{}}
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
		for len(s.log) <= w.Index {
			s.log = append(s.log, logEntry{})
		}
		s.log[w.Index] = logEntry{w.Seq, w.Record}
	case WriteCommit:
		s.commitSeq, s.commitN = w.Seq, w.Count
	case WritePrimary:
		s.applyPrimary(w.Seq, w.Record)
	case WriteCheckpoint:
		s.checkpoint = w.Seq
	}
}

// A whole flush is a flush the registry hands the in-memory store at once,
// with no crash point armed and no write pending, so that nothing can come
// between its operations: flushRecord for each record of flush seq in the
// flush's order, then flushDone. The result is the one its writes and
// barriers give (the log, the commit, the primary, the checkpoint), with
// two differences nothing can observe: the log's records are not kept,
// since the checkpoint written with them means no recovery reads them
// (Recover replays only a log committed after the checkpoint, and a later
// flush writes its own log before it commits), and the records are the
// caller's to reuse once each call returns: the store copies what it keeps.
// In the steady state of a key whose values change in place, a whole flush
// allocates nothing.

// flushRecord applies record r of whole flush seq to the primary image. A
// partial record that removes nothing, of the key applied last, takes the
// short way: the key's path, spelling and place in the image are those of
// its last record (s.last's record spells its path as s.lastPath).
func (s *MemStore) flushRecord(seq uint64, r *Record) {
	sk := s.shortWay(seq, r.Path)
	if sk == nil || !r.Partial || r.Deleted || len(r.Removed) > 0 {
		s.applyPrimary(seq, r)
		return
	}
	sk.seq, sk.rec.LastWrite = seq, r.LastWrite
	for i := range r.Values {
		sk.put(&r.Values[i])
	}
}

// shortWay returns the image's key that a partial record of path, removing
// nothing, of whole flush seq updates in place: the key applied last, when
// its last record spells its path as path and is of an earlier flush. It
// returns nil when the record must go through applyPrimary. It is
// flushRecord's test, which the registry's own short way
// (flushChangedInPlace) shares.
func (s *MemStore) shortWay(seq uint64, path string) *storedKey {
	sk := s.last
	if sk == nil || sk.seq >= seq || path != s.lastPath {
		return nil
	}
	return sk
}

// flushDone completes whole flush seq of n records: its commit and its
// checkpoint.
func (s *MemStore) flushDone(seq uint64, n int) {
	s.commitSeq, s.commitN = seq, n
	s.checkpoint = seq
}

// applyPrimary applies record r of flush seq to the primary image, unless
// the image's key already holds a record of that flush (a recovery
// completing a flush the primary partly holds). The image copies the
// record's data: a value already there is replaced in place, its data in
// the storage it has when that is large enough, so that a flush of changed
// values allocates nothing here.
func (s *MemStore) applyPrimary(seq uint64, r *Record) {
	var pathBuf [foldBuf]byte
	var p []byte // the folded path, where it was needed
	sk := s.last
	if sk == nil || r.Path != s.lastPath {
		p = appendFold(pathBuf[:0], r.Path)
		sk = s.primary[string(p)]
	}
	if sk != nil && sk.seq >= seq {
		return
	}
	if r.Deleted {
		if sk != nil {
			if p == nil {
				p = appendFold(pathBuf[:0], r.Path)
			}
			delete(s.primary, string(p))
			if sk == s.last {
				s.last = nil
			}
		}
		return
	}
	if sk == nil {
		sk = &storedKey{index: map[string]int{}}
		s.primary[string(p)] = sk
	}
	s.lastPath, s.last = r.Path, sk
	sk.seq = seq
	sk.rec.Path, sk.rec.LastWrite = r.Path, r.LastWrite
	if !r.Partial {
		clear(sk.rec.Values)
		sk.rec.Values, sk.folded = sk.rec.Values[:0], sk.folded[:0]
		clear(sk.index)
	}
	for _, name := range r.Removed {
		sk.remove(name)
	}
	for i := range r.Values {
		sk.put(&r.Values[i])
	}
}

// put replaces the value of v's name with a copy of v, in its place, or
// adds one last.
func (sk *storedKey) put(v *Value) {
	// A value of the very name the hinted one has is that value: names
	// are unique as the registry compares them.
	if i := sk.hint; i < len(sk.rec.Values) && sk.rec.Values[i].Name == v.Name {
		sk.rec.Values[i].set(v)
		return
	}
	var nameBuf [foldBuf]byte
	if i, ok := sk.index[string(appendFold(nameBuf[:0], v.Name))]; ok {
		sk.rec.Values[i].set(v)
		sk.hint = i
		return
	}
	f := fold(v.Name)
	sk.index[f] = len(sk.rec.Values)
	sk.rec.Values = append(sk.rec.Values, Value{})
	sk.rec.Values[len(sk.rec.Values)-1].set(v)
	sk.folded = append(sk.folded, f)
}

// set makes dst the value v, with a copy of its data in dst's storage when
// that is large enough (nil data stays nil, empty data empty).
func (dst *Value) set(v *Value) {
	dst.Name, dst.Type, dst.Data = v.Name, v.Type, copyData(dst.Data, v.Data)
}

// remove drops the value named name, if the key has it; the values after
// it move up one place.
func (sk *storedKey) remove(name string) {
	var nameBuf [foldBuf]byte
	i, ok := sk.index[string(appendFold(nameBuf[:0], name))]
	if !ok {
		return
	}
	delete(sk.index, sk.folded[i])
	sk.rec.Values = slices.Delete(sk.rec.Values, i, i+1)
	sk.folded = slices.Delete(sk.folded, i, i+1)
	for j := i; j < len(sk.folded); j++ {
		sk.index[sk.folded[j]] = j
	}
}

// Recover implements Store: a committed log newer than the primary's
// checkpoint is replayed into the primary, each record over a key that
// does not hold it yet; an uncommitted or incomplete log is ignored.
func (s *MemStore) Recover() []Record {
	if s.commitSeq > s.checkpoint && s.logComplete() {
		for i := range s.commitN {
			s.applyPrimary(s.commitSeq, s.log[i].rec)
		}
		s.checkpoint = s.commitSeq
	}
	// The image's data changes in place with later flushes; what Recover
	// returns is the caller's and never changes: its data is copied.
	out := make([]Record, 0, len(s.primary))
	for _, sk := range s.primary {
		vals := slices.Clone(sk.rec.Values)
		for i := range vals {
			vals[i].Data = slices.Clone(vals[i].Data)
		}
		out = append(out, Record{Path: sk.rec.Path, LastWrite: sk.rec.LastWrite, Values: vals})
	}
	slices.SortFunc(out, func(a, b Record) int { return strings.Compare(fold(a.Path), fold(b.Path)) })
	return out
}

func (s *MemStore) logComplete() bool {
	if s.commitN > len(s.log) {
		return false
	}
	for _, e := range s.log[:s.commitN] {
		if e.rec == nil || e.seq != s.commitSeq {
			return false
		}
	}
	return true
}
