package conformance

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The registry part of the oracle: native key calls from user mode, explicit
// flushes and power cuts. It keeps two registries: the live one every call
// sees at once (hive.visibility.no-flush-needed) and, per hive, the durable
// one the last completed flush wrote. A flush writes the whole hive of its
// key and no other (hive.flush.whole-hive, other-hives-untouched); a power
// cut puts every hive back to its durable image, without volatile keys, and
// ends every handle (hive.crash.handles-invalid). The rules come from the
// behavior catalog's registry section, the ZwCreateKey, ZwFlushKey and
// RegFlushKey pages and Wine's ntdll registry tests; the lazy flusher is
// switched off at the start of every run so that only explicit flushes
// write, and where Wine differs (its NtFlushKey writes nothing) the oracle's
// statement of the profiles (statement.go) decides.

// hRegKey is the registry's handle kind.
const hRegKey hkind = "HKEY"

// The registry actions.
const (
	OpRegCreate Op = "NtCreateKey"
	OpRegOpen   Op = "NtOpenKey"
	OpRegSet    Op = "NtSetValueKey"
	OpRegQuery  Op = "NtQueryValueKey"
	OpRegDelete Op = "NtDeleteKey"
	OpRegFlush  Op = "NtFlushKey"
	OpRegClose  Op = "NtClose"
	OpCrash     Op = "crash"
	OpLazyFlush Op = "lazy_flush"
	// OpCrashFlush arms a power cut at point At of the next flush (policy
	// Keep or not) and flushes H: the cut lands inside that flush.
	OpCrashFlush Op = "crash_in_flush"
)

