package scenario

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
)

// hiveIO is a hive_io step on SOFTWARE comparing the given counters (a
// flow mapping's inside), at column 5 of its line; the counters start at
// column 52.
func hiveIO(counters string) string {
	return "  - hive_io: {hive: '\\Registry\\Machine\\SOFTWARE', " + counters + "}\n"
}

// TestCountDecode checks what each good form of a count decodes to: the
// range of values it accepts, the range of increases, and the text
// messages give them.
func TestCountDecode(t *testing.T) {
	type rng struct {
		lo, hi uint64
		text   string
	}
	const max = math.MaxUint64
	for _, tc := range []struct {
		name         string
		writes       string
		value, added *rng
	}{
		{"exact", "4", &rng{4, 4, "4"}, nil},
		{"exact zero", "0", &rng{0, 0, "0"}, nil},
		{"exact hex", "0x10", &rng{16, 16, "16"}, nil},
		{"plus sign is the number", "+1", &rng{1, 1, "1"}, nil},
		{"largest", "18446744073709551615", &rng{max, max, "18446744073709551615"}, nil},
		{"at_least", "{at_least: 2}", &rng{2, max, "at least 2"}, nil},
		{"more_than", "{more_than: 2}", &rng{3, max, "more than 2"}, nil},
		{"at_most", "{at_most: 2}", &rng{0, 2, "at most 2"}, nil},
		{"less_than", "{less_than: 2}", &rng{0, 1, "less than 2"}, nil},
		{"two bounds", "{more_than: 1, at_most: 3}", &rng{2, 3, "more than 1 and at most 3"}, nil},
		{"bounds in any order", "{less_than: 9, at_least: 1}", &rng{1, 8, "at least 1 and less than 9"}, nil},
		{"one value left", "{at_least: 3, at_most: 3}", &rng{3, 3, "at least 3 and at most 3"}, nil},
		{"more_than just below the largest", "{more_than: 18446744073709551614}", &rng{max, max, "more than 18446744073709551614"}, nil},
		{"at_least 0 with an upper bound", "{at_least: 0, at_most: 5}", &rng{0, 5, "at least 0 and at most 5"}, nil},
		{"added exactly", "{added: 0}", nil, &rng{0, 0, "0"}},
		{"added bounds", "{added: {at_least: 1}}", nil, &rng{1, max, "at least 1"}},
		{"added range", "{added: {more_than: 0, less_than: 3}}", nil, &rng{1, 2, "more than 0 and less than 3"}},
		{"value and added", "{at_least: 4, added: 2}", &rng{4, max, "at least 4"}, &rng{2, 2, "2"}},
		{"block style", "\n        at_least: 1\n        added:\n          at_most: 3\n", &rng{1, max, "at least 1"}, &rng{0, 3, "at most 3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step := hiveIO("writes: " + tc.writes)
			if strings.HasPrefix(tc.writes, "\n") {
				step = "  - hive_io:\n      hive: '\\Registry\\Machine\\SOFTWARE'\n      writes:" + tc.writes
			}
			s := mustParse(t, "t.yaml", head+step)
			c, ok := s.Steps[0].args.get("writes").(countCheck)
			require.True(t, ok, "decoded to %T", s.Steps[0].args.get("writes"))
			check := func(what string, want *rng, got *countRange) {
				if want == nil {
					assert.Nil(t, got, what)
					return
				}
				require.NotNil(t, got, what)
				assert.Equal(t, *want, rng{got.lo, got.hi, got.text}, what)
			}
			check("value", tc.value, c.value)
			check("added", tc.added, c.added)
		})
	}
}

