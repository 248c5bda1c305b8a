package win32_test

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/win32"
)

// TestConfigSizesMatchXSys: the fixed parts the model counts in the
// configuration calls' byte counts are the sizes of x/sys's structures on
// 64-bit Windows.
func TestConfigSizesMatchXSys(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("the model counts the 64-bit layouts")
	}
	for _, c := range []struct {
		name       string
		model, sys uintptr
	}{
		{"QUERY_SERVICE_CONFIG", win32.SizeofQueryServiceConfig, unsafe.Sizeof(windows.QUERY_SERVICE_CONFIG{})},
		{"SERVICE_DESCRIPTION", win32.SizeofServiceDescription, unsafe.Sizeof(windows.SERVICE_DESCRIPTION{})},
		{"SERVICE_DELAYED_AUTO_START_INFO", win32.SizeofDelayedAutoStartInfo, unsafe.Sizeof(windows.SERVICE_DELAYED_AUTO_START_INFO{})},
		{"SERVICE_FAILURE_ACTIONS", win32.SizeofServiceFailureActions, unsafe.Sizeof(windows.SERVICE_FAILURE_ACTIONS{})},
		{"SC_ACTION", win32.SizeofSCAction, unsafe.Sizeof(windows.SC_ACTION{})},
		{"ENUM_SERVICE_STATUS_PROCESS", win32.SizeofEnumServiceStatusProcess, unsafe.Sizeof(windows.ENUM_SERVICE_STATUS_PROCESS{})},
	} {
		if c.model != c.sys {
			t.Errorf("%s: the model counts %d bytes, x/sys's structure has %d", c.name, c.model, c.sys)
		}
	}
}
