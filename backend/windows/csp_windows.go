package windows

import (
	"errors"
	"fmt"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The CryptoAPI calls run on the named thread, like every call: the last
// error they leave is that thread's.

var _ backend.CSP = (*Backend)(nil)

// lastError turns a BOOL call's error into its code: ERROR_SUCCESS for
// TRUE, otherwise the last error as sim.LastError classifies it (CryptoAPI
// leaves NTE_* HRESULTs there).
func lastError(err error) sim.Code {
	if err == nil {
		return sim.LastError(0)
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return sim.LastError(uint32(e))
	}
	return sim.LastError(uint32(windows.ERROR_GEN_FAILURE))
}

// handleOut writes a handle through p, if any.
func handleOut(p *sim.Handle, h windows.Handle) {
	if p != nil {
		*p = sim.Handle(h)
	}
}

// handleArg returns where the call should write a handle: nil when the
// caller passed NULL.
func handleArg(p *sim.Handle) *windows.Handle {
	if p == nil {
		return nil
	}
	h := windows.Handle(*p)
	return &h
}

// CryptAcquireContext implements backend.CSP. Container names are mapped
// to names unique to the backend, as service names are, and the containers
// it made are deleted when it closes. The default container (NULL without
// CRYPT_VERIFYCONTEXT) is the user's own: the backend declines to use it.
func (b *Backend) CryptAcquireContext(th string, phProv *sim.Handle, container, provider *string, provType, flags uint32) (code sim.Code) {
	if container == nil && flags&win32.CRYPT_VERIFYCONTEXT == 0 {
		b.refuse(fmt.Errorf("CryptAcquireContext on the default container, which is the user's own on a real system: %w", backend.ErrUnsupported))
		return backend.DeclinedCode
	}
	real := b.names.toRealPtr(container)
	b.worker(th).call(func() {
		out := handleArg(phProv)
		code = lastError(windows.CryptAcquireContext(out, utf16Ptr(real), utf16Ptr(provider), provType, flags))
		if code == sim.LastError(0) && flags&win32.CRYPT_NEWKEYSET != 0 && real != nil {
			b.mu.Lock()
			cs := cspFamily.of(b)
			cs.containers = append(cs.containers, madeContainer{*real, provider, provType, flags & win32.CRYPT_MACHINE_KEYSET})
			b.mu.Unlock()
		}
		if out != nil {
			handleOut(phProv, *out)
		}
	})
	return code
}

// CryptContextAddRef implements backend.CSP.
func (b *Backend) CryptContextAddRef(th string, hProv sim.Handle, pdwReserved *uint32, flags uint32) (code sim.Code) {
	b.worker(th).call(func() {
		code = lastError(winapi.CryptContextAddRef(windows.Handle(hProv), pdwReserved, flags))
	})
	return code
}

// CryptReleaseContext implements backend.CSP.
func (b *Backend) CryptReleaseContext(th string, hProv sim.Handle, flags uint32) (code sim.Code) {
	b.worker(th).call(func() {
		code = lastError(windows.CryptReleaseContext(windows.Handle(hProv), flags))
	})
	return code
}

// CryptGenKey implements backend.CSP.
func (b *Backend) CryptGenKey(th string, hProv sim.Handle, algID win32.ALG_ID, flags uint32, phKey *sim.Handle) (code sim.Code) {
	b.worker(th).call(func() {
		out := handleArg(phKey)
		code = lastError(winapi.CryptGenKey(windows.Handle(hProv), uint32(algID), flags, out))
		if out != nil {
			handleOut(phKey, *out)
		}
	})
	return code
}

// CryptGetUserKey implements backend.CSP.
func (b *Backend) CryptGetUserKey(th string, hProv sim.Handle, keySpec uint32, phUserKey *sim.Handle) (code sim.Code) {
	b.worker(th).call(func() {
		out := handleArg(phUserKey)
		code = lastError(winapi.CryptGetUserKey(windows.Handle(hProv), keySpec, out))
		if out != nil {
			handleOut(phUserKey, *out)
		}
	})
	return code
}

// CryptDestroyKey implements backend.CSP.
func (b *Backend) CryptDestroyKey(th string, hKey sim.Handle) (code sim.Code) {
	b.worker(th).call(func() { code = lastError(winapi.CryptDestroyKey(windows.Handle(hKey))) })
	return code
}

// CryptCreateHash implements backend.CSP.
func (b *Backend) CryptCreateHash(th string, hProv sim.Handle, algID win32.ALG_ID, hKey sim.Handle, flags uint32, phHash *sim.Handle) (code sim.Code) {
	b.worker(th).call(func() {
		out := handleArg(phHash)
		code = lastError(winapi.CryptCreateHash(windows.Handle(hProv), uint32(algID), windows.Handle(hKey), flags, out))
		if out != nil {
			handleOut(phHash, *out)
		}
	})
	return code
}

// CryptHashData implements backend.CSP.
func (b *Backend) CryptHashData(th string, hHash sim.Handle, data []byte, flags uint32) (code sim.Code) {
	var p *byte
	if len(data) > 0 {
		p = &data[0]
	}
	b.worker(th).call(func() {
		code = lastError(winapi.CryptHashData(windows.Handle(hHash), p, uint32(len(data)), flags))
	})
	return code
}

// CryptDestroyHash implements backend.CSP.
func (b *Backend) CryptDestroyHash(th string, hHash sim.Handle) (code sim.Code) {
	b.worker(th).call(func() { code = lastError(winapi.CryptDestroyHash(windows.Handle(hHash))) })
	return code
}

// madeContainer is a key container the backend made, to delete at Close.
type madeContainer struct {
	name     string
	provider *string
	provType uint32
	flags    uint32 // CRYPT_MACHINE_KEYSET or 0
}

// cspState is the backend's CryptoAPI bookkeeping, under b.mu.
type cspState struct {
	containers []madeContainer // key containers made, to delete at Close
}

// cspFamily finds a backend's cspState.
var cspFamily = registerState("csp", func() *cspState { return &cspState{} })

// close deletes the key containers the backend made.
func (s *cspState) close(b *Backend) error {
	b.mu.Lock()
	made := s.containers
	s.containers = nil
	b.mu.Unlock()
	for _, c := range made {
		var h windows.Handle
		_ = windows.CryptAcquireContext(&h, windows.StringToUTF16Ptr(c.name), utf16Ptr(c.provider), c.provType, c.flags|win32.CRYPT_DELETEKEYSET|win32.CRYPT_SILENT)
	}
	return nil
}
