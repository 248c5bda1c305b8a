package conformance

import (
	"maps"
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
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
	oBaseAlgs = map[win32.ALG_ID]algClass{
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
	algs map[win32.ALG_ID]algClass
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
func oKeyLength(p oProv, alg win32.ALG_ID, flags uint32) (code sim.Code, bad, base bool) {
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
func oBlockCipher(alg win32.ALG_ID) bool {
	switch alg {
	case win32.CALG_RC2, win32.CALG_DES, win32.CALG_3DES_112, win32.CALG_3DES, win32.CALG_AES_128, win32.CALG_AES_192, win32.CALG_AES_256:
		return true
	}
	return false
}

func plusAlgs(base map[win32.ALG_ID]algClass, c algClass, ids ...win32.ALG_ID) map[win32.ALG_ID]algClass {
	out := map[win32.ALG_ID]algClass{}
	for k, v := range base {
		out[k] = v
	}
	for _, id := range ids {
		out[id] = c
	}
	return out
}

// cspState is the oracle's CryptoAPI world, a value the step never
// changes (cspEdit copies what it writes): the containers of the shared
// store, the contexts, and the handles the calls handed out, named by
// their variables. Containers, contexts and handles are numbered by their
// index, so that a context can name its container and a handle its
// context without sharing a pointer between two states.
type cspState struct {
	set cspSettings
	// store is the shared container store: by store and lower-case name,
	// the container there.
	store map[string]int
	// gone are the containers deleted while a context on them was open,
	// whose final release left them deleted.
	gone  map[string]bool
	conts []oCont
	ctxs  []oCtx
	// hs are the handles, in issue order (a variable bound twice has
	// two); vars the latest handle of each variable.
	hs   []cspHandle
	vars map[string]int
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
	cont     int // its container
	refs     int
	released bool // at least one reference was released
	freed    bool
	objects  []int // its live keys and hashes
	// pairs is the context's own copy of its container's key pairs under
	// csp.container.copy-per-context (read at acquire, stored at the final
	// release); nil when every context sees the container itself.
	pairs map[uint32]bool
}

// cspArgs are the CryptoAPI calls' arguments (Action.Args).
type cspArgs struct {
	// container and provider are CryptAcquireContext's names (nil passes
	// NULL), provType its dwProvType.
	container, provider *string
	provType            uint32
	// flags are the call's dwFlags.
	flags uint32
	// alg is CryptGenKey's and CryptCreateHash's ALG_ID, CryptGetUserKey's
	// key spec (AT_KEYEXCHANGE or AT_SIGNATURE, ALG_IDs too).
	alg win32.ALG_ID
	// reserved passes CryptContextAddRef a non-NULL pdwReserved; nullOut
	// passes a NULL output handle pointer.
	reserved, nullOut bool
	// hashKey is CryptCreateHash's hKey, a handle reference (RefNULL for
	// none).
	hashKey string
	// data are the bytes CryptHashData hashes.
	data string
}

// cspHandle is a handle the oracle expects a call to have handed out: a
// context's, or a key's or a hash's, which belongs to a context.
type cspHandle struct {
	name   string
	kind   hkind
	ctx    int
	alg    win32.ALG_ID // keys and hashes: the algorithm asked for
	closed bool
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
func (s *cspState) hashable(p oProv, alg win32.ALG_ID) bool {
	c := p.algs[alg]
	if c == algIsHash || c == algIsKeyed {
		return true
	}
	return !s.set.hashClass && c != algAbsent && alg != win32.AT_KEYEXCHANGE && alg != win32.AT_SIGNATURE
}

// handle returns the latest handle of a variable; false for NULL,
// INVALID_HANDLE_VALUE, BOGUS and a variable no call bound.
func (s *cspState) handle(ref string) (int, bool) {
	i, ok := s.vars[ref]
	return i, ok
}

// liveCtx returns the context a handle reference names; false when it is
// not a live context.
func (s *cspState) liveCtx(ref string) (int, bool) {
	i, ok := s.vars[ref]
	if !ok || s.hs[i].closed || s.hs[i].kind != hCryptProv {
		return 0, false
	}
	return s.hs[i].ctx, true
}

// liveObj returns the live key or hash handle a reference names.
func (s *cspState) liveObj(ref string, k hkind) (int, bool) {
	i, ok := s.vars[ref]
	if !ok || s.hs[i].closed || s.hs[i].kind != k {
		return 0, false
	}
	return i, true
}

// view returns the key pairs a context finds and adds to.
func (s *cspState) view(ctx int) map[uint32]bool {
	if c := s.ctxs[ctx]; c.pairs != nil {
		return c.pairs
	}
	return s.conts[s.ctxs[ctx].cont].pairs
}

// cspEdit is a step's working copy of a state: it starts as the state the
// step was given and clones each part of it (a map, a slice, a
// container's or context's key pairs) the first time the step changes
// that part, so the state given stays as it was. It gathers the rules
// that decide the result.
type cspEdit struct {
	cspState
	owned struct{ store, gone, conts, ctxs, hs, vars bool }
	rules []string
}

func (e *cspEdit) assert(ids ...string) { e.rules = append(e.rules, ids...) }

// cont and ctx return a container and a context to change; handleAt a
// handle.
func (e *cspEdit) cont(i int) *oCont {
	if !e.owned.conts {
		e.conts, e.owned.conts = slices.Clone(e.conts), true
	}
	return &e.conts[i]
}

func (e *cspEdit) ctx(i int) *oCtx {
	if !e.owned.ctxs {
		e.ctxs, e.owned.ctxs = slices.Clone(e.ctxs), true
	}
	return &e.ctxs[i]
}

func (e *cspEdit) handleAt(i int) *cspHandle {
	if !e.owned.hs {
		e.hs, e.owned.hs = slices.Clone(e.hs), true
	}
	return &e.hs[i]
}

// setStore puts container i in the store under key; i < 0 removes the
// key.
func (e *cspEdit) setStore(key string, i int) {
	if !e.owned.store {
		e.store, e.owned.store = maps.Clone(e.store), true
	}
	if i < 0 {
		delete(e.store, key)
		return
	}
	e.store[key] = i
}

func (e *cspEdit) setGone(key string, gone bool) {
	if e.gone[key] == gone {
		return
	}
	if !e.owned.gone {
		e.gone, e.owned.gone = maps.Clone(e.gone), true
	}
	if gone {
		e.gone[key] = true
	} else {
		delete(e.gone, key)
	}
}

// newCont and newCtx add a container and a context and return its index.
func (e *cspEdit) newCont(c oCont) int {
	e.conts, e.owned.conts = append(slices.Clip(e.conts), c), true
	return len(e.conts) - 1
}

func (e *cspEdit) newCtx(c oCtx) int {
	e.ctxs, e.owned.ctxs = append(slices.Clip(e.ctxs), c), true
	return len(e.ctxs) - 1
}

// bind records the handle a call hands out under its variable; a key or
// a hash joins its context's objects.
func (e *cspEdit) bind(h cspHandle) {
	e.hs, e.owned.hs = append(slices.Clip(e.hs), h), true
	i := len(e.hs) - 1
	if !e.owned.vars {
		e.vars, e.owned.vars = maps.Clone(e.vars), true
	}
	e.vars[h.name] = i
	if h.kind != hCryptProv {
		c := e.ctx(h.ctx)
		c.objects = append(slices.Clip(c.objects), i)
	}
}

// addPair adds a key pair to what a context sees: its own copy, or its
// container's pairs.
func (e *cspEdit) addPair(ctx int, spec uint32) {
	if e.ctxs[ctx].pairs != nil {
		c := e.ctx(ctx)
		c.pairs = withPair(c.pairs, spec)
		return
	}
	c := e.cont(e.ctxs[ctx].cont)
	c.pairs = withPair(c.pairs, spec)
}

// withPair returns a copy of pairs holding spec too.
func withPair(pairs map[uint32]bool, spec uint32) map[uint32]bool {
	out := maps.Clone(pairs)
	if out == nil {
		out = map[uint32]bool{}
	}
	out[spec] = true
	return out
}

// staleObj asserts the rules a call on a dead CryptoAPI handle exercises.
func (e *cspEdit) staleObj(ref string) {
	if i, ok := e.handle(ref); ok && e.hs[i].closed && e.ctxs[e.hs[i].ctx].freed {
		e.assert("csp.objects.invalid-after-release")
	}
}

// survivor asserts that objects of a context with released references
// keep working while it keeps one.
func (e *cspEdit) survivor(ctx int) {
	if e.ctxs[ctx].released {
		e.assert("csp.objects.survive-partial-release", "csp.addref.count")
	}
}

var (
	cOK           = sim.ERROR_SUCCESS.Code()
	cInvalidParam = sim.ERROR_INVALID_PARAMETER.Code()
)
