package conformance

import (
	"fmt"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The CryptoAPI's state diagram: a context's reference count.

func cspDiagrams() []diagram { return []diagram{contextDiagram()} }

// maxRefsProbed bounds the releases that count a context's references.
const maxRefsProbed = 64

// contextView is the context diagram's abstract state: whether the
// acquire succeeded, and how many references the context holds then.
type contextView struct {
	acquired bool
	refs     int
}

func (v contextView) String() string {
	switch {
	case !v.acquired:
		return "no context"
	case v.refs == 0:
		return "released"
	case v.refs == 1:
		return "1 reference"
	}
	return fmt.Sprintf("%d references", v.refs)
}

func contextDiagram() diagram {
	held := func(v contextView) bool { return v.acquired }
	return &stateDiagram[contextView]{
		name: "csp-context", title: "a context's reference count",
		about: "One context from CryptAcquireContext(CRYPT_VERIFYCONTEXT) under CryptContextAddRef and CryptReleaseContext, with dwFlags 0 " +
			"and with the reserved dwFlags 1. The count is read by releasing the context on the replay until a release fails: " +
			"a release that fails for its flags still takes a reference. Counts beyond three are not explored.",
		moves: []diagramMove[contextView]{
			{label: "CryptAcquireContext(CRYPT_VERIFYCONTEXT)", action: acquire("prov", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT),
				when: func(v contextView) bool { return !v.acquired }},
			{label: "CryptContextAddRef(0)", action: addRef("prov"), when: held},
			{label: "CryptContextAddRef(1)", action: with1(addRef("prov")), when: held},
			{label: "CryptReleaseContext(0)", action: release("prov", 0), when: held},
			{label: "CryptReleaseContext(1)", action: release("prov", 1), when: held},
		},
		observe: observeContext,
		label:   contextView.String,
		final:   func(contextView) bool { return false },
		depth:   4,
		shows: []DiagramClaim{
			{Rule: "csp.addref.count", From: "1 reference", Move: "CryptContextAddRef(0)", Result: "ERROR_SUCCESS", To: "2 references"},
			{Rule: "csp.addref.reserved-flags", From: "1 reference", Move: "CryptContextAddRef(1)", Result: "ERROR_INVALID_PARAMETER (87)", To: "1 reference"},
			{Rule: "csp.release.bad-flags-consumes", From: "1 reference", Move: "CryptReleaseContext(1)", Result: "NTE_BAD_FLAGS (0x80090009)", To: "released"},
			{Rule: "csp.release.bad-flags-while-referenced", From: "2 references", Move: "CryptReleaseContext(1)", Result: "NTE_BAD_FLAGS (0x80090009)", To: "1 reference"},
			{Rule: "csp.release.invalid-handle", From: "released", Move: "CryptReleaseContext(0)", Result: "ERROR_INVALID_PARAMETER (87)", To: "released"},
		},
	}
}

// with1 sets an action's dwFlags to 1, a value the documentation reserves.
func with1(a Action) Action {
	args := argsOf[cspArgs](a)
	args.flags = 1
	a.Args = args
	return a
}

// observeContext counts the context's references: releases with dwFlags 0
// until one fails.
func observeContext(r *diagramRun) (contextView, error) {
	h := r.value("prov")
	if h == 0 {
		return contextView{}, nil
	}
	api := r.b.(backend.CSP)
	v := contextView{acquired: true}
	for ; v.refs < maxRefsProbed; v.refs++ {
		code := api.CryptReleaseContext(diagramThread, h, 0)
		if code == sim.ERROR_SUCCESS.Code() {
			continue
		}
		if code != sim.ERROR_INVALID_PARAMETER.Code() {
			return v, fmt.Errorf("CryptReleaseContext after %d releases: %s", v.refs, code)
		}
		return v, nil
	}
	return v, fmt.Errorf("the context still holds a reference after %d releases", maxRefsProbed)
}
