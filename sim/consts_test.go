package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// testConsts is a small table shaped like the SCM's: a state group with one
// alias, and a flag group whose values are single bits plus a composite.
func testConsts(tb testing.TB) *ConstTable {
	tb.Helper()
	tab, err := NewConstTable(
		[]Const{
			{"SERVICE_STOPPED", 1, "state"},
			{"SERVICE_START_PENDING", 2, "state"},
			{"SERVICE_RUNNING", 4, "state"},
			{"SERVICE_ACTIVE", 4, "state"}, // an alias: same value, alphabetically first
		},
		[]Const{
			{"NOTIFY_STOPPED", 0x1, "mask"},
			{"NOTIFY_START_PENDING", 0x2, "mask"},
			{"NOTIFY_RUNNING", 0x8, "mask"},
			{"NOTIFY_CREATED", 0x80, "mask"},
			{"NOTIFY_ALL_STATES", 0x0B, "mask"}, // composite
		},
		[]Const{
			{"FLAG_NONE", 0, "flags"},
			{"FLAG_A", 0x1, "flags"},
			{"FLAG_B", 0x4, "flags"},
			// The same name in another group is a different constant.
			{"SERVICE_STOPPED", 0x100, "flags"},
		},
	)
	require.NoError(tb, err)
	return tab
}

// TestNewConstTable encodes NewConstTable: it fails when a name appears twice
// in a group (even with the same value), and accepts the same name in
// different groups and several names for one value.
func TestNewConstTable(t *testing.T) {
	tests := []struct {
		name    string
		lists   [][]Const
		wantErr string
	}{
		{"empty", nil, ""},
		{"same name, two groups", [][]Const{{{"X", 1, "a"}, {"X", 2, "b"}}}, ""},
		{"two names, one value", [][]Const{{{"X", 1, "a"}, {"Y", 1, "a"}}}, ""},
		{"duplicate in one list", [][]Const{{{"X", 1, "a"}, {"X", 2, "a"}}}, "constant X declared twice in group a"},
		{"duplicate across lists", [][]Const{{{"X", 1, "a"}}, {{"X", 1, "a"}}}, "constant X declared twice in group a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := NewConstTable(tt.lists...)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				require.Nil(t, tab)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, tab)
		})
	}
}

// TestConstLookupAndName encodes Lookup, Name and Names: Lookup finds a name
// within its group only; Name returns the alphabetically first name of a
// value, or "" when it has none; Names lists a group's names sorted.
func TestConstLookupAndName(t *testing.T) {
	tab := testConsts(t)
	lookups := []struct {
		group, name string
		want        uint32
		ok          bool
	}{
		{"state", "SERVICE_RUNNING", 4, true},
		{"state", "SERVICE_ACTIVE", 4, true},
		{"flags", "SERVICE_STOPPED", 0x100, true},
		{"state", "SERVICE_STOPPED", 1, true},
		{"state", "NOTIFY_RUNNING", 0, false},
		{"state", "service_running", 0, false},
		{"nosuchgroup", "SERVICE_RUNNING", 0, false},
	}
	for _, tt := range lookups {
		t.Run("Lookup "+tt.group+" "+tt.name, func(t *testing.T) {
			v, ok := tab.Lookup(tt.group, tt.name)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, v)
		})
	}
	names := []struct {
		group string
		value uint32
		want  string
	}{
		{"state", 1, "SERVICE_STOPPED"},
		{"state", 4, "SERVICE_ACTIVE"},
		{"state", 3, ""},
		{"flags", 0, "FLAG_NONE"},
		{"mask", 0, ""},
		{"nosuchgroup", 1, ""},
	}
	for _, tt := range names {
		t.Run("Name "+tt.group+" "+tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tab.Name(tt.group, tt.value))
		})
	}
	require.Equal(t, []string{"SERVICE_ACTIVE", "SERVICE_RUNNING", "SERVICE_START_PENDING", "SERVICE_STOPPED"}, tab.Names("state"))
	require.Empty(t, tab.Names("nosuchgroup"))
	ns := tab.Names("state")
	ns[0] = "changed"
	require.Equal(t, "SERVICE_ACTIVE", tab.Names("state")[0], "Names returns a copy")
}

