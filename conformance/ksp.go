package conformance

import (
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
)

// The CNG key-storage part of the oracle: providers and persisted keys
// (open, create, finalize, open, delete, free). Change notifications are
// not part of it yet. The rules are the catalog's ksp.* statements (the
// NCrypt SDK pages and Wine's ncrypt tests); the profile's ksp.* settings
// decide the NULL-algorithm code and whether unknown provider names open.

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
	hNProv hkind = iota + 40
	hNKey
)

// kspSettings are the key storage's declared profile differences.
type kspSettings struct {
	nullAlg     sim.Code // NCryptCreatePersistedKey with a NULL algorithm
	anyName     bool     // any provider name opens
	notifyWorks bool     // NCryptNotifyChangeKey returns (the oracle generates no notification yet)
}

var knownKSPSettings = []string{"ksp.create.null-alg-code", "ksp.open.any-name-accepted", "ksp.notify.implemented"}

func readKSPSettings(profile string) (kspSettings, error) {
	r := readSettingValues(ksp.Settings(), "ksp.", profile, "sim/ksp", "conformance/ksp.go", knownKSPSettings)
	name, _, _ := strings.Cut(r.str("ksp.create.null-alg-code"), " ")
	code, err := sim.ParseCode(name)
	if err != nil {
		r.fail("setting ksp.create.null-alg-code: %v", err)
	}
	s := kspSettings{nullAlg: code, anyName: r.bool("ksp.open.any-name-accepted"), notifyWorks: r.bool("ksp.notify.implemented")}
	if err := r.err(); err != nil {
		return kspSettings{}, err
	}
	return s, nil
}

// kspState is the oracle's key storage: the persisted keys of the one
// software provider, by store and lower-case name, each an identity.
type kspState struct {
	set  kspSettings
	keys map[string]int
	seq  int
}

// oNKey is the oracle's record of a key handle.
type oNKey struct {
	store     string // "user" or "machine"
	name      string // lower-case; "" for an ephemeral key
	overwrite bool
	finalized bool
	stored    int // the persisted key it names, once finalized or opened
}

// The persisted algorithms (compared without case).
var kspAlgs = []string{"rsa", "dh", "dsa", "ecdh_p256", "ecdh_p384", "ecdh_p521", "ecdsa_p256", "ecdsa_p384", "ecdsa_p521"}

func knownKSPAlg(a string) bool {
	for _, x := range kspAlgs {
		if strings.EqualFold(x, a) {
			return true
		}
	}
	return false
}

func kspStore(flags uint32) string {
	if flags&ksp.NCRYPT_MACHINE_KEY_FLAG != 0 {
		return "machine"
	}
	return "user"
}

func (w *World) liveKind(ref string, k hkind) *oHandle {
	h := w.handle(ref)
	if h == nil || h.closed || h.kind != k {
		return nil
	}
	return h
}

