package backend

import (
	"testing"

	"github.com/winsim/winsim/sim"
)

// TestDeclinedValuesAreNoCodes: no status sim names has the declined value,
// in any space, and none of the declined values reads as a success.
func TestDeclinedValuesAreNoCodes(t *testing.T) {
	for _, ci := range sim.Codes() {
		if IsDeclined(ci.Code) {
			t.Errorf("%s is %s, the declined value", ci.Name, ci.Code)
		}
	}
	for _, c := range []sim.Code{DeclinedErrno.Code(), DeclinedNTStatus.Code(), DeclinedHResult.Code(), DeclinedCode} {
		if c.Success() {
			t.Errorf("%s reads as a success", c)
		}
		if !IsDeclined(c) {
			t.Errorf("IsDeclined(%s) is false", c)
		}
	}
	if DeclinedCode == (sim.Code{}) {
		t.Error("DeclinedCode is the zero Code")
	}
	if !IsDeclined(DeclinedErrno) || !IsDeclined(DeclinedNTStatus) || !IsDeclined(DeclinedHResult) || !IsDeclined(DeclinedHandle) {
		t.Error("a declined value is not declined")
	}
	for _, ok := range []bool{IsDeclined(sim.ERROR_SUCCESS), IsDeclined(sim.STATUS_SUCCESS), IsDeclined(sim.S_OK), IsDeclined(sim.ERROR_SUCCESS.Code()), IsDeclined(sim.Code{}), IsDeclined(sim.Handle(0)), IsDeclined(sim.INVALID_HANDLE_VALUE)} {
		if ok {
			t.Error("a success or NULL counts as declined")
		}
	}
	if DeclinedHandle%4 == 0 || DeclinedHandle.IsKernel() {
		t.Errorf("%s looks like a handle Windows or a model issues", DeclinedHandle)
	}
}
