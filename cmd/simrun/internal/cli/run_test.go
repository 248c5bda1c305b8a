package cli

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock makes now advance one second per reading, from a fixed time,
// so reports' times and durations do not depend on the wall clock.
func fakeClock(t *testing.T) {
	t.Helper()
	saved := now
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	now = func() time.Time { at = at.Add(time.Second); return at }
	t.Cleanup(func() { now = saved })
}

// testEvent is a test2json event as cmd/test2json documents it; unknown
// fields are refused when decoding.
type testEvent struct {
	Time    *time.Time
	Action  string
	Package string
	Test    string
	Elapsed *float64
	Output  *string
}

// decodeEvents decodes -json output, one event a line, checking each line
// against the documented schema: only its fields, Action among its values,
// Time present, Elapsed only on pass/fail/skip.
func decodeEvents(t *testing.T, out string) []testEvent {
	t.Helper()
	actions := map[string]bool{"start": true, "run": true, "pause": true, "cont": true, "pass": true, "bench": true, "fail": true, "output": true, "skip": true}
	var evs []testEvent
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		var e testEvent
		require.NoError(t, dec.Decode(&e), sc.Text())
		assert.True(t, actions[e.Action], "action %q", e.Action)
		if assert.NotNil(t, e.Time, sc.Text()) {
			assert.False(t, e.Time.IsZero(), sc.Text())
		}
		assert.Equal(t, e.Elapsed != nil, e.Action == "pass" || e.Action == "fail" || e.Action == "skip", sc.Text())
		assert.Equal(t, e.Output != nil, e.Action == "output", sc.Text())
		assert.Equal(t, "simrun/win8", e.Package)
		evs = append(evs, e)
	}
	return evs
}

func TestRunJSON(t *testing.T) {
	fakeClock(t)
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": failing, "c.yaml": win7Only, "d.yaml": invalid})
	code, out, _ := run("run", "-json", dir)
	assert.Equal(t, ExitInvalid, code)
	evs := decodeEvents(t, out)
	// Everything but Time and Elapsed, which the clock decides.
	var got []string
	for _, e := range evs {
		line := e.Action + " " + e.Test
		if e.Output != nil {
			line += " " + strings.ReplaceAll(*e.Output, dir, "DIR")
		}
		got = append(got, strings.TrimRight(line, "\n "))
	}
	assert.Equal(t, []string{
		"start",
		"run a", "output a === RUN   a", "output a --- PASS: a (1.00s)", "pass a",
		"run b", "output b === RUN   b",
		"output b     DIR/b.yaml:5:5: OpenSCManager(SC_MANAGER_ALL_ACCESS): got ERROR_SUCCESS (0), want ERROR_ACCESS_DENIED (5)",
		"output b --- FAIL: b (1.00s)",
		"fail b",
		"run c", "output c === RUN   c", "output c     profile win8 is not among the scenario's profiles (win7)",
		"output c --- SKIP: c (1.00s)", "skip c",
		"run d", "output d === RUN   d", "output d     DIR/d.yaml:5:5: unknown step kind \"SleepExx\" (did you mean SleepEx?)",
		"output d --- FAIL: d (1.00s)", "fail d",
		"output  FAIL", "fail",
	}, got)
	for _, e := range evs {
		if e.Test != "" && e.Elapsed != nil {
			assert.Equal(t, 1.0, *e.Elapsed)
		}
	}
}

func TestRunJUnit(t *testing.T) {
	fakeClock(t)
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": failing, "c.yaml": win7Only, "d.yaml": invalid})
	file := filepath.Join(t.TempDir(), "junit.xml")
	code, out, errOut := run("run", dir, "-junit", file)
	assert.Equal(t, ExitInvalid, code, out)
	assert.Contains(t, errOut, "unknown step kind")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Errors   int    `xml:"errors,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Time    string `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(data, &doc), string(data))
	require.Len(t, doc.Suites, 1)
	s := doc.Suites[0]
	assert.Equal(t, "simrun/win8", s.Name)
	assert.Equal(t, []int{4, 1, 1, 1}, []int{s.Tests, s.Failures, s.Errors, s.Skipped})
	require.Len(t, s.Cases, 4)
	var names []string
	for _, c := range s.Cases {
		names = append(names, c.Name)
		assert.Equal(t, "1.000", c.Time)
	}
	assert.Equal(t, []string{"a", "b", "c", "d"}, names)
	assert.Nil(t, s.Cases[0].Failure)
	require.NotNil(t, s.Cases[1].Failure)
	assert.Contains(t, s.Cases[1].Failure.Message, "got ERROR_SUCCESS (0), want ERROR_ACCESS_DENIED (5)")
	require.NotNil(t, s.Cases[2].Skipped)
	assert.Contains(t, s.Cases[2].Skipped.Message, "profile win8 is not among")
	require.NotNil(t, s.Cases[3].Error)
	assert.Contains(t, s.Cases[3].Error.Message, "unknown step kind")
}

