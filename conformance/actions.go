package conformance

import (
	"fmt"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/win32"
)

// Op names what an Action does: one Win32 call, a change to the simulated
// world (virtual time, a service's own report), or nothing else. Each family
// declares its own Ops (kernel.go, scm.go, csp.go, registry.go, ksp.go) and
// registers them with the capabilities they need.
type Op string

// Handle references that are not variables.
const (
	RefNULL    = "NULL"
	RefInvalid = "INVALID_HANDLE_VALUE"
	RefBogus   = "BOGUS" // a value no handle table issued
)

// Action is one step of a check or of a property run. Handles are named:
// As binds the handle a call returns to a name, and handle fields take such
// a name or one of the Ref constants. Only the fields the Op uses matter.
//
// Action is still one struct for every family (a union: each family reads
// the fields its Ops use); the Ops, their needs and the handle kinds are
// the families' own (family.go).
type Action struct {
	Op Op
	// Thread makes the call; "" means "main".
	Thread string
	// H is the handle the call takes; Hs the handles of a multiple wait.
	H  string
	Hs []string
	// As names the handle the call returns.
	As string

	// CreateService, OpenService and OpenSCManager.
	Name, Display, Binary *string
	Machine, Database     *string
	Deps                  []string
	Access                uint32
	Type, Start           uint32
	// ErrorControl is CreateService's dwErrorControl; nil passes
	// SERVICE_ERROR_NORMAL.
	ErrorControl *uint32

	Control uint32 // ControlService
	Level   uint32 // QueryServiceStatusEx
	// NullNeeded: QueryServiceStatusEx passes a NULL pcbBytesNeeded.
	NullNeeded bool
	// NotifyServiceStatusChange: the mask, the buffer by name ("" passes
	// NULL) and the buffer's dwVersion.
	Mask    uint32
	Buffer  string
	Version uint32

	// Waits.
	MS                 uint32
	Alertable, WaitAll bool
	// CreateEvent.
	Manual, Initial bool
	// advance.
	D time.Duration

	// report and program: the service by name.
	Service string
	Status  win32.SERVICE_STATUS
	// program: a well-behaved service (win32.TypicalProgram) with these
	// delays, or a start failure when StartError is nonzero.
	StartDelay, StepDelay time.Duration
	StartError            uint32

	// The CryptoAPI calls: CryptAcquireContext's container and provider
	// names, type and flags (Flags also for the other calls), the algorithm
	// or key spec, a non-NULL pdwReserved, a NULL output pointer, the key
	// of CryptCreateHash (a handle reference, RefNULL for none) and the
	// bytes of CryptHashData.
	Container, Provider *string
	ProvType, Flags     uint32
	Alg                 uint32
	Reserved, NullOut   bool
	Key                 string
	Data                string

	// DWord is a number argument (the test-only tally family's). The
	// registry's arguments are its own (regArgs); Key is the
	// RootDirectory of its creates and opens.
	DWord uint32

	// Args are the arguments of a family whose calls take what the fields
	// above do not hold, as a value of the family's own type (the
	// semaphore family's semArgs, say). A new family puts its arguments
	// here instead of adding fields to Action.
	Args any
}

func (a Action) thread() string {
	if a.Thread == "" {
		return "main"
	}
	return a.Thread
}

// unsupported says why b cannot execute the action, "" when it can.
func (a Action) unsupported(b backend.Kernel) string {
	if m := missingCaps(b, a.needs()); len(m) > 0 {
		return fmt.Sprintf("backend %s lacks %s, needed by %s", b.Name(), strings.Join(m, ", "), a.Op)
	}
	return ""
}

const infinite = 0xFFFFFFFF

func strp(s string) *string { return &s }
