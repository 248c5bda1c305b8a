package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVacuousAssertions checks which assertions the decoder refuses because
// nothing before them can make them fail, and that it refuses no assertion
// that can.
func TestVacuousAssertions(t *testing.T) {
	const (
		createApp = "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\App', access: KEY_ALL_ACCESS}\n    as: k\n"
		setV      = "  - NtSetValueKey: {key: k, name: V, dword: 1}\n"
		setDef    = "  - NtSetValueKey: {key: k, dword: 1}\n"
		appGone   = "  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\App', absent: true}\n"
		vGone     = "  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\App', name: V, absent: true}\n"
		register  = "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n" +
			"  - CreateService: {scm: scm, name: s, access: SERVICE_ALL_ACCESS}\n    as: svc\n"
	)
	for _, tc := range []struct {
		name  string
		steps string
		want  string // "" when the scenario must load
	}{
		// The default value the scenario never wrote.
		{"default value never written", createApp + setV + "  - crash: {}\n" + appGone,
			`t.yaml:10:65: reg_value: absent: true without name: asserts only that the default (unnamed) value of \Registry\Machine\SOFTWARE\App is absent`},
		{"default value written", createApp + setDef + "  - crash: {}\n" + appGone, ""},
		{"default value written under another key", createApp + setDef +
			"  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\Other', absent: true}\n",
			`t.yaml:9:67: reg_value: absent: true without name`},
		// Named values.
		{"named value written", createApp + setV + "  - crash: {}\n" + vGone, ""},
		{"named value never written", createApp + setDef + vGone,
			`t.yaml:9:74: reg_value: absent: true cannot fail: no earlier step writes a value named "V" to \Registry\Machine\SOFTWARE\App`},
		{"names and paths compare case-insensitively", createApp + setV +
			"  - reg_value: {path: '\\REGISTRY\\machine\\Software\\app', name: v, absent: true}\n", ""},
		{"written only after the assertion", createApp + vGone + setV,
			`t.yaml:8:74: reg_value: absent: true cannot fail`},
		{"written under a key opened relative to a known one", createApp +
			"  - NtCreateKey: {root: k, name: Sub, access: KEY_ALL_ACCESS}\n    as: sub\n" +
			"  - NtSetValueKey: {key: sub, name: V, dword: 1}\n" +
			"  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\App\\Sub', name: V, absent: true}\n", ""},
		{"relative key is not its parent", createApp +
			"  - NtCreateKey: {root: k, name: Sub, access: KEY_ALL_ACCESS}\n    as: sub\n" +
			"  - NtSetValueKey: {key: sub, name: V, dword: 1}\n" + vGone,
			`t.yaml:11:74: reg_value: absent: true cannot fail`},
		{"a predefined key may be any key", "  - NtSetValueKey: {key: HKEY_CURRENT_USER, name: V, dword: 1}\n" + vGone, ""},
		{"written inside an earlier callback", register +
			createApp + "  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_STOPPED, buffer: n1, on_callback: [{NtSetValueKey: {key: k, name: V, dword: 1}}]}\n" +
			"  - SleepEx: {ms: 0, alertable: true}\n    want: WAIT_IO_COMPLETION\n  - callbacks: [{buffer: n1}]\n" + vGone, ""},
		{"an assertion inside a callback is not judged", register +
			"  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_STOPPED, buffer: n1, on_callback: [{reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\App', name: V, absent: true}}]}\n" +
			createApp + setV + "  - SleepEx: {ms: 0, alertable: true}\n    want: WAIT_IO_COMPLETION\n  - callbacks: [{buffer: n1}]\n", ""},
		{"type or data with absent", createApp + setV +
			"  - reg_value: {path: '\\Registry\\Machine\\SOFTWARE\\App', name: V, absent: true, dword: 1}\n",
			`t.yaml:9:87: reg_value: absent: true compares no type or data, so dword: would check nothing`},
		// hive_io.
		{"hive_io comparing nothing", "  - hive_io: {hive: '\\Registry\\Machine\\SOFTWARE'}\n",
			`t.yaml:6:21: hive_io: give at least one counter to compare (flushes, keys_written, value_bytes, writes, barriers)`},
		{"hive_io with nothing at all", "  - hive_io: {}\n", `t.yaml:6:5: hive_io: give at least one counter to compare`},
		{"hive_io comparing a counter", "  - hive_io: {hive: '\\Registry\\Machine\\SOFTWARE', flushes: 0}\n", ""},
		// callbacks.
		{"no callback before any registration", "  - callbacks: []\n",
			`t.yaml:6:16: callbacks: [] cannot fail: no earlier NotifyServiceStatusChange names a buffer`},
		{"a NULL buffer is never observed", register +
			"  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_STOPPED, buffer: null}\n    want: ERROR_INVALID_PARAMETER\n  - callbacks: []\n",
			`t.yaml:12:16: callbacks: [] cannot fail`},
		{"no callback after a registration", register +
			"  - NotifyServiceStatusChange: {service: svc, mask: SERVICE_NOTIFY_RUNNING, buffer: n1}\n  - callbacks: []\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(head+"  - SleepEx: {ms: 0}\n"+tc.steps), testEnv())
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
