// Package cli is simrun's implementation, kept apart from package main so
// that it can be tested: Main takes the arguments and the output streams and
// returns the exit status.
package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// Exit statuses.
const (
	ExitOK      = 0 // every scenario passed or was skipped
	ExitFailed  = 1 // a scenario failed
	ExitInvalid = 2 // a usage error, or a scenario that does not decode
)

// DefaultPath is where scenarios are looked for when no path is given.
const DefaultPath = "scenarios"

const usage = `simrun replays winsim scenarios against a backend.

Usage:
  simrun run [flags] [paths...]   run scenarios and report each one
  simrun record [flags] [paths...]
                                  run scenarios against a backend, write what it
                                  returned as scenarios, replay them on the model
                                  and print the agreement table
  simrun validate [paths...]      only decode the scenarios, reporting every problem
  simrun catalog [-json|-counts]  list the behavior catalog's rule ids (-json: with sources; -counts: the counts the docs state)
  simrun coverage [paths...]      list what names each catalog id (covers:, documents:, checks,
                                  properties); exit 1 if one is named by none. Built with
                                  -tags winsim_faults it proves each covers: claim (the scenario
                                  fails with the rule broken) and lists what asserts each id
  simrun help [steps|markdown]    this text; the scenario format (as text or Markdown)
  simrun families                 list the API families, one a line: name, scenarios
                                  directory, agreement table name, title (tab-separated)
  simrun ledger [counts|check|update|sites] [-src DIR]
                                  the ledger of Wine 8.0's checks of modeled calls:
                                  its counts (the default); check it against the
                                  sources; rewrite it from them keeping each line's
                                  status; list the sources' sites (-all: every site)
  simrun explain [-dir DIR] NAME|VALUE
                                  explain a status code (its name, or a value in
                                  decimal or hex: every kind that names it), a
                                  catalog rule id or a profile setting: what it
                                  means, its source and status, the scenarios under
                                  DIR (default scenarios) that cover it, the step
                                  kinds whose want: takes the code
  simrun shim [-o DIR] [-tag NAME] [-all] [-list] [IDENT|PACKAGE...]
                                  write a shim package for each x/sys twin named:
                                  code imports it instead of x/sys's windows or
                                  windows/registry and builds against x/sys on
                                  Windows, against winsim's twins elsewhere and
                                  under the winsim build tag
  simrun version                  the module version simrun was built from

A path is a scenario file, or a directory searched recursively for *.yaml
and *.yml; the default is "scenarios". A scenario's name is its path
relative to the directory given, without the extension
(scm/notify-immediate). Flags may come before or after the paths; "--" ends
them. Only regular files are read (a FIFO, a device or a directory named
*.yaml is refused), of at most -max-size bytes (default 64 MiB). Every
command's -h prints this text.

Flags of run:
  -v               print each scenario's trace after it runs
  -run REGEXP      run only the scenarios whose name matches
  -profile NAME    the profile to run under (default win8); scenarios whose
                   profiles: leave it out are skipped
  -backend NAME    the backend: model, or windows (the real system, on
                   Windows or under Wine; its profile is detected)
  -update          rewrite golden .trace files instead of comparing
  -json            print go test -json (test2json) events instead of text,
                   one JSON object a line: each scenario is a test of
                   package simrun/PROFILE (for gotestsum and CI annotators)
  -junit FILE      also write JUnit XML to FILE: one testcase per scenario
  -shard I/N       run only the I-th of N shards (1 <= I <= N): the found
                   scenarios, after -run, dealt round-robin in name order, so
                   the N shards run each scenario exactly once
  -max-size BYTES  the largest scenario file read (default 67108864);
                   validate takes it too
  A -run that matches no scenario exits 1.

Flags of record:
  -backend NAME    the backend to record (default windows)
  -profile NAME    the profile of a model backend (the windows backend's
                   profile is detected)
  -o DIR           write each recording to DIR/<name>.yaml
  -run REGEXP      record only the scenarios whose name matches
  -table FILE      also write the table, without details, to FILE (a
                   snapshot to keep: one row per scenario with its verdict
                   and calls compared, then the counts)
  Every scenario runs whatever profiles it lists. Its recording is replayed on
  the model under the backend's profile and under win8: "agree" when both
  pass, "declared deviation" when only the backend's profile does (the
  difference is a declared profile setting), DISAGREE otherwise; "partial"
  when the backend declined a call part-way and what ran before it replays
  under the backend's profile (a verdict on that part only, never an
  agreement); "skipped" when the scenario has a model-only step, or its first
  step is beyond the backend. Beside each verdict, N/M: the verdict rests on
  N calls of the M the whole scenario makes on the model. Exit status 1 on
  any DISAGREE.

Flags of shim:
  -o DIR           write the packages under DIR, as DIR/windows and
                   DIR/registry (default .)
  -all             every identifier of both twins
  -tag NAME        the build tag that selects the twins on Windows (default
                   winsim)
  -list            list what the twins offer, one a line with its kind, and
                   write nothing
  An IDENT names its package (registry.OpenKey, windows.CreateEvent); a
  PACKAGE alone (registry) is all of it. Each package is two files:
  shim_xsys.go (//go:build windows && !winsim) and shim_twin.go (//go:build
  !windows || winsim). Types become aliases, so their methods come with
  them; constants, constants; variables, copies made at initialization;
  functions, wrappers. The extras x/sys lacks (registry.RegFlushKey,
  windows.WaitForSingleObjectEx) call Windows themselves in shim_xsys.go.
  An identifier the twins leave out exits 2 with the reason; a file simrun
  shim did not write is never written over.

Exit status: 0 when every scenario passed or was skipped, 1 when one
failed, 2 for a usage error or an invalid scenario.
`

