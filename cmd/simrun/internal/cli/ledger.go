package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/winsim/winsim/evidence"
)

// ledgerCmd runs `simrun ledger`: counts prints the committed ledger's
// figures; check compares the ledger with the sources (exit 1 on a
// difference); update rewrites the ledger file from the sources, keeping
// every line's status; sites prints the sources' in-scope sites as ledger
// lines (-all: every site, with its subject even when not modeled).
func ledgerCmd(args []string, stdout, stderr io.Writer) int {
	action := "counts"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("ledger", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", os.Getenv(evidence.SourceEnv), "the Wine 8.0 source tree (default $"+evidence.SourceEnv+")")
	file := fs.String("file", evidence.LedgerPath, "the ledger file update writes")
	all := fs.Bool("all", false, "sites: list every ok() site, in scope or not")
	if err := fs.Parse(args); err != nil {
		return ExitInvalid
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "simrun: ledger takes no arguments after its flags\n")
		return ExitInvalid
	}
	entries, err := evidence.Parse(evidence.LedgerPath, evidence.Ledger)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	if action == "counts" {
		fmt.Fprint(stdout, evidence.CountsTable(entries))
		return ExitOK
	}
	if action != "check" && action != "update" && action != "sites" {
		fmt.Fprintf(stderr, "simrun: ledger: unknown action %q (counts, check, update, sites)\n", action)
		return ExitInvalid
	}
	if *src == "" {
		fmt.Fprintf(stderr, "simrun: ledger %s needs the Wine 8.0 sources: -src DIR or $%s\n", action, evidence.SourceEnv)
		return ExitInvalid
	}
	if action == "sites" && *all {
		step := evidence.StepFor(evidence.ModeledCalls())
		for _, f := range evidence.Files {
			data, err := os.ReadFile(*src + "/" + f)
			if err != nil {
				fmt.Fprintf(stderr, "simrun: %v\n", err)
				return ExitInvalid
			}
			for _, s := range evidence.Extract(f, data, step) {
				status := "not modeled"
				if s.Modeled {
					status = "in scope"
				}
				e := evidence.EntryOf(s, status)
				fmt.Fprintf(stdout, "%s | %s | %s | %s | %s | %s\n", e.Key, e.Function, e.Call, e.Value, e.Todo, e.Status)
			}
		}
		return ExitOK
	}
	sites, err := evidence.ExtractTree(*src)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	switch action {
	case "sites":
		fmt.Fprint(stdout, string(evidence.Format(evidence.Update(nil, sites))))
	case "update":
		if err := os.WriteFile(*file, evidence.Format(evidence.Update(entries, sites)), 0o644); err != nil {
			fmt.Fprintf(stderr, "simrun: %v\n", err)
			return ExitFailed
		}
	case "check":
		diffs := evidence.Diff(entries, sites)
		for _, d := range diffs {
			fmt.Fprintln(stdout, d)
		}
		if len(diffs) > 0 {
			return ExitFailed
		}
		fmt.Fprintf(stdout, "%d ledger lines, each an in-scope site of the sources\n", len(entries))
	}
	return ExitOK
}
