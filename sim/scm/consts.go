package scm

import "github.com/winsim/winsim/win32"

// The SDK's names for this family live in package win32; these are the
// model's own groupings of them.
const (
	// stateNotifyBits are the bits that name service states.
	stateNotifyBits = 0x07F
	// scmNotifyBits are the bits that need an SCM handle.
	scmNotifyBits = win32.SERVICE_NOTIFY_CREATED | win32.SERVICE_NOTIFY_DELETED

	serviceDriverTypes = win32.SERVICE_KERNEL_DRIVER | win32.SERVICE_FILE_SYSTEM_DRIVER
)

// fmtConst names v as a constant of group, for the trace: a typed value
// (a state, a mask) prints as its number would, so the trace does not
// depend on how a value is typed.
func fmtConst[T ~uint32](group string, v T) string { return win32.FormatConst(group, uint32(v)) }
