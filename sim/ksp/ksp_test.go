package ksp_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

// kfix is a machine with the CNG router, a client thread and an open
// default provider.
type kfix struct {
	m    *sim.Machine
	k    *ksp.KSP
	t    *sim.Thread
	prov sim.Handle
}

func newKSP(t *testing.T, profile string) *kfix {
	t.Helper()
	m := sim.MustNewMachine(sim.Options{Profile: profile})
	f := &kfix{m: m, k: ksp.NewKSP(m), t: m.NewProcess("client.exe").NewThread("main")}
	require.Equal(t, sim.HResult(0), f.k.NCryptOpenStorageProvider(f.t, &f.prov, nil, 0))
	return f
}

// stored creates and finalizes a named key and returns its handle.
func (f *kfix) stored(t *testing.T, name string, flags uint32) sim.Handle {
	t.Helper()
	var h sim.Handle
	require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, win32.Str(win32.BCRYPT_RSA_ALGORITHM), win32.Str(name), 0, flags))
	require.Equal(t, sim.HResult(0), f.k.NCryptFinalizeKey(f.t, h, 0))
	return h
}

// register registers a change notification and returns its handle.
func (f *kfix) register(t *testing.T, flags uint32) sim.Handle {
	t.Helper()
	var ev sim.Handle
	require.Equal(t, sim.HResult(0), mustReturn(f.k.NCryptNotifyChangeKey(f.t, f.prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG|flags)))
	return ev
}

func (f *kfix) signaled(t *testing.T, ev sim.Handle) bool {
	t.Helper()
	r, err := f.t.WaitForSingleObjectEx(ev, 0, false)
	require.NoError(t, err)
	return r == sim.WAIT_OBJECT_0
}

func TestOpenStorageProvider(t *testing.T) {
	unknown := win32.Str("Contoso Missing KSP")
	tests := []struct {
		name    string
		profile string
		out     bool
		pname   *string
		flags   uint32
		want    sim.HResult
	}{
		{"NULL name is the default", "win8", true, nil, 0, 0},
		{"the default by name, any case", "win8", true, win32.Str("microsoft software key storage provider"), 0, 0},
		{"unknown name", "win8", true, unknown, 0, sim.NTE_PROV_DLL_NOT_FOUND},
		{"unknown name under Wine", "wine-8.0", true, unknown, 0, 0},
		{"no flag is defined", "win8", true, nil, win32.NCRYPT_SILENT_FLAG, sim.NTE_BAD_FLAGS},
		{"NULL phProvider before the flags", "win8", false, nil, win32.NCRYPT_SILENT_FLAG, sim.NTE_INVALID_PARAMETER},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newKSP(t, tc.profile)
			h := sim.Handle(0x1234)
			p := &h
			if !tc.out {
				p = nil
			}
			assert.Equal(t, tc.want, f.k.NCryptOpenStorageProvider(f.t, p, tc.pname, tc.flags))
			if tc.want != 0 && tc.out {
				assert.Equal(t, sim.Handle(0x1234), h, "left alone on failure")
			}
			if tc.want == 0 {
				assert.Equal(t, sim.HResult(0), f.k.NCryptFreeObject(f.t, h))
			}
		})
	}
}

func TestIsAlgSupported(t *testing.T) {
	tests := []struct {
		profile string
		prov    bool
		alg     *string
		flags   uint32
		want    sim.HResult
	}{
		{"win8", true, win32.Str("RSA"), 0, 0},
		{"win8", true, win32.Str("ECDSA_P521"), win32.NCRYPT_SILENT_FLAG, 0},
		{"win8", true, win32.Str("RSA"), 0x14, sim.NTE_BAD_FLAGS},
		{"win8", true, win32.Str("ROT13"), 0, sim.NTE_NOT_SUPPORTED},
		{"win8", true, nil, 0x14, sim.HRESULT_RPC_X_NULL_REF_POINTER},
		{"win7", true, nil, 0, sim.NTE_FAIL},
		{"win8", false, win32.Str("RSA"), 0x14, sim.NTE_INVALID_HANDLE},
	}
	for _, tc := range tests {
		f := newKSP(t, tc.profile)
		prov := sim.Handle(0)
		if tc.prov {
			prov = f.prov
		}
		assert.Equal(t, tc.want, f.k.NCryptIsAlgSupported(f.t, prov, tc.alg, tc.flags), "%+v", tc)
	}
}

