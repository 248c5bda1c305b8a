package windows

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The registry calls never touch the system's own keys: every absolute name
// inside one of the model's default hives (win32.DefaultHives, such as
// \Registry\Machine\SOFTWARE) is mapped into a scratch key made for the
// backend, HKLM\Software\winsim-<id>, which mirrors those hives' mount
// points (\Registry\Machine\SOFTWARE\App becomes
// ...\winsim-<id>\Machine\SOFTWARE\App) and is deleted with everything
// under it when the backend closes. A name the mapping cannot place
// (\Registry itself, \Registry\Machine, a hive the model does not mount)
// and deleting a mirrored hive root are unsupported: the backend declines
// the call (backend.Refuser) and returns backend.DeclinedNTStatus.

var _ backend.Registry = (*Backend)(nil)

// scratchParent is where the scratch key lives, relative to HKLM.
const scratchParent = `Software`

// regState is the backend's registry bookkeeping, under b.mu.
type regState struct {
	scratch string                  // the scratch key's native name; "" until made
	roots   map[windows.Handle]bool // handles on mirrored hive roots
	keys    map[windows.Handle]bool // key handles the caller holds
}

// regFamily finds a backend's regState.
var regFamily = registerState("registry", func() *regState { return &regState{} })

// reg returns the backend's regState; the caller holds b.mu to use it.
func (b *Backend) reg() *regState { return regFamily.of(b) }

// kernelClosed forgets a key handle the caller closed by any call.
func (s *regState) kernelClosed(h windows.Handle) {
	delete(s.keys, h)
	delete(s.roots, h)
}

func (b *Backend) scratchName() string {
	return strings.TrimSuffix(b.names.prefix, "-")
}

