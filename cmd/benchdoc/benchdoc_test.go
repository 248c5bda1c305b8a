package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/winsim/winsim/sim/hive
cpu: Test CPU
BenchmarkFlushOneValue-2   	  100	  1000 ns/op	  1.5 big/small	  16 allocs/op	 40 B/key	 64 B/op
BenchmarkFlushOneValue-2   	  100	  3000 ns/op	  2.5 big/small	  16 allocs/op	 40 B/key	 64 B/op
BenchmarkFlushOneValue-2   	  100	  2000 ns/op	  1.0 big/small	  16 allocs/op	 40 B/key	 64 B/op
BenchmarkFlushOneDirtyKey/keys=100000-2 	 10	 200 ns/flush
BenchmarkFlushOneDirtyKey/keys=10-2     	 10	 100 ns/flush
BenchmarkRegister/n=1000-2
PASS
ok  	github.com/winsim/winsim/sim/hive	1.0s
goos: windows
goarch: amd64
pkg: github.com/winsim/winsim/backend/windows
BenchmarkSetValueFlushKey-2 	 200	 1 ns/op	 170000 real-ns/cycle	 95 model-ns/cycle	 1789 real/model
BenchmarkSetValueFlushKey-2 	 200	 1 ns/op	 172000 real-ns/cycle	 96 model-ns/cycle	 1790 real/model
`

// TestParse reads go test -bench output: package, units, values a run,
// names without the GOMAXPROCS suffix; a line with a name only is skipped.
func TestParse(t *testing.T) {
	var s resultSet
	require.NoError(t, s.parse("in.txt", strings.NewReader(sample)))
	require.Len(t, s.benchmarks, 4)
	b := s.benchmarks[0]
	assert.Equal(t, "github.com/winsim/winsim/sim/hive", b.pkg)
	assert.Equal(t, "FlushOneValue", b.name)
	assert.Equal(t, []string{"ns/op", "big/small", "allocs/op", "B/key", "B/op"}, b.units)
	assert.Equal(t, "linux", b.goos)
	assert.Equal(t, "windows", s.benchmarks[3].goos)
	assert.True(t, s.benchmarks[3].isPair())
	assert.False(t, b.isPair())
	assert.Equal(t, []float64{1.5, 2.5, 1.0}, b.values["big/small"])
	assert.Equal(t, []string{"Test CPU"}, s.cpus)
	m, ok := s.median("sim/hive", "FlushOneValue", "big/small")
	assert.True(t, ok)
	assert.Equal(t, 1.5, m)
	r, ok := s.figure(target{pkg: "sim/hive", bench: "FlushOneDirtyKey/keys=100000", over: "FlushOneDirtyKey/keys=10", unit: "ns/flush"})
	assert.True(t, ok)
	assert.Equal(t, 2.0, r)
}

// TestParseErrors: what is not benchmark output is refused with its
// position.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"odd fields", "BenchmarkX-2 10 5 ns/op 7\n", "in.txt:1: a result line has"},
		{"iterations", "pkg: p\nBenchmarkX-2 ten 5 ns/op\n", "in.txt:2: iteration count \"ten\""},
		{"value", "BenchmarkX-2 10 five ns/op\n", "in.txt:1: value \"five\" (unit ns/op)"},
		{"failed run", "BenchmarkX-2 10 5 ns/op\n--- FAIL: BenchmarkY\n", "in.txt:2: the benchmark run failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s resultSet
			err := s.parse("in.txt", strings.NewReader(tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestRender: the targets are checked against the medians, the sizes of a
// family make a curve in order, every result is listed.
func TestRender(t *testing.T) {
	var s resultSet
	require.NoError(t, s.parse("in.txt", strings.NewReader(sample)))
	doc := render(&s, []string{"in.txt"})
	assert.Contains(t, doc, "| flush cost follows dirty values: one changed value of 10,000 vs of 10 | sim/hive FlushOneValue | big/small | 1.5 | 2 | yes |")
	assert.Contains(t, doc, "| flush of one dirty key among 100k vs among 10 | sim/hive FlushOneDirtyKey/keys=100000 / FlushOneDirtyKey/keys=10 | ns/flush | 2 | 2 | yes |")
	assert.Contains(t, doc, "| NtSetValueKey | sim/hive ValueCalls/NtSetValueKey | ns/call | no data | 100 | ? |")
	assert.Less(t, strings.Index(doc, "| 10 | 100 [100, 100] |"), strings.Index(doc, "| 100000 | 200 [200, 200] |"), "a curve is ordered by size")
	assert.Contains(t, doc, "| FlushOneValue | ns/op | 2000 [1000, 3000] | 3 |")
	assert.Contains(t, doc, "(cpu: Test CPU)")
	assert.Contains(t, doc, "| sim/hive FlushOneDirtyKey/keys=10 | ns/flush | 100 [100, 100] | - | - |", "a per-call row")
	assert.Contains(t, doc, "| sim/hive FlushOneValue | B/key | 40 [40, 40] |", "a per-object row")
	assert.NotContains(t, doc, "| B/op |\n| --- | --- | ---: |\n| sim/hive FlushOneValue | B/op", "B/op is no object")
	assert.Contains(t, doc, "| SetValueFlushKey (ns/cycle) | 171 µs | 95.5 ns | 1790 | 2 |", "a Wine pair")
	assert.Contains(t, doc, "pairs under Wine (`-count 2`, goos windows)")
}

// TestRun: exit status 2 and a message for bad input or no input; 0 and
// the document written with -o.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "bad.txt")
	empty := filepath.Join(dir, "empty.txt")
	require.NoError(t, os.WriteFile(good, []byte(sample), 0o644))
	require.NoError(t, os.WriteFile(bad, []byte("BenchmarkX-2 10 x ns/op\n"), 0o644))
	require.NoError(t, os.WriteFile(empty, []byte("PASS\n"), 0o644))
	out := filepath.Join(dir, "doc.md")
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStderr string
	}{
		{"no input", nil, 2, "usage: benchdoc"},
		{"missing file", []string{filepath.Join(dir, "none.txt")}, 2, "no such file"},
		{"bad line", []string{bad}, 2, "bad.txt:1: value \"x\""},
		{"no results", []string{empty}, 2, "no benchmark results"},
		{"bad flag", []string{"-x", good}, 2, "flag provided but not defined"},
		{"written", []string{"-o", out, good}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tt.code, run(tt.args, &stdout, &stderr))
			if tt.wantStderr != "" {
				assert.Contains(t, stderr.String(), tt.wantStderr)
			} else {
				assert.Empty(t, stderr.String())
			}
		})
	}
	doc, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(doc), "# Benchmarks\n"))
}
