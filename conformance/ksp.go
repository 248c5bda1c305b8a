package conformance

import (
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The CNG key-storage part of the oracle: providers and persisted keys
// (open, create, finalize, open, delete, free), NCryptIsAlgSupported,
// NCryptSetProperty, and key change notifications (ksp_notify.go). The
// rules are the catalog's ksp.* statements (the NCrypt SDK pages and Wine's
// ncrypt tests); the oracle's ksp.* statements decide the NULL-algorithm
// code, whether unknown provider names open, whether NCryptNotifyChangeKey
// returns at all, whether a key store is kept (where not, NCryptOpenKey and
// NCryptDeleteKey are stubs and names never collide), whether creation
// makes RSA keys only, and whether flags and property names are checked.

// The key-storage actions.
const (
	OpNOpenProv Op = "NCryptOpenStorageProvider"
	OpNFree     Op = "NCryptFreeObject"
	OpNCreate   Op = "NCryptCreatePersistedKey"
	OpNFinalize Op = "NCryptFinalizeKey"
	OpNOpenKey  Op = "NCryptOpenKey"
	OpNDelete   Op = "NCryptDeleteKey"
)

// The key-storage handle kinds.
const (
	hNProv   hkind = "NCRYPT_PROV_HANDLE"
	hNKey    hkind = "NCRYPT_KEY_HANDLE"
	hNChange hkind = "change handle" // from NCryptNotifyChangeKey (a kernel handle)
)

// kspArgs are the arguments of the key-storage actions (Action.Args).
type kspArgs struct {
	// provider is the provider's name: NCryptOpenStorageProvider's and
	// register_ksp's.
	provider *string
	// alg is the algorithm of NCryptCreatePersistedKey and
	// NCryptIsAlgSupported; name the key's name.
	alg, name *string
	// property and value are NCryptSetProperty's.
	property *string
	value    string
	flags    uint32
	// nullOut passes NULL for the output handle (phProvider, phKey,
	// phEvent).
	nullOut bool
	// event is the handle *phEvent holds before NCryptNotifyChangeKey
	// ("" for NULL).
	event string
	// noNotify makes register_ksp's provider one that answers
	// NCryptNotifyChangeKey with NTE_NOT_SUPPORTED.
	noNotify bool
	// starting makes caller_context's thread a ServiceMain that has not
	// reported SERVICE_RUNNING yet (false: an ordinary thread again).
	starting bool
}

// kspArgsOf returns an action's key-storage arguments.
func kspArgsOf(a Action) kspArgs { return argsOf[kspArgs](a) }

// kspSettings are the key storage's declared profile differences.
type kspSettings struct {
	nullAlg     sim.Code // NCryptCreatePersistedKey with a NULL algorithm
	anyName     bool     // any provider name opens
	notifyWorks bool     // NCryptNotifyChangeKey returns; where not, the backend refuses the call
	storeKept   bool     // keys are stored; where not, NCryptOpenKey and NCryptDeleteKey are stubs
	rsaOnly     bool     // NCryptCreatePersistedKey makes RSA keys only
	flagsOK     bool     // undefined flags are refused (NCryptIsAlgSupported always refuses them)
	propNames   bool     // NCryptSetProperty refuses read-only and unknown names
	provKind    bool     // a key handle given as the provider is refused
	aes         bool     // NCryptCreatePersistedKey makes AES keys
	symmetric   bool     // NCryptIsAlgSupported reports 3DES and AES supported
}

var knownKSPSettings = []string{"ksp.create.null-alg-code", "ksp.open.any-name-accepted", "ksp.notify.implemented",
	"ksp.store.kept", "ksp.create.rsa-only", "ksp.flags.checked", "ksp.property.names-checked", "ksp.handle.provider-kind-checked",
	"ksp.create.aes-keys", "ksp.is-alg.symmetric-supported"}

func readKSPSettings(profile string) (kspSettings, error) {
	r := readStatements("ksp.", profile, "conformance/ksp.go", knownKSPSettings)
	name, _, _ := strings.Cut(r.str("ksp.create.null-alg-code"), " ")
	code, err := sim.ParseCode(name)
	if err != nil {
		r.fail("setting ksp.create.null-alg-code: %v", err)
	}
	s := kspSettings{nullAlg: code, anyName: r.bool("ksp.open.any-name-accepted"), notifyWorks: r.bool("ksp.notify.implemented"),
		storeKept: r.bool("ksp.store.kept"), rsaOnly: r.bool("ksp.create.rsa-only"), flagsOK: r.bool("ksp.flags.checked"),
		propNames: r.bool("ksp.property.names-checked"), provKind: r.bool("ksp.handle.provider-kind-checked"),
		aes: r.bool("ksp.create.aes-keys"), symmetric: r.bool("ksp.is-alg.symmetric-supported")}
	if err := r.err(); err != nil {
		return kspSettings{}, err
	}
	return s, nil
}

// kspState is the oracle's key storage, a value the step never changes
// (kspEdit copies what it writes): the registered providers, the persisted
// keys of each by provider, store and lower-case name (each an identity),
// the names finalized where no store is kept, the handles the calls handed
// out (providers, keys and change handles, named by their variables), and
// the threads that are a starting ServiceMain.
type kspState struct {
	set   kspSettings
	keys  map[string]int
	named map[string]bool // slots finalized where no store is kept (ksp.store.kept false)
	seq   int
	provs map[string]oNProv // by lower-case name
	// hs are the handles, in issue order (a variable bound twice has
	// two); vars the latest handle of each variable.
	hs       []kspHandle
	vars     map[string]int
	starting map[string]bool
}

func newKSPState(set kspSettings) kspState {
	def := oNProv{name: strings.ToLower(win32.MS_KEY_STORAGE_PROVIDER)}
	return kspState{set: set, keys: map[string]int{}, named: map[string]bool{}, provs: map[string]oNProv{def.name: def},
		vars: map[string]int{}, starting: map[string]bool{}}
}

// oNProv is a key storage provider: its lower-case name, and whether it
// lacks change notification.
type oNProv struct {
	name     string
	noNotify bool
}

// kspHandle is a handle the oracle expects a call to have handed out: a
// provider's, a key's or a change handle. prov is the provider's
// lower-case name (of the provider handle, the key, the registration), and
// store is "user" or "machine" (a key's store, the store a registration
// watches).
type kspHandle struct {
	name   string
	kind   hkind
	closed bool
	prov   string
	store  string
	// A key: its lower-case name ("" for an ephemeral key), whether it was
	// created to overwrite, whether it is finalized, and the persisted key
	// it names once finalized or opened.
	keyName   string
	overwrite bool
	finalized bool
	stored    int
	// A change handle: its event state (manual-reset), whether changes
	// were recorded while it was signaled, and whether
	// NCryptNotifyChangeKey removed it (rather than a close of its
	// handle).
	signaled, recorded, unregistered bool
}

// slot names a stored key: provider, store and lower-case name.
func slot(prov, store, name string) string { return prov + "|" + store + `\` + name }

// slot is the stored key a key handle's name designates.
func (h kspHandle) slot() string { return slot(h.prov, h.store, h.keyName) }

// The persisted algorithms (compared without case).
var kspAlgs = []string{"rsa", "dh", "dsa", "ecdh_p256", "ecdh_p384", "ecdh_p521", "ecdsa_p256", "ecdsa_p384", "ecdsa_p521"}

// symmetricAlg: the symmetric ciphers NCryptIsAlgSupported reports from
// Windows 8 on (ncrypt.c:490, 494).
func symmetricAlg(a string) bool { return strings.EqualFold(a, "3des") || strings.EqualFold(a, "aes") }

func knownKSPAlg(a string) bool {
	for _, x := range kspAlgs {
		if strings.EqualFold(x, a) {
			return true
		}
	}
	return false
}

func kspStore(flags uint32) string {
	if flags&win32.NCRYPT_MACHINE_KEY_FLAG != 0 {
		return "machine"
	}
	return "user"
}

// handle returns the latest handle of a variable; false for NULL,
// INVALID_HANDLE_VALUE, BOGUS and a variable no call bound.
func (s kspState) handle(ref string) (int, bool) {
	i, ok := s.vars[ref]
	return i, ok
}

// live returns the open handle of kind k a reference names.
func (s kspState) live(ref string, k hkind) (int, bool) {
	i, ok := s.vars[ref]
	if !ok || s.hs[i].closed || s.hs[i].kind != k {
		return 0, false
	}
	return i, true
}

// provArg returns the provider a handle reference stands for in
// NCryptCreatePersistedKey and NCryptIsAlgSupported: a live provider
// handle's, or, where the profile does not check the handle's kind
// (ksp.handle.provider-kind-checked), a live key handle's key's provider.
func (e *kspEdit) provArg(ref string) (string, bool) {
	if i, ok := e.live(ref, hNProv); ok {
		return e.hs[i].prov, true
	}
	if i, ok := e.live(ref, hNKey); ok && !e.set.provKind {
		e.assert("ksp.handle.provider-kind-wine")
		return e.hs[i].prov, true
	}
	return "", false
}

// The documented key properties a caller may set, the ones it never may
// (NCryptSetProperty), and the provider properties.
var (
	kspKeyProps      = []string{win32.NCRYPT_EXPORT_POLICY_PROPERTY, win32.NCRYPT_LENGTH_PROPERTY, win32.NCRYPT_KEY_USAGE_PROPERTY, win32.NCRYPT_SECURITY_DESCR_PROPERTY, win32.NCRYPT_UI_POLICY_PROPERTY, win32.NCRYPT_USE_CONTEXT_PROPERTY, win32.NCRYPT_WINDOW_HANDLE_PROPERTY}
	kspReadOnlyProps = []string{win32.NCRYPT_NAME_PROPERTY, win32.NCRYPT_UNIQUE_NAME_PROPERTY, win32.NCRYPT_ALGORITHM_PROPERTY, win32.NCRYPT_ALGORITHM_GROUP_PROPERTY}
	kspProvProps     = []string{win32.NCRYPT_USE_CONTEXT_PROPERTY, win32.NCRYPT_WINDOW_HANDLE_PROPERTY}
)

// ncryptOp reports whether op is an NCrypt key-storage function: the calls a
// starting ServiceMain must not make.
func ncryptOp(op Op) bool {
	switch op {
	case OpNOpenProv, OpNFree, OpNCreate, OpNFinalize, OpNOpenKey, OpNDelete, OpNIsAlg, OpNSetProp, OpNNotify:
		return true
	}
	return false
}

// provider resolves a provider name as NCryptOpenStorageProvider does: NULL
// is the default provider; a registered name is that provider; any other
// name is none (false), or the default provider where the profile opens
// any name.
func (s kspState) provider(name *string) (oNProv, bool) {
	def := s.provs[strings.ToLower(win32.MS_KEY_STORAGE_PROVIDER)]
	if name == nil {
		return def, true
	}
	if p, ok := s.provs[strings.ToLower(*name)]; ok {
		return p, true
	}
	return def, s.set.anyName
}