// doKSP runs one key-storage action.
func (w *World) doKSP(a Action) {
	if w.ks == nil {
		w.fail(a, "the backend does not implement the key-storage family")
		return
	}
	th := a.thread()
	st := scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th)}
	var want, got sim.HResult
	var out *sim.Handle
	initial := sim.Handle(0)
	if !a.NullOut {
		initial = scenario.BOGUS
		out = &initial
	}
	var bind *oHandle
	s := w.ksp
	switch a.Op {
	case OpNOpenProv:
		switch {
		case a.NullOut:
			w.assert("ksp.param.null")
			want = sim.NTE_INVALID_PARAMETER
		case a.Flags != 0:
			w.assert("ksp.flags.bad")
			want = sim.NTE_BAD_FLAGS
		case a.Provider != nil && !strings.EqualFold(*a.Provider, ksp.MS_KEY_STORAGE_PROVIDER):
			if s.set.anyName {
				w.assert("ksp.open.unknown-name-wine")
				bind = &oHandle{kind: hNProv}
			} else {
				w.assert("ksp.open.unknown-name")
				want = sim.NTE_PROV_DLL_NOT_FOUND
			}
		default:
			if a.Provider == nil {
				w.assert("ksp.open.default")
			}
			bind = &oHandle{kind: hNProv}
		}
		got = w.ks.NCryptOpenStorageProvider(th, out, a.Provider, a.Flags)
		st.Args = []scenario.Arg{{Key: "provider", Value: strArg(a.Provider)}, {Key: "flags", Value: a.Flags},
			{Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	case OpNFree:
		h := w.handle(a.H)
		if h == nil || h.closed || (h.kind != hNProv && h.kind != hNKey) {
			w.assert("ksp.handle.invalid")
			want = sim.NTE_INVALID_HANDLE
		} else {
			w.assert("ksp.free.provider-and-key")
			h.closed = true
		}
		got = w.ks.NCryptFreeObject(th, w.value(a.H))
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	case OpNCreate:
		k := &oNKey{store: kspStore(a.Flags), overwrite: a.Flags&ksp.NCRYPT_OVERWRITE_KEY_FLAG != 0}
		if a.Container != nil {
			k.name = strings.ToLower(*a.Container)
		}
		switch {
		case w.liveKind(a.H, hNProv) == nil:
			w.assert("ksp.handle.invalid")
			want = sim.NTE_INVALID_HANDLE
		case a.NullOut:
			w.assert("ksp.param.null")
			want = sim.NTE_INVALID_PARAMETER
		case a.Provider == nil:
			w.assert(map[bool]string{true: "ksp.create.null-alg-win7", false: "ksp.create.null-alg"}[s.set.nullAlg == sim.NTE_FAIL.Code()])
			want = sim.HResult(s.set.nullAlg.Value)
		case a.Flags&^(ksp.NCRYPT_MACHINE_KEY_FLAG|ksp.NCRYPT_SILENT_FLAG|ksp.NCRYPT_OVERWRITE_KEY_FLAG) != 0:
			w.assert("ksp.flags.bad")
			want = sim.NTE_BAD_FLAGS
		case !knownKSPAlg(*a.Provider):
			want = sim.NTE_NOT_SUPPORTED
		case k.name != "" && s.keys[k.store+`\`+k.name] != 0 && !k.overwrite:
			w.assert("ksp.create.exists")
			want = sim.NTE_EXISTS
		default:
			if k.name == "" {
				w.assert("ksp.create.ephemeral")
			} else if s.keys[k.store+`\`+k.name] != 0 {
				w.assert("ksp.create.overwrite")
			}
			bind = &oHandle{kind: hNKey, nkey: k}
		}
		got = w.ks.NCryptCreatePersistedKey(th, w.value(a.H), out, a.Provider, a.Container, 0, a.Flags)
		st.Args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "alg", Value: strArg(a.Provider)}, {Key: "name", Value: strArg(a.Container)},
			{Key: "flags", Value: a.Flags}, {Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	case OpNFinalize:
		h := w.liveKind(a.H, hNKey)
		switch {
		case h == nil || h.nkey.finalized:
			if h != nil {
				w.assert("ksp.finalize.twice")
			}
			w.assert("ksp.handle.invalid")
			want = sim.NTE_INVALID_HANDLE
		case a.Flags&^(ksp.NCRYPT_NO_KEY_VALIDATION|ksp.NCRYPT_SILENT_FLAG|ksp.NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG) != 0:
			w.assert("ksp.flags.bad")
			want = sim.NTE_BAD_FLAGS
		case h.nkey.name == "":
			h.nkey.finalized = true
		case s.keys[h.nkey.store+`\`+h.nkey.name] != 0 && !h.nkey.overwrite:
			want = sim.NTE_EXISTS
		default:
			w.assert("ksp.create.not-persisted-until-finalized")
			s.seq++
			s.keys[h.nkey.store+`\`+h.nkey.name] = s.seq
			h.nkey.finalized, h.nkey.stored = true, s.seq
		}
		got = w.ks.NCryptFinalizeKey(th, w.value(a.H), a.Flags)
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "flags", Value: a.Flags}}
	case OpNOpenKey:
		store := kspStore(a.Flags)
		switch {
		case w.liveKind(a.H, hNProv) == nil:
			w.assert("ksp.handle.invalid")
			want = sim.NTE_INVALID_HANDLE
		case a.NullOut || a.Container == nil:
			w.assert("ksp.param.null")
			want = sim.NTE_INVALID_PARAMETER
		case a.Flags&^(ksp.NCRYPT_MACHINE_KEY_FLAG|ksp.NCRYPT_SILENT_FLAG) != 0:
			w.assert("ksp.flags.bad")
			want = sim.NTE_BAD_FLAGS
		case s.keys[store+`\`+strings.ToLower(*a.Container)] == 0:
			w.assert("ksp.open-key.absent")
			if s.keys[kspStore(a.Flags^ksp.NCRYPT_MACHINE_KEY_FLAG)+`\`+strings.ToLower(*a.Container)] != 0 {
				w.assert("ksp.store.user-machine")
			}
			want = sim.NTE_BAD_KEYSET
		default:
			name := strings.ToLower(*a.Container)
			bind = &oHandle{kind: hNKey, nkey: &oNKey{store: store, name: name, finalized: true, stored: s.keys[store+`\`+name]}}
		}
		got = w.ks.NCryptOpenKey(th, w.value(a.H), out, a.Container, 0, a.Flags)
		st.Args = []scenario.Arg{{Key: "provider", Value: scenario.Raw(a.H)}, {Key: "name", Value: strArg(a.Container)}, {Key: "flags", Value: a.Flags},
			{Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	case OpNDelete:
		h := w.liveKind(a.H, hNKey)
		switch {
		case h == nil:
			w.assert("ksp.handle.invalid")
			want = sim.NTE_INVALID_HANDLE
		case a.Flags&^ksp.NCRYPT_SILENT_FLAG != 0:
			w.assert("ksp.flags.bad")
			want = sim.NTE_BAD_FLAGS
		case h.nkey.name != "" && h.nkey.finalized && s.keys[h.nkey.store+`\`+h.nkey.name] != h.nkey.stored:
			want = sim.NTE_BAD_KEYSET
		default:
			w.assert("ksp.delete.frees-handle")
			if h.nkey.name != "" && h.nkey.finalized {
				delete(s.keys, h.nkey.store+`\`+h.nkey.name)
			}
			h.closed = true
		}
		got = w.ks.NCryptDeleteKey(th, w.value(a.H), a.Flags)
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "flags", Value: a.Flags}}
	}
	if want != 0 {
		bind = nil
		st.Want = wantSimCode(want.Code())
	}
	if bind != nil {
		st.As = a.As
		st.Expect = []scenario.Arg{{Key: "out", Value: scenario.Raw("new")}}
	}
	w.log(st)
	if got != want {
		w.fail(a, "got %s, want %s", got.Code(), want.Code())
		return
	}
	if bind != nil {
		if initial == 0 || initial == scenario.BOGUS {
			w.fail(a, "succeeded, but wrote %s as the handle", initial)
			return
		}
		w.bind(a.As, initial, bind)
	}
}
