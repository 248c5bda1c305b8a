package hive_test

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

const (
	software = `\Registry\Machine\SOFTWARE`
	system   = `\Registry\Machine\SYSTEM`
)

// fixture is a machine with the default hives and one user-mode thread.
type fixture struct {
	t  *testing.T
	m  *sim.Machine
	r  *hive.Registry
	th *sim.Thread
}

func newFixture(t *testing.T, profile string) *fixture {
	t.Helper()
	m := sim.MustNewMachine(sim.Options{Profile: profile})
	return &fixture{t: t, m: m, r: hive.MustNew(m, hive.Options{}), th: m.NewProcess("app.exe").NewThread("main")}
}

// create creates (or opens) a key with KEY_ALL_ACCESS and requires success.
func (f *fixture) create(path string, options uint32) sim.Handle {
	f.t.Helper()
	h, _, st := f.r.NtCreateKey(f.th, win32.KEY_ALL_ACCESS, win32.Abs(path), options)
	require.Equal(f.t, sim.STATUS_SUCCESS, st, path)
	return h
}

func (f *fixture) set(h sim.Handle, name string, v uint32) {
	f.t.Helper()
	require.Equal(f.t, sim.STATUS_SUCCESS, f.r.NtSetValueKey(f.th, h, name, win32.REG_DWORD, dword(v)))
}

func dword(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// value reads a value by path, opening and closing the key; ok is false
// when the key or the value is absent.
func (f *fixture) value(path, name string) (uint32, bool) {
	f.t.Helper()
	h, st := f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(path))
	if st == sim.STATUS_OBJECT_NAME_NOT_FOUND {
		return 0, false
	}
	require.Equal(f.t, sim.STATUS_SUCCESS, st)
	defer f.r.NtClose(f.th, h)
	_, data, st := f.r.NtQueryValueKey(f.th, h, name)
	if st == sim.STATUS_OBJECT_NAME_NOT_FOUND {
		return 0, false
	}
	require.Equal(f.t, sim.STATUS_SUCCESS, st)
	return binary.LittleEndian.Uint32(data), true
}

func (f *fixture) image(path string) []hive.Record {
	f.t.Helper()
	img, err := f.r.LiveImage(path)
	require.NoError(f.t, err)
	return img
}

func (f *fixture) stats(path string) win32.FlushStats {
	f.t.Helper()
	s, err := f.r.Stats(path)
	require.NoError(f.t, err)
	return s
}

func violationIDs(m *sim.Machine) []string {
	var ids []string
	for _, v := range m.Violations() {
		ids = append(ids, v.Rule.ID)
	}
	return ids
}

