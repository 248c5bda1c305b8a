package scm

// Fault switches: each breaks one modeled rule of the catalog, so that the
// conformance suite can show it notices (conformance's winsim_faults test).
// In a normal build faultOn is a constant false (faults_off.go) and the
// compiler drops every guarded line; with -tags winsim_faults a test arms one
// switch at a time (faults_on.go). Each guarded line names the rule it breaks.

// broken returns right, or wrong while the switch of rule id is armed.
func broken[T any](id string, right, wrong T) T {
	if faultOn(id) {
		return wrong
	}
	return right
}
