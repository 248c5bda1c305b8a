//go:build winsim_faults

package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
)

// knownSettingSurvivors are the setting×profile×value triples (keyed as
// settingTriple.String prints them) that the suite does not notice when the
// model reads that value in place of the declared one, each with the reason.
// TestSettingKill fails when another triple survives, and when one listed
// here is caught or no longer exists (the list must stay true).
var knownSettingSurvivors = map[string]string{
	// Wine 8.0 answers every registration on an SCM handle with
	// ERROR_CALL_NOT_IMPLEMENTED (scm.notify.scm-handle-supported), so no
	// handle there ever holds a CREATED or DELETED event: the bound is never
	// reached, whatever its value.
	"scm.notify.lagging-bound@wine-8.0=15": "no SCM-handle registration under wine-8.0 (scm.notify.scm-handle-supported): nothing ever lags",
	"scm.notify.lagging-bound@wine-8.0=17": "no SCM-handle registration under wine-8.0 (scm.notify.scm-handle-supported): nothing ever lags",
	// Under wine-8.0 CreateService compares display names by Wine's own
	// rule (scm.create.display-checked-against-names is false there), a
	// path that never reads whether a shared display name is accepted;
	// that rule refuses one (create-duplicate-display-wine).
	"scm.create.display-name-shared@wine-8.0=true": "not read under wine-8.0: Wine's display-name comparison (scm.create.display-checked-against-names) decides instead",
	// Wine 8.0 makes RSA keys only (ksp.create.rsa-only), which refuses an
	// AES key after this setting has let it through: its wine-8.0 value
	// states what Wine does (ncrypt.c:301 is todo_wine) but cannot show.
	"ksp.create.aes-keys@wine-8.0=true": "under wine-8.0 ksp.create.rsa-only refuses AES whatever this setting says",
}

// settingRuns and settingSteps are the depth of the property's random runs
// for each overridden value, under the one profile: enough to reach every
// action the generators draw, shallow enough to keep the run short.
const (
	settingRuns  = 30
	settingSteps = 100
)

// settingRouteOrder is the order in which the setting kill run tries the
// routes; it stops at the first that fails. The scenarios go first: their
// expectations are written by hand, so a scenario that fails with a value
// pins the declared one (with that value declared, the scenario would fail
// with nothing overridden), while the checks and the property compare the
// model with the oracle, whose statement of the profiles keeps the declared
// values.
var settingRouteOrder = []string{routeScenarios, routeChecks, routeProperty}

// profileSettings lists every declared profile setting of every family.
func profileSettings() []sim.SettingInfo {
	var out []sim.SettingInfo
	for _, d := range modelSettings() {
		out = append(out, d.settings...)
	}
	return out
}

// settingTriple is one value put in place of a setting's declared value
// under one profile.
type settingTriple struct {
	id, profile string
	value       any
}

func (s settingTriple) String() string {
	return fmt.Sprintf("%s@%s=%v", s.id, s.profile, s.value)
}

// inOrder returns the routes named in order.
func inOrder(rs []route, order []string) []route {
	out := make([]route, 0, len(order))
	for _, name := range order {
		i := slices.IndexFunc(rs, func(r route) bool { return r.name == name })
		if i >= 0 {
			out = append(out, rs[i])
		}
	}
	return out
}

// firstFailure runs the routes in order and returns the name and message
// of the first that fails, or "", "".
func firstFailure(rs []route) (name, msg string) {
	for _, r := range rs {
		if msg := guarded(r.run); msg != "" {
			return r.name, msg
		}
	}
	return "", ""
}

// TestSettingKill puts in place of each profile setting, under each
// profile, each value SettingInfo.Alternatives lists (another profile's
// value, one unit either side of an integer or a duration), one at a time,
// and requires the setting's family's bundled scenarios, its checks, or its
// property's random runs, under that profile, to fail. The oracle reads its
// own statement (statement.go), so a check or a property run fails where
// the model's reading of the setting shows; a scenario fails where its
// hand-written expectations pin the declared value. Run it with
//
//	go test -tags winsim_faults -run TestSettingKill -v ./conformance
func TestSettingKill(t *testing.T) {
	t.Cleanup(func() { sim.OverrideSetting("", nil) })
	fams := killFamilies(t)
	byFamily := map[string][]sim.SettingInfo{}
	for _, s := range profileSettings() {
		i := slices.IndexFunc(fams, func(f killFamily) bool { return f.owns(s.ID) })
		if i < 0 {
			t.Errorf("setting %s belongs to no family of the kill run", s.ID)
			continue
		}
		byFamily[fams[i].name] = append(byFamily[fams[i].name], s)
	}
	var total, caught, pinned int
	var unexpected []string
	exists := map[string]bool{} // every triple the run could try
	for _, s := range profileSettings() {
		for _, p := range profilesOf(Options{}) {
			for _, v := range s.Alternatives(p) {
				exists[settingTriple{s.ID, p, v}.String()] = true
			}
		}
	}
	for key := range knownSettingSurvivors {
		if !exists[key] {
			unexpected = append(unexpected, key+" (listed as uncaught, but no setting, profile and value of that name exists)")
		}
	}
	for _, f := range fams {
		if len(byFamily[f.name]) == 0 {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			for _, p := range profilesOf(Options{}) {
				rs := inOrder(routes(t, f, routeScope{profiles: []string{p}, runs: settingRuns, steps: settingSteps}), settingRouteOrder)
				sim.OverrideSetting("", nil)
				if name, msg := firstFailure(rs); name != "" {
					t.Errorf("with every setting as declared, the %s under %s must pass: %s%s", name, p, firstLine(msg), suspects(rs, name, p))
					continue
				}
				for _, s := range byFamily[f.name] {
					for _, v := range s.Alternatives(p) {
						tr := settingTriple{s.ID, p, v}
						key := tr.String()
						total++
						sim.OverrideSetting(s.ID, v)
						name, msg := firstFailure(rs)
						sim.OverrideSetting("", nil)
						why, listed := knownSettingSurvivors[key]
						switch {
						case name != "":
							caught++
							if name == routeScenarios {
								pinned++
							}
							t.Logf("caught   %-70s by %-9s %s", key, name, firstLine(msg))
							if listed {
								unexpected = append(unexpected, key+" (listed as uncaught, but caught)")
							}
						case listed:
							t.Logf("UNCAUGHT %-70s %s", key, why)
						default:
							t.Logf("UNCAUGHT %-70s NOT LISTED", key)
							unexpected = append(unexpected, key)
						}
					}
				}
			}
		})
	}
	t.Logf("settings caught %d/%d (setting×profile×value), %d of them by the scenarios", caught, total, pinned)
	slices.Sort(unexpected)
	require.Empty(t, unexpected, "setting values the suite does not notice (or listed ones it now notices)")
}

// suspects names the settings (of any family) that, given another value
// under profile, make the failing route pass: when the route fails with
// every setting as declared, the likely culprit is a declared value the
// route's expectations disagree with.
func suspects(rs []route, failing, profile string) string {
	r := inOrder(rs, []string{failing})
	var out []string
	for _, s := range profileSettings() {
		for _, v := range s.Alternatives(profile) {
			sim.OverrideSetting(s.ID, v)
			name, _ := firstFailure(r)
			sim.OverrideSetting("", nil)
			if name == "" {
				out = append(out, fmt.Sprintf("%s = %v", s.ID, v))
			}
		}
	}
	if len(out) == 0 {
		return ""
	}
	return fmt.Sprintf("\n  it passes under %s with %s in place of the declared value: is the declaration wrong?", profile, strings.Join(out, ", or with "))
}
