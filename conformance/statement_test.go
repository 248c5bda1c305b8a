package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// modelSettings are the settings the models declare, each list with the
// family that registers it (each family registers its model's Settings()
// with the scenario runner).
func modelSettings() []struct {
	pkg      string
	settings []sim.SettingInfo
} {
	var out []struct {
		pkg      string
		settings []sim.SettingInfo
	}
	for _, f := range scenario.Families() {
		out = append(out, struct {
			pkg      string
			settings []sim.SettingInfo
		}{"the " + f.Name + " family's model", f.Settings})
	}
	return out
}

// statementDifferences lists, as messages naming both sources, every point
// where the oracle's statement (statements) and the models' settings
// (declared) disagree: a setting without a statement, a statement without a
// setting, and a value that differs under a profile.
func statementDifferences(stated []statement, declared []struct {
	pkg      string
	settings []sim.SettingInfo
}) []string {
	var out []string
	byID := map[string]statement{}
	for _, s := range stated {
		if _, dup := byID[s.id]; dup {
			out = append(out, fmt.Sprintf("%s is stated twice in conformance/statement.go", s.id))
		}
		byID[s.id] = s
	}
	seen := map[string]bool{}
	for _, d := range declared {
		for _, m := range d.settings {
			seen[m.ID] = true
			s, ok := byID[m.ID]
			if !ok {
				out = append(out, fmt.Sprintf("%s declares the setting %s (source: %s), but the oracle states nothing about it in conformance/statement.go", d.pkg, m.ID, m.Source))
				continue
			}
			for _, p := range sim.Profiles() {
				want, ok := s.value(p.Name)
				if !ok {
					out = append(out, fmt.Sprintf("%s under %s: conformance/statement.go states no value for that profile", m.ID, p.Name))
					continue
				}
				if got := m.Values[p.Name]; got != want {
					out = append(out, fmt.Sprintf("%s under %s: the model (%s) says %q, from %s; the oracle (conformance/statement.go) says %q, from %s",
						m.ID, p.Name, d.pkg, got, m.Source, want, s.source))
				}
			}
		}
	}
	for _, s := range stated {
		if !seen[s.id] {
			out = append(out, fmt.Sprintf("conformance/statement.go states %s (source: %s), but no model declares that setting", s.id, s.source))
		}
	}
	return out
}

// TestStatementMatchesModelSettings compares the oracle's statement of the
// profiles with the settings the models declare. The two are written
// separately, from the sources; a difference means one of them is wrong,
// and the message names both sources so that a reviewer can tell which.
func TestStatementMatchesModelSettings(t *testing.T) {
	diffs := statementDifferences(statements, modelSettings())
	require.Empty(t, diffs, "the oracle's statement and the models' settings differ:\n%s", strings.Join(diffs, "\n"))
}

// TestStatementDifferencesAreFound shows that the comparison can fail: each
// kind of difference, made on purpose in a copy of the statement, is
// reported with both sources.
func TestStatementDifferencesAreFound(t *testing.T) {
	flip := func(v string) string {
		if v == "true" {
			return "false"
		}
		return "true"
	}
	cases := []struct {
		name   string
		change func([]statement) []statement
		want   []string
	}{
		{"a win8 value flipped", func(s []statement) []statement {
			for i := range s {
				if s[i].id == "scm.control.dependents-checked" {
					s[i].win8 = flip(s[i].win8)
				}
			}
			return s
		}, []string{"scm.control.dependents-checked under win8", "the model (the scm family's model) says \"true\"", "the oracle (conformance/statement.go) says \"false\""}},
		{"a statement missing", func(s []statement) []statement {
			return s[1:]
		}, []string{"the kernel family's model declares the setting " + statements[0].id, "the oracle states nothing about it"}},
		{"a statement no model declares", func(s []statement) []statement {
			return append(s, statement{id: "scm.imaginary", win8: "true", win7: "true", wine80: "true", source: "nowhere"})
		}, []string{"conformance/statement.go states scm.imaginary (source: nowhere), but no model declares that setting"}},
		{"a statement twice", func(s []statement) []statement {
			return append(s, s[0])
		}, []string{statements[0].id + " is stated twice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diffs := statementDifferences(tc.change(append([]statement(nil), statements...)), modelSettings())
			require.Len(t, diffs, 1, "%q", diffs)
			for _, w := range tc.want {
				require.Contains(t, diffs[0], w)
			}
		})
	}
}
