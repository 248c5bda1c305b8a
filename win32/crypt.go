package win32

import (
	"fmt"

	"github.com/winsim/winsim/sim"
)

// The names below are the SDK's (ncrypt.h, bcrypt.h, wincrypt.h), spelled as
// the headers spell them so that code and scenarios read like the Win32
// documentation.

// Key storage provider names (ncrypt.h).
const (
	MS_KEY_STORAGE_PROVIDER            = "Microsoft Software Key Storage Provider"
	MS_SMART_CARD_KEY_STORAGE_PROVIDER = "Microsoft Smart Card Key Storage Provider"
	MS_PLATFORM_CRYPTO_PROVIDER        = "Microsoft Platform Crypto Provider"
)

// NCrypt flags (ncrypt.h). They share one namespace; each function accepts
// its own subset.
const (
	NCRYPT_REGISTER_NOTIFY_FLAG           uint32 = 0x00000001
	NCRYPT_UNREGISTER_NOTIFY_FLAG         uint32 = 0x00000002
	NCRYPT_NO_KEY_VALIDATION              uint32 = 0x00000008
	NCRYPT_MACHINE_KEY_FLAG               uint32 = 0x00000020
	NCRYPT_SILENT_FLAG                    uint32 = 0x00000040
	NCRYPT_OVERWRITE_KEY_FLAG             uint32 = 0x00000080
	NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG uint32 = 0x00000200
	NCRYPT_PERSIST_ONLY_FLAG              uint32 = 0x40000000
	NCRYPT_PERSIST_FLAG                   uint32 = 0x80000000
)

// Property names (ncrypt.h).
const (
	NCRYPT_NAME_PROPERTY            = "Name"
	NCRYPT_UNIQUE_NAME_PROPERTY     = "Unique Name"
	NCRYPT_ALGORITHM_PROPERTY       = "Algorithm Name"
	NCRYPT_ALGORITHM_GROUP_PROPERTY = "Algorithm Group"
	NCRYPT_EXPORT_POLICY_PROPERTY   = "Export Policy"
	NCRYPT_LENGTH_PROPERTY          = "Length"
	NCRYPT_KEY_USAGE_PROPERTY       = "Key Usage"
	NCRYPT_SECURITY_DESCR_PROPERTY  = "Security Descr"
	NCRYPT_UI_POLICY_PROPERTY       = "UI Policy"
	NCRYPT_USE_CONTEXT_PROPERTY     = "Use Context"
	NCRYPT_WINDOW_HANDLE_PROPERTY   = "HWND Handle"
)

// Algorithm identifiers a key storage provider creates persisted keys for
// (bcrypt.h).
const (
	BCRYPT_RSA_ALGORITHM = "RSA"
	BCRYPT_DH_ALGORITHM  = "DH"
	BCRYPT_DSA_ALGORITHM = "DSA"
	// BCRYPT_3DES_ALGORITHM names triple DES; the KSP reports it supported
	// (NCryptIsAlgSupported) where the profile says so.
	BCRYPT_3DES_ALGORITHM       = "3DES"
	BCRYPT_ECDH_P256_ALGORITHM  = "ECDH_P256"
	BCRYPT_ECDH_P384_ALGORITHM  = "ECDH_P384"
	BCRYPT_ECDH_P521_ALGORITHM  = "ECDH_P521"
	BCRYPT_ECDSA_P256_ALGORITHM = "ECDSA_P256"
	BCRYPT_ECDSA_P384_ALGORITHM = "ECDSA_P384"
	BCRYPT_ECDSA_P521_ALGORITHM = "ECDSA_P521"
	// BCRYPT_AES_ALGORITHM is the one symmetric algorithm a key is created
	// for, where the profile allows it (setting ksp.create.aes-keys).
	BCRYPT_AES_ALGORITHM = "AES"
)

// CryptoAPI provider names and types (wincrypt.h).
const (
	MS_DEF_PROV         = "Microsoft Base Cryptographic Provider v1.0"
	MS_ENHANCED_PROV    = "Microsoft Enhanced Cryptographic Provider v1.0"
	MS_STRONG_PROV      = "Microsoft Strong Cryptographic Provider"
	MS_ENH_RSA_AES_PROV = "Microsoft Enhanced RSA and AES Cryptographic Provider"
	// MS_DEF_RSA_SCHANNEL_PROV is the provider of PROV_RSA_SCHANNEL, which
	// the model does not implement (csp.acquire.schannel).
	MS_DEF_RSA_SCHANNEL_PROV = "Microsoft RSA SChannel Cryptographic Provider"

	PROV_RSA_FULL     uint32 = 1
	PROV_RSA_SCHANNEL uint32 = 12
	PROV_RSA_AES      uint32 = 24
)

