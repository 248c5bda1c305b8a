package conformance

import (
	"maps"
	"slices"
)

// The SCM's oracle state as values: its handles as other families' calls
// see them, and the copy each step edits (no record shared with the state
// it came from).

// handle returns the SC_HANDLE variable ref names (its later handle when
// bound twice), or nil.
func (s *scmState) handle(ref string) *scHandle {
	for i := len(s.hs) - 1; i >= 0; i-- {
		if s.hs[i].name == ref {
			return s.hs[i]
		}
	}
	return nil
}

// bind records a handle a call returned.
func (s *scmState) bind(name string, h *scHandle) {
	h.name = name
	s.hs = append(s.hs, h)
}

// open lists the open handles of kind k, in the order they were bound.
func (s *scmState) open(k hkind) []*scHandle {
	var out []*scHandle
	for _, h := range s.hs {
		if h.kind == k && !h.closed {
			out = append(out, h)
		}
	}
	return out
}

// scmHandles lists the SC_HANDLEs as other families' calls see them:
// not kernel objects.
func scmHandles(state any) []ownedHandle {
	s := state.(*scmState)
	out := make([]ownedHandle, 0, len(s.hs))
	for _, h := range s.hs {
		out = append(out, ownedHandle{name: h.name, kind: h.kind, closed: h.closed})
	}
	return out
}

// clone copies the state and every record in it.
func (s *scmState) clone() *scmState {
	c := &cloner{svcs: map[*oSvc]*oSvc{}, runs: map[*oRun]*oRun{}, regs: map[*oReg]*oReg{}, apcs: map[*oAPC]*oAPC{}, hs: map[*scHandle]*scHandle{}}
	n := *s
	n.svcs = make(map[string]*oSvc, len(s.svcs))
	for k, v := range s.svcs {
		n.svcs[k] = c.svc(v)
	}
	n.hs = cloneAll(s.hs, c.handle)
	n.timers = make([]*oTimer, len(s.timers))
	for i, t := range s.timers {
		nt := *t
		nt.svc, nt.run = c.svc(t.svc), c.run(t.run)
		n.timers[i] = &nt
	}
	n.bufs = maps.Clone(s.bufs)
	n.regs = cloneAll(s.regs, c.reg)
	n.apcs = make(map[string][]*oAPC, len(s.apcs))
	for th, q := range s.apcs {
		n.apcs[th] = cloneAll(q, c.apc)
	}
	return &n
}

func cloneAll[T any](xs []*T, f func(*T) *T) []*T {
	if xs == nil {
		return nil
	}
	out := make([]*T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// cloner copies the SCM's records, each once, keeping how they point at
// each other.
type cloner struct {
	svcs map[*oSvc]*oSvc
	runs map[*oRun]*oRun
	regs map[*oReg]*oReg
	apcs map[*oAPC]*oAPC
	hs   map[*scHandle]*scHandle
}

func (c *cloner) svc(p *oSvc) *oSvc {
	if p == nil {
		return nil
	}
	if q := c.svcs[p]; q != nil {
		return q
	}
	q := new(oSvc)
	c.svcs[p] = q
	*q = *p
	q.deps = slices.Clone(p.deps)
	if p.prog != nil {
		prog := *p.prog
		q.prog = &prog
	}
	q.run = c.run(p.run)
	q.regs = cloneAll(p.regs, c.reg)
	return q
}

func (c *cloner) run(p *oRun) *oRun {
	if p == nil {
		return nil
	}
	if q := c.runs[p]; q != nil {
		return q
	}
	q := new(oRun)
	*q = *p
	c.runs[p] = q
	return q
}

func (c *cloner) reg(p *oReg) *oReg {
	if p == nil {
		return nil
	}
	if q := c.regs[p]; q != nil {
		return q
	}
	q := new(oReg)
	c.regs[p] = q
	*q = *p
	q.h = c.handle(p.h)
	q.apc = c.apc(p.apc)
	return q
}

func (c *cloner) apc(p *oAPC) *oAPC {
	if p == nil {
		return nil
	}
	if q := c.apcs[p]; q != nil {
		return q
	}
	q := new(oAPC)
	c.apcs[p] = q
	*q = *p
	q.reg, q.svc, q.run = c.reg(p.reg), c.svc(p.svc), c.run(p.run)
	q.names = slices.Clone(p.names)
	return q
}

func (c *cloner) handle(p *scHandle) *scHandle {
	if p == nil {
		return nil
	}
	if q := c.hs[p]; q != nil {
		return q
	}
	q := new(scHandle)
	c.hs[p] = q
	*q = *p
	q.svc = c.svc(p.svc)
	q.regs = cloneAll(p.regs, c.reg)
	q.backlog = slices.Clone(p.backlog)
	return q
}