// TestConstParse encodes Parse: names of the group joined by "|" (spaces
// around a name ignored) are ORed; numbers are not accepted; an unknown name
// fails, with a "did you mean" suggestion when one is close; an unknown group
// fails.
func TestConstParse(t *testing.T) {
	tab := testConsts(t)
	tests := []struct {
		group, expr string
		want        uint32
		wantErr     string
	}{
		{"state", "SERVICE_RUNNING", 4, ""},
		{"mask", "NOTIFY_STOPPED|NOTIFY_RUNNING", 0x9, ""},
		{"mask", " NOTIFY_STOPPED | NOTIFY_CREATED ", 0x81, ""},
		{"mask", "NOTIFY_ALL_STATES|NOTIFY_RUNNING", 0x0B, ""},
		{"mask", "NOTIFY_RUNNING|NOTIFY_RUNNING", 0x8, ""},
		{"flags", "FLAG_NONE", 0, ""},
		{"flags", "SERVICE_STOPPED", 0x100, ""},
		{"mask", "NOTIFY_RUNING", 0, `unknown mask constant "NOTIFY_RUNING" (did you mean NOTIFY_RUNNING?)`},
		{"mask", "notify_running", 0, `unknown mask constant "notify_running" (did you mean NOTIFY_RUNNING?)`},
		{"mask", "NOTIFY_STOPPED|NOTIFY_DELETED", 0, `unknown mask constant "NOTIFY_DELETED" (did you mean NOTIFY_CREATED?)`},
		{"mask", "XYZZY", 0, `unknown mask constant "XYZZY"`},
		{"mask", "0x8", 0, `unknown mask constant "0x8"`},
		{"mask", "8", 0, `unknown mask constant "8"`},
		{"mask", "", 0, `unknown mask constant ""`},
		{"mask", "NOTIFY_RUNNING|", 0, `unknown mask constant ""`},
		{"state", "NOTIFY_RUNNING", 0, `unknown state constant "NOTIFY_RUNNING"`},
		{"nosuchgroup", "X", 0, `no constants in group "nosuchgroup"`},
	}
	for _, tt := range tests {
		t.Run(tt.group+" "+tt.expr, func(t *testing.T) {
			v, err := tab.Parse(tt.group, tt.expr)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, v)
		})
	}
}

// TestConstFormat encodes Format: a value with a name prints as that name
// (the alphabetically first); otherwise as the group's single-bit names joined
// by "|", any leftover bits in hex; zero prints as the group's zero-valued
// name if it has one. The order of the names in a combination is
// TestConstFormatOrder's (see TestConstFormatZeroWithoutName for zero
// without a name).
func TestConstFormat(t *testing.T) {
	tab := testConsts(t)
	tests := []struct {
		group string
		value uint32
		want  []string // the "|"-separated parts, in any order
	}{
		{"state", 1, []string{"SERVICE_STOPPED"}},
		{"state", 4, []string{"SERVICE_ACTIVE"}},
		{"mask", 0x0B, []string{"NOTIFY_ALL_STATES"}},
		{"mask", 0x09, []string{"NOTIFY_STOPPED", "NOTIFY_RUNNING"}},
		{"mask", 0x81, []string{"NOTIFY_STOPPED", "NOTIFY_CREATED"}},
		{"mask", 0x8B, []string{"NOTIFY_STOPPED", "NOTIFY_START_PENDING", "NOTIFY_RUNNING", "NOTIFY_CREATED"}},
		{"mask", 0x108, []string{"NOTIFY_RUNNING", "0x100"}},
		{"mask", 0x80000000, []string{"0x80000000"}},
		{"flags", 0, []string{"FLAG_NONE"}},
		{"flags", 0x5, []string{"FLAG_A", "FLAG_B"}},
		{"flags", 0x105, []string{"FLAG_A", "FLAG_B", "SERVICE_STOPPED"}},
		{"flags", 0x12, []string{"0x12"}},
	}
	for _, tt := range tests {
		t.Run(tt.group+" "+tab.Format(tt.group, tt.value), func(t *testing.T) {
			got := tab.Format(tt.group, tt.value)
			require.ElementsMatch(t, tt.want, splitBar(got))
			// Whatever has only names parses back to the value.
			if v, err := tab.Parse(tt.group, got); err == nil {
				require.Equal(t, tt.value, v)
			}
		})
	}
}

