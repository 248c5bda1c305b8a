package ksp

import (
	"fmt"
	"maps"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// CSP is the CryptoAPI of one sim.Machine: its cryptographic service
// providers, their key containers, and the contexts, keys and hashes handed
// out. A new CSP knows the Microsoft RSA providers (Base, Strong, Enhanced,
// and RSA and AES), which share one container store; RegisterProvider adds
// others.
type CSP struct {
	m         *sim.Machine
	providers []*cspProvider
	defaults  map[uint32]*cspProvider // default provider of a type
}

// algKind is what an algorithm identifier is to a provider.
type algKind uint8

const (
	algNone    algKind = iota
	algHash            // CryptCreateHash
	algKeyed           // CryptCreateHash with a key: CALG_MAC, CALG_HMAC
	algSession         // CryptGenKey, a session key
	algPair            // CryptGenKey, a key pair stored in the container
)

// cspProvider is one registered CSP.
type cspProvider struct {
	name       string
	typ        uint32
	algs       map[win32.ALG_ID]algKind
	keyLens    map[win32.ALG_ID]keyLength // of the session and key-pair algorithms
	store      *containerStore
	refuseBusy bool
}

// kind is what algorithm alg is to provider p: algNone for one p does not
// offer, which the calls refuse with NTE_BAD_ALGID (rule
// csp.alg.unsupported, whose one guard this is: broken, p takes any
// algorithm as the kind the call wants).
func (p *cspProvider) kind(alg win32.ALG_ID, want algKind) algKind {
	if k := p.algs[alg]; k != algNone {
		return k
	}
	return sim.FaultBroken("csp.alg.unsupported", algNone, want)
}

// keyLength is the range of key lengths, in bits, a provider makes keys of
// one algorithm with, from the personalities of rsaenh (aProvEnumAlgsEx).
// storage, for the DES family, is the length counting the parity bits,
// which CryptGenKey accepts in place of the effective one (min = max).
type keyLength struct{ min, max, storage uint32 }

// containerStore holds the key containers of one or more providers, per
// user and for the machine.
type containerStore struct {
	user, machine map[string]*container // by folded name
}

func newContainerStore() *containerStore {
	return &containerStore{user: map[string]*container{}, machine: map[string]*container{}}
}

func (s *containerStore) of(flags uint32) map[string]*container {
	if flags&win32.CRYPT_MACHINE_KEYSET != 0 {
		return s.machine
	}
	return s.user
}

// container is a key container: a name and the key pairs made in it.
// Contexts on it count its openers, for CSPs that refuse to delete a busy
// one.
type container struct {
	name     string
	pairs    map[uint32]bool // AT_KEYEXCHANGE, AT_SIGNATURE
	contexts int
	// home is the store set the container was made in (nil for a
	// CRYPT_VERIFYCONTEXT context's own), where a release may put it back
	// (csp.container.copy-per-context).
	home map[string]*container
}

// stored reports whether the container is in its store now: not a
// CRYPT_VERIFYCONTEXT context's own, nor deleted since.
func (ct *container) stored() bool { return ct.home != nil && ct.home[fold(ct.name)] == ct }

// Algorithm sets of the Microsoft RSA providers, from the personalities of
// rsaenh (the Base provider lacks 3DES; only the AES provider has AES and
// SHA-2; every one has the keyed hashes CALG_MAC and CALG_HMAC, which the
// Base provider's algorithm list documents too).
var (
	baseAlgs = map[win32.ALG_ID]algKind{
		win32.CALG_MD2: algHash, win32.CALG_MD4: algHash, win32.CALG_MD5: algHash, win32.CALG_SHA1: algHash, win32.CALG_SSL3_SHAMD5: algHash,
		win32.CALG_MAC: algKeyed, win32.CALG_HMAC: algKeyed,
		win32.CALG_RC2: algSession, win32.CALG_RC4: algSession, win32.CALG_DES: algSession,
		win32.AT_KEYEXCHANGE: algPair, win32.AT_SIGNATURE: algPair, win32.CALG_RSA_KEYX: algPair, win32.CALG_RSA_SIGN: algPair,
	}
	strongAlgs = withAlgs(baseAlgs, algSession, win32.CALG_3DES_112, win32.CALG_3DES)
	aesAlgs    = withAlgs(withAlgs(strongAlgs, algSession, win32.CALG_AES_128, win32.CALG_AES_192, win32.CALG_AES_256), algHash, win32.CALG_SHA_256, win32.CALG_SHA_384, win32.CALG_SHA_512)

	// Key lengths: the Base provider makes RC2 and RC4 keys of 40 to 56
	// bits and key-exchange pairs of at most 1024; the others RC2 and RC4
	// keys of 40 to 128 bits (csp.key.length-base).
	baseKeyLens = map[win32.ALG_ID]keyLength{
		win32.CALG_RC2: {40, 56, 0}, win32.CALG_RC4: {40, 56, 0}, win32.CALG_DES: {56, 56, 64},
		win32.CALG_RSA_SIGN: {384, 16384, 0}, win32.CALG_RSA_KEYX: {384, 1024, 0},
	}
	strongKeyLens = map[win32.ALG_ID]keyLength{
		win32.CALG_RC2: {40, 128, 0}, win32.CALG_RC4: {40, 128, 0}, win32.CALG_DES: {56, 56, 64},
		win32.CALG_3DES_112: {112, 112, 128}, win32.CALG_3DES: {168, 168, 192},
		win32.CALG_RSA_SIGN: {384, 16384, 0}, win32.CALG_RSA_KEYX: {384, 16384, 0},
	}
	aesKeyLens = withKeyLens(strongKeyLens, map[win32.ALG_ID]keyLength{
		win32.CALG_AES_128: {128, 128, 0}, win32.CALG_AES_192: {192, 192, 0}, win32.CALG_AES_256: {256, 256, 0},
	})
)

func withKeyLens(base, more map[win32.ALG_ID]keyLength) map[win32.ALG_ID]keyLength {
	out := maps.Clone(base)
	maps.Copy(out, more)
	return out
}

func withAlgs(base map[win32.ALG_ID]algKind, kind algKind, ids ...win32.ALG_ID) map[win32.ALG_ID]algKind {
	out := make(map[win32.ALG_ID]algKind, len(base)+len(ids))
	for k, v := range base {
		out[k] = v
	}
	for _, id := range ids {
		out[id] = kind
	}
	return out
}

// pairSpec maps a key-pair algorithm to the key spec it is stored under.
func pairSpec(alg win32.ALG_ID) uint32 {
	switch alg {
	case win32.CALG_RSA_KEYX:
		return win32.AT_KEYEXCHANGE
	case win32.CALG_RSA_SIGN:
		return win32.AT_SIGNATURE
	}
	return uint32(alg) // AT_KEYEXCHANGE or AT_SIGNATURE itself
}

// NewCSP creates the CryptoAPI of machine m with the Microsoft RSA
// providers. The default provider of PROV_RSA_FULL is MS_STRONG_PROV, that of
// PROV_RSA_AES is MS_ENH_RSA_AES_PROV.
func NewCSP(m *sim.Machine) *CSP {
	c := &CSP{m: m, defaults: map[uint32]*cspProvider{}}
	rsa := newContainerStore()
	for _, p := range []*cspProvider{
		{name: win32.MS_DEF_PROV, typ: win32.PROV_RSA_FULL, algs: baseAlgs, keyLens: baseKeyLens},
		{name: win32.MS_STRONG_PROV, typ: win32.PROV_RSA_FULL, algs: strongAlgs, keyLens: strongKeyLens},
		{name: win32.MS_ENHANCED_PROV, typ: win32.PROV_RSA_FULL, algs: strongAlgs, keyLens: strongKeyLens},
		{name: win32.MS_ENH_RSA_AES_PROV, typ: win32.PROV_RSA_AES, algs: aesAlgs, keyLens: aesKeyLens},
	} {
		// The providers share one container store.
		p.store = rsa
		ownStore := sim.FaultBroken("csp.acquire.shared-store", false, true)
		if ownStore {
			p.store = newContainerStore()
		}
		// The Base provider makes shorter keys than the others.
		if p.name == win32.MS_DEF_PROV {
			p.keyLens = sim.FaultBroken("csp.key.length-base", p.keyLens, strongKeyLens)
		}
		c.providers = append(c.providers, p)
	}
	c.defaults[win32.PROV_RSA_FULL] = c.lookupProvider(win32.MS_STRONG_PROV)
	c.defaults[win32.PROV_RSA_AES] = c.lookupProvider(win32.MS_ENH_RSA_AES_PROV)
	return c
}

// Machine returns the machine the CryptoAPI runs on.
func (c *CSP) Machine() *sim.Machine { return c.m }

// RegisterProvider installs another CSP, with a container store of its own
// and the algorithms of MS_STRONG_PROV (of MS_ENH_RSA_AES_PROV for
// PROV_RSA_AES). It fails for an empty or registered name, or a type outside
// 1..999.
func (c *CSP) RegisterProvider(cfg win32.CSPConfig) error {
	kernel.Lock(c.m)
	defer kernel.Unlock(c.m)
	switch {
	case cfg.Name == "":
		return fmt.Errorf("ksp: a CSP needs a name")
	case c.lookupProvider(cfg.Name) != nil:
		return fmt.Errorf("ksp: CSP %q is already registered", cfg.Name)
	case cfg.Type < 1 || cfg.Type > 999:
		return fmt.Errorf("ksp: CSP type %d is outside 1..999", cfg.Type)
	}
	algs, keyLens := strongAlgs, strongKeyLens
	if cfg.Type == win32.PROV_RSA_AES {
		algs, keyLens = aesAlgs, aesKeyLens
	}
	c.providers = append(c.providers, &cspProvider{name: cfg.Name, typ: cfg.Type, algs: algs, keyLens: keyLens, store: newContainerStore(), refuseBusy: cfg.RefuseBusyDelete})
	kernel.Tracef(c.m, nil, sim.EvNote, "CSP %q registered, type %d", cfg.Name, cfg.Type)
	return nil
}

func (c *CSP) lookupProvider(name string) *cspProvider {
	for _, p := range c.providers {
		if fold(p.name) == fold(name) {
			return p
		}
	}
	return nil
}

// Containers returns the names of the containers the named provider can
// open in the user store, or the machine store, sorted; nil for an unknown
// provider.
func (c *CSP) Containers(providerName string, machine bool) []string {
	kernel.Lock(c.m)
	defer kernel.Unlock(c.m)
	p := c.lookupProvider(providerName)
	if p == nil {
		return nil
	}
	set := p.store.user
	if machine {
		set = p.store.machine
	}
	out := make([]string, 0, len(set))
	for _, ct := range set {
		out = append(out, ct.name)
	}
	slices.Sort(out)
	return out
}

// ret traces a call and its last-error code. call is only evaluated when
// the machine records a trace.
func (c *CSP) ret(t *sim.Thread, call func() string, code sim.Code) sim.Code {
	kernel.TraceCall(c.m, t, call, code.String)
	return code
}

// retOut traces a successful call that wrote a handle through out.
func (c *CSP) retOut(t *sim.Thread, call func() string, out string, h sim.Handle) sim.Code {
	kernel.TraceCall(c.m, t, call, func() string { return fmt.Sprintf("%s, *%s=%s", sim.ERROR_SUCCESS, out, h) })
	return sim.ERROR_SUCCESS.Code()
}

var (
	codeSuccess      = sim.ERROR_SUCCESS.Code()
	codeInvalidParam = sim.ERROR_INVALID_PARAMETER.Code()
)

// AcquireUnmodeled says why the model has no answer for a
// CryptAcquireContext call, nil when it has one: the model implements no
// Schannel provider (csp.acquire.schannel), so a call for
// PROV_RSA_SCHANNEL, or naming MS_DEF_RSA_SCHANNEL_PROV, gets from
// CryptAcquireContext the answer of a type or name without a provider,
// which is not Windows'. Backends decline such calls.
func (c *CSP) AcquireUnmodeled(provType uint32, providerName *string) error {
	if provType == win32.PROV_RSA_SCHANNEL || (providerName != nil && fold(*providerName) == fold(win32.MS_DEF_RSA_SCHANNEL_PROV)) {
		return fmt.Errorf("the Schannel provider (PROV_RSA_SCHANNEL, %q) is not modeled (csp.acquire.schannel)", win32.MS_DEF_RSA_SCHANNEL_PROV)
	}
	return nil
}

// CryptAcquireContext opens a context on a key container of a provider.
//
// The checks run in the order Windows was observed to use: the provider
// type (NTE_BAD_PROV_TYPE outside 1..999), phProv (NULL is
// ERROR_INVALID_PARAMETER), the provider (the type's default for a NULL or empty name,
// NTE_PROV_TYPE_NOT_DEF when there is none; NTE_KEYSET_NOT_DEF for an
// unknown name; NTE_PROV_TYPE_NO_MATCH for another type), then the CSP's
// dispatch on CRYPT_NEWKEYSET, CRYPT_DELETEKEYSET and CRYPT_VERIFYCONTEXT.
// A NULL or empty container name means the user's default container
// (win32.ModelUserName). CRYPT_DELETEKEYSET deletes the container and sets *phProv
// to 0. On other failures *phProv is left alone. The Schannel provider is
// not modeled: see AcquireUnmodeled.
func (c *CSP) CryptAcquireContext(t *sim.Thread, phProv *sim.Handle, containerName, providerName *string, provType, flags uint32) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	out := outArg(phProv)
	call := func() string {
		return fmt.Sprintf("CryptAcquireContext(%s, %s, %s, %s, %s)", out, fmtStr(containerName), fmtStr(providerName),
			fmtConstOrNumber(win32.GroupProvType, provType), fmtConst(win32.GroupAcquireFlags, flags))
	}
	if phProv == nil {
		return c.ret(t, call, nullOutCode(provType))
	}
	p, code := c.acquireProvider(providerName, provType)
	if code != codeSuccess {
		return c.ret(t, call, code)
	}
	if f, ok := kernel.TakeFault(c.m, "CryptAcquireContext"); ok {
		return c.ret(t, call, f)
	}
	ct, verify, code := c.acquireContainer(t, p, containerName, flags)
	switch {
	case code != codeSuccess:
		return c.ret(t, call, code)
	case ct == nil && !verify:
		// CRYPT_DELETEKEYSET deleted the container: *phProv is set to 0.
		zeroed := sim.FaultBroken("csp.acquire.delete-zeroes-handle", true, false)
		if zeroed {
			*phProv = 0
		}
		return c.retOut(t, call, "phProv", 0)
	}
	ctx := &cryptContext{prov: p, cont: ct, refs: 1}
	if verify {
		ctx.cont = &ctx.own
	}
	ctx.cont.contexts++
	if ctx.cont.home != nil && c.perContext() {
		ctx.pairs = maps.Clone(ctx.cont.pairs)
	}
	h := kernel.Handles(t).Insert(ctx, 0)
	*phProv = h
	// Success sets no last error.
	failed := sim.FaultBroken("csp.acquire.success-last-error", false, true)
	if failed {
		return c.ret(t, call, sim.NTE_FAIL.Code())
	}
	return c.retOut(t, call, "phProv", h)
}

