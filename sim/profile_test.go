package sim

import (
	"time"

	"testing"

	"github.com/stretchr/testify/require"
)

// TestProfiles encodes the profile list: win8 (the default), win7 and
// wine-8.0, each with a description, DefaultProfile among them, and Profiles
// returning a copy.
func TestProfiles(t *testing.T) {
	ps := Profiles()
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
		require.NotEmpty(t, p.Description, p.Name)
	}
	require.Equal(t, []string{"win8", "win7", "wine-8.0"}, names)
	require.Equal(t, "win8", DefaultProfile)
	require.Contains(t, names, DefaultProfile)

	ps[0].Name = "changed"
	require.Equal(t, "win8", Profiles()[0].Name, "Profiles returns a copy")
}

// TestLookupProfile encodes LookupProfile: an exact, case-sensitive name
// finds its profile; any other fails with an error that lists every known
// name.
func TestLookupProfile(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"win8", ""},
		{"win7", ""},
		{"wine-8.0", ""},
		{"", `unknown profile "" (known: win8, win7, wine-8.0)`},
		{"Win8", `unknown profile "Win8" (known: win8, win7, wine-8.0)`},
		{"wine", `unknown profile "wine" (known: win8, win7, wine-8.0)`},
		{"win8 ", `unknown profile "win8 " (known: win8, win7, wine-8.0)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := LookupProfile(tt.name)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				require.Equal(t, Profile{}, p)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.name, p.Name)
			require.NotEmpty(t, p.Description)
		})
	}
}

// TestSettingIn encodes Setting.In: a profile listed in ByProfile gets its
// override, every other profile gets Default (also with no overrides at all).
func TestSettingIn(t *testing.T) {
	s := Setting[int]{ID: "test.limit", Reason: "versions differ", Source: "DOC Test",
		Default: 10, ByProfile: map[string]int{"win7": 5, "wine-8.0": 0}}
	b := Setting[bool]{ID: "test.flag", Default: true}
	str := Setting[string]{ID: "test.mode", Default: "strict", ByProfile: map[string]string{"wine-8.0": "lenient"}}
	tests := []struct {
		profile string
		wantInt int
		wantStr string
	}{
		{"win8", 10, "strict"},
		{"win7", 5, "strict"},
		{"wine-8.0", 0, "lenient"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			p, err := LookupProfile(tt.profile)
			require.NoError(t, err)
			require.Equal(t, tt.wantInt, s.In(p), "an override of the zero value still counts")
			require.True(t, b.In(p))
			require.Equal(t, tt.wantStr, str.In(p))
		})
	}
	// A profile the setting does not know (not one of Profiles) gets Default.
	require.Equal(t, 10, s.In(Profile{Name: "win95"}))
	// The machine's profile is what families consult.
	m := MustNewMachine(Options{Profile: "win7"})
	require.Equal(t, 5, s.In(m.Profile()))
}

// TestSettingDescribe encodes Describe and SettingInfo.String: the setting's
// value under every profile, for documentation, listed by profile name.
func TestSettingDescribe(t *testing.T) {
	s := Setting[int]{ID: "test.limit", Reason: "versions differ", Source: "DOC Test",
		Evidence: Evidence{Class: Documented, Ref: "the Test page"},
		Default:  10, ByProfile: map[string]int{"win7": 5}}
	info := s.Describe()
	require.Equal(t, "test.limit", info.ID)
	require.Equal(t, "versions differ", info.Reason)
	require.Equal(t, "DOC Test", info.Source)
	require.Equal(t, map[string]string{"win8": "10", "win7": "5", "wine-8.0": "10"}, info.Values)
	require.Equal(t, Evidence{Class: Documented, Ref: "the Test page"}, info.Evidence)
	require.Equal(t, "test.limit: versions differ [DOC Test]\n  win8 evidence: documented: the Test page\n  win7 = 5\n  win8 = 10\n  wine-8.0 = 10", info.String())
}

// TestSettingAlternatives encodes what the setting kill run puts in place of
// a value: every other profile's value, the other bool (also where every
// profile agrees), and one unit either side of an integer or a duration
// (none below zero), each once and never the value itself.
func TestSettingAlternatives(t *testing.T) {
	for _, tc := range []struct {
		name    string
		info    SettingInfo
		profile string
		want    []any
	}{
		{"bool", (&Setting[bool]{ID: "b", Default: true, ByProfile: map[string]bool{"wine-8.0": false}}).Describe(), "win8", []any{false}},
		{"bool same everywhere", (&Setting[bool]{ID: "b", Default: true}).Describe(), "win8", []any{false}},
		{"int", (&Setting[int]{ID: "i", Default: 7, ByProfile: map[string]int{"wine-8.0": 0}}).Describe(), "win8", []any{0, 6, 8}},
		{"int zero", (&Setting[int]{ID: "i", Default: 7, ByProfile: map[string]int{"wine-8.0": 0}}).Describe(), "wine-8.0", []any{7, 1}},
		{"duration", (&Setting[time.Duration]{ID: "d", Default: 5 * time.Second, ByProfile: map[string]time.Duration{"wine-8.0": 30 * time.Second}}).Describe(), "win8",
			[]any{30 * time.Second, 4 * time.Second, 6 * time.Second}},
		{"duration of one unit", (&Setting[time.Duration]{ID: "d", Default: time.Second}).Describe(), "win8", []any{time.Duration(0), 2 * time.Second}},
		{"duration zero", (&Setting[time.Duration]{ID: "d"}).Describe(), "win8", []any{time.Hour}}, // never a negative duration
		{"duration in ms", (&Setting[time.Duration]{ID: "d", Default: 1500 * time.Millisecond}).Describe(), "win7", []any{1499 * time.Millisecond, 1501 * time.Millisecond}},
		{"status", (&Setting[NTStatus]{ID: "s", Default: STATUS_CANNOT_DELETE, ByProfile: map[string]NTStatus{"wine-8.0": STATUS_ACCESS_DENIED}}).Describe(), "wine-8.0", []any{STATUS_CANNOT_DELETE}},
		{"unknown profile", (&Setting[bool]{ID: "b"}).Describe(), "win95", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.info.Alternatives(tc.profile))
		})
	}
}
