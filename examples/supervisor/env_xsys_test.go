//go:build windows && !winsim

package supervisor_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the Worker under svc.Run when the SCM started the test
// binary as a service, and the tests otherwise. It does not ask
// svc.IsWindowsService: under Wine it says false for a service.
func TestMain(m *testing.M) {
	if ran, err := serviceMain(os.Args); ran {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// env is where a case runs: here the real system (Windows, or Wine), in
// real time, with this test binary as the services' program.
type env struct {
	program, prefix string
}

// runCase runs a case against the real x/sys.
func runCase(t *testing.T, f func(t *testing.T, e *env)) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f(t, &env{program: exe, prefix: fmt.Sprintf("winsim-example-%d-", os.Getpid())})
}
