package scenario

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
)

func TestStatusCodeWant(t *testing.T) {
	tests := []struct {
		want string
		err  string // "" when the file decodes
	}{
		{"NTE_BAD_FLAGS", ""},
		{"ERROR_INVALID_PARAMETER", ""},
		{"HRESULT_RPC_X_NULL_REF_POINTER", ""},
		{"STATUS_INVALID_HANDLE", "t.yaml:6:11: want: STATUS_INVALID_HANDLE is an NTSTATUS value; a Win32 error or an HRESULT is expected here"},
		{"NTE_BAD_FLAG", `t.yaml:6:11: want: unknown status code "NTE_BAD_FLAG" (did you mean NTE_BAD_FLAGS?)`},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(head+"  - NCryptFreeObject: {handle: NULL}\n    want: "+tc.want+"\n"), testEnv())
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tc.err)
			}
		})
	}
	_, err := Parse("t.yaml", []byte(head+"  - NCryptOpenStorageProvider: {}\n    expect: {out: nowhere}\n"), testEnv())
	assert.ErrorContains(t, err, "t.yaml:6:19: expect.out: want one of unchanged, NULL, INVALID_HANDLE_VALUE, new")
}

func TestSameStatus(t *testing.T) {
	assert.True(t, sameStatus(sim.S_OK.Code(), sim.ERROR_SUCCESS.Code()), "SECURITY_STATUS success is ERROR_SUCCESS")
	assert.True(t, sameStatus(sim.NTE_BAD_FLAGS.Code(), sim.LastError(0x80090009)))
	assert.False(t, sameStatus(sim.STATUS_SUCCESS.Code(), sim.ERROR_SUCCESS.Code()), "NTSTATUS stays apart")
	assert.False(t, sameStatus(sim.ERROR_INVALID_HANDLE.Code(), sim.NTE_INVALID_HANDLE.Code()))
	assert.Equal(t, "ERROR_SUCCESS (0)", statusText(sim.S_OK.Code()))
	assert.Equal(t, "NTE_BAD_UID (0x80090001)", statusText(sim.NTE_BAD_UID.Code()))
}

// TestCodeStepsOnTheModel runs KSP and CSP steps against the model and
// checks the failure messages of a wrong want: and a wrong expect: out.
func TestCodeStepsOnTheModel(t *testing.T) {
	tests := []struct {
		name  string
		steps string
		fail  string // "" when the scenario passes
	}{
		{"default want is success", "  - NCryptOpenStorageProvider: {}\n    as: p\n    expect: {out: new}\n", ""},
		{"HRESULT mismatch",
			"  - NCryptOpenStorageProvider: {flags: NCRYPT_SILENT_FLAG}\n",
			"t.yaml:5:5: NCryptOpenStorageProvider(NCRYPT_SILENT_FLAG): got NTE_BAD_FLAGS (0x80090009), want ERROR_SUCCESS (0)"},
		{"last error mismatch",
			"  - CryptReleaseContext: {prov: NULL}\n    want: NTE_BAD_UID\n",
			"t.yaml:5:5: CryptReleaseContext(NULL): got ERROR_INVALID_PARAMETER (87), want NTE_BAD_UID (0x80090001)"},
		{"out mismatch",
			"  - CryptAcquireContext: {flags: CRYPT_DELETEKEYSET, container: none, initial: BOGUS}\n    want: NTE_BAD_KEYSET\n    expect: {out: NULL}\n",
			"t.yaml:5:5: CryptAcquireContext(\"none\", CRYPT_DELETEKEYSET, BOGUS): out: got h0xdead0 (was h0xdead0 before the call), want NULL"},
		{"null_out", "  - CryptAcquireContext: {null_out: true}\n    want: ERROR_INVALID_PARAMETER\n", ""},
		{"in/out handle", "  - NCryptOpenStorageProvider: {}\n    as: p\n" +
			"  - NCryptNotifyChangeKey: {provider: p, flags: NCRYPT_REGISTER_NOTIFY_FLAG}\n    as: ev\n" +
			"  - NCryptNotifyChangeKey: {provider: p, event: ev, flags: NCRYPT_UNREGISTER_NOTIFY_FLAG}\n    as: gone\n    expect: {out: INVALID_HANDLE_VALUE}\n" +
			"  - WaitForSingleObjectEx: {handle: ev, ms: 0}\n    want: WAIT_FAILED\n    error: ERROR_INVALID_HANDLE\n" +
			// INVALID_HANDLE_VALUE is the current process: it does not signal.
			"  - WaitForSingleObjectEx: {handle: gone, ms: 0}\n    want: WAIT_TIMEOUT\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, "t.yaml", head+tc.steps)
			b, err := model.New("", 1)
			require.NoError(t, err)
			res := Run(s, b, nil)
			if tc.fail == "" {
				assert.Equal(t, Passed, res.Outcome, res.Message)
				return
			}
			assert.Equal(t, Failed, res.Outcome)
			assert.Equal(t, tc.fail, strings.TrimSpace(res.Message))
		})
	}
}
