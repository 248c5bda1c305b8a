// Package hive models the Windows registry as the configuration manager
// keeps it: a namespace (\Registry\Machine\..., \Registry\User\...) of
// several hives, each with its live keys and its own durable image; key
// handles with access rights in the calling process's handle table (or in
// the kernel's, with OBJ_KERNEL_HANDLE); the native calls NtCreateKey,
// NtOpenKey, NtSetValueKey, NtQueryValueKey, NtDeleteValueKey, NtQueryKey,
// NtEnumerateKey, NtEnumerateValueKey, NtDeleteKey, NtFlushKey and NtClose
// with their Zw forms, and the Win32 RegFlushKey.
//
// What a flush covers and what survives a power cut is the point of the
// model: ZwFlushKey writes the whole hive of the key (every key of the
// hive, not a subtree) and returns once it is durable; a lazy flusher on the
// virtual clock writes modified hives a few seconds after a change, skipping
// hives loaded with REG_NO_LAZY_FLUSH and volatile ones; the durable layer
// (Store) is a medium of writes and barriers, and a crash may be injected
// between two calls or between any two of a flush's writes and barriers.
// After any crash each hive comes back as its previous flush or its new
// one, whole; volatile keys never come back.
//
// Kernel-mode callers (a thread whose CallerContext names a driver model)
// are held to the driver compliance rules the ZwFlushKey page lists:
// IrqlZwPassive, ZwRegistryCreate, ZwRegistryOpen and
// HwStorPortProhibitedDDIs; a breach is reported as a sim.Violation.
//
// Every call takes the *sim.Thread that makes it. Rules with their sources
// are listed in Rules, profile differences in Settings.
package hive

