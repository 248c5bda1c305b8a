package hive

import (
	"fmt"
	"time"

	"github.com/winsim/winsim/sim"
)

// ObjectAttributes is the part of OBJECT_ATTRIBUTES the key calls read.
type ObjectAttributes struct {
	// RootDirectory is a key handle the name is relative to, or 0 for an
	// absolute name (\Registry\...).
	RootDirectory sim.Handle
	// ObjectName is the key's name: absolute without RootDirectory,
	// relative (no leading backslash) with it.
	ObjectName string
	// Attributes are OBJ_* flags; OBJ_KERNEL_HANDLE asks for a kernel
	// handle (honored for kernel-mode callers only).
	Attributes uint32
}

// String formats the attributes for the trace.
func (oa ObjectAttributes) String() string {
	if oa.RootDirectory != 0 {
		return fmt.Sprintf("{%s, \"%s\", %s}", oa.RootDirectory, oa.ObjectName, fmtConst(GroupAttributes, oa.Attributes))
	}
	return fmt.Sprintf("{\"%s\", %s}", oa.ObjectName, fmtConst(GroupAttributes, oa.Attributes))
}

// Abs returns attributes for an absolute name with OBJ_CASE_INSENSITIVE.
func Abs(name string) ObjectAttributes {
	return ObjectAttributes{ObjectName: name, Attributes: sim.OBJ_CASE_INSENSITIVE}
}

// Rel returns attributes for a name relative to root, with
// OBJ_CASE_INSENSITIVE.
func Rel(root sim.Handle, name string) ObjectAttributes {
	return ObjectAttributes{RootDirectory: root, ObjectName: name, Attributes: sim.OBJ_CASE_INSENSITIVE}
}

// HiveSpec describes a hive to mount when the registry is created.
type HiveSpec struct {
	// Path is where the hive's root key appears: \Registry\Machine\<name>
	// or \Registry\User\<name>.
	Path string
	// Flags are load flags: REG_NO_LAZY_FLUSH, REG_WHOLE_HIVE_VOLATILE.
	Flags uint32
}

// DefaultHives are the hives a registry has when Options names none: the
// machine's SYSTEM and SOFTWARE, the default user profile and one user's
// hive (HKEY_CURRENT_USER).
var DefaultHives = []HiveSpec{
	{Path: `\Registry\Machine\SYSTEM`},
	{Path: `\Registry\Machine\SOFTWARE`},
	{Path: `\Registry\User\.DEFAULT`},
	{Path: `\Registry\User\` + DefaultUserSID},
}

// DefaultUserSID names the hive HKEY_CURRENT_USER maps to by default.
const DefaultUserSID = "S-1-5-21-1000"

// Options configures a new Registry.
type Options struct {
	// Hives are mounted in order; nil means DefaultHives.
	Hives []HiveSpec
	// CurrentUser is the hive HKEY_CURRENT_USER maps to; "" means
	// \Registry\User\<DefaultUserSID>.
	CurrentUser string
	// NewStore makes the durable layer of each hive; nil means NewMemStore.
	NewStore func(hivePath string) Store
}

// FlushStats counts the I/O of a hive's flushes. A flush of a clean hive
// changes none of the counters.
type FlushStats struct {
	// Flushes counts the flushes that wrote anything.
	Flushes uint64
	// KeysWritten counts key records written (a deleted key counts as the
	// record of its removal). A key is counted once per flush, although the
	// protocol writes it to the log and to the primary image.
	KeysWritten uint64
	// ValueBytes counts the value data bytes of the key records written,
	// once per flush, like KeysWritten.
	ValueBytes uint64
	// Writes counts the durable layer's write operations: log records, the
	// commit record, primary records and the checkpoint.
	Writes uint64
	// Barriers counts the durable layer's barriers.
	Barriers uint64
}

// String formats the counters.
func (s FlushStats) String() string {
	return fmt.Sprintf("flushes=%d keys=%d value-bytes=%d writes=%d barriers=%d", s.Flushes, s.KeysWritten, s.ValueBytes, s.Writes, s.Barriers)
}

// CrashPolicy says what a power loss does to the writes the durable layer
// has accepted since its last barrier: they may all be lost, all survive,
// or each survive or not (chosen by the machine's seeded random source). A
// correct flush protocol gives old-or-new under all three.
type CrashPolicy uint8

// The crash policies.
const (
	LoseUnbarriered   CrashPolicy = iota // every write after the last barrier is lost
	KeepUnbarriered                      // every write reached the medium
	RandomUnbarriered                    // each write reached the medium or not
)

// String names the policy as scenarios write it.
func (p CrashPolicy) String() string {
	return [...]string{"lose", "keep", "random"}[p]
}

// ParseCrashPolicy parses "lose", "keep" or "random".
func ParseCrashPolicy(s string) (CrashPolicy, error) {
	for p := LoseUnbarriered; p <= RandomUnbarriered; p++ {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown crash policy %q (lose, keep or random)", s)
}

// lazyDisabled is the interval that turns the lazy flusher off.
const lazyDisabled = time.Duration(0)
