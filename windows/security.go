// The unexported fields below are x/sys's, declared for the identity of
// the types' layouts; no twin code reads them.
//lint:file-ignore U1000 the fields are x/sys's, kept for identity

package windows

// SecurityAttributes is SECURITY_ATTRIBUTES, declared with x/sys's fields
// because CreateEvent takes one. The model has no security descriptors and
// no handle inheritance: CreateEvent refuses a non-nil one (see
// CreateEvent).
type SecurityAttributes struct {
	Length             uint32
	SecurityDescriptor *SECURITY_DESCRIPTOR
	InheritHandle      uint32
}

// SECURITY_DESCRIPTOR is declared with x/sys's (unexported) fields, for
// SecurityAttributes; no twin call reads one.
type SECURITY_DESCRIPTOR struct {
	revision byte
	sbz1     byte
	control  SECURITY_DESCRIPTOR_CONTROL
	owner    *SID
	group    *SID
	sacl     *ACL
	dacl     *ACL
}

// SECURITY_DESCRIPTOR_CONTROL is a security descriptor's control bits.
type SECURITY_DESCRIPTOR_CONTROL uint16

// SID is a security identifier, opaque as in x/sys.
type SID struct{}

// ACL is an access-control list's header, with x/sys's fields.
type ACL struct {
	aclRevision byte
	sbz1        byte
	aclSize     uint16
	AceCount    uint16
	sbz2        uint16
}
