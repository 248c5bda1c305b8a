package backend

import (
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

var (
	// CapKSP: the backend implements the KSP interface (CNG key storage).
	CapKSP = NewCapability[KSP]("family:ksp")
	// CapCSP: the backend implements the CSP interface (CryptoAPI).
	CapCSP = NewCapability[CSP]("family:csp")
	// CapInstallProvider: the backend is a ProviderInstaller. Only a model
	// is.
	CapInstallProvider = NewCapability[ProviderInstaller]("install-provider")
)

// ChangeNotifications are the kernel32 calls that re-arm and close a
// change-notification handle (the handle FindFirstChangeNotification
// returns, and NCryptNotifyChangeKey too). Waits on such a handle are the
// Kernel's wait functions.
type ChangeNotifications interface {
	// FindNextChangeNotification returns ERROR_SUCCESS for TRUE, else the
	// thread's last error.
	FindNextChangeNotification(thread string, h sim.Handle) sim.Errno
	// FindCloseChangeNotification returns ERROR_SUCCESS for TRUE, else the
	// thread's last error.
	FindCloseChangeNotification(thread string, h sim.Handle) sim.Errno
}

// KSP is the CNG key storage family (ncrypt.dll). Each method is one ncrypt
// call with the same parameters in the same order: output handles are
// written through the pointer given (nil passes NULL), strings that may be
// NULL are *string, and the SECURITY_STATUS comes back as is (0 is
// ERROR_SUCCESS).
type KSP interface {
	Kernel
	ChangeNotifications

	NCryptOpenStorageProvider(thread string, phProvider *sim.Handle, providerName *string, flags uint32) sim.HResult
	NCryptFreeObject(thread string, h sim.Handle) sim.HResult
	NCryptIsAlgSupported(thread string, hProvider sim.Handle, algID *string, flags uint32) sim.HResult
	NCryptCreatePersistedKey(thread string, hProvider sim.Handle, phKey *sim.Handle, algID, keyName *string, legacyKeySpec, flags uint32) sim.HResult
	NCryptFinalizeKey(thread string, hKey sim.Handle, flags uint32) sim.HResult
	NCryptOpenKey(thread string, hProvider sim.Handle, phKey *sim.Handle, keyName *string, legacyKeySpec, flags uint32) sim.HResult
	NCryptDeleteKey(thread string, hKey sim.Handle, flags uint32) sim.HResult
	NCryptSetProperty(thread string, hObject sim.Handle, property *string, value []byte, flags uint32) sim.HResult
	// NCryptNotifyChangeKey is declined (Refuser) where the call does not
	// return at all: under Wine 8.0 the function is a stub that aborts the
	// calling process.
	NCryptNotifyChangeKey(thread string, hProvider sim.Handle, phEvent *sim.Handle, flags uint32) sim.HResult
}

// ProviderInstaller is implemented by a backend that can install other
// providers (CapInstallProvider).
type ProviderInstaller interface {
	// RegisterKeyStorageProvider installs another key storage provider,
	// such as one that does not support change notification.
	RegisterKeyStorageProvider(cfg win32.ProviderConfig) error
	// RegisterCryptoProvider installs another CSP, such as one that refuses
	// to delete busy containers.
	RegisterCryptoProvider(cfg win32.CSPConfig) error
}

// CSP is the legacy CryptoAPI family (advapi32.dll). Each method is one
// CryptoAPI call with the same parameters in the same order (output handles
// through the pointer given, nil for NULL). The BOOL result and the last
// error come back as one code: ERROR_SUCCESS for TRUE, otherwise the
// thread's last error as sim.LastError classifies it, so that NTE_* values
// keep their HRESULT names.
type CSP interface {
	Kernel

	CryptAcquireContext(thread string, phProv *sim.Handle, container, provider *string, provType, flags uint32) sim.Code
	CryptContextAddRef(thread string, hProv sim.Handle, pdwReserved *uint32, flags uint32) sim.Code
	CryptReleaseContext(thread string, hProv sim.Handle, flags uint32) sim.Code
	CryptGenKey(thread string, hProv sim.Handle, algID win32.ALG_ID, flags uint32, phKey *sim.Handle) sim.Code
	CryptGetUserKey(thread string, hProv sim.Handle, keySpec uint32, phUserKey *sim.Handle) sim.Code
	CryptDestroyKey(thread string, hKey sim.Handle) sim.Code
	CryptCreateHash(thread string, hProv sim.Handle, algID win32.ALG_ID, hKey sim.Handle, flags uint32, phHash *sim.Handle) sim.Code
	CryptHashData(thread string, hHash sim.Handle, data []byte, flags uint32) sim.Code
	CryptDestroyHash(thread string, hHash sim.Handle) sim.Code
}
