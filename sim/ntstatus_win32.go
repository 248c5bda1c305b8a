package sim

// ntToWin32 is the part of RtlNtStatusToDosError's table that the models
// need: how the Win32 layer (advapi32, kernel32) reports an NTSTATUS that a
// native call returned. The values are RtlNtStatusToDosError's (inferred:
// Wine's ntdll error table, generated from Windows' own mapping;
// STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_SYNTAX_BAD and
// STATUS_NO_MORE_ENTRIES were added for the registry twin's Reg* layer).
var ntToWin32 = map[NTStatus]Errno{
	STATUS_SUCCESS:                ERROR_SUCCESS,
	STATUS_INVALID_HANDLE:         ERROR_INVALID_HANDLE,
	STATUS_OBJECT_TYPE_MISMATCH:   ERROR_INVALID_HANDLE,
	STATUS_ACCESS_DENIED:          ERROR_ACCESS_DENIED,
	STATUS_CANNOT_DELETE:          ERROR_ACCESS_DENIED,
	STATUS_INVALID_PARAMETER:      ERROR_INVALID_PARAMETER,
	STATUS_OBJECT_NAME_NOT_FOUND:  ERROR_FILE_NOT_FOUND,
	STATUS_OBJECT_PATH_NOT_FOUND:  ERROR_PATH_NOT_FOUND,
	STATUS_OBJECT_NAME_INVALID:    ERROR_INVALID_NAME,
	STATUS_OBJECT_PATH_SYNTAX_BAD: ERROR_BAD_PATHNAME,
	STATUS_NO_MORE_ENTRIES:        ERROR_NO_MORE_ITEMS,
	STATUS_BUFFER_OVERFLOW:        ERROR_MORE_DATA,
	STATUS_BUFFER_TOO_SMALL:       ERROR_INSUFFICIENT_BUFFER,
	STATUS_KEY_DELETED:            ERROR_KEY_DELETED,
	STATUS_REGISTRY_IO_FAILED:     ERROR_REGISTRY_IO_FAILED,
	STATUS_REGISTRY_CORRUPT:       ERROR_BADDB,
	STATUS_CHILD_MUST_BE_VOLATILE: ERROR_CHILD_MUST_BE_VOLATILE,
}

// Win32 returns the Win32 error code the Win32 layer reports for s, as
// RtlNtStatusToDosError does. ok is false for a status the table does not
// hold.
func (s NTStatus) Win32() (e Errno, ok bool) {
	e, ok = ntToWin32[s]
	return e, ok
}
