package windows

// Handle is a Windows handle, as in x/sys: a kernel object's (an event), or
// a CryptoAPI context's (HCRYPTPROV).
type Handle uintptr

// InvalidHandle is INVALID_HANDLE_VALUE, (HANDLE)-1.
const InvalidHandle = ^Handle(0)

// Wait results and timeouts (untyped, as in x/sys; WAIT_TIMEOUT is an
// Errno there and here).
const (
	INFINITE = 0xffffffff

	WAIT_OBJECT_0 = 0x00000000
	WAIT_FAILED   = 0xFFFFFFFF

	// WAIT_IO_COMPLETION is what SleepEx and the alertable waits return
	// when APCs ran.
	WAIT_IO_COMPLETION = 0x000000C0
)

// CryptAcquireContext's provider types and flags (wincrypt.h), untyped as
// in x/sys.
const (
	PROV_RSA_FULL      = 1
	PROV_RSA_SIG       = 2
	PROV_DSS           = 3
	PROV_FORTEZZA      = 4
	PROV_MS_EXCHANGE   = 5
	PROV_SSL           = 6
	PROV_RSA_SCHANNEL  = 12
	PROV_DSS_DH        = 13
	PROV_EC_ECDSA_SIG  = 14
	PROV_EC_ECNRA_SIG  = 15
	PROV_EC_ECDSA_FULL = 16
	PROV_EC_ECNRA_FULL = 17
	PROV_DH_SCHANNEL   = 18
	PROV_SPYRUS_LYNKS  = 20
	PROV_RNG           = 21
	PROV_INTEL_SEC     = 22
	PROV_REPLACE_OWF   = 23
	PROV_RSA_AES       = 24

	CRYPT_VERIFYCONTEXT              = 0xF0000000
	CRYPT_NEWKEYSET                  = 0x00000008
	CRYPT_DELETEKEYSET               = 0x00000010
	CRYPT_MACHINE_KEYSET             = 0x00000020
	CRYPT_SILENT                     = 0x00000040
	CRYPT_DEFAULT_CONTAINER_OPTIONAL = 0x00000080
)

// Filetime is a FILETIME: a count of 100-nanosecond intervals since
// January 1, 1601 (UTC), in two halves. Package windows/registry's KeyInfo
// holds one (a key's last write time).
type Filetime struct {
	LowDateTime  uint32
	HighDateTime uint32
}

// filetimeUnixEpoch is January 1, 1970 (UTC) in FILETIME ticks.
const filetimeUnixEpoch = 116444736000000000

// Nanoseconds returns the time as nanoseconds since January 1, 1970 (UTC),
// as x/sys's does (the count wraps for times past the year 2262).
func (ft *Filetime) Nanoseconds() int64 {
	ticks := int64(ft.HighDateTime)<<32 + int64(ft.LowDateTime)
	return (ticks - filetimeUnixEpoch) * 100
}
