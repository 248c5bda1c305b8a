package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/winsim/winsim/conformance"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// proveCommand is the command that proves the covers: lists: the fault
// build of this one.
const proveCommand = "go run -tags winsim_faults ./cmd/simrun coverage"

// coverageCmd reports, for every catalog id, what names it. In a plain
// build that is coverage by name: the scenarios that list the id in covers:
// or documents:, and the conformance properties and checks that list it;
// it fails when a modeled, model-choice or fault-injection id is named by
// none, or an out-of-scope id gives no reason. In the fault build
// (-tags winsim_faults) it proves each scenario's claims (see
// conformance.ProveCovers) and says an id is asserted only when a scenario
// that covers it fails with the rule broken; it fails when a claim does
// not hold or a modeled id is asserted by no scenario.
func coverageCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simrun coverage", flag.ContinueOnError)
	paths, err := parseFlags(fs, args, stderr)
	if err != nil {
		return ExitInvalid
	}
	targets, err := collect(paths)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	e := env()
	covers, documents := map[string][]string{}, map[string][]string{}
	invalid := 0
	for _, t := range targets {
		s, err := scenario.Load(t.path, e)
		if err != nil {
			invalid++
			fmt.Fprintln(stderr, err)
			continue
		}
		for _, id := range s.Covers {
			covers[id] = append(covers[id], t.name)
		}
		for _, id := range s.Documents {
			documents[id] = append(documents[id], t.name)
		}
	}
	if invalid > 0 {
		return ExitInvalid
	}
	properties := map[string][]string{}
	for _, p := range conformance.Properties() {
		for _, id := range p.Covers {
			properties[id] = append(properties[id], p.Name)
		}
	}
	checks := map[string][]string{}
	for _, c := range conformance.Checks() {
		for _, id := range c.Covers {
			if name := c.Family + "/" + c.Name; !slices.Contains(checks[id], name) {
				checks[id] = append(checks[id], name)
			}
		}
	}
	named := func(id string) []string {
		return []string{by("properties", properties[id]), by("checks", checks[id])}
	}
	if conformance.FaultBuild {
		return provenCoverage(targets, covers, documents, named, stdout, stderr)
	}

	var missing []string
	counts := map[sim.Status]int{}
	for _, r := range scenario.Catalog().Rules() {
		counts[r.Status]++
		line := joinParts(append([]string{by("scenarios", covers[r.ID]), by("documented by", documents[r.ID])}, named(r.ID)...))
		switch {
		case r.Status == sim.OutOfScope && r.Reason == "":
			missing = append(missing, r.ID+" (out-of-scope without a reason)")
			line = "NO REASON"
		case r.Status == sim.OutOfScope:
			line = "out of scope: " + r.Reason
		case line == "":
			missing = append(missing, r.ID)
			line = "NOTHING COVERS IT"
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", r.ID, r.Status, line)
	}
	fmt.Fprintf(stdout, "%d ids (%d modeled, %d model-choice, %d fault-injection, %d out-of-scope); %d not covered; covered by name only (a covers: list is a claim, proven by %s)\n",
		len(scenario.Catalog().Rules()), counts[sim.Modeled], counts[sim.ModelChoice], counts[sim.FaultInjection], counts[sim.OutOfScope], len(missing), proveCommand)
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "simrun: catalog ids nothing covers:\n  %s\n", strings.Join(missing, "\n  "))
		return ExitFailed
	}
	return ExitOK
}

// provenCoverage is coverage in the fault build: it proves the scenarios'
// claims and reports per id whether a scenario asserts it.
func provenCoverage(targets []target, covers, documents map[string][]string, named func(string) []string, stdout, stderr io.Writer) int {
	var ts []conformance.CoverTarget
	for _, t := range targets {
		ts = append(ts, conformance.CoverTarget{Path: t.path, Name: t.name})
	}
	proof, err := conformance.ProveCovers(ts, backends["model"], env())
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	asserted, documented := map[string][]string{}, map[string][]string{}
	for _, c := range proof.Claims {
		switch {
		case c.Proven():
			asserted[c.ID] = append(asserted[c.ID], c.Scenario)
		case c.Documented && c.Problem == "":
			documented[c.ID] = append(documented[c.ID], c.Scenario)
		}
	}
	counts := map[string]int{}
	for _, r := range scenario.Catalog().Rules() {
		var verdict string
		switch {
		case r.Status == sim.OutOfScope:
			verdict = "out of scope: " + r.Reason
		case len(asserted[r.ID]) > 0:
			verdict = by("asserted by", asserted[r.ID])
		case r.Status == sim.ModelChoice && len(documented[r.ID]) > 0:
			verdict = by("documented by", documented[r.ID])
		default:
			verdict = "NOT ASSERTED"
		}
		counts[strings.SplitN(verdict, " ", 2)[0]]++
		var unproven []string
		for _, name := range covers[r.ID] {
			if !slices.Contains(asserted[r.ID], name) {
				unproven = append(unproven, name)
			}
		}
		for _, name := range documents[r.ID] {
			if !slices.Contains(documented[r.ID], name) {
				unproven = append(unproven, name)
			}
		}
		line := joinParts(append([]string{verdict, by("claim not holding in", unproven)}, named(r.ID)...))
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", r.ID, r.Status, line)
	}
	fmt.Fprintf(stdout, "%d ids: %d asserted (a scenario that covers it fails with it broken), %d documented, %d out of scope, %d not asserted; %d claims tested in %d scenario runs, %d problems\n",
		len(scenario.Catalog().Rules()), counts["asserted"], counts["documented"], counts["out"], counts["NOT"], len(proof.Claims), proof.Runs, len(proof.Problems))
	if len(proof.Problems) > 0 {
		fmt.Fprintf(stderr, "simrun: covers: claims that do not hold, and ids no scenario asserts:\n  %s\n", strings.Join(proof.Problems, "\n  "))
		return ExitFailed
	}
	return ExitOK
}

// by formats a list of names under a heading, or "" for none.
func by(what string, names []string) string {
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %s", what, strings.Join(names, ", "))
}

// joinParts joins the non-empty parts with "; ".
func joinParts(parts []string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "; ")
}