func TestRegisterProvider(t *testing.T) {
	f := newKSP(t, "")
	require.NoError(t, f.k.RegisterProvider(win32.ProviderConfig{Name: "Contoso KSP", NoChangeNotify: true}))
	assert.ErrorContains(t, f.k.RegisterProvider(win32.ProviderConfig{Name: "contoso ksp"}), "already registered")
	assert.ErrorContains(t, f.k.RegisterProvider(win32.ProviderConfig{}), "needs a name")
	assert.Equal(t, []string{win32.MS_KEY_STORAGE_PROVIDER, "Contoso KSP"}, f.k.ProviderNames())

	var prov, ev sim.Handle
	require.Equal(t, sim.HResult(0), f.k.NCryptOpenStorageProvider(f.t, &prov, win32.Str("Contoso KSP"), 0))
	for _, flags := range []uint32{win32.NCRYPT_REGISTER_NOTIFY_FLAG, 0, 0xFF} {
		assert.Equal(t, sim.NTE_NOT_SUPPORTED, mustReturn(f.k.NCryptNotifyChangeKey(f.t, prov, &ev, flags)), "flags %#x", flags)
	}
	assert.Equal(t, sim.Handle(0), ev)
}

func TestKeyLifecycle(t *testing.T) {
	f := newKSP(t, "")
	var a, b sim.Handle
	name := win32.Str("life")
	rsa := win32.Str(win32.BCRYPT_RSA_ALGORITHM)

	require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &a, rsa, name, 0, 0))
	assert.Equal(t, sim.NTE_BAD_KEYSET, f.k.NCryptOpenKey(f.t, f.prov, &b, name, 0, 0), "not stored before finalize")
	require.Equal(t, sim.HResult(0), f.k.NCryptFinalizeKey(f.t, a, 0))
	assert.Equal(t, []string{"life"}, f.k.StoredKeys(win32.MS_KEY_STORAGE_PROVIDER, false))
	assert.Empty(t, f.k.StoredKeys(win32.MS_KEY_STORAGE_PROVIDER, true))
	assert.Equal(t, sim.NTE_INVALID_HANDLE, f.k.NCryptFinalizeKey(f.t, a, 0), "finalized twice")
	assert.Equal(t, sim.NTE_EXISTS, f.k.NCryptCreatePersistedKey(f.t, f.prov, &b, rsa, win32.Str("LIFE"), 0, 0))
	require.Equal(t, sim.HResult(0), f.k.NCryptOpenKey(f.t, f.prov, &b, name, 0, 0))
	assert.Equal(t, sim.NTE_INVALID_HANDLE, f.k.NCryptFinalizeKey(f.t, b, 0), "opened keys are finalized")

	assert.Equal(t, sim.NTE_BAD_FLAGS, f.k.NCryptDeleteKey(f.t, a, win32.NCRYPT_MACHINE_KEY_FLAG))
	require.Equal(t, sim.HResult(0), f.k.NCryptDeleteKey(f.t, a, 0))
	assert.Equal(t, sim.NTE_INVALID_HANDLE, f.k.NCryptFreeObject(f.t, a), "delete freed it")
	assert.Equal(t, sim.NTE_BAD_KEYSET, f.k.NCryptDeleteKey(f.t, b, 0), "deleted through the other handle")
	assert.Equal(t, sim.HResult(0), f.k.NCryptFreeObject(f.t, b))
	assert.Empty(t, f.k.StoredKeys(win32.MS_KEY_STORAGE_PROVIDER, false))
	assert.Nil(t, f.k.StoredKeys("nobody", false))
}

func TestCreatePersistedKeyChecks(t *testing.T) {
	rsa := win32.Str(win32.BCRYPT_RSA_ALGORITHM)
	tests := []struct {
		name    string
		profile string
		prov    bool
		out     bool
		alg     *string
		flags   uint32
		want    sim.HResult
	}{
		{"bad provider first", "win8", false, false, nil, 0xFFFF, sim.NTE_INVALID_HANDLE},
		{"NULL phKey", "win8", true, false, nil, 0, sim.NTE_INVALID_PARAMETER},
		{"NULL algorithm, Windows 8", "win8", true, true, nil, 0xFFFF, sim.HRESULT_RPC_X_NULL_REF_POINTER},
		{"NULL algorithm, Windows 7", "win7", true, true, nil, 0, sim.NTE_FAIL},
		{"bad flag", "win8", true, true, rsa, win32.NCRYPT_PERSIST_FLAG, sim.NTE_BAD_FLAGS},
		{"unknown algorithm", "win8", true, true, win32.Str("ROT13"), 0, sim.NTE_NOT_SUPPORTED},
		{"algorithm names ignore case", "win8", true, true, win32.Str("ecdh_p384"), win32.NCRYPT_SILENT_FLAG, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newKSP(t, tc.profile)
			prov := sim.Handle(0)
			if tc.prov {
				prov = f.prov
			}
			var h sim.Handle
			p := &h
			if !tc.out {
				p = nil
			}
			assert.Equal(t, tc.want, f.k.NCryptCreatePersistedKey(f.t, prov, p, tc.alg, win32.Str("k"), 0, tc.flags))
		})
	}
}

