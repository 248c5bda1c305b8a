package registry_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/registry"
	"github.com/winsim/winsim/windows/winsimtest"
)

// bubble runs f in a synctest bubble with a fresh machine bound.
func bubble(t *testing.T, f func(t *testing.T, m *winsimtest.Machine)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		f(t, winsimtest.Use(t, winsimtest.Options{}))
	})
}

// appKey creates SOFTWARE\winsim\app under LOCAL_MACHINE with every right.
func appKey(t *testing.T) registry.Key {
	t.Helper()
	k, existed, err := registry.CreateKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.ALL_ACCESS)
	if err != nil || existed {
		t.Fatalf("CreateKey = %v, existed %v", err, existed)
	}
	return k
}

// writeConfig writes a program's configuration: one value of each kind.
func writeConfig(t *testing.T, k registry.Key, version uint32) {
	t.Helper()
	for _, err := range []error{
		k.SetStringValue("InstallDir", `C:\Program Files\app`),
		k.SetDWordValue("Version", version),
		k.SetStringsValue("Plugins", []string{"a", "b"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// readVersion opens the configuration again and reads its version, or
// returns the error of the first step that failed.
func readVersion(t *testing.T) (uint64, error) {
	t.Helper()
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.QUERY_VALUE)
	if err != nil {
		return 0, err
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue("Version")
	return v, err
}

// TestPowerCutAroundFlush writes a program's configuration through the
// twin and cuts the power before a flush, after one, and inside one: what
// RegFlushKey made durable survives, what came after it does not, and a
// flush the power interrupts leaves the old configuration or the new one,
// whole. It runs in a bubble, in a fraction of a second.
func TestPowerCutAroundFlush(t *testing.T) {
	start := time.Now()
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		// Written, never flushed, and no time for the lazy flusher: gone.
		writeConfig(t, appKey(t), 1)
		m.PowerCut()
		if _, err := readVersion(t); err != registry.ErrNotExist {
			t.Fatalf("after a power cut before any flush, opening the key = %v, want ErrNotExist", err)
		}

		// Written and flushed, then changed: the flushed version survives.
		k := appKey(t)
		writeConfig(t, k, 1)
		if err := registry.RegFlushKey(k); err != nil {
			t.Fatalf("RegFlushKey = %v", err)
		}
		if err := k.SetDWordValue("Version", 2); err != nil {
			t.Fatal(err)
		}
		m.PowerCut()
		if v, err := readVersion(t); v != 1 || err != nil {
			t.Fatalf("after a power cut after the flush, Version = %d, %v; want 1 (the flushed one)", v, err)
		}
		// The program's handle died with the power.
		if err := k.SetDWordValue("Version", 3); err != windows.ERROR_INVALID_HANDLE {
			t.Errorf("a handle from before the power cut: %v, want ERROR_INVALID_HANDLE", err)
		}

		// A flush the power interrupts: the call fails, and the hive is
		// the previous flush's (version 1) or the new one's, never a mix.
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.ALL_ACCESS)
		if err != nil {
			t.Fatal(err)
		}
		if err := k.SetDWordValue("Version", 4); err != nil {
			t.Fatal(err)
		}
		if err := k.SetStringValue("InstallDir", `D:\app`); err != nil {
			t.Fatal(err)
		}
		if err := m.PowerCutDuringFlush(2); err != nil {
			t.Fatal(err)
		}
		if err := registry.RegFlushKey(k); err != windows.ERROR_REGISTRY_IO_FAILED {
			t.Fatalf("RegFlushKey with the power failing inside = %v, want ERROR_REGISTRY_IO_FAILED", err)
		}
		v, err := readVersion(t)
		if err != nil || v != 1 {
			t.Fatalf("after a power cut inside the flush, Version = %d, %v; want 1 (the old flush: its commit did not reach the disk)", v, err)
		}
		k, _ = registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.QUERY_VALUE)
		if s, _, err := k.GetStringValue("InstallDir"); s != `C:\Program Files\app` || err != nil {
			t.Errorf("InstallDir = %q, %v; want the old one with the old version", s, err)
		}
		k.Close()

		// The lazy flusher writes 5 s after a change (win8): after 6 s of
		// the bubble's clock the change survives without RegFlushKey.
		k, _ = registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.SET_VALUE)
		if err := k.SetDWordValue("Version", 5); err != nil {
			t.Fatal(err)
		}
		time.Sleep(6 * time.Second)
		m.PowerCut()
		if v, err := readVersion(t); v != 5 || err != nil {
			t.Errorf("after the lazy flush and a power cut, Version = %d, %v; want 5", v, err)
		}

		// With the lazy flusher off, waiting does not make it durable.
		if err := m.SetLazyFlush(0); err != nil {
			t.Fatal(err)
		}
		k, _ = registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.SET_VALUE)
		if err := k.SetDWordValue("Version", 6); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		m.PowerCut()
		if v, err := readVersion(t); v != 5 || err != nil {
			t.Errorf("with the lazy flusher off, after a minute and a power cut, Version = %d, %v; want 5", v, err)
		}
	})
	// Reported, not checked: no verdict here depends on the machine's speed.
	t.Logf("the power-cut test took %v of real time for 66 s of the bubble's clock", time.Since(start))
}

