package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// benchmark is one benchmark of one package and what its runs measured.
type benchmark struct {
	pkg, name string
	goos      string               // the system it ran on, from the goos: line before it
	units     []string             // in the order the output first gives them
	values    map[string][]float64 // by unit, one value a run
}

// resultSet is everything read from the inputs, in the order first seen.
type resultSet struct {
	benchmarks []*benchmark
	byKey      map[string]*benchmark
	cpus       []string // the cpu: lines seen, without repeats
}

// parse reads the output of go test -bench. Configuration lines (pkg:,
// cpu:, ...) and the test framework's own lines (PASS, ok) are taken or
// skipped; a result line that does not parse, and a failed run, are errors
// naming file:line.
func (s *resultSet) parse(file string, r io.Reader) error {
	if s.byKey == nil {
		s.byKey = map[string]*benchmark{}
	}
	pkg, goos := "", ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		pos := fmt.Sprintf("%s:%d", file, line)
		switch {
		case strings.HasPrefix(text, "pkg: "):
			pkg = strings.TrimPrefix(text, "pkg: ")
		case strings.HasPrefix(text, "goos: "):
			goos = strings.TrimPrefix(text, "goos: ")
		case strings.HasPrefix(text, "cpu: "):
			cpu := strings.TrimPrefix(text, "cpu: ")
			if !contains(s.cpus, cpu) {
				s.cpus = append(s.cpus, cpu)
			}
		case text == "FAIL", strings.HasPrefix(text, "--- FAIL"), strings.HasPrefix(text, "FAIL\t"):
			return fmt.Errorf("%s: the benchmark run failed: %q", pos, text)
		case strings.HasPrefix(text, "Benchmark"):
			if err := s.result(pkg, goos, text); err != nil {
				return fmt.Errorf("%s: %v", pos, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	return nil
}

// result takes one result line: name, iterations, then value-unit pairs. A
// line that holds only a name (a benchmark that logged before its result)
// is skipped.
func (s *resultSet) result(pkg, goos, text string) error {
	f := strings.Fields(text)
	if len(f) == 1 {
		return nil
	}
	if len(f) < 4 || len(f)%2 != 0 {
		return fmt.Errorf("a result line has a name, an iteration count and value-unit pairs: %q", text)
	}
	if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
		return fmt.Errorf("iteration count %q is not an integer", f[1])
	}
	name := trimProcs(strings.TrimPrefix(f[0], "Benchmark"))
	key := pkg + " " + name
	b := s.byKey[key]
	if b == nil {
		b = &benchmark{pkg: pkg, name: name, goos: goos, values: map[string][]float64{}}
		s.byKey[key] = b
		s.benchmarks = append(s.benchmarks, b)
	}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return fmt.Errorf("value %q (unit %s) is not a number", f[i], f[i+1])
		}
		unit := f[i+1]
		if _, seen := b.values[unit]; !seen {
			b.units = append(b.units, unit)
		}
		b.values[unit] = append(b.values[unit], v)
	}
	return nil
}

// isPair says whether the benchmark compares the model with the real
// binding: it reports a real-ns/ figure.
func (b *benchmark) isPair() bool {
	for _, u := range b.units {
		if strings.HasPrefix(u, "real-ns/") {
			return true
		}
	}
	return false
}

// trimProcs drops the -GOMAXPROCS suffix go test puts after a name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
