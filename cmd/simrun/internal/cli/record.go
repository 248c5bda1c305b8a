package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// systemProfiles holds, for a backend bound to the system it runs on, the
// function that detects that system's profile and describes the system.
// Backends registered here (windows, on Windows) ignore -profile.
var systemProfiles = map[string]func() (profile, system string, err error){}

// unknownBackend explains a -backend name that is not available here.
func unknownBackend(name string) error {
	known := make([]string, 0, len(backends))
	for k := range backends {
		known = append(known, k)
	}
	sort.Strings(known)
	if name == "windows" && runtime.GOOS != "windows" {
		return fmt.Errorf("backend windows is the real Windows API: it runs only in a Windows build of simrun (on Windows, or under Wine), not on %s (known here: %s)", runtime.GOOS, strings.Join(known, ", "))
	}
	return fmt.Errorf("unknown backend %q (known: %s)", name, strings.Join(known, ", "))
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func recordCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simrun record", flag.ContinueOnError)
	backendName := fs.String("backend", "windows", "backend to record")
	profile := fs.String("profile", sim.DefaultProfile, "profile of a model backend")
	outDir := fs.String("o", "", "directory to write the recordings to")
	runRE := fs.String("run", "", "record only scenarios whose name matches")
	tableFile := fs.String("table", "", "write the agreement table, without details, to this file")
	paths, err := parseFlags(fs, args, stderr)
	if err != nil {
		return ExitInvalid
	}
	newBackend, ok := backends[*backendName]
	if !ok {
		fmt.Fprintf(stderr, "simrun: %v\n", unknownBackend(*backendName))
		return ExitInvalid
	}
	system := "the model (profile " + *profile + ")"
	if detect := systemProfiles[*backendName]; detect != nil {
		p, sys, err := detect()
		if err != nil {
			fmt.Fprintf(stderr, "simrun: %v\n", err)
			return ExitInvalid
		}
		*profile, system = p, sys
	} else if _, err := sim.LookupProfile(*profile); err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	filter, targets, err := selection(*runRE, paths)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	if *outDir != "" {
		// Before anything runs: an -o that cannot be a directory is a
		// usage error, not a failure found after recording everything.
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			fmt.Fprintf(stderr, "simrun: -o: %v\n", err)
			return ExitInvalid
		}
	}

	e := env()
	fmt.Fprintf(stdout, "agreement of %s (backend %s, profile %s) with the model; baseline %s\n", system, *backendName, *profile, sim.DefaultProfile)
	table := agreementTable{profile: *profile, baseline: sim.DefaultProfile}
	invalid := 0
	for _, t := range targets {
		if filter != nil && !filter.MatchString(t.name) {
			continue
		}
		s, err := scenario.Load(t.path, e)
		if err != nil {
			invalid++
			fmt.Fprintf(stdout, "invalid %s\n", t.name)
			fmt.Fprintln(stderr, err)
			continue
		}
		c, err := scenario.Check(s, *profile, sim.DefaultProfile, system, newBackend, backends["model"], e)
		if err != nil {
			fmt.Fprintf(stderr, "simrun: %s: %v\n", t.name, err)
			return ExitFailed
		}
		row := table.add(t.name, c.Agreement)
		fmt.Fprintln(stdout, strings.TrimRight(row+"  "+c.Detail, " "))
		if *outDir != "" && c.Recording != nil {
			if err := writeRecording(filepath.Join(*outDir, filepath.FromSlash(t.name)+".yaml"), c.Recording); err != nil {
				fmt.Fprintf(stderr, "simrun: %v\n", err)
				return ExitFailed
			}
		}
	}
	fmt.Fprintln(stdout, table.summary())
	if *tableFile != "" {
		if err := os.WriteFile(*tableFile, []byte(table.String()), 0o644); err != nil {
			fmt.Fprintf(stderr, "simrun: %v\n", err)
			return ExitFailed
		}
	}
	switch {
	case invalid > 0:
		return ExitInvalid
	case table.counts[scenario.Disagree] > 0:
		return ExitFailed
	}
	return ExitOK
}

// agreementTable is the agreement table of simrun record: one row per
// scenario (its name, verdict, and the calls compared of the scenario's
// calls), then the counts of each verdict. Without the details it is what
// -table writes, a file meant to be kept as a snapshot: every row changes
// with the verdict or the calls it rests on, not with a message's wording.
type agreementTable struct {
	profile, baseline string
	rows              []string
	counts            map[scenario.Verdict]int
	compared, calls   int
}

// add appends the row of one scenario and returns it.
func (t *agreementTable) add(name string, ag scenario.Agreement) string {
	if t.counts == nil {
		t.counts = map[scenario.Verdict]int{}
	}
	t.counts[ag.Verdict]++
	t.compared += ag.Compared
	t.calls += ag.Calls
	row := strings.TrimRight(fmt.Sprintf("%-42s %-18s %s", name, ag.Verdict, ag.CallsText()), " ")
	t.rows = append(t.rows, row)
	return row
}

// summary is the table's last line: each verdict's count, and the calls
// compared of all the scenarios' calls.
func (t *agreementTable) summary() string {
	parts := make([]string, len(scenario.Verdicts))
	for i, v := range scenario.Verdicts {
		name := v.String()
		if v == scenario.Disagree {
			name = "disagree"
		}
		parts[i] = fmt.Sprintf("%d %s", t.counts[v], name)
	}
	return fmt.Sprintf("%s; %d of %d calls compared", strings.Join(parts, ", "), t.compared, t.calls)
}

// String is the table without details, as -table writes it.
func (t *agreementTable) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# simrun record: agreement with the model under %s (baseline %s)\n", t.profile, t.baseline)
	b.WriteString("# scenario, verdict, calls compared of the scenario's calls\n")
	for _, r := range t.rows {
		b.WriteString(r + "\n")
	}
	b.WriteString(t.summary() + "\n")
	return b.String()
}

// writeRecording writes a recorded scenario, making its directory.
func writeRecording(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
