package scenario

import (
	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// This file holds what steps returning a ReturnsCode status share (the KSP
// and CSP families): want: names a Win32 error or an HRESULT, and output
// handle pointers that a step may pass as NULL and whose value after the
// call an expect: can compare.

// statusCode decodes the name of a status that may be a Win32 error or an
// HRESULT. NTSTATUS values are refused: no step of this kind returns one.
func (d *decoder) statusCode(n *yaml.Node, path string) (sim.Code, bool) {
	s, ok := d.scalar(n, path, "a status code name", "!!str")
	if !ok {
		return sim.Code{}, false
	}
	c, err := sim.ParseCode(s)
	if err != nil {
		d.errorf(n, "%s: %v", path, err)
		return sim.Code{}, false
	}
	if c.Kind == sim.KindNTStatus {
		d.errorf(n, "%s: %s is an NTSTATUS value; a Win32 error or an HRESULT is expected here", path, s)
		return sim.Code{}, false
	}
	return c, true
}

// sameStatus reports whether two codes are the same value for the caller:
// equal, or both the success value 0 (ERROR_SUCCESS and S_OK are one
// DWORD).
func sameStatus(a, b sim.Code) bool {
	return a == b || (a.Value == 0 && b.Value == 0 && a.Kind != sim.KindNTStatus && b.Kind != sim.KindNTStatus)
}

// statusText formats a code; 0 prints as ERROR_SUCCESS whatever its space.
func statusText(c sim.Code) string {
	if c.Value == 0 && c.Kind != sim.KindNTStatus {
		return sim.ERROR_SUCCESS.String()
	}
	return c.String()
}

// checkCode compares a returned status with the step's want:, by default
// ERROR_SUCCESS. It reports whether they match. A recording run keeps no
// verdict: it reports a match so that the step's expect: is compared. A
// declined call (see declined), or a declined value without a refusal (see
// unexplained), matches nothing and is not compared.
func (r *runner) checkCode(st *Step, got sim.Code) bool {
	if r.declined(st) || r.unexplained(st, got) {
		return false
	}
	r.calls++
	if r.recording() {
		if sr := r.recOf(st); sr != nil {
			sr.status2 = &got
		}
		return true
	}
	return r.checkResult(st, result{code: got})
}

// Output pointers. A step whose call writes a handle through a pointer
// passes a pointer to a variable holding `initial` (NULL unless given), or
// NULL itself with null_out: true; as: binds what the variable holds after
// the call, and expect: {out: ...} says how it changed.

// outFields are the fields of a call's output handle pointer param: null_out
// and the field (initial, or the parameter's own name for an in/out one)
// holding the value the variable starts with.
func outFields(param, initial string) []Field {
	return []Field{
		{Name: "null_out", Type: tBool, Default: "false", Doc: "pass NULL for " + param},
		{Name: initial, Type: tHandle, Default: "NULL", Doc: "the value the variable " + param + " points to holds before the call"},
	}
}

// outcomes of an output pointer, as expect: {out: ...} names them.
const (
	outUnchanged = "unchanged"
	outNull      = "NULL"
	outInvalid   = "INVALID_HANDLE_VALUE"
	outNew       = "new"
)

var (
	tOutcome = func() *Type {
		enum := enumType("out", outUnchanged, outNull, outInvalid, outNew)
		return &Type{
			Name: enum.Name, Doc: enum.Doc, brief: enum.brief,
			schema: func(s *schemaWriter) jsonObject {
				// YAML reads a bare NULL as null.
				return jsonObject{"anyOf": []any{enum.schema(s), jsonObject{"type": "null"}}}
			},
			decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
				// YAML reads a bare NULL as null; here it names the handle.
				if isNull(n) && n.Value == "NULL" {
					return outNull, true
				}
				return enum.decode(d, n, path)
			},
		}
	}()
	tOutExpect = objectType("expect", "what the call left in the variable its output pointer points to", []Field{
		{Name: "out", Type: tOutcome, Doc: "unchanged, NULL, INVALID_HANDLE_VALUE, or new (another value, neither NULL nor INVALID_HANDLE_VALUE)"},
	})
)

