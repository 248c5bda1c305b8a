package windows_test

import (
	"os"
	"testing"

	"github.com/winsim/winsim/backend/windows"
)

// TestMain lets the test binary be the backend's test service: the backend
// starts services that run this very binary with windows.ServiceFlag.
func TestMain(m *testing.M) {
	windows.RunService()
	os.Exit(m.Run())
}
