package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/winsim/winsim/scenario"
)

// Regression writes a failing run as a scenario file that replays it: each
// action, up to and including the one that disagreed with the oracle, as a
// step carrying the oracle's prediction (want:, expect:, callbacks:,
// violations:). Replayed with simrun against the same backend, the scenario
// fails where the run did; once the backend is fixed it passes and can be
// kept under scenarios/regressions. It covers the catalog ids the failing
// action asserts.
func Regression(property, profile string, res Result) ([]byte, error) {
	if res.Err == nil {
		return nil, fmt.Errorf("conformance: the run did not fail; there is nothing to write")
	}
	ids := res.LastAsserted
	if len(ids) == 0 {
		ids = res.Asserted
	}
	covers := slices.Sorted(maps.Keys(ids))
	if len(covers) == 0 {
		return nil, fmt.Errorf("conformance: the failing run asserted no catalog id")
	}
	s := &scenario.Script{
		Description: fmt.Sprintf("Found by %s under %s, shrunk to %d actions:\n%s\n"+
			"Each step carries the result the conformance oracle predicts (the\n"+
			"documented behavior); the last steps are where the run disagreed.\n"+
			"Source: the rules of the covered catalog ids.",
			property, profile, res.Steps, wrap(res.Err.Error(), 72)),
		Covers:   covers,
		Profiles: []string{profile},
		Threads:  res.Threads,
		Steps:    res.Script,
	}
	return s.Marshal()
}

// wrap breaks text into lines of at most width characters.
func wrap(text string, width int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return strings.Join(append(lines, line), "\n")
}
