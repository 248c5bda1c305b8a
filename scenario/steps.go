package scenario

import (
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// Returns says what a step kind's want: compares.
type Returns uint8

// What step kinds return.
const (
	// ReturnsNothing: the step takes no want:. It fails only when the
	// backend reports an error, or when its assertion does not hold.
	ReturnsNothing Returns = iota
	// ReturnsStatus: a Win32 error code. want: names it; left out, the call
	// must succeed (ERROR_SUCCESS).
	ReturnsStatus
	// ReturnsWait: a WaitResult. want: names it (WAIT_OBJECT_0+1,
	// WAIT_TIMEOUT, WAIT_IO_COMPLETION, WAIT_FAILED, 0, or deadlock); left
	// out, any result but WAIT_FAILED and a deadlock passes.
	ReturnsWait
	// ReturnsCode: a status that is a Win32 error code or an HRESULT: an
	// NCrypt SECURITY_STATUS, or a CryptoAPI last error such as
	// NTE_BAD_FLAGS. want: names it; left out, the call must succeed
	// (ERROR_SUCCESS, which is also S_OK).
	ReturnsCode
	// ReturnsNTStatus: an NTSTATUS, what the native Nt*/Zw* calls return.
	// want: names it; left out, the call must return STATUS_SUCCESS.
	ReturnsNTStatus
)

// String describes the return for help output.
func (r Returns) String() string {
	switch r {
	case ReturnsStatus:
		return "status (want: a Win32 error name, default ERROR_SUCCESS)"
	case ReturnsWait:
		return "wait result (want: WAIT_OBJECT_0[+n], WAIT_TIMEOUT, WAIT_IO_COMPLETION, WAIT_FAILED, 0 or deadlock)"
	case ReturnsCode:
		return "status (want: a Win32 error or HRESULT name such as NTE_BAD_FLAGS, default ERROR_SUCCESS)"
	case ReturnsNTStatus:
		return "NTSTATUS (want: a STATUS_* name, default STATUS_SUCCESS)"
	}
	return "nothing"
}

// GroupAssert is the group of the assertions. Each family declares the
// groups of its other step kinds (GroupKernel, GroupSCM, ...) in its own
// file; help lists a family's kinds group by group (Family.Groups).
const GroupAssert = "assert"

// StepKind is one kind of step: a Win32 call, a change to the simulated
// world, or an assertion. Kinds describe themselves, so that the decoder,
// `simrun help steps` and the documentation share one table.
type StepKind struct {
	// Name is the step's key in YAML.
	Name string
	// Group is the kind's group: its family's name (GroupKernel, GroupSCM,
	// ...), another group of its family (GroupService) or GroupAssert.
	Group string
	// Summary says what the step does, in a sentence or two.
	Summary string
	// Fields are the keys of the step's mapping; nil when the step takes a
	// single value instead (see Value).
	Fields []Field
	// Value describes the step's value when it is not a mapping
	// (`exit_thread: worker`, `advance: 200ms`).
	Value *Field
	// Needs lists the backend capabilities the step requires.
	Needs []backend.Capability
	// Returns says what want: compares.
	Returns Returns
	// BindsHandle reports whether as: may bind the returned handle.
	BindsHandle bool
	// Expect is the type of the step's expect: modifier, which compares
	// fields of the status structure the call fills; nil when the step
	// takes no expect:.
	Expect *Type

	// check runs after the arguments decoded, for rules across fields.
	check func(d *decoder, st *Step) bool
	// sets records in sc what the step sets up for later assertions (a key
	// variable's path, a value written, a notification registered); see
	// refuseVacuous.
	sets func(sc *setup, st *Step)
	// vacuous says why the assertion st cannot fail after what sc holds,
	// with the node to report it at; "" when it can fail.
	vacuous func(sc *setup, st *Step) (*yaml.Node, string)
	// run executes the step on thread.
	run func(r *runner, st *Step, thread string)
	// schemaRules adds to args, the JSON Schema of the kind's fields, the
	// rules across fields that check states in a form a schema can hold
	// (see WriteSchema); nil when there are none.
	schemaRules func(s *schemaWriter, args jsonObject)
}

// StepKinds returns every step kind of the registered families, family by
// family in the order of Families(). A family's kinds need its interface
// (Family.Needs) besides what they declare.
func StepKinds() []*StepKind { return slices.Clone(current().kinds) }

// LookupStepKind returns the step kind with the given name, or nil.
func LookupStepKind(name string) *StepKind { return lookupKind(name) }

func lookupKind(name string) *StepKind { return current().byName[name] }

// assertSteps are the family-independent assertions; the kernel family
// lists them.
func assertSteps() []*StepKind {
	return []*StepKind{
		{
			Name: "violations", Group: GroupAssert, Needs: []backend.Capability{backend.CapViolations},
			Summary: "Assert the exact list of contract violations (by rule id) reported since the previous violations step. Violations no step asserts fail the scenario at its end.",
			Value:   &Field{Name: "violations", Type: tRuleIDs, Required: true, Doc: "the expected rule ids"},
			run: func(r *runner, st *Step, _ string) {
				ids, _ := st.args.get("").([]string)
				r.checkViolations(st, ids)
			},
		},
	}
}

// handleCall is a step kind for a call that takes one handle and returns a
// status.
func handleCall(group, name, summary, field string, call func(r *runner, th string, h sim.Handle) sim.Errno) *StepKind {
	return &StepKind{
		Name: name, Group: group, Returns: ReturnsStatus, Summary: summary,
		Fields: []Field{{Name: field, Type: tHandle, Required: true, Doc: "the handle"}},
		run: func(r *runner, st *Step, th string) {
			h, ok := r.handle(st, st.args.handle(field))
			if !ok {
				return
			}
			r.checkStatus(st, call(r, th, h))
		},
	}
}
