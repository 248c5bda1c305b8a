package windows

import (
	"fmt"
	"strings"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend/windows/internal/winapi"
)

// wineProfiles maps the Wine versions whose deviations have been measured to
// the profile that declares them.
var wineProfiles = map[string]string{
	"8.0": "wine-8.0",
}

// DetectProfile names the profile of the system the process runs on, and
// describes the system: "wine-8.0" under Wine 8.0 (found by ntdll's
// wine_get_version, which only Wine has), "win8" on Windows 8 and later,
// "win7" on Vista and 7. Any other Wine version is an error: no profile
// declares its deviations yet.
func DetectProfile() (profile, system string, err error) {
	if v, ok := WineVersion(); ok {
		system = "Wine " + v
		if p, known := wineProfiles[v]; known {
			return p, system, nil
		}
		return "", system, fmt.Errorf("%s is not a known Wine version: no profile declares its deviations (known: Wine 8.0, profile wine-8.0); measure it and add a profile", system)
	}
	info := windows.RtlGetVersion()
	system = fmt.Sprintf("Windows %d.%d.%d", info.MajorVersion, info.MinorVersion, info.BuildNumber)
	switch {
	case info.MajorVersion > 6 || (info.MajorVersion == 6 && info.MinorVersion >= 2):
		return "win8", system, nil
	case info.MajorVersion == 6:
		return "win7", system, nil
	}
	return "", system, fmt.Errorf("%s is older than Windows Vista: no profile models it", system)
}

// WineVersion returns the version of Wine the process runs under, and
// false on Windows.
func WineVersion() (string, bool) {
	p, err := winapi.WineGetVersion()
	if err != nil || p == 0 {
		return "", false
	}
	n := winapi.LstrlenA(p)
	if n <= 0 {
		return "", true
	}
	buf := make([]byte, n)
	winapi.CopyMemory(&buf[0], p, uintptr(n))
	return strings.TrimSpace(string(buf)), true
}
