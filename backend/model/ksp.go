package model

import (
	"fmt"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

var (
	_ backend.KSP = (*Backend)(nil)
	_ backend.CSP = (*Backend)(nil)
)

// The key storage router and the CryptoAPI of each machine.
var (
	kspModel = registerModel("ksp", ksp.NewKSP)
	cspModel = registerModel("csp", ksp.NewCSP)
)

// KSP returns the CNG key storage model.
func (b *Backend) KSP() *ksp.KSP { return kspModel.of(b) }

// CSP returns the CryptoAPI model.
func (b *Backend) CSP() *ksp.CSP { return cspModel.of(b) }

// FindNextChangeNotification implements backend.ChangeNotifications.
func (b *Backend) FindNextChangeNotification(th string, h sim.Handle) sim.Errno {
	return b.th(th).FindNextChangeNotification(h)
}

// FindCloseChangeNotification implements backend.ChangeNotifications.
func (b *Backend) FindCloseChangeNotification(th string, h sim.Handle) sim.Errno {
	return b.th(th).FindCloseChangeNotification(h)
}

// NCryptOpenStorageProvider implements backend.KSP.
func (b *Backend) NCryptOpenStorageProvider(th string, phProvider *sim.Handle, name *string, flags uint32) sim.HResult {
	return b.KSP().NCryptOpenStorageProvider(b.th(th), phProvider, name, flags)
}

// NCryptFreeObject implements backend.KSP.
func (b *Backend) NCryptFreeObject(th string, h sim.Handle) sim.HResult {
	return b.KSP().NCryptFreeObject(b.th(th), h)
}

// NCryptIsAlgSupported implements backend.KSP.
func (b *Backend) NCryptIsAlgSupported(th string, hProvider sim.Handle, algID *string, flags uint32) sim.HResult {
	return b.KSP().NCryptIsAlgSupported(b.th(th), hProvider, algID, flags)
}

// NCryptCreatePersistedKey implements backend.KSP.
func (b *Backend) NCryptCreatePersistedKey(th string, hProvider sim.Handle, phKey *sim.Handle, algID, keyName *string, legacyKeySpec, flags uint32) sim.HResult {
	return b.KSP().NCryptCreatePersistedKey(b.th(th), hProvider, phKey, algID, keyName, legacyKeySpec, flags)
}

// NCryptFinalizeKey implements backend.KSP.
func (b *Backend) NCryptFinalizeKey(th string, hKey sim.Handle, flags uint32) sim.HResult {
	return b.KSP().NCryptFinalizeKey(b.th(th), hKey, flags)
}

// NCryptOpenKey implements backend.KSP.
func (b *Backend) NCryptOpenKey(th string, hProvider sim.Handle, phKey *sim.Handle, keyName *string, legacyKeySpec, flags uint32) sim.HResult {
	return b.KSP().NCryptOpenKey(b.th(th), hProvider, phKey, keyName, legacyKeySpec, flags)
}

// NCryptDeleteKey implements backend.KSP.
func (b *Backend) NCryptDeleteKey(th string, hKey sim.Handle, flags uint32) sim.HResult {
	return b.KSP().NCryptDeleteKey(b.th(th), hKey, flags)
}

// NCryptSetProperty implements backend.KSP.
func (b *Backend) NCryptSetProperty(th string, hObject sim.Handle, property *string, value []byte, flags uint32) sim.HResult {
	return b.KSP().NCryptSetProperty(b.th(th), hObject, property, value, flags)
}

// NCryptNotifyChangeKey implements backend.KSP. Under a profile where the
// function is a stub that aborts the process (wine-8.0), the call is
// declined (backend.Refuser), as a real backend declines it: the call
// returns backend.DeclinedHResult and writes nothing.
func (b *Backend) NCryptNotifyChangeKey(th string, hProvider sim.Handle, phEvent *sim.Handle, flags uint32) sim.HResult {
	hr, err := b.KSP().NCryptNotifyChangeKey(b.th(th), hProvider, phEvent, flags)
	if err != nil {
		b.refused = fmt.Errorf("%w: %v", backend.ErrUnsupported, err)
		return backend.DeclinedHResult
	}
	return hr
}

// RegisterKeyStorageProvider implements backend.ProviderInstaller.
func (b *Backend) RegisterKeyStorageProvider(cfg win32.ProviderConfig) error {
	return b.KSP().RegisterProvider(cfg)
}

// CryptAcquireContext implements backend.CSP. A call the model has no
// answer for (the Schannel provider, csp.acquire.schannel) is declined
// (backend.Refuser): it does nothing and returns backend.DeclinedCode.
func (b *Backend) CryptAcquireContext(th string, phProv *sim.Handle, container, provider *string, provType, flags uint32) sim.Code {
	if err := b.CSP().AcquireUnmodeled(provType, provider); err != nil {
		b.refused = fmt.Errorf("%w: %v", backend.ErrUnsupported, err)
		return backend.DeclinedCode
	}
	return b.CSP().CryptAcquireContext(b.th(th), phProv, container, provider, provType, flags)
}

// CryptContextAddRef implements backend.CSP.
func (b *Backend) CryptContextAddRef(th string, hProv sim.Handle, pdwReserved *uint32, flags uint32) sim.Code {
	return b.CSP().CryptContextAddRef(b.th(th), hProv, pdwReserved, flags)
}

// CryptReleaseContext implements backend.CSP.
func (b *Backend) CryptReleaseContext(th string, hProv sim.Handle, flags uint32) sim.Code {
	return b.CSP().CryptReleaseContext(b.th(th), hProv, flags)
}

// CryptGenKey implements backend.CSP.
func (b *Backend) CryptGenKey(th string, hProv sim.Handle, algID win32.ALG_ID, flags uint32, phKey *sim.Handle) sim.Code {
	return b.CSP().CryptGenKey(b.th(th), hProv, algID, flags, phKey)
}

// CryptGetUserKey implements backend.CSP.
func (b *Backend) CryptGetUserKey(th string, hProv sim.Handle, keySpec uint32, phUserKey *sim.Handle) sim.Code {
	return b.CSP().CryptGetUserKey(b.th(th), hProv, keySpec, phUserKey)
}

// CryptDestroyKey implements backend.CSP.
func (b *Backend) CryptDestroyKey(th string, hKey sim.Handle) sim.Code {
	return b.CSP().CryptDestroyKey(b.th(th), hKey)
}

// CryptCreateHash implements backend.CSP.
func (b *Backend) CryptCreateHash(th string, hProv sim.Handle, algID win32.ALG_ID, hKey sim.Handle, flags uint32, phHash *sim.Handle) sim.Code {
	return b.CSP().CryptCreateHash(b.th(th), hProv, algID, hKey, flags, phHash)
}

// CryptHashData implements backend.CSP.
func (b *Backend) CryptHashData(th string, hHash sim.Handle, data []byte, flags uint32) sim.Code {
	return b.CSP().CryptHashData(b.th(th), hHash, data, flags)
}

// CryptDestroyHash implements backend.CSP.
func (b *Backend) CryptDestroyHash(th string, hHash sim.Handle) sim.Code {
	return b.CSP().CryptDestroyHash(b.th(th), hHash)
}

// RegisterCryptoProvider implements backend.ProviderInstaller.
func (b *Backend) RegisterCryptoProvider(cfg win32.CSPConfig) error {
	return b.CSP().RegisterProvider(cfg)
}
