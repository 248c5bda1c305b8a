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
// bound twice names its later handle. The handles of the families whose
// oracles are not steps yet are found in the World's table of them
// (legacyTable), with a nil family.
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
	if lh := s.legacy().hs[ref]; lh != nil {
		return lh.owned(), nil, true
	}
	return ownedHandle{}, nil, false
}

// closeIn is the kernel's CloseHandle on f's waitable handle ref (f nil:
// one of the World's table): the state after.
func (s oracleState) closeIn(f *family, ref string) oracleState {
	if f == nil {
		// The imperative families' records are edited in place: they
		// are not part of a step's state (legacyTable).
		s.legacy().hs[ref].closed = true
		return s
	}
	return s.with(f, f.closeHandle(s.of(f), ref))
}

// consume is a satisfied wait taking the signal of the auto-reset handle
// ref of another family than the kernel: the state after.
func (s oracleState) consume(ref string) oracleState {
	_, f, ok := s.handleIn(ref)
	switch {
	case !ok:
		return s
	case f == nil:
		s.legacy().hs[ref].ev.signaled = false
		return s
	}
	return s.with(f, f.consume(s.of(f), ref))
}

// legacyTable holds the handles of the families whose oracles are still
// imperative (the registry's and NCrypt's): the World's records, edited in
// place by those families' run functions. It is the last element of the
// oracleState, so that a pure step sees those handles (the kernel's waits
// on NCrypt's change handles, CloseHandle on a registry key) until their
// families declare their handles through the hooks.
type legacyTable struct {
	hs    map[string]*oHandle // handle variables -> the oracle's handle
	order []*oHandle          // every handle, in issue order
}

// legacy returns the World's table of the imperative families' handles.
func (s oracleState) legacy() *legacyTable { return s[len(s)-1].(*legacyTable) }

// owned is a legacy handle as other families' calls see it.
func (h *oHandle) owned() ownedHandle {
	o := ownedHandle{name: h.name, kind: h.kind, closed: h.closed}
	if h.ev != nil {
		o.waitable, o.manual, o.signaled = true, h.ev.manual, h.ev.signaled
	}
	if h.kind == hNProv || h.kind == hNKey {
		o.closeRules = []string{"ksp.free.not-ncrypt-handle"}
	}
	return o
}
