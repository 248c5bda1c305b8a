package win32_test

import (
	"testing"

	"github.com/winsim/winsim/win32"
)

// TestConfigBytesNeeded: the byte counts of the configuration calls, each
// string in UTF-16 with its NUL after the fixed part.
func TestConfigBytesNeeded(t *testing.T) {
	desc, empty, cmd := "Description", "", `C:\fix.exe`
	for _, c := range []struct {
		name string
		got  uint32
		want uint32
	}{
		{"config, no dependencies", (&win32.QUERY_SERVICE_CONFIG{BinaryPathName: `C:\svc.exe`, ServiceStartName: "LocalSystem", DisplayName: "Config One"}).BytesNeeded(), 136},
		{"config, one dependency", (&win32.QUERY_SERVICE_CONFIG{BinaryPathName: `C:\svc.exe`, Dependencies: []string{"dep1"}, ServiceStartName: "LocalSystem", DisplayName: "Dep Two"}).BytesNeeded(), 140},
		{"no description", win32.ConfigInfoBytes(win32.SERVICE_CONFIG_DESCRIPTION, &win32.ServiceConfigInfo{}), 8},
		{"empty description", win32.ConfigInfoBytes(win32.SERVICE_CONFIG_DESCRIPTION, &win32.ServiceConfigInfo{Description: &empty}), 8},
		{"description", win32.ConfigInfoBytes(win32.SERVICE_CONFIG_DESCRIPTION, &win32.ServiceConfigInfo{Description: &desc}), 32},
		{"delayed start", win32.ConfigInfoBytes(win32.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &win32.ServiceConfigInfo{}), 4},
		{"failure actions", win32.ConfigInfoBytes(win32.SERVICE_CONFIG_FAILURE_ACTIONS, &win32.ServiceConfigInfo{FailureActions: win32.SERVICE_FAILURE_ACTIONS{Command: &cmd, Actions: make([]win32.SC_ACTION, 2)}}), 78},
		{"unknown level", win32.ConfigInfoBytes(0xfff0, &win32.ServiceConfigInfo{}), 0},
		{"enum entry", (&win32.ENUM_SERVICE_STATUS_PROCESS{ServiceName: "e1", DisplayName: "Enum A"}).BytesNeeded(), 76},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d bytes, want %d", c.name, c.got, c.want)
		}
	}
}
