package ksp

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// cryptContext is an HCRYPTPROV: a reference-counted context on a container.
// Its handle value stays the same across CryptContextAddRef; the last
// CryptReleaseContext closes it together with every key and hash handle made
// from it.
type cryptContext struct {
	prov    *cspProvider
	cont    *container
	refs    int
	objects []sim.Handle // live key and hash handles, in creation order
	// pairs is the context's own copy of its container's key pairs, when
	// the profile gives each context one (csp.container.copy-per-context);
	// nil when the context works on the container itself.
	pairs map[uint32]bool
	// own is the container of a CRYPT_VERIFYCONTEXT context (cont points
	// to it), which no store holds. It lives in the context so that
	// acquiring one allocates the context alone.
	own container
}

// keyPairs returns the key pairs a context sees: its own copy, or its
// container's (nil for a verification context that has generated none).
func (ctx *cryptContext) keyPairs() map[uint32]bool {
	if ctx.pairs != nil {
		return ctx.pairs
	}
	return ctx.cont.pairs
}

// addPair adds a key pair of the given spec to the pairs the context sees.
// A verification context's container makes its map at its first pair, so
// that contexts that generate none (most) never make one.
func (ctx *cryptContext) addPair(spec uint32) {
	if ctx.pairs != nil {
		ctx.pairs[spec] = true
		return
	}
	if ctx.cont.pairs == nil {
		ctx.cont.pairs = map[uint32]bool{}
	}
	ctx.cont.pairs[spec] = true
}

// TypeName implements sim.Object.
func (*cryptContext) TypeName() string { return "HCRYPTPROV" }

// cryptKey is an HCRYPTKEY: a session key, or a handle to a key pair of the
// context's container.
type cryptKey struct {
	ctx *cryptContext
	alg win32.ALG_ID
}

// TypeName implements sim.Object.
func (*cryptKey) TypeName() string { return "HCRYPTKEY" }

// cryptHash is an HCRYPTHASH. The model counts the bytes hashed; it computes
// no digest.
type cryptHash struct {
	ctx    *cryptContext
	alg    win32.ALG_ID
	hashed uint64
}

// TypeName implements sim.Object.
func (*cryptHash) TypeName() string { return "HCRYPTHASH" }

func lookupContext(t *sim.Thread, h sim.Handle) (*cryptContext, bool) {
	// What sim.Resolve does, written out: the concrete type assertion
	// inlines where the generic one calls, and this is the first step of
	// every CryptoAPI call.
	obj, _, st := kernel.Handles(t).Lookup(h)
	ctx, ok := obj.(*cryptContext)
	return ctx, ok && st == sim.HandleValid
}

// addObject inserts a key or hash made from ctx and writes its handle.
func (c *CSP) addObject(t *sim.Thread, ctx *cryptContext, obj sim.Object, out *sim.Handle) sim.Handle {
	h := kernel.Handles(t).Insert(obj, 0)
	ctx.objects = append(ctx.objects, h)
	*out = h
	return h
}

// removeObject closes a key or hash handle.
func (c *CSP) removeObject(t *sim.Thread, ctx *cryptContext, h sim.Handle) {
	kernel.Handles(t).Remove(h)
	ctx.objects = removeItem(ctx.objects, h)
}

// CryptContextAddRef adds a reference to a context: each one needs its own
// CryptReleaseContext. pdwReserved must be NULL and dwFlags 0 (see the
// csp.addref.reserved-checked setting for what happens otherwise).
func (c *CSP) CryptContextAddRef(t *sim.Thread, hProv sim.Handle, pdwReserved *uint32, flags uint32) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	call := func() string {
		reserved := "NULL"
		if pdwReserved != nil {
			reserved = "&reserved"
		}
		return fmt.Sprintf("CryptContextAddRef(%s, %s, %#x)", hProv, reserved, flags)
	}
	ctx, ok := lookupContext(t, hProv)
	if !ok {
		return c.ret(t, call, sim.FaultBroken("csp.addref.invalid-handle", codeInvalidParam, sim.ERROR_INVALID_HANDLE.Code()))
	}
	// pdwReserved must be NULL and dwFlags 0, where the profile checks them.
	given := pdwReserved != nil || flags != 0
	refused := given && settingAddRefChecksReserved.In(c.m.Profile())
	refused = sim.FaultBroken("csp.addref.reserved-flags-wine", refused, given)
	if refused {
		return c.ret(t, call, codeInvalidParam)
	}
	// Each CryptContextAddRef adds a reference a CryptReleaseContext removes.
	counted := sim.FaultBroken("csp.addref.count", true, false)
	if counted {
		ctx.refs++
	}
	if c.m.Tracing() {
		kernel.Tracef(c.m, t, sim.EvCall, "%s -> %s, %d references", call(), sim.ERROR_SUCCESS, ctx.refs)
	}
	return codeSuccess
}

