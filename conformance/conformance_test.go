package conformance

import (
	"testing"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
)

// *testing.T must stay usable as Run's TB.
var _ TB[*testing.T] = (*testing.T)(nil)

func newModel(profile string, seed uint64) (backend.Kernel, error) { return model.New(profile, seed) }

// TestConformance runs every check against the models, under every
// profile: TestConformance/SCM/NotifyImmediate/win8.
func TestConformance(t *testing.T) {
	Run(t, newModel, Options{})
}
