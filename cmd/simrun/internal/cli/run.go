package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// printer is the Reporter simrun passes to the runner: it keeps notes (a
// golden file rewritten) for the report and leaves outcomes to the Result.
type printer struct{ notes *[]string }

// Logf keeps a note.
func (p printer) Logf(format string, args ...any) {
	*p.notes = append(*p.notes, fmt.Sprintf(format, args...))
}

// Errorf and Skipf do nothing: the outcome is reported from the Result.
func (printer) Errorf(string, ...any) {}
func (printer) Skipf(string, ...any)  {}

// runFlags are run's flags.
type runFlags struct {
	verbose, update, json bool
	runRE, profile        string
	backend, junit, shard string
	maxSize               int64
}

func (f *runFlags) define(fs *flag.FlagSet) {
	fs.BoolVar(&f.verbose, "v", false, "print each scenario's trace")
	fs.StringVar(&f.runRE, "run", "", "run only scenarios whose name matches")
	fs.StringVar(&f.profile, "profile", sim.DefaultProfile, "profile to run under")
	fs.StringVar(&f.backend, "backend", "model", "backend to run against")
	fs.BoolVar(&f.update, "update", false, "rewrite golden trace files")
	fs.BoolVar(&f.json, "json", false, "print test2json events (go test -json form)")
	fs.StringVar(&f.junit, "junit", "", "also write JUnit XML to this file")
	fs.StringVar(&f.shard, "shard", "", "run only shard i of n (i/n)")
	fs.Int64Var(&f.maxSize, "max-size", scenario.DefaultMaxFileSize, "largest scenario file read, in bytes")
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simrun run", flag.ContinueOnError)
	var f runFlags
	f.define(fs)
	paths, err := parseFlags(fs, args, stderr)
	if err != nil {
		return ExitInvalid
	}
	newBackend, ok := backends[f.backend]
	if !ok {
		fmt.Fprintf(stderr, "simrun: %v\n", unknownBackend(f.backend))
		return ExitInvalid
	}
	if code, ok := detectProfile(fs, &f, stderr); !ok {
		return code
	}
	if _, err := sim.LookupProfile(f.profile); err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	sh, err := parseShard(f.shard)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	filter, targets, err := selection(f.runRE, paths)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid
	}
	targets = filterTargets(filter, targets)
	if len(targets) == 0 {
		fmt.Fprintf(stderr, "simrun: -run %q matches no scenario\n", f.runRE)
		return ExitFailed
	}
	targets = sh.pick(targets)
	if len(targets) == 0 {
		fmt.Fprintf(stderr, "simrun: shard %d/%d has no scenarios\n", sh.i, sh.n)
	}
	e := env()
	e.MaxFileSize = f.maxSize
	opts := scenario.Options{Profile: f.profile, Update: f.update, Env: e, Planner: backends["model"], Untraced: !f.verbose}
	return runTargets(targets, newBackend, opts, f, stdout, stderr)
}

// detectProfile sets the profile of a backend that is a real system (it
// has its own); ok false means stop with code.
func detectProfile(fs *flag.FlagSet, f *runFlags, stderr io.Writer) (code int, ok bool) {
	detect := systemProfiles[f.backend]
	if detect == nil {
		return ExitOK, true
	}
	p, _, err := detect()
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return ExitInvalid, false
	}
	if flagGiven(fs, "profile") && f.profile != p {
		fmt.Fprintf(stderr, "simrun: backend %s runs under profile %s here, not %s\n", f.backend, p, f.profile)
		return ExitInvalid, false
	}
	f.profile = p
	return ExitOK, true
}

// filterTargets keeps the targets whose name filter matches (all for nil).
func filterTargets(filter *regexp.Regexp, targets []target) []target {
	if filter == nil {
		return targets
	}
	var out []target
	for _, t := range targets {
		if filter.MatchString(t.name) {
			out = append(out, t)
		}
	}
	return out
}

// runTargets runs the targets and reports them: as text lines, or test2json
// events with -json, and as JUnit XML with -junit.
func runTargets(targets []target, newBackend scenario.NewBackend, opts scenario.Options, f runFlags, stdout, stderr io.Writer) int {
	pkg := "simrun/" + opts.Profile
	var js *jsonReport
	if f.json {
		js = newJSONReport(stdout, pkg)
	}
	start := now()
	var results []caseResult
	counts := map[outcome]int{}
	for _, t := range targets {
		if js != nil {
			js.begin(t.name)
		}
		c := runOne(t, newBackend, opts, f.verbose)
		counts[c.outcome]++
		results = append(results, c)
		if js != nil {
			js.end(c)
			continue
		}
		printText(stdout, stderr, c)
	}
	elapsed := now().Sub(start)
	code := ExitOK
	switch {
	case counts[outInvalid] > 0:
		code = ExitInvalid
	case counts[outFail] > 0:
		code = ExitFailed
	}
	if js != nil {
		js.finish(code == ExitOK, elapsed)
	} else {
		summary := fmt.Sprintf("%d passed, %d failed, %d skipped", counts[outPass], counts[outFail], counts[outSkip])
		if counts[outInvalid] > 0 {
			summary += fmt.Sprintf(", %d invalid", counts[outInvalid])
		}
		fmt.Fprintln(stdout, summary)
	}
	if f.junit != "" {
		if err := writeJUnit(f.junit, pkg, results, elapsed); err != nil {
			fmt.Fprintf(stderr, "simrun: -junit: %v\n", err)
			return ExitInvalid
		}
	}
	return code
}

// runOne runs one scenario file and times it.
func runOne(t target, newBackend scenario.NewBackend, opts scenario.Options, verbose bool) caseResult {
	c := caseResult{name: t.name}
	start := now()
	s, res, err := scenario.RunFile(t.path, newBackend, printer{&c.notes}, opts)
	c.elapsed = now().Sub(start)
	if err != nil {
		c.outcome, c.message = outInvalid, problem(err)
		return c
	}
	c.steps = s.StepCount()
	c.message = res.Message
	switch res.Outcome {
	case scenario.Passed:
		c.outcome = outPass
	case scenario.Failed:
		c.outcome = outFail
	case scenario.Skipped:
		c.outcome = outSkip
	}
	if verbose && len(res.Trace) > 0 {
		c.trace = strings.Split(strings.TrimRight(scenario.TraceText(res.Trace), "\n"), "\n")
	}
	return c
}

// problem is how a scenario that could not be loaded is reported: its
// decoding problems as they are (each with its position), any other error
// (reading the file) after "simrun: ".
func problem(err error) string {
	var list scenario.ErrorList
	if errors.As(err, &list) {
		return err.Error()
	}
	return "simrun: " + err.Error()
}

// printText prints a result as run's text lines.
func printText(stdout, stderr io.Writer, c caseResult) {
	for _, n := range c.notes {
		fmt.Fprintln(stdout, n)
	}
	name := display(c.name)
	switch c.outcome {
	case outInvalid:
		fmt.Fprintf(stdout, "invalid %s\n", name)
		fmt.Fprintln(stderr, c.message)
	case outPass:
		fmt.Fprintf(stdout, "ok   %s (%d steps)\n", name, c.steps)
	case outFail:
		fmt.Fprintf(stdout, "FAIL %s\n%s\n", name, c.message)
	case outSkip:
		fmt.Fprintf(stdout, "skip %s: %s\n", name, c.message)
	}
	for _, l := range c.trace {
		fmt.Fprintf(stdout, "    %s\n", l)
	}
}
