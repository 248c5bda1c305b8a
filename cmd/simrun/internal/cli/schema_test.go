package cli

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

// TestSchemaCmd: simrun schema prints the schema of the scenario format,
// and refuses arguments.
func TestSchemaCmd(t *testing.T) {
	var want bytes.Buffer
	require.NoError(t, scenario.WriteSchema(&want))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"the schema", []string{"schema"}, ExitOK, want.String(), ""},
		{"an argument", []string{"schema", "scenarios"}, ExitInvalid, "", "simrun: schema takes no arguments, got \"scenarios\"\n"},
		{"help", []string{"schema", "-h"}, ExitOK, usage, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.stdout, out)
			assert.Equal(t, tc.stderr, errOut)
		})
	}
}
