package ksp

import "github.com/winsim/winsim/sim"

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

// Str returns a pointer to s, for the string parameters that may be NULL.
func Str(s string) *string { return &s }

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
