package conformance

import (
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/win32"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
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

// kspState is the oracle's key storage: the registered providers, the
// persisted keys of each by provider, store and lower-case name (each an
// identity), the names finalized where no store is kept, the change
// registrations, and the threads that are a starting ServiceMain.
type kspState struct {
	api      backend.KSP
	set      kspSettings
	keys     map[string]int
	named    map[string]bool // slots finalized where no store is kept (ksp.store.kept false)
	seq      int
	provs    map[string]*oNProv   // by lower-case name
	provOf   map[*oHandle]*oNProv // the provider of each provider handle
	regs     map[*oHandle]*oNReg  // the registration of each change handle
	starting map[string]bool
}

func newKSPState(set kspSettings) *kspState {
	def := &oNProv{name: strings.ToLower(win32.MS_KEY_STORAGE_PROVIDER)}
	return &kspState{set: set, keys: map[string]int{}, named: map[string]bool{}, provs: map[string]*oNProv{def.name: def},
		provOf: map[*oHandle]*oNProv{}, regs: map[*oHandle]*oNReg{}, starting: map[string]bool{}}
}

// oNProv is a key storage provider: its lower-case name, and whether it
// lacks change notification.
type oNProv struct {
	name     string
	noNotify bool
}

// oNKey is the oracle's record of a key handle.
type oNKey struct {
	prov      *oNProv
	store     string // "user" or "machine"
	name      string // lower-case; "" for an ephemeral key
	overwrite bool
	finalized bool
	stored    int // the persisted key it names, once finalized or opened
}

// slot names a stored key: provider, store and lower-case name.
func slot(p *oNProv, store, name string) string { return p.name + "|" + store + `\` + name }

// slot is the stored key the handle's name designates.
func (k *oNKey) slot() string { return slot(k.prov, k.store, k.name) }

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

// provArg returns the provider a handle reference stands for in
// NCryptCreatePersistedKey and NCryptIsAlgSupported: a live provider
// handle's, or, where the profile does not check the handle's kind
// (ksp.handle.provider-kind-checked), a live key handle's key's provider.
func (w *World) provArg(ref string) (*oNProv, bool) {
	if ph := w.liveKind(ref, hNProv); ph != nil {
		return w.ksp().provOf[ph], true
	}
	if kh := w.liveKind(ref, hNKey); kh != nil && !w.ksp().set.provKind {
		w.assert("ksp.handle.provider-kind-wine")
		return kh.nkey.prov, true
	}
	return nil, false
}

// provArgOK reports whether provArg accepts the reference.
func (w *World) provArgOK(ref string) bool {
	_, ok := w.provArg(ref)
	return ok
}

func (w *World) liveKind(ref string, k hkind) *oHandle {
	h := w.handle(ref)
	if h == nil || h.closed || h.kind != k {
		return nil
	}
	return h
}

// The documented key properties a caller may set, the ones it never may
// (NCryptSetProperty), and the provider properties.
var (
	kspKeyProps      = []string{win32.NCRYPT_EXPORT_POLICY_PROPERTY, win32.NCRYPT_LENGTH_PROPERTY, win32.NCRYPT_KEY_USAGE_PROPERTY, win32.NCRYPT_SECURITY_DESCR_PROPERTY, win32.NCRYPT_UI_POLICY_PROPERTY, win32.NCRYPT_USE_CONTEXT_PROPERTY, win32.NCRYPT_WINDOW_HANDLE_PROPERTY}
	kspReadOnlyProps = []string{win32.NCRYPT_NAME_PROPERTY, win32.NCRYPT_UNIQUE_NAME_PROPERTY, win32.NCRYPT_ALGORITHM_PROPERTY, win32.NCRYPT_ALGORITHM_GROUP_PROPERTY}
	kspProvProps     = []string{win32.NCRYPT_USE_CONTEXT_PROPERTY, win32.NCRYPT_WINDOW_HANDLE_PROPERTY}
)

// kspCall reports whether op is an NCrypt key-storage function: the calls a
// starting ServiceMain must not make.
func kspCall(op Op) bool {
	switch op {
	case OpNOpenProv, OpNFree, OpNCreate, OpNFinalize, OpNOpenKey, OpNDelete, OpNIsAlg, OpNSetProp, OpNNotify:
		return true
	}
	return false
}

// provider resolves a provider name as NCryptOpenStorageProvider does: NULL
// is the default provider; a registered name is that provider; any other
// name is nil, or the default provider where the profile opens any name.
func (s *kspState) provider(name *string) *oNProv {
	def := s.provs[strings.ToLower(win32.MS_KEY_STORAGE_PROVIDER)]
	if name == nil {
		return def
	}
	if p := s.provs[strings.ToLower(*name)]; p != nil {
		return p
	}
	if s.set.anyName {
		return def
	}
	return nil
}

// doKSP runs one key-storage action and returns the contract violations
// the oracle expects of it: a starting ServiceMain's NCrypt call is one.
func (w *World) doKSP(a Action) []string {
	if w.ks() == nil {
		w.fail(a, "the backend does not implement the key-storage family")
		return nil
	}
	var viol []string
	if kspCall(a.Op) && w.ksp().starting[a.thread()] {
		w.assert(ruleServiceStart)
		viol = []string{ruleServiceStart}
	}
	switch a.Op {
	case OpNNotify:
		w.doNCryptNotify(a)
		return viol
	case OpFindNext, OpFindClose:
		return w.doChangeHandle(a)
	case OpNRegisterProv:
		w.doRegisterProv(a)
		return nil
	case OpCallerContext:
		w.doCallerContext(a)
		return nil
	}
	th := a.thread()
	st := scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th)}
	var out *sim.Handle
	initial := sim.Handle(0)
	if !a.NullOut {
		initial = scenario.BOGUS
		out = &initial
	}
	var p kspPrediction
	switch a.Op {
	case OpNOpenProv:
		p = w.predictNOpenProv(a)
	case OpNFree:
		p = w.predictNFree(a)
	case OpNCreate:
		p = w.predictNCreate(a)
	case OpNFinalize:
		p = w.predictNFinalize(a)
	case OpNOpenKey:
		p = w.predictNOpenKey(a)
	case OpNDelete:
		p = w.predictNDelete(a)
	case OpNIsAlg:
		p = w.predictNIsAlg(a)
	case OpNSetProp:
		p.want, p.changed = w.predictSetProperty(a)
	}
	want, bind, changed := p.want, p.bind, p.changed
	var got sim.HResult
	got, st.Args = w.callNCrypt(a, th, out)
	if want != 0 {
		bind = nil
		changed = nil
		st.Want = wantSimCode(want.Code())
	} else if p.undefinedFlags {
		w.assert("ksp.flags.ignored-wine")
	}
	if changed != nil {
		w.storeChanged(changed.prov, changed.store)
	}
	if bind != nil {
		st.As = a.As
		st.Expect = []scenario.Arg{{Key: "out", Value: scenario.Raw("new")}}
	}
	w.log(st)
	if got != want {
		w.fail(a, "got %s, want %s", got.Code(), want.Code())
		return viol
	}
	if bind != nil {
		if initial == 0 || initial == scenario.BOGUS {
			w.fail(a, "succeeded, but wrote %s as the handle", initial)
			return viol
		}
		w.bind(a.As, initial, bind)
	}
	return viol
}

// callNCrypt makes a key-storage call on the backend: its code, and the
// arguments the scenario step records.
func (w *World) callNCrypt(a Action, th string, out *sim.Handle) (got sim.HResult, args []scenario.Arg) {
	switch a.Op {
	case OpNOpenProv:
		got = w.ks().NCryptOpenStorageProvider(th, out, a.Provider, a.Flags)
		args = []scenario.Arg{{Key: "provider", Value: strArg(a.Provider)}, {Key: "flags", Value: a.Flags},
			{Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	case OpNFree:
		got = w.ks().NCryptFreeObject(th, w.value(a.H))
		args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	case OpNCreate:
		got = w.ks().NCryptCreatePersistedKey(th, w.value(a.H), out, a.Provider, a.Container, 0, a.Flags)
		args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "alg", Value: strArg(a.Provider)}, {Key: "name", Value: strArg(a.Container)},
			{Key: "flags", Value: a.Flags}, {Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	case OpNFinalize:
		got = w.ks().NCryptFinalizeKey(th, w.value(a.H), a.Flags)
		args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "flags", Value: a.Flags}}
	case OpNOpenKey:
		got = w.ks().NCryptOpenKey(th, w.value(a.H), out, a.Container, 0, a.Flags)
		args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Container)}, {Key: "flags", Value: a.Flags},
			{Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	case OpNDelete:
		got = w.ks().NCryptDeleteKey(th, w.value(a.H), a.Flags)
		args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "flags", Value: a.Flags}}
	case OpNIsAlg:
		got = w.ks().NCryptIsAlgSupported(th, w.value(a.H), a.Provider, a.Flags)
		args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "alg", Value: strArg(a.Provider)}, {Key: "flags", Value: a.Flags}}
	case OpNSetProp:
		got = w.ks().NCryptSetProperty(th, w.value(a.H), a.Name, []byte(a.Data), a.Flags)
		args = []scenario.Arg{{Key: "object", Value: scenario.Raw(a.H)}, {Key: "property", Value: strArg(a.Name)}, {Key: "value", Value: a.Data}, {Key: "flags", Value: a.Flags}}
	}
	return got, args
}
