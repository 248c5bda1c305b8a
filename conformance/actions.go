package conformance

import (
	"fmt"
	"strings"

	"github.com/winsim/winsim/backend"
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
// a name or one of the Ref constants.
//
// Action holds what every family's calls have in common; the rest of a
// call's arguments are its family's own, in Args. The Ops, their needs and
// the handle kinds are the families' own too (family.go).
type Action struct {
	Op Op
	// Thread makes the call; "" means "main".
	Thread string
	// H is the handle the call takes; Hs the handles of a multiple wait.
	H  string
	Hs []string
	// As names the handle the call returns.
	As string

	// Args are the call's other arguments, as a value of its family's own
	// type (kernelArgs, scmArgs, cspArgs, regArgs, kspArgs, semArgs); a
	// family reads them with argsOf. A new family puts its arguments here
	// instead of adding fields to Action.
	Args any
}

// argsOf returns an action's arguments of a family's type T (Action.Args),
// the zero T when the action holds none of that type.
func argsOf[T any](a Action) T {
	args, _ := a.Args.(T)
	return args
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