// TestStatusCodes checks the code of each documented failure, one case a
// row: the setup returns the handle the call is made with.
func TestStatusCodes(t *testing.T) {
	type call func(f *fixture, h sim.Handle) sim.NTStatus
	flush := func(f *fixture, h sim.Handle) sim.NTStatus { return f.r.NtFlushKey(f.th, h) }
	setV := func(f *fixture, h sim.Handle) sim.NTStatus {
		return f.r.NtSetValueKey(f.th, h, "v", win32.REG_DWORD, dword(1))
	}
	query := func(f *fixture, h sim.Handle) sim.NTStatus {
		_, _, st := f.r.NtQueryValueKey(f.th, h, "v")
		return st
	}
	del := func(f *fixture, h sim.Handle) sim.NTStatus { return f.r.NtDeleteKey(f.th, h) }
	closeH := func(f *fixture, h sim.Handle) sim.NTStatus { return f.r.NtClose(f.th, h) }
	open := func(access uint32) func(f *fixture) sim.Handle {
		return func(f *fixture) sim.Handle {
			f.create(software+`\K`, 0)
			h, st := f.r.NtOpenKey(f.th, access, win32.Abs(software+`\K`))
			require.Equal(t, sim.STATUS_SUCCESS, st)
			return h
		}
	}
	deleted := func(f *fixture) sim.Handle {
		h := f.create(software+`\K`, 0)
		h2, _ := f.r.NtOpenKey(f.th, win32.KEY_ALL_ACCESS, win32.Abs(software+`\K`))
		require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, h2))
		return h
	}
	closed := func(f *fixture) sim.Handle {
		h := f.create(software+`\K`, 0)
		require.Equal(t, sim.STATUS_SUCCESS, f.r.NtClose(f.th, h))
		return h
	}
	event := func(f *fixture) sim.Handle { return f.th.CreateEvent(true, false) }
	fixed := func(h sim.Handle) func(*fixture) sim.Handle { return func(*fixture) sim.Handle { return h } }
	for _, tc := range []struct {
		name  string
		setup func(f *fixture) sim.Handle
		call  call
		want  sim.NTStatus
	}{
		{"flush ok", open(win32.KEY_ALL_ACCESS), flush, sim.STATUS_SUCCESS},
		{"flush KEY_CREATE_SUB_KEY only", open(win32.KEY_CREATE_SUB_KEY), flush, sim.STATUS_SUCCESS},
		{"flush NULL", fixed(0), flush, sim.STATUS_INVALID_HANDLE},
		{"flush closed", closed, flush, sim.STATUS_INVALID_HANDLE},
		{"flush never issued", fixed(0xDEAD0), flush, sim.STATUS_INVALID_HANDLE},
		{"flush event", event, flush, sim.STATUS_OBJECT_TYPE_MISMATCH},
		{"flush current process", fixed(sim.NtCurrentProcess), flush, sim.STATUS_OBJECT_TYPE_MISMATCH},
		{"flush HKCU pseudo handle", fixed(win32.HKEY_CURRENT_USER), flush, sim.STATUS_INVALID_HANDLE},
		{"flush deleted", deleted, flush, sim.STATUS_KEY_DELETED},
		{"set deleted", deleted, setV, sim.STATUS_KEY_DELETED},
		{"set read-only", open(win32.KEY_READ), setV, sim.STATUS_ACCESS_DENIED},
		{"query deleted", deleted, query, sim.STATUS_KEY_DELETED},
		{"query write-only", open(win32.KEY_SET_VALUE), query, sim.STATUS_ACCESS_DENIED},
		{"query missing", open(win32.KEY_READ), query, sim.STATUS_OBJECT_NAME_NOT_FOUND},
		{"delete twice", deleted, del, sim.STATUS_SUCCESS},
		{"delete without DELETE", open(win32.KEY_WRITE), del, sim.STATUS_ACCESS_DENIED},
		{"delete NULL", fixed(0), del, sim.STATUS_INVALID_HANDLE},
		{"close deleted", deleted, closeH, sim.STATUS_SUCCESS},
		{"close closed", closed, closeH, sim.STATUS_INVALID_HANDLE},
		{"close event", event, closeH, sim.STATUS_SUCCESS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			h := tc.setup(f)
			assert.Equal(t, tc.want, tc.call(f, h))
			assert.Empty(t, f.m.Violations())
		})
	}
}

