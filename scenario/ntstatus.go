package scenario

import (
	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// This file holds what steps returning an NTSTATUS share (the native calls
// of the registry family): want: names an NTSTATUS, STATUS_SUCCESS when
// left out, and the comparison is of codes of that space only, so that
// STATUS_INVALID_HANDLE and ERROR_INVALID_HANDLE never pass for each other.

// ntStatusCode decodes the name of an NTSTATUS value.
func (d *decoder) ntStatusCode(n *yaml.Node, path string) (sim.Code, bool) {
	s, ok := d.scalar(n, path, "an NTSTATUS name", "!!str")
	if !ok {
		return sim.Code{}, false
	}
	c, err := sim.ParseCode(s)
	if err != nil {
		d.errorf(n, "%s: %v", path, err)
		return sim.Code{}, false
	}
	if c.Kind != sim.KindNTStatus {
		d.errorf(n, "%s: %s is a %s value; this call returns an NTSTATUS (STATUS_*)", path, s, c.Kind)
		return sim.Code{}, false
	}
	return c, true
}

// checkNTStatus compares a returned NTSTATUS with the step's want:, by
// default STATUS_SUCCESS. It reports whether they match. A recording run
// keeps no verdict: it records the status the way ReturnsCode steps do. A
// declined call (see declined), or a declined value without a refusal (see
// unexplained), matches nothing and is not compared.
func (r *runner) checkNTStatus(st *Step, got sim.NTStatus) bool {
	if r.declined(st) || r.unexplained(st, got.Code()) {
		return false
	}
	r.calls++
	if r.recording() {
		if sr := r.recOf(st); sr != nil {
			c := got.Code()
			sr.status2 = &c
		}
		return true
	}
	return r.checkResult(st, result{code: got.Code()})
}