// scratchRoot returns the native name of the scratch key, making it and
// the mirrored hive roots on first use.
func (b *Backend) scratchRoot() (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reg().scratch != "" {
		return b.reg().scratch, nil
	}
	base := `Software\` + b.scratchName()
	for _, h := range win32.DefaultHives {
		k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, base+strings.TrimPrefix(h.Path, `\Registry`), registry.ALL_ACCESS)
		if err != nil {
			return "", fmt.Errorf("making the registry scratch key HKLM\\%s: %v: %w", base, err, backend.ErrUnsupported)
		}
		_ = k.Close()
	}
	b.reg().scratch = `\REGISTRY\MACHINE\` + base
	b.reg().roots = map[windows.Handle]bool{}
	b.reg().keys = map[windows.Handle]bool{}
	return b.reg().scratch, nil
}

// mapKeyName maps an absolute native name into the scratch key; root
// reports whether it names a mirrored hive root.
func (b *Backend) mapKeyName(name string) (real string, root bool, err error) {
	scratch, err := b.scratchRoot()
	if err != nil {
		return "", false, err
	}
	for _, h := range win32.DefaultHives {
		p := h.Path
		if len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) && (len(name) == len(p) || name[len(p)] == '\\') {
			// The caller's spelling of \Registry is kept: without
			// OBJ_CASE_INSENSITIVE, Windows before 10 1607 compares that
			// object name exactly (reg.c:394, 663).
			n := len(`\Registry`)
			return name[:n] + scratch[n:] + name[n:], len(name) == len(p), nil
		}
	}
	return "", false, fmt.Errorf("key name %q is outside the hives the real backend mirrors into its scratch key: %w", name, backend.ErrUnsupported)
}

// ntString builds a counted string as the native calls take it, NULs and
// all.
func ntString(s string) *windows.NTUnicodeString {
	u := utf16.Encode([]rune(s))
	n := uint16(len(u) * 2)
	u = append(u, 0)
	return &windows.NTUnicodeString{Length: n, MaximumLength: n + 2, Buffer: &u[0]}
}

// objectAttributes maps oa for the real call.
func (b *Backend) objectAttributes(oa win32.ObjectAttributes) (*windows.OBJECT_ATTRIBUTES, bool, error) {
	name, root := oa.ObjectName, false
	if oa.RootDirectory == 0 {
		var err error
		if name, root, err = b.mapKeyName(name); err != nil {
			return nil, false, err
		}
	}
	a := &windows.OBJECT_ATTRIBUTES{
		RootDirectory: windows.Handle(oa.RootDirectory),
		ObjectName:    ntString(name),
		Attributes:    oa.Attributes,
	}
	a.Length = uint32(unsafe.Sizeof(*a))
	return a, root, nil
}

func (b *Backend) trackKey(h windows.Handle, root bool) {
	if h == 0 {
		return
	}
	b.holdKernel(h, true)
	b.mu.Lock()
	b.reg().keys[h] = true
	if root {
		b.reg().roots[h] = true
	} else {
		delete(b.reg().roots, h)
	}
	b.mu.Unlock()
}

// NtCreateKey implements backend.Registry.
func (b *Backend) NtCreateKey(th string, access uint32, oa win32.ObjectAttributes, options uint32) (h sim.Handle, disposition uint32, status sim.NTStatus) {
	if b.kernelGuard("NtCreateKey", oa.RootDirectory) {
		return backend.DeclinedHandle, 0, backend.DeclinedNTStatus
	}
	a, root, err := b.objectAttributes(oa)
	if err != nil {
		b.refuse(err)
		return backend.DeclinedHandle, 0, backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		var kh windows.Handle
		status = sim.NTStatus(winapi.NtCreateKey(&kh, access, a, 0, nil, options, &disposition))
		if status == sim.STATUS_SUCCESS {
			kh = b.freshKernel(kh)
			b.trackKey(kh, root)
		}
		h = sim.Handle(kh)
	})
	return h, disposition, status
}

// ZwCreateKey implements backend.Registry: from user mode the same entry
// point as NtCreateKey.
func (b *Backend) ZwCreateKey(th string, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return b.NtCreateKey(th, access, oa, options)
}

// NtOpenKey implements backend.Registry.
func (b *Backend) NtOpenKey(th string, access uint32, oa win32.ObjectAttributes) (h sim.Handle, status sim.NTStatus) {
	if b.kernelGuard("NtOpenKey", oa.RootDirectory) {
		return backend.DeclinedHandle, backend.DeclinedNTStatus
	}
	a, root, err := b.objectAttributes(oa)
	if err != nil {
		b.refuse(err)
		return backend.DeclinedHandle, backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		var kh windows.Handle
		status = sim.NTStatus(winapi.NtOpenKey(&kh, access, a))
		if status == sim.STATUS_SUCCESS {
			kh = b.freshKernel(kh)
			b.trackKey(kh, root)
		}
		h = sim.Handle(kh)
	})
	return h, status
}

// ZwOpenKey implements backend.Registry.
func (b *Backend) ZwOpenKey(th string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return b.NtOpenKey(th, access, oa)
}

// NtSetValueKey implements backend.Registry.
func (b *Backend) NtSetValueKey(th string, h sim.Handle, name string, typ uint32, data []byte) (status sim.NTStatus) {
	if b.kernelGuard("NtSetValueKey", h) {
		return backend.DeclinedNTStatus
	}
	var p *byte
	if len(data) > 0 {
		p = &data[0]
	}
	b.worker(th).call(func() {
		status = sim.NTStatus(winapi.NtSetValueKey(windows.Handle(h), ntString(name), 0, typ, p, uint32(len(data))))
	})
	return status
}

// ZwSetValueKey implements backend.Registry.
func (b *Backend) ZwSetValueKey(th string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return b.NtSetValueKey(th, h, name, typ, data)
}

// keyValuePartialInformation is the information class NtQueryValueKey is
// asked for: TitleIndex, Type, DataLength, then the data.
const keyValuePartialInformation = 2

// NtQueryValueKey implements backend.Registry, with a buffer grown until
// the value fits.
func (b *Backend) NtQueryValueKey(th string, h sim.Handle, name string) (typ uint32, data []byte, status sim.NTStatus) {
	if b.kernelGuard("NtQueryValueKey", h) {
		return 0, nil, backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		buf := make([]byte, 256)
		for {
			var n uint32
			status = sim.NTStatus(winapi.NtQueryValueKey(windows.Handle(h), ntString(name), keyValuePartialInformation, &buf[0], uint32(len(buf)), &n))
			if (status == sim.STATUS_BUFFER_OVERFLOW || status == sim.STATUS_BUFFER_TOO_SMALL) && int(n) > len(buf) {
				buf = make([]byte, n)
				continue
			}
			break
		}
		if status == sim.STATUS_SUCCESS {
			typ = binary.LittleEndian.Uint32(buf[4:])
			size := binary.LittleEndian.Uint32(buf[8:])
			data = append([]byte{}, buf[12:12+size]...)
		}
	})
	return typ, data, status
}

// ZwQueryValueKey implements backend.Registry.
func (b *Backend) ZwQueryValueKey(th string, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return b.NtQueryValueKey(th, h, name)
}

// NtDeleteValueKey implements backend.Registry.
func (b *Backend) NtDeleteValueKey(th string, h sim.Handle, name string) (status sim.NTStatus) {
	if b.kernelGuard("NtDeleteValueKey", h) {
		return backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		status = sim.NTStatus(winapi.NtDeleteValueKey(windows.Handle(h), ntString(name)))
	})
	return status
}

// ZwDeleteValueKey implements backend.Registry.
func (b *Backend) ZwDeleteValueKey(th string, h sim.Handle, name string) sim.NTStatus {
	return b.NtDeleteValueKey(th, h, name)
}

// infoCall makes one information call into a buffer of length bytes and
// returns what the call wrote: the buffer up to ResultLength for a success
// or STATUS_BUFFER_OVERFLOW, nothing otherwise.
func infoCall(length uint32, call func(p *byte, n *uint32) uint32) ([]byte, uint32, sim.NTStatus) {
	buf := make([]byte, length)
	var p *byte
	if length > 0 {
		p = &buf[0]
	}
	var n uint32
	status := sim.NTStatus(call(p, &n))
	if status != sim.STATUS_SUCCESS && status != sim.STATUS_BUFFER_OVERFLOW {
		return nil, n, status
	}
	return buf[:min(length, n)], n, status
}

// NtQueryKey implements backend.Registry. KeyNameInformation is declined:
// the real key's name is the one mirrored in the scratch key, longer than
// the model's, so neither the name nor the buffer sizes would compare.
func (b *Backend) NtQueryKey(th string, h sim.Handle, class, length uint32) (info []byte, n uint32, status sim.NTStatus) {
	if class == win32.KeyNameInformation {
		b.refuse(fmt.Errorf("NtQueryKey(%s, KeyNameInformation): the real key's full name is its mirror's in the scratch key: %w", h, backend.ErrUnsupported))
		return nil, 0, backend.DeclinedNTStatus
	}
	if b.kernelGuard("NtQueryKey", h) {
		return nil, 0, backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		info, n, status = infoCall(length, func(p *byte, n *uint32) uint32 {
			return winapi.NtQueryKey(windows.Handle(h), class, p, length, n)
		})
	})
	return info, n, status
}

// ZwQueryKey implements backend.Registry.
func (b *Backend) ZwQueryKey(th string, h sim.Handle, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.NtQueryKey(th, h, class, length)
}

// NtEnumerateKey implements backend.Registry. KeyNameInformation is
// declined, as for NtQueryKey.
func (b *Backend) NtEnumerateKey(th string, h sim.Handle, index, class, length uint32) (info []byte, n uint32, status sim.NTStatus) {
	if class == win32.KeyNameInformation {
		b.refuse(fmt.Errorf("NtEnumerateKey(%s, %d, KeyNameInformation): the real subkey's full name is its mirror's in the scratch key: %w", h, index, backend.ErrUnsupported))
		return nil, 0, backend.DeclinedNTStatus
	}
	if b.kernelGuard("NtEnumerateKey", h) {
		return nil, 0, backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		info, n, status = infoCall(length, func(p *byte, n *uint32) uint32 {
			return winapi.NtEnumerateKey(windows.Handle(h), index, class, p, length, n)
		})
	})
	return info, n, status
}

// ZwEnumerateKey implements backend.Registry.
func (b *Backend) ZwEnumerateKey(th string, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.NtEnumerateKey(th, h, index, class, length)
}

// NtEnumerateValueKey implements backend.Registry.
func (b *Backend) NtEnumerateValueKey(th string, h sim.Handle, index, class, length uint32) (info []byte, n uint32, status sim.NTStatus) {
	if b.kernelGuard("NtEnumerateValueKey", h) {
		return nil, 0, backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		info, n, status = infoCall(length, func(p *byte, n *uint32) uint32 {
			return winapi.NtEnumerateValueKey(windows.Handle(h), index, class, p, length, n)
		})
	})
	return info, n, status
}

// ZwEnumerateValueKey implements backend.Registry.
func (b *Backend) ZwEnumerateValueKey(th string, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.NtEnumerateValueKey(th, h, index, class, length)
}

// NtDeleteKey implements backend.Registry. Deleting a mirrored hive root
// is unsupported: on the system it is an ordinary key.
func (b *Backend) NtDeleteKey(th string, h sim.Handle) (status sim.NTStatus) {
	b.mu.Lock()
	root := b.reg().roots[windows.Handle(h)]
	b.mu.Unlock()
	if root {
		b.refuse(fmt.Errorf("NtDeleteKey(%s) on a hive root, mirrored as an ordinary key of the scratch area: %w", h, backend.ErrUnsupported))
		return backend.DeclinedNTStatus
	}
	if b.kernelGuard("NtDeleteKey", h) {
		return backend.DeclinedNTStatus
	}
	b.worker(th).call(func() { status = sim.NTStatus(winapi.NtDeleteKey(windows.Handle(h))) })
	return status
}

// ZwDeleteKey implements backend.Registry.
func (b *Backend) ZwDeleteKey(th string, h sim.Handle) sim.NTStatus { return b.NtDeleteKey(th, h) }

// NtFlushKey implements backend.Registry.
func (b *Backend) NtFlushKey(th string, h sim.Handle) (status sim.NTStatus) {
	if b.kernelGuard("NtFlushKey", h) {
		return backend.DeclinedNTStatus
	}
	b.worker(th).call(func() { status = sim.NTStatus(winapi.NtFlushKey(windows.Handle(h))) })
	return status
}

// ZwFlushKey implements backend.Registry.
func (b *Backend) ZwFlushKey(th string, h sim.Handle) sim.NTStatus { return b.NtFlushKey(th, h) }

// NtClose implements backend.Registry.
func (b *Backend) NtClose(th string, h sim.Handle) (status sim.NTStatus) {
	if b.kernelGuard("NtClose", h) {
		return backend.DeclinedNTStatus
	}
	b.worker(th).call(func() {
		status = sim.NTStatus(winapi.NtClose(windows.Handle(h)))
		if status == sim.STATUS_SUCCESS {
			b.holdKernel(windows.Handle(h), false)
		}
	})
	return status
}

// ZwClose implements backend.Registry.
func (b *Backend) ZwClose(th string, h sim.Handle) sim.NTStatus { return b.NtClose(th, h) }

// RegFlushKey implements backend.Registry.
func (b *Backend) RegFlushKey(th string, hKey sim.Handle) (code sim.Errno) {
	if b.kernelGuard("RegFlushKey", hKey) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(winapi.RegFlushKey(windows.Handle(hKey))) })
	return code
}

// close closes the key handles the caller left open and deletes the
// scratch key with everything under it.
func (s *regState) close(b *Backend) error {
	b.mu.Lock()
	scratch, keys := s.scratch, s.keys
	s.keys = nil
	b.mu.Unlock()
	if scratch == "" {
		return nil
	}
	for h := range keys {
		_ = winapi.NtClose(h)
	}
	if err := deleteTree(registry.LOCAL_MACHINE, scratchParent+`\`+b.scratchName()); err != nil {
		return fmt.Errorf("deleting the registry scratch key: %w", err)
	}
	return nil
}

// deleteTree deletes a key and all its subkeys.
func deleteTree(parent registry.Key, path string) error {
	k, err := registry.OpenKey(parent, path, registry.ALL_ACCESS)
	if err != nil {
		if err == windows.ERROR_FILE_NOT_FOUND {
			return nil
		}
		return err
	}
	subs, err := k.ReadSubKeyNames(-1)
	_ = k.Close()
	if err != nil {
		return err
	}
	for _, s := range subs {
		if err := deleteTree(parent, path+`\`+s); err != nil {
			return err
		}
	}
	return registry.DeleteKey(parent, path)
}
