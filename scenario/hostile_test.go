package scenario

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseHostile holds the decoder to the hostile inputs of issue 15: each
// document is refused with exactly these positioned messages.
func TestParseHostile(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{
			name: "inject api misspelt",
			doc:  head + "  - inject: {api: StartServce, code: ERROR_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:19: inject.api: "StartServce" takes no faults (did you mean StartService?); the calls that do: ` + faultCalls},
		},
		{
			name: "inject api a misspelt call that takes no faults",
			doc:  head + "  - inject: {api: CreateServce, code: ERROR_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:19: inject.api: "CreateServce" takes no faults (did you mean CreateService? it takes no faults either); the calls that do: ` + faultCalls},
		},
		{
			name: "inject api a call that takes no faults",
			doc:  head + "  - inject: {api: CreateService, code: ERROR_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:19: inject.api: "CreateService" takes no faults; the calls that do: ` + faultCalls},
		},
		{
			name: "inject NTSTATUS on a Win32 call",
			doc:  head + "  - inject: {api: StartService, code: STATUS_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:39: inject.code: STATUS_ACCESS_DENIED (0xC0000022) is of kind NTSTATUS, but StartService returns Win32 codes`},
		},
		{
			name: "inject Win32 on an NTSTATUS call",
			doc:  head + "  - inject: {api: NtFlushKey, code: ERROR_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:37: inject.code: ERROR_ACCESS_DENIED (5) is of kind Win32, but NtFlushKey returns NTSTATUS codes`},
		},
		{
			name: "inject Win32 on an NCrypt call",
			doc:  head + "  - inject: {api: NCryptOpenKey, code: ERROR_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:40: inject.code: ERROR_ACCESS_DENIED (5) is of kind Win32, but NCryptOpenKey returns HRESULT codes`},
		},
		{
			name: "inject NTSTATUS on a CryptoAPI call",
			doc:  head + "  - inject: {api: CryptAcquireContext, code: STATUS_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:46: inject.code: STATUS_ACCESS_DENIED (0xC0000022) is of kind NTSTATUS, but CryptAcquireContext returns Win32 or HRESULT codes`},
		},
		{
			name: "invalid UTF-8",
			doc:  head + "  - SleepEx: {ms: 1}\n  # caf\xe9\n",
			want: []string{`t.yaml:6:8: not valid YAML: invalid UTF-8 (byte 0xe9): a scenario file is UTF-8 text`},
		},
		{
			name: "NUL byte",
			doc:  head + "  - SleepEx: {ms: 1\x00}\n",
			want: []string{`t.yaml:5:20: not valid YAML: a NUL byte: a scenario file is text`},
		},
		{
			name: "tab indentation",
			doc:  head + "  - SleepEx:\n  \tms: 1\n",
			want: []string{`t.yaml:6:3: not valid YAML: a tab in the indentation: YAML indents with spaces`},
		},
		{
			name: "other syntax error, near a line",
			doc:  head + "  - SleepEx: {ms: 1\n",
			want: []string{`t.yaml:4: not valid YAML near line 4: did not find expected ',' or '}'; line 4 reads "steps:"`},
		},
		{
			name: "a long line is cut",
			doc:  "version: 1\ndescription: " + strings.Repeat("x", 100) + ": [\n",
			want: []string{`t.yaml:2: not valid YAML near line 2: mapping values are not allowed in this context; line 2 reads "description: ` + strings.Repeat("x", 47) + `"…`},
		},
		{
			name: "duplicate covers",
			doc:  "version: 1\ndescription: x\ncovers: [a.b, a.b]\nsteps:\n  - SleepEx: {ms: 1}\n",
			want: []string{`t.yaml:3:15: covers[1]: a.b is listed twice (first at covers[0], line 3)`},
		},
		{
			name: "binary tag",
			doc:  head + "  - SleepEx: {ms: !!binary AQI=}\n",
			want: []string{`t.yaml:5:19: the YAML tag "!!binary" is not supported: write the value plainly`},
		},
		{
			name: "local tag",
			doc:  head + "  - SleepEx: !foo {ms: 1}\n",
			want: []string{`t.yaml:5:14: the YAML tag "!foo" is not supported: write the value plainly`},
		},
		{
			name: "NUL in a service name",
			doc:  head + "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n  - CreateService: {scm: scm, name: \"svc\\0evil\", access: SERVICE_ALL_ACCESS}\n",
			want: []string{`t.yaml:7:37: name: "svc\x00evil" holds a NUL character (at byte 3), which no name or value here may`},
		},
		{
			name: "a long name is cut",
			doc:  head + "  - inject: {api: " + strings.Repeat("A", 1000) + ", code: ERROR_ACCESS_DENIED}\n",
			want: []string{`t.yaml:5:19: inject.api: "` + strings.Repeat("A", 80) + `"…(1000 bytes) takes no faults; the calls that do: ` + faultCalls},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tc.doc), testEnv())
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, tc.want, strings.Split(err.Error(), "\n"))
		})
	}
}

// faultCalls is the list of the calls that take faults, as messages give it.
const faultCalls = "ControlService, CryptAcquireContext, CryptReleaseContext, NCryptCreatePersistedKey, NCryptOpenKey, NCryptOpenStorageProvider, NtFlushKey, StartService"

// TestParseInjectAccepted keeps the check from refusing what can fire.
func TestParseInjectAccepted(t *testing.T) {
	for _, line := range []string{
		"{api: StartService, code: ERROR_SERVICE_LOGON_FAILED}",
		"{api: NtFlushKey, code: STATUS_REGISTRY_IO_FAILED}",
		"{api: NCryptOpenKey, code: NTE_NO_MEMORY}",
		"{api: CryptAcquireContext, code: ERROR_FILE_NOT_FOUND}",
		"{api: CryptAcquireContext, code: NTE_BAD_KEYSET_PARAM}",
	} {
		_, err := Parse("t.yaml", []byte(head+"  - inject: "+line+"\n"), testEnv())
		assert.NoError(t, err, line)
	}
}

func TestQuoteName(t *testing.T) {
	long := strings.Repeat("é", 100)
	tests := []struct{ in, want string }{
		{"svc", `"svc"`},
		{"a\nb", `"a\nb"`},
		{"a\x00b", `"a\x00b"`},
		{long, `"` + strings.Repeat("é", 80) + `"…(200 bytes)`},
		{strings.Repeat("x", 80), `"` + strings.Repeat("x", 80) + `"`},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, quoteName(tc.in))
	}
}

func TestParseDurationOutOfRange(t *testing.T) {
	tests := []struct{ val, want string }{
		{"99999999999h", `t.yaml:5:14: advance: "99999999999h" is out of range: a duration is at most 2562047h47m16.854775807s (about 292 years, the virtual clock's whole range)`},
		{"2562048h", `t.yaml:5:14: advance: "2562048h" is out of range: a duration is at most 2562047h47m16.854775807s (about 292 years, the virtual clock's whole range)`},
		{"5x", `t.yaml:5:14: advance: want a duration such as 200ms or 5s, got string "5x"`},
	}
	for _, tc := range tests {
		_, err := Parse("t.yaml", []byte(head+"  - advance: "+tc.val+"\n"), testEnv())
		require.Error(t, err, tc.val)
		assert.Equal(t, tc.want, err.Error())
	}
}
