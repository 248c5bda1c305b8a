package scenario

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// checkClock refuses st when one of its durations (advance:'s, a service's
// start_delay and step_delay, a report's after, ...) added to the virtual
// time now would pass sim.EndOfTime. Each duration is bounded at decode, but
// their sum is known only at run time; the model's clock stops at the end
// rather than wrap, and the scenario is invalid there, not failed: the
// error, at the duration's position, makes the run's result Invalid.
func (r *runner) checkClock(st *Step) bool {
	if r.clock == nil || r.invalid != nil {
		return r.invalid == nil
	}
	now := r.clock.Now()
	n, d, ok := overflowing(st.args, now)
	if !ok {
		return true
	}
	if n == nil {
		n = &yaml.Node{Line: st.Line, Column: st.Col}
	}
	e := &Error{File: st.File, Line: n.Line, Col: n.Column,
		Msg: fmt.Sprintf("%s: %s from virtual time %s passes the end of the virtual clock (%s after the start)", st.Kind.Name, d, time.Duration(now), time.Duration(sim.EndOfTime))}
	r.invalid = ErrorList{e}
	r.fail(e.Error())
	return false
}

// overflowing finds a duration among vs, at any depth, that overflows the
// clock from now; it returns the duration's node and value.
func overflowing(vs values, now sim.Time) (*yaml.Node, time.Duration, bool) {
	for i := range vs {
		if n, d, ok := overflowingValue(vs[i].node, vs[i].v, now); ok {
			return n, d, true
		}
	}
	return nil, 0, false
}

func overflowingValue(n *yaml.Node, v any, now sim.Time) (*yaml.Node, time.Duration, bool) {
	switch v := v.(type) {
	case time.Duration:
		return n, v, sim.Overflows(now, v)
	case values:
		return overflowing(v, now)
	case item:
		return overflowing(v.vals, now)
	case []item:
		for _, it := range v {
			if n, d, ok := overflowing(it.vals, now); ok {
				return n, d, true
			}
		}
	}
	return nil, 0, false
}