// TestShardPartition: for every n, the shards 1/n..n/n of the bundled
// scenarios hold each scenario exactly once.
func TestShardPartition(t *testing.T) {
	code, out, _ := run("run", "-json", "../../../../scenarios")
	require.NotEqual(t, ExitInvalid, code)
	var all []string
	for _, e := range decodeEvents(t, out) {
		if e.Action == "run" {
			all = append(all, e.Test)
		}
	}
	require.Greater(t, len(all), 10)
	sort.Strings(all)
	for _, n := range []int{1, 2, 3, 7, len(all) + 2} {
		var union []string
		for i := 1; i <= n; i++ {
			targets, err := collect([]string{"../../../../scenarios"})
			require.NoError(t, err)
			sh, err := parseShard(fmt.Sprintf("%d/%d", i, n))
			require.NoError(t, err)
			part := sh.pick(targets)
			assert.LessOrEqual(t, len(part), len(all)/n+1)
			for _, tg := range part {
				union = append(union, tg.name)
			}
		}
		sort.Strings(union)
		assert.Equal(t, all, union, "shards of %d", n)
	}
}

func TestShardFlag(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": passing, "c.yaml": passing})
	code, out, _ := run("run", dir, "-shard", "2/2")
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "ok   b (2 steps)\n1 passed, 0 failed, 0 skipped\n", out)
	code, out, errOut := run("run", dir, "-shard", "4/4")
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "0 passed, 0 failed, 0 skipped\n", out)
	assert.Equal(t, "simrun: shard 4/4 has no scenarios\n", errOut)
	for _, bad := range []string{"0/2", "3/2", "1", "a/b", "1/0"} {
		code, _, errOut := run("run", "-shard", bad, dir)
		assert.Equal(t, ExitInvalid, code, bad)
		assert.Contains(t, errOut, "want i/n with 1 <= i <= n", bad)
	}
}

func TestFlagsAfterPaths(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing, "b.yaml": failing})
	code, out, _ := run("run", dir, "-run", "^a$", "-v")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "ok   a (2 steps)\n    ")
	assert.NotContains(t, out, "FAIL")
	// After "--", everything is a path.
	code, _, errOut := run("run", "--", "-v")
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, errOut, "simrun: -v: no such file or directory")
}

func TestRunMatchesNothing(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": passing})
	code, out, errOut := run("run", "-run", "zzz", dir)
	assert.Equal(t, ExitFailed, code)
	assert.Empty(t, out)
	assert.Equal(t, "simrun: -run \"zzz\" matches no scenario\n", errOut)
}

func TestEveryHelpToStdout(t *testing.T) {
	for _, cmd := range []string{"run", "record", "validate", "catalog", "coverage", "ledger", "version", "families", "explain", "schema", "help"} {
		for _, h := range []string{"-h", "-help", "--help"} {
			code, out, errOut := run(cmd, h)
			assert.Equal(t, ExitOK, code, cmd+" "+h)
			assert.Contains(t, out, "Usage:", cmd+" "+h)
			assert.Empty(t, errOut, cmd+" "+h)
		}
	}
	code, out, _ := run("run", "scenarios", "-h")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "Usage:")
}

func TestYmlFound(t *testing.T) {
	dir := tree(t, map[string]string{"a.yml": passing, "b.yaml": passing, "c.txt": passing})
	code, out, _ := run("run", dir)
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "ok   a (2 steps)\nok   b (2 steps)\n2 passed, 0 failed, 0 skipped\n", out)
}
