package win32

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestString checks the String of each typed group of constants: every
// named value prints its SDK name, and a value without one prints
// readably (an enumeration as Type(n), a bit set as the names of its bits
// with the rest in hex).
func TestString(t *testing.T) {
	for _, tc := range []struct {
		value fmt.Stringer
		want  string
	}{
		{SERVICE_STOPPED, "SERVICE_STOPPED"},
		{SERVICE_START_PENDING, "SERVICE_START_PENDING"},
		{SERVICE_STOP_PENDING, "SERVICE_STOP_PENDING"},
		{SERVICE_RUNNING, "SERVICE_RUNNING"},
		{SERVICE_CONTINUE_PENDING, "SERVICE_CONTINUE_PENDING"},
		{SERVICE_PAUSE_PENDING, "SERVICE_PAUSE_PENDING"},
		{SERVICE_PAUSED, "SERVICE_PAUSED"},
		{ServiceState(0), "ServiceState(0)"},
		{ServiceState(9), "ServiceState(9)"},

		{SERVICE_NOTIFY_RUNNING, "SERVICE_NOTIFY_RUNNING"},
		{SERVICE_NOTIFY_DELETE_PENDING, "SERVICE_NOTIFY_DELETE_PENDING"},
		{SERVICE_NOTIFY_STOPPED | SERVICE_NOTIFY_RUNNING, "SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNNING"},
		{SERVICE_NOTIFY_CREATED | SERVICE_NOTIFY_DELETED | 0x400, "SERVICE_NOTIFY_CREATED|SERVICE_NOTIFY_DELETED|0x400"},
		{ServiceNotifyMask(0), "0"},

		{SERVICE_CONTROL_STOP, "SERVICE_CONTROL_STOP"},
		{SERVICE_CONTROL_INTERROGATE, "SERVICE_CONTROL_INTERROGATE"},
		{SERVICE_CONTROL_NETBINDDISABLE, "SERVICE_CONTROL_NETBINDDISABLE"},
		{SERVICE_CONTROL_PRESHUTDOWN, "SERVICE_CONTROL_PRESHUTDOWN"},
		{ServiceControl(11), "ServiceControl(11)"},
		{SERVICE_USER_DEFINED_CONTROL_FIRST, "ServiceControl(128)"},

		{SERVICE_ACCEPT_STOP, "SERVICE_ACCEPT_STOP"},
		{SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE, "SERVICE_ACCEPT_STOP|SERVICE_ACCEPT_PAUSE_CONTINUE"},
		{SERVICE_ACCEPT_USERMODEREBOOT | 0x1000, "SERVICE_ACCEPT_USERMODEREBOOT|0x1000"},
		{ServiceAccept(0), "0"},

		{SERVICE_WIN32_OWN_PROCESS, "SERVICE_WIN32_OWN_PROCESS"},
		{SERVICE_KERNEL_DRIVER, "SERVICE_KERNEL_DRIVER"},
		{SERVICE_WIN32_SHARE_PROCESS | SERVICE_INTERACTIVE_PROCESS, "SERVICE_WIN32_SHARE_PROCESS|SERVICE_INTERACTIVE_PROCESS"},
		{ServiceType(0x30), "SERVICE_WIN32_OWN_PROCESS|SERVICE_WIN32_SHARE_PROCESS"},
		{ServiceType(0x1000), "0x1000"},

		{SERVICE_BOOT_START, "SERVICE_BOOT_START"},
		{SERVICE_DEMAND_START, "SERVICE_DEMAND_START"},
		{SERVICE_DISABLED, "SERVICE_DISABLED"},
		{ServiceStartType(5), "ServiceStartType(5)"},

		{SERVICE_ERROR_IGNORE, "SERVICE_ERROR_IGNORE"},
		{SERVICE_ERROR_CRITICAL, "SERVICE_ERROR_CRITICAL"},
		{ServiceErrorControl(4), "ServiceErrorControl(4)"},

		{CALG_SHA1, "CALG_SHA1"},
		{CALG_RSA_KEYX, "CALG_RSA_KEYX"},
		{ALG_ID(AT_KEYEXCHANGE), "AT_KEYEXCHANGE"},
		{ALG_ID(AT_SIGNATURE), "AT_SIGNATURE"},
		{ALG_ID(0x1234), "ALG_ID(0x1234)"},
		{ALG_ID(0), "ALG_ID(0x0)"},
	} {
		t.Run(fmt.Sprintf("%T(%d)", tc.value, tc.value), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.value.String())
		})
	}
}

// typedGroups makes a value of each typed group's type from its number, so
// that every constant a group lists can be printed through its type.
var typedGroups = map[string]func(uint32) fmt.Stringer{
	GroupState:       func(v uint32) fmt.Stringer { return ServiceState(v) },
	GroupNotifyMask:  func(v uint32) fmt.Stringer { return ServiceNotifyMask(v) },
	GroupControl:     func(v uint32) fmt.Stringer { return ServiceControl(v) },
	GroupAccept:      func(v uint32) fmt.Stringer { return ServiceAccept(v) },
	GroupServiceType: func(v uint32) fmt.Stringer { return ServiceType(v) },
	GroupStartType:   func(v uint32) fmt.Stringer { return ServiceStartType(v) },
	GroupErrorCtl:    func(v uint32) fmt.Stringer { return ServiceErrorControl(v) },
	GroupAlgID:       func(v uint32) fmt.Stringer { return ALG_ID(v) },
}

// TestStringNamesEveryConstant checks that each constant of a typed group,
// as scenario files list them, prints as its own name: no constant is
// missing from its type's String, nor printed under another group's names.
func TestStringNamesEveryConstant(t *testing.T) {
	seen := map[string]int{}
	for _, c := range Constants() {
		of := typedGroups[c.Group]
		if of == nil {
			continue
		}
		seen[c.Group]++
		assert.Equal(t, c.Name, of(c.Value).String(), "group %s, value %#x", c.Group, c.Value)
	}
	for g := range typedGroups {
		assert.NotZero(t, seen[g], "group %s lists no constant", g)
	}
}