// CryptAcquireContext flags (wincrypt.h).
const (
	CRYPT_NEWKEYSET                  uint32 = 0x00000008
	CRYPT_DELETEKEYSET               uint32 = 0x00000010
	CRYPT_MACHINE_KEYSET             uint32 = 0x00000020
	CRYPT_SILENT                     uint32 = 0x00000040
	CRYPT_DEFAULT_CONTAINER_OPTIONAL uint32 = 0x00000080
	CRYPT_VERIFYCONTEXT              uint32 = 0xF0000000
)

// CryptGenKey and CryptHashData flags (wincrypt.h).
const (
	CRYPT_EXPORTABLE     uint32 = 0x00000001
	CRYPT_USER_PROTECTED uint32 = 0x00000002
	CRYPT_CREATE_SALT    uint32 = 0x00000004
	CRYPT_USERDATA       uint32 = 0x00000001
)

// Key specs (wincrypt.h). They are untyped, as the header's defines are:
// the SDK passes them both as an ALG_ID (CryptGenKey's Algid, where they
// name the container's key pairs) and as a DWORD key spec (CryptGetUserKey's
// dwKeySpec, NCrypt's dwLegacyKeySpec).
const (
	AT_KEYEXCHANGE = 1
	AT_SIGNATURE   = 2
)

// ALG_ID is a CryptoAPI algorithm identifier, the SDK's type of the same
// name (wincrypt.h). Its String is the SDK name.
type ALG_ID uint32

// Algorithm identifiers (wincrypt.h).
const (
	CALG_MD2     ALG_ID = 0x00008001
	CALG_MD4     ALG_ID = 0x00008002
	CALG_MD5     ALG_ID = 0x00008003
	CALG_SHA1    ALG_ID = 0x00008004
	CALG_SHA_256 ALG_ID = 0x0000800c
	CALG_SHA_384 ALG_ID = 0x0000800d
	CALG_SHA_512 ALG_ID = 0x0000800e
	// CALG_SSL3_SHAMD5 is the hash of SSL 3 client authentication: its
	// value is set with CryptSetHashParam, not computed from data.
	CALG_SSL3_SHAMD5 ALG_ID = 0x00008008
	// CALG_MAC and CALG_HMAC are keyed hashes: CryptCreateHash needs a key
	// for them (a block-cipher key for CALG_MAC).
	CALG_MAC      ALG_ID = 0x00008005
	CALG_HMAC     ALG_ID = 0x00008009
	CALG_RC2      ALG_ID = 0x00006602
	CALG_RC4      ALG_ID = 0x00006801
	CALG_DES      ALG_ID = 0x00006601
	CALG_3DES_112 ALG_ID = 0x00006609
	CALG_3DES     ALG_ID = 0x00006603
	CALG_AES      ALG_ID = 0x00006611
	CALG_AES_128  ALG_ID = 0x0000660e
	CALG_AES_192  ALG_ID = 0x0000660f
	CALG_AES_256  ALG_ID = 0x00006610
	CALG_RSA_SIGN ALG_ID = 0x00002400
	CALG_RSA_KEYX ALG_ID = 0x0000a400
)

// String returns the identifier's SDK name (AT_KEYEXCHANGE and
// AT_SIGNATURE for 1 and 2, as CryptGenKey reads them), or ALG_ID(0x...)
// for an identifier without one.
func (a ALG_ID) String() string {
	if n := table.Name(GroupAlgID, uint32(a)); n != "" {
		return n
	}
	return fmt.Sprintf("ALG_ID(%#x)", uint32(a))
}

// Groups of constants, the names scenarios may use for each kind of field.
const (
	GroupNCryptFlags  = "ncrypt-flags"
	GroupKeySpec      = "key-spec"
	GroupProvType     = "prov-type"
	GroupAcquireFlags = "acquire-flags"
	GroupAlgID        = "alg-id"
	GroupGenKeyFlags  = "genkey-flags"
	GroupHashFlags    = "hash-flags"
)