// backends are the backends -backend can name.
var backends = map[string]scenario.NewBackend{
	"model": func(profile string, seed uint64) (backend.Kernel, error) {
		b, err := model.New(profile, seed)
		if err != nil {
			return nil, err
		}
		return b, nil
	},
}

// Main runs simrun with args (the program name left out), writing results to
// stdout and problems to stderr, and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitInvalid
	}
	if cmd := args[0]; !isHelp(cmd) && wantsHelp(args[1:]) {
		// Every command's -h prints the usage to stdout: asked for, it is
		// the output, not a complaint.
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runCmd(rest, stdout, stderr)
	case "record":
		return recordCmd(rest, stdout, stderr)
	case "validate":
		return validateCmd(rest, stdout, stderr)
	case "catalog":
		return catalogCmd(rest, stdout, stderr)
	case "coverage":
		return coverageCmd(rest, stdout, stderr)
	case "ledger":
		return ledgerCmd(rest, stdout, stderr)
	case "version":
		return versionCmd(rest, stdout, stderr)
	case "families":
		return familiesCmd(rest, stdout, stderr)
	case "explain":
		return explainCmd(rest, stdout, stderr)
	case "shim":
		return shimCmd(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		return helpCmd(rest, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "simrun: unknown command %q\n\n%s", cmd, usage)
		return ExitInvalid
	}
}

func env() *scenario.Env { return scenario.NewEnv(scenario.Catalog()) }

// target is one scenario file with its name.
type target struct {
	path, name string
}

