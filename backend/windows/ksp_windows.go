package windows

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The ncrypt calls run on the named thread. Key names are mapped to names
// unique to the backend, as service names are, and the persisted keys the
// backend created are deleted when it closes.

var _ backend.KSP = (*Backend)(nil)

// defaultKSP is the provider a NULL provider name opens.
const defaultKSP = "Microsoft Software Key Storage Provider"

// kspState is the backend's key storage bookkeeping, under b.mu.
type kspState struct {
	providers map[windows.Handle]string // provider handles -> the name opened
	live      map[windows.Handle]bool   // ncrypt handles issued and not freed
	created   []createdKey
}

// kspFamily finds a backend's kspState.
var kspFamily = registerState("ksp", func() *kspState { return &kspState{} })

// ksp returns the backend's kspState; the caller holds b.mu to use it.
func (b *Backend) ksp() *kspState { return kspFamily.of(b) }

// wineGuard: under Wine 8.0, ncrypt handles are pointers the library
// dereferences unchecked, so a call given a value that is neither NULL nor
// a live ncrypt handle (a freed one, an event handle, a made-up value)
// faults and ends the process (measured). Such a call yields no code: the
// backend declines it (backend.Refuser), and wineGuard reports true.
func (b *Backend) wineGuard(call string, h sim.Handle) bool {
	if b.profile != "wine-8.0" || h == 0 {
		return false
	}
	b.mu.Lock()
	live := b.ksp().live[windows.Handle(h)]
	b.mu.Unlock()
	if !live {
		b.refuse(fmt.Errorf("%s(%s) with a value that is not a live ncrypt handle ends the process under Wine 8.0 (measured), returning no code: %w", call, h, backend.ErrUnsupported))
	}
	return !live
}

// wineNullOut: under Wine 8.0 the ncrypt calls write their output handle
// without checking the pointer, so a NULL one faults and ends the process
// (measured): the backend declines such a call there, and wineNullOut
// reports true.
func (b *Backend) wineNullOut(call string, p *sim.Handle) bool {
	if b.profile == "wine-8.0" && p == nil {
		b.refuse(fmt.Errorf("%s with a NULL output pointer ends the process under Wine 8.0 (measured), returning no code: %w", call, backend.ErrUnsupported))
		return true
	}
	return false
}

// ncryptIssued records a live ncrypt handle (or forgets a freed one).
func (b *Backend) ncryptIssued(h windows.Handle, live bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ksp().live == nil {
		b.ksp().live = map[windows.Handle]bool{}
	}
	if live {
		b.ksp().live[h] = true
	} else {
		delete(b.ksp().live, h)
	}
}

// createdKey is a persisted key the backend made, to delete at Close.
type createdKey struct {
	provider, name string
	flags          uint32 // NCRYPT_MACHINE_KEY_FLAG or 0
}

func hresult(status uint32) sim.HResult { return sim.HResult(status) }

// NCryptOpenStorageProvider implements backend.KSP.
func (b *Backend) NCryptOpenStorageProvider(th string, phProvider *sim.Handle, providerName *string, flags uint32) (hr sim.HResult) {
	if b.wineNullOut("NCryptOpenStorageProvider", phProvider) {
		return backend.DeclinedHResult
	}
	b.worker(th).call(func() {
		out := handleArg(phProvider)
		hr = hresult(winapi.NCryptOpenStorageProvider(out, utf16Ptr(providerName), flags))
		if out != nil {
			handleOut(phProvider, *out)
			if hr == 0 {
				name := defaultKSP
				if providerName != nil {
					name = *providerName
				}
				// Under Wine 8.0 a name other than the software KSP's gets
				// a fake handle (measured): not one to call with.
				if b.profile != "wine-8.0" || strings.EqualFold(name, defaultKSP) {
					b.ncryptIssued(*out, true)
				}
				b.mu.Lock()
				if b.ksp().providers == nil {
					b.ksp().providers = map[windows.Handle]string{}
				}
				b.ksp().providers[*out] = name
				b.mu.Unlock()
			}
		}
	})
	return hr
}

