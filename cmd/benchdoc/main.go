// Command benchdoc writes docs/benchmarks.md from the output of
// `go test -bench` (the text benchstat reads): issue 16's performance
// targets, each with its median and whether it is met; the time and
// allocations per call; the heap per object; the scaling curves of the
// benchmarks that take a size parameter (name=N); the model-vs-real-binding
// pairs measured under Wine; and the median and range of every metric of
// every benchmark.
//
// Usage:
//
//	bash .ci/bench          # runs the benchmarks, the peak RSS lines and the Wine pairs, then:
//	go run ./cmd/benchdoc -o docs/benchmarks.md docs/benchmarks.txt docs/benchmarks-wine.txt
//
// A file that is not benchmark output, or a failed run, is refused with its
// position and exit status 2. go test ./cmd/benchdoc checks that the
// committed document is what benchdoc writes from the committed inputs, and
// that those hold every benchmark of the module.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is main with its arguments and outputs, for tests.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchdoc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the document to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: benchdoc [-o FILE] BENCH-OUTPUT...")
		return 2
	}
	var set resultSet
	for _, path := range fs.Args() {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "benchdoc: %v\n", err)
			return 2
		}
		err = set.parse(path, f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "benchdoc: %v\n", err)
			return 2
		}
	}
	if len(set.benchmarks) == 0 {
		fmt.Fprintln(stderr, "benchdoc: no benchmark results in the input")
		return 2
	}
	doc := render(&set, fs.Args())
	if *out == "" {
		_, err := io.WriteString(stdout, doc)
		if err != nil {
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, []byte(doc), 0o644); err != nil {
		fmt.Fprintf(stderr, "benchdoc: %v\n", err)
		return 1
	}
	return 0
}
