package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// families builds each family's model on a machine and returns one API call
// of it, made by the given thread.
var families = []struct {
	name string
	call func(t *testing.T, m *sim.Machine) func(th *sim.Thread)
}{
	{"scm", func(t *testing.T, m *sim.Machine) func(*sim.Thread) {
		mg := scm.New(m)
		return func(th *sim.Thread) { mg.OpenSCManager(th, nil, nil, win32.SC_MANAGER_CONNECT) }
	}},
	{"csp", func(t *testing.T, m *sim.Machine) func(*sim.Thread) {
		c := ksp.NewCSP(m)
		return func(th *sim.Thread) {
			var h sim.Handle
			c.CryptAcquireContext(th, &h, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT)
		}
	}},
	{"ksp", func(t *testing.T, m *sim.Machine) func(*sim.Thread) {
		k := ksp.NewKSP(m)
		return func(th *sim.Thread) {
			var h sim.Handle
			k.NCryptOpenStorageProvider(th, &h, nil, 0)
		}
	}},
	{"registry", func(t *testing.T, m *sim.Machine) func(*sim.Thread) {
		r, err := hive.New(m, hive.Options{})
		require.NoError(t, err)
		return func(th *sim.Thread) { r.RegFlushKey(th, win32.HKEY_LOCAL_MACHINE) }
	}},
}

// TestEnterRefusesBadThreads: a model call given a nil thread, or a thread
// of another machine, panics naming the mistake, and leaves the machine
// unlocked, so the next call on it, by a thread of its own, works.
func TestEnterRefusesBadThreads(t *testing.T) {
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			m := sim.MustNewMachine(sim.Options{})
			call := f.call(t, m)
			own := m.NewProcess("app.exe").NewThread("main")
			other := sim.MustNewMachine(sim.Options{}).NewProcess("app.exe").NewThread("stranger")

			assert.PanicsWithValue(t, "sim: a model call was given a nil *Thread", func() { call(nil) })
			require.False(t, sim.Locked(m), "the machine stays locked after a call with a nil thread")
			assert.PanicsWithValue(t, `sim: thread "stranger" belongs to another machine than the one it calls`, func() { call(other) })
			require.False(t, sim.Locked(m), "the machine stays locked after a call with another machine's thread")
			assert.NotPanics(t, func() { call(own) })
			assert.False(t, sim.Locked(m))
		})
	}
}
