package ksp

import (
	"fmt"
	"strings"

	"github.com/winsim/winsim/sim"
)

// Helpers that format calls for the trace. They run only when the machine
// records a trace.

func fmtStr(s *string) string {
	if s == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *s)
}

// outParam is an output (or in/out) handle pointer as the caller passed it:
// NULL, or a pointer to a variable holding a value before the call.
type outParam struct {
	null   bool
	before sim.Handle
}

// outArg captures p before the call changes what it points to.
func outArg(p *sim.Handle) outParam {
	if p == nil {
		return outParam{null: true}
	}
	return outParam{before: *p}
}

// String formats the parameter: NULL, or & and the value it held.
func (o outParam) String() string {
	if o.null {
		return "NULL"
	}
	return "&" + o.before.String()
}

// fmtStatus formats a SECURITY_STATUS the way the NCrypt documentation names
// success: ERROR_SUCCESS.
func fmtStatus(s sim.HResult) string {
	if s == 0 {
		return sim.ERROR_SUCCESS.String()
	}
	return s.String()
}

// fold is the case-insensitive form of a name (provider, key and container
// names are looked up the way the registry and the file system compare
// them).
func fold(s string) string { return strings.ToLower(s) }

// hresultOf turns an injected fault into a SECURITY_STATUS: a Win32 code is
// wrapped as HRESULT_FROM_WIN32 does.
func hresultOf(c sim.Code) sim.HResult {
	if c.Kind == sim.KindWin32 && c.Value != 0 {
		return sim.HResult(0x80070000 | c.Value&0xFFFF)
	}
	return sim.HResult(c.Value)
}