// regHives are the hives the oracle expects a backend to have mounted (the
// default registry of a machine: SYSTEM, SOFTWARE, .DEFAULT and one user).
var regHives = []string{`\Registry\Machine\SYSTEM`, `\Registry\Machine\SOFTWARE`, `\Registry\User\.DEFAULT`, `\Registry\User\` + win32.DefaultUserSID}

// regSettings are the registry's declared profile differences.
type regSettings struct {
	flushNeedsQuery bool // NtFlushKey needs KEY_QUERY_VALUE
	flushWrites     bool // an explicit flush writes the hive
	// deleteSubkeys is NtDeleteKey's status for a key with subkeys.
	deleteSubkeys sim.NTStatus
	// absVolatileChecked: a stable key named by an absolute path under a
	// volatile parent is refused too.
	absVolatileChecked bool
	openZeroDenied     bool // NtOpenKey refuses an access mask of 0
}

// knownRegSettings are the hive.* settings the oracle states rules for: the
// lazy flusher's three only say when it writes, and every run turns it off;
// hive.create.options-checked only concerns CreateOptions outside
// REG_LEGAL_OPTION, which the generators never pass (the bundled scenarios
// judge both of its values); hive.name.registry-exact only concerns names
// opened without OBJ_CASE_INSENSITIVE, and the oracle's calls always pass it
// (the bundled scenarios judge both values). The seven of enumeration and
// queries (NtEnumerateKey, NtEnumerateValueKey, NtQueryKey) concern calls
// the oracle does not make: the bundled scenarios in scenarios/hive judge
// them.
var knownRegSettings = []string{"hive.flush.needs-key-query-value", "hive.flush.explicit-writes",
	"hive.lazy.interval", "hive.lazy.periodic", "hive.lazy.hives-per-pass", "hive.delete.has-subkeys-status",
	"hive.create.options-checked", "hive.volatile.absolute-name-checked", "hive.open.zero-access-denied",
	"hive.name.registry-exact", "hive.enumvalue.sorted", "hive.enumvalue.short-buffer-status",
	"hive.querykey.access-checked", "hive.enumkey.name-classes", "hive.info.max-lengths-high-water",
	"hive.enumvalue.full-data-aligned", "hive.enumvalue.whole-lengths"}

func readRegSettings(profile string) (regSettings, error) {
	r := readStatements("hive.", profile, "conformance/hive.go", knownRegSettings)
	s := regSettings{flushNeedsQuery: r.bool("hive.flush.needs-key-query-value"), flushWrites: r.bool("hive.flush.explicit-writes"),
		absVolatileChecked: r.bool("hive.volatile.absolute-name-checked"), openZeroDenied: r.bool("hive.open.zero-access-denied")}
	switch v := r.str("hive.delete.has-subkeys-status"); v {
	case fmt.Sprint(sim.STATUS_CANNOT_DELETE):
		s.deleteSubkeys = sim.STATUS_CANNOT_DELETE
	case fmt.Sprint(sim.STATUS_ACCESS_DENIED):
		s.deleteSubkeys = sim.STATUS_ACCESS_DENIED
	default:
		r.fail("setting hive.delete.has-subkeys-status: %q is a status the oracle does not know", v)
	}
	if err := r.err(); err != nil {
		return regSettings{}, err
	}
	return s, nil
}

// regArgs are the registry calls' arguments (Action.Args). The handle a
// call takes stays the Action's H.
type regArgs struct {
	root    string        // NtCreateKey, NtOpenKey: the RootDirectory (a handle reference, RefNULL for none)
	name    string        // NtCreateKey, NtOpenKey: the ObjectName
	access  uint32        // NtCreateKey, NtOpenKey: the DesiredAccess
	options uint32        // NtCreateKey's CreateOptions
	value   string        // NtSetValueKey, NtQueryValueKey: the value's name
	dword   uint32        // NtSetValueKey's REG_DWORD data
	point   uint32        // crash_in_flush: the write the power cut lands on
	keep    bool          // crash_in_flush: unbarriered writes survive the cut
	lazy    time.Duration // lazy_flush: the lazy flusher's interval, 0 for off
}

// regArgsOf returns an action's registry arguments.
func regArgsOf(a Action) regArgs { return argsOf[regArgs](a) }

// regKey is one key of the oracle's registry, by lower-case full path. A
// key in a state is never changed: a call that changes it replaces it with
// a changed copy (clone), so states share the keys they have in common.
type regKey struct {
	path     string // as created
	gen      int    // which key of that name: a deleted and re-created key is another
	volatile bool
	// transient: the key or a key above it is volatile, so no flush writes
	// it (a stable key under a volatile one exists only where the profile
	// lets an absolute name skip the check).
	transient bool
	values    map[string]regVal // by lower-case name
}

type regVal struct {
	typ  uint32
	data string
}

func (k *regKey) clone() *regKey {
	c := *k
	c.values = maps.Clone(k.values)
	return &c
}

// regHandle is one key handle variable the oracle expects: the key it is
// to (its absolute name as created, and which key of that name), the
// rights it was granted, and whether it was closed (by NtClose or a power
// cut).
type regHandle struct {
	name   string
	access uint32
	path   string
	gen    int
	closed bool
}

// regState is the oracle's registry, a value: regStep never changes the
// state it is given (regEdit copies what it changes).
type regState struct {
	set     regSettings
	live    map[string]*regKey
	durable map[string]map[string]*regKey // by hive, lower-case; an image is never changed, only replaced
	gen     int
	// dirty lists, per hive, the keys changed since its last flush, as
	// path and gen: the records its next flush writes.
	dirty map[string][]regRef
	// keys are the key handle variables, in the order they were bound.
	keys []regHandle
}

type regRef struct {
	path string
	gen  int
}

// handle returns the key handle variable ref (the last bound under that
// name), or ok false for a reference that names none.
func (s regState) handle(ref string) (h regHandle, i int, ok bool) {
	for i := len(s.keys) - 1; i >= 0; i-- {
		if s.keys[i].name == ref {
			return s.keys[i], i, true
		}
	}
	return regHandle{}, -1, false
}

// ownedHandles declares the key handle variables to the other families
// (family.handles).
func regOwnedHandles(state any) []ownedHandle {
	s := state.(regState)
	out := make([]ownedHandle, 0, len(s.keys))
	for _, h := range s.keys {
		out = append(out, ownedHandle{name: h.name, kind: hRegKey, closed: h.closed})
	}
	return out
}

// records counts the key records the next flush of a hive writes: every
// changed key but those created and deleted since the last flush.
func (s regState) records(lh string) int {
	n := 0
	for _, r := range s.dirty[lh] {
		live := s.live[r.path]
		deleted := live == nil || live.gen != r.gen
		d := s.durable[lh][r.path]
		onDisk := d != nil && d.gen == r.gen
		if !deleted || onDisk {
			n++
		}
	}
	return n
}

func newRegState(set regSettings) regState {
	s := regState{set: set, live: map[string]*regKey{}, durable: map[string]map[string]*regKey{}, dirty: map[string][]regRef{}}
	for _, h := range regHives {
		s.live[strings.ToLower(h)] = &regKey{path: h, values: map[string]regVal{}}
		s.durable[strings.ToLower(h)] = map[string]*regKey{strings.ToLower(h): {path: h, values: map[string]regVal{}}}
	}
	return s
}

// hiveOf names the hive a key path is in, "" for the master keys.
func hiveOf(path string) string {
	lp := strings.ToLower(path)
	for _, h := range regHives {
		lh := strings.ToLower(h)
		if lp == lh || strings.HasPrefix(lp, lh+`\`) {
			return lh
		}
	}
	return ""
}

func parentOf(path string) string {
	i := strings.LastIndex(path, `\`)
	if i <= 0 {
		return ""
	}
	return path[:i]
}

func isMaster(path string) bool {
	switch strings.ToLower(path) {
	case `\registry`, `\registry\machine`, `\registry\user`:
		return true
	}
	return false
}

// unflushed reports whether a live key differs from the durable image.
func (s regState) unflushed() bool {
	n := 0
	for p, k := range s.live {
		if k.transient {
			continue
		}
		n++
		d := s.durable[hiveOf(p)][p]
		if d == nil || len(d.values) != len(k.values) {
			return true
		}
		for name, v := range k.values {
			if d.values[name] != v {
				return true
			}
		}
	}
	total := 0
	for _, img := range s.durable {
		total += len(img)
	}
	return n != total
}

// keyOf returns the key a live handle is to, and whether that key was
// deleted.
func (s regState) keyOf(h regHandle) (*regKey, bool) {
	k := s.live[strings.ToLower(h.path)]
	if k == nil && isMaster(h.path) {
		return &regKey{path: h.path, values: map[string]regVal{}}, false
	}
	if k == nil || k.gen != h.gen {
		return nil, true
	}
	return k, false
}

func (s regState) hasSubkeys(path string) bool {
	pre := strings.ToLower(path) + `\`
	for p := range s.live {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// fullName is the absolute name a create or open names.
func (s regState) fullName(a Action) string {
	name, root := regArgsOf(a).name, regArgsOf(a).root
	if root == RefNULL {
		return name
	}
	if h, _, ok := s.handle(root); ok {
		return h.path + `\` + name
	}
	return name
}

// regEdit is a step's copy of the state: it copies a map or the handle
// list the first time the step changes it, and collects the rules that
// decided the result.
type regEdit struct {
	regState
	owned struct{ live, durable, dirty, keys bool }
	rules []string
}

func (e *regEdit) assert(ids ...string) { e.rules = append(e.rules, ids...) }

func (e *regEdit) ownLive() map[string]*regKey {
	if !e.owned.live {
		e.live, e.owned.live = maps.Clone(e.live), true
	}
	return e.live
}

func (e *regEdit) ownKeys() []regHandle {
	if !e.owned.keys {
		e.keys, e.owned.keys = slices.Clone(e.keys), true
	}
	return e.keys
}

func (e *regEdit) ownDirty() map[string][]regRef {
	if !e.owned.dirty {
		e.dirty, e.owned.dirty = maps.Clone(e.dirty), true
	}
	return e.dirty
}

// markDirty lists a changed non-volatile key for its hive's next flush.
func (e *regEdit) markDirty(k *regKey) {
	if k.transient {
		return
	}
	lh := hiveOf(k.path)
	ref := regRef{strings.ToLower(k.path), k.gen}
	if slices.Contains(e.dirty[lh], ref) {
		return
	}
	d := e.ownDirty()
	d[lh] = append(slices.Clip(d[lh]), ref)
}

// flushHive writes the live keys of one hive, volatile ones left out, as its
// durable image.
func (e *regEdit) flushHive(lh string) {
	img := map[string]*regKey{}
	for p, k := range e.live {
		if !k.transient && hiveOf(p) == lh {
			img[p] = k
		}
	}
	if !e.owned.durable {
		e.durable, e.owned.durable = maps.Clone(e.durable), true
	}
	e.durable[lh] = img
	e.ownDirty()[lh] = nil
}

// crash puts every hive back to its durable image and ends every key
// handle.
func (e *regEdit) crash() {
	e.dirty, e.owned.dirty = map[string][]regRef{}, true
	e.live, e.owned.live = map[string]*regKey{}, true
	for _, img := range e.durable {
		maps.Copy(e.live, img)
	}
	keys := e.ownKeys()
	for i := range keys {
		keys[i].closed = true
	}
}

// bind records a key handle the call returns.
func (e *regEdit) bind(h regHandle) { e.keys, e.owned.keys = append(e.ownKeys(), h), true }

func dword(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// lazyOff is the first action of every registry run.
var lazyOff = Action{Op: OpLazyFlush, Args: regArgs{lazy: time.Duration(0)}}
