package conformance

import (
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/win32"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// The CryptoAPI part of the oracle: contexts, keys and hashes of the legacy
// CSP interface. The rules are stated from the behavior catalog's section on
// CryptAcquireContext (the error order of Wine's test_acquire_context, the
// flag dispatch of rsaenh's CPAcquireContext), the SDK pages of
// CryptAcquireContext, CryptContextAddRef and CryptReleaseContext, and
// Wine's test_incorrect_api_usage; where Windows and Wine differ, the
// oracle's own statement of the profiles (statement.go) decides.

// The CryptoAPI actions.
const (
	OpAcquire     Op = "CryptAcquireContext"
	OpAddRef      Op = "CryptContextAddRef"
	OpRelease     Op = "CryptReleaseContext"
	OpGenKey      Op = "CryptGenKey"
	OpGetUserKey  Op = "CryptGetUserKey"
	OpDestroyKey  Op = "CryptDestroyKey"
	OpCreateHash  Op = "CryptCreateHash"
	OpHashData    Op = "CryptHashData"
	OpDestroyHash Op = "CryptDestroyHash"
)

// cspSettings are the CryptoAPI's declared profile differences.
type cspSettings struct {
	releaseFlagsFail bool // nonzero release flags fail while other references remain
	addRefChecked    bool // CryptContextAddRef rejects pdwReserved and dwFlags
	copyPerContext   bool // each context has its own copy of its container's key pairs
	hashClass        bool // CryptCreateHash refuses an algorithm that is not a hash
	hashFlagsFirst   bool // CryptCreateHash checks the flags before the algorithm
}

// knownCSPSettings are the csp.* statements the oracle has rules for; any
// other csp.* statement in statement.go makes every World fail.
var knownCSPSettings = []string{"csp.release.bad-flags-fail-while-referenced", "csp.addref.reserved-checked", "csp.container.copy-per-context",
	"csp.hash.class-checked", "csp.hash.flags-first"}

func readCSPSettings(profile string) (cspSettings, error) {
	r := readStatements("csp.", profile, "conformance/csp.go", knownCSPSettings)
	s := cspSettings{
		releaseFlagsFail: r.bool("csp.release.bad-flags-fail-while-referenced"),
		addRefChecked:    r.bool("csp.addref.reserved-checked"),
		copyPerContext:   r.bool("csp.container.copy-per-context"),
		hashClass:        r.bool("csp.hash.class-checked"),
		hashFlagsFirst:   r.bool("csp.hash.flags-first"),
	}
	if err := r.err(); err != nil {
		return cspSettings{}, err
	}
	return s, nil
}

// The oracle's providers: the Microsoft RSA providers, which share one
// container store (csp.acquire.shared-store), and their algorithms: the Base
// provider lacks 3DES, only the AES provider has AES and SHA-2
// (csp.alg.unsupported); every one has the keyed hashes (csp.hash.keyed).
type algClass uint8

const (
	algAbsent algClass = iota
	algIsHash
	algIsKeyed // a keyed hash: CALG_MAC, CALG_HMAC
	algIsSession
	algIsPair
)

var (
	oBaseAlgs = map[uint32]algClass{
		win32.CALG_MD2: algIsHash, win32.CALG_MD4: algIsHash, win32.CALG_MD5: algIsHash, win32.CALG_SHA1: algIsHash, win32.CALG_SSL3_SHAMD5: algIsHash,
		win32.CALG_MAC: algIsKeyed, win32.CALG_HMAC: algIsKeyed,
		win32.CALG_RC2: algIsSession, win32.CALG_RC4: algIsSession, win32.CALG_DES: algIsSession,
		win32.AT_KEYEXCHANGE: algIsPair, win32.AT_SIGNATURE: algIsPair, win32.CALG_RSA_KEYX: algIsPair, win32.CALG_RSA_SIGN: algIsPair,
	}
	oStrongAlgs = plusAlgs(oBaseAlgs, algIsSession, win32.CALG_3DES_112, win32.CALG_3DES)
	oAESAlgs    = plusAlgs(plusAlgs(oStrongAlgs, algIsSession, win32.CALG_AES_128, win32.CALG_AES_192, win32.CALG_AES_256),
		algIsHash, win32.CALG_SHA_256, win32.CALG_SHA_384, win32.CALG_SHA_512)
	oProviders = map[string]oProv{
		strings.ToLower(win32.MS_DEF_PROV):         {win32.MS_DEF_PROV, win32.PROV_RSA_FULL, oBaseAlgs},
		strings.ToLower(win32.MS_STRONG_PROV):      {win32.MS_STRONG_PROV, win32.PROV_RSA_FULL, oStrongAlgs},
		strings.ToLower(win32.MS_ENHANCED_PROV):    {win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, oStrongAlgs},
		strings.ToLower(win32.MS_ENH_RSA_AES_PROV): {win32.MS_ENH_RSA_AES_PROV, win32.PROV_RSA_AES, oAESAlgs},
	}
	// The default provider of each type with one.
	oDefaults = map[uint32]string{win32.PROV_RSA_FULL: win32.MS_STRONG_PROV, win32.PROV_RSA_AES: win32.MS_ENH_RSA_AES_PROV}
)

type oProv struct {
	name string
	typ  uint32
	algs map[uint32]algClass
}

// oKeyLength says whether CryptGenKey refuses the key length in the upper
// 16 bits of flags for one of the algorithms the generator asks for, and
// with what (csp.key.length): RC2 and RC4 keys are 40 to 56 bits long on
// the Base provider and 40 to 128 on the others, in whole bytes; 3DES keys
// 168 bits, or 192 counted with parity, else NTE_BAD_FLAGS; AES-128 keys
// 128 bits; key pairs 384 to 16384 bits, key-exchange pairs at most 1024
// on the Base provider. 0 asks for the default length. base says the
// length is refused only by the Base provider's smaller limits
// (csp.key.length-base).
func oKeyLength(p oProv, alg, flags uint32) (code sim.Code, bad, base bool) {
	bits := flags >> 16
	badData := sim.NTE_BAD_DATA.Code()
	onBase := p.name == win32.MS_DEF_PROV
	switch {
	case bits == 0:
		return cOK, false, false
	case alg == win32.CALG_RC2 || alg == win32.CALG_RC4:
		bad = bits%8 != 0 || bits < 40 || bits > 128
		return badData, bad || (onBase && bits > 56), !bad && onBase && bits > 56
	case alg == win32.CALG_3DES:
		return sim.NTE_BAD_FLAGS.Code(), bits != 168 && bits != 192, false
	case alg == win32.CALG_AES_128:
		return badData, bits != 128, false
	case p.algs[alg] == algIsPair:
		bad = bits%8 != 0 || bits < 384 || bits > 16384
		exchange := alg == win32.AT_KEYEXCHANGE || alg == win32.CALG_RSA_KEYX
		baseOnly := !bad && onBase && exchange && bits > 1024
		return badData, bad || baseOnly, baseOnly
	}
	return cOK, false, false
}

// oBlockCipher reports whether a key of algorithm alg is a block cipher's,
// which CALG_MAC needs (csp.hash.mac-block-cipher).
func oBlockCipher(alg uint32) bool {
	switch alg {
	case win32.CALG_RC2, win32.CALG_DES, win32.CALG_3DES_112, win32.CALG_3DES, win32.CALG_AES_128, win32.CALG_AES_192, win32.CALG_AES_256:
		return true
	}
	return false
}

func plusAlgs(base map[uint32]algClass, c algClass, ids ...uint32) map[uint32]algClass {
	out := map[uint32]algClass{}
	for k, v := range base {
		out[k] = v
	}
	for _, id := range ids {
		out[id] = c
	}
	return out
}

// cspState is the oracle's CryptoAPI world: the containers of the shared
// store, by store and lower-case name.
type cspState struct {
	api        backend.CSP
	set        cspSettings
	containers map[string]*oCont
	// gone are the containers deleted while a context on them was open,
	// whose final release left them deleted.
	gone map[string]bool
}

// oCont is a key container.
type oCont struct {
	creator string // the provider it was made through
	pairs   map[uint32]bool
	open    int    // live contexts on it
	freed   bool   // a context on it was freed
	key     string // its place in the store; "" for a CRYPT_VERIFYCONTEXT one
	deleted bool   // CRYPT_DELETEKEYSET removed it from the store
}

// oCtx is a context, with the keys and hashes made from it.
type oCtx struct {
	prov     oProv
	cont     *oCont
	refs     int
	released bool // at least one reference was released
	freed    bool
	objects  []*oHandle
	// pairs is the context's own copy of its container's key pairs under
	// csp.container.copy-per-context (read at acquire, stored at the final
	// release); nil when every context sees the container itself.
	pairs map[uint32]bool
}

// view returns the key pairs a context finds and adds to.
func (c *oCtx) view() map[uint32]bool {
	if c.pairs != nil {
		return c.pairs
	}
	return c.cont.pairs
}

// The CryptoAPI handle kinds.
const (
	hCryptProv hkind = "HCRYPTPROV"
	hCryptKey  hkind = "HCRYPTKEY"
	hCryptHash hkind = "HCRYPTHASH"
)

func contKey(name string, machine bool) string {
	if machine {
		return "machine\\" + strings.ToLower(name)
	}
	return "user\\" + strings.ToLower(name)
}

// hashable reports whether CryptCreateHash makes a hash of alg on provider
// p: a hash algorithm of p or, where the profile does not check the class
// (csp.hash.class-checked), any algorithm in p's list, which holds no key
// spec (AT_KEYEXCHANGE, AT_SIGNATURE).
func (w *World) hashable(p oProv, alg uint32) bool {
	c := p.algs[alg]
	if c == algIsHash || c == algIsKeyed {
		return true
	}
	return !w.csp().set.hashClass && c != algAbsent && alg != win32.AT_KEYEXCHANGE && alg != win32.AT_SIGNATURE
}

// liveCtx returns the context a handle reference names, nil when it is not
// a live context.
func (w *World) liveCtx(ref string) *oCtx {
	h := w.handle(ref)
	if h == nil || h.closed || h.kind != hCryptProv {
		return nil
	}
	return h.ctx
}

// liveObj returns the oracle's record of a live key or hash handle.
func (w *World) liveObj(ref string, k hkind) *oHandle {
	h := w.handle(ref)
	if h == nil || h.closed || h.kind != k {
		return nil
	}
	return h
}

// staleObj asserts the rules a call on a dead CryptoAPI handle exercises.
func (w *World) staleObj(ref string) {
	h := w.handle(ref)
	if h != nil && h.closed && h.ctx != nil && h.ctx.freed {
		w.assert("csp.objects.invalid-after-release")
	}
}

var (
	cOK           = sim.ERROR_SUCCESS.Code()
	cInvalidParam = sim.ERROR_INVALID_PARAMETER.Code()
)

// doCSP runs one CryptoAPI action and returns the contract violations the
// oracle expects from it.
func (w *World) doCSP(a Action) []string {
	if w.cs() == nil {
		w.fail(a, "the backend does not implement the CryptoAPI family")
		return nil
	}
	th := a.thread()
	st := scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th)}
	var want, got sim.Code
	var viol []string
	// outs: whether the call writes a handle, and what.
	var out *sim.Handle
	var initial sim.Handle
	if !a.NullOut {
		initial = scenario.BOGUS
		out = &initial
	}
	outArgs := func() []scenario.Arg {
		return []scenario.Arg{{Key: "null_out", Value: a.NullOut}, {Key: "initial", Value: scenario.Raw(RefBogus)}}
	}
	var bindKind hkind
	var bindCtx *oCtx
	switch a.Op {
	case OpAcquire:
		want, bindCtx = w.predictAcquire(a)
		if want == cOK && bindCtx != nil {
			bindKind = hCryptProv
		}
		got = w.cs().CryptAcquireContext(th, out, a.Container, a.Provider, a.ProvType, a.Flags)
		st.Args = append([]scenario.Arg{{Key: "container", Value: strArg(a.Container)}, {Key: "provider", Value: strArg(a.Provider)},
			{Key: "type", Value: a.ProvType}, {Key: "flags", Value: constArg(win32.GroupAcquireFlags, a.Flags)}}, outArgs()...)
		if want == cOK && bindCtx == nil {
			// CRYPT_DELETEKEYSET: *phProv is set to 0.
			w.assert("csp.acquire.delete-zeroes-handle")
			st.Expect = []scenario.Arg{{Key: "out", Value: scenario.Raw("NULL")}}
			if got == cOK && initial != 0 {
				w.fail(a, "CRYPT_DELETEKEYSET left *phProv = %s, want 0", initial)
			}
		}
	case OpAddRef:
		want = w.predictAddRef(a)
		var reserved *uint32
		if a.Reserved {
			reserved = new(uint32)
		}
		got = w.cs().CryptContextAddRef(th, w.value(a.H), reserved, a.Flags)
		st.Args = []scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "reserved", Value: a.Reserved}, {Key: "flags", Value: a.Flags}}
	case OpRelease:
		want, viol = w.predictRelease(a)
		got = w.cs().CryptReleaseContext(th, w.value(a.H), a.Flags)
		st.Args = []scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "flags", Value: a.Flags}}
	case OpGenKey, OpGetUserKey:
		var keyCtx *oCtx
		want, keyCtx = w.predictKey(a)
		if keyCtx != nil {
			bindKind, bindCtx = hCryptKey, keyCtx
		}
		if a.Op == OpGenKey {
			got = w.cs().CryptGenKey(th, w.value(a.H), a.Alg, a.Flags, out)
			st.Args = append([]scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "alg", Value: constArg(win32.GroupAlgID, a.Alg)}, {Key: "flags", Value: a.Flags}}, outArgs()...)
		} else {
			got = w.cs().CryptGetUserKey(th, w.value(a.H), a.Alg, out)
			st.Args = append([]scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "key_spec", Value: a.Alg}}, outArgs()...)
		}
	case OpCreateHash:
		var hashCtx *oCtx
		want, hashCtx = w.predictCreateHash(a)
		if hashCtx != nil {
			bindKind, bindCtx = hCryptHash, hashCtx
		}
		got = w.cs().CryptCreateHash(th, w.value(a.H), a.Alg, w.value(a.Key), a.Flags, out)
		st.Args = append([]scenario.Arg{{Key: "prov", Value: scenario.Raw(a.H)}, {Key: "alg", Value: constArg(win32.GroupAlgID, a.Alg)},
			{Key: "key", Value: scenario.Raw(a.Key)}, {Key: "flags", Value: a.Flags}}, outArgs()...)
	case OpHashData:
		want = w.predictHashData(a)
		got = w.cs().CryptHashData(th, w.value(a.H), []byte(a.Data), a.Flags)
		st.Args = []scenario.Arg{{Key: "hash", Value: scenario.Raw(a.H)}, {Key: "data", Value: a.Data}, {Key: "flags", Value: a.Flags}}
	case OpDestroyKey, OpDestroyHash:
		k := hCryptKey
		field := "key"
		if a.Op == OpDestroyHash {
			k, field = hCryptHash, "hash"
		}
		h := w.liveObj(a.H, k)
		if h == nil {
			w.assert("csp.key.destroyed")
			w.staleObj(a.H)
			want = cInvalidParam
		} else {
			want = cOK
			w.survivor(h.ctx)
			h.closed = true
			h.ctx.objects = removeHandle(h.ctx.objects, h)
		}
		if a.Op == OpDestroyKey {
			got = w.cs().CryptDestroyKey(th, w.value(a.H))
		} else {
			got = w.cs().CryptDestroyHash(th, w.value(a.H))
		}
		st.Args = []scenario.Arg{{Key: field, Value: scenario.Raw(a.H)}}
	default:
		w.fail(a, "unknown action")
		return nil
	}
	st.Want = wantSimCode(want)
	if bindKind != "" {
		st.As = a.As
		st.Expect = []scenario.Arg{{Key: "out", Value: scenario.Raw("new")}}
	}
	w.log(st)
	if got != want {
		w.fail(a, "got %s, want %s", got, want)
		return viol
	}
	if bindKind != "" {
		if initial == 0 || initial == scenario.BOGUS || initial == sim.INVALID_HANDLE_VALUE {
			w.fail(a, "succeeded, but wrote %s as the handle", initial)
			return viol
		}
		h := &oHandle{kind: bindKind, ctx: bindCtx, alg: a.Alg}
		if bindKind != hCryptProv {
			bindCtx.objects = append(bindCtx.objects, h)
		}
		w.bind(a.As, initial, h)
	}
	return viol
}

func removeHandle(hs []*oHandle, h *oHandle) []*oHandle {
	for i, x := range hs {
		if x == h {
			return append(hs[:i:i], hs[i+1:]...)
		}
	}
	return hs
}

// wantSimCode is the want: of a step for a sim.Code.
func wantSimCode(c sim.Code) string {
	if c == cOK {
		return ""
	}
	if n := c.Name(); n != "" {
		return n
	}
	return c.Number()
}