// TestRoundTrip: each Set*Value stores x/sys's encoding, and the matching
// Get*Value reads it back with its type.
func TestRoundTrip(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		long := strings.Repeat("x", 100) // longer than the first 64-byte buffer
		for _, c := range []struct {
			name string
			set  func() error
			typ  uint32
			raw  []byte
			get  func() (any, uint32, error)
			want any
		}{
			{"sz", func() error { return k.SetStringValue("sz", "ab") }, registry.SZ,
				[]byte{'a', 0, 'b', 0, 0, 0}, str(k, "sz"), "ab"},
			{"sz-empty", func() error { return k.SetStringValue("sz-empty", "") }, registry.SZ,
				[]byte{0, 0}, str(k, "sz-empty"), ""},
			{"sz-long", func() error { return k.SetStringValue("sz-long", long) }, registry.SZ,
				append(bytes.Repeat([]byte{'x', 0}, 100), 0, 0), str(k, "sz-long"), long},
			{"sz-surrogate", func() error { return k.SetStringValue("sz-surrogate", "\U0001F600") }, registry.SZ,
				[]byte{0x3D, 0xD8, 0x00, 0xDE, 0, 0}, str(k, "sz-surrogate"), "\U0001F600"},
			{"expand", func() error { return k.SetExpandStringValue("expand", `%SystemRoot%\x`) }, registry.EXPAND_SZ,
				utf16z(`%SystemRoot%\x`), str(k, "expand"), `%SystemRoot%\x`},
			{"multi", func() error { return k.SetStringsValue("multi", []string{"a", "bc"}) }, registry.MULTI_SZ,
				[]byte{'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0, 0, 0}, strs(k, "multi"), []string{"a", "bc"}},
			{"multi-empty-string", func() error { return k.SetStringsValue("multi-empty-string", []string{""}) }, registry.MULTI_SZ,
				[]byte{0, 0, 0, 0}, strs(k, "multi-empty-string"), []string{""}},
			{"multi-none", func() error { return k.SetStringsValue("multi-none", nil) }, registry.MULTI_SZ,
				[]byte{0, 0}, strs(k, "multi-none"), []string{}},
			{"dword", func() error { return k.SetDWordValue("dword", 0x01020304) }, registry.DWORD,
				[]byte{4, 3, 2, 1}, integer(k, "dword"), uint64(0x01020304)},
			{"qword", func() error { return k.SetQWordValue("qword", 0x0102030405060708) }, registry.QWORD,
				[]byte{8, 7, 6, 5, 4, 3, 2, 1}, integer(k, "qword"), uint64(0x0102030405060708)},
			{"binary", func() error { return k.SetBinaryValue("binary", []byte{0, 1, 2}) }, registry.BINARY,
				[]byte{0, 1, 2}, binary(k, "binary"), []byte{0, 1, 2}},
			{"binary-empty", func() error { return k.SetBinaryValue("binary-empty", nil) }, registry.BINARY,
				[]byte{}, binary(k, "binary-empty"), []byte{}},
		} {
			if err := c.set(); err != nil {
				t.Errorf("%s: set: %v", c.name, err)
				continue
			}
			buf := make([]byte, 512)
			n, typ, err := k.GetValue(c.name, buf)
			if err != nil || typ != c.typ || !bytes.Equal(buf[:n], c.raw) {
				t.Errorf("%s: stored % x (type %d, %v), want % x (type %d)", c.name, buf[:n], typ, err, c.raw, c.typ)
			}
			got, typ, err := c.get()
			if err != nil || typ != c.typ || !equal(got, c.want) {
				t.Errorf("%s: read back %#v (type %d, %v), want %#v", c.name, got, typ, err, c.want)
			}
		}
	})
}

func str(k registry.Key, name string) func() (any, uint32, error) {
	return func() (any, uint32, error) { return k.GetStringValue(name) }
}

func strs(k registry.Key, name string) func() (any, uint32, error) {
	return func() (any, uint32, error) { return k.GetStringsValue(name) }
}

func integer(k registry.Key, name string) func() (any, uint32, error) {
	return func() (any, uint32, error) { return k.GetIntegerValue(name) }
}

func binary(k registry.Key, name string) func() (any, uint32, error) {
	return func() (any, uint32, error) { return k.GetBinaryValue(name) }
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case []string:
		return slices.Equal(a, b.([]string))
	case []byte:
		return bytes.Equal(a, b.([]byte))
	}
	return a == b
}

// utf16z encodes s as UTF-16LE with a terminating NUL.
func utf16z(s string) []byte {
	var b []byte
	for _, r := range s + "\x00" {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// rawValue stores data of type typ as the value name of the app key
// through the model, bypassing the twin's encoding.
func rawValue(t *testing.T, m *winsimtest.Machine, name string, typ uint32, data []byte) {
	t.Helper()
	r := m.Registry()
	th := m.Sim().NewProcess("raw.exe").NewThread("raw")
	h, st := r.NtOpenKey(th, win32.KEY_SET_VALUE, win32.Abs(`\Registry\Machine\SOFTWARE\winsim\app`))
	if st != sim.STATUS_SUCCESS {
		t.Fatal(st)
	}
	defer r.NtClose(th, h)
	if st := r.NtSetValueKey(th, h, name, typ, data); st != sim.STATUS_SUCCESS {
		t.Fatal(st)
	}
}

// TestDecoding: data x/sys's setters never write is read as x/sys's
// getters read it.
func TestDecoding(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		rawValue(t, m, "multi-unterminated", registry.MULTI_SZ, []byte{'a', 0, 0, 0, 'b', 0})
		rawValue(t, m, "multi-empty", registry.MULTI_SZ, nil)
		rawValue(t, m, "sz-unterminated", registry.SZ, []byte{'a', 0, 'b', 0})
		rawValue(t, m, "sz-embedded-nul", registry.SZ, []byte{'a', 0, 0, 0, 'b', 0, 0, 0})
		rawValue(t, m, "dword-short", registry.DWORD, []byte{1, 2})
		rawValue(t, m, "qword-long", registry.QWORD, make([]byte, 9))
		for _, c := range []struct {
			name    string
			get     func() (any, uint32, error)
			want    any
			wantErr string
		}{
			// One NUL is dropped, then each NUL ends a string: the last,
			// unterminated one is lost, as in x/sys.
			{"multi-unterminated", strs(k, "multi-unterminated"), []string{"a"}, ""},
			{"multi-empty", strs(k, "multi-empty"), []string(nil), ""},
			{"sz-unterminated", str(k, "sz-unterminated"), "ab", ""},
			{"sz-embedded-nul", str(k, "sz-embedded-nul"), "a", ""},
			{"dword-short", integer(k, "dword-short"), uint64(0), "DWORD value is not 4 bytes long"},
			{"qword-long", integer(k, "qword-long"), uint64(0), "QWORD value is not 8 bytes long"},
		} {
			got, _, err := c.get()
			if (err == nil) != (c.wantErr == "") || (err != nil && err.Error() != c.wantErr) || !equal(got, c.want) {
				t.Errorf("%s: %#v, %v; want %#v, %q", c.name, got, err, c.want, c.wantErr)
			}
		}
		// RegQueryValueExW ends unterminated string data with a NUL when
		// the buffer has room for it after the data, without counting it:
		// data of n bytes gets one in a buffer of n+2 bytes or more, none
		// in n+1 (inferred: Wine kernelbase, "total_size - info_size <=
		// *count - sizeof(WCHAR)"). Terminated data and other types get
		// none.
		rawValue(t, m, "multi-no-final-nul", registry.MULTI_SZ, []byte{'a', 0})
		rawValue(t, m, "binary-text", registry.BINARY, []byte{'a', 0, 'b', 0})
		for _, c := range []struct {
			value string
			size  int
			want  []byte
		}{
			{"sz-unterminated", 8, []byte{'a', 0, 'b', 0, 0, 0, 0xbd, 0xbd}},
			{"sz-unterminated", 6, []byte{'a', 0, 'b', 0, 0, 0}},
			{"sz-unterminated", 5, []byte{'a', 0, 'b', 0, 0xbd}},
			{"sz-unterminated", 4, []byte{'a', 0, 'b', 0}},
			{"multi-no-final-nul", 4, []byte{'a', 0, 0, 0}},
			{"multi-no-final-nul", 3, []byte{'a', 0, 0xbd}},
			{"sz-embedded-nul", 10, []byte{'a', 0, 0, 0, 'b', 0, 0, 0, 0xbd, 0xbd}},
			{"binary-text", 8, []byte{'a', 0, 'b', 0, 0xbd, 0xbd, 0xbd, 0xbd}},
		} {
			buf := bytes.Repeat([]byte{0xbd}, c.size)
			n, _, err := k.GetValue(c.value, buf)
			if want := len(c.want) - bytes.Count(c.want, []byte{0xbd}); err != nil || !bytes.Equal(buf, c.want) || n > want {
				t.Errorf("GetValue(%s) into %d bytes = %d, %v, buffer % x; want buffer % x", c.value, c.size, n, err, buf, c.want)
			}
		}
	})
}

