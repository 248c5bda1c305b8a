package windows

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unsafe"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/windows/internal/twinrt"
)

// CryptAcquireContext opens a context on a key container of a
// cryptographic service provider (CryptAcquireContextW): the model's
// Microsoft RSA providers and their containers. container and provider are
// NUL-terminated UTF-16 strings or nil. A failure returns the provider's
// code as an Errno (Errno(NTE_BAD_KEYSET)). The Schannel provider is not
// modeled: a call for it is refused with an error matching
// errors.ErrUnsupported (rule csp.acquire.schannel), and not made.
func CryptAcquireContext(provhandle *Handle, container *uint16, provider *uint16, provtype uint32, flags uint32) (err error) {
	b := twinrt.Current()
	csp := twinrt.Family(b, ksp.NewCSP)
	cont, prov := utf16PtrString(container), utf16PtrString(provider)
	if why := csp.AcquireUnmodeled(provtype, prov); why != nil {
		return fmt.Errorf("winsim/windows: CryptAcquireContext: %w; the call was not made: %w", why, errors.ErrUnsupported)
	}
	var ph *sim.Handle
	var out sim.Handle
	if provhandle != nil {
		out = sim.Handle(*provhandle)
		ph = &out
	}
	b.Call(func(th *twinrt.Thread) {
		err = codeErr(th, csp.CryptAcquireContext(th.T, ph, cont, prov, provtype, flags))
	})
	if provhandle != nil {
		*provhandle = Handle(out)
	}
	return err
}

// CryptReleaseContext releases one reference to a context; the last release
// closes it.
func CryptReleaseContext(provhandle Handle, flags uint32) (err error) {
	b := twinrt.Current()
	csp := twinrt.Family(b, ksp.NewCSP)
	b.Call(func(th *twinrt.Thread) {
		err = codeErr(th, csp.CryptReleaseContext(th.T, sim.Handle(provhandle), flags))
	})
	return err
}

// codeErr makes a model call's code th's last error and the call's error
// when it is a failure. Success leaves the last error alone, as the
// CryptoAPI calls do.
func codeErr(th *twinrt.Thread, c sim.Code) error {
	if c.Value == 0 {
		return nil
	}
	th.SetLastError(c.Value)
	return errnoErr(c.Value)
}

// utf16PtrString reads a NUL-terminated UTF-16 string, nil for nil.
func utf16PtrString(p *uint16) *string {
	if p == nil {
		return nil
	}
	var s []uint16
	for ; *p != 0; p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2)) {
		s = append(s, *p)
	}
	str := string(utf16.Decode(s))
	return &str
}
