package conformance

import (
	"maps"
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The CryptoAPI oracle's statements of each call: what it returns, from
// the state and the action alone (see cspStep).

// acquire states CryptAcquireContext: the checks in the catalog's order
// (phProv, the type's range, the type's default provider or the named
// provider, the type match), then the flag dispatch. A new context's
// handle is bound to a.As (out new); after CRYPT_DELETEKEYSET the handle
// is set to 0 (out NULL).
func (e *cspEdit) acquire(a Action) (sim.Code, outHandle) {
	p, code, ok := e.acquireProvider(a)
	if !ok {
		return code, outUnchecked
	}
	cont, code := e.acquireContainer(a, p)
	if code != cOK {
		return code, outUnchecked
	}
	if cont < 0 {
		// CRYPT_DELETEKEYSET: *phProv is set to 0.
		e.assert("csp.acquire.delete-zeroes-handle")
		return cOK, outNull
	}
	c := e.cont(cont)
	c.open++
	ctx := oCtx{prov: p, cont: cont, refs: 1}
	if e.set.copyPerContext && c.key != "" {
		ctx.pairs = maps.Clone(c.pairs)
	}
	e.bind(cspHandle{name: a.As, kind: hCryptProv, ctx: e.newCtx(ctx)})
	return cOK, outNew
}

// acquireProvider states CryptAcquireContext's argument checks, in the
// catalog's order: phProv NULL (csp.acquire.null-out, after the type:
// null-out-after-type), the type's range (csp.acquire.bad-prov-type), the
// type's default provider (prov-type-not-def) or the named provider
// (keyset-not-def, with error-order where both are wrong), the type match
// (prov-type-no-match). It returns the provider, or the code and false.
func (e *cspEdit) acquireProvider(a Action) (oProv, sim.Code, bool) {
	args := argsOf[cspArgs](a)
	badType := args.provType < 1 || args.provType > 999
	if args.nullOut {
		if badType {
			// The type is checked first (rsaenh.c:3213).
			e.assert("csp.acquire.null-out-after-type", "csp.acquire.bad-prov-type")
			return oProv{}, sim.NTE_BAD_PROV_TYPE.Code(), false
		}
		e.assert("csp.acquire.null-out")
		return oProv{}, cInvalidParam, false
	}
	unknownName := args.provider != nil && *args.provider != "" && oProviders[strings.ToLower(*args.provider)].name == ""
	if badType {
		e.assert("csp.acquire.bad-prov-type")
		if unknownName {
			e.assert("csp.acquire.error-order")
		}
		return oProv{}, sim.NTE_BAD_PROV_TYPE.Code(), false
	}
	if args.provider == nil || *args.provider == "" {
		if args.provider != nil {
			e.assert("csp.acquire.empty-provider")
		}
		d, ok := oDefaults[args.provType]
		if !ok {
			e.assert("csp.acquire.prov-type-not-def")
			return oProv{}, sim.NTE_PROV_TYPE_NOT_DEF.Code(), false
		}
		return oProviders[strings.ToLower(d)], cOK, true
	}
	if unknownName {
		e.assert("csp.acquire.keyset-not-def")
		if _, hasDefault := oDefaults[args.provType]; !hasDefault {
			e.assert("csp.acquire.error-order")
		}
		return oProv{}, sim.NTE_KEYSET_NOT_DEF.Code(), false
	}
	p := oProviders[strings.ToLower(*args.provider)]
	if p.typ != args.provType {
		e.assert("csp.acquire.prov-type-no-match")
		return oProv{}, sim.NTE_PROV_TYPE_NO_MATCH.Code(), false
	}
	return p, cOK, true
}

// acquireTarget is the container CryptAcquireContext names: its name (the
// user's for a NULL or empty one), its store and its key in the oracle.
type acquireTarget struct {
	name           string
	named, machine bool
	key            string
}

// acquireContainer states the flag dispatch of CryptAcquireContext: open
// or CRYPT_DELETEKEYSET an existing container, CRYPT_NEWKEYSET a new one
// (csp.acquire.newkeyset-exists), CRYPT_VERIFYCONTEXT an unnamed one
// (csp.acquire.verify-context), any other combination fails
// (csp.acquire.bad-flag-combination). It returns the container the new
// context opens (-1 after CRYPT_DELETEKEYSET, or on failure) and the
// code.
func (e *cspEdit) acquireContainer(a Action, p oProv) (int, sim.Code) {
	args := argsOf[cspArgs](a)
	t := acquireTarget{name: win32.ModelUserName, named: args.container != nil && *args.container != "", machine: args.flags&win32.CRYPT_MACHINE_KEYSET != 0}
	if t.named {
		t.name = *args.container
	}
	t.key = contKey(t.name, t.machine)
	existing, exists := e.store[t.key]
	if _, other := e.store[contKey(t.name, !t.machine)]; !exists && other {
		e.assert("csp.acquire.machine-keyset")
	}
	switch dispatch := args.flags & (win32.CRYPT_NEWKEYSET | win32.CRYPT_DELETEKEYSET | win32.CRYPT_VERIFYCONTEXT); dispatch {
	case 0, win32.CRYPT_DELETEKEYSET:
		if !exists {
			existing = -1
		}
		return e.acquireExisting(t, existing, p, dispatch == win32.CRYPT_DELETEKEYSET)
	case win32.CRYPT_NEWKEYSET:
		if exists {
			e.assert("csp.acquire.newkeyset-exists")
			return -1, sim.NTE_EXISTS.Code()
		}
		cont := e.newCont(oCont{creator: p.name, pairs: map[uint32]bool{}, key: t.key})
		e.setStore(t.key, cont)
		e.setGone(t.key, false)
		e.assert("csp.acquire.success-last-error")
		return cont, cOK
	case win32.CRYPT_VERIFYCONTEXT, win32.CRYPT_VERIFYCONTEXT | win32.CRYPT_NEWKEYSET:
		e.assert("csp.acquire.verify-context")
		if t.named {
			return -1, sim.NTE_BAD_FLAGS.Code()
		}
		e.assert("csp.acquire.success-last-error")
		return e.newCont(oCont{pairs: map[uint32]bool{}}), cOK
	default:
		e.assert("csp.acquire.bad-flag-combination")
		return -1, sim.NTE_BAD_FLAGS.Code()
	}
}

// acquireExisting states opening (or, with del, deleting) an existing
// container (-1 for none): an absent one fails (csp.acquire.open-absent;
// a deleted one stays deleted:
// csp.release.deleted-container-stays-deleted); any provider of the type
// sees it (csp.acquire.shared-store); deleting one a context still has
// open is allowed (csp.acquire.delete-while-open).
func (e *cspEdit) acquireExisting(t acquireTarget, existing int, p oProv, del bool) (int, sim.Code) {
	if existing < 0 {
		if !del {
			e.assert("csp.acquire.open-absent")
			if e.gone[t.key] {
				e.assert("csp.release.deleted-container-stays-deleted")
			}
		}
		return -1, sim.NTE_BAD_KEYSET.Code()
	}
	c := e.conts[existing]
	if c.freed && !del {
		e.assert("csp.release.container-survives")
	}
	if !t.named {
		e.assert("csp.acquire.default-container")
	}
	if !strings.EqualFold(c.creator, p.name) {
		e.assert("csp.acquire.shared-store")
	}
	if t.machine {
		e.assert("csp.acquire.machine-keyset")
	}
	e.assert("csp.acquire.success-last-error")
	if del {
		if c.open > 0 {
			e.assert("csp.acquire.delete-while-open")
		}
		e.setStore(t.key, -1)
		e.cont(existing).deleted = true
		return -1, cOK
	}
	return existing, cOK
}

// addRef states CryptContextAddRef.
func (e *cspEdit) addRef(a Action) sim.Code {
	args := argsOf[cspArgs](a)
	ctx, ok := e.liveCtx(a.H)
	if !ok {
		e.assert("csp.addref.invalid-handle")
		e.staleObj(a.H)
		return cInvalidParam
	}
	if args.reserved || args.flags != 0 {
		if e.set.addRefChecked {
			e.assert("csp.addref.reserved-flags")
			return cInvalidParam
		}
		e.assert("csp.addref.reserved-flags-wine")
	}
	e.ctx(ctx).refs++
	return cOK
}

// writeBack states what the final release of a context does to its
// container. A context with its own copy of the key pairs
// (csp.container.copy-per-context) stores them: into its container, which
// is stored again if CRYPT_DELETEKEYSET removed it meanwhile, or into a
// container made under the same name since. Otherwise a deleted container
// stays deleted.
func (e *cspEdit) writeBack(ctx int) {
	x := e.ctxs[ctx]
	c := e.conts[x.cont]
	if c.key == "" {
		return
	}
	if x.pairs == nil {
		if c.deleted {
			e.setGone(c.key, true)
		}
		return
	}
	target := x.cont
	if c.deleted {
		if now, ok := e.store[c.key]; ok {
			target = now
		} else {
			e.setStore(c.key, x.cont)
			e.cont(x.cont).deleted = false
			e.setGone(c.key, false)
		}
		e.assert("csp.release.restores-deleted-container-wine")
	}
	t := e.cont(target)
	pairs := maps.Clone(t.pairs)
	if pairs == nil {
		pairs = map[uint32]bool{}
	}
	for spec := range x.pairs {
		pairs[spec] = true
	}
	t.pairs = pairs
}

// release states CryptReleaseContext: the handle first, then one
// reference consumed whatever the flags; the last frees the context with
// its keys and hashes (a contract violation when some are alive), never its
// container.
func (e *cspEdit) release(a Action) (sim.Code, []string) {
	args := argsOf[cspArgs](a)
	ctx, ok := e.liveCtx(a.H)
	if !ok {
		e.assert("csp.release.invalid-handle")
		if args.flags != 0 {
			e.assert("csp.release.handle-before-flags")
		}
		e.staleObj(a.H)
		return cInvalidParam, nil
	}
	x := e.ctx(ctx)
	x.refs--
	x.released = true
	refs := x.refs
	var viol []string
	if refs == 0 {
		objects := x.objects
		x.objects = nil
		x.freed = true
		if len(objects) > 0 {
			e.assert(ruleReleaseWithObjects)
			viol = []string{ruleReleaseWithObjects}
		}
		for _, o := range objects {
			e.handleAt(o).closed = true
		}
		c := e.cont(e.ctxs[ctx].cont)
		c.open--
		c.freed = true
		e.writeBack(ctx)
		h, _ := e.handle(a.H)
		e.handleAt(h).closed = true
	} else {
		e.assert("csp.addref.count")
	}
	switch {
	case args.flags == 0:
		return cOK, viol
	case refs == 0:
		e.assert("csp.release.bad-flags-consumes")
		return sim.NTE_BAD_FLAGS.Code(), viol
	case e.set.releaseFlagsFail:
		e.assert("csp.release.bad-flags-while-referenced")
		return sim.NTE_BAD_FLAGS.Code(), viol
	}
	e.assert("csp.release.bad-flags-while-referenced-wine")
	return cOK, viol
}

// key states CryptGenKey and CryptGetUserKey: the context and the output
// pointer, then for CryptGenKey the key length and the algorithm's class
// (a key pair is then in the context's view), for CryptGetUserKey whether
// the context sees a pair of that spec. The key handed out is bound to
// a.As.
func (e *cspEdit) key(a Action) (sim.Code, outHandle) {
	args := argsOf[cspArgs](a)
	ctx, ok := e.liveCtx(a.H)
	var want sim.Code
	switch {
	case !ok || args.nullOut:
		e.staleObj(a.H)
		return cInvalidParam, outUnchecked
	case a.Op == OpGenKey:
		want = e.genKey(ctx, a)
	default:
		e.assert("csp.key.user-key")
		x, cont := e.ctxs[ctx], e.conts[e.ctxs[ctx].cont]
		spec := uint32(args.alg)
		switch {
		case x.pairs != nil && x.pairs[spec] != cont.pairs[spec]:
			e.assert("csp.key.pairs-per-context-wine")
		case x.pairs == nil && cont.open > 1 && cont.pairs[spec]:
			e.assert("csp.key.pairs-shared")
		}
		want = cOK
		if !e.view(ctx)[spec] {
			want = sim.NTE_NO_KEY.Code()
		}
	}
	if want != cOK {
		return want, outUnchecked
	}
	e.survivor(ctx)
	e.bind(cspHandle{name: a.As, kind: hCryptKey, ctx: ctx, alg: args.alg})
	return cOK, outNew
}

// genKey states CryptGenKey on a live context: the key length, then the
// algorithm's class; a key pair joins the context's view.
func (e *cspEdit) genKey(ctx int, a Action) sim.Code {
	args := argsOf[cspArgs](a)
	p := e.ctxs[ctx].prov
	code, badLength, baseLimit := oKeyLength(p, args.alg, args.flags)
	if badLength && (p.algs[args.alg] == algIsSession || p.algs[args.alg] == algIsPair) {
		e.assert("csp.key.length")
		if baseLimit {
			e.assert("csp.key.length-base")
		}
		return code
	}
	switch p.algs[args.alg] {
	case algIsSession:
		return cOK
	case algIsPair:
		spec := uint32(args.alg)
		switch args.alg {
		case win32.CALG_RSA_KEYX:
			spec = win32.AT_KEYEXCHANGE
		case win32.CALG_RSA_SIGN:
			spec = win32.AT_SIGNATURE
		}
		e.addPair(ctx, spec)
		return cOK
	}
	e.assert("csp.alg.unsupported")
	return sim.NTE_BAD_ALGID.Code()
}

// createHash states CryptCreateHash: the context and the output pointer,
// the key, then flags and the algorithm in the profile's order, then what
// a keyed hash needs. The hash handed out is bound to a.As.
func (e *cspEdit) createHash(a Action) (sim.Code, outHandle) {
	args := argsOf[cspArgs](a)
	ctx, ok := e.liveCtx(a.H)
	key, keyOK := e.liveObj(args.hashKey, hCryptKey)
	switch {
	case !ok || args.nullOut:
		e.staleObj(a.H)
		return cInvalidParam, outUnchecked
	case args.hashKey != RefNULL && !keyOK:
		e.staleObj(args.hashKey)
		return cInvalidParam, outUnchecked
	}
	p := e.ctxs[ctx].prov
	switch {
	case args.flags != 0 && e.set.hashFlagsFirst:
		e.assert("csp.hash.bad-flags")
		if !e.hashable(p, args.alg) {
			e.assert("csp.hash.flags-first-wine")
		}
		return sim.NTE_BAD_FLAGS.Code(), outUnchecked
	case !e.hashable(p, args.alg):
		switch {
		case p.algs[args.alg] == algAbsent:
			e.assert("csp.alg.unsupported")
		case e.set.hashClass:
			e.assert("csp.hash.not-a-hash")
		default:
			// AT_KEYEXCHANGE or AT_SIGNATURE: key specs, not in the
			// provider's algorithm list.
			e.assert("csp.hash.not-a-hash-wine")
		}
		if args.flags != 0 {
			e.assert("csp.hash.alg-before-flags")
		}
		return sim.NTE_BAD_ALGID.Code(), outUnchecked
	case args.flags != 0:
		e.assert("csp.hash.bad-flags")
		return sim.NTE_BAD_FLAGS.Code(), outUnchecked
	case p.algs[args.alg] == algIsKeyed && args.hashKey == RefNULL:
		e.assert("csp.hash.keyed-needs-key")
		return sim.NTE_BAD_KEY.Code(), outUnchecked
	case args.alg == win32.CALG_MAC && !oBlockCipher(e.hs[key].alg):
		e.assert("csp.hash.mac-block-cipher")
		return sim.NTE_BAD_KEY.Code(), outUnchecked
	}
	switch p.algs[args.alg] {
	case algIsHash:
	case algIsKeyed:
		e.assert("csp.hash.keyed")
	default:
		e.assert("csp.hash.not-a-hash-wine")
	}
	e.survivor(ctx)
	e.bind(cspHandle{name: a.As, kind: hCryptHash, ctx: ctx, alg: args.alg})
	return cOK, outNew
}

// hashData states CryptHashData: the hash handle, the flags, then the
// hash's algorithm (an SSL3 SHAMD5 hash takes no data).
func (e *cspEdit) hashData(a Action) sim.Code {
	args := argsOf[cspArgs](a)
	h, ok := e.liveObj(a.H, hCryptHash)
	switch {
	case !ok:
		e.staleObj(a.H)
		return cInvalidParam
	case args.flags&^win32.CRYPT_USERDATA != 0:
		e.assert("csp.hash.bad-flags")
		return sim.NTE_BAD_FLAGS.Code()
	case e.hs[h].alg == win32.CALG_SSL3_SHAMD5:
		e.assert("csp.hash.ssl3-shamd5-no-data")
		return sim.NTE_BAD_ALGID.Code()
	}
	if alg := e.hs[h].alg; alg == win32.CALG_MAC || alg == win32.CALG_HMAC {
		e.assert("csp.hash.keyed")
	}
	e.survivor(e.hs[h].ctx)
	return cOK
}

// destroy states CryptDestroyKey and CryptDestroyHash: a live handle of
// the kind is destroyed and leaves its context's objects.
func (e *cspEdit) destroy(a Action) sim.Code {
	k := hCryptKey
	if a.Op == OpDestroyHash {
		k = hCryptHash
	}
	h, ok := e.liveObj(a.H, k)
	if !ok {
		e.assert("csp.key.destroyed")
		e.staleObj(a.H)
		return cInvalidParam
	}
	ctx := e.hs[h].ctx
	e.survivor(ctx)
	e.handleAt(h).closed = true
	x := e.ctx(ctx)
	x.objects = slices.DeleteFunc(slices.Clone(x.objects), func(o int) bool { return o == h })
	return cOK
}