import (
	"fmt"
	"strings"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// hive is one mounted hive: its live tree and its durable layer.
type hive struct {
	r      *Registry
	path   string // where its root is mounted, as given
	flags  uint32 // load flags
	master bool   // the master hive: \REGISTRY and its mount-point keys
	// hasVolatile is set once a key of the hive is volatile, and never
	// cleared: while it is false no key of the hive is under a volatile
	// one, and key.underVolatile need not walk up to see it. (It sits
	// in the padding after master: one more word would put the struct
	// in a larger size class.)
	hasVolatile bool
	root        *key
	store       Store
	dirty       []*key // keys to write at the next flush, in the order they changed
	seq         uint64 // sequence number of the last flush issued
	stats       win32.FlushStats

	// flushKeys and flushRecs are the storage of a flush's lists, kept
	// for the next flush.
	flushKeys []*key
	flushRecs []*Record
	// scratch is the one record of a whole flush to an in-memory store
	// (syncWhole), its storage kept for the next.
	scratch Record
}

// persistent reports whether the hive has an image at all.
func (hv *hive) persistent() bool {
	volatile := hv.flags&win32.REG_WHOLE_HIVE_VOLATILE != 0
	volatile = sim.FaultBroken("hive.volatile.whole-hive", volatile, false)
	return !hv.master && !volatile
}

// lazyEligible reports whether the lazy flusher writes the hive.
func (hv *hive) lazyEligible() bool {
	noLazy := hv.flags&win32.REG_NO_LAZY_FLUSH != 0
	noLazy = sim.FaultBroken("hive.lazy.no-lazy-flush", noLazy, false)
	return hv.persistent() && !noLazy
}

// Registry is the configuration manager of one sim.Machine.
type Registry struct {
	m           *sim.Machine
	newStore    func(string) Store
	master      *hive
	hives       []*hive // mounted, in load order
	currentUser string
	// handles are the open key handles, in every table, in no particular
	// order: a list rather than a set, as opening and closing a handle is
	// a hot path and an append and a swap cost less than a map's insert and
	// delete.
	handles []*keyHandle
	drivers map[*sim.Thread]*driverState

	lazyTimer    *sim.Timer
	lazyInterval *time.Duration // set by SetLazyFlush; nil means the profile's
	lazyCursor   int            // the hive the next lazy pass starts with

	crashAt  int               // power fails before this operation of the next flush; 0 for none
	crashPol win32.CrashPolicy // what the armed crash does to unbarriered writes
	ops      int               // durable-layer operations of the flush under way
}

// New creates the registry of machine m, with the hives of opts mounted
// and empty. It fails for a bad hive path.
func New(m *sim.Machine, opts Options) (*Registry, error) {
	r := &Registry{m: m, newStore: opts.NewStore, drivers: map[*sim.Thread]*driverState{}}
	if r.newStore == nil {
		r.newStore = NewMemStore
	}
	r.buildMaster()
	specs := opts.Hives
	if specs == nil {
		specs = win32.DefaultHives
	}
	for _, s := range specs {
		if err := r.mount(s.Path, s.Flags); err != nil {
			return nil, err
		}
	}
	r.currentUser = opts.CurrentUser
	if r.currentUser == "" {
		r.currentUser = `\Registry\User\` + win32.DefaultUserSID
	}
	return r, nil
}

// MustNew is New for options known to be good.
func MustNew(m *sim.Machine, opts Options) *Registry {
	r, err := New(m, opts)
	if err != nil {
		panic(err)
	}
	return r
}

// Machine returns the machine the registry runs on.
func (r *Registry) Machine() *sim.Machine { return r.m }

// buildMaster creates the master hive: \REGISTRY with MACHINE and USER.
func (r *Registry) buildMaster() {
	hv := &hive{r: r, master: true}
	hv.root = newKey("REGISTRY", nil, hv, true)
	hv.root.lastWrite = r.now()
	for _, n := range []string{"MACHINE", "USER"} {
		k := newKey(n, hv.root, hv, true)
		k.lastWrite = r.now()
		hv.root.addChild(k)
	}
	r.master = hv
}

// LoadHive mounts a new, empty hive at path (\Registry\Machine\<name> or
// \Registry\User\<name>) with the load flags REG_NO_LAZY_FLUSH and
// REG_WHOLE_HIVE_VOLATILE (others are not modeled). It is the model's
// counterpart of NtLoadKey2 for a hive file that does not exist yet.
func (r *Registry) LoadHive(path string, flags uint32) error {
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	if err := r.mount(path, flags); err != nil {
		return err
	}
	kernel.Tracef(r.m, nil, sim.EvNote, "hive %s loaded (%s)", path, fmtConst(win32.GroupLoadFlags, flags))
	return nil
}

func (r *Registry) mount(path string, flags uint32) error {
	if flags&^modeledLoadFlags != 0 {
		return fmt.Errorf("hive %s: load flags %s are not modeled (only REG_NO_LAZY_FLUSH and REG_WHOLE_HIVE_VOLATILE)", path, fmtConst(win32.GroupLoadFlags, flags&^modeledLoadFlags))
	}
	comps, st := splitAbsolute(nil, path)
	if st != sim.STATUS_SUCCESS || len(comps) != 3 || !equalFold(comps[0], "Registry") {
		return fmt.Errorf("hive path %q: want \\Registry\\Machine\\<name> or \\Registry\\User\\<name>", path)
	}
	parent := r.master.root.child(comps[1])
	if parent == nil {
		return fmt.Errorf("hive path %q: hives mount under \\Registry\\Machine or \\Registry\\User", path)
	}
	if parent.child(comps[2]) != nil {
		return fmt.Errorf("hive path %q: a hive is already mounted there", path)
	}
	hv := &hive{r: r, path: path, flags: flags, store: r.newStore(path)}
	hv.root = newKey(comps[2], parent, hv, false)
	hv.root.lastWrite = r.now()
	parent.addChild(hv.root)
	r.hives = append(r.hives, hv)
	return nil
}

// hiveAt returns the mounted hive whose root is at path.
func (r *Registry) hiveAt(path string) *hive {
	for _, hv := range r.hives {
		if equalFold(hv.path, path) {
			return hv
		}
	}
	return nil
}

// HivePaths returns the mount paths of the hives, in load order.
func (r *Registry) HivePaths() []string {
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	out := make([]string, len(r.hives))
	for i, hv := range r.hives {
		out[i] = hv.path
	}
	return out
}

// Stats returns the I/O counters of the hive mounted at path.
func (r *Registry) Stats(path string) (win32.FlushStats, error) {
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	hv := r.hiveAt(path)
	if hv == nil {
		return win32.FlushStats{}, fmt.Errorf("no hive is mounted at %s", path)
	}
	return hv.stats, nil
}

// splitAbsolute resolves an absolute name through the model's object
// namespace and returns the components below \Registry. The namespace
// holds the \Registry key and the \Device directory with the Null device:
//   - a name without the leading backslash is STATUS_OBJECT_PATH_SYNTAX_BAD
//     (reg.c:387);
//   - \ alone names the root directory, not a key: STATUS_OBJECT_TYPE_MISMATCH
//     (reg.c:411, 602), as does \Device\Null, a device (reg.c:459, 648);
//   - an empty first component (\\\) is STATUS_OBJECT_NAME_INVALID
//     (reg.c:416);
//   - a missing object is STATUS_OBJECT_NAME_NOT_FOUND when it is the last
//     component (reg.c:439) and STATUS_OBJECT_PATH_NOT_FOUND when more
//     follow (reg.c:444, 449);
//   - below \Registry, empty components are skipped: \Registry\ and
//     \Registry\\ name \Registry (reg.c:427, 433).
//
// The components are appended to dst, which a caller may back with an
// array of its own so that resolving a name allocates nothing.
func splitAbsolute(dst []string, name string) ([]string, sim.NTStatus) {
	if !strings.HasPrefix(name, `\`) {
		return nil, sim.STATUS_OBJECT_PATH_SYNTAX_BAD
	}
	if name == `\` {
		return nil, sim.STATUS_OBJECT_TYPE_MISMATCH
	}
	first, rest, more := strings.Cut(name[1:], `\`)
	switch {
	case first == "":
		return nil, sim.STATUS_OBJECT_NAME_INVALID
	case equalFold(first, "Registry"):
		return registryComponents(append(dst, first), rest), sim.STATUS_SUCCESS
	}
	// Outside \Registry only the second component matters.
	second, _, third := strings.Cut(rest, `\`)
	switch {
	case equalFold(first, "Device") && (!more || equalFold(second, "Null")):
		return nil, sim.STATUS_OBJECT_TYPE_MISMATCH
	case equalFold(first, "Device") && more && !third, !more:
		return nil, sim.STATUS_OBJECT_NAME_NOT_FOUND
	}
	return nil, sim.STATUS_OBJECT_PATH_NOT_FOUND
}

// splitRelative splits a relative name into its components. Empty
// components are skipped: the registry reads test_subkey\ and
// test_subkey2\\test\\ as test_subkey and test_subkey2\test (reg.c:564,
// 568, 575, 578), and test\\subkey as test\subkey (reg.c:554); "" has no
// component. A leading backslash makes the name absolute, which a
// RootDirectory excludes: STATUS_OBJECT_PATH_SYNTAX_BAD.
func splitRelative(dst []string, name string) ([]string, sim.NTStatus) {
	if strings.HasPrefix(name, `\`) {
		return nil, sim.STATUS_OBJECT_PATH_SYNTAX_BAD
	}
	return registryComponents(dst, name), sim.STATUS_SUCCESS
}

// registryComponents appends to dst the components of a name below a key,
// split at its backslashes, skipping empty components.
func registryComponents(dst []string, name string) []string {
	keepEmpty := sim.FaultBroken("hive.name.empty-components", false, true)
	for {
		i := strings.IndexByte(name, '\\')
		c := name
		if i >= 0 {
			c = name[:i]
		}
		if c != "" || keepEmpty {
			dst = append(dst, c)
		}
		if i < 0 {
			return dst
		}
		name = name[i+1:]
	}
}

// nameComponents is the room for a name's components that a call resolving
// a name keeps on its stack; a deeper name grows onto the heap.
const nameComponents = 16

// start resolves where a name is looked up from: the key of the
// RootDirectory handle, or \Registry for an absolute name. It returns the
// start key and the components still to walk, appended to dst.
func (r *Registry) start(t *sim.Thread, oa win32.ObjectAttributes, mode sim.Mode, dst []string) (*key, []string, sim.NTStatus) {
	if oa.RootDirectory == 0 {
		comps, st := splitAbsolute(dst, oa.ObjectName)
		if st == sim.STATUS_OBJECT_PATH_SYNTAX_BAD || st == sim.STATUS_OBJECT_NAME_INVALID {
			return nil, nil, sim.FaultBroken("hive.name.syntax", st, sim.STATUS_OBJECT_NAME_NOT_FOUND)
		}
		if st != sim.STATUS_SUCCESS {
			return nil, nil, sim.FaultBroken("hive.name.namespace", st, sim.STATUS_OBJECT_NAME_NOT_FOUND)
		}
		if comps[0] != "REGISTRY" && oa.Attributes&sim.OBJ_CASE_INSENSITIVE == 0 {
			exact := r.setting(&settingRegistryNameExact)
			exact = sim.FaultBroken("hive.name.registry-case-sensitive", exact, !exact)
			if exact {
				// The object manager compares the name exactly (reg.c:394, 663).
				if len(comps) == 1 {
					return nil, nil, sim.STATUS_OBJECT_NAME_NOT_FOUND
				}
				return nil, nil, sim.STATUS_OBJECT_PATH_NOT_FOUND
			}
		}
		return r.master.root, comps[1:], sim.STATUS_SUCCESS
	}
	// No access right is needed on the root handle: the object manager
	// references it with an empty mask.
	kh, st := r.lookup(t, oa.RootDirectory, mode)
	if st != sim.STATUS_SUCCESS {
		return nil, nil, st
	}
	comps, st := splitRelative(dst, oa.ObjectName)
	if st != sim.STATUS_SUCCESS {
		return nil, nil, st
	}
	deleted := sim.FaultBroken("hive.create.key-deleted", kh.key.deleted, false)
	if deleted {
		return nil, nil, sim.STATUS_KEY_DELETED
	}
	return kh.key, comps, sim.STATUS_SUCCESS
}

// walk follows comps from k; every component must exist. A component
// longer than a key name can be stops the walk with
// STATUS_INVALID_PARAMETER where the walk reaches it, before it is looked
// up (checkComponent); a missing component stops it with a nil key and
// STATUS_OBJECT_NAME_NOT_FOUND, which the callers refine.
func walk(k *key, comps []string) (*key, sim.NTStatus) {
	for _, c := range comps {
		if st := checkComponent(c); st != sim.STATUS_SUCCESS {
			return nil, st
		}
		if k = k.child(c); k == nil {
			return nil, sim.STATUS_OBJECT_NAME_NOT_FOUND
		}
	}
	return k, sim.STATUS_SUCCESS
}

// maxKeyNameChars is the longest key name, one component of a path, in
// UTF-16 code units: 256 (inferred). The Registry Element Size Limits page
// gives 255 characters, for a key name it says includes the absolute path,
// which no implementation limits; both implementations at hand limit each
// component, to 256, as the lookup reaches it: ReactOS
// (ntoskrnl/config/cmparse.c: CmpGetNextName refuses a component of more
// than 512 bytes, and CmpParseKey answers STATUS_INVALID_PARAMETER) and
// Wine's server (MAX_NAME_LEN in key_lookup_name, the same status). No
// Windows test pins the number.
const maxKeyNameChars = 256

// checkComponent refuses a path component longer than maxKeyNameChars
// (rule hive.name.component-too-long).
func checkComponent(name string) sim.NTStatus {
	// A name has no more UTF-16 units than bytes: a short one is not
	// counted.
	tooLong := len(name) > maxKeyNameChars && utf16Len(name) > maxKeyNameChars
	tooLong = sim.FaultBroken("hive.name.component-too-long", tooLong, false)
	if tooLong {
		return sim.STATUS_INVALID_PARAMETER
	}
	return sim.STATUS_SUCCESS
}

// lookup resolves a key handle for a native call made in mode.
func (r *Registry) lookup(t *sim.Thread, h sim.Handle, mode sim.Mode) (*keyHandle, sim.NTStatus) {
	kh, _, st := kernel.ReferenceByHandle[*keyHandle](t, h, sim.FaultBroken("hive.native.kernel-handle-user-mode", mode, sim.KernelMode))
	return kh, st
}

// modeOf returns the previous mode of a call: Zw calls from kernel-mode
// code (a thread running a driver, or already in kernel mode) run as
// KernelMode; Nt calls, and Zw calls from user mode (where ntdll's Zw and
// Nt are one entry point), take the thread's PreviousMode.
func modeOf(t *sim.Thread, via Via) sim.Mode {
	ctx := kernel.Context(t)
	fromKernel := via == Zw && ctx.Driver != sim.DriverNone
	fromKernel = sim.FaultBroken("hive.native.zw-skips-access", fromKernel, false)
	if fromKernel {
		return sim.KernelMode
	}
	return ctx.PreviousMode
}

// Via says which entry point a native call went through.
type Via uint8

// The entry points.
const (
	Nt Via = iota // NtXxx: the thread's PreviousMode applies
	Zw            // ZwXxx: kernel-mode callers run as KernelMode
)

// String returns "Nt" or "Zw".
func (v Via) String() string {
	if v == Zw {
		return "Zw"
	}
	return "Nt"
}

// name returns the name of the call through this entry point: nt or zw,
// both constants, so that naming a call allocates nothing.
func (v Via) name(nt, zw string) string {
	if v == Zw {
		return zw
	}
	return nt
}

// ret traces a call that returns a status; call is only evaluated when the
// machine records a trace.
func (r *Registry) ret(t *sim.Thread, call func() string, st sim.NTStatus) sim.NTStatus {
	kernel.TraceCall(r.m, t, call, st.String)
	return st
}

func (r *Registry) setting(s *sim.Setting[bool]) bool { return s.In(r.m.Profile()) }