func TestSetProperty(t *testing.T) {
	tests := []struct {
		name     string
		property *string
		flags    uint32
		want     sim.HResult
		signals  bool
	}{
		{"NULL name", nil, 0, sim.NTE_INVALID_PARAMETER, false},
		{"bad flag", win32.Str(win32.NCRYPT_EXPORT_POLICY_PROPERTY), win32.NCRYPT_MACHINE_KEY_FLAG, sim.NTE_BAD_FLAGS, false},
		{"the name is read-only", win32.Str(win32.NCRYPT_NAME_PROPERTY), win32.NCRYPT_PERSIST_FLAG, sim.NTE_NOT_SUPPORTED, false},
		{"unknown, not persisted", win32.Str("Wine Test"), 0, sim.NTE_NOT_SUPPORTED, false},
		{"unknown, persisted as a custom property", win32.Str("Wine Test"), win32.NCRYPT_PERSIST_FLAG, 0, true},
		{"known, kept with the handle", win32.Str(win32.NCRYPT_EXPORT_POLICY_PROPERTY), 0, 0, false},
		{"known, persisted", win32.Str(win32.NCRYPT_EXPORT_POLICY_PROPERTY), win32.NCRYPT_PERSIST_ONLY_FLAG, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newKSP(t, "")
			key := f.stored(t, "props", 0)
			ev := f.register(t, 0)
			assert.Equal(t, tc.want, f.k.NCryptSetProperty(f.t, key, tc.property, []byte{1}, tc.flags))
			assert.Equal(t, tc.signals, f.signaled(t, ev))
		})
	}
	t.Run("provider handle", func(t *testing.T) {
		f := newKSP(t, "")
		assert.Equal(t, sim.HResult(0), f.k.NCryptSetProperty(f.t, f.prov, win32.Str(win32.NCRYPT_WINDOW_HANDLE_PROPERTY), []byte{1}, 0))
		assert.Equal(t, sim.NTE_NOT_SUPPORTED, f.k.NCryptSetProperty(f.t, f.prov, win32.Str(win32.NCRYPT_EXPORT_POLICY_PROPERTY), []byte{1}, 0))
		assert.Equal(t, sim.NTE_BAD_FLAGS, f.k.NCryptSetProperty(f.t, f.prov, win32.Str(win32.NCRYPT_WINDOW_HANDLE_PROPERTY), []byte{1}, win32.NCRYPT_PERSIST_FLAG))
		assert.Equal(t, sim.NTE_INVALID_HANDLE, f.k.NCryptSetProperty(f.t, 0, win32.Str(win32.NCRYPT_WINDOW_HANDLE_PROPERTY), nil, 0))
	})
}

