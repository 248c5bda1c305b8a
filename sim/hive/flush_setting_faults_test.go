//go:build winsim_faults

package hive_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// TestFlushNeedsQueryValueWhenSet: no profile declares
// hive.flush.needs-key-query-value, so its alternative is only reachable
// through the setting kill run's override; with it on, NtFlushKey from user
// mode needs KEY_QUERY_VALUE and a kernel-mode ZwFlushKey does not.
func TestFlushNeedsQueryValueWhenSet(t *testing.T) {
	sim.OverrideSetting("hive.flush.needs-key-query-value", true)
	t.Cleanup(func() { sim.OverrideSetting("", nil) })
	for _, tc := range []struct {
		name   string
		kernel bool
		access uint32
		want   sim.NTStatus
	}{
		{"user mode without KEY_QUERY_VALUE", false, win32.KEY_SET_VALUE, sim.STATUS_ACCESS_DENIED},
		{"user mode with KEY_QUERY_VALUE", false, win32.KEY_QUERY_VALUE, sim.STATUS_SUCCESS},
		{"kernel mode without KEY_QUERY_VALUE", true, win32.KEY_SET_VALUE, sim.STATUS_SUCCESS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "win8")
			f.create(software+`\F`, 0)
			if !tc.kernel {
				h, st := f.r.NtOpenKey(f.th, tc.access, win32.Abs(software+`\F`))
				require.Equal(t, sim.STATUS_SUCCESS, st)
				assert.Equal(t, tc.want, f.r.NtFlushKey(f.th, h))
				return
			}
			drv := f.m.NewProcess("System").NewThread("driver")
			drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, PreviousMode: sim.UserMode})
			oa := win32.Abs(software + `\F`)
			oa.Attributes |= sim.OBJ_KERNEL_HANDLE
			h, st := f.r.ZwOpenKey(drv, tc.access, oa)
			require.Equal(t, sim.STATUS_SUCCESS, st)
			assert.Equal(t, tc.want, f.r.ZwFlushKey(drv, h))
		})
	}
}
