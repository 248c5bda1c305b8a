//go:build !windows

package conformance

// runAsService does nothing off Windows: only the real binding
// (realbinding_windows_test.go) runs the test binary as a service.
func runAsService() {}
