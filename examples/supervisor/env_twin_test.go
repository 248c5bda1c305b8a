//go:build !windows || winsim

package supervisor_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/windows/winsimtest"
)

// testProgram is the executable the cases' services run on the models:
// serviceMain is its main function.
const testProgram = `C:\Program Files\winsim-example\supervisor.test.exe`

// env is where a case runs: here a machine of winsim's models behind the
// twins, in a testing/synctest bubble, whose clock the bubble's is.
type env struct {
	program, prefix string
	m               *winsimtest.Machine
}

// profiles are the profiles every case runs under: the default, and Wine
// 8.0's, whose declared deviations are the ones the cases meet under Wine.
var profiles = []string{"win8", "wine-8.0"}

// runCase runs a case on the models under each profile, each in a bubble
// of its own, and checks that the supervisor broke none of the contracts
// the documentation states (a notify buffer reused while pending, SCM
// calls from the callback...).
func runCase(t *testing.T, f func(t *testing.T, e *env)) {
	for _, profile := range profiles {
		t.Run(profile, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := winsimtest.Use(t, winsimtest.Options{Profile: profile})
				m.SetServiceProgram(testProgram, func(args []string) {
					ran, err := serviceMain(args)
					assert.True(t, ran, "the service program ran with %q", args)
					assert.NoError(t, err)
				})
				f(t, &env{program: testProgram, prefix: "winsim-example-", m: m})
				assert.Empty(t, m.Violations(), "contract violations")
			})
		})
	}
}