// TestConstFormatOrder encodes the order Format documents for a
// combination: lowest bit first, whatever the alphabetical order of the
// names, and of two names for one bit the alphabetically first (the choice
// Name makes among aliases), leftover bits last.
func TestConstFormatOrder(t *testing.T) {
	tab, err := NewConstTable([]Const{
		{"A_BIT2", 0x4, "bits"},
		{"B_BIT0", 0x1, "bits"},
		{"Z_BIT1", 0x2, "bits"},
		{"Y_BIT1", 0x2, "bits"}, // an alias of Z_BIT1, alphabetically first
	})
	require.NoError(t, err)
	tests := []struct {
		value uint32
		want  string
	}{
		{0x3, "B_BIT0|Y_BIT1"},
		{0x5, "B_BIT0|A_BIT2"},
		{0x6, "Y_BIT1|A_BIT2"},
		{0x7, "B_BIT0|Y_BIT1|A_BIT2"},
		{0x1F, "B_BIT0|Y_BIT1|A_BIT2|0x18"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tab.Format("bits", tt.value))
			require.Equal(t, "Y_BIT1", tab.Name("bits", 0x2))
		})
	}
}

// TestConstFormatComposite: a composite name stands only for its exact
// value; bits it shares with no single-bit name print in hex.
func TestConstFormatComposite(t *testing.T) {
	tab, err := NewConstTable([]Const{{"A", 0x1, "g"}, {"AB", 0x3, "g"}})
	require.NoError(t, err)
	require.Equal(t, "AB", tab.Format("g", 0x3))
	require.Equal(t, "A|0x6", tab.Format("g", 0x7))
}

// TestConstFormatZeroWithoutName encodes Format's documented "Zero prints as
// the group's zero-valued name if it has one, else "0"".
//
// BUG: Format builds the fallback with fmt.Sprintf("%#x", rest), and Go's
// %#x prints 0 as "0x0", so Format("mask", 0) returns "0x0", not "0"
// (sim/consts.go, the `if rest != 0 || len(parts) == 0` branch).
func TestConstFormatZeroWithoutName(t *testing.T) {
	tab := testConsts(t)
	tests := []struct {
		group string
		want  string
	}{
		{"mask", "0"},
		{"state", "0"},
		{"nosuchgroup", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.group, func(t *testing.T) {
			require.Equal(t, tt.want, tab.Format(tt.group, 0))
		})
	}
}

func splitBar(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '|' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// TestNearest encodes Nearest, which gives Parse and ParseCode their
// suggestions: the closest candidate by case-insensitive edit distance, ties
// broken alphabetically, and none when the best is further than len/3+1.
func TestNearest(t *testing.T) {
	cands := []string{"SERVICE_RUNNING", "SERVICE_STOPPED", "SERVICE_PAUSED"}
	tests := []struct {
		in   string
		want string
	}{
		{"SERVICE_RUNNING", "SERVICE_RUNNING"},
		{"service_running", "SERVICE_RUNNING"},
		{"SERVICE_RUNING", "SERVICE_RUNNING"},
		{"SERVICE_PAUSE", "SERVICE_PAUSED"},
		{"SERVICE_STOP", "SERVICE_STOPPED"},
		{"XYZZY", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, Nearest(tt.in, cands))
		})
	}
	require.Empty(t, Nearest("X", nil))
	for _, order := range [][]string{{"AC", "AB"}, {"AB", "AC"}} {
		require.Equal(t, "AB", Nearest("A", order), "ties go to the alphabetically first, in any order of the candidates")
	}
}

// TestConstGroup checks the pair builder the families list their constants with.
func TestConstGroup(t *testing.T) {
	got := ConstGroup("g", "A", uint32(1), "B", uint32(2))
	require.Equal(t, []Const{{Name: "A", Value: 1, Group: "g"}, {Name: "B", Value: 2, Group: "g"}}, got)
	//lint:ignore SA5012 an odd count is the mistake this checks ConstGroup refuses
	require.Panics(t, func() { ConstGroup("g", "A") })
	require.Panics(t, func() { ConstGroup("g", "A", 1) }, "an untyped int is not a uint32")
	require.Panics(t, func() { ConstGroup("g", "A", uint16(1)) }, "a uint16 is not a uint32")
	type state uint32
	require.Equal(t, []Const{{Name: "S", Value: 7, Group: "g"}}, ConstGroup("g", "S", state(7)),
		"a type defined on uint32 is taken as its value")
}
