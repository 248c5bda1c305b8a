// Package ksp models Windows key storage in its two generations.
//
// KSP is CNG key storage (ncrypt.dll): key storage providers opened by name,
// persisted keys in the caller's user store or the machine store with their
// create / finalize / open / delete lifecycle, properties, and
// NCryptNotifyChangeKey, whose change handles are the kernel's
// change-notification objects (sim.ChangeNotification): waitable, signaled by
// a change in the watched store, re-armed with FindNextChangeNotification.
//
// CSP is the legacy CryptoAPI (advapi32.dll): cryptographic service
// providers, named key containers that outlive the contexts opened on them,
// CryptAcquireContext with its flag dispatch and error order,
// CryptContextAddRef and CryptReleaseContext with reference counting, and
// the keys and hashes whose handles die with the context's last reference.
//
// Every function takes the *sim.Thread that makes the call. NCrypt functions
// return their SECURITY_STATUS as a sim.HResult (0 is ERROR_SUCCESS);
// CryptoAPI functions, which return a BOOL and leave the reason in
// GetLastError, return that last-error value as a sim.Code: ERROR_SUCCESS for
// TRUE, otherwise a Win32 code (ERROR_INVALID_PARAMETER) or an HRESULT
// (NTE_BAD_FLAGS), each with its SDK name.
//
// Rules that the documentation states, that Windows was observed to follow,
// and the choices the model makes where the docs are silent are listed with
// their sources in Rules; profile differences in Settings.
package ksp

