package cli

import (
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows"
)

// On Windows (and under Wine) simrun also drives the real system.
func init() {
	backends["windows"] = func(profile string, _ uint64) (backend.Kernel, error) {
		return windows.New(windows.Options{Profile: profile})
	}
	systemProfiles["windows"] = windows.DetectProfile
}
