package conformance

import "slices"

// How pure families see each other. A family's oracle state is its own
// value, but some calls reach across families: the kernel's CloseHandle
// and waits take an NCrypt change handle or an SC_HANDLE, a wait runs the
// SCM's timers and delivers its callbacks, NCryptFreeObject is handed an
// event. A family that takes part declares what its handles are to the
// others (family.handles) and how the kernel's calls change them
// (family.closeHandle, family.consume); a step that reads or edits another
// family's state is a stepAll, a function of the whole oracleState.

// oracleState is the World's oracle state as one value: every registered
// family's state, by the family's slot. It is never edited in place: with
// returns a copy, so the driver can keep the state before an action the
// backend refused or disagreed with.
type oracleState []any

// of returns f's state.
func (s oracleState) of(f *family) any { return s[f.slot] }

// with returns a copy of s in which f's state is v.
func (s oracleState) with(f *family, v any) oracleState {
	next := slices.Clone(s)
	next[f.slot] = v
	return next
}

// ownedHandle is one handle variable a family's state holds, as other
// families' calls see it.
type ownedHandle struct {
	name   string
	kind   hkind
	closed bool
	// waitable says the kernel's waits and CloseHandle take it as an
	// event (CreateEvent's events, NCrypt's change handles); manual and
	// signaled are then its event state.
	waitable, manual, signaled bool
	// closeRules are the family's rules that decide, besides
	// kernel.close.not-kernel-object, the ERROR_INVALID_HANDLE CloseHandle
	// returns for a handle that is not waitable (ksp.free.not-ncrypt-handle
	// for an NCrypt handle).
	closeRules []string
}

// handleIn finds the handle variable ref among the families' states: its
// record and its family, or ok false for a name no family holds (NULL,
// INVALID_HANDLE_VALUE, BOGUS, or a call's unbound output). A variable
// bound twice names its later handle.
func (s oracleState) handleIn(ref string) (h ownedHandle, f *family, ok bool) {
	for _, f := range families {
		if f.handles == nil || s[f.slot] == nil {
			continue
		}
		hs := f.handles(s[f.slot])
		for i := len(hs) - 1; i >= 0; i-- {
			if hs[i].name == ref {
				return hs[i], f, true
			}
		}
	}
	return ownedHandle{}, nil, false
}

// closeIn is the kernel's CloseHandle on f's waitable handle ref: the
// state after.
func (s oracleState) closeIn(f *family, ref string) oracleState {
	return s.with(f, f.closeHandle(s.of(f), ref))
}

// consume is a satisfied wait taking the signal of the auto-reset handle
// ref of another family than the kernel: the state after.
func (s oracleState) consume(ref string) oracleState {
	_, f, ok := s.handleIn(ref)
	if !ok {
		return s
	}
	return s.with(f, f.consume(s.of(f), ref))
}
