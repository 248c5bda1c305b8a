package scenario

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// appKey creates the key every registry case below works on, on lines 5
// and 6, with the DWORD value abc.
const appKey = head +
	"  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\App', access: KEY_ALL_ACCESS}\n    as: app\n" +
	"  - NtSetValueKey: {key: app, name: abc, dword: 7}\n"

// TestRecordExpectFields records registry scenarios on the model under one
// profile, as simrun record does a real system, and checks what the
// recording's expect: says and the verdict: every field given is written
// with what the call gave, a field the call gave nothing for is dropped,
// and a recording that differs from the baseline only as the profile
// declares is a declared deviation, not a failed run.
func TestRecordExpectFields(t *testing.T) {
	tests := []struct {
		name    string
		steps   string
		profile string
		verdict Verdict
		expect  string // the recorded expect: of the last step, as YAML flow; "" for none
	}{
		{"the same values", "  - NtEnumerateValueKey: {key: app, index: 0, class: KeyValueBasicInformation}\n    expect: {result_length: 18, name: abc, type: REG_DWORD}\n",
			"wine-8.0", Agree, "{result_length: 18, name: abc, type: REG_DWORD}"},
		{"a difference the profile declares", "  - NtEnumerateValueKey: {key: app, index: 0}\n    expect: {result_length: 32, data_offset: 28, data_length: 4, name: abc, dword: 7}\n",
			"wine-8.0", Deviation, "{result_length: 30, data_offset: 26, data_length: 4, name: abc, dword: 7}"},
		{"a buffer too short for the structure", "  - NtEnumerateValueKey: {key: app, index: 0, class: KeyValuePartialInformation, length: 4}\n    want: {win8: STATUS_BUFFER_TOO_SMALL, wine-8.0: STATUS_BUFFER_OVERFLOW, setting: hive.enumvalue.short-buffer-status}\n    expect: {result_length: 16, type: REG_DWORD, dword: 7}\n",
			"win8", Agree, "{result_length: 16}"},
		{"no field left", "  - NtEnumerateValueKey: {key: app, index: 0, class: KeyValuePartialInformation, length: 4}\n    want: {win8: STATUS_BUFFER_TOO_SMALL, wine-8.0: STATUS_BUFFER_OVERFLOW, setting: hive.enumvalue.short-buffer-status}\n    expect: {dword: 7}\n",
			"win8", Agree, ""},
		{"a key's information", "  - NtQueryKey: {key: app, class: KeyFullInformation}\n    expect: {values: 2, max_value_name_len: 6, class_offset: 0}\n",
			"win8", Agree, "{values: 1, max_value_name_len: 6, class_offset: 4294967295}"},
		{"a queried value", "  - NtQueryValueKey: {key: app, name: abc}\n    expect: {type: REG_QWORD, qword: 7}\n",
			"win8", Agree, "{type: REG_DWORD, hex: \"07000000\"}"},
		{"a disposition", "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\App', access: KEY_ALL_ACCESS}\n    expect: {disposition: REG_CREATED_NEW_KEY}\n",
			"win8", Agree, "{disposition: REG_OPENED_EXISTING_KEY}"},
	}
	env := testEnv()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			require.NoError(t, os.WriteFile(path, []byte(appKey+tt.steps), 0o644))
			s, err := Load(path, env)
			require.NoError(t, err)
			c, err := Check(s, tt.profile, sim.DefaultProfile, "the model", newModel, newModel, env)
			require.NoError(t, err)
			require.NotNil(t, c.Recording, c.Detail)
			assert.Equal(t, tt.verdict, c.Verdict, c.Detail)
			var doc struct {
				Steps []map[string]yaml.Node `yaml:"steps"`
			}
			require.NoError(t, yaml.Unmarshal(c.Recording, &doc))
			last := doc.Steps[len(doc.Steps)-1]
			x, ok := last["expect"]
			if tt.expect == "" {
				assert.False(t, ok, "expect: is left with no field, so it is dropped:\n%s", c.Recording)
				return
			}
			require.True(t, ok, "%s", c.Recording)
			x.Style = yaml.FlowStyle
			got, err := yaml.Marshal(&x)
			require.NoError(t, err)
			assert.Equal(t, tt.expect+"\n", string(got))
		})
	}
}

// TestDataNode: the data an expect: field can write back as the same
// bytes is written in that field's form; any other is refused (and
// recorded as hex:).
func TestDataNode(t *testing.T) {
	tests := []struct {
		field string
		data  []byte
		want  string // the node as YAML, "" when refused
	}{
		{"dword", []byte{7, 0, 0, 0}, "7"},
		{"dword", []byte{7, 0, 0, 0, 0, 0, 0, 0}, ""},
		{"qword", []byte{1, 0, 0, 0, 0, 0, 0, 0}, "1"},
		{"qword", []byte{1}, ""},
		{"string", utf16z("hé"), "hé"},
		{"string", []byte{'a', 0}, ""},
		{"string", append(utf16z("a"), utf16z("b")...), ""},
		{"multi", append(append(utf16z("a"), utf16z("bc")...), 0, 0), "[a, bc]"},
		{"multi", append(utf16z("a"), 0, 0), "[a]"},
		{"multi", append(append(append(utf16z("a"), utf16z("")...), utf16z("b")...), 0, 0), ""},
		{"multi", []byte{0, 0}, ""},
		{"hex", []byte{0xca, 0xfe}, "cafe"},
		{"hex", nil, `""`},
	}
	for _, tt := range tests {
		node, ok := dataNode(tt.field, tt.data)
		if tt.want == "" {
			assert.False(t, ok, "%s %x", tt.field, tt.data)
			continue
		}
		require.True(t, ok, "%s %x", tt.field, tt.data)
		got, err := yaml.Marshal(node)
		require.NoError(t, err)
		assert.Equal(t, tt.want+"\n", string(got), "%s %x", tt.field, tt.data)
	}
}
