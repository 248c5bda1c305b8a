package ksp

import (
	"fmt"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// keyHandle is an NCRYPT_KEY_HANDLE: a key being created, or a finalized or
// opened one. It is kept apart from the stored key, as the Microsoft KSP
// keeps key material cached per handle.
type keyHandle struct {
	prov      *provider
	store     *store
	name      string // "" for an ephemeral key
	named     bool
	alg       string
	overwrite bool
	finalized bool
	stored    *storedKey        // the stored key this handle refers to, once finalized or opened
	props     map[string][]byte // properties set on this handle and not (yet) stored
}

// TypeName implements sim.Object.
func (*keyHandle) TypeName() string { return "NCRYPT_KEY_HANDLE" }

// current reports whether the stored key the handle refers to is still the
// one stored under its name: false after it was deleted or replaced through
// another handle.
func (kh *keyHandle) current() bool {
	return kh.stored != nil && kh.store.keys[fold(kh.name)] == kh.stored
}

// persistedAlgorithms are the algorithms the model's providers persist keys
// for, compared without regard to case as CNG compares algorithm names.
var persistedAlgorithms = []string{
	win32.BCRYPT_RSA_ALGORITHM, win32.BCRYPT_DH_ALGORITHM, win32.BCRYPT_DSA_ALGORITHM,
	win32.BCRYPT_ECDH_P256_ALGORITHM, win32.BCRYPT_ECDH_P384_ALGORITHM, win32.BCRYPT_ECDH_P521_ALGORITHM,
	win32.BCRYPT_ECDSA_P256_ALGORITHM, win32.BCRYPT_ECDSA_P384_ALGORITHM, win32.BCRYPT_ECDSA_P521_ALGORITHM,
}

func knownAlgorithm(alg string) (string, bool) {
	for _, a := range persistedAlgorithms {
		if strings.EqualFold(a, alg) {
			return a, true
		}
	}
	return "", false
}

// Properties: the read-only ones a caller can never set, and the ones a key
// accepts. Any other name is a custom property, accepted only when it is to
// be stored (NCRYPT_PERSIST_FLAG).
var (
	readOnlyProperties = []string{win32.NCRYPT_NAME_PROPERTY, win32.NCRYPT_UNIQUE_NAME_PROPERTY, win32.NCRYPT_ALGORITHM_PROPERTY, win32.NCRYPT_ALGORITHM_GROUP_PROPERTY}
	keyProperties      = []string{win32.NCRYPT_EXPORT_POLICY_PROPERTY, win32.NCRYPT_LENGTH_PROPERTY, win32.NCRYPT_KEY_USAGE_PROPERTY, win32.NCRYPT_SECURITY_DESCR_PROPERTY, win32.NCRYPT_UI_POLICY_PROPERTY, win32.NCRYPT_USE_CONTEXT_PROPERTY, win32.NCRYPT_WINDOW_HANDLE_PROPERTY}
	providerProperties = []string{win32.NCRYPT_USE_CONTEXT_PROPERTY, win32.NCRYPT_WINDOW_HANDLE_PROPERTY}
)

func isOneOf(name string, names []string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// NCryptIsAlgSupported reports whether the provider supports an algorithm:
// ERROR_SUCCESS, or NTE_NOT_SUPPORTED. The only flag is NCRYPT_SILENT_FLAG;
// a NULL algorithm fails as in NCryptCreatePersistedKey.
func (k *KSP) NCryptIsAlgSupported(t *sim.Thread, hProvider sim.Handle, alg *string, flags uint32) sim.HResult {
	k.begin(t, "NCryptIsAlgSupported")
	defer kernel.Unlock(k.m)
	call := func() string {
		return fmt.Sprintf("NCryptIsAlgSupported(%s, %s, %s)", hProvider, fmtStr(alg), fmtConst(win32.GroupNCryptFlags, flags))
	}
	if _, ok := k.providerArg(t, hProvider); !ok {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	if alg == nil {
		return k.ret(t, call, settingNullAlgCode.In(k.m.Profile()))
	}
	badFlags := flags&^isAlgFlags != 0
	badFlags = sim.FaultBroken("ksp.is-alg-supported", badFlags, false)
	if badFlags {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	if _, ok := knownAlgorithm(*alg); !ok && !k.symmetricSupported(*alg) {
		return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
	}
	return k.ret(t, call, 0)
}

// symmetricSupported: NCryptIsAlgSupported reports 3DES and AES supported
// from Windows 8 on (ncrypt.c:490, 494); Windows 7 did not.
func (k *KSP) symmetricSupported(alg string) bool {
	if !strings.EqualFold(alg, win32.BCRYPT_3DES_ALGORITHM) && !strings.EqualFold(alg, win32.BCRYPT_AES_ALGORITHM) {
		return false
	}
	supported := settingSymmetricSupported.In(k.m.Profile())
	supported = sim.FaultBroken("ksp.is-alg.symmetric", supported, false)
	supported = sim.FaultBroken("ksp.is-alg.symmetric-win7", supported, true)
	return supported
}

// providerArg resolves the provider handle of NCryptCreatePersistedKey and
// NCryptIsAlgSupported: a live provider handle or, where the profile does
// not check the handle's kind (ksp.handle.provider-kind-checked), a live key
// handle, which stands for its key's provider.
func (k *KSP) providerArg(t *sim.Thread, h sim.Handle) (*provider, bool) {
	if p, ok := k.lookupProv(t, h); ok {
		return p, true
	}
	kindChecked := settingProviderKindChecked.In(k.m.Profile())
	kindChecked = sim.FaultBroken("ksp.handle.provider-kind", kindChecked, false)
	kindChecked = sim.FaultBroken("ksp.handle.provider-kind-wine", kindChecked, true)
	if kindChecked {
		return nil, false
	}
	kh, ok := k.lookupKey(t, h)
	if !ok {
		return nil, false
	}
	return kh.prov, true
}

func (k *KSP) lookupKey(t *sim.Thread, h sim.Handle) (*keyHandle, bool) {
	kh, _, st := sim.Resolve[*keyHandle](kernel.Handles(t), h)
	return kh, st == sim.HandleValid
}

// NCryptCreatePersistedKey starts a new key of algorithm alg in the user
// store, or the machine store with NCRYPT_MACHINE_KEY_FLAG. A NULL keyName
// makes an ephemeral key. The key is not stored until NCryptFinalizeKey.
// legacyKeySpec (0, AT_KEYEXCHANGE or AT_SIGNATURE) is recorded, not checked.
func (k *KSP) NCryptCreatePersistedKey(t *sim.Thread, hProvider sim.Handle, phKey *sim.Handle, alg, keyName *string, legacyKeySpec, flags uint32) sim.HResult {
	k.begin(t, "NCryptCreatePersistedKey")
	defer kernel.Unlock(k.m)
	out := outArg(phKey)
	call := func() string {
		return fmt.Sprintf("NCryptCreatePersistedKey(%s, %s, %s, %s, %d, %s)", hProvider, out, fmtStr(alg), fmtStr(keyName), legacyKeySpec, fmtConst(win32.GroupNCryptFlags, flags))
	}
	p, ok := k.providerArg(t, hProvider)
	if !ok {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	if phKey == nil {
		return k.ret(t, call, sim.NTE_INVALID_PARAMETER)
	}
	if alg == nil {
		code := settingNullAlgCode.In(k.m.Profile())
		code = sim.FaultBroken("ksp.create.null-alg", code, sim.NTE_FAIL)
		code = sim.FaultBroken("ksp.create.null-alg-win7", code, sim.HRESULT_RPC_X_NULL_REF_POINTER)
		return k.ret(t, call, code)
	}
	if flags&^createKeyFlags != 0 && k.flagsChecked() {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	if c, ok := kernel.TakeFault(k.m, "NCryptCreatePersistedKey"); ok {
		return k.ret(t, call, hresultOf(c))
	}
	canon, ok := knownAlgorithm(*alg)
	if !ok && strings.EqualFold(*alg, win32.BCRYPT_AES_ALGORITHM) {
		aesKeys := settingCreateAES.In(k.m.Profile())
		aesKeys = sim.FaultBroken("ksp.create.aes", aesKeys, !aesKeys)
		if aesKeys {
			canon, ok = win32.BCRYPT_AES_ALGORITHM, true
		}
	}
	notRSA := canon != win32.BCRYPT_RSA_ALGORITHM && settingCreateRSAOnly.In(k.m.Profile())
	notRSA = sim.FaultBroken("ksp.create.rsa-only-wine", notRSA, false)
	if !ok || notRSA {
		return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
	}
	st := p.storeFor(flags)
	kh := &keyHandle{prov: p, store: st, alg: canon, overwrite: flags&win32.NCRYPT_OVERWRITE_KEY_FLAG != 0}
	if keyName != nil {
		kh.name, kh.named = *keyName, true
		// A stored key's name is taken, unless the new key overwrites it.
		overwrite := sim.FaultBroken("ksp.create.overwrite", kh.overwrite, false)
		taken := st.keys[fold(kh.name)] != nil && !overwrite
		taken = sim.FaultBroken("ksp.create.exists", taken, false)
		if taken {
			return k.ret(t, call, sim.NTE_EXISTS)
		}
		// The key is stored when it is finalized, not before.
		storedNow := sim.FaultBroken("ksp.create.not-persisted-until-finalized", false, true)
		if storedNow {
			st.keys[fold(kh.name)] = &storedKey{name: kh.name, alg: kh.alg}
		}
	}
	h := kernel.Handles(t).Insert(kh, 0)
	*phKey = h
	return k.retOut(t, call, "phKey", h)
}

// NCryptFinalizeKey completes a key. A named key is stored under its name,
// replacing a stored key of that name only when it was created with
// NCRYPT_OVERWRITE_KEY_FLAG; watchers of the store are signaled. Where the
// profile keeps no key store (ksp.store.kept false) nothing is stored and
// no name is ever taken.
func (k *KSP) NCryptFinalizeKey(t *sim.Thread, hKey sim.Handle, flags uint32) sim.HResult {
	k.begin(t, "NCryptFinalizeKey")
	defer kernel.Unlock(k.m)
	call := func() string {
		return fmt.Sprintf("NCryptFinalizeKey(%s, %s)", hKey, fmtConst(win32.GroupNCryptFlags, flags))
	}
	kh, ok := k.lookupKey(t, hKey)
	if !ok {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	twice := sim.FaultBroken("ksp.finalize.twice", kh.finalized, false)
	if twice {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	if flags&^finalizeKeyFlags != 0 && k.flagsChecked() {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	if !kh.named {
		kh.finalized = true
		return k.ret(t, call, sim.FaultBroken("ksp.create.ephemeral", sim.HResult(0), sim.NTE_BAD_KEYSET))
	}
	kept := settingKeyStoreKept.In(k.m.Profile())
	kept = sim.FaultBroken("ksp.create.no-collision-wine", kept, true)
	if !kept {
		// Nothing is stored, so no name is ever taken; the properties stay
		// with the handle.
		kh.finalized = true
		return k.ret(t, call, 0)
	}
	key := fold(kh.name)
	if kh.store.keys[key] != nil && !kh.overwrite {
		return k.ret(t, call, sim.NTE_EXISTS)
	}
	sk := &storedKey{name: kh.name, alg: kh.alg, props: kh.props}
	kh.props = nil
	kh.store.keys[key] = sk
	kh.stored, kh.finalized = sk, true
	k.ret(t, call, 0)
	k.storeChanged(t, kh.store, func() string { return fmt.Sprintf("key %q stored", kh.name) })
	return 0
}

// NCryptOpenKey opens a stored key by name, in the user store or, with
// NCRYPT_MACHINE_KEY_FLAG, the machine store. The handle is finalized.
// Where the profile keeps no key store (ksp.store.kept false) the call is a
// stub that answers NTE_NOT_SUPPORTED before looking at anything.
func (k *KSP) NCryptOpenKey(t *sim.Thread, hProvider sim.Handle, phKey *sim.Handle, keyName *string, legacyKeySpec, flags uint32) sim.HResult {
	k.begin(t, "NCryptOpenKey")
	defer kernel.Unlock(k.m)
	out := outArg(phKey)
	call := func() string {
		return fmt.Sprintf("NCryptOpenKey(%s, %s, %s, %d, %s)", hProvider, out, fmtStr(keyName), legacyKeySpec, fmtConst(win32.GroupNCryptFlags, flags))
	}
	kept := settingKeyStoreKept.In(k.m.Profile())
	kept = sim.FaultBroken("ksp.open-key.not-supported-wine", kept, true)
	if !kept {
		return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
	}
	p, ok := k.lookupProv(t, hProvider)
	if !ok {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	if phKey == nil || keyName == nil {
		return k.ret(t, call, sim.NTE_INVALID_PARAMETER)
	}
	if flags&^openKeyFlags != 0 {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	if c, ok := kernel.TakeFault(k.m, "NCryptOpenKey"); ok {
		return k.ret(t, call, hresultOf(c))
	}
	st := p.storeFor(flags)
	// The user and the machine store are separate.
	sk := sim.FaultBroken("ksp.store.user-machine", st, p.user).keys[fold(*keyName)]
	if sk == nil {
		return k.ret(t, call, sim.FaultBroken("ksp.open-key.absent", sim.NTE_BAD_KEYSET, sim.NTE_NOT_FOUND))
	}
	kh := &keyHandle{prov: p, store: st, name: sk.name, named: true, alg: sk.alg, finalized: true, stored: sk}
	h := kernel.Handles(t).Insert(kh, 0)
	*phKey = h
	return k.retOut(t, call, "phKey", h)
}

// NCryptDeleteKey deletes the stored key behind hKey and frees the handle:
// it must not be freed again. A key that was never stored (ephemeral or not
// finalized) has nothing to delete; its handle is freed. When the call fails
// the handle stays valid. Where the profile keeps no key store
// (ksp.store.kept false) the call is a stub that answers NTE_NOT_SUPPORTED
// before looking at anything, and the handle stays valid.
func (k *KSP) NCryptDeleteKey(t *sim.Thread, hKey sim.Handle, flags uint32) sim.HResult {
	k.begin(t, "NCryptDeleteKey")
	defer kernel.Unlock(k.m)
	call := func() string {
		return fmt.Sprintf("NCryptDeleteKey(%s, %s)", hKey, fmtConst(win32.GroupNCryptFlags, flags))
	}
	kept := settingKeyStoreKept.In(k.m.Profile())
	kept = sim.FaultBroken("ksp.delete.not-supported-wine", kept, true)
	if !kept {
		return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
	}
	kh, ok := k.lookupKey(t, hKey)
	if !ok {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	if flags&^deleteKeyFlags != 0 {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	stored := kh.named && kh.finalized
	if stored && !kh.current() {
		return k.ret(t, call, sim.NTE_BAD_KEYSET)
	}
	// The handle is freed with the key.
	frees := sim.FaultBroken("ksp.delete.frees-handle", true, false)
	if frees {
		kernel.Handles(t).Remove(hKey)
	}
	k.ret(t, call, 0)
	if stored {
		delete(kh.store.keys, fold(kh.name))
		k.storeChanged(t, kh.store, func() string { return fmt.Sprintf("key %q deleted", kh.name) })
	}
	return 0
}

// NCryptSetProperty sets a property of a provider or key handle. On a key,
// NCRYPT_PERSIST_FLAG (or NCRYPT_PERSIST_ONLY_FLAG) writes the property to
// the stored key, which signals the store's watchers; without it the
// property stays with the handle. Properties set before NCryptFinalizeKey
// are stored with the key.
func (k *KSP) NCryptSetProperty(t *sim.Thread, hObject sim.Handle, property *string, value []byte, flags uint32) sim.HResult {
	k.begin(t, "NCryptSetProperty")
	defer kernel.Unlock(k.m)
	call := func() string {
		return fmt.Sprintf("NCryptSetProperty(%s, %s, %d bytes, %s)", hObject, fmtStr(property), len(value), fmtConst(win32.GroupNCryptFlags, flags))
	}
	obj, _, st := kernel.Handles(t).Lookup(hObject)
	if st != sim.HandleValid {
		return k.ret(t, call, sim.NTE_INVALID_HANDLE)
	}
	switch o := obj.(type) {
	case *provHandle:
		if property == nil {
			return k.ret(t, call, sim.NTE_INVALID_PARAMETER)
		}
		if flags&^provPropertyFlags != 0 && k.flagsChecked() {
			return k.ret(t, call, sim.NTE_BAD_FLAGS)
		}
		if !isOneOf(*property, providerProperties) && k.propertyNamesChecked() {
			return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
		}
		return k.ret(t, call, 0)
	case *keyHandle:
		return k.setKeyProperty(t, call, o, property, value, flags)
	}
	return k.ret(t, call, sim.NTE_INVALID_HANDLE)
}

func (k *KSP) setKeyProperty(t *sim.Thread, call func() string, kh *keyHandle, property *string, value []byte, flags uint32) sim.HResult {
	if property == nil {
		return k.ret(t, call, sim.NTE_INVALID_PARAMETER)
	}
	if flags&^keyPropertyFlags != 0 && k.flagsChecked() {
		return k.ret(t, call, sim.NTE_BAD_FLAGS)
	}
	name := *property
	persist := flags&(win32.NCRYPT_PERSIST_FLAG|win32.NCRYPT_PERSIST_ONLY_FLAG) != 0
	readOnly := isOneOf(name, readOnlyProperties)
	readOnly = sim.FaultBroken("ksp.property.read-only-name", readOnly, false)
	unknown := !persist && !isOneOf(name, keyProperties)
	unknown = sim.FaultBroken("ksp.property.unknown", unknown, false)
	if (readOnly || unknown) && k.propertyNamesChecked() {
		return k.ret(t, call, sim.NTE_NOT_SUPPORTED)
	}
	v := append([]byte(nil), value...)
	if !persist || !kh.finalized || !kh.named || kh.stored == nil {
		// Kept with the handle; a key not finalized yet takes it to the
		// store, and where no store is kept (ksp.store.kept) it stays.
		if kh.props == nil {
			kh.props = map[string][]byte{}
		}
		kh.props[name] = v
		return k.ret(t, call, 0)
	}
	if !kh.current() {
		return k.ret(t, call, sim.NTE_BAD_KEYSET)
	}
	if kh.stored.props == nil {
		kh.stored.props = map[string][]byte{}
	}
	kh.stored.props[name] = v
	k.ret(t, call, 0)
	k.storeChanged(t, kh.store, func() string { return fmt.Sprintf("property %q of key %q stored", name, kh.name) })
	return 0
}

// flagsChecked reports whether the profile's key-storage calls refuse the
// flags they do not define (ksp.flags.checked).
func (k *KSP) flagsChecked() bool {
	return sim.FaultBroken("ksp.flags.ignored-wine", settingFlagsChecked.In(k.m.Profile()), true)
}

// propertyNamesChecked reports whether NCryptSetProperty refuses the names
// it cannot set (ksp.property.names-checked).
func (k *KSP) propertyNamesChecked() bool {
	return sim.FaultBroken("ksp.property.any-name-wine", settingPropertyNamesChecked.In(k.m.Profile()), true)
}
