package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/winsim/winsim/conformance"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// countsBegin and countsEnd mark the block of docs/conformance.md that
// `simrun catalog -counts` writes; a test keeps the two equal.
const (
	countsBegin = "<!-- BEGIN simrun catalog -counts (generated: do not edit) -->"
	countsEnd   = "<!-- END simrun catalog -counts -->"
)

// statusOrder is the order of the counts table's columns.
var statusOrder = []sim.Status{sim.Modeled, sim.ModelChoice, sim.FaultInjection, sim.OutOfScope}

// writeCounts writes the counts the documentation states, as the Markdown
// block between countsBegin and countsEnd: the catalog's rule ids by
// family (the id's first part) and status, and the conformance checks by
// family. The kill run arms one switch per modeled rule and fails on any
// unlisted survivor, so the modeled column is also each family's kill
// ratio.
func writeCounts(w io.Writer) {
	rules := scenario.Catalog().Rules()
	counts := map[string]map[sim.Status]int{}
	var families []string
	for _, r := range rules {
		fam, _, _ := strings.Cut(r.ID, ".")
		if counts[fam] == nil {
			counts[fam] = map[sim.Status]int{}
			families = append(families, fam)
		}
		counts[fam][r.Status]++
	}
	fmt.Fprintln(w, countsBegin)
	fmt.Fprintln(w)
	head := []string{"catalog ids"}
	for _, s := range statusOrder {
		head = append(head, string(s))
	}
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	total := map[sim.Status]int{}
	for _, fam := range families {
		row := []string{"`" + fam + ".*`"}
		for _, s := range statusOrder {
			row = append(row, fmt.Sprint(counts[fam][s]))
			total[s] += counts[fam][s]
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	row := []string{"all"}
	for _, s := range statusOrder {
		row = append(row, fmt.Sprint(total[s]))
	}
	fmt.Fprintf(w, "| %s |\n\n", strings.Join(row, " | "))

	checks := map[string]int{}
	var checkFams []string
	all := conformance.Checks()
	for _, c := range all {
		if checks[c.Family] == 0 {
			checkFams = append(checkFams, c.Family)
		}
		checks[c.Family]++
	}
	slices.Sort(checkFams)
	parts := make([]string, len(checkFams))
	for i, f := range checkFams {
		parts[i] = fmt.Sprintf("%s %d", f, checks[f])
	}
	fmt.Fprintf(w, "Conformance checks: %d (%s).\n\n", len(all), strings.Join(parts, ", "))
	fmt.Fprintln(w, countsEnd)
}