// TestNotifyValidation checks the model's order: handle, flags, phEvent.
func TestNotifyValidation(t *testing.T) {
	const (
		reg   = win32.NCRYPT_REGISTER_NOTIFY_FLAG
		unreg = win32.NCRYPT_UNREGISTER_NOTIFY_FLAG
		mach  = win32.NCRYPT_MACHINE_KEY_FLAG
	)
	tests := []struct {
		name   string
		prov   bool
		flags  uint32
		event  string // "null" passes NULL phEvent, "none" a NULL handle, "live" a registered one, "event" an event handle
		want   sim.HResult
		wantEv string // "same", "new", "invalid"
	}{
		{"bad provider beats everything", false, 0, "null", sim.NTE_INVALID_HANDLE, "same"},
		{"no operation", true, 0, "null", sim.NTE_BAD_FLAGS, "same"},
		{"both operations", true, reg | unreg, "none", sim.NTE_BAD_FLAGS, "same"},
		{"unknown bit", true, reg | 0x100, "none", sim.NTE_BAD_FLAGS, "same"},
		{"machine with unregister", true, unreg | mach, "live", sim.NTE_BAD_FLAGS, "same"},
		{"NULL phEvent", true, reg, "null", sim.NTE_INVALID_PARAMETER, "same"},
		{"unregister NULL", true, unreg, "none", sim.NTE_INVALID_PARAMETER, "same"},
		{"unregister an event", true, unreg, "event", sim.NTE_INVALID_PARAMETER, "same"},
		{"register", true, reg, "none", 0, "new"},
		{"register silently in the machine store", true, reg | mach | win32.NCRYPT_SILENT_FLAG, "none", 0, "new"},
		{"unregister", true, unreg, "live", 0, "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newKSP(t, "")
			prov := sim.Handle(0)
			if tc.prov {
				prov = f.prov
			}
			var ev sim.Handle
			p := &ev
			switch tc.event {
			case "null":
				p = nil
			case "live":
				ev = f.register(t, 0)
			case "event":
				ev = f.t.CreateEvent(true, false)
			}
			before := ev
			assert.Equal(t, tc.want, mustReturn(f.k.NCryptNotifyChangeKey(f.t, prov, p, tc.flags)))
			switch tc.wantEv {
			case "same":
				assert.Equal(t, before, ev)
			case "new":
				assert.NotEqual(t, before, ev)
				assert.False(t, f.signaled(t, ev))
			case "invalid":
				assert.Equal(t, sim.INVALID_HANDLE_VALUE, ev)
				_, err := f.t.WaitForSingleObjectEx(before, 0, false)
				assert.Equal(t, sim.ERROR_INVALID_HANDLE, err)
			}
		})
	}
}

// TestNotifyTriggers checks which key operations signal a user-store and a
// machine-store registration.
func TestNotifyTriggers(t *testing.T) {
	rsa := win32.Str(win32.BCRYPT_RSA_ALGORITHM)
	tests := []struct {
		name          string
		op            func(t *testing.T, f *kfix)
		user, machine bool
	}{
		{"finalize a named user key", func(t *testing.T, f *kfix) { f.stored(t, "u", 0) }, true, false},
		{"finalize a named machine key", func(t *testing.T, f *kfix) { f.stored(t, "m", win32.NCRYPT_MACHINE_KEY_FLAG) }, false, true},
		{"create without finalizing", func(t *testing.T, f *kfix) {
			var h sim.Handle
			f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, win32.Str("pending"), 0, 0)
		}, false, false},
		{"ephemeral key: create, finalize, delete", func(t *testing.T, f *kfix) {
			var h sim.Handle
			f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, nil, 0, 0)
			f.k.NCryptFinalizeKey(f.t, h, 0)
			f.k.NCryptDeleteKey(f.t, h, 0)
		}, false, false},
		{"open and free", func(t *testing.T, f *kfix) {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptOpenKey(f.t, f.prov, &h, win32.Str("pre"), 0, 0))
			f.k.NCryptFreeObject(f.t, h)
		}, false, false},
		{"delete a stored key", func(t *testing.T, f *kfix) {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptOpenKey(f.t, f.prov, &h, win32.Str("pre"), 0, 0))
			f.k.NCryptDeleteKey(f.t, h, 0)
		}, true, false},
		{"a create refused with NTE_EXISTS", func(t *testing.T, f *kfix) {
			var h sim.Handle
			require.Equal(t, sim.NTE_EXISTS, f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, win32.Str("pre"), 0, 0))
		}, false, false},
		{"overwrite a stored key", func(t *testing.T, f *kfix) {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, win32.Str("pre"), 0, win32.NCRYPT_OVERWRITE_KEY_FLAG))
			require.Equal(t, sim.HResult(0), f.k.NCryptFinalizeKey(f.t, h, 0))
		}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newKSP(t, "")
			f.stored(t, "pre", 0)
			user, machine := f.register(t, 0), f.register(t, win32.NCRYPT_MACHINE_KEY_FLAG)
			tc.op(t, f)
			assert.Equal(t, tc.user, f.signaled(t, user), "user store")
			assert.Equal(t, tc.machine, f.signaled(t, machine), "machine store")
		})
	}
}

// TestNotifyCloseEndsRegistration: a change handle closed with
// FindCloseChangeNotification can no longer be unregistered, and an
// unregistered handle is not signaled by later changes.
func TestNotifyCloseEndsRegistration(t *testing.T) {
	f := newKSP(t, "")
	ev := f.register(t, 0)
	require.Equal(t, sim.ERROR_SUCCESS, f.t.FindCloseChangeNotification(ev))
	p := ev
	assert.Equal(t, sim.NTE_INVALID_PARAMETER, mustReturn(f.k.NCryptNotifyChangeKey(f.t, f.prov, &p, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG)))
	assert.Equal(t, ev, p)
}

