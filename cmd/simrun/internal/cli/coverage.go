package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/conformance"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// coverageCmd lists, for every catalog id, the scenarios (their covers:),
// the conformance properties and the conformance checks that assert it. It
// fails when a modeled or model-choice id is asserted by none of them, or
// when an out-of-scope id gives no reason.
func coverageCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simrun coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitInvalid
	}
	targets, err := collect(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	e := env()
	scenarios := map[string][]string{}
	invalid := 0
	for _, t := range targets {
		s, err := scenario.Load(t.path, e)
		if err != nil {
			invalid++
			fmt.Fprintln(stderr, err)
			continue
		}
		for _, id := range s.Covers {
			scenarios[id] = append(scenarios[id], t.name)
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

	var missing []string
	counts := map[sim.Status]int{}
	for _, r := range model.Catalog().Rules() {
		counts[r.Status]++
		by := func(what string, names []string) string {
			if len(names) == 0 {
				return ""
			}
			return fmt.Sprintf("%s: %s", what, strings.Join(names, ", "))
		}
		parts := slices.DeleteFunc([]string{
			by("scenarios", scenarios[r.ID]), by("properties", properties[r.ID]), by("checks", checks[r.ID]),
		}, func(s string) bool { return s == "" })
		line := strings.Join(parts, "; ")
		switch {
		case r.Status == sim.OutOfScope && r.Reason == "":
			missing = append(missing, r.ID+" (out-of-scope without a reason)")
			line = "NO REASON"
		case r.Status == sim.OutOfScope:
			line = "out of scope: " + r.Reason
		case line == "" && (r.Status == sim.Modeled || r.Status == sim.ModelChoice):
			missing = append(missing, r.ID)
			line = "NOTHING ASSERTS IT"
		case line == "":
			line = "-"
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", r.ID, r.Status, line)
	}
	fmt.Fprintf(stdout, "%d ids (%d modeled, %d model-choice, %d fault-injection, %d out-of-scope); %d unasserted\n",
		len(model.Catalog().Rules()), counts[sim.Modeled], counts[sim.ModelChoice], counts[sim.FaultInjection], counts[sim.OutOfScope], len(missing))
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "simrun: catalog ids nothing asserts:\n  %s\n", strings.Join(missing, "\n  "))
		return ExitFailed
	}
	return ExitOK
}