// TestErrors: the errors x/sys documents for each call, and the Win32
// codes the native statuses map to.
func TestErrors(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		if err := k.SetDWordValue("dword", 7); err != nil {
			t.Fatal(err)
		}
		if err := k.SetStringValue("sz", "text"); err != nil {
			t.Fatal(err)
		}
		ro, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.QUERY_VALUE)
		if err != nil {
			t.Fatal(err)
		}
		doomed, _, _ := registry.CreateKey(k, "doomed", registry.ALL_ACCESS)
		other, _ := registry.OpenKey(k, "doomed", registry.ALL_ACCESS)
		if err := registry.DeleteKey(k, "doomed"); err != nil {
			t.Fatal(err)
		}
		closed, _ := registry.OpenKey(k, "", registry.READ)
		closed.Close()
		rawValue(t, m, "big-endian", registry.DWORD_BIG_ENDIAN, []byte{0, 0, 0, 1})
		type3 := func(_ any, typ uint32, err error) (uint32, error) { return typ, err }
		for _, c := range []struct {
			name    string
			got     func() (uint32, error)
			typ     uint32
			wantErr error
		}{
			{"GetStringValue on a DWORD", func() (uint32, error) { return type3(k.GetStringValue("dword")) }, registry.DWORD, registry.ErrUnexpectedType},
			{"GetStringsValue on an SZ", func() (uint32, error) { return type3(k.GetStringsValue("sz")) }, registry.SZ, registry.ErrUnexpectedType},
			{"GetIntegerValue on an SZ", func() (uint32, error) { return type3(k.GetIntegerValue("sz")) }, registry.SZ, registry.ErrUnexpectedType},
			{"GetBinaryValue on a DWORD", func() (uint32, error) { return type3(k.GetBinaryValue("dword")) }, registry.DWORD, registry.ErrUnexpectedType},
			{"GetStringValue of a missing value", func() (uint32, error) { return type3(k.GetStringValue("missing")) }, 0, registry.ErrNotExist},
			{"GetIntegerValue of a missing value", func() (uint32, error) { return type3(k.GetIntegerValue("missing")) }, 0, registry.ErrNotExist},
			{"DeleteValue of a missing value", func() (uint32, error) { return 0, k.DeleteValue("missing") }, 0, registry.ErrNotExist},
			{"OpenKey of a missing key", func() (uint32, error) {
				return 0, second(registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\missing`, registry.READ))
			}, 0, registry.ErrNotExist},
			{"OpenKey below a missing key", func() (uint32, error) {
				return 0, second(registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\missing\x`, registry.READ))
			}, 0, registry.ErrNotExist},
			{"DeleteKey of a missing key", func() (uint32, error) { return 0, registry.DeleteKey(k, "missing") }, 0, registry.ErrNotExist},
			{"OpenKey with a leading backslash", func() (uint32, error) {
				return 0, second(registry.OpenKey(registry.LOCAL_MACHINE, `\SOFTWARE`, registry.READ))
			}, 0, windows.ERROR_BAD_PATHNAME},
			{"SetStringValue without SET_VALUE", func() (uint32, error) { return 0, ro.SetStringValue("x", "y") }, 0, windows.ERROR_ACCESS_DENIED},
			{"DeleteKey of a key with subkeys", func() (uint32, error) { return 0, registry.DeleteKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim`) }, 0, windows.ERROR_ACCESS_DENIED},
			{"CreateKey directly under LOCAL_MACHINE", func() (uint32, error) {
				_, _, err := registry.CreateKey(registry.LOCAL_MACHINE, "Direct", registry.ALL_ACCESS)
				return 0, err
			}, 0, windows.ERROR_ACCESS_DENIED},
			{"SetDWordValue on a deleted key", func() (uint32, error) { return 0, other.SetDWordValue("x", 1) }, 0, windows.ERROR_KEY_DELETED},
			{"Stat of a deleted key", func() (uint32, error) { return 0, second(doomed.Stat()) }, 0, windows.ERROR_KEY_DELETED},
			{"a closed key", func() (uint32, error) { return type3(closed.GetStringValue("sz")) }, 0, windows.ERROR_INVALID_HANDLE},
			{"closing it again", func() (uint32, error) { return 0, closed.Close() }, 0, windows.ERROR_INVALID_HANDLE},
			{"closing NULL", func() (uint32, error) { return 0, registry.Key(0).Close() }, 0, windows.ERROR_INVALID_HANDLE},
			{"closing a predefined key", func() (uint32, error) { return 0, registry.LOCAL_MACHINE.Close() }, 0, nil},
			{"a NUL in a value name", func() (uint32, error) { return 0, k.SetStringValue("a\x00b", "x") }, 0, syscall.EINVAL},
			{"a NUL in a path", func() (uint32, error) { return 0, second(registry.OpenKey(k, "a\x00b", registry.READ)) }, 0, syscall.EINVAL},
			{"a NUL in DeleteValue's name", func() (uint32, error) { return 0, k.DeleteValue("a\x00b") }, 0, syscall.EINVAL},
			{"a NUL in GetValue's name", func() (uint32, error) { n, typ, err := k.GetValue("a\x00b", nil); return typ + uint32(n), err }, 0, syscall.EINVAL},
			{"a NUL in GetIntegerValue's name", func() (uint32, error) { return type3(k.GetIntegerValue("a\x00b")) }, 0, syscall.EINVAL},
			{"a NUL in CreateKey's path", func() (uint32, error) {
				_, _, err := registry.CreateKey(k, "a\x00b", registry.READ)
				return 0, err
			}, 0, syscall.EINVAL},
			{"a NUL in DeleteKey's path", func() (uint32, error) { return 0, registry.DeleteKey(k, "doomed\x00") }, 0, syscall.EINVAL},
			{"a NUL in a string value", func() (uint32, error) { return 0, k.SetExpandStringValue("x", "a\x00b") }, 0, syscall.EINVAL},
			{"GetIntegerValue on a DWORD_BIG_ENDIAN", func() (uint32, error) { return type3(k.GetIntegerValue("big-endian")) }, registry.DWORD_BIG_ENDIAN, registry.ErrUnexpectedType},
		} {
			typ, err := c.got()
			if err != c.wantErr || typ != c.typ {
				t.Errorf("%s: type %d, %v; want type %d, %v", c.name, typ, err, c.typ, c.wantErr)
			}
		}
		if !errors.Is(registry.ErrNotExist, fs.ErrNotExist) || registry.ErrNotExist != windows.ERROR_FILE_NOT_FOUND || registry.ErrShortBuffer != windows.ERROR_MORE_DATA {
			t.Error("ErrNotExist must be ERROR_FILE_NOT_FOUND (matching fs.ErrNotExist), ErrShortBuffer ERROR_MORE_DATA")
		}
		if err := k.SetStringsValue("m", []string{"a\x00"}); err == nil || err.Error() != "string cannot have 0 inside" {
			t.Errorf("SetStringsValue with a NUL inside = %v", err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestGetValueBuffer: GetValue's buffer rules (RegQueryValueExW).
func TestGetValueBuffer(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		if err := k.SetStringValue("sz", "abc"); err != nil { // 8 bytes with the NUL
			t.Fatal(err)
		}
		for _, c := range []struct {
			name    string
			buf     []byte
			n       int
			typ     uint32
			err     error
			written bool
		}{
			{"no buffer: the size and type", nil, 8, registry.SZ, nil, false},
			{"an empty buffer is none", []byte{}, 8, registry.SZ, nil, false},
			{"one byte short", bytes.Repeat([]byte{0xbd}, 7), 8, registry.SZ, registry.ErrShortBuffer, false},
			{"exactly the size", bytes.Repeat([]byte{0xbd}, 8), 8, registry.SZ, nil, true},
			{"larger", bytes.Repeat([]byte{0xbd}, 12), 8, registry.SZ, nil, true},
		} {
			before := slices.Clone(c.buf)
			n, typ, err := k.GetValue("sz", c.buf)
			if n != c.n || typ != c.typ || err != c.err {
				t.Errorf("%s: GetValue = %d, %d, %v; want %d, %d, %v", c.name, n, typ, err, c.n, c.typ, c.err)
			}
			switch {
			case c.written && !bytes.Equal(c.buf[:8], utf16z("abc")):
				t.Errorf("%s: buffer % x, want the data", c.name, c.buf)
			case c.written && !bytes.Equal(c.buf[8:], before[8:]):
				t.Errorf("%s: bytes past the data changed: % x", c.name, c.buf[8:])
			case !c.written && !bytes.Equal(c.buf, before):
				t.Errorf("%s: the buffer changed: % x", c.name, c.buf)
			}
		}
		if n, typ, err := k.GetValue("missing", make([]byte, 5)); n != 5 || typ != 0 || err != registry.ErrNotExist {
			t.Errorf("GetValue of a missing value = %d, %d, %v; want 5 (the size as given), 0, ErrNotExist", n, typ, err)
		}
	})
}

// TestReadNames: ReadSubKeyNames and ReadValueNames with n < 0, n = 0,
// n below, at and above the count; subkeys come sorted by upcased name,
// values in the order they were first set.
func TestReadNames(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		for _, name := range []string{"beta", "Alpha", "gamma"} {
			sub, _, err := registry.CreateKey(k, name, registry.READ)
			if err != nil {
				t.Fatal(err)
			}
			sub.Close()
		}
		for _, name := range []string{"zeta", "Eta", "theta"} {
			if err := k.SetDWordValue(name, 1); err != nil {
				t.Fatal(err)
			}
		}
		keys, values := []string{"Alpha", "beta", "gamma"}, []string{"zeta", "Eta", "theta"}
		for _, c := range []struct {
			n       int
			want    int
			wantEOF bool
		}{
			{-1, 3, false}, {0, 3, false}, {2, 2, false}, {3, 3, false}, {5, 3, true},
		} {
			got, err := k.ReadSubKeyNames(c.n)
			if !slices.Equal(got, keys[:c.want]) || (err == io.EOF) != c.wantEOF || (err != nil && err != io.EOF) {
				t.Errorf("ReadSubKeyNames(%d) = %q, %v; want %q, EOF %v", c.n, got, err, keys[:c.want], c.wantEOF)
			}
			got, err = k.ReadValueNames(c.n)
			if !slices.Equal(got, values[:c.want]) || (err == io.EOF) != c.wantEOF || (err != nil && err != io.EOF) {
				t.Errorf("ReadValueNames(%d) = %q, %v; want %q, EOF %v", c.n, got, err, values[:c.want], c.wantEOF)
			}
		}
		// A name longer than the first buffer (256 characters for subkeys):
		// the buffer is doubled until it fits.
		long := strings.Repeat("v", 300)
		if err := k.SetDWordValue(long, 1); err != nil {
			t.Fatal(err)
		}
		if got, err := k.ReadValueNames(-1); err != nil || len(got) != 4 || got[3] != long {
			t.Errorf("ReadValueNames with a 300-character name: %d names, %v", len(got), err)
		}
		// Enumerating subkeys needs ENUMERATE_SUB_KEYS, values QUERY_VALUE.
		q, _ := registry.OpenKey(k, "", registry.QUERY_VALUE)
		if _, err := q.ReadSubKeyNames(-1); err != windows.ERROR_ACCESS_DENIED {
			t.Errorf("ReadSubKeyNames without ENUMERATE_SUB_KEYS = %v, want ERROR_ACCESS_DENIED", err)
		}
		e, _ := registry.OpenKey(k, "", registry.ENUMERATE_SUB_KEYS)
		if _, err := e.ReadValueNames(-1); err != windows.ERROR_ACCESS_DENIED {
			t.Errorf("ReadValueNames without QUERY_VALUE = %v, want ERROR_ACCESS_DENIED", err)
		}
		// The predefined keys enumerate their keys: the hives.
		if got, err := registry.LOCAL_MACHINE.ReadSubKeyNames(-1); err != nil || !slices.Equal(got, []string{"SOFTWARE", "SYSTEM"}) {
			t.Errorf("LOCAL_MACHINE's subkeys = %q, %v", got, err)
		}
		if got, err := registry.USERS.ReadSubKeyNames(-1); err != nil || !slices.Equal(got, []string{".DEFAULT", win32.DefaultUserSID}) {
			t.Errorf("USERS' subkeys = %q, %v", got, err)
		}
	})
}

// TestStat: counts, longest lengths in characters, and the last write
// time on the model's clock, to its 100 ns; the longest lengths are the
// longest names and data, not the last ones written.
func TestStat(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			name   string
			after  time.Duration // of the bubble's clock before the changes
			change func()
			want   [5]uint32 // subkeys, longest subkey name, values, longest value name, longest data
			at     time.Duration
		}{
			{"one of each", 90 * time.Second, func() {
				sub, _, _ := registry.CreateKey(k, "sub-key", registry.READ)
				sub.Close()
				k.SetBinaryValue("bin", make([]byte, 40))
				k.SetStringValue("a-longer-name", "x")
			}, [5]uint32{1, 7, 2, 13, 40}, 90 * time.Second},
			{"several, the longest not last", 1234567800 * time.Nanosecond, func() {
				for _, name := range []string{"a-much-longer-subkey", "b"} {
					sub, _, _ := registry.CreateKey(k, name, registry.READ)
					sub.Close()
				}
				k.SetBinaryValue("bigger", make([]byte, 100))
				k.SetDWordValue("z", 1)
			}, [5]uint32{3, 20, 4, 13, 100}, 90*time.Second + 1234567800*time.Nanosecond},
		} {
			time.Sleep(c.after)
			c.change()
			ki, err := k.Stat()
			if err != nil {
				t.Fatal(err)
			}
			got := [5]uint32{ki.SubKeyCount, ki.MaxSubKeyLen, ki.ValueCount, ki.MaxValueNameLen, ki.MaxValueLen}
			if got != c.want {
				t.Errorf("%s: subkeys, longest subkey name, values, longest value name, longest data = %v, want %v", c.name, got, c.want)
			}
			if mt := ki.ModTime(); !mt.Equal(epoch.Add(c.at)) {
				t.Errorf("%s: ModTime = %v, want %v (the model's epoch and %v)", c.name, mt.UTC(), epoch.Add(c.at), c.at)
			}
		}
	})
}

// TestCreateKey: every missing key of the path is created, runs of
// backslashes between them are one; a second CreateKey opens the key.
func TestCreateKey(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k, existed, err := registry.CreateKey(registry.CURRENT_USER, `Software\\a\b\c`, registry.ALL_ACCESS)
		if err != nil || existed {
			t.Fatalf("CreateKey of a deep path = %v, existed %v", err, existed)
		}
		k.Close()
		for _, p := range []string{`Software`, `Software\a`, `Software\a\b`, `Software\a\b\c`} {
			k, err := registry.OpenKey(registry.CURRENT_USER, p, registry.READ)
			if err != nil {
				t.Errorf("OpenKey(%s) = %v", p, err)
				continue
			}
			k.Close()
		}
		k, existed, err = registry.CreateKey(registry.CURRENT_USER, `SOFTWARE\A\b\C`, registry.READ)
		if err != nil || !existed {
			t.Errorf("CreateKey of an existing key (another case) = %v, existed %v; want it opened", err, existed)
		}
		k.Close()
		if k, err := registry.OpenKey(registry.CURRENT_USER, "", registry.READ); err != nil || k != registry.CURRENT_USER {
			t.Errorf("OpenKey(CURRENT_USER, \"\") = %#x, %v; want CURRENT_USER itself", k, err)
		}
		// The intermediate handles are closed: only the machine's own remain.
		if n := m.Registry().OpenHandles(); n != 0 {
			t.Errorf("%d key handles open after closing every key", n)
		}
		// CURRENT_USER is the default user's hive.
		if got, err := registry.USERS.ReadSubKeyNames(-1); err != nil || !slices.Contains(got, win32.DefaultUserSID) {
			t.Fatal(got, err)
		}
		u, err := registry.OpenKey(registry.USERS, win32.DefaultUserSID+`\Software\a\b\c`, registry.READ)
		if err != nil {
			t.Errorf("CURRENT_USER's key under USERS: %v", err)
		}
		u.Close()
	})
}

// TestUnmodeled: KEY_WOW64_32KEY and the predefined keys the model does
// not back are refused with an error naming an out-of-scope rule of the
// catalog, matching errors.ErrUnsupported; the model sees no call.
func TestUnmodeled(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		catalog, err := sim.NewCatalog(hive.Rules())
		if err != nil {
			t.Fatal(err)
		}
		before := len(m.Trace())
		for _, c := range []struct {
			err  error
			rule string
		}{
			{second(registry.OpenKey(registry.LOCAL_MACHINE, "SOFTWARE", registry.READ|registry.WOW64_32KEY)), "hive.wow64.views"},
			{func() error {
				_, _, err := registry.CreateKey(registry.LOCAL_MACHINE, `SOFTWARE\x`, registry.WOW64_32KEY)
				return err
			}(), "hive.wow64.views"},
			{second(registry.OpenKey(registry.Key(0x80000000), "CLSID", registry.READ)), "hive.predefined.views"},
			{second(registry.Key(0x80000005).ReadSubKeyNames(-1)), "hive.predefined.views"},
			{second(registry.Key(0x80000004).Stat()), "hive.predefined.views"},
			{registry.Key(0x80000000).SetDWordValue("x", 1), "hive.predefined.views"},
		} {
			if c.err == nil || !strings.Contains(c.err.Error(), c.rule) || !errors.Is(c.err, errors.ErrUnsupported) {
				t.Errorf("got %v, want an error naming %s and matching errors.ErrUnsupported", c.err, c.rule)
			}
			if r, ok := catalog.Lookup(c.rule); !ok || r.Status != sim.OutOfScope {
				t.Errorf("the refusal names %s, which is not an out-of-scope rule of the catalog (%v)", c.rule, r)
			}
		}
		if after := len(m.Trace()); after != before {
			t.Errorf("refused calls reached the model: %v", m.Trace()[before:])
		}
		// KEY_WOW64_64KEY is the native view: it goes through.
		if k, err := registry.OpenKey(registry.LOCAL_MACHINE, "SOFTWARE", registry.READ|registry.WOW64_64KEY); err != nil {
			t.Errorf("WOW64_64KEY: %v", err)
		} else {
			k.Close()
		}
	})
}

// TestRegFlushKeyPredefined: RegFlushKey on a predefined key flushes
// through the model's own predefined-key rules; a bad handle is
// ERROR_INVALID_HANDLE.
func TestRegFlushKeyPredefined(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		writeConfig(t, k, 9)
		if err := registry.RegFlushKey(registry.LOCAL_MACHINE); err != nil {
			t.Fatalf("RegFlushKey(LOCAL_MACHINE) = %v", err)
		}
		m.PowerCut()
		if v, err := readVersion(t); v != 9 || err != nil {
			t.Errorf("after flushing LOCAL_MACHINE and a power cut, Version = %d, %v; want 9", v, err)
		}
		if err := registry.RegFlushKey(registry.Key(0)); err != windows.ERROR_INVALID_HANDLE {
			t.Errorf("RegFlushKey(0) = %v, want ERROR_INVALID_HANDLE", err)
		}
		// A predefined key with a high half is the predefined key.
		if strconv.IntSize == 64 {
			writeConfig(t, openAppKey(t), 10)
			if err := registry.RegFlushKey(registry.Key(uint64(0xdeadbeef)<<32 | uint64(registry.LOCAL_MACHINE))); err != nil {
				t.Fatalf("RegFlushKey(LOCAL_MACHINE with a high half) = %v", err)
			}
			m.PowerCut()
			if v, err := readVersion(t); v != 10 || err != nil {
				t.Errorf("after flushing LOCAL_MACHINE with a high half and a power cut, Version = %d, %v; want 10", v, err)
			}
		}
	})
}

// TestZeroKey: a zero Key is no key at all. RegOpenKeyExW, RegCreateKeyExW
// and RegDeleteKeyExW refuse a NULL root with ERROR_INVALID_HANDLE, also
// with an absolute native path or an empty one (Wine advapi32
// registry.c:1052-1055, 1115-1122); none of them reaches the native
// namespace.
func TestZeroKey(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		k.Close()
		before := m.Registry().OpenHandles()
		for _, c := range []struct {
			name string
			err  error
		}{
			{`OpenKey(0, \Registry\Machine\SOFTWARE)`, second(registry.OpenKey(0, `\Registry\Machine\SOFTWARE`, registry.ALL_ACCESS))},
			{`OpenKey(0, SOFTWARE)`, second(registry.OpenKey(0, "SOFTWARE", registry.READ))},
			{`OpenKey(0, "")`, second(registry.OpenKey(0, "", registry.READ))},
			{`CreateKey(0, \Registry\Machine\SOFTWARE\winsim\made)`, func() error {
				_, _, err := registry.CreateKey(0, `\Registry\Machine\SOFTWARE\winsim\made`, registry.ALL_ACCESS)
				return err
			}()},
			{`DeleteKey(0, \Registry\Machine\SOFTWARE\winsim\app)`, registry.DeleteKey(0, `\Registry\Machine\SOFTWARE\winsim\app`)},
			{`Key(0).SetDWordValue`, registry.Key(0).SetDWordValue("x", 1)},
			{`Key(0).ReadSubKeyNames`, second(registry.Key(0).ReadSubKeyNames(-1))},
		} {
			if c.err != windows.ERROR_INVALID_HANDLE {
				t.Errorf("%s = %v, want ERROR_INVALID_HANDLE", c.name, c.err)
			}
		}
		if n := m.Registry().OpenHandles(); n != before {
			t.Errorf("%d key handles open after the refused calls, %d before", n, before)
		}
		for _, c := range []struct {
			path string
			want error
		}{
			{`SOFTWARE\winsim\app`, nil},                   // not deleted
			{`SOFTWARE\winsim\made`, registry.ErrNotExist}, // not created
		} {
			k, err := registry.OpenKey(registry.LOCAL_MACHINE, c.path, registry.READ)
			if err != c.want {
				t.Errorf("after the refused calls, OpenKey(LOCAL_MACHINE, %s) = %v, want %v", c.path, err, c.want)
			}
			if err == nil {
				k.Close()
			}
		}
	})
}

// TestPredefinedLow32: advapi32 recognizes a predefined key by the low 32
// bits of the handle value alone, so HKEY_CURRENT_USER with any high half
// (sign-extended, 1, 0xdeadbeef, 0xffffffff) is HKEY_CURRENT_USER
// (observed: Wine advapi32 registry.c:1139-1169, on 64-bit Windows).
func TestPredefinedLow32(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("a Key has no high half on a 32-bit system")
	}
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k, _, err := registry.CreateKey(registry.CURRENT_USER, `Software\winsim`, registry.ALL_ACCESS)
		if err != nil {
			t.Fatal(err)
		}
		if err := k.SetDWordValue("v", 7); err != nil {
			t.Fatal(err)
		}
		k.Close()
		for _, c := range []struct {
			root registry.Key
			high uint64
		}{
			{registry.CURRENT_USER, 0xffffffff}, // sign-extended, as the SDK's HKEY_CURRENT_USER is on 64-bit Windows
			{registry.CURRENT_USER, 1},
			{registry.CURRENT_USER, 0xdeadbeef},
			{registry.LOCAL_MACHINE, 0xdeadbeef},
		} {
			root := registry.Key(uint64(c.root) | c.high<<32)
			path := `Software\winsim`
			if c.root == registry.LOCAL_MACHINE {
				path = `SOFTWARE`
			}
			k, err := registry.OpenKey(root, path, registry.READ)
			if err != nil {
				t.Errorf("OpenKey(%#x, %s) = %v", uint64(root), path, err)
				continue
			}
			k.Close()
			if c.root != registry.CURRENT_USER {
				continue
			}
			if v, _, err := root.GetIntegerValue("missing"); err != registry.ErrNotExist {
				t.Errorf("%#x.GetIntegerValue(missing) = %d, %v; want ErrNotExist", uint64(root), v, err)
			}
			sub, err := registry.OpenKey(root, `Software\winsim`, registry.QUERY_VALUE)
			if err != nil {
				t.Fatal(err)
			}
			if v, _, err := sub.GetIntegerValue("v"); v != 7 || err != nil {
				t.Errorf("the value under %#x = %d, %v; want 7", uint64(root), v, err)
			}
			sub.Close()
			if got, err := registry.OpenKey(root, "", registry.READ); got != root || err != nil {
				t.Errorf("OpenKey(%#x, \"\") = %#x, %v; want the key as given", uint64(root), uint64(got), err)
			}
			if err := root.Close(); err != nil {
				t.Errorf("%#x.Close() = %v", uint64(root), err)
			}
		}
		// Past HKEY_DYN_DATA, a value is no predefined key but a handle
		// the process does not have.
		if _, err := registry.OpenKey(registry.Key(0x80000007), "SOFTWARE", registry.READ); err != windows.ERROR_INVALID_HANDLE {
			t.Errorf("OpenKey(0x80000007) = %v, want ERROR_INVALID_HANDLE", err)
		}
	})
}

// TestPredefinedUnmodeled: every predefined key the model does not back,
// at either end of the range and with any high half, and the performance
// keys outside it, are refused by every call but Close as not modeled
// (rule hive.predefined.views); Close succeeds for any of them, as
// RegCloseKey does for every value from 0x80000000 (inferred: Wine
// kernelbase RegCloseKey).
func TestPredefinedUnmodeled(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		keys := []registry.Key{
			0x80000000, // HKEY_CLASSES_ROOT
			0x80000004, // HKEY_PERFORMANCE_DATA
			0x80000005, // HKEY_CURRENT_CONFIG
			0x80000006, // HKEY_DYN_DATA, the last predefined key
			0x80000050, // HKEY_PERFORMANCE_TEXT
			0x80000060, // HKEY_PERFORMANCE_NLSTEXT
		}
		if strconv.IntSize == 64 {
			keys = append(keys, registry.Key(uint64(0xffffffff)<<32|0x80000000), registry.Key(uint64(0xdeadbeef)<<32|0x80000006))
		}
		before := len(m.Trace())
		for _, k := range keys {
			for _, c := range []struct {
				call string
				err  error
			}{
				{"OpenKey", second(registry.OpenKey(k, "x", registry.READ))},
				{"OpenKey with an empty path", second(registry.OpenKey(k, "", registry.READ))},
				{"CreateKey", func() error { _, _, err := registry.CreateKey(k, "x", registry.ALL_ACCESS); return err }()},
				{"DeleteKey", registry.DeleteKey(k, "x")},
				{"Stat", second(k.Stat())},
				{"ReadSubKeyNames", second(k.ReadSubKeyNames(-1))},
				{"ReadValueNames", second(k.ReadValueNames(-1))},
				{"GetValue", func() error { _, _, err := k.GetValue("x", nil); return err }()},
				{"GetStringValue", func() error { _, _, err := k.GetStringValue("x"); return err }()},
				{"SetDWordValue", k.SetDWordValue("x", 1)},
				{"DeleteValue", k.DeleteValue("x")},
			} {
				if c.err == nil || !strings.Contains(c.err.Error(), "hive.predefined.views") || !errors.Is(c.err, errors.ErrUnsupported) {
					t.Errorf("%s(%#x) = %v, want a refusal naming hive.predefined.views", c.call, uint64(k), c.err)
				}
			}
			if err := k.Close(); err != nil {
				t.Errorf("Close(%#x) = %v, want success", uint64(k), err)
			}
		}
		if calls := nativeCalls(m.Trace()[before:]); len(calls) != 0 {
			t.Errorf("refused calls reached the model: %v", calls)
		}
	})
}

// nativeCalls returns the calls among trace events.
func nativeCalls(events []sim.TraceEvent) []sim.TraceEvent {
	var calls []sim.TraceEvent
	for _, e := range events {
		if e.Kind == sim.EvCall {
			calls = append(calls, e)
		}
	}
	return calls
}

// TestUTF16Conversion: names, paths and SZ and EXPAND_SZ strings go
// through x/sys's conversion, syscall.UTF16FromString and UTF16ToString,
// which read and write WTF-8: a lone surrogate half in a Go string is that
// code unit on Windows and comes back as the same Go string, and a byte
// that is not UTF-8 is U+FFFD, so two spellings with the same UTF-16 are
// one name. MULTI_SZ strings go through unicode/utf16, as in x/sys, where
// a lone surrogate is U+FFFD.
func TestUTF16Conversion(t *testing.T) {
	const d800, d801 = "\xed\xa0\x80", "\xed\xa0\x81"
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		stored := func(name string) []byte {
			t.Helper()
			buf := make([]byte, 64)
			n, _, err := k.GetValue(name, buf)
			if err != nil {
				t.Fatalf("GetValue(%q) = %v", name, err)
			}
			return buf[:n]
		}
		for _, c := range []struct {
			name  string
			set   func() error
			value string
			raw   []byte
		}{
			{"sz-lone-surrogate", func() error { return k.SetStringValue("sz-lone-surrogate", d800) }, "sz-lone-surrogate", []byte{0x00, 0xd8, 0, 0}},
			{"sz-stray-byte", func() error { return k.SetStringValue("sz-stray-byte", "a\xffb") }, "sz-stray-byte", []byte{'a', 0, 0xfd, 0xff, 'b', 0, 0, 0}},
			{"expand-lone-surrogate", func() error { return k.SetExpandStringValue("expand-lone-surrogate", d801) }, "expand-lone-surrogate", []byte{0x01, 0xd8, 0, 0}},
			{"multi-lone-surrogate (x/sys: unicode/utf16)", func() error { return k.SetStringsValue("multi-lone-surrogate", []string{d800}) }, "multi-lone-surrogate",
				[]byte{0xfd, 0xff, 0xfd, 0xff, 0xfd, 0xff, 0, 0, 0, 0}},
		} {
			if err := c.set(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := stored(c.value); !bytes.Equal(got, c.raw) {
				t.Errorf("%s: stored % x, want % x", c.name, got, c.raw)
			}
		}
		if s, _, err := k.GetStringValue("sz-lone-surrogate"); s != d800 || err != nil {
			t.Errorf("GetStringValue of a lone surrogate = %q, %v; want %q", s, err, d800)
		}
		rawValue(t, m, "raw-d800", registry.SZ, []byte{0x00, 0xd8, 0, 0})
		rawValue(t, m, "raw-multi-d800", registry.MULTI_SZ, []byte{0x00, 0xd8, 0, 0, 0, 0})
		if s, _, err := k.GetStringValue("raw-d800"); s != d800 || err != nil {
			t.Errorf("GetStringValue of raw 00 d8 00 00 = %q, %v; want %q", s, err, d800)
		}
		if s, _, err := k.GetStringsValue("raw-multi-d800"); !slices.Equal(s, []string{"\ufffd"}) || err != nil {
			t.Errorf("GetStringsValue of raw 00 d8 00 00 00 00 = %q, %v; want [U+FFFD] (unicode/utf16, as x/sys)", s, err)
		}

		// "\xff" and "\uFFFD" are one UTF-16 name: U+FFFD.
		v, _, err := registry.CreateKey(k, "names", registry.ALL_ACCESS)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.SetDWordValue("\xff", 1); err != nil {
			t.Fatal(err)
		}
		if err := v.SetDWordValue("\ufffd", 2); err != nil {
			t.Fatal(err)
		}
		if names, err := v.ReadValueNames(-1); !slices.Equal(names, []string{"\ufffd"}) || err != nil {
			t.Errorf("values after setting \\xff and U+FFFD: %q, %v; want one, U+FFFD", names, err)
		}
		if n, _, err := v.GetIntegerValue("\xff"); n != 2 || err != nil {
			t.Errorf("GetIntegerValue(\\xff) = %d, %v; want 2, the value set as U+FFFD", n, err)
		}
		// Keys named with lone surrogates: two keys, enumerated as
		// themselves, each opened again by the name read back.
		for _, name := range []string{d801, d800} {
			sub, _, err := registry.CreateKey(v, name, registry.ALL_ACCESS)
			if err != nil {
				t.Fatalf("CreateKey(%q) = %v", name, err)
			}
			sub.Close()
		}
		names, err := v.ReadSubKeyNames(-1)
		if !slices.Equal(names, []string{d800, d801}) || err != nil {
			t.Fatalf("subkeys = %q, %v; want %q", names, err, []string{d800, d801})
		}
		for _, name := range names {
			sub, err := registry.OpenKey(v, name, registry.READ)
			if err != nil {
				t.Errorf("OpenKey(%q), a name read back = %v", name, err)
				continue
			}
			sub.Close()
		}
		// A path with a stray byte names the U+FFFD key.
		if _, _, err := registry.CreateKey(v, "\ufffd", registry.READ); err != nil {
			t.Fatal(err)
		}
		if _, existed, err := registry.CreateKey(v, "\xff", registry.READ); !existed || err != nil {
			t.Errorf("CreateKey(\\xff) after CreateKey(U+FFFD) = existed %v, %v; want the same key", existed, err)
		}
		if ki, err := v.Stat(); err != nil || ki.MaxSubKeyLen != 1 || ki.MaxValueNameLen != 1 {
			t.Errorf("Stat = %+v, %v; want names of one character", ki, err)
		}
		// A name the native calls made with a NUL inside reads back up to
		// the NUL, as x/sys's UTF16ToString reads it.
		rawValue(t, m, "before\x00after", registry.DWORD, []byte{1, 0, 0, 0})
		if names, err := k.ReadValueNames(-1); err != nil || !slices.Contains(names, "before") {
			t.Errorf("ReadValueNames with a native name holding a NUL = %q, %v; want \"before\" among them", names, err)
		}
	})
}

// TestNameLimits: a value name of 16,383 characters is written, one of
// 16,384 refused with ERROR_INVALID_PARAMETER (STATUS_INVALID_PARAMETER
// through RtlNtStatusToDosError) and nothing is written (documented:
// Registry Element Size Limits; observed: Wine ntdll reg.c:2122); a key
// name of 256 characters is created, one of 257 refused the same way,
// also as a component of a longer path, whose missing keys before it
// CreateKey has created by then, one native create each, and leaves (rule
// hive.name.component-too-long; inferred: Wine kernelbase create_key).
func TestNameLimits(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		for _, c := range []struct {
			what   string
			length int
			set    func(name string) error
			get    func(name string) error
			err    error
			got    error // get's error after set
		}{
			{"value", 16383, setDWord(k), getInteger(k), nil, nil},
			{"value", 16384, setDWord(k), getInteger(k), windows.ERROR_INVALID_PARAMETER, registry.ErrNotExist},
			{"key", 256, createKey(k, "%s"), openKey(k, "%s"), nil, nil},
			{"key", 257, createKey(k, "%s"), openKey(k, "%s"), windows.ERROR_INVALID_PARAMETER, windows.ERROR_INVALID_PARAMETER},
			{"key between two", 257, createKey(k, `new\%s\leaf`), openKey(k, "new"), windows.ERROR_INVALID_PARAMETER, nil},
			{"key between two", 257, createKey(k, `new\%s\leaf`), openKey(k, `new\%s`), windows.ERROR_INVALID_PARAMETER, windows.ERROR_INVALID_PARAMETER},
		} {
			name := strings.Repeat("n", c.length)
			if err := c.set(name); err != c.err {
				t.Errorf("%s name of %d characters: %v, want %v", c.what, c.length, err, c.err)
			}
			if err := c.get(name); err != c.got {
				t.Errorf("%s name of %d characters, read back: %v, want %v", c.what, c.length, err, c.got)
			}
		}
	})
}

func third[T, U any](_ T, _ U, err error) error { return err }

func setDWord(k registry.Key) func(string) error {
	return func(name string) error { return k.SetDWordValue(name, 1) }
}

func getInteger(k registry.Key) func(string) error {
	return func(name string) error { return third(k.GetIntegerValue(name)) }
}

// createKey and openKey create and open the path format (with %s for the
// name) below k, closing the key.
func createKey(k registry.Key, format string) func(string) error {
	return func(name string) error {
		sub, _, err := registry.CreateKey(k, strings.ReplaceAll(format, "%s", name), registry.READ)
		if err == nil {
			sub.Close()
		}
		return err
	}
}

func openKey(k registry.Key, format string) func(string) error {
	return func(name string) error {
		sub, err := registry.OpenKey(k, strings.ReplaceAll(format, "%s", name), registry.READ)
		if err == nil {
			sub.Close()
		}
		return err
	}
}

// TestDeleteValue: a deleted value is gone at once (ErrNotExist, also to
// a second DeleteValue) and the others stay; the deletion is a change like
// any other: a power cut before a flush brings the value back, after one
// it stays deleted.
func TestDeleteValue(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		writeConfig(t, k, 1)
		if err := registry.RegFlushKey(k); err != nil {
			t.Fatal(err)
		}
		open := func() registry.Key {
			t.Helper()
			k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.ALL_ACCESS)
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		check := func(when string, k registry.Key, deleted bool) {
			t.Helper()
			var want error
			if deleted {
				want = registry.ErrNotExist
			}
			if _, _, err := k.GetIntegerValue("Version"); err != want {
				t.Errorf("%s: Version: %v, want %v", when, err, want)
			}
			if s, _, err := k.GetStringValue("InstallDir"); s == "" || err != nil {
				t.Errorf("%s: InstallDir = %q, %v; want it kept", when, s, err)
			}
		}
		if err := k.DeleteValue("Version"); err != nil {
			t.Fatalf("DeleteValue = %v", err)
		}
		check("after DeleteValue", k, true)
		if err := k.DeleteValue("Version"); err != registry.ErrNotExist {
			t.Errorf("deleting it again = %v, want ErrNotExist", err)
		}
		m.PowerCut()
		k = open()
		check("after a power cut before any flush of the deletion", k, false)
		if err := k.DeleteValue("Version"); err != nil {
			t.Fatal(err)
		}
		if err := registry.RegFlushKey(k); err != nil {
			t.Fatal(err)
		}
		m.PowerCut()
		check("after a flush and a power cut", open(), true)
	})
}

// TestLazyFlushOff: winsimtest's SetLazyFlush(0) turns the lazy flusher
// off for good: a change is not durable after a century of the bubble's
// clock, where with the flusher on it is after seconds.
func TestLazyFlushOff(t *testing.T) {
	const century = 100 * 365 * 24 * time.Hour
	for _, c := range []struct {
		name     string
		interval time.Duration // -1: the profile's (5 s under win8)
		wait     time.Duration
		survives bool
	}{
		{"the profile's flusher", -1, 6 * time.Second, true},
		{"a flusher set to an hour, after two", time.Hour, 2 * time.Hour, true},
		{"the flusher off, after a century", 0, century, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			bubble(t, func(t *testing.T, m *winsimtest.Machine) {
				if c.interval >= 0 {
					if err := m.SetLazyFlush(c.interval); err != nil {
						t.Fatal(err)
					}
				}
				writeConfig(t, appKey(t), 1)
				time.Sleep(c.wait)
				m.PowerCut()
				v, err := readVersion(t)
				if survives := err == nil && v == 1; survives != c.survives {
					t.Errorf("after %v and a power cut, Version = %d, %v; want it kept: %v", c.wait, v, err, c.survives)
				}
			})
		})
	}
}

// TestReadNamesEmpty: a key with no subkeys or values enumerates as an
// empty slice, never nil (x/sys makes it with make), with io.EOF when n >
// 0 asked for more.
func TestReadNamesEmpty(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		k := appKey(t)
		for _, c := range []struct {
			n   int
			err error
		}{
			{-1, nil}, {0, nil}, {1, io.EOF}, {3, io.EOF},
		} {
			for _, r := range []struct {
				what string
				read func(int) ([]string, error)
			}{
				{"ReadSubKeyNames", k.ReadSubKeyNames},
				{"ReadValueNames", k.ReadValueNames},
			} {
				got, err := r.read(c.n)
				if !reflect.DeepEqual(got, []string{}) || err != c.err {
					t.Errorf("%s(%d) of an empty key = %#v, %v; want []string{}, %v", r.what, c.n, got, err, c.err)
				}
			}
		}
	})
}

// openAppKey opens SOFTWARE\winsim\app under LOCAL_MACHINE with every right,
// creating it if need be.
func openAppKey(t *testing.T) registry.Key {
	t.Helper()
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, `SOFTWARE\winsim\app`, registry.ALL_ACCESS)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