// CryptConstants lists every constant of the CNG and CryptoAPI family by group, for scenario files.
func CryptConstants() []sim.Const {
	c := sim.ConstGroup
	var out []sim.Const
	out = append(out, c(GroupNCryptFlags,
		"NCRYPT_REGISTER_NOTIFY_FLAG", NCRYPT_REGISTER_NOTIFY_FLAG, "NCRYPT_UNREGISTER_NOTIFY_FLAG", NCRYPT_UNREGISTER_NOTIFY_FLAG,
		"NCRYPT_NO_KEY_VALIDATION", NCRYPT_NO_KEY_VALIDATION, "NCRYPT_MACHINE_KEY_FLAG", NCRYPT_MACHINE_KEY_FLAG,
		"NCRYPT_SILENT_FLAG", NCRYPT_SILENT_FLAG, "NCRYPT_OVERWRITE_KEY_FLAG", NCRYPT_OVERWRITE_KEY_FLAG,
		"NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG", NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG,
		"NCRYPT_PERSIST_ONLY_FLAG", NCRYPT_PERSIST_ONLY_FLAG, "NCRYPT_PERSIST_FLAG", NCRYPT_PERSIST_FLAG)...)
	specs := []any{"AT_KEYEXCHANGE", uint32(AT_KEYEXCHANGE), "AT_SIGNATURE", uint32(AT_SIGNATURE)}
	out = append(out, c(GroupKeySpec, specs...)...)
	out = append(out, c(GroupProvType, "PROV_RSA_FULL", PROV_RSA_FULL, "PROV_RSA_SCHANNEL", PROV_RSA_SCHANNEL, "PROV_RSA_AES", PROV_RSA_AES)...)
	out = append(out, c(GroupAcquireFlags,
		"CRYPT_NEWKEYSET", CRYPT_NEWKEYSET, "CRYPT_DELETEKEYSET", CRYPT_DELETEKEYSET,
		"CRYPT_MACHINE_KEYSET", CRYPT_MACHINE_KEYSET, "CRYPT_SILENT", CRYPT_SILENT,
		"CRYPT_DEFAULT_CONTAINER_OPTIONAL", CRYPT_DEFAULT_CONTAINER_OPTIONAL, "CRYPT_VERIFYCONTEXT", CRYPT_VERIFYCONTEXT)...)
	out = append(out, c(GroupAlgID, append(specs,
		"CALG_MD2", CALG_MD2, "CALG_MD4", CALG_MD4, "CALG_MD5", CALG_MD5, "CALG_SHA1", CALG_SHA1,
		"CALG_SHA_256", CALG_SHA_256, "CALG_SHA_384", CALG_SHA_384, "CALG_SHA_512", CALG_SHA_512,
		"CALG_SSL3_SHAMD5", CALG_SSL3_SHAMD5, "CALG_MAC", CALG_MAC, "CALG_HMAC", CALG_HMAC,
		"CALG_RC2", CALG_RC2, "CALG_RC4", CALG_RC4, "CALG_DES", CALG_DES,
		"CALG_3DES_112", CALG_3DES_112, "CALG_3DES", CALG_3DES,
		"CALG_AES", CALG_AES, "CALG_AES_128", CALG_AES_128, "CALG_AES_192", CALG_AES_192, "CALG_AES_256", CALG_AES_256,
		"CALG_RSA_SIGN", CALG_RSA_SIGN, "CALG_RSA_KEYX", CALG_RSA_KEYX)...)...)
	out = append(out, c(GroupGenKeyFlags,
		"CRYPT_EXPORTABLE", CRYPT_EXPORTABLE, "CRYPT_USER_PROTECTED", CRYPT_USER_PROTECTED, "CRYPT_CREATE_SALT", CRYPT_CREATE_SALT)...)
	out = append(out, c(GroupHashFlags, "CRYPT_USERDATA", CRYPT_USERDATA)...)
	return out
}

// ProviderConfig describes a CNG key storage provider to register with
// KSP.RegisterProvider, standing in for a third-party KSP installed on the
// machine.
type ProviderConfig struct {
	// Name is the name NCryptOpenStorageProvider opens it by.
	Name string
	// NoChangeNotify makes NCryptNotifyChangeKey answer NTE_NOT_SUPPORTED,
	// as Microsoft's CNG sample KSP (and the KSPs built from it) do.
	NoChangeNotify bool
}

// CSPConfig describes a CryptoAPI provider to register with
// CSP.RegisterProvider, standing in for a third-party CSP.
type CSPConfig struct {
	// Name is the name CryptAcquireContext opens it by.
	Name string
	// Type is its provider type (PROV_RSA_FULL, PROV_RSA_AES, or another
	// value in 1..999).
	Type uint32
	// RefuseBusyDelete makes CRYPT_DELETEKEYSET fail with ERROR_BUSY while a
	// context on the container is open: the documentation says some CSPs do
	// this; Microsoft's do not.
	RefuseBusyDelete bool
}

// NCRYPT_HANDLE, NCRYPT_PROV_HANDLE and NCRYPT_KEY_HANDLE are the NCrypt
// handle types; HCRYPTPROV, HCRYPTKEY and HCRYPTHASH the CryptoAPI ones. In
// the model they all are values of the calling process's handle table that
// are not kernel handles (CloseHandle refuses them).
type (
	NCRYPT_HANDLE      = sim.Handle
	NCRYPT_PROV_HANDLE = sim.Handle
	NCRYPT_KEY_HANDLE  = sim.Handle
	HCRYPTPROV         = sim.Handle
	HCRYPTKEY          = sim.Handle
	HCRYPTHASH         = sim.Handle
)

// ModelUserName is the name of the one user every simulated process runs
// as. A NULL or empty CryptoAPI container name opens the container named
// after it.
const ModelUserName = "user"
