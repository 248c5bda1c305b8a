package sim

import "fmt"

// Violation is a caller mistake that the documentation warns about, detected
// by a model: the rule it breaks, who broke it and when.
type Violation struct {
	At     Time
	Thread string
	Rule   Rule
	Detail string
}

// String formats the violation as "rule-id: detail (source)".
func (v Violation) String() string {
	return fmt.Sprintf("%s: %s (%s)", v.Rule.ID, v.Detail, v.Rule.Source)
}

// violate records a contract violation of rule by thread t (which may be nil)
// and traces it. The call that broke the contract still returns whatever the
// model says it returns: the violation is reported, never silently accepted
// and never turned into a panic. Callers hold the lock.
func (m *Machine) violate(t *Thread, rule Rule, format string, args ...any) {
	v := Violation{At: m.clock.now, Rule: rule, Detail: fmt.Sprintf(format, args...)}
	if t != nil {
		v.Thread = t.Name
	}
	m.violations = append(m.violations, v)
	m.tracef(t, EvViolation, "%s: %s", rule.ID, v.Detail)
}

// Violations returns the violations recorded so far, in order.
func (m *Machine) Violations() []Violation {
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	return append([]Violation(nil), m.violations...)
}