// CryptReleaseContext removes one reference. At the last one the context
// dies: the handle and every key and hash handle made from it stop being
// valid (keys and hashes still alive then are a contract violation), while
// the container and its key pairs remain. The handle is checked before the
// flags; nonzero flags give NTE_BAD_FLAGS and still consume the reference.
func (c *CSP) CryptReleaseContext(t *sim.Thread, hProv sim.Handle, flags uint32) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	call := func() string { return fmt.Sprintf("CryptReleaseContext(%s, %#x)", hProv, flags) }
	// The handle is checked before the flags.
	flagsFirst := sim.FaultBroken("csp.release.handle-before-flags", false, flags != 0)
	if flagsFirst {
		return c.ret(t, call, sim.NTE_BAD_FLAGS.Code())
	}
	ctx, ok := lookupContext(t, hProv)
	if !ok {
		return c.ret(t, call, sim.FaultBroken("csp.release.invalid-handle", codeInvalidParam, sim.ERROR_INVALID_HANDLE.Code()))
	}
	if f, ok := kernel.TakeFault(c.m, "CryptReleaseContext"); ok {
		return c.ret(t, call, f)
	}
	// Bad flags still consume the reference.
	kept := sim.FaultBroken("csp.release.bad-flags-consumes", false, flags != 0 && ctx.refs == 1)
	if kept {
		return c.ret(t, call, sim.NTE_BAD_FLAGS.Code())
	}
	ctx.refs--
	// Keys and hashes stay valid until the last reference goes.
	dropEarly := sim.FaultBroken("csp.objects.survive-partial-release", false, ctx.refs != 0)
	if ctx.refs == 0 {
		c.free(t, hProv, ctx)
	} else if dropEarly {
		c.dropObjects(t, ctx)
	}
	// Bad flags fail the last release, and an earlier one where the profile
	// says so (settingReleaseFlagsWhileReferenced).
	badFlags := flags != 0 && (ctx.refs == 0 || settingReleaseFlagsWhileReferenced.In(c.m.Profile()))
	badFlags = sim.FaultBroken("csp.release.bad-flags-while-referenced-wine", badFlags, flags != 0)
	if badFlags {
		return c.ret(t, call, sim.NTE_BAD_FLAGS.Code())
	}
	if c.m.Tracing() {
		kernel.Tracef(c.m, t, sim.EvCall, "%s -> %s, %d references", call(), sim.ERROR_SUCCESS, ctx.refs)
	}
	return codeSuccess
}

// free ends a context at its last release.
func (c *CSP) free(t *sim.Thread, h sim.Handle, ctx *cryptContext) {
	// The caller destroys its keys and hashes before the last release.
	checked := sim.FaultBroken(RuleReleaseWithObjects.ID, true, false)
	if n := len(ctx.objects); n > 0 && checked {
		keys := 0
		for _, o := range ctx.objects {
			if obj, _, _ := kernel.Handles(t).Lookup(o); obj != nil {
				if _, isKey := obj.(*cryptKey); isKey {
					keys++
				}
			}
		}
		kernel.Violate(c.m, t, RuleReleaseWithObjects, "final CryptReleaseContext(%s) with %d keys and %d hashes not destroyed", h, keys, n-keys)
	}
	// The context's keys and hashes die with it.
	drop := sim.FaultBroken("csp.objects.invalid-after-release", true, false)
	if drop {
		c.dropObjects(t, ctx)
	}
	kernel.Handles(t).Remove(h)
	ctx.cont.contexts--
	c.writeBack(t, ctx)
	// The container and its key pairs remain.
	lost := sim.FaultBroken("csp.release.container-survives", false, true)
	if lost {
		ctx.cont.pairs = map[uint32]bool{}
	}
	if c.m.Tracing() {
		if ctx.cont.stored() {
			kernel.Tracef(c.m, t, sim.EvTransition, "context %s freed; container %q and its key pairs remain", h, ctx.cont.name)
		} else {
			kernel.Tracef(c.m, t, sim.EvTransition, "context %s freed", h)
		}
	}
}

