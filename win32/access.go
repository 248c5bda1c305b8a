package win32

// Standard and generic access rights (winnt.h). Every securable object's
// access mask has them; each object type maps the generic rights to its own
// specific ones (GENERIC_MAPPING).
const (
	DELETE               uint32 = 0x00010000
	READ_CONTROL         uint32 = 0x00020000
	WRITE_DAC            uint32 = 0x00040000
	WRITE_OWNER          uint32 = 0x00080000
	STANDARD_RIGHTS_READ uint32 = 0x00020000

	GENERIC_READ    uint32 = 0x80000000
	GENERIC_WRITE   uint32 = 0x40000000
	GENERIC_EXECUTE uint32 = 0x20000000
	GENERIC_ALL     uint32 = 0x10000000
)
