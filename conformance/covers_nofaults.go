//go:build !winsim_faults

package conformance

import (
	"errors"

	"github.com/winsim/winsim/scenario"
)

// FaultBuild is false outside builds with the winsim_faults tag: no rule
// can be broken, so ProveCovers cannot run.
const FaultBuild = false

// ErrNoFaultBuild is what ProveCovers returns outside the fault build.
var ErrNoFaultBuild = errors.New("proving covers: lists needs the fault build (-tags winsim_faults)")

// ProveCovers needs the fault build's switches; in this build it returns
// ErrNoFaultBuild.
func ProveCovers([]CoverTarget, NewBackend, *scenario.Env) (CoverProof, error) {
	return CoverProof{}, ErrNoFaultBuild
}
