package scenario

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"go.yaml.in/yaml/v3"
)

// largeSizes are the step counts the large-scenario benchmarks run at.
var largeSizes = []int{10000, 100000, 1000000}

// reportPerStep reports ns/step and B/step (bytes allocated) over the b.N
// runs of a scenario of steps steps; before is the MemStats at the start.
func reportPerStep(b *testing.B, steps int, before *runtime.MemStats) {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(steps)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/step")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/step")
}

// BenchmarkLargeDecode decodes the registry cycle's large scenario as
// simrun validate does (Validate: no step kept), next to a bare parse of
// the same file into one yaml.Node tree, the YAML library's own speed.
func BenchmarkLargeDecode(b *testing.B) {
	env := completeEnv(NewEnv(Catalog()))
	for _, n := range largeSizes {
		var buf bytes.Buffer
		if err := writeLargeScenario(&buf, largeCycles[0], n); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("steps=%d/decode", n), func(b *testing.B) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := decodeFile("large.yaml", data, env, streamHooks{}); err != nil {
					b.Fatal(err)
				}
			}
			reportPerStep(b, n, &before)
		})
		b.Run(fmt.Sprintf("steps=%d/bare-parse", n), func(b *testing.B) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				var doc yaml.Node
				if err := yaml.Unmarshal(data, &doc); err != nil {
					b.Fatal(err)
				}
			}
			reportPerStep(b, n, &before)
		})
	}
}

// BenchmarkLargeRun runs each cycle's large scenario on the model as
// simrun run does (RunFile, each step run as it is decoded, trace off).
func BenchmarkLargeRun(b *testing.B) {
	env := NewEnv(Catalog())
	dir := b.TempDir()
	for _, c := range largeCycles {
		for _, n := range largeSizes {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.yaml", c.name, n))
			var buf bytes.Buffer
			if err := writeLargeScenario(&buf, c, n); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/steps=%d", c.name, n), func(b *testing.B) {
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					_, res, err := RunFile(path, newModel, nil, Options{Env: env, Untraced: true})
					if err != nil || res.Outcome != Passed {
						b.Fatalf("%v %s", err, res.Message)
					}
				}
				reportPerStep(b, n, &before)
			})
		}
	}
}