// nullOutCode is CryptAcquireContext's answer to a NULL phProv. The type's
// range is checked before phProv: Wine's rsaenh test test_null_provider
// sees NTE_BAD_PROV_TYPE on Windows for type 0 and no phProv
// (rsaenh.c:3213), and ERROR_INVALID_PARAMETER once the type is in range
// (rsaenh.c:3216).
func nullOutCode(provType uint32) sim.Code {
	badType := provType < 1 || provType > 999
	badType = sim.FaultBroken("csp.acquire.null-out-after-type", badType, false)
	if badType {
		return sim.NTE_BAD_PROV_TYPE.Code()
	}
	// Windows 2000 succeeded.
	return sim.FaultBroken("csp.acquire.null-out", codeInvalidParam, codeSuccess)
}

// acquireProvider finds the provider of a CryptAcquireContext call, after
// checking the type's range (NTE_BAD_PROV_TYPE outside 1..999): the type's
// default for a NULL or empty name (NTE_PROV_TYPE_NOT_DEF when there is
// none), else the provider of that name (NTE_KEYSET_NOT_DEF for an unknown
// name, NTE_PROV_TYPE_NO_MATCH for one of another type).
func (c *CSP) acquireProvider(providerName *string, provType uint32) (*cspProvider, sim.Code) {
	// The type is checked before the name.
	nameFirst := sim.FaultBroken("csp.acquire.error-order", false, providerName != nil && *providerName != "")
	if nameFirst && c.lookupProvider(*providerName) == nil {
		return nil, sim.NTE_KEYSET_NOT_DEF.Code()
	}
	badType := provType < 1 || provType > 999
	badType = sim.FaultBroken("csp.acquire.bad-prov-type", badType, false)
	if badType {
		return nil, sim.NTE_BAD_PROV_TYPE.Code()
	}
	byDefault := providerName == nil
	if !byDefault {
		byDefault = sim.FaultBroken("csp.acquire.empty-provider", *providerName == "", false)
	}
	if byDefault {
		p := c.defaults[provType]
		if p == nil {
			return nil, sim.FaultBroken("csp.acquire.prov-type-not-def", sim.NTE_PROV_TYPE_NOT_DEF, sim.NTE_BAD_PROV_TYPE).Code()
		}
		return p, codeSuccess
	}
	p := c.lookupProvider(*providerName)
	if p == nil {
		return nil, sim.FaultBroken("csp.acquire.keyset-not-def", sim.NTE_KEYSET_NOT_DEF, sim.NTE_PROV_TYPE_NOT_DEF).Code()
	}
	otherType := p.typ != provType
	otherType = sim.FaultBroken("csp.acquire.prov-type-no-match", otherType, false)
	if otherType {
		return nil, sim.NTE_PROV_TYPE_NO_MATCH.Code()
	}
	return p, codeSuccess
}