func TestServiceStartContract(t *testing.T) {
	f := newKSP(t, "")
	f.t.SetContext(sim.CallerContext{ServiceStarting: true})
	var h sim.Handle
	assert.Equal(t, sim.HResult(0), f.k.NCryptOpenStorageProvider(f.t, &h, nil, 0), "the call still runs")
	assert.Equal(t, sim.HResult(0), f.k.NCryptFreeObject(f.t, h))
	vs := f.m.Violations()
	require.Len(t, vs, 2)
	for _, v := range vs {
		assert.Equal(t, ksp.RuleServiceStart.ID, v.Rule.ID)
	}
	f.t.SetContext(sim.CallerContext{})
	f.k.NCryptFreeObject(f.t, f.prov)
	assert.Len(t, f.m.Violations(), 2)
}

func TestNCryptHandlesAreNotKernelHandles(t *testing.T) {
	f := newKSP(t, "")
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, f.t.CloseHandle(f.prov))
	ev := f.t.CreateEvent(false, false)
	assert.Equal(t, sim.NTE_INVALID_HANDLE, f.k.NCryptFreeObject(f.t, ev))
	assert.Equal(t, sim.HResult(0), f.k.NCryptFreeObject(f.t, f.prov))
}

func TestFaultInjection(t *testing.T) {
	f := newKSP(t, "")
	f.m.InjectFault("NCryptCreatePersistedKey", sim.NTE_NO_MEMORY.Code(), 1)
	f.m.InjectFault("NCryptOpenKey", sim.ERROR_NOT_ENOUGH_MEMORY.Code(), 1)
	var h sim.Handle
	assert.Equal(t, sim.NTE_NO_MEMORY, f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, win32.Str("RSA"), nil, 0, 0))
	assert.Equal(t, sim.HResult(0x80070008), f.k.NCryptOpenKey(f.t, f.prov, &h, win32.Str("x"), 0, 0), "a Win32 fault comes back as HRESULT_FROM_WIN32")
	assert.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, win32.Str("RSA"), nil, 0, 0))
}

func TestCatalogAndSettings(t *testing.T) {
	c, err := sim.NewCatalog(ksp.Rules())
	require.NoError(t, err)
	for _, id := range []string{"ksp.notify.triggers", "csp.release.bad-flags-consumes", ksp.RuleServiceStart.ID, ksp.RuleReleaseWithObjects.ID} {
		_, ok := c.Lookup(id)
		assert.True(t, ok, id)
	}
	for _, r := range c.Rules() {
		assert.Regexp(t, `^(ksp|csp)\.`, r.ID)
	}
	ids := map[string]bool{}
	for _, s := range ksp.Settings() {
		ids[s.ID] = true
		assert.NotEmpty(t, s.Reason, s.ID)
		assert.NotEmpty(t, s.Source, s.ID)
		assert.Len(t, s.Values, len(sim.Profiles()), s.ID)
	}
	assert.Len(t, ids, len(ksp.Settings()), "setting ids are unique")
	assert.True(t, ids["csp.container.copy-per-context"])
	_, err = sim.NewConstTable(win32.CryptConstants())
	require.NoError(t, err)
}

// mustReturn unwraps a call that returns under the profile in use; a
// *sim.AbortError fails the test run loudly.
func mustReturn(hr sim.HResult, err error) sim.HResult {
	if err != nil {
		panic(err)
	}
	return hr
}

// TestNotifyAbortsUnderWine checks that under wine-8.0, where the real call
// aborts the process, the model returns a *sim.AbortError and no status.
func TestNotifyAbortsUnderWine(t *testing.T) {
	require.False(t, newKSP(t, "wine-8.0").k.NotifyImplemented())
	require.True(t, newKSP(t, "win7").k.NotifyImplemented())
	m := sim.MustNewMachine(sim.Options{Profile: "wine-8.0"})
	k := ksp.NewKSP(m)
	th := m.NewProcess("app.exe").NewThread("main")
	var prov, ev sim.Handle
	require.Equal(t, sim.HResult(0), k.NCryptOpenStorageProvider(th, &prov, nil, 0))
	hr, err := k.NCryptNotifyChangeKey(th, prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG)
	var abort *sim.AbortError
	require.ErrorAs(t, err, &abort)
	require.Equal(t, "NCryptNotifyChangeKey", abort.API)
	require.Equal(t, sim.HResult(0), hr)
	require.Equal(t, sim.Handle(0), ev, "nothing is written through phEvent")
}