// collect finds the scenario files of the given paths.
func collect(paths []string) ([]target, error) {
	if len(paths) == 0 {
		paths = []string{DefaultPath}
	}
	var out []target
	for _, p := range paths {
		files, err := scenario.Find(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			out = append(out, target{path: f, name: scenario.Name(p, f)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no scenarios (*.yaml, *.yml) under %s", strings.Join(paths, ", "))
	}
	return out, nil
}

func validateCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simrun validate", flag.ContinueOnError)
	maxSize := fs.Int64("max-size", scenario.DefaultMaxFileSize, "largest scenario file read, in bytes")
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
	e.MaxFileSize = *maxSize
	invalid := 0
	for _, t := range targets {
		if _, err := scenario.Load(t.path, e); err != nil {
			invalid++
			fmt.Fprintln(stderr, problem(err))
		}
	}
	fmt.Fprintf(stdout, "%d valid, %d invalid\n", len(targets)-invalid, invalid)
	if invalid > 0 {
		return ExitInvalid
	}
	return ExitOK
}

func catalogCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("catalog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the rules as a JSON array with their sources")
	counts := fs.Bool("counts", false, "print the counts docs/conformance.md states (its generated block)")
	if err := fs.Parse(args); err != nil {
		return ExitInvalid
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "simrun: catalog takes no arguments\n")
		return ExitInvalid
	}
	if *counts {
		writeCounts(stdout)
		return ExitOK
	}
	rules := scenario.Catalog().Rules()
	settings := scenario.Settings()
	profiles := sim.Profiles()
	if *asJSON {
		type rule struct {
			ID        string `json:"id"`
			Status    string `json:"status"`
			Statement string `json:"statement"`
			Source    string `json:"source"`
			Reason    string `json:"reason,omitempty"`
			DecidedBy string `json:"decided_by,omitempty"`
		}
		type evidence struct {
			Class       string `json:"class"`
			Ref         string `json:"ref"`
			Contradicts string `json:"contradicts,omitempty"`
		}
		type setting struct {
			ID       string            `json:"id"`
			Reason   string            `json:"reason"`
			Source   string            `json:"source"`
			Evidence evidence          `json:"evidence"`
			Values   map[string]string `json:"values"`
		}
		out := struct {
			Rules    []rule    `json:"rules"`
			Settings []setting `json:"settings"`
		}{Rules: make([]rule, len(rules)), Settings: make([]setting, len(settings))}
		for i, r := range rules {
			out.Rules[i] = rule{r.ID, string(r.Status), r.Statement, r.Source, r.Reason, r.DecidedBy}
		}
		for i, st := range settings {
			e := st.Evidence
			out.Settings[i] = setting{st.ID, st.Reason, st.Source, evidence{string(e.Class), e.Ref, e.Contradicts}, st.Values}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "simrun: %v\n", err)
			return ExitFailed
		}
		return ExitOK
	}
	for _, r := range rules {
		decided := ""
		if r.DecidedBy != "" {
			decided = " (decided by setting " + r.DecidedBy + ")"
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s%s\n", r.ID, r.Status, r.Statement, decided)
	}
	fmt.Fprintf(stdout, "\nprofile settings (a per-profile want: names one with setting:); values per profile, then the evidence of the win8 value\n")
	for _, st := range settings {
		vals := make([]string, len(profiles))
		for i, p := range profiles {
			vals[i] = p.Name + "=" + st.Values[p.Name]
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", st.ID, strings.Join(vals, " "), st.Evidence)
	}
	fmt.Fprintln(stdout, evidenceSummary())
	return ExitOK
}

// evidenceSummary counts the settings by the class of their win8 evidence,
// and those a Wine test line contradicts, as the README states it.
func evidenceSummary() string {
	settings := scenario.Settings()
	counts := map[sim.EvidenceClass]int{}
	for _, s := range settings {
		counts[s.Evidence.Class]++
	}
	var parts []string
	for _, c := range sim.EvidenceClasses() {
		parts = append(parts, fmt.Sprintf("%d %s", counts[c], c))
	}
	contradicted := 0
	for _, s := range settings {
		if s.Evidence.Contradicts != "" {
			contradicted++
		}
	}
	return fmt.Sprintf("%d settings: %s; %d contradicted by a Wine test line (the model's win8 value is a known error there).",
		len(settings), strings.Join(parts, ", "), contradicted)
}

func helpCmd(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(stdout, usage)
	case len(args) == 1 && args[0] == "steps":
		if err := scenario.WriteHelp(stdout); err != nil {
			fmt.Fprintf(stderr, "simrun: %v\n", err)
			return ExitFailed
		}
	case len(args) == 1 && args[0] == "markdown":
		if err := scenario.WriteMarkdown(stdout); err != nil {
			fmt.Fprintf(stderr, "simrun: %v\n", err)
			return ExitFailed
		}
	default:
		fmt.Fprintf(stderr, "simrun: unknown help topic %q (topics: steps, markdown)\n", strings.Join(args, " "))
		return ExitInvalid
	}
	return ExitOK
}

// selection compiles the -run filter (nil when empty) and collects the
// scenario files under the given paths.
func selection(runRE string, paths []string) (*regexp.Regexp, []target, error) {
	var filter *regexp.Regexp
	if runRE != "" {
		re, err := regexp.Compile(runRE)
		if err != nil {
			return nil, nil, fmt.Errorf("-run: %v", err)
		}
		filter = re
	}
	targets, err := collect(paths)
	return filter, targets, err
}
