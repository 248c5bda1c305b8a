package sim

// Generic access rights (winnt.h) and MAXIMUM_ALLOWED, which every object
// type maps to its own specific rights.
const (
	GENERIC_READ    uint32 = 0x80000000
	GENERIC_WRITE   uint32 = 0x40000000
	GENERIC_EXECUTE uint32 = 0x20000000
	GENERIC_ALL     uint32 = 0x10000000
	MAXIMUM_ALLOWED uint32 = 0x02000000
)

// GenericMapping is an object type's GENERIC_MAPPING: the specific rights
// each generic right stands for.
type GenericMapping struct {
	Read, Write, Execute, All uint32
}

// Map replaces the generic rights in access by the type's specific rights.
// MAXIMUM_ALLOWED becomes All: the models keep no security descriptors, so
// every right the type has is granted.
func (g GenericMapping) Map(access uint32) uint32 {
	out := access &^ (GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED)
	if access&GENERIC_READ != 0 {
		out |= g.Read
	}
	if access&GENERIC_WRITE != 0 {
		out |= g.Write
	}
	if access&GENERIC_EXECUTE != 0 {
		out |= g.Execute
	}
	if access&(GENERIC_ALL|MAXIMUM_ALLOWED) != 0 {
		out |= g.All
	}
	return out
}