// perContext reports whether contexts acquired now get their own copy of
// their container's key pairs (csp.container.copy-per-context).
func (c *CSP) perContext() bool {
	perContext := settingContainerPerContext.In(c.m.Profile())
	return sim.FaultBroken("csp.key.pairs-per-context-wine", perContext, !perContext)
}

// writeBack stores the key pairs of a context that had its own copy in its
// container, at the context's final release: the container gets them, and
// one that CRYPT_DELETEKEYSET removed meanwhile is stored again (or, if a
// container was made under the same name since, that one gets them).
func (c *CSP) writeBack(t *sim.Thread, ctx *cryptContext) {
	ct := ctx.cont
	if ctx.pairs == nil || ct.home == nil {
		return
	}
	target := ct
	restore := !ct.stored()
	restore = sim.FaultBroken("csp.release.restores-deleted-container-wine", restore, false)
	if restore {
		if now := ct.home[fold(ct.name)]; now != nil {
			target = now
		} else {
			ct.home[fold(ct.name)] = ct
			if c.m.Tracing() {
				kernel.Tracef(c.m, t, sim.EvTransition, "container %q stored again by the release of a context opened on it", ct.name)
			}
		}
	}
	for spec := range ctx.pairs {
		target.pairs[spec] = true
	}
}

// dropObjects closes every key and hash handle made from a context.
func (c *CSP) dropObjects(t *sim.Thread, ctx *cryptContext) {
	for _, o := range ctx.objects {
		kernel.Handles(t).Remove(o)
	}
	ctx.objects = nil
}

// CryptGenKey makes a session key, or a key pair (AT_KEYEXCHANGE,
// AT_SIGNATURE, CALG_RSA_KEYX, CALG_RSA_SIGN) that is kept in the context's
// container. An algorithm the provider does not offer gives NTE_BAD_ALGID;
// a key length (the upper 16 bits of dwFlags) the provider does not make
// keys of gives NTE_BAD_DATA, or NTE_BAD_FLAGS for the DES family (see
// keyLengthCode). The other flags (CRYPT_EXPORTABLE, ...) are accepted.
func (c *CSP) CryptGenKey(t *sim.Thread, hProv sim.Handle, algID win32.ALG_ID, flags uint32, phKey *sim.Handle) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	out := outArg(phKey)
	call := func() string {
		return fmt.Sprintf("CryptGenKey(%s, %s, %#x, %s)", hProv, fmtConstOrNumber(win32.GroupAlgID, algID), flags, out)
	}
	ctx, ok := lookupContext(t, hProv)
	if !ok || phKey == nil {
		return c.ret(t, call, codeInvalidParam)
	}
	kind := ctx.prov.kind(algID, algSession)
	if kind != algSession && kind != algPair {
		return c.ret(t, call, sim.NTE_BAD_ALGID.Code())
	}
	code, bad := ctx.prov.keyLengthCode(algID, flags)
	bad = sim.FaultBroken("csp.key.length", bad, false)
	if bad {
		return c.ret(t, call, code)
	}
	if kind == algPair {
		ctx.addPair(pairSpec(algID))
	}
	h := c.addObject(t, ctx, &cryptKey{ctx: ctx, alg: algID}, phKey)
	return c.retOut(t, call, "phKey", h)
}

// keyLengthCode checks the key length CryptGenKey takes from the upper 16
// bits of its flags (0 asks for the provider's default), as rsaenh's new_key
// does: for the DES family the effective or the storage length, else
// NTE_BAD_FLAGS; for the others a whole number of bytes within the
// provider's range, else NTE_BAD_DATA. A key pair's spec is checked as its
// RSA algorithm. bad is false when the length is acceptable.
func (p *cspProvider) keyLengthCode(alg win32.ALG_ID, flags uint32) (code sim.Code, bad bool) {
	bits := flags >> 16
	switch alg {
	case win32.AT_KEYEXCHANGE:
		alg = win32.CALG_RSA_KEYX
	case win32.AT_SIGNATURE:
		alg = win32.CALG_RSA_SIGN
	}
	lens, known := p.keyLens[alg]
	switch {
	case bits == 0 || !known:
		return codeSuccess, false
	case lens.storage != 0:
		if bits != lens.min && bits != lens.storage {
			return sim.NTE_BAD_FLAGS.Code(), true
		}
	case bits%8 != 0 || bits < lens.min || bits > lens.max:
		return sim.NTE_BAD_DATA.Code(), true
	}
	return codeSuccess, false
}