// outPtr makes the output pointer a step passes: nil for null_out, else a
// fresh variable holding the value of the step's field initial.
func (r *runner) outPtr(st *Step, initial string) (*sim.Handle, bool) {
	if st.args.bool("null_out") {
		return nil, true
	}
	v, ok := r.handle(st, st.args.handle(initial))
	if !ok {
		return nil, false
	}
	return &v, true
}

// finishOut binds as: to what p holds after the call and compares expect:.
// before is the value p held before it.
func (r *runner) finishOut(st *Step, p *sim.Handle, before sim.Handle, matched bool) {
	var after sim.Handle
	if p != nil {
		after = *p
	}
	r.bind(st, after)
	if r.recording() {
		if sr := r.recOf(st); sr != nil {
			sr.out = outcomeOf(before, after)
		}
		return
	}
	if !matched || st.expect == nil || !st.expect.has("out") {
		return
	}
	var ok bool
	switch want := st.expect.str("out"); want {
	case outUnchanged:
		ok = after == before
	case outNull:
		ok = after == 0
	case outInvalid:
		ok = after == sim.INVALID_HANDLE_VALUE
	default:
		ok = after != before && after != 0 && after != sim.INVALID_HANDLE_VALUE
	}
	if !ok {
		r.failf(st, "out: got %s (was %s before the call), want %s", after, before, st.expect.str("out"))
	}
}

// outCall runs a call that writes a handle through an output pointer (its
// starting value in field initial) and returns a ReturnsCode status.
func (r *runner) outCall(st *Step, initial string, call func(out *sim.Handle) (sim.Code, error)) {
	p, ok := r.outPtr(st, initial)
	if !ok {
		return
	}
	var before sim.Handle
	if p != nil {
		before = *p
	}
	code, err := call(p)
	if err != nil {
		r.backendErr(st, err)
		return
	}
	matched := r.checkCode(st, code)
	if r.declinedIn != nil {
		// What a declined call left behind is no result either.
		return
	}
	r.finishOut(st, p, before, matched)
}

// codeHandleCall is a step kind for a call that takes one handle and
// returns a ReturnsCode status.
func codeHandleCall(group, name, summary, field string, call func(r *runner, th string, h sim.Handle) sim.Code) *StepKind {
	return &StepKind{
		Name: name, Group: group, Returns: ReturnsCode, Summary: summary,
		Fields: []Field{{Name: field, Type: tHandle, Required: true, Doc: "the handle"}},
		run: func(r *runner, st *Step, th string) {
			h, ok := r.handle(st, st.args.handle(field))
			if !ok {
				return
			}
			r.checkCode(st, call(r, th, h))
		},
	}
}

// outcomeOf names how an output pointer's variable changed, the way expect:
// {out: ...} writes it: a value written over the same one reads as
// unchanged.
func outcomeOf(before, after sim.Handle) string {
	switch {
	case after == before:
		return outUnchanged
	case after == 0:
		return outNull
	case after == sim.INVALID_HANDLE_VALUE:
		return outInvalid
	}
	return outNew
}

// rewriteCodeStep puts what a ReturnsCode step returned into its node, for
// a recording: the status as want:, and the output pointer's outcome in an
// expect: that asked about it.
func rewriteCodeStep(n *yaml.Node, sr *stepRecord, profile string) error {
	if err := setRecordedWant(n, sr.st, profile, result{code: *sr.status2}); err != nil {
		return err
	}
	if x := ymGet(n, "expect"); x != nil && sr.out != "" && ymGet(x, "out") != nil {
		ymSet(x, "out", ymRaw(sr.out))
	}
	rewriteExpect(n, sr.expect)
	return nil
}