// NCryptFreeObject implements backend.KSP.
func (b *Backend) NCryptFreeObject(th string, h sim.Handle) (hr sim.HResult) {
	if b.wineGuard("NCryptFreeObject", h) {
		return backend.DeclinedHResult
	}
	b.worker(th).call(func() {
		hr = hresult(winapi.NCryptFreeObject(windows.Handle(h)))
		if hr == 0 {
			b.ncryptIssued(windows.Handle(h), false)
		}
	})
	return hr
}

// NCryptIsAlgSupported implements backend.KSP.
func (b *Backend) NCryptIsAlgSupported(th string, hProvider sim.Handle, algID *string, flags uint32) (hr sim.HResult) {
	if b.wineGuard("NCryptIsAlgSupported", hProvider) {
		return backend.DeclinedHResult
	}
	b.worker(th).call(func() {
		hr = hresult(winapi.NCryptIsAlgSupported(windows.Handle(hProvider), utf16Ptr(algID), flags))
	})
	return hr
}

// NCryptCreatePersistedKey implements backend.KSP.
func (b *Backend) NCryptCreatePersistedKey(th string, hProvider sim.Handle, phKey *sim.Handle, algID, keyName *string, legacyKeySpec, flags uint32) (hr sim.HResult) {
	if b.wineNullOut("NCryptCreatePersistedKey", phKey) || b.wineGuard("NCryptCreatePersistedKey", hProvider) {
		return backend.DeclinedHResult
	}
	real := b.names.toRealPtr(keyName)
	b.worker(th).call(func() {
		out := handleArg(phKey)
		hr = hresult(winapi.NCryptCreatePersistedKey(windows.Handle(hProvider), out, utf16Ptr(algID), utf16Ptr(real), legacyKeySpec, flags))
		if out != nil {
			handleOut(phKey, *out)
			if hr == 0 {
				b.ncryptIssued(*out, true)
			}
		}
		if hr == 0 && real != nil {
			b.mu.Lock()
			b.ksp().created = append(b.ksp().created, createdKey{b.ksp().providers[windows.Handle(hProvider)], *real, flags & win32.NCRYPT_MACHINE_KEY_FLAG})
			b.mu.Unlock()
		}
	})
	return hr
}

// NCryptFinalizeKey implements backend.KSP.
func (b *Backend) NCryptFinalizeKey(th string, hKey sim.Handle, flags uint32) (hr sim.HResult) {
	if b.wineGuard("NCryptFinalizeKey", hKey) {
		return backend.DeclinedHResult
	}
	b.worker(th).call(func() { hr = hresult(winapi.NCryptFinalizeKey(windows.Handle(hKey), flags)) })
	return hr
}

// NCryptOpenKey implements backend.KSP.
func (b *Backend) NCryptOpenKey(th string, hProvider sim.Handle, phKey *sim.Handle, keyName *string, legacyKeySpec, flags uint32) (hr sim.HResult) {
	if b.wineNullOut("NCryptOpenKey", phKey) || b.wineGuard("NCryptOpenKey", hProvider) {
		return backend.DeclinedHResult
	}
	real := b.names.toRealPtr(keyName)
	b.worker(th).call(func() {
		out := handleArg(phKey)
		hr = hresult(winapi.NCryptOpenKey(windows.Handle(hProvider), out, utf16Ptr(real), legacyKeySpec, flags))
		if out != nil {
			handleOut(phKey, *out)
			if hr == 0 {
				b.ncryptIssued(*out, true)
			}
		}
	})
	return hr
}

// NCryptDeleteKey implements backend.KSP.
func (b *Backend) NCryptDeleteKey(th string, hKey sim.Handle, flags uint32) (hr sim.HResult) {
	if b.wineGuard("NCryptDeleteKey", hKey) {
		return backend.DeclinedHResult
	}
	b.worker(th).call(func() {
		hr = hresult(winapi.NCryptDeleteKey(windows.Handle(hKey), flags))
		if hr == 0 {
			b.ncryptIssued(windows.Handle(hKey), false)
		}
	})
	return hr
}