import (
	"fmt"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// KSP is the CNG key storage router of one sim.Machine, with the key
// storage providers registered on it. A new KSP knows the Microsoft Software
// Key Storage Provider; RegisterProvider adds others.
type KSP struct {
	m         *sim.Machine
	providers []*provider
	def       *provider
}

// NewKSP creates the key storage router of machine m with the default
// provider, MS_KEY_STORAGE_PROVIDER, and empty stores.
func NewKSP(m *sim.Machine) *KSP {
	k := &KSP{m: m}
	k.def = k.addProvider(win32.ProviderConfig{Name: win32.MS_KEY_STORAGE_PROVIDER})
	return k
}

// Machine returns the machine the router runs on.
func (k *KSP) Machine() *sim.Machine { return k.m }

// provider is one registered key storage provider with its two stores.
type provider struct {
	cfg           win32.ProviderConfig
	user, machine *store
}

// storeFor returns the store the machine-key flag selects.
func (p *provider) storeFor(flags uint32) *store {
	if flags&win32.NCRYPT_MACHINE_KEY_FLAG != 0 {
		return p.machine
	}
	return p.user
}

// store is the user or the machine store of one provider: its persisted keys
// and the change notifications watching it.
type store struct {
	label string
	keys  map[string]*storedKey // by folded name
	// watchers are the objects of the change handles watching the store,
	// in registration order.
	watchers []*sim.ChangeNotification
	// forget is forgetClosed as a func value, made at the store's first
	// registration and shared by all its change handles.
	forget func(*sim.Thread)
}

// storedKey is a persisted key: what a key file holds.
type storedKey struct {
	name  string
	alg   string
	props map[string][]byte
}

// provHandle is an NCRYPT_PROV_HANDLE.
type provHandle struct{ prov *provider }

// TypeName implements sim.Object.
func (*provHandle) TypeName() string { return "NCRYPT_PROV_HANDLE" }

func (k *KSP) addProvider(cfg win32.ProviderConfig) *provider {
	p := &provider{cfg: cfg}
	p.user = &store{label: cfg.Name + " user store", keys: map[string]*storedKey{}}
	p.machine = &store{label: cfg.Name + " machine store", keys: map[string]*storedKey{}}
	k.providers = append(k.providers, p)
	return p
}

// RegisterProvider installs another key storage provider, as installing a
// third-party KSP would. It fails for an empty name or one already
// registered.
func (k *KSP) RegisterProvider(cfg win32.ProviderConfig) error {
	kernel.Lock(k.m)
	defer kernel.Unlock(k.m)
	if cfg.Name == "" {
		return fmt.Errorf("ksp: a provider needs a name")
	}
	if k.lookupProvider(cfg.Name) != nil {
		return fmt.Errorf("ksp: provider %q is already registered", cfg.Name)
	}
	k.addProvider(cfg)
	kernel.Tracef(k.m, nil, sim.EvNote, "key storage provider %q registered (change notification %s)", cfg.Name, map[bool]string{false: "supported", true: "not supported"}[cfg.NoChangeNotify])
	return nil
}

func (k *KSP) lookupProvider(name string) *provider {
	for _, p := range k.providers {
		if fold(p.cfg.Name) == fold(name) {
			return p
		}
	}
	return nil
}

// ProviderNames returns the registered providers' names in registration
// order.
func (k *KSP) ProviderNames() []string {
	kernel.Lock(k.m)
	defer kernel.Unlock(k.m)
	out := make([]string, len(k.providers))
	for i, p := range k.providers {
		out[i] = p.cfg.Name
	}
	return out
}

// StoredKeys returns the names of the keys persisted in a provider's user
// store, or its machine store, sorted; nil for an unknown provider.
func (k *KSP) StoredKeys(providerName string, machine bool) []string {
	kernel.Lock(k.m)
	defer kernel.Unlock(k.m)
	p := k.lookupProvider(providerName)
	if p == nil {
		return nil
	}
	st := p.user
	if machine {
		st = p.machine
	}
	out := make([]string, 0, len(st.keys))
	for _, sk := range st.keys {
		out = append(out, sk.name)
	}
	slices.Sort(out)
	return out
}

// begin takes the lock and reports a key-storage call made from a starting
// service. The caller defers kernel.Unlock(k.m).
func (k *KSP) begin(t *sim.Thread, api string) {
	kernel.Enter(k.m, t)
	starting := kernel.Context(t).ServiceStarting
	starting = sim.FaultBroken(RuleServiceStart.ID, starting, false)
	if starting {
		kernel.Violate(k.m, t, RuleServiceStart, "%s called from a ServiceMain that has not reported SERVICE_RUNNING yet", api)
	}
}

// ret traces a call and its status. call is only evaluated when the machine
// records a trace.
func (k *KSP) ret(t *sim.Thread, call func() string, s sim.HResult) sim.HResult {
	kernel.TraceCall(k.m, t, call, func() string { return fmtStatus(s) })
	return s
}

// retOut traces a successful call that wrote a handle through out.
func (k *KSP) retOut(t *sim.Thread, call func() string, out string, h sim.Handle) sim.HResult {
	kernel.TraceCall(k.m, t, call, func() string { return fmt.Sprintf("%s, *%s=%s", fmtStatus(0), out, h) })
	return 0
}

func (k *KSP) lookupProv(t *sim.Thread, h sim.Handle) (*provider, bool) {
	ph, _, st := sim.Resolve[*provHandle](kernel.Handles(t), h)
	if st != sim.HandleValid {
		return nil, false
	}
	return ph.prov, true
}

// NCryptOpenStorageProvider opens a key storage provider by name; a NULL
// name opens MS_KEY_STORAGE_PROVIDER. On success the handle is written
// through phProvider; on failure *phProvider is left alone.
func (k *KSP) NCryptOpenStorageProvider(t *sim.Thread, phProvider *sim.Handle, name *string, flags uint32) sim.HResult {
	k.begin(t, "NCryptOpenStorageProvider")
	defer kernel.Unlock(k.m)
	out := outArg(phProvider)
	call := func() string {
		return fmt.Sprintf("NCryptOpenStorageProvider(%s, %s, %s)", out, fmtStr(name), fmtConst(win32.GroupNCryptFlags, flags))
	}
	if phProvider == nil {
		return k.ret(t, call, sim.FaultBroken("ksp.param.null", sim.NTE_INVALID_PARAMETER, sim.NTE_INVALID_HANDLE))
	}
	badFlags := flags&^openProviderFlags != 0 && k.flagsChecked()
	badFlags = sim.FaultBroken("ksp.flags.bad", badFlags, false)
	if badFlags {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	if c, ok := kernel.TakeFault(k.m, "NCryptOpenStorageProvider"); ok {
		return k.ret(t, call, hresultOf(c))
	}
	p := k.def
	// A NULL name opens the default provider.
	noDefault := sim.FaultBroken("ksp.open.default", false, name == nil)
	if noDefault {
		return k.ret(t, call, sim.NTE_PROV_DLL_NOT_FOUND)
	}
	if name != nil {
		p = k.lookupProvider(*name)
		if p == nil {
			anyName := settingAnyProviderName.In(k.m.Profile())
			anyName = sim.FaultBroken("ksp.open.unknown-name-wine", anyName, false)
			if !anyName {
				return k.ret(t, call, sim.NTE_PROV_DLL_NOT_FOUND)
			}
			// Wine hands out a handle that behaves as its only provider.
			p = k.def
		}
	}
	h := kernel.Handles(t).Insert(&provHandle{prov: p}, 0)
	*phProvider = h
	return k.retOut(t, call, "phProvider", h)
}

// NCryptFreeObject frees a provider or key handle. Keys opened through a
// provider handle stay usable after the provider handle is freed.
func (k *KSP) NCryptFreeObject(t *sim.Thread, h sim.Handle) sim.HResult {
	k.begin(t, "NCryptFreeObject")
	defer kernel.Unlock(k.m)
	call := func() string { return fmt.Sprintf("NCryptFreeObject(%s)", h) }
	obj, _, st := kernel.Handles(t).Lookup(h)
	if st != sim.HandleValid {
		return k.ret(t, call, sim.FaultBroken("ksp.handle.invalid", sim.NTE_INVALID_HANDLE, sim.NTE_INVALID_PARAMETER))
	}
	switch obj.(type) {
	case *provHandle, *keyHandle:
		frees := sim.FaultBroken("ksp.free.provider-and-key", true, false)
		if frees {
			kernel.Handles(t).Remove(h)
		}
		return k.ret(t, call, 0)
	}
	return k.ret(t, call, sim.NTE_INVALID_HANDLE)
}