func TestCreateKey(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare []string // keys created first (a trailing * makes one volatile)
		path    string
		options uint32
		want    sim.NTStatus
		disp    uint32
	}{
		{"new", nil, software + `\A`, 0, sim.STATUS_SUCCESS, win32.REG_CREATED_NEW_KEY},
		{"existing", []string{software + `\A`}, software + `\a`, 0, sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY},
		{"existing volatile reopened non-volatile", []string{software + `\A*`}, software + `\A`, 0, sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY},
		{"missing parent", nil, software + `\A\B`, 0, sim.STATUS_OBJECT_NAME_NOT_FOUND, 0},
		{"child of volatile", []string{software + `\A*`}, software + `\A\B`, 0, sim.STATUS_CHILD_MUST_BE_VOLATILE, 0},
		{"volatile child of volatile", []string{software + `\A*`}, software + `\A\B`, win32.REG_OPTION_VOLATILE, sim.STATUS_SUCCESS, win32.REG_CREATED_NEW_KEY},
		{"bad options", nil, software + `\A`, 0x20, sim.STATUS_INVALID_PARAMETER, 0},
		{"under HKLM", nil, `\Registry\Machine\New`, 0, sim.STATUS_ACCESS_DENIED, 0},
		{"relative without root", nil, `Registry\Machine`, 0, sim.STATUS_OBJECT_PATH_SYNTAX_BAD, 0},
		{"empty component skipped", nil, software + `\\A\\`, 0, sim.STATUS_SUCCESS, win32.REG_CREATED_NEW_KEY},
		{"empty first component", nil, `\\Registry`, 0, sim.STATUS_OBJECT_NAME_INVALID, 0},
		{"root directory", nil, `\`, 0, sim.STATUS_OBJECT_TYPE_MISMATCH, 0},
		{"null device", nil, `\Device\Null`, 0, sim.STATUS_OBJECT_TYPE_MISMATCH, 0},
		{"path outside the registry", nil, `\Machine\Software`, 0, sim.STATUS_OBJECT_PATH_NOT_FOUND, 0},
		{"outside the registry", nil, `\Device\Foo`, 0, sim.STATUS_OBJECT_NAME_NOT_FOUND, 0},
		// Object names fold like key names (hive.name.upcase): the long s is
		// not s, although Unicode case folding makes it one.
		{"object name with a long s", nil, "\\Regi\u017Ftry\\Machine\\SOFTWARE\\A", 0, sim.STATUS_OBJECT_PATH_NOT_FOUND, 0},
		{"hive names fold per unit", []string{software + `\A`}, `\REGISTRY\MACHINE\software\a`, 0, sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			for _, p := range tc.prepare {
				opts := uint32(0)
				if p[len(p)-1] == '*' {
					p, opts = p[:len(p)-1], win32.REG_OPTION_VOLATILE
				}
				f.create(p, opts)
			}
			h, disp, st := f.r.NtCreateKey(f.th, win32.KEY_ALL_ACCESS, win32.Abs(tc.path), tc.options)
			assert.Equal(t, tc.want, st)
			assert.Equal(t, tc.disp, disp)
			if st != sim.STATUS_SUCCESS {
				assert.Zero(t, h)
			}
		})
	}
}

func TestRelativeToDeletedKey(t *testing.T) {
	f := newFixture(t, "")
	h := f.create(software+`\A`, 0)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, h))
	_, _, st := f.r.NtCreateKey(f.th, win32.KEY_ALL_ACCESS, win32.Rel(h, "B"), 0)
	assert.Equal(t, sim.STATUS_KEY_DELETED, st)
	_, st = f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Rel(h, ""))
	assert.Equal(t, sim.STATUS_KEY_DELETED, st)
}

func TestDeleteRules(t *testing.T) {
	f := newFixture(t, "")
	p := f.create(software+`\P`, 0)
	c := f.create(software+`\P\C`, 0)
	assert.Equal(t, sim.STATUS_CANNOT_DELETE, f.r.NtDeleteKey(f.th, p), "a key with a subkey")
	root, st := f.r.NtOpenKey(f.th, win32.KEY_ALL_ACCESS, win32.Abs(software))
	require.Equal(t, sim.STATUS_SUCCESS, st)
	assert.Equal(t, sim.STATUS_CANNOT_DELETE, f.r.NtDeleteKey(f.th, root), "a hive root")
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, c))
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, p))
	_, st = f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(software+`\P`))
	assert.Equal(t, sim.STATUS_OBJECT_NAME_NOT_FOUND, st)
}

// The scope of a flush: the whole hive of the key, every hive for a key of
// the master hive, nothing for a clean or volatile hive.
func TestFlushScope(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flushPath string
		survives  map[string]bool // key path -> value survives a crash
	}{
		{"sibling in the same hive", software + `\A`, map[string]bool{software + `\A`: true, software + `\B`: true, system + `\S`: false}},
		{"hive root", software, map[string]bool{software + `\A`: true, software + `\B`: true, system + `\S`: false}},
		{"other hive", system + `\S`, map[string]bool{software + `\A`: false, software + `\B`: false, system + `\S`: true}},
		{"registry root", `\Registry`, map[string]bool{software + `\A`: true, software + `\B`: true, system + `\S`: true}},
		{"HKLM", `\Registry\Machine`, map[string]bool{software + `\A`: true, software + `\B`: true, system + `\S`: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			for p := range tc.survives {
				f.set(f.create(p, 0), "v", 1)
			}
			h, st := f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(tc.flushPath))
			require.Equal(t, sim.STATUS_SUCCESS, st)
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
			f.r.Crash(win32.LoseUnbarriered)
			for p, want := range tc.survives {
				_, ok := f.value(p, "v")
				assert.Equal(t, want, ok, p)
			}
		})
	}
}

func TestFlushAccounting(t *testing.T) {
	f := newFixture(t, "")
	a := f.create(software+`\A`, 0)
	f.set(a, "x", 1)
	f.set(f.create(software+`\B`, 0), "y", 2)
	f.create(software+`\V`, win32.REG_OPTION_VOLATILE)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, a))
	assert.Equal(t, win32.FlushStats{Flushes: 1, KeysWritten: 2, ValueBytes: 8, Writes: 6, Barriers: 4}, f.stats(software))
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, a))
	assert.Equal(t, win32.FlushStats{Flushes: 1, KeysWritten: 2, ValueBytes: 8, Writes: 6, Barriers: 4}, f.stats(software), "a clean hive writes nothing")
	assert.Equal(t, win32.FlushStats{}, f.stats(system))

	// A key created and deleted between two flushes costs nothing.
	tmp := f.create(software+`\Tmp`, 0)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, tmp))
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, a))
	assert.Equal(t, uint64(1), f.stats(software).Flushes)
}

// TestCrashAtEveryPoint cuts the power before every write and barrier of a
// flush of several kinds of change (a changed value, a new key, a deleted
// key, a root value, a volatile key), under every crash policy, and
// requires the hive to come back as the old image or the new one, whole:
// old while the commit is not written, new once its barrier passed.
func TestCrashAtEveryPoint(t *testing.T) {
	setup := func(f *fixture) (old, new []hive.Record) {
		a := f.create(software+`\A`, 0)
		b := f.create(software+`\B`, 0)
		f.create(software+`\C`, 0)
		f.set(a, "v", 1)
		f.set(b, "v", 1)
		root, st := f.r.NtOpenKey(f.th, win32.KEY_ALL_ACCESS, win32.Abs(software))
		require.Equal(t, sim.STATUS_SUCCESS, st)
		require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, root))
		old = f.image(software)

		f.set(a, "v", 2)
		f.set(root, "top", 9)
		require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, b))
		d := f.create(software+`\A\D`, 0)
		f.set(d, "w", 3)
		f.set(f.create(software+`\Vol`, win32.REG_OPTION_VOLATILE), "x", 4)
		return old, f.image(software)
	}

	// A flush without a crash tells how many operations there are.
	f := newFixture(t, "")
	_, _ = setup(f)
	before := f.stats(software)
	h := f.create(software+`\A`, 0)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
	after := f.stats(software)
	keys := int(after.KeysWritten - before.KeysWritten)
	ops := int(after.Writes-before.Writes) + int(after.Barriers-before.Barriers)
	require.Equal(t, 4, keys, "A, root, deleted B and new D; the volatile key is not written")
	require.Equal(t, 2*keys+6, ops)
	commitBarrier := keys + 3 // log records, barrier, commit, then its barrier

	for _, policy := range []win32.CrashPolicy{win32.LoseUnbarriered, win32.KeepUnbarriered, win32.RandomUnbarriered} {
		for seed := range uint64(3) {
			if policy != win32.RandomUnbarriered && seed > 0 {
				continue
			}
			for point := 1; point <= ops+1; point++ {
				t.Run(fmt.Sprintf("%s/seed%d/point%d", policy, seed, point), func(t *testing.T) {
					m := sim.MustNewMachine(sim.Options{Seed: seed, NoTrace: true})
					f := &fixture{t: t, m: m, r: hive.MustNew(m, hive.Options{}), th: m.NewProcess("app.exe").NewThread("main")}
					old, new := setup(f)
					sysBefore := f.image(system)
					require.NoError(t, f.r.CrashAt(point, policy))
					h := f.create(software+`\A`, 0)
					require.Equal(t, sim.STATUS_REGISTRY_IO_FAILED, f.r.NtFlushKey(f.th, h))
					got := f.image(software)
					switch {
					case point < commitBarrier:
						assert.Equal(t, old, got, "cut before the commit")
					case point > commitBarrier:
						assert.Equal(t, new, got, "cut after the commit's barrier")
					default:
						if policy == win32.LoseUnbarriered {
							assert.Equal(t, old, got)
						} else if policy == win32.KeepUnbarriered {
							assert.Equal(t, new, got)
						} else {
							assert.True(t, assert.ObjectsAreEqual(old, got) || assert.ObjectsAreEqual(new, got), "old or new, got %v", got)
						}
					}
					_, volatileBack := f.value(software+`\Vol`, "x")
					assert.False(t, volatileBack, "a volatile key never survives")
					assert.Equal(t, sysBefore, f.image(system), "another hive is untouched")
				})
			}
		}
	}
}

// A flush of \Registry writes hive after hive: a cut inside it leaves each
// hive old or new, whole, and those before the cut new.
func TestCrashInsideFlushAll(t *testing.T) {
	paths := []string{system, software}
	for point := 1; point <= 2*10+1; point++ {
		t.Run(fmt.Sprintf("point%d", point), func(t *testing.T) {
			f := newFixture(t, "")
			olds := map[string][]hive.Record{}
			news := map[string][]hive.Record{}
			for _, p := range paths {
				f.set(f.create(p+`\K`, 0), "v", 1)
			}
			root, _ := f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(`\Registry`))
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, root))
			for _, p := range paths {
				olds[p] = f.image(p)
				k := f.create(p+`\K`, 0)
				f.set(k, "v", 2)
				f.set(f.create(p+`\L`, 0), "v", 2)
				news[p] = f.image(p)
			}
			require.NoError(t, f.r.CrashAt(point, win32.KeepUnbarriered))
			root, _ = f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(`\Registry`))
			require.Equal(t, sim.STATUS_REGISTRY_IO_FAILED, f.r.NtFlushKey(f.th, root))
			// Each hive's flush has 2*2+6 = 10 operations; its commit
			// barrier is its 5th. SYSTEM is written first.
			for i, p := range paths {
				commit := i*10 + 5
				want := olds[p]
				if point > commit-1 { // keep: a written commit survives
					want = news[p]
				}
				assert.Equal(t, want, f.image(p), p)
			}
		})
	}
}

func TestLazyFlush(t *testing.T) {
	for _, tc := range []struct {
		name     string
		profile  string
		interval time.Duration // 0: the profile's
		changeAt time.Duration
		flushAt  time.Duration // when the change is written; 0: never within an hour
		flags    uint32
	}{
		{"windows 5 s after the change", "win8", 0, 2 * time.Second, 7 * time.Second, 0},
		{"configured interval", "win8", time.Second, 0, time.Second, 0},
		{"wine periodic 30 s", "wine-8.0", 0, 20 * time.Second, 30 * time.Second, 0},
		{"wine periodic on the tick", "wine-8.0", 0, 30 * time.Second, 60 * time.Second, 0},
		{"no lazy flush", "win8", 0, 0, 0, win32.REG_NO_LAZY_FLUSH},
		{"volatile hive", "win8", 0, 0, 0, win32.REG_WHOLE_HIVE_VOLATILE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.profile)
			require.NoError(t, f.r.LoadHive(`\Registry\Machine\T`, tc.flags))
			if tc.interval > 0 {
				require.NoError(t, f.r.SetLazyFlush(tc.interval))
			}
			f.m.Advance(tc.changeAt)
			f.set(f.create(`\Registry\Machine\T\K`, 0), "v", 1)
			if tc.flushAt == 0 {
				f.m.Advance(time.Hour)
				assert.Zero(t, f.stats(`\Registry\Machine\T`).Writes)
				return
			}
			f.m.Advance(tc.flushAt - tc.changeAt - time.Millisecond)
			assert.Zero(t, f.stats(`\Registry\Machine\T`).Flushes, "not yet")
			f.m.Advance(time.Millisecond)
			assert.Equal(t, uint64(1), f.stats(`\Registry\Machine\T`).Flushes, "written at %s", tc.flushAt)
		})
	}
}

// Eight dirty hives: seven per pass, and the rotation reaches the eighth in
// the next pass even when all are dirtied again in between.
func TestLazyPassRotation(t *testing.T) {
	f := newFixture(t, "")
	for i := range 4 {
		require.NoError(t, f.r.LoadHive(fmt.Sprintf(`\Registry\Machine\H%d`, i), 0))
	}
	paths := f.r.HivePaths()
	require.Len(t, paths, 8)
	keys := make([]sim.Handle, len(paths))
	for i, p := range paths {
		keys[i] = f.create(p+`\K`, 0)
	}
	for pass := range 8 {
		for i := range keys {
			f.set(keys[i], "v", uint32(pass))
		}
		f.m.Advance(5 * time.Second)
	}
	// Eight passes of seven: each hive was left out of exactly one.
	for _, p := range paths {
		assert.Equal(t, uint64(7), f.stats(p).Flushes, p)
	}
}

func TestWineFlushWritesNothing(t *testing.T) {
	f := newFixture(t, "wine-8.0")
	k := f.create(software+`\A`, 0)
	f.set(k, "v", 1)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, k))
	assert.Zero(t, f.stats(software).Writes)
	f.r.Crash(win32.LoseUnbarriered)
	_, ok := f.value(software+`\A`, "v")
	assert.False(t, ok)
}

func TestRegFlushKey(t *testing.T) {
	f := newFixture(t, "")
	k := f.create(software+`\A`, 0)
	u := f.create(`\Registry\User\`+win32.DefaultUserSID+`\P`, 0)
	f.set(k, "v", 1)
	f.set(u, "v", 1)
	assert.Equal(t, sim.ERROR_SUCCESS, f.r.RegFlushKey(f.th, win32.HKEY_PERFORMANCE_DATA))
	assert.Zero(t, f.stats(software).Writes)
	assert.Equal(t, sim.ERROR_SUCCESS, f.r.RegFlushKey(f.th, win32.HKEY_CURRENT_USER))
	assert.Zero(t, f.stats(software).Writes)
	assert.Equal(t, uint64(1), f.stats(`\Registry\User\`+win32.DefaultUserSID).Flushes)
	assert.Equal(t, sim.ERROR_SUCCESS, f.r.RegFlushKey(f.th, win32.HKEY_CLASSES_ROOT))
	assert.Equal(t, uint64(1), f.stats(software).Flushes)
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, f.r.RegFlushKey(f.th, 0))
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, f.r.RegFlushKey(f.th, f.th.CreateEvent(false, false)))
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteKey(f.th, k))
	assert.Equal(t, sim.ERROR_KEY_DELETED, f.r.RegFlushKey(f.th, k))
	f.m.InjectFault("NtFlushKey", sim.STATUS_REGISTRY_CORRUPT.Code(), 1)
	assert.Equal(t, sim.ERROR_BADDB, f.r.RegFlushKey(f.th, u))
}

func TestNtAndZw(t *testing.T) {
	f := newFixture(t, "")
	drv := f.m.NewProcess("System").NewThread("driver")
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, PreviousMode: sim.UserMode})
	oa := win32.Abs(system + `\Drv`)
	oa.Attributes |= sim.OBJ_KERNEL_HANDLE
	h, _, st := f.r.ZwCreateKey(drv, win32.KEY_QUERY_VALUE, oa, 0)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	assert.True(t, h.IsKernel(), "a kernel handle: %s", h)
	assert.Equal(t, sim.STATUS_INVALID_HANDLE, f.r.NtFlushKey(drv, h), "Nt with previous mode UserMode")
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.ZwFlushKey(drv, h))
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.ZwSetValueKey(drv, h, "v", win32.REG_DWORD, dword(1)), "no access check in kernel mode")
	assert.Equal(t, sim.STATUS_INVALID_HANDLE, f.r.NtFlushKey(f.th, h), "another process's thread, user mode")
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, f.th.CloseHandle(h))
	assert.Equal(t, sim.STATUS_SUCCESS, f.r.ZwClose(drv, h))

	// From user mode OBJ_KERNEL_HANDLE is ignored.
	uh, _, st := f.r.NtCreateKey(f.th, win32.KEY_ALL_ACCESS, oa, 0)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	assert.False(t, uh.IsKernel())
	assert.Empty(t, f.m.Violations())
}

func TestDDIRules(t *testing.T) {
	type step func(f *fixture, drv *sim.Thread)
	zwCreate := func(path string) func(f *fixture, drv *sim.Thread) sim.Handle {
		return func(f *fixture, drv *sim.Thread) sim.Handle {
			oa := win32.Abs(path)
			oa.Attributes |= sim.OBJ_KERNEL_HANDLE
			h, _, st := f.r.ZwCreateKey(drv, win32.KEY_ALL_ACCESS, oa, 0)
			require.Equal(f.t, sim.STATUS_SUCCESS, st)
			return h
		}
	}
	zwOpen := func(f *fixture, drv *sim.Thread) sim.Handle {
		oa := win32.Abs(system + `\Drv`)
		oa.Attributes |= sim.OBJ_KERNEL_HANDLE
		h, st := f.r.ZwOpenKey(drv, win32.KEY_READ, oa)
		require.Equal(f.t, sim.STATUS_SUCCESS, st)
		return h
	}
	create := zwCreate(system + `\Drv`)
	for _, tc := range []struct {
		name string
		ctx  sim.CallerContext
		run  step
		want []string
	}{
		{"clean WDM dispatch", sim.CallerContext{Driver: sim.DriverWDM, Routine: sim.RoutineDispatch}, func(f *fixture, d *sim.Thread) {
			h := create(f, d)
			f.r.ZwFlushKey(d, h)
			f.r.ZwClose(d, h)
			f.r.ReturnFromRoutine(d)
		}, nil},
		{"DISPATCH_LEVEL", sim.CallerContext{Driver: sim.DriverWDM, IRQL: sim.DISPATCH_LEVEL}, func(f *fixture, d *sim.Thread) {
			f.r.ZwFlushKey(d, create(f, d))
		}, []string{"ddi.IrqlZwPassive", "ddi.IrqlZwPassive"}},
		{"flush after close", sim.CallerContext{Driver: sim.DriverWDM}, func(f *fixture, d *sim.Thread) {
			h := create(f, d)
			f.r.ZwClose(d, h)
			f.r.ZwFlushKey(d, h)
		}, []string{"ddi.ZwRegistryCreate"}},
		{"set after delete, close after delete", sim.CallerContext{Driver: sim.DriverWDM}, func(f *fixture, d *sim.Thread) {
			h := create(f, d)
			f.r.ZwDeleteKey(d, h)
			f.r.ZwSetValueKey(d, h, "v", win32.REG_NONE, nil)
			f.r.ZwClose(d, h)
		}, []string{"ddi.ZwRegistryCreate"}},
		{"created twice", sim.CallerContext{Driver: sim.DriverWDM}, func(f *fixture, d *sim.Thread) {
			create(f, d)
			create(f, d)
		}, []string{"ddi.ZwRegistryCreate"}},
		{"opened twice", sim.CallerContext{Driver: sim.DriverWDM}, func(f *fixture, d *sim.Thread) {
			f.create(system+`\Drv`, 0)
			zwOpen(f, d)
			zwOpen(f, d)
		}, []string{"ddi.ZwRegistryOpen"}},
		{"return from cancel", sim.CallerContext{Driver: sim.DriverWDM, Routine: sim.RoutineCancel}, func(f *fixture, d *sim.Thread) {
			f.create(system+`\Drv`, 0)
			zwOpen(f, d)
			create(f, d) // a ZwCreateKey of the key held through ZwOpenKey
			f.r.ReturnFromRoutine(d)
		}, []string{"ddi.ZwRegistryCreate", "ddi.ZwRegistryOpen", "ddi.ZwRegistryCreate"}},
		{"WDM other routine may keep handles", sim.CallerContext{Driver: sim.DriverWDM}, func(f *fixture, d *sim.Thread) {
			create(f, d)
			f.r.ReturnFromRoutine(d)
		}, nil},
		{"Storport any routine", sim.CallerContext{Driver: sim.DriverStorport}, func(f *fixture, d *sim.Thread) {
			create(f, d)
			f.r.ReturnFromRoutine(d)
		}, []string{"ddi.storport.ZwRegistryCreate"}},
		{"Storport prohibited", sim.CallerContext{Driver: sim.DriverStorport}, func(f *fixture, d *sim.Thread) {
			h := create(f, d)
			f.r.ZwFlushKey(d, h)
			f.r.ZwDeleteKey(d, h)
			f.r.ZwClose(d, h)
		}, []string{"ddi.storport.HwStorPortProhibitedDDIs", "ddi.storport.HwStorPortProhibitedDDIs"}},
		{"user mode is exempt", sim.CallerContext{}, func(f *fixture, d *sim.Thread) {
			h := create(f, d)
			create(f, d)
			f.r.ZwClose(d, h)
			f.r.ZwFlushKey(d, h)
			f.r.ReturnFromRoutine(d)
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			drv := f.m.NewProcess("System").NewThread("driver")
			ctx := tc.ctx
			ctx.PreviousMode = sim.KernelMode
			drv.SetContext(ctx)
			tc.run(f, drv)
			assert.Equal(t, tc.want, violationIDs(f.m))
		})
	}
}

func TestReturnFromRoutineLeavesTheRoutine(t *testing.T) {
	f := newFixture(t, "")
	drv := f.m.NewProcess("System").NewThread("driver")
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, Routine: sim.RoutineDispatch, PreviousMode: sim.KernelMode})
	h, _, st := f.r.ZwCreateKey(drv, win32.KEY_ALL_ACCESS, win32.Abs(system+`\Drv`), 0)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	f.r.ReturnFromRoutine(drv)
	assert.Equal(t, sim.RoutineOther, drv.Context().Routine)
	f.r.ReturnFromRoutine(drv)
	assert.Equal(t, []string{"ddi.ZwRegistryCreate"}, violationIDs(f.m), "only the return from the dispatch routine is checked")
	require.Equal(t, sim.STATUS_SUCCESS, f.r.ZwClose(drv, h))
}

func TestCrashInvalidatesHandles(t *testing.T) {
	f := newFixture(t, "")
	h := f.create(software+`\A`, 0)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
	require.Equal(t, 1, f.r.OpenHandles())
	f.r.Crash(win32.LoseUnbarriered)
	assert.Equal(t, 0, f.r.OpenHandles())
	assert.Equal(t, sim.STATUS_INVALID_HANDLE, f.r.NtFlushKey(f.th, h))
	_, st := f.r.NtOpenKey(f.th, win32.KEY_READ, win32.Abs(software+`\A`))
	assert.Equal(t, sim.STATUS_SUCCESS, st)
}

func TestLoadHiveErrors(t *testing.T) {
	f := newFixture(t, "")
	for _, tc := range []struct {
		path  string
		flags uint32
	}{
		{`\Registry\Machine\SOFTWARE`, 0},
		{`\Registry\Other\X`, 0},
		{`\Registry\Machine\A\B`, 0},
		{`Registry\Machine\X`, 0},
		{`\Registry\Machine\X`, win32.REG_APP_HIVE},
	} {
		assert.Error(t, f.r.LoadHive(tc.path, tc.flags), tc.path)
	}
	require.NoError(t, f.r.LoadHive(`\Registry\User\Y`, win32.REG_NO_LAZY_FLUSH))
	assert.Contains(t, f.r.HivePaths(), `\Registry\User\Y`)
}

func TestCatalogAndSettings(t *testing.T) {
	c, err := sim.NewCatalog(hive.Rules())
	require.NoError(t, err)
	for _, id := range []string{"hive.flush.whole-hive", "ddi.IrqlZwPassive", "ddi.storport.HwStorPortProhibitedDDIs"} {
		_, ok := c.Lookup(id)
		assert.True(t, ok, id)
	}
	byID := map[string]sim.SettingInfo{}
	for _, s := range hive.Settings() {
		byID[s.ID] = s
	}
	assert.Equal(t, "false", byID["hive.flush.explicit-writes"].Values["wine-8.0"])
	assert.Equal(t, "true", byID["hive.flush.explicit-writes"].Values["win8"])
	assert.Equal(t, "5s", byID["hive.lazy.interval"].Values["win7"])
	assert.Equal(t, "30s", byID["hive.lazy.interval"].Values["wine-8.0"])
}

// TestTraceNamesKeyRead: the trace names an access of KEY_READ as KEY_READ,
// not as KEY_EXECUTE, the other SDK name of the same value, and KEY_WRITE
// by its own name.
func TestTraceNamesKeyRead(t *testing.T) {
	for _, tc := range []struct {
		access uint32
		want   string
	}{
		{win32.KEY_READ, "NtOpenKey(KEY_READ, "},
		{win32.KEY_EXECUTE, "NtOpenKey(KEY_READ, "},
		{win32.KEY_WRITE, "NtOpenKey(KEY_WRITE, "},
	} {
		f := newFixture(t, "win8")
		f.create(software+`\Traced`, 0)
		_, st := f.r.NtOpenKey(f.th, tc.access, win32.Abs(software+`\Traced`))
		require.Equal(t, sim.STATUS_SUCCESS, st)
		events := f.m.Trace()
		require.NotEmpty(t, events)
		assert.Contains(t, events[len(events)-1].Text, tc.want)
	}
}

// TestDDIViolationDetails: a violation for a key the driver already holds
// names the call made and the lowest handle value it holds the key by, and
// the return from a dispatch routine reports the handles still open in
// ascending order. The model keeps its handles in a map; the run is
// repeated so that an order that only happens to be ascending cannot pass
// for the sorted one.
func TestDDIViolationDetails(t *testing.T) {
	for range 16 {
		ddiViolationDetails(t)
	}
}

func ddiViolationDetails(t *testing.T) {
	t.Helper()
	f := newFixture(t, "")
	drv := f.m.NewProcess("System").NewThread("driver")
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, Routine: sim.RoutineDispatch, PreviousMode: sim.KernelMode})
	oa := win32.Abs(system + `\Drv`)
	const path = `\REGISTRY\MACHINE\SYSTEM\Drv` // the key's full path as the model spells it
	oa.Attributes |= sim.OBJ_KERNEL_HANDLE
	h1, _, st := f.r.ZwCreateKey(drv, win32.KEY_ALL_ACCESS, oa, 0)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	h2, st := f.r.ZwOpenKey(drv, win32.KEY_READ, oa)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	h3, _, st := f.r.ZwCreateKey(drv, win32.KEY_ALL_ACCESS, oa, 0)
	require.Equal(t, sim.STATUS_SUCCESS, st)
	require.True(t, h1 < h2 && h2 < h3, "handle values increase: %s %s %s", h1, h2, h3)
	f.r.ReturnFromRoutine(drv)
	var details []string
	for _, v := range f.m.Violations() {
		details = append(details, v.Detail)
	}
	open := func(h sim.Handle) string {
		return fmt.Sprintf("returned from the %s routine with %s (%s) still open", sim.RoutineDispatch, h, path)
	}
	assert.Equal(t, []string{
		fmt.Sprintf("ZwOpenKey of %s while the driver holds it open as %s", path, h1),
		fmt.Sprintf("ZwCreateKey of %s while the driver holds it open as %s", path, h1),
		open(h1), open(h2), open(h3),
	}, details)
}

// TestCrashStopsTheLazyFlusher: a change arms the lazy flush timer; a power
// loss stops it, so no flush of the lost state remains scheduled.
func TestCrashStopsTheLazyFlusher(t *testing.T) {
	f := newFixture(t, "")
	h := f.create(software+`\Lazy`, 0)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtSetValueKey(f.th, h, "v", win32.REG_DWORD, []byte{1, 0, 0, 0}))
	require.Equal(t, 1, f.m.PendingTimers(), "the change arms the lazy flusher")
	f.r.Crash(win32.LoseUnbarriered)
	assert.Equal(t, 0, f.m.PendingTimers())
}
