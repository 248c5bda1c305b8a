package cli

import (
	"errors"
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
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	backendName := fs.String("backend", "windows", "backend to record")
	profile := fs.String("profile", sim.DefaultProfile, "profile of a model backend")
	outDir := fs.String("o", "", "directory to write the recordings to")
	runRE := fs.String("run", "", "record only scenarios whose name matches")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
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
	filter, targets, err := selection(*runRE, fs.Args())
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
	counts := map[scenario.Verdict]int{}
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
		counts[c.Verdict]++
		fmt.Fprintf(stdout, "%-42s %-20s %s\n", t.name, c.Verdict, c.Detail)
		if *outDir != "" && c.Recording != nil {
			if err := writeRecording(filepath.Join(*outDir, filepath.FromSlash(t.name)+".yaml"), c.Recording); err != nil {
				fmt.Fprintf(stderr, "simrun: %v\n", err)
				return ExitFailed
			}
		}
	}
	fmt.Fprintf(stdout, "%d agree, %d declared deviation, %d disagree, %d skipped\n",
		counts[scenario.Agree], counts[scenario.Deviation], counts[scenario.Disagree], counts[scenario.NotRun])
	switch {
	case invalid > 0:
		return ExitInvalid
	case counts[scenario.Disagree] > 0:
		return ExitFailed
	}
	return ExitOK
}

// writeRecording writes a recorded scenario, making its directory.
func writeRecording(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
