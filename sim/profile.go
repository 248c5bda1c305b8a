package sim

import (
	"fmt"
	"sort"
	"strings"
)

// Profile is a named variant of the models: a Windows version, or another
// implementation such as Wine, whose documented or observed differences the
// families declare as Settings.
type Profile struct {
	Name        string
	Description string
}

// DefaultProfile is the profile a Machine uses when none is named.
const DefaultProfile = "win8"

// profiles is the one place where profile names are declared.
var profiles = []Profile{
	{"win8", "Windows 8 and later (the default): the behavior current Windows shows."},
	{"win7", "Windows Vista and 7: the behavior recorded for the older SCM in Wine's conformance tests."},
	{"wine-8.0", "Wine 8.0 as packaged by Debian bookworm: the second implementation CI runs the real binding against."},
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
	// Default is the value for every profile not listed in ByProfile.
	Default T
	// ByProfile overrides Default for some profiles.
	ByProfile map[string]T
}

// In returns the value of s under profile p.
func (s Setting[T]) In(p Profile) T {
	if v, ok := s.ByProfile[p.Name]; ok {
		return v
	}
	return s.Default
}

// Describe lists the setting's value for every profile, for documentation.
func (s Setting[T]) Describe() SettingInfo {
	info := SettingInfo{ID: s.ID, Reason: s.Reason, Source: s.Source, Values: map[string]string{}}
	for _, p := range profiles {
		info.Values[p.Name] = fmt.Sprint(s.In(p))
	}
	return info
}

// SettingInfo is the profile-independent description of a Setting.
type SettingInfo struct {
	ID     string
	Reason string
	Source string
	Values map[string]string // profile name -> value
}

// String formats the setting for listings.
func (s SettingInfo) String() string {
	names := make([]string, 0, len(s.Values))
	for n := range s.Values {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s [%s]", s.ID, s.Reason, s.Source)
	for _, n := range names {
		fmt.Fprintf(&b, "\n  %s = %s", n, s.Values[n])
	}
	return b.String()
}
