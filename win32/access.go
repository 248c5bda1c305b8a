package win32

import "github.com/winsim/winsim/sim"

// Standard and generic access rights (winnt.h). Every securable object's
// access mask has them; each object type maps the generic rights to its own
// specific ones (GENERIC_MAPPING).
const (
	DELETE               uint32 = 0x00010000
	READ_CONTROL         uint32 = 0x00020000
	WRITE_DAC            uint32 = 0x00040000
	WRITE_OWNER          uint32 = 0x00080000
	STANDARD_RIGHTS_READ uint32 = 0x00020000

	// The generic rights are package sim's (the kernel maps them for every
	// object type), repeated here so that a family's access names are all
	// in one place.
	GENERIC_READ    = sim.GENERIC_READ
	GENERIC_WRITE   = sim.GENERIC_WRITE
	GENERIC_EXECUTE = sim.GENERIC_EXECUTE
	GENERIC_ALL     = sim.GENERIC_ALL
)
