//go:build windows && !winsim

package supervisor_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/winsim/winsim/examples/supervisor"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/svc"
)

// serviceFlag makes the test binary the service program: the services the
// cases install run "<test binary> -supervisor-example-service NAME".
const serviceFlag = "-supervisor-example-service"

// TestMain runs the Worker under svc.Run when the SCM started the binary as
// a service, and the tests otherwise. It does not ask
// svc.IsWindowsService: under Wine it says false for a service.
func TestMain(m *testing.M) {
	if len(os.Args) >= 3 && os.Args[1] == serviceFlag {
		if err := svc.Run(os.Args[2], supervisor.Worker{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// env is where a case runs: here the real system (Windows, or Wine), in
// real time.
type env struct{}

// runCase runs a case against the real x/sys.
func runCase(t *testing.T, f func(t *testing.T, e *env)) { f(t, &env{}) }

// config is the configuration of the case's service: a name unique to the
// run, this binary as its program, and startArgs for the Worker.
func (*env) config(name string, startArgs ...string) supervisor.Config {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	name = fmt.Sprintf("winsim-example-%d-%s", os.Getpid(), name)
	return supervisor.Config{Name: name, Program: exe, ProgramArgs: []string{serviceFlag, name}, StartArgs: startArgs}
}
