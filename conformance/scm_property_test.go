package conformance

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/scenario"
)

// defaultSeed makes `go test ./...` explore the same sequences on every
// run, so that landing a change stays deterministic. -rapid.seed=0 (or
// RAPID_SEED=0) asks rapid for a random seed instead; any other value
// replaces this one.
const defaultSeed = 20240601

var regressions = flag.String("regressions", filepath.Join("..", "scenarios", "regressions"),
	`where a failing property writes its shrunk run as a scenario ("" writes none)`)

// defaultSteps is the average length of a run at the default depth: the
// SCM's interesting states (a service marked for delete while running with
// requests pending on two handles) take more than rapid's default 30.
const defaultSteps = 100

func TestMain(m *testing.M) {
	runAsService()
	flag.Parse()
	setDefault("rapid.seed", "RAPID_SEED", defaultSeed)
	setDefault("rapid.steps", "RAPID_STEPS", defaultSteps)
	os.Exit(m.Run())
}

// setDefault gives a rapid flag the suite's default unless the command line
// or the environment chose a value.
func setDefault(name, env string, value int) {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if _, ok := os.LookupEnv(env); given || ok {
		return
	}
	if err := flag.Set(name, strconv.Itoa(value)); err != nil {
		panic(err)
	}
}

// rapidChooser draws the generators' choices from rapid, so that a failing
// sequence shrinks (towards the first option of each choice). rapid's
// integers favor small values strongly; the remainder of a 64-bit draw
// spreads the options more evenly.
type rapidChooser struct{ t *rapid.T }

func (c rapidChooser) Intn(n int, label string) int {
	return int(rapid.Uint64().Draw(c.t, label) % uint64(n))
}

// TestProperty runs every registered family's property against the models
// under every profile: TestProperty/SCM/win8. Each run is a random sequence
// of the family's actions (the SCM's with the kernel's) on two threads; the
// oracle predicts every result.
func TestProperty(t *testing.T) {
	for _, f := range families {
		if f.property.Name == "" {
			continue
		}
		t.Run(f.name, func(t *testing.T) { familyProperty(t, f) })
	}
}

// writeFamilyRegression writes a failing run of a family's property as
// scenarios/regressions/property-<family>-<profile>.yaml.
func writeFamilyRegression(dir, family, profile string, res Result) string {
	data, err := Regression("TestProperty/"+family, profile, res)
	if err != nil {
		return fmt.Sprintf("\n(no regression scenario: %v)", err)
	}
	if dir == "" {
		return "\n" + string(data)
	}
	data = append([]byte(schemaModeline(dir)), data...)
	path := filepath.Join(dir, "property-"+strings.ToLower(family)+"-"+profile+".yaml")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("\n(no regression scenario: %v)", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Sprintf("\n(no regression scenario: %v)", err)
	}
	return fmt.Sprintf("\nreplay with: go run ./cmd/simrun run -profile %s %s", profile, filepath.ToSlash(path))
}

// schemaModeline is the first line of a regression scenario written to
// dir, as every bundled scenario has it: the yaml-language-server modeline
// naming the module's schema by its path from dir; "" when no path leads
// there.
func schemaModeline(dir string) string {
	schema, err := filepath.Abs(filepath.Join("..", filepath.FromSlash(scenario.SchemaFile)))
	if err != nil {
		return ""
	}
	from, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(from, schema)
	if err != nil {
		return ""
	}
	return scenario.SchemaModeline(filepath.ToSlash(rel)) + "\n"
}

// coverDepthReached says whether the runs were deep enough, or on the
// default seed, to hold a property to the ids it declares.
func coverDepthReached(t *testing.T) bool {
	checks := rapidFlag("rapid.checks")
	deterministic := rapidFlag("rapid.seed") == defaultSeed && checks >= 100
	return !testing.Short() && !t.Failed() && (deterministic || checks >= 1000)
}

// requireCovers fails when a declared id was never asserted, and logs the
// asserted ids the property does not declare.
func requireCovers(t *testing.T, family string, declared []string, ids map[string]bool) {
	t.Helper()
	var missing, extra []string
	for _, id := range declared {
		if !ids[id] {
			missing = append(missing, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if !slices.Contains(declared, id) {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		t.Logf("the property also asserted (not declared): %s", strings.Join(extra, ", "))
	}
	require.Empty(t, missing, "the %s property declares ids its runs never asserted", family)
}

func rapidFlag(name string) int {
	f := flag.Lookup(name)
	if f == nil {
		return 0
	}
	n, _ := strconv.Atoi(f.Value.String())
	return n
}
