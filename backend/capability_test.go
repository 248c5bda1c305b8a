package backend_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// greeter is a family interface declared by the test alone.
type greeter interface {
	backend.Kernel
	Greet() string
}

var capGreeter = backend.NewCapability[greeter]("test:greeter")

// plain is a backend with the kernel only; friendly adds greeter.
type plain struct{ backend.Kernel }

type friendly struct{ plain }

func (friendly) Greet() string { return "hello" }

// TestNewCapability: a capability declared with NewCapability is listed and
// found by Supports exactly on the backends that implement its interface;
// an undeclared one is found on none.
func TestNewCapability(t *testing.T) {
	assert.True(t, backend.Supports(friendly{}, capGreeter))
	assert.False(t, backend.Supports(plain{}, capGreeter))
	assert.False(t, backend.Supports(friendly{}, backend.Capability("test:never-declared")))

	caps := backend.Capabilities()
	assert.True(t, slices.IsSorted(caps), "%v", caps)
	for _, c := range []backend.Capability{capGreeter, backend.CapSCM, backend.CapKSP, backend.CapCSP, backend.CapRegistry,
		backend.CapVirtualClock, backend.CapViolations, backend.CapCallerContext, backend.CapFaultInjection,
		backend.CapTrace, backend.CapServiceSide, backend.CapCrash, backend.CapInstallProvider} {
		assert.Contains(t, caps, c)
	}
	assert.False(t, backend.Supports(plain{}, backend.CapVirtualClock))
}

// TestNewCapabilityRefusesDuplicates: a name is declared once.
func TestNewCapabilityRefusesDuplicates(t *testing.T) {
	require.PanicsWithValue(t, `backend: capability "family:scm" declared twice`, func() {
		backend.NewCapability[backend.SCM]("family:scm")
	})
	require.Panics(t, func() { backend.NewCapability[backend.SCM]("") })
}

// The optional-interface helpers answer ErrUnsupported for a backend
// without the interface.
func TestHelpersWithoutCapability(t *testing.T) {
	require.ErrorIs(t, backend.Advance(plain{}, 1), backend.ErrUnsupported)
	require.ErrorIs(t, backend.InjectFault(plain{}, "x", sim.Code{}, 1), backend.ErrUnsupported)
	_, ok := backend.Violations(plain{})
	require.False(t, ok)
}
