package conformance

import (
	"github.com/winsim/winsim/sim"
)

// A scenario's covers: list is a claim: for each id it names, breaking that
// rule in the model makes the scenario fail. ProveCovers (in builds with the
// winsim_faults tag) tests every claim by the one change that breaks the
// rule, run under each profile the scenario applies to, and the claim holds
// when one of those runs fails:
//
//   - a modeled rule: its fault switch armed (or, for a rule in restsOn,
//     the switch of the rule it rests on);
//   - a model choice: the profile setting that decides it (the rule's
//     DecidedBy) given each of its alternative values
//     (sim.SettingInfo.Alternatives).
//     A model choice no setting decides cannot be falsified by any run: a
//     scenario lists it under documents:, not covers:, and a documented id
//     whose setting flip the scenario does notice must move to covers:;
//   - a fault-injection rule: the scenario's inject: steps withdrawn. Such
//     a code has no condition the model could produce, so what a scenario
//     can assert is that the code reaches the caller through the family's
//     TakeFault point; without the injection the scenario must fail;
//   - an out-of-scope rule is not modeled: no scenario may cover it.
//
// Besides each claim, every modeled and fault-injection id must be proven
// by at least one scenario, and every model choice proven or documented.

// CoverTarget is one scenario file whose claims ProveCovers tests: its path,
// and the name reports give it.
type CoverTarget struct{ Path, Name string }

// Claim is one id a scenario lists in covers: or documents:, and what
// testing it found.
type Claim struct {
	// Scenario is the scenario's name, File its path.
	Scenario, File string
	// ID is the catalog id; Status its catalog status.
	ID     string
	Status sim.Status
	// Documented: the id is under documents:, not covers:.
	Documented bool
	// Falsifier names the change that breaks the rule ("switch X",
	// "setting S", "inject: steps withdrawn"); "" when there is none.
	Falsifier string
	// Noticed: a run with the falsifier in place failed; By says which
	// (the profile, and a setting's value).
	Noticed bool
	By      string
	// Problem says why the claim fails the gate; "" when it holds.
	Problem string
}

// Proven reports whether the claim shows the scenario asserts the id.
func (c Claim) Proven() bool { return !c.Documented && c.Noticed && c.Problem == "" }

// CoverProof is what ProveCovers found.
type CoverProof struct {
	// Claims are every scenario's claims, in file order.
	Claims []Claim
	// Runs counts the scenario runs made, the unbroken ones included.
	Runs int
	// Problems lists every claim that does not hold and every id that no
	// scenario proves (or, for a model choice, documents), one a line.
	Problems []string
}