// CryptGetUserKey opens the container's key pair of the given spec:
// NTE_NO_KEY when the container has none.
func (c *CSP) CryptGetUserKey(t *sim.Thread, hProv sim.Handle, keySpec uint32, phUserKey *sim.Handle) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	out := outArg(phUserKey)
	call := func() string {
		return fmt.Sprintf("CryptGetUserKey(%s, %s, %s)", hProv, fmtConstOrNumber(win32.GroupKeySpec, keySpec), out)
	}
	ctx, ok := lookupContext(t, hProv)
	if !ok || phUserKey == nil {
		return c.ret(t, call, codeInvalidParam)
	}
	// NTE_NO_KEY when the container has no key pair of the spec.
	none := !ctx.keyPairs()[keySpec]
	none = sim.FaultBroken("csp.key.user-key", none, false)
	if none {
		return c.ret(t, call, sim.NTE_NO_KEY.Code())
	}
	// The key pair is the spec's: as an ALG_ID, AT_* names it (CryptGenKey).
	h := c.addObject(t, ctx, &cryptKey{ctx: ctx, alg: win32.ALG_ID(keySpec)}, phUserKey)
	return c.retOut(t, call, "phUserKey", h)
}

// CryptDestroyKey closes a key handle; a key pair stays in its container.
func (c *CSP) CryptDestroyKey(t *sim.Thread, hKey sim.Handle) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	call := func() string { return fmt.Sprintf("CryptDestroyKey(%s)", hKey) }
	k, _, st := sim.Resolve[*cryptKey](kernel.Handles(t), hKey)
	if st != sim.HandleValid {
		return c.ret(t, call, sim.FaultBroken("csp.key.destroyed", codeInvalidParam, sim.ERROR_INVALID_HANDLE.Code()))
	}
	c.removeObject(t, k.ctx, hKey)
	return c.ret(t, call, codeSuccess)
}

// hashable reports whether CryptCreateHash makes a hash of algorithm alg on
// provider p: a hash algorithm of p, or, where the profile does not check
// the class (csp.hash.class-checked), any algorithm p lists; the key specs
// AT_KEYEXCHANGE and AT_SIGNATURE, which CryptGenKey takes, are not
// algorithm ids of the list.
func (c *CSP) hashable(p *cspProvider, alg win32.ALG_ID) bool {
	kind := p.kind(alg, algHash)
	if kind == algHash {
		return true
	}
	if kind == algKeyed {
		return sim.FaultBroken("csp.hash.keyed", true, false)
	}
	classChecked := settingHashClassChecked.In(c.m.Profile())
	classChecked = sim.FaultBroken("csp.hash.not-a-hash-wine", classChecked, true)
	if classChecked {
		return false
	}
	return kind != algNone && alg != win32.AT_KEYEXCHANGE && alg != win32.AT_SIGNATURE
}

