// Package twinfam makes the family models behind the x/sys twins, one way
// for every package that reaches them: a twin package (windows/registry)
// and the test control (windows/winsimtest) get the same model of a
// machine's registry, whichever asks first.
package twinfam

import (
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/windows/internal/twinrt"
)

// Registry returns the machine's registry model, made on its first use
// with the default hives (SYSTEM and SOFTWARE under \Registry\Machine,
// .DEFAULT and the current user's under \Registry\User) and the profile's
// lazy flusher.
func Registry(b *twinrt.Machine) *hive.Registry { return twinrt.Family(b, newRegistry) }

func newRegistry(m *sim.Machine) *hive.Registry { return hive.MustNew(m, hive.Options{}) }

// SCM returns the machine's Service Control Manager model, made on its
// first use with an empty services database.
func SCM(b *twinrt.Machine) *scm.Manager { return twinrt.Family(b, scm.New) }