// TestCountDecodeErrors checks the message and position of each malformed
// count: a wrong kind of value (with the mapping that says what an
// operator string meant), misspelt keys, bounds that clash, and ranges
// that cannot fail or cannot pass.
func TestCountDecodeErrors(t *testing.T) {
	const forms = "want a count (a non-negative integer) or a comparison such as {at_least: 2} or {added: 1}"
	for _, tc := range []struct {
		name, counters string
		want           []string
	}{
		{"operator string", `writes: ">= 2"`, []string{`t.yaml:5:59: writes: ` + forms + `, got string ">= 2" (write {at_least: 2})`}},
		{"operator string, no space", `writes: ">2"`, []string{`t.yaml:5:59: writes: ` + forms + `, got string ">2" (write {more_than: 2})`}},
		{"at most", `writes: "<=2"`, []string{`(write {at_most: 2})`}},
		{"less", `writes: "< 2"`, []string{`(write {less_than: 2})`}},
		{"equals", `writes: "== 2"`, []string{`(write 2)`}},
		{"quoted difference", `writes: "+1"`, []string{`t.yaml:5:59: writes: ` + forms + `, got string "+1" (write {added: 1})`}},
		{"other string", `writes: many`, []string{`t.yaml:5:59: writes: ` + forms + `, got string "many"`}},
		{"negative", `writes: -1`, []string{`t.yaml:5:59: writes: want a non-negative integer, got -1`}},
		{"too large", `writes: 18446744073709551616`, []string{`t.yaml:5:59: writes: 18446744073709551616 does not fit in 64 bits`}},
		{"null", `writes: null`, []string{`t.yaml:5:59: writes: ` + forms + `, got null`}},
		{"list", `writes: [1]`, []string{`t.yaml:5:59: writes: ` + forms + `, got a sequence`}},
		{"float", `writes: 1.5`, []string{`t.yaml:5:59: writes: ` + forms + `, got number 1.5`}},
		{"misspelt key", `writes: {at_lest: 2}`, []string{`t.yaml:5:60: unknown field "at_lest" in writes (did you mean at_least?)`}},
		{"empty mapping", `writes: {}`, []string{`t.yaml:5:59: writes: give a bound (at_least, more_than, at_most, less_than) or added:`}},
		{"two lower bounds", `writes: {at_least: 1, more_than: 0}`, []string{`t.yaml:5:84: writes: at_least and more_than both bound it from below; keep one`}},
		{"two upper bounds", `writes: {at_most: 1, less_than: 3}`, []string{`t.yaml:5:83: writes: at_most and less_than both bound it from above; keep one`}},
		{"at_least 0 cannot fail", `writes: {at_least: 0}`, []string{`t.yaml:5:70: writes: at_least: 0 cannot fail: every count is at least 0`}},
		{"at_most the largest cannot fail", `writes: {at_most: 18446744073709551615}`, []string{`t.yaml:5:69: writes: at_most: 18446744073709551615 cannot fail: every count is at most 18446744073709551615`}},
		{"less_than 0 cannot pass", `writes: {less_than: 0}`, []string{`t.yaml:5:71: writes: less_than: 0 can never pass: no count is below 0`}},
		{"more_than the largest cannot pass", `writes: {more_than: 18446744073709551615}`, []string{`t.yaml:5:71: writes: more_than: 18446744073709551615 can never pass: no count is above the largest uint64`}},
		{"empty range", `writes: {at_least: 5, at_most: 3}`, []string{`t.yaml:5:82: writes: at_least: 5 and at_most: 3 leave no count that passes`}},
		{"empty range, strict", `writes: {more_than: 2, less_than: 4}`, nil},
		{"empty range, strict both", `writes: {more_than: 2, less_than: 3}`, []string{`t.yaml:5:85: writes: more_than: 2 and less_than: 3 leave no count that passes`}},
		{"added empty", `writes: {added: {}}`, []string{`t.yaml:5:67: writes.added: give a bound (at_least, more_than, at_most, less_than)`}},
		{"added string", `writes: {added: ">= 1"}`, []string{`t.yaml:5:67: writes.added: want an increase (a non-negative integer) or bounds such as {at_least: 1}, got string ">= 1" (write {at_least: 1})`}},
		{"added negative", `writes: {added: -1}`, []string{`t.yaml:5:67: writes.added: want a non-negative integer, got -1`}},
		{"added nested", `writes: {added: {added: 1}}`, []string{`t.yaml:5:68: unknown field "added" in writes.added`}},
		{"added misspelt bound", `writes: {added: {more_then: 1}}`, []string{`t.yaml:5:68: unknown field "more_then" in writes.added (did you mean more_than?)`}},
		{"added cannot fail", `writes: {added: {at_least: 0}}`, []string{`t.yaml:5:78: writes.added: at_least: 0 cannot fail: every count is at least 0`}},
		{"misspelt added", `writes: {adds: 1}`, []string{`t.yaml:5:60: unknown field "adds" in writes (did you mean added?)`}},
		{"several counters, each reported", `writes: ">1", barriers: {at_least: 0}`, []string{
			`t.yaml:5:59: writes: ` + forms + `, got string ">1" (write {more_than: 1})`,
			`t.yaml:5:86: barriers: at_least: 0 cannot fail: every count is at least 0`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(head+hiveIO(tc.counters)), testEnv())
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			list := err.(ErrorList)
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			require.Len(t, got, len(tc.want), "%s", err)
			for i, w := range tc.want {
				if strings.HasPrefix(w, "t.yaml:") {
					assert.Equal(t, w, got[i])
				} else {
					assert.Contains(t, got[i], w)
				}
			}
		})
	}
}

