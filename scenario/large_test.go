package scenario

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The large scenarios of issue 16: n steps of one repeated cycle, for the
// decoder's benchmarks and for measuring simrun on a file of a million
// steps. They are generated, never checked in: run
//
//	go test ./scenario -run TestWriteLargeScenarios -large-dir DIR -large-steps 1000000
//
// to write DIR/{registry,scm,event}-1000000.yaml.
var (
	largeDir   = flag.String("large-dir", "", "TestWriteLargeScenarios writes its scenarios into this directory")
	largeSteps = flag.Int("large-steps", 1000000, "the steps of each scenario TestWriteLargeScenarios writes")
)

// largeCycle is one repeated cycle of a large scenario: its setup steps,
// the steps of one round (i numbers the round, for names a round binds),
// and the id the scenario covers.
type largeCycle struct {
	name   string
	covers string
	setup  string
	round  func(w io.Writer, i int) int // writes one round, returns its steps
}

var largeCycles = []largeCycle{
	{
		name:   "registry",
		covers: "hive.deletevalue.flushed",
		setup: "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\App', access: KEY_ALL_ACCESS}\n" +
			"    as: app\n",
		round: func(w io.Writer, i int) int {
			fmt.Fprintf(w, "  - NtSetValueKey: {key: app, name: Value, dword: %d}\n  - NtFlushKey: {key: app}\n", i)
			return 2
		},
	},
	{
		name:   "scm",
		covers: "scm.open.unknown",
		setup: "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n" +
			"  - CreateService: {scm: scm, name: demo, access: SERVICE_ALL_ACCESS}\n    as: svc\n",
		round: func(w io.Writer, i int) int {
			fmt.Fprintf(w, "  - OpenService: {scm: scm, name: demo, access: SERVICE_QUERY_STATUS}\n    as: s%d\n  - CloseServiceHandle: {handle: s%d}\n", i, i)
			return 2
		},
	},
	{
		name:   "event",
		covers: "kernel.wait.timeout",
		setup:  "  - CreateEvent: {}\n    as: ev\n",
		round: func(w io.Writer, _ int) int {
			fmt.Fprintf(w, "  - SetEvent: {handle: ev}\n  - WaitForSingleObjectEx: {handle: ev, ms: 0}\n    want: WAIT_OBJECT_0\n")
			return 2
		},
	},
}

// writeLargeScenario writes a scenario of about n steps of cycle c.
func writeLargeScenario(w io.Writer, c largeCycle, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "version: 1\ndescription: %d steps of the %s cycle, generated for issue 16's measurements.\ncovers: [%s]\nsteps:\n%s", n, c.name, c.covers, c.setup)
	for i, steps := 0, 0; steps < n; i++ {
		steps += c.round(bw, i)
	}
	return bw.Flush()
}

// TestWriteLargeScenarios writes the large scenarios into -large-dir; it
// does nothing without it.
func TestWriteLargeScenarios(t *testing.T) {
	if *largeDir == "" {
		t.Skip("-large-dir not given")
	}
	for _, c := range largeCycles {
		path := filepath.Join(*largeDir, fmt.Sprintf("%s-%d.yaml", c.name, *largeSteps))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeLargeScenario(f, c, *largeSteps); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
