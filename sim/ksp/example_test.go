package ksp_test

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

// A test of code that watches the key store: register a change handle, let
// another part of the program store a key, and wait on the handle with the
// kernel's wait functions. The handle stays signaled until
// FindNextChangeNotification re-arms it.
func ExampleKSP_NCryptNotifyChangeKey() {
	m := sim.MustNewMachine(sim.Options{})
	store := ksp.NewKSP(m)
	t := m.NewProcess("app.exe").NewThread("main")

	var prov, ev, key sim.Handle
	store.NCryptOpenStorageProvider(t, &prov, nil, 0)
	hr, err := store.NCryptNotifyChangeKey(t, prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG)
	fmt.Println(hr, err) // err is a *sim.AbortError only under a profile where the call aborts

	r, _ := t.WaitForSingleObjectEx(ev, 100, false)
	fmt.Println("before:", r)

	store.NCryptCreatePersistedKey(t, prov, &key, win32.Str(win32.BCRYPT_RSA_ALGORITHM), win32.Str("app-key"), 0, 0)
	store.NCryptFinalizeKey(t, key, 0)
	r, _ = t.WaitForSingleObjectEx(ev, 100, false)
	fmt.Println("after finalize:", r)

	t.FindNextChangeNotification(ev)
	r, _ = t.WaitForSingleObjectEx(ev, 100, false)
	fmt.Println("re-armed:", r)

	_, _ = store.NCryptNotifyChangeKey(t, prov, &ev, win32.NCRYPT_UNREGISTER_NOTIFY_FLAG)
	fmt.Println(ev)
	// Output:
	// S_OK (0x00000000) <nil>
	// before: WAIT_TIMEOUT
	// after finalize: WAIT_OBJECT_0
	// re-armed: WAIT_TIMEOUT
	// INVALID_HANDLE_VALUE
}

// A code under test that must cope with a provider without change
// notification, such as a KSP built from Microsoft's sample, can be given
// one.
func ExampleKSP_RegisterProvider() {
	m := sim.MustNewMachine(sim.Options{})
	store := ksp.NewKSP(m)
	t := m.NewProcess("app.exe").NewThread("main")
	_ = store.RegisterProvider(win32.ProviderConfig{Name: "Contoso KSP", NoChangeNotify: true})

	var prov, ev sim.Handle
	store.NCryptOpenStorageProvider(t, &prov, win32.Str("Contoso KSP"), 0)
	hr, _ := store.NCryptNotifyChangeKey(t, prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG)
	fmt.Println(hr)
	// Output:
	// NTE_NOT_SUPPORTED (0x80090029)
}

// CryptReleaseContext consumes one reference per call, even when it fails
// for bad flags; afterwards every use of the handle fails with
// ERROR_INVALID_PARAMETER, as on Windows.
func ExampleCSP_CryptReleaseContext() {
	m := sim.MustNewMachine(sim.Options{})
	capi := ksp.NewCSP(m)
	t := m.NewProcess("app.exe").NewThread("main")

	var prov sim.Handle
	fmt.Println(capi.CryptAcquireContext(t, &prov, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT))
	fmt.Println(capi.CryptContextAddRef(t, prov, nil, 0))
	fmt.Println(capi.CryptReleaseContext(t, prov, 0))
	fmt.Println(capi.CryptReleaseContext(t, prov, 0xFFFFFFFF))
	fmt.Println(capi.CryptReleaseContext(t, prov, 0))
	// Output:
	// ERROR_SUCCESS (0)
	// ERROR_SUCCESS (0)
	// ERROR_SUCCESS (0)
	// NTE_BAD_FLAGS (0x80090009)
	// ERROR_INVALID_PARAMETER (87)
}

// Keys and hashes left alive at the final release are a contract
// violation: the release still succeeds, the machine records the broken
// rule, and the key is invalid afterwards.
func ExampleRuleReleaseWithObjects() {
	m := sim.MustNewMachine(sim.Options{})
	capi := ksp.NewCSP(m)
	t := m.NewProcess("app.exe").NewThread("main")

	var prov, key sim.Handle
	capi.CryptAcquireContext(t, &prov, win32.Str("demo"), nil, win32.PROV_RSA_FULL, win32.CRYPT_NEWKEYSET)
	capi.CryptGenKey(t, prov, win32.CALG_RC4, 0, &key)
	fmt.Println(capi.CryptReleaseContext(t, prov, 0))
	fmt.Println(capi.CryptDestroyKey(t, key))
	for _, v := range m.Violations() {
		fmt.Println(v.Rule.ID)
	}
	fmt.Println(capi.Containers(win32.MS_STRONG_PROV, false))
	// Output:
	// ERROR_SUCCESS (0)
	// ERROR_INVALID_PARAMETER (87)
	// csp.contract.release-with-objects
	// [demo]
}
