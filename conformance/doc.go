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
// A family plugs in with one file that registers its checks and describes
// its property (kernel.go, scm_checks.go), plus its part of the oracle and
// its action generators.
package conformance
