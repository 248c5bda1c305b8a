package scenario

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/win32"
)

func TestHiveParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		step string
		want string
	}{
		{"Win32 code for an NTSTATUS call", "  - NtFlushKey: {key: NULL}\n    want: ERROR_INVALID_HANDLE\n",
			`t.yaml:7:11: want: ERROR_INVALID_HANDLE is a Win32 value; this call returns an NTSTATUS (STATUS_*)`},
		{"NTSTATUS for RegFlushKey", "  - RegFlushKey: {hkey: NULL}\n    want: STATUS_INVALID_HANDLE\n",
			`t.yaml:7:11: want: STATUS_INVALID_HANDLE is an NTSTATUS value; a Win32 error code is expected here`},
		{"two data fields", "  - NtSetValueKey: {key: NULL, dword: 1, hex: '00'}\n",
			`NtSetValueKey: give one of string, multi, dword, qword, hex, not both dword and hex`},
		{"unknown predefined key", "  - RegFlushKey: {hkey: HKEY_LOCAL_MACHIN}\n",
			`hkey: unknown predefined key "HKEY_LOCAL_MACHIN" (did you mean HKEY_LOCAL_MACHINE?)`},
		{"odd hex", "  - NtSetValueKey: {key: NULL, hex: abc}\n",
			`hex: want an even number of hex digits, got "abc"`},
		{"crash point 0", "  - crash: {at: 0}\n", `crash.at: points count from 1`},
		{"unknown crash policy", "  - crash: {unbarriered: maybe}\n", `unbarriered: want one of lose, keep, random, got "maybe"`},
		{"key access of another group", "  - NtOpenKey: {name: '\\Registry', access: SERVICE_ALL_ACCESS}\n",
			`access: unknown key-access constant "SERVICE_ALL_ACCESS" (did you mean KEY_ALL_ACCESS?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(head+"  - SleepEx: {ms: 0}\n"+tc.step), testEnv())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestValueData(t *testing.T) {
	vs := func(field string, v any) values {
		return values{{field, value{v: v, given: true}}}
	}
	for _, tc := range []struct {
		name string
		vs   values
		typ  uint32
		data []byte
	}{
		{"string", vs("string", "ab"), win32.REG_SZ, []byte{'a', 0, 'b', 0, 0, 0}},
		{"multi", vs("multi", []string{"a", "b"}), win32.REG_MULTI_SZ, []byte{'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0}},
		{"dword", vs("dword", uint32(0x01020304)), win32.REG_DWORD, []byte{4, 3, 2, 1}},
		{"qword", vs("qword", uint64(1)), win32.REG_QWORD, []byte{1, 0, 0, 0, 0, 0, 0, 0}},
		{"hex", vs("hex", []byte{0xaa}), win32.REG_BINARY, []byte{0xaa}},
		{"nothing", values{}, win32.REG_NONE, nil},
		{"type given", values{{"type", value{v: win32.REG_EXPAND_SZ, given: true}}, {"string", value{v: "", given: true}}}, win32.REG_EXPAND_SZ, []byte{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			typ, data, _ := valueData(tc.vs)
			assert.Equal(t, tc.typ, typ)
			assert.Equal(t, tc.data, data)
		})
	}
}

// TestHiveRunFailures runs registry steps against the model and checks
// the failure messages of each kind of mismatch.
func TestHiveRunFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		step string
		want string
	}{
		{"NTSTATUS mismatch", "  - NtFlushKey: {key: NULL}\n",
			`t.yaml:6:5: NtFlushKey(NULL): got STATUS_INVALID_HANDLE (0xC0000008), want STATUS_SUCCESS (0x00000000)`},
		{"disposition", "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE', access: KEY_READ}\n    expect: {disposition: REG_CREATED_NEW_KEY}\n",
			`disposition: got REG_OPENED_EXISTING_KEY (2), want REG_CREATED_NEW_KEY (1)`},
		{"value absent", "  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\Nope', dword: 1}\n",
			`reg_value(\Registry\Machine\SOFTWARE\Nope, 1): NtOpenKey(\Registry\Machine\SOFTWARE\Nope): STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)`},
		{"value present", "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\A', access: KEY_ALL_ACCESS}\n    as: a\n" +
			"  - NtSetValueKey: {key: a, name: v, dword: 2}\n  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\A', name: v, absent: true}\n",
			`value "v" of \Registry\Machine\SOFTWARE\A exists (REG_DWORD (4), 4 bytes 02000000), want it absent`},
		{"data", "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\A', access: KEY_ALL_ACCESS}\n    as: a\n" +
			"  - NtSetValueKey: {key: a, name: v, dword: 2}\n  - NtQueryValueKey: {key: a, name: v}\n    expect: {type: REG_SZ, dword: 3}\n",
			`type: got REG_DWORD (4), want REG_SZ (1); data: got 4 bytes 02000000, want 4 bytes 03000000`},
		{"counters", "  - hive_io: {hive: '\\Registry\\Machine\\SYSTEM', flushes: 1}\n",
			`flushes: got 0, want 1 (flushes=0 keys=0 value-bytes=0 writes=0 barriers=0)`},
		{"unknown hive", "  - hive_io: {hive: '\\Registry\\Machine\\NONE', flushes: 0}\n",
			`no hive is mounted at \Registry\Machine\NONE`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, "t.yaml", head+"  - SleepEx: {ms: 0}\n"+tc.step)
			b, err := model.New("", 1)
			require.NoError(t, err)
			res := Run(s, b, nil)
			assert.Equal(t, Failed, res.Outcome)
			assert.True(t, strings.Contains(res.Message, tc.want), "message %q lacks %q", res.Message, tc.want)
		})
	}
}