// TestCountCheck runs hive_io against the model at the boundaries of each
// comparison. One NtFlushKey of one key with a DWORD leaves SOFTWARE at
// flushes=1 keys=1 value-bytes=4 writes=4 barriers=4; a second flush after
// a change adds 1 flush and 4 writes, a clean one adds nothing.
func TestCountCheck(t *testing.T) {
	const (
		setUp = "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\App', access: KEY_ALL_ACCESS}\n    as: k\n" +
			"  - NtSetValueKey: {key: k, name: V, dword: 7}\n  - NtFlushKey: {key: k}\n"
		change = "  - NtSetValueKey: {key: k, name: V, dword: 8}\n  - NtFlushKey: {key: k}\n"
		clean  = "  - NtFlushKey: {key: k}\n"
		stats  = " (flushes=%d keys=%d value-bytes=%d writes=%d barriers=%d)"
	)
	for _, tc := range []struct {
		name  string
		steps string
		want  string // the failure, "" to pass
	}{
		{"exact", hiveIO("writes: 4"), ""},
		{"exact, off by one", hiveIO("writes: 5"), `writes: got 4, want 5`},
		{"at_least at the boundary", hiveIO("writes: {at_least: 4}"), ""},
		{"at_least one above", hiveIO("writes: {at_least: 5}"), `writes: got 4, want at least 5`},
		{"more_than one below", hiveIO("writes: {more_than: 3}"), ""},
		{"more_than at the boundary", hiveIO("writes: {more_than: 4}"), `writes: got 4, want more than 4`},
		{"at_most at the boundary", hiveIO("writes: {at_most: 4}"), ""},
		{"at_most one below", hiveIO("writes: {at_most: 3}"), `writes: got 4, want at most 3`},
		{"less_than one above", hiveIO("writes: {less_than: 5}"), ""},
		{"less_than at the boundary", hiveIO("writes: {less_than: 4}"), `writes: got 4, want less than 4`},
		{"range holding it", hiveIO("writes: {more_than: 3, less_than: 5}"), ""},
		{"range above it", hiveIO("writes: {at_least: 5, at_most: 9}"), `writes: got 4, want at least 5 and at most 9`},
		{"first added counts from the start", hiveIO("writes: {added: 4}"), ""},
		{"first added, off by one", hiveIO("writes: {added: 3}"),
			`writes: added 4 since the start (from 0 to 4), want added 3`},
		{"added by a change", hiveIO("writes: 4") + change + hiveIO("writes: {added: 4}"), ""},
		{"added by a change, bounded", hiveIO("writes: 4") + change + hiveIO("writes: {added: {at_least: 4}}"), ""},
		{"added by a change, bound just above", hiveIO("writes: 4") + change + hiveIO("writes: {added: {more_than: 4}}"),
			`writes: added 4 since the check at line 9 (from 4 to 8), want added more than 4`},
		{"clean flush adds nothing", hiveIO("writes: 4, flushes: 1") + clean + hiveIO("writes: {added: 0}, flushes: {added: 0}"), ""},
		{"clean flush, added wanted", hiveIO("writes: 4") + clean + hiveIO("writes: {added: {at_least: 1}}"),
			`writes: added 0 since the check at line 9 (from 4 to 4), want added at least 1`},
		{"base is the same counter's last check", hiveIO("writes: 4") + change + hiveIO("flushes: 2") + clean + change + hiveIO("writes: {added: 8}"), ""},
		{"a failing check is the base too", hiveIO("barriers: 4") + change + hiveIO("barriers: {added: 3}"),
			`barriers: added 4 since the check at line 9 (from 4 to 8), want added 3`},
		{"hive names compare case-insensitively", hiveIO("writes: 4") + change +
			"  - hive_io: {hive: '\\REGISTRY\\machine\\Software', writes: {added: 4}}\n", ""},
		{"each hive has its own base", hiveIO("writes: 4") +
			"  - hive_io: {hive: '\\Registry\\Machine\\SYSTEM', writes: {added: 0}}\n" + change + hiveIO("writes: {added: 4}"), ""},
		{"value and added both fail", hiveIO("writes: 4") + clean + hiveIO("writes: {at_least: 5, added: 1}"),
			`writes: got 4, want at least 5; writes: added 0 since the check at line 9 (from 4 to 4), want added 1` + " (flushes=1 keys=1 value-bytes=4 writes=4 barriers=4)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, "t.yaml", head+setUp+tc.steps)
			b, err := model.New("", 1)
			require.NoError(t, err)
			res := Run(s, b, nil)
			if tc.want == "" {
				assert.Equal(t, Passed, res.Outcome, res.Message)
				return
			}
			assert.Equal(t, Failed, res.Outcome)
			assert.Contains(t, res.Message, tc.want)
		})
	}
}

// TestCountSummary: a step's summary in failure messages writes a
// comparison out instead of "{...}".
func TestCountSummary(t *testing.T) {
	s := mustParse(t, "t.yaml", head+hiveIO("writes: {at_least: 1, added: {at_most: 2}}, flushes: 3"))
	assert.Equal(t, `hive_io(\Registry\Machine\SOFTWARE, 3, {at_least: 1, added: {at_most: 2}})`, s.Steps[0].String())
}
