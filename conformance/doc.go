// Package conformance is winsim's conformance suite: checks and properties
// that any backend (the models, the real Windows binding) must pass, in the
// spirit of testing/fstest and gocloud's drivertest.
//
// The suite's oracle (World) is its own statement of the documented rules,
// written from the behavior catalog, the SDK pages and Wine's conformance
// tests, never from the model's code: for every call it predicts one result
// code (reading the profile's declared settings where versions differ), the
// exact callbacks each alertable wait runs, the contract violations, and
// every service's status; a notification's ServiceStatus is cross-checked
// with QueryServiceStatusEx.
//
// Run runs every family's Checks as named subtests (Family/Check/profile),
// each against a fresh backend; a check needing a capability the backend
// lacks is skipped with the reason. The property tests of the package drive
// random sequences of the same actions with pgregory.net/rapid (a test-only
// dependency: the generators here take a small Chooser interface), and turn
// a failing, shrunk run into a scenario file (Regression) that simrun
// replays.
//
// A family plugs in by registering itself from an init function of its own
// file (family.go describes the registration; kernel.go, scm_family.go,
// csp_family.go, hive_family.go and ksp_family.go are the five today):
// its Ops and the capabilities each needs, its handle kinds, the constructor
// of its oracle state (the World keeps it in the family's slot), the
// function that runs one of its actions, its checks, generators, property
// and kill routes. The World, Action.needs, the failure messages, the
// property tests, the kill runs and the real binding's leg iterate the
// registered families. A new family may write its oracle as a pure step
// instead of a function that calls the backend (step.go: Expect and
// pureFamily): a function of its state and an action that says which
// results Windows may give and which rules decided them; the World's one
// driver makes the call, compares, credits the rules and logs the step.
//
// A family may also declare state diagrams (diagram.go): a few of its
// actions and an abstraction of what a backend shows after them, from
// which ExploreDiagram generates the states reached, the calls that move
// between them and the codes they returned, as Mermaid or Graphviz text
// (simrun diagram, docs/diagrams.md).
package conformance
