package backend

import (
	"errors"

	"github.com/winsim/winsim/sim"
)

// A declined call (see Refuser) is not made, so it has no code: the backend
// returns the declined value of the call's result type instead, one no
// Windows call returns. They are winsim's own values, not the SDK's, and
// package sim does not know them: they print as plain numbers ("Win32
// 4294967295", "NTSTATUS 0xFFFFFFFF", "h0xdec1"), and a caller that meets
// one says "declined" itself (IsDeclined). None of them is a success, so a
// caller that forgets to ask Refusal compares a failure, never agreement;
// the scenario runner and the conformance World go further and report a
// declined value that comes without a refusal as their own error
// (ErrUnexplainedDecline), not compared.
//
// 0xFFFFFFFF is no status in any of the three spaces: no Win32 error code
// has it (they are below 0x10000), and as an NTSTATUS or an HRESULT it would
// be an error of facility 0xFFF (0x7FF for an HRESULT), which no header
// defines; sim names no code with that value (TestDeclinedValuesAreNoCodes).
// It is WAIT_FAILED as a wait's result, but waits have an error result and
// are never declined: a backend that cannot make one returns an error
// wrapping ErrUnsupported.
const declinedValue = 0xFFFFFFFF

// The declined values of the status types the interfaces return.
const (
	// DeclinedErrno is what a declined call returns as a sim.Errno.
	DeclinedErrno sim.Errno = declinedValue
	// DeclinedNTStatus is what a declined call returns as a sim.NTStatus.
	DeclinedNTStatus sim.NTStatus = declinedValue
	// DeclinedHResult is what a declined call returns as a sim.HResult.
	DeclinedHResult sim.HResult = declinedValue
	// DeclinedHandle is the handle a declined call returns, where the call
	// returns one (an output pointer is left as it was). Windows issues
	// handles that are multiples of four (kernel handles) or pointers to
	// its own aligned structures (SC_HANDLEs, CryptoAPI and NCrypt
	// handles), so a value with the low bits 01 is none of them, nor a
	// pseudo handle or a predefined registry key; the models' handle tables
	// issue multiples of four too.
	DeclinedHandle sim.Handle = 0xDEC1
)

// DeclinedCode is what a declined call returns as a sim.Code (the CSP
// calls). Its Kind is none of the three status spaces, so it equals no code
// a call returns, and not the zero Code either.
var DeclinedCode = sim.Code{Value: declinedValue}

// Result is the set of result types a call can be declined with.
type Result interface {
	sim.Errno | sim.NTStatus | sim.HResult | sim.Code | sim.Handle
}

// IsDeclined reports whether v is the declined value of its type: the
// result of a call the backend declined (see Refuser), not a code the
// system returned. A sim.Code is declined when its value is, whatever its
// Kind, so that DeclinedErrno.Code() is declined too.
func IsDeclined[T Result](v T) bool {
	switch v := any(v).(type) {
	case sim.Code:
		return v.Value == declinedValue
	case sim.Handle:
		return v == DeclinedHandle
	case sim.Errno:
		return v == DeclinedErrno
	case sim.NTStatus:
		return v == DeclinedNTStatus
	case sim.HResult:
		return v == DeclinedHResult
	}
	return false
}

// ErrUnexplainedDecline is the error, wrapped, that the scenario runner and
// the conformance World report when a declined value reaches them and the
// backend gives no refusal for it (it is no Refuser, or its Refusal forgot):
// an error of the harness, neither a result to compare nor a refusal.
var ErrUnexplainedDecline = errors.New("the backend returned winsim's declined value without declining the call (backend.Refuser)")
