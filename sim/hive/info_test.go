package hive_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// keyInfo queries class with a large buffer and decodes it.
func (f *fixture) keyInfo(h sim.Handle, class uint32) win32.KeyInfo {
	f.t.Helper()
	b, n, st := f.r.NtQueryKey(f.th, h, class, 1024)
	require.Equal(f.t, sim.STATUS_SUCCESS, st)
	require.Equal(f.t, int(n), len(b), "a buffer that holds it all receives ResultLength bytes")
	ki, err := win32.DecodeKeyInfo(class, b)
	require.NoError(f.t, err)
	return ki
}

// valueNames enumerates the values of h by name.
func (f *fixture) valueNames(h sim.Handle) []string {
	f.t.Helper()
	var out []string
	for i := uint32(0); ; i++ {
		b, _, st := f.r.NtEnumerateValueKey(f.th, h, i, win32.KeyValueBasicInformation, 1024)
		if st == sim.STATUS_NO_MORE_ENTRIES {
			return out
		}
		require.Equal(f.t, sim.STATUS_SUCCESS, st)
		vi, err := win32.DecodeValueInfo(win32.KeyValueBasicInformation, b)
		require.NoError(f.t, err)
		out = append(out, vi.Name)
	}
}

// subkeyNames enumerates the subkeys of h by name.
func (f *fixture) subkeyNames(h sim.Handle) []string {
	f.t.Helper()
	var out []string
	for i := uint32(0); ; i++ {
		b, _, st := f.r.NtEnumerateKey(f.th, h, i, win32.KeyBasicInformation, 1024)
		if st == sim.STATUS_NO_MORE_ENTRIES {
			return out
		}
		require.Equal(f.t, sim.STATUS_SUCCESS, st)
		ki, err := win32.DecodeKeyInfo(win32.KeyBasicInformation, b)
		require.NoError(f.t, err)
		out = append(out, ki.Name)
	}
}