// CryptCreateHash starts a hash. hKey must be 0 or a live key, else
// ERROR_INVALID_PARAMETER; an algorithm the provider does not offer gives
// NTE_BAD_ALGID, and then nonzero flags give NTE_BAD_FLAGS (the
// csp.hash.class-checked and csp.hash.flags-first settings say where a
// profile differs). The keyed hashes come last: CALG_MAC and CALG_HMAC
// without a key give NTE_BAD_KEY, and CALG_MAC with a key that is not a
// block cipher's gives NTE_BAD_KEY too. The other hashes ignore the key. A
// keyed hash is then a hash like the others: it takes data and is
// destroyed alike (the model computes no value, so HMAC_INFO is not
// needed).
func (c *CSP) CryptCreateHash(t *sim.Thread, hProv sim.Handle, algID win32.ALG_ID, hKey sim.Handle, flags uint32, phHash *sim.Handle) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	out := outArg(phHash)
	call := func() string {
		return fmt.Sprintf("CryptCreateHash(%s, %s, %s, %#x, %s)", hProv, fmtConstOrNumber(win32.GroupAlgID, algID), hKey, flags, out)
	}
	ctx, ok := lookupContext(t, hProv)
	if !ok || phHash == nil {
		return c.ret(t, call, codeInvalidParam)
	}
	var key *cryptKey
	if hKey != 0 {
		k, _, st := sim.Resolve[*cryptKey](kernel.Handles(t), hKey)
		if st != sim.HandleValid {
			return c.ret(t, call, codeInvalidParam)
		}
		key = k
	}
	flagsFirst := flags != 0 && settingHashFlagsFirst.In(c.m.Profile())
	flagsFirst = sim.FaultBroken("csp.hash.flags-first-wine", flagsFirst, false)
	if flagsFirst {
		return c.ret(t, call, sim.NTE_BAD_FLAGS.Code())
	}
	if !c.hashable(ctx.prov, algID) {
		return c.ret(t, call, sim.NTE_BAD_ALGID.Code())
	}
	badFlags := flags != 0
	badFlags = sim.FaultBroken("csp.hash.bad-flags", badFlags, false)
	if badFlags {
		return c.ret(t, call, sim.NTE_BAD_FLAGS.Code())
	}
	if ctx.prov.algs[algID] == algKeyed {
		// CALG_MAC and CALG_HMAC need a key ...
		keyless := key == nil
		keyless = sim.FaultBroken("csp.hash.keyed-needs-key", keyless, false)
		if keyless {
			return c.ret(t, call, sim.NTE_BAD_KEY.Code())
		}
		// ... and CALG_MAC a block cipher's.
		notBlock := algID == win32.CALG_MAC && key != nil && !blockCipher(key.alg)
		notBlock = sim.FaultBroken("csp.hash.mac-block-cipher", notBlock, false)
		if notBlock {
			return c.ret(t, call, sim.NTE_BAD_KEY.Code())
		}
	}
	h := c.addObject(t, ctx, &cryptHash{ctx: ctx, alg: algID}, phHash)
	return c.retOut(t, call, "phHash", h)
}

// blockCipher reports whether a key of algorithm alg is a block cipher's,
// the kind CALG_MAC computes its value with: RC2, DES, 3DES and AES, not
// the stream cipher RC4 nor a key pair.
func blockCipher(alg win32.ALG_ID) bool {
	switch alg {
	case win32.CALG_RC2, win32.CALG_DES, win32.CALG_3DES_112, win32.CALG_3DES, win32.CALG_AES_128, win32.CALG_AES_192, win32.CALG_AES_256:
		return true
	}
	return false
}

// CryptHashData adds data to a hash. The only flag is CRYPT_USERDATA. A
// CALG_SSL3_SHAMD5 hash takes no data (its value is set whole with
// CryptSetHashParam): NTE_BAD_ALGID.
func (c *CSP) CryptHashData(t *sim.Thread, hHash sim.Handle, data []byte, flags uint32) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	call := func() string { return fmt.Sprintf("CryptHashData(%s, %d bytes, %#x)", hHash, len(data), flags) }
	hs, _, st := sim.Resolve[*cryptHash](kernel.Handles(t), hHash)
	if st != sim.HandleValid {
		return c.ret(t, call, codeInvalidParam)
	}
	if flags&^win32.CRYPT_USERDATA != 0 {
		return c.ret(t, call, sim.NTE_BAD_FLAGS.Code())
	}
	// A CALG_SSL3_SHAMD5 hash takes no data.
	noData := hs.alg == win32.CALG_SSL3_SHAMD5
	noData = sim.FaultBroken("csp.hash.ssl3-shamd5-no-data", noData, false)
	if noData {
		return c.ret(t, call, sim.NTE_BAD_ALGID.Code())
	}
	hs.hashed += uint64(len(data))
	return c.ret(t, call, codeSuccess)
}

// CryptDestroyHash closes a hash handle.
func (c *CSP) CryptDestroyHash(t *sim.Thread, hHash sim.Handle) sim.Code {
	kernel.Enter(c.m, t)
	defer kernel.Unlock(c.m)
	call := func() string { return fmt.Sprintf("CryptDestroyHash(%s)", hHash) }
	hs, _, st := sim.Resolve[*cryptHash](kernel.Handles(t), hHash)
	if st != sim.HandleValid {
		return c.ret(t, call, codeInvalidParam)
	}
	c.removeObject(t, hs.ctx, hHash)
	return c.ret(t, call, codeSuccess)
}
