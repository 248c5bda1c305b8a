package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// now is the clock of run's reports (elapsed times, the time of -json
// events); tests replace it.
var now = time.Now

// outcome is what became of one scenario in a run.
type outcome string

const (
	outPass    outcome = "pass"
	outFail    outcome = "fail"
	outSkip    outcome = "skip"
	outInvalid outcome = "invalid" // did not decode, or could not be read
)

// caseResult is one scenario's result as the reports show it.
type caseResult struct {
	name    string
	outcome outcome
	message string   // failure, skip reason or decoding problems
	notes   []string // lines the runner printed (a golden file rewritten)
	trace   []string // the trace's lines, with -v
	steps   int
	elapsed time.Duration
}

// event is one line of `go test -json` output, as cmd/test2json documents
// it (go doc cmd/test2json): Time, Action, Package, Test, Elapsed (seconds)
// and Output.
type event struct {
	Time    time.Time `json:",omitempty"`
	Action  string
	Package string   `json:",omitempty"`
	Test    string   `json:",omitempty"`
	Elapsed *float64 `json:",omitempty"`
	Output  string   `json:",omitempty"`
}

// jsonReport writes a run as test2json events, one JSON object a line: the
// package (simrun/PROFILE) starts, each scenario is a test that runs,
// writes its output and passes, fails or is skipped (an invalid scenario
// fails), and the package passes or fails at the end.
type jsonReport struct {
	enc *json.Encoder
	pkg string
}

func newJSONReport(w io.Writer, pkg string) *jsonReport {
	r := &jsonReport{enc: json.NewEncoder(w), pkg: pkg}
	r.emit(event{Action: "start", Package: pkg})
	return r
}

func (r *jsonReport) emit(e event) {
	e.Time = now()
	e.Package = r.pkg
	// An encoding error is the writer's: the next emit meets it again.
	_ = r.enc.Encode(e)
}

func (r *jsonReport) output(test, text string) {
	r.emit(event{Action: "output", Test: test, Output: text})
}

func seconds(d time.Duration) *float64 {
	s := d.Seconds()
	return &s
}

// begin reports a scenario about to run.
func (r *jsonReport) begin(name string) {
	r.emit(event{Action: "run", Test: name})
	r.output(name, "=== RUN   "+name+"\n")
}

// end reports a scenario's result.
func (r *jsonReport) end(c caseResult) {
	for _, n := range c.notes {
		r.output(c.name, "    "+n+"\n")
	}
	for _, l := range c.trace {
		r.output(c.name, "    "+l+"\n")
	}
	action, word := "pass", "PASS"
	switch c.outcome {
	case outFail, outInvalid:
		action, word = "fail", "FAIL"
	case outSkip:
		action, word = "skip", "SKIP"
	}
	// As go test prints them: what the test logged, then its verdict.
	for _, l := range strings.Split(strings.TrimRight(c.message, "\n"), "\n") {
		if l != "" {
			r.output(c.name, "    "+l+"\n")
		}
	}
	r.output(c.name, fmt.Sprintf("--- %s: %s (%.2fs)\n", word, c.name, c.elapsed.Seconds()))
	r.emit(event{Action: action, Test: c.name, Elapsed: seconds(c.elapsed)})
}

// finish reports the package's result.
func (r *jsonReport) finish(ok bool, elapsed time.Duration) {
	action, word := "pass", "PASS"
	if !ok {
		action, word = "fail", "FAIL"
	}
	r.output("", word+"\n")
	r.emit(event{Action: action, Elapsed: seconds(elapsed)})
}

// JUnit XML, in the form CI systems read (the de facto schema of Ant's
// JUnit task): one testsuite, one testcase per scenario.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitTime formats a duration as JUnit's seconds.
func junitTime(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// firstLine is a message's first line, for a message attribute.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// writeJUnit writes the results as JUnit XML to file.
func writeJUnit(file, suite string, results []caseResult, elapsed time.Duration) error {
	s := junitSuite{Name: suite, Tests: len(results), Time: junitTime(elapsed)}
	for _, c := range results {
		jc := junitCase{Name: c.name, Classname: suite, Time: junitTime(c.elapsed)}
		switch c.outcome {
		case outFail:
			s.Failures++
			jc.Failure = &junitProblem{Message: firstLine(c.message), Type: "failure", Text: c.message}
		case outInvalid:
			s.Errors++
			jc.Error = &junitProblem{Message: firstLine(c.message), Type: "invalid", Text: c.message}
		case outSkip:
			s.Skipped++
			jc.Skipped = &junitProblem{Message: c.message}
		}
		if lines := append(append([]string{}, c.notes...), c.trace...); len(lines) > 0 {
			jc.SystemOut = strings.Join(lines, "\n") + "\n"
		}
		s.Cases = append(s.Cases, jc)
	}
	data, err := xml.MarshalIndent(junitSuites{Suites: []junitSuite{s}}, "", "  ")
	if err != nil {
		return err
	}
	data = append([]byte(xml.Header), append(data, '\n')...)
	return os.WriteFile(file, data, 0o666)
}
