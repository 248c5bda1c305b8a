package sim

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Profile is a named variant of the models: a Windows version, or another
// implementation such as Wine, whose documented or observed differences the
// families declare as Settings.
type Profile struct {
	Name        string
	Description string
	// index is the profile's place in profiles, from 1; 0 for a Profile
	// made by hand, which settings look up by name.
	index int
}

// DefaultProfile is the profile a Machine uses when none is named.
const DefaultProfile = "win8"

// profiles is the one place where profile names are declared.
var profiles = []Profile{
	{"win8", "Windows 8 and later (the default): the behavior current Windows shows.", 1},
	{"win7", "Windows Vista and 7: the behavior recorded for the older SCM in Wine's conformance tests.", 2},
	{"wine-8.0", "Wine 8.0 as packaged by Debian bookworm: the second implementation CI runs the real binding against.", 3},
}

// Profiles lists the known profiles.
func Profiles() []Profile { return append([]Profile(nil), profiles...) }

// LookupProfile returns the profile with the given name.
func LookupProfile(name string) (Profile, error) {
	names := make([]string, 0, len(profiles))
	for _, p := range profiles {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(names, ", "))
}

// Setting is one declared difference between profiles: a behavior where
// Windows versions differ, where Wine deviates, or where the model had to
// choose because the docs are silent. It is declared once, with its reason and
// source, next to the code that consults it.
type Setting[T comparable] struct {
	// ID names the setting, e.g. "scm.notify.second-registration".
	ID string
	// Reason says why profiles differ here.
	Reason string
	// Source names the evidence.
	Source string
	// Evidence says how strong the evidence for the win8 side (Default,
	// or the win8 entry of ByProfile) is. Every setting states one.
	Evidence Evidence
	// Default is the value for every profile not listed in ByProfile.
	Default T
	// ByProfile overrides Default for some profiles.
	ByProfile map[string]T

	// byIndex holds the declared value for each known profile, by the
	// profile's index: In reads it instead of looking ByProfile up by
	// name on every check. It is built from Default and ByProfile on first
	// use and never changes after; Default and ByProfile must not change
	// once the setting is in use.
	byIndex atomic.Pointer[[]T]
}

// In returns the value of s under profile p: the declared one, or, in a
// fault build while the setting kill run overrides s, the value it put in
// its place. For a profile of Profiles (and a machine's profile is one) it
// is an index into a table, not a map lookup.
func (s *Setting[T]) In(p Profile) T {
	if v, ok := settingOverride(s.ID); ok {
		if t, ok := v.(T); ok {
			return t
		}
	}
	if p.index == 0 {
		return s.declared(p)
	}
	values := s.byIndex.Load()
	if values == nil {
		values = s.tabulate()
	}
	return (*values)[p.index-1]
}

// tabulate builds and stores the table of In. Two goroutines may both
// build it; they store equal tables.
func (s *Setting[T]) tabulate() *[]T {
	values := make([]T, len(profiles))
	for i, p := range profiles {
		values[i] = s.declared(p)
	}
	s.byIndex.Store(&values)
	return &values
}

// declared returns the value s declares for profile p.
func (s *Setting[T]) declared(p Profile) T {
	if v, ok := s.ByProfile[p.Name]; ok {
		return v
	}
	return s.Default
}

// Describe lists the setting's declared value for every profile, for
// documentation. An override of the fault build never shows here.
func (s *Setting[T]) Describe() SettingInfo {
	info := SettingInfo{ID: s.ID, Reason: s.Reason, Source: s.Source, Evidence: s.Evidence, Values: map[string]string{}, typed: map[string]any{}}
	for _, p := range profiles {
		v := s.declared(p)
		info.Values[p.Name] = fmt.Sprint(v)
		info.typed[p.Name] = v
	}
	return info
}

// SettingInfo is the profile-independent description of a Setting.
type SettingInfo struct {
	ID       string
	Reason   string
	Source   string
	Evidence Evidence          // of the win8 side
	Values   map[string]string // profile name -> value
	typed    map[string]any    // profile name -> value, of the setting's type
}

// Alternatives returns the values that could stand in place of the
// setting's value under profile: each value another profile declares, for
// a bool the other value (also where every profile declares the same), and
// for a duration or an integer also one unit either side of its own (a
// duration's unit is the largest of h, min, s, ms, µs, ns that divides
// it). The setting kill run puts each in place and requires the suite to
// notice. The values have the setting's own type.
func (s SettingInfo) Alternatives(profile string) []any {
	own, ok := s.typed[profile]
	if !ok {
		return nil
	}
	var out []any
	add := func(v any) {
		if v != own && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, p := range profiles {
		if v, ok := s.typed[p.Name]; ok {
			add(v)
		}
	}
	switch v := own.(type) {
	case bool:
		add(!v)
	case time.Duration:
		unit := time.Nanosecond
		for _, u := range []time.Duration{time.Hour, time.Minute, time.Second, time.Millisecond, time.Microsecond} {
			if v%u == 0 {
				unit = u
				break
			}
		}
		if v-unit >= 0 {
			add(v - unit)
		}
		add(v + unit)
	case int:
		if v > 0 {
			add(v - 1)
		}
		add(v + 1)
	}
	return out
}

// String formats the setting for listings.
func (s SettingInfo) String() string {
	names := make([]string, 0, len(s.Values))
	for n := range s.Values {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s [%s]\n  win8 evidence: %s", s.ID, s.Reason, s.Source, s.Evidence)
	for _, n := range names {
		fmt.Fprintf(&b, "\n  %s = %s", n, s.Values[n])
	}
	return b.String()
}