// acquireContainer is the CSP's dispatch on CRYPT_NEWKEYSET,
// CRYPT_DELETEKEYSET and CRYPT_VERIFYCONTEXT: it returns the container the
// new context opens, or none (and success) when CRYPT_DELETEKEYSET deleted
// it, or verify (and no container) for a CRYPT_VERIFYCONTEXT context, which
// gets an empty container of its own (cryptContext.own). A NULL or empty
// container name means the user's default container (win32.ModelUserName),
// in the user's or, with CRYPT_MACHINE_KEYSET, the machine's set.
func (c *CSP) acquireContainer(t *sim.Thread, p *cspProvider, containerName *string, flags uint32) (ct *container, verify bool, code sim.Code) {
	named := containerName != nil && *containerName != ""
	name := win32.ModelUserName
	if named {
		name = *containerName
	}
	set := p.store.of(sim.FaultBroken("csp.acquire.machine-keyset", flags, 0))
	existing := set[fold(name)]
	switch flags & acquireDispatch {
	case 0:
		if existing == nil {
			return nil, false, sim.FaultBroken("csp.acquire.open-absent", sim.NTE_BAD_KEYSET, sim.NTE_NO_KEY).Code()
		}
		return existing, false, codeSuccess
	case win32.CRYPT_DELETEKEYSET:
		if existing == nil {
			return nil, false, sim.NTE_BAD_KEYSET.Code()
		}
		// A provider that refuses to delete a container in use says
		// ERROR_BUSY.
		refuse := p.refuseBusy
		refuse = sim.FaultBroken("csp.acquire.delete-while-open", refuse, true)
		if refuse && existing.contexts > 0 {
			return nil, false, sim.ERROR_BUSY.Code()
		}
		delete(set, fold(name))
		if c.m.Tracing() {
			kernel.Tracef(c.m, t, sim.EvTransition, "container %q deleted; contexts still open on it: %d", existing.name, existing.contexts)
		}
		return nil, false, codeSuccess
	case win32.CRYPT_NEWKEYSET:
		exists := existing != nil
		exists = sim.FaultBroken("csp.acquire.newkeyset-exists", exists, false)
		if exists {
			return nil, false, sim.NTE_EXISTS.Code()
		}
		ct = &container{name: name, pairs: map[uint32]bool{}, home: set}
		set[fold(name)] = ct
		return ct, false, codeSuccess
	case win32.CRYPT_VERIFYCONTEXT, win32.CRYPT_VERIFYCONTEXT | win32.CRYPT_NEWKEYSET:
		// A verification context has no container: a name is refused.
		named = sim.FaultBroken("csp.acquire.verify-context", named, false)
		if named {
			return nil, false, sim.NTE_BAD_FLAGS.Code()
		}
		return nil, true, codeSuccess
	}
	return nil, false, sim.FaultBroken("csp.acquire.bad-flag-combination", sim.NTE_BAD_FLAGS.Code(), codeInvalidParam)
}

// fmtConstOrNumber formats a value by its name in group, or as a number
// when it has none.
func fmtConstOrNumber[T ~uint32](group string, v T) string {
	if n := win32.ConstName(group, uint32(v)); n != "" {
		return n
	}
	return fmt.Sprint(uint32(v))
}
