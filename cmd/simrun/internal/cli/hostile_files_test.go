package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHostileInputs runs simrun's entry function on every hostile input of
// issue 15 committed under testdata/hostile: each exits with its code and
// prints exactly its positioned message, with nothing on stdout but the
// summary.
func TestHostileInputs(t *testing.T) {
	const faultCalls = "ControlService, CryptAcquireContext, CryptReleaseContext, NCryptCreatePersistedKey, NCryptOpenKey, NCryptOpenStorageProvider, NtFlushKey, StartService"
	tests := []struct {
		file, cmd string
		exit      int
		msg       string
	}{
		{"inject-typo.yaml", "validate", ExitInvalid, `:5:19: inject.api: "CreateServce" takes no faults (did you mean CreateService? it takes no faults either); the calls that do: ` + faultCalls},
		{"inject-kind.yaml", "validate", ExitInvalid, `:5:39: inject.code: STATUS_ACCESS_DENIED (0xC0000022) is of kind NTSTATUS, but StartService returns Win32 codes`},
		{"clock-overflow.yaml", "run", ExitInvalid, `:6:14: advance: 2562047h0m0s from virtual time 2562047h0m0s passes the end of the virtual clock (2562047h47m16.854775807s after the start)`},
		{"duration-range.yaml", "validate", ExitInvalid, `:5:14: advance: "99999999999h" is out of range: a duration is at most 2562047h47m16.854775807s (about 292 years, the virtual clock's whole range)`},
		{"invalid-utf8.yaml", "validate", ExitInvalid, `:6:8: not valid YAML: invalid UTF-8 (byte 0xe9): a scenario file is UTF-8 text`},
		{"nul-byte.yaml", "validate", ExitInvalid, `:5:20: not valid YAML: a NUL byte: a scenario file is text`},
		{"tab-indent.yaml", "validate", ExitInvalid, `:6:3: not valid YAML: a tab in the indentation: YAML indents with spaces`},
		{"syntax.yaml", "validate", ExitInvalid, `:4: not valid YAML near line 4: did not find expected ',' or '}'; line 4 reads "steps:"`},
		{"covers-twice.yaml", "validate", ExitInvalid, `:3:39: covers[1]: kernel.wait.alertable-sleep is listed twice (first at covers[0], line 3)`},
		{"tag-binary.yaml", "validate", ExitInvalid, `:5:19: the YAML tag "!!binary" is not supported: write the value plainly`},
		{"tag-local.yaml", "validate", ExitInvalid, `:5:14: the YAML tag "!foo" is not supported: write the value plainly`},
		{"nul-name.yaml", "validate", ExitInvalid, `:7:37: name: "svc\x00evil" holds a NUL character (at byte 3), which no name or value here may`},
		{"count-operator.yaml", "validate", ExitInvalid, `:5:59: writes: want a count (a non-negative integer) or a comparison such as {at_least: 2} or {added: 1}, got string ">= 2" (write {at_least: 2})`},
		{"count-misspelt.yaml", "validate", ExitInvalid, `:5:60: unknown field "at_lest" in writes (did you mean at_least?)`},
		{"count-empty-range.yaml", "validate", ExitInvalid, `:5:93: writes.added: more_than: 2 and less_than: 3 leave no count that passes`},
		{"long-name.yaml", "validate", ExitInvalid, `:5:19: inject.api: "` + strings.Repeat("A", 80) + `"…(100000 bytes) takes no faults; the calls that do: ` + faultCalls},
	}
	for _, tc := range tests {
		for _, cmd := range []string{tc.cmd, "run"} {
			t.Run(cmd+"/"+tc.file, func(t *testing.T) {
				p := filepath.Join("testdata", "hostile", tc.file)
				code, out, errOut := run(cmd, p)
				assert.Equal(t, tc.exit, code)
				assert.Equal(t, p+tc.msg+"\n", errOut)
				assert.NotContains(t, out, "\x00")
				assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), map[string]int{"validate": 1, "run": 2}[cmd], out)
			})
		}
	}
}
