package sim

// Fault switches: a model breaks each modeled catalog rule at one place, so
// that the conformance suite can show it notices (its kill run: with
// -tags winsim_faults a test arms one switch at a time, faultswitch_on.go).
// In a normal build no switch is ever armed (faultswitch_off.go) and the
// compiler reduces every guard to its documented value.
//
// A guard has one form, FaultBroken(rule, documented, broken), and it is a
// statement or a value of its own: the model first states what the doc page
// says in a plainly named local, then one line names the rule and what
// breaking it gives:
//
//	// CreateService needs SC_MANAGER_CREATE_SERVICE on the SCM handle.
//	denied := mh.access&win32.SC_MANAGER_CREATE_SERVICE == 0
//	denied = sim.FaultBroken("scm.create.access", denied, false)
//	if denied {
//		return sim.ERROR_ACCESS_DENIED
//	}
//
// or it is the whole value returned or passed:
//
//	return sim.FaultBroken("scm.open.unknown", ERROR_SERVICE_DOES_NOT_EXIST, ERROR_INVALID_NAME)
//
// An action a rule requires is a named decision the same way
// (notify := sim.FaultBroken("scm.notify.created", true, false)). A guard
// is never an operand of &&, ||, ! or a comparison, so each condition reads
// as the documented one. Where one rule's guard has to stand at more than
// one place, a comment there says why.

// FaultBroken returns documented, or broken while the switch of rule id is
// armed. It is the one form of a fault guard in model code.
func FaultBroken[T any](id string, documented, broken T) T {
	if FaultSwitch(id) {
		return broken
	}
	return documented
}