// NCryptSetProperty implements backend.KSP.
func (b *Backend) NCryptSetProperty(th string, hObject sim.Handle, property *string, value []byte, flags uint32) (hr sim.HResult) {
	if b.wineGuard("NCryptSetProperty", hObject) {
		return backend.DeclinedHResult
	}
	if b.profile == "wine-8.0" && property == nil {
		// Wine 8.0 compares the name without checking it for NULL, and the
		// fault ends the process (measured).
		b.refuse(fmt.Errorf("NCryptSetProperty with a NULL property name ends the process under Wine 8.0 (measured), returning no code: %w", backend.ErrUnsupported))
		return backend.DeclinedHResult
	}
	var p *byte
	if len(value) > 0 {
		p = &value[0]
	}
	b.worker(th).call(func() {
		hr = hresult(winapi.NCryptSetProperty(windows.Handle(hObject), utf16Ptr(property), p, uint32(len(value)), flags))
	})
	return hr
}

// NCryptNotifyChangeKey implements backend.KSP. Under Wine 8.0 the
// function is an unimplemented stub whose call ends the process (measured),
// so the backend does not make it there.
func (b *Backend) NCryptNotifyChangeKey(th string, hProvider sim.Handle, phEvent *sim.Handle, flags uint32) (hr sim.HResult) {
	if _, wine := WineVersion(); wine {
		b.refuse(fmt.Errorf("NCryptNotifyChangeKey ends the calling process under %s (measured under Wine 8.0), returning no code: %w", b.system, backend.ErrUnsupported))
		return backend.DeclinedHResult
	}
	var before windows.Handle
	if phEvent != nil {
		before = windows.Handle(*phEvent)
	}
	b.worker(th).call(func() {
		out := handleArg(phEvent)
		hr = hresult(winapi.NCryptNotifyChangeKey(windows.Handle(hProvider), out, flags))
		if out != nil {
			handleOut(phEvent, *out)
			if hr == 0 && flags&win32.NCRYPT_UNREGISTER_NOTIFY_FLAG != 0 {
				// Unregistering closes the change handle given and
				// writes INVALID_HANDLE_VALUE; registering hands one out.
				b.holdKernel(before, false)
			} else if hr == 0 {
				b.holdKernel(*out, true)
			}
		}
	})
	return hr
}

// FindNextChangeNotification implements backend.KSP.
func (b *Backend) FindNextChangeNotification(th string, h sim.Handle) (code sim.Errno) {
	if b.kernelGuard("FindNextChangeNotification", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(windows.FindNextChangeNotification(windows.Handle(h))) })
	return code
}

// FindCloseChangeNotification implements backend.KSP.
func (b *Backend) FindCloseChangeNotification(th string, h sim.Handle) (code sim.Errno) {
	if b.kernelGuard("FindCloseChangeNotification", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(windows.FindCloseChangeNotification(windows.Handle(h))) })
	if code == sim.ERROR_SUCCESS {
		b.holdKernel(windows.Handle(h), false)
	}
	return code
}

// close deletes the persisted keys the backend created that are still
// there.
func (s *kspState) close(b *Backend) error {
	b.mu.Lock()
	created := s.created
	s.created = nil
	b.mu.Unlock()
	var errs []error
	for _, k := range created {
		var prov windows.Handle
		if st := winapi.NCryptOpenStorageProvider(&prov, windows.StringToUTF16Ptr(k.provider), 0); st != 0 {
			continue
		}
		var key windows.Handle
		if st := winapi.NCryptOpenKey(prov, &key, windows.StringToUTF16Ptr(k.name), 0, k.flags|win32.NCRYPT_SILENT_FLAG); st == 0 {
			if st := winapi.NCryptDeleteKey(key, win32.NCRYPT_SILENT_FLAG); st != 0 {
				errs = append(errs, fmt.Errorf("deleting key %s: %s", k.name, hresult(st)))
			}
		}
		_ = winapi.NCryptFreeObject(prov)
	}
	return errors.Join(errs...)
}