func TestEnumerationOrder(t *testing.T) {
	for _, tc := range []struct {
		profile string
		values  []string
	}{
		{"win8", []string{"zeta", "Alpha", "mid"}},
		{"win7", []string{"zeta", "Alpha", "mid"}},
		{"wine-8.0", []string{"Alpha", "mid", "zeta"}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			f := newFixture(t, tc.profile)
			h := f.create(software+`\App`, 0)
			for i, n := range []string{"zeta", "Alpha", "mid"} {
				f.set(h, n, uint32(i))
			}
			assert.Equal(t, tc.values, f.valueNames(h))
			for _, n := range []string{"b", "C", "a", "\u00e9"} {
				f.create(software+`\App\`+n, 0)
			}
			assert.Equal(t, []string{"a", "b", "C", "\u00e9"}, f.subkeyNames(h), "subkeys sort by upcased name under every profile")
		})
	}
}

func TestValueOrderSurvivesFlush(t *testing.T) {
	f := newFixture(t, "win8")
	h := f.create(software+`\App`, 0)
	for _, n := range []string{"c", "a", "b"} {
		f.set(h, n, 1)
	}
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteValueKey(f.th, h, "a"))
	f.set(h, "d", 1)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
	f.r.Crash(win32.LoseUnbarriered)
	h2, st := f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(software+`\App`))
	require.Equal(t, sim.STATUS_SUCCESS, st)
	assert.Equal(t, []string{"c", "b", "d"}, f.valueNames(h2))
}

func TestDeleteValueDurability(t *testing.T) {
	f := newFixture(t, "win8")
	require.NoError(t, f.r.SetLazyFlush(0))
	h := f.create(software+`\App`, 0)
	f.set(h, "v", 7)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
	before := f.stats(software)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteValueKey(f.th, h, "V"), "names compare without case")
	assert.Equal(t, sim.STATUS_OBJECT_NAME_NOT_FOUND, f.r.NtDeleteValueKey(f.th, h, "v"))
	_, ok := f.value(software+`\App`, "v")
	assert.False(t, ok, "gone at once")
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
	after := f.stats(software)
	assert.Equal(t, before.KeysWritten+1, after.KeysWritten, "the deletion dirtied the key")
	f.r.Crash(win32.LoseUnbarriered)
	_, ok = f.value(software+`\App`, "v")
	assert.False(t, ok, "the flushed deletion survives")
}

func TestKeyInfoMembers(t *testing.T) {
	f := newFixture(t, "win8")
	h := f.create(software+`\App`, 0)
	f.set(h, "val", 1)
	f.create(software+`\App\Sub`, win32.REG_OPTION_VOLATILE)
	full := f.keyInfo(h, win32.KeyFullInformation)
	assert.Equal(t, win32.KeyInfo{LastWriteTime: full.LastWriteTime, ClassOffset: 0xFFFFFFFF, SubKeys: 1, MaxNameLen: 6, Values: 1, MaxValueNameLen: 6, MaxValueDataLen: 4}, full)
	assert.Equal(t, `\REGISTRY\MACHINE\SOFTWARE\App`, f.keyInfo(h, win32.KeyNameInformation).Name)
	cached := f.keyInfo(h, win32.KeyCachedInformation)
	assert.Equal(t, uint32(6), cached.NameLength)

	// LastWriteTime follows the virtual clock: a set value moves it, a
	// read does not; creating a subkey moves the parent's.
	t0 := full.LastWriteTime
	f.m.Advance(time.Second)
	assert.Equal(t, t0, f.keyInfo(h, win32.KeyBasicInformation).LastWriteTime)
	f.set(h, "val", 2)
	assert.Equal(t, t0+int64(time.Second/100), f.keyInfo(h, win32.KeyBasicInformation).LastWriteTime)
	f.m.Advance(time.Second)
	f.create(software+`\App\Other`, 0)
	assert.Equal(t, t0+int64(2*time.Second/100), f.keyInfo(h, win32.KeyBasicInformation).LastWriteTime)
}

func TestInfoBuffer(t *testing.T) {
	f := newFixture(t, "win8")
	h := f.create(software+`\App`, 0)
	for _, tc := range []struct {
		length uint32
		want   sim.NTStatus
		got    int
	}{
		{0, sim.STATUS_BUFFER_TOO_SMALL, 0},
		{15, sim.STATUS_BUFFER_TOO_SMALL, 0},
		{16, sim.STATUS_BUFFER_OVERFLOW, 16},
		{20, sim.STATUS_BUFFER_OVERFLOW, 20},
		{22, sim.STATUS_SUCCESS, 22},
		{100, sim.STATUS_SUCCESS, 22},
	} {
		b, n, st := f.r.NtQueryKey(f.th, h, win32.KeyBasicInformation, tc.length)
		assert.Equal(t, tc.want, st, "length %d", tc.length)
		assert.Equal(t, uint32(22), n, "ResultLength, length %d", tc.length)
		assert.Len(t, b, tc.got, "length %d", tc.length)
	}
}

func TestZwInfoCallsSkipAccessAndCheckIRQL(t *testing.T) {
	f := newFixture(t, "win8")
	drv := f.m.NewProcess("System").NewThread("driver")
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM})
	oa := win32.Abs(system + `\Drv`)
	oa.Attributes |= sim.OBJ_KERNEL_HANDLE
	h, _, st := f.r.ZwCreateKey(drv, win32.KEY_CREATE_SUB_KEY, oa, 0)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.ZwSetValueKey(drv, h, "v", win32.REG_DWORD, dword(1)))
	_, _, st = f.r.ZwEnumerateValueKey(drv, h, 0, win32.KeyValueFullInformation, 100)
	assert.Equal(t, sim.STATUS_SUCCESS, st, "kernel mode: no access check")
	_, _, st = f.r.ZwQueryKey(drv, h, win32.KeyFullInformation, 100)
	assert.Equal(t, sim.STATUS_SUCCESS, st)
	_, _, st = f.r.ZwEnumerateKey(drv, h, 0, win32.KeyBasicInformation, 100)
	assert.Equal(t, sim.STATUS_NO_MORE_ENTRIES, st)
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.ZwDeleteValueKey(drv, h, "v"))
	assert.Empty(t, violationIDs(f.m))
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, IRQL: sim.DISPATCH_LEVEL})
	f.r.ZwQueryKey(drv, h, win32.KeyBasicInformation, 100)
	assert.Equal(t, []string{"ddi.IrqlZwPassive"}, violationIDs(f.m))
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, IRQL: sim.PASSIVE_LEVEL})
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.ZwClose(drv, h))
}

// TestLoneSurrogateNames: a name is a Go string in WTF-8, the convention
// of Go's syscall package on Windows, so a lone surrogate half (a name
// Windows allows, being any sequence of UTF-16 code units) is one code
// unit: the information calls give it back as itself, count it as one
// character and sort it among the surrogates, below U+E000.
func TestLoneSurrogateNames(t *testing.T) {
	const d800, d801 = "\xed\xa0\x80", "\xed\xa0\x81"
	f := newFixture(t, "win8")
	h := f.create(software+`\App`, 0)
	for _, n := range []string{"\ue000", d801, d800} {
		f.create(software+`\App\`+n, 0)
	}
	f.set(h, d800, 1)
	f.set(h, d801, 2)
	assert.Equal(t, []string{d800, d801, "\ue000"}, f.subkeyNames(h), "D800 < D801 < E000 as code units")
	assert.Equal(t, []string{d800, d801}, f.valueNames(h), "two halves, two values")
	full := f.keyInfo(h, win32.KeyFullInformation)
	assert.Equal(t, [4]uint32{3, 2, 2, 2}, [4]uint32{full.SubKeys, full.MaxNameLen, full.Values, full.MaxValueNameLen}, "one code unit, two bytes, per name")
	sub, st := f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(software+`\App\`+d800))
	require.Equal(t, sim.STATUS_SUCCESS, st, "the name read back opens the key")
	assert.Equal(t, `\REGISTRY\MACHINE\SOFTWARE\App\`+d800, f.keyInfo(sub, win32.KeyNameInformation).Name)
}

// TestInfoCallsTraceTheirResult: an information call's trace line reports
// what the call returned (the bytes, ResultLength and status), not the zero
// values its named results held when the call began.
func TestInfoCallsTraceTheirResult(t *testing.T) {
	f := newFixture(t, "win8")
	h := f.create(software+`\Traced`, 0)
	f.set(h, "val", 1)
	f.create(software+`\Traced\Sub`, 0)
	last := func() string {
		events := f.m.Trace()
		require.NotEmpty(t, events)
		return events[len(events)-1].Text
	}
	b, n, st := f.r.NtQueryKey(f.th, h, win32.KeyFullInformation, 1024)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	assert.Contains(t, last(), fmt.Sprintf("%d bytes, ResultLength %d, STATUS_SUCCESS", len(b), n))
	b, n, st = f.r.NtEnumerateKey(f.th, h, 0, win32.KeyBasicInformation, 1024)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	assert.Contains(t, last(), fmt.Sprintf("%d bytes, ResultLength %d, STATUS_SUCCESS", len(b), n))
	_, _, st = f.r.NtEnumerateValueKey(f.th, h, 5, win32.KeyValueBasicInformation, 1024)
	require.Equal(t, sim.STATUS_NO_MORE_ENTRIES, st)
	assert.Contains(t, last(), "STATUS_NO_MORE_ENTRIES")
}
