package ksp

import "github.com/winsim/winsim/win32"

// fmtConst names v as a constant of group, for the trace. The SDK's names
// for this family live in package win32.
func fmtConst(group string, v uint32) string { return win32.FormatConst(group, v) }

// The flags each NCrypt function accepts; any other bit is NTE_BAD_FLAGS.
const (
	openProviderFlags = 0
	createKeyFlags    = win32.NCRYPT_MACHINE_KEY_FLAG | win32.NCRYPT_SILENT_FLAG | win32.NCRYPT_OVERWRITE_KEY_FLAG
	finalizeKeyFlags  = win32.NCRYPT_NO_KEY_VALIDATION | win32.NCRYPT_SILENT_FLAG | win32.NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG
	openKeyFlags      = win32.NCRYPT_MACHINE_KEY_FLAG | win32.NCRYPT_SILENT_FLAG
	deleteKeyFlags    = win32.NCRYPT_SILENT_FLAG
	keyPropertyFlags  = win32.NCRYPT_PERSIST_FLAG | win32.NCRYPT_PERSIST_ONLY_FLAG | win32.NCRYPT_SILENT_FLAG
	provPropertyFlags = win32.NCRYPT_SILENT_FLAG
	notifyFlags       = win32.NCRYPT_REGISTER_NOTIFY_FLAG | win32.NCRYPT_UNREGISTER_NOTIFY_FLAG | win32.NCRYPT_MACHINE_KEY_FLAG | win32.NCRYPT_SILENT_FLAG
	isAlgFlags        = win32.NCRYPT_SILENT_FLAG
)

// acquireDispatch is the part of CryptAcquireContext's flags that picks
// the operation; the rest (MACHINE_KEYSET, SILENT, ...) modifies it.
const acquireDispatch = win32.CRYPT_NEWKEYSET | win32.CRYPT_VERIFYCONTEXT | win32.CRYPT_DELETEKEYSET
