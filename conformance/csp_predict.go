package conformance

import (
	"maps"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The CryptoAPI oracle's predictions: what each call returns, worked out
// before the call is made.

// predictAcquire states CryptAcquireContext: the checks in the catalog's
// order (phProv, the type's range, the type's default provider or the
// named provider, the type match), then the flag dispatch. It returns the
// code and, for a new context, its record (nil after CRYPT_DELETEKEYSET).
func (w *World) predictAcquire(a Action) (sim.Code, *oCtx) {
	p, code, ok := w.acquireProvider(a)
	if !ok {
		return code, nil
	}
	cont, code := w.acquireContainer(a, p)
	if cont == nil {
		return code, nil
	}
	cont.open++
	ctx := &oCtx{prov: p, cont: cont, refs: 1}
	if w.csp().set.copyPerContext && cont.key != "" {
		ctx.pairs = maps.Clone(cont.pairs)
	}
	return cOK, ctx
}

// acquireProvider states CryptAcquireContext's argument checks, in the
// catalog's order: phProv NULL (csp.acquire.null-out, after the type:
// null-out-after-type), the type's range (csp.acquire.bad-prov-type), the
// type's default provider (prov-type-not-def) or the named provider
// (keyset-not-def, with error-order where both are wrong), the type match
// (prov-type-no-match). It returns the provider, or the code and false.
func (w *World) acquireProvider(a Action) (oProv, sim.Code, bool) {
	badType := a.ProvType < 1 || a.ProvType > 999
	if a.NullOut {
		if badType {
			// The type is checked first (rsaenh.c:3213).
			w.assert("csp.acquire.null-out-after-type", "csp.acquire.bad-prov-type")
			return oProv{}, sim.NTE_BAD_PROV_TYPE.Code(), false
		}
		w.assert("csp.acquire.null-out")
		return oProv{}, cInvalidParam, false
	}
	unknownName := a.Provider != nil && *a.Provider != "" && oProviders[strings.ToLower(*a.Provider)].name == ""
	if badType {
		w.assert("csp.acquire.bad-prov-type")
		if unknownName {
			w.assert("csp.acquire.error-order")
		}
		return oProv{}, sim.NTE_BAD_PROV_TYPE.Code(), false
	}
	if a.Provider == nil || *a.Provider == "" {
		if a.Provider != nil {
			w.assert("csp.acquire.empty-provider")
		}
		d, ok := oDefaults[a.ProvType]
		if !ok {
			w.assert("csp.acquire.prov-type-not-def")
			return oProv{}, sim.NTE_PROV_TYPE_NOT_DEF.Code(), false
		}
		return oProviders[strings.ToLower(d)], cOK, true
	}
	if unknownName {
		w.assert("csp.acquire.keyset-not-def")
		if _, hasDefault := oDefaults[a.ProvType]; !hasDefault {
			w.assert("csp.acquire.error-order")
		}
		return oProv{}, sim.NTE_KEYSET_NOT_DEF.Code(), false
	}
	p := oProviders[strings.ToLower(*a.Provider)]
	if p.typ != a.ProvType {
		w.assert("csp.acquire.prov-type-no-match")
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
// context opens, or nil and the code (cOK after CRYPT_DELETEKEYSET).
func (w *World) acquireContainer(a Action, p oProv) (*oCont, sim.Code) {
	cs := w.csp()
	t := acquireTarget{name: win32.ModelUserName, named: a.Container != nil && *a.Container != "", machine: a.Flags&win32.CRYPT_MACHINE_KEYSET != 0}
	if t.named {
		t.name = *a.Container
	}
	t.key = contKey(t.name, t.machine)
	existing := cs.containers[t.key]
	if existing == nil && cs.containers[contKey(t.name, !t.machine)] != nil {
		w.assert("csp.acquire.machine-keyset")
	}
	switch dispatch := a.Flags & (win32.CRYPT_NEWKEYSET | win32.CRYPT_DELETEKEYSET | win32.CRYPT_VERIFYCONTEXT); dispatch {
	case 0, win32.CRYPT_DELETEKEYSET:
		return w.acquireExisting(t, existing, p, dispatch == win32.CRYPT_DELETEKEYSET)
	case win32.CRYPT_NEWKEYSET:
		if existing != nil {
			w.assert("csp.acquire.newkeyset-exists")
			return nil, sim.NTE_EXISTS.Code()
		}
		cont := &oCont{creator: p.name, pairs: map[uint32]bool{}, key: t.key}
		cs.containers[t.key] = cont
		delete(cs.gone, t.key)
		w.assert("csp.acquire.success-last-error")
		return cont, cOK
	case win32.CRYPT_VERIFYCONTEXT, win32.CRYPT_VERIFYCONTEXT | win32.CRYPT_NEWKEYSET:
		w.assert("csp.acquire.verify-context")
		if t.named {
			return nil, sim.NTE_BAD_FLAGS.Code()
		}
		w.assert("csp.acquire.success-last-error")
		return &oCont{pairs: map[uint32]bool{}}, cOK
	default:
		w.assert("csp.acquire.bad-flag-combination")
		return nil, sim.NTE_BAD_FLAGS.Code()
	}
}

// acquireExisting states opening (or, with del, deleting) an existing
// container: an absent one fails (csp.acquire.open-absent; a deleted one
// stays deleted: csp.release.deleted-container-stays-deleted); any
// provider of the type sees it (csp.acquire.shared-store); deleting one a
// context still has open is allowed (csp.acquire.delete-while-open).
func (w *World) acquireExisting(t acquireTarget, existing *oCont, p oProv, del bool) (*oCont, sim.Code) {
	cs := w.csp()
	if existing == nil {
		if !del {
			w.assert("csp.acquire.open-absent")
			if cs.gone[t.key] {
				w.assert("csp.release.deleted-container-stays-deleted")
			}
		}
		return nil, sim.NTE_BAD_KEYSET.Code()
	}
	if existing.freed && !del {
		w.assert("csp.release.container-survives")
	}
	if !t.named {
		w.assert("csp.acquire.default-container")
	}
	if !strings.EqualFold(existing.creator, p.name) {
		w.assert("csp.acquire.shared-store")
	}
	if t.machine {
		w.assert("csp.acquire.machine-keyset")
	}
	w.assert("csp.acquire.success-last-error")
	if del {
		if existing.open > 0 {
			w.assert("csp.acquire.delete-while-open")
		}
		delete(cs.containers, t.key)
		existing.deleted = true
		return nil, cOK
	}
	return existing, cOK
}

// predictAddRef states CryptContextAddRef.
func (w *World) predictAddRef(a Action) sim.Code {
	ctx := w.liveCtx(a.H)
	if ctx == nil {
		w.assert("csp.addref.invalid-handle")
		w.staleObj(a.H)
		return cInvalidParam
	}
	if a.Reserved || a.Flags != 0 {
		if w.csp().set.addRefChecked {
			w.assert("csp.addref.reserved-flags")
			return cInvalidParam
		}
		w.assert("csp.addref.reserved-flags-wine")
	}
	ctx.refs++
	return cOK
}

// writeBack states what the final release of a context does to its
// container. A context with its own copy of the key pairs
// (csp.container.copy-per-context) stores them: into its container, which
// is stored again if CRYPT_DELETEKEYSET removed it meanwhile, or into a
// container made under the same name since. Otherwise a deleted container
// stays deleted.
func (w *World) writeBack(ctx *oCtx) {
	cs, c := w.csp(), ctx.cont
	if c.key == "" {
		return
	}
	if ctx.pairs == nil {
		if c.deleted {
			cs.gone[c.key] = true
		}
		return
	}
	target := c
	if c.deleted {
		if now := cs.containers[c.key]; now != nil {
			target = now
		} else {
			cs.containers[c.key] = c
			c.deleted = false
			delete(cs.gone, c.key)
		}
		w.assert("csp.release.restores-deleted-container-wine")
	}
	for spec := range ctx.pairs {
		target.pairs[spec] = true
	}
}

// predictRelease states CryptReleaseContext: the handle first, then one
// reference consumed whatever the flags; the last frees the context with
// its keys and hashes (a contract violation when some are alive), never its
// container.
func (w *World) predictRelease(a Action) (sim.Code, []string) {
	ctx := w.liveCtx(a.H)
	if ctx == nil {
		w.assert("csp.release.invalid-handle")
		if a.Flags != 0 {
			w.assert("csp.release.handle-before-flags")
		}
		w.staleObj(a.H)
		return cInvalidParam, nil
	}
	ctx.refs--
	ctx.released = true
	var viol []string
	if ctx.refs == 0 {
		if len(ctx.objects) > 0 {
			w.assert(ruleReleaseWithObjects)
			viol = []string{ruleReleaseWithObjects}
		}
		for _, o := range ctx.objects {
			o.closed = true
		}
		ctx.objects = nil
		ctx.freed = true
		ctx.cont.open--
		ctx.cont.freed = true
		w.writeBack(ctx)
		w.handle(a.H).closed = true
	} else {
		w.assert("csp.addref.count")
	}
	switch {
	case a.Flags == 0:
		return cOK, viol
	case ctx.refs == 0:
		w.assert("csp.release.bad-flags-consumes")
		return sim.NTE_BAD_FLAGS.Code(), viol
	case w.csp().set.releaseFlagsFail:
		w.assert("csp.release.bad-flags-while-referenced")
		return sim.NTE_BAD_FLAGS.Code(), viol
	}
	w.assert("csp.release.bad-flags-while-referenced-wine")
	return cOK, viol
}

// predictKey states CryptGenKey and CryptGetUserKey: the context and the
// output pointer, then for CryptGenKey the key length and the algorithm's
// class (a key pair is then in the context's view), for CryptGetUserKey
// whether the context sees a pair of that spec. bind is the context of the
// key handed out, or nil.
func (w *World) predictKey(a Action) (want sim.Code, bind *oCtx) {
	ctx := w.liveCtx(a.H)
	switch {
	case ctx == nil || a.NullOut:
		w.staleObj(a.H)
		want = cInvalidParam
	case a.Op == OpGenKey:
		code, badLength, baseLimit := oKeyLength(ctx.prov, a.Alg, a.Flags)
		if badLength && (ctx.prov.algs[a.Alg] == algIsSession || ctx.prov.algs[a.Alg] == algIsPair) {
			w.assert("csp.key.length")
			if baseLimit {
				w.assert("csp.key.length-base")
			}
			want = code
			break
		}
		switch ctx.prov.algs[a.Alg] {
		case algIsSession:
			want = cOK
		case algIsPair:
			want = cOK
			spec := a.Alg
			switch a.Alg {
			case win32.CALG_RSA_KEYX:
				spec = win32.AT_KEYEXCHANGE
			case win32.CALG_RSA_SIGN:
				spec = win32.AT_SIGNATURE
			}
			ctx.view()[spec] = true
		default:
			w.assert("csp.alg.unsupported")
			want = sim.NTE_BAD_ALGID.Code()
		}
	default:
		w.assert("csp.key.user-key")
		switch {
		case ctx.pairs != nil && ctx.pairs[a.Alg] != ctx.cont.pairs[a.Alg]:
			w.assert("csp.key.pairs-per-context-wine")
		case ctx.pairs == nil && ctx.cont.open > 1 && ctx.cont.pairs[a.Alg]:
			w.assert("csp.key.pairs-shared")
		}
		if !ctx.view()[a.Alg] {
			want = sim.NTE_NO_KEY.Code()
		} else {
			want = cOK
		}
	}
	if want == cOK {
		bind = ctx
		w.survivor(ctx)
	}
	return want, bind
}

// predictCreateHash states CryptCreateHash: the context and the output
// pointer, the key, then flags and the algorithm in the profile's order,
// then what a keyed hash needs. bind is the context of the hash handed out,
// or nil.
func (w *World) predictCreateHash(a Action) (want sim.Code, bind *oCtx) {
	ctx := w.liveCtx(a.H)
	switch {
	case ctx == nil || a.NullOut:
		w.staleObj(a.H)
		want = cInvalidParam
	case a.Key != RefNULL && w.liveObj(a.Key, hCryptKey) == nil:
		w.staleObj(a.Key)
		want = cInvalidParam
	case a.Flags != 0 && w.csp().set.hashFlagsFirst:
		w.assert("csp.hash.bad-flags")
		if !w.hashable(ctx.prov, a.Alg) {
			w.assert("csp.hash.flags-first-wine")
		}
		want = sim.NTE_BAD_FLAGS.Code()
	case !w.hashable(ctx.prov, a.Alg):
		switch {
		case ctx.prov.algs[a.Alg] == algAbsent:
			w.assert("csp.alg.unsupported")
		case w.csp().set.hashClass:
			w.assert("csp.hash.not-a-hash")
		default:
			// AT_KEYEXCHANGE or AT_SIGNATURE: key specs, not in the
			// provider's algorithm list.
			w.assert("csp.hash.not-a-hash-wine")
		}
		if a.Flags != 0 {
			w.assert("csp.hash.alg-before-flags")
		}
		want = sim.NTE_BAD_ALGID.Code()
	case a.Flags != 0:
		w.assert("csp.hash.bad-flags")
		want = sim.NTE_BAD_FLAGS.Code()
	case ctx.prov.algs[a.Alg] == algIsKeyed && a.Key == RefNULL:
		w.assert("csp.hash.keyed-needs-key")
		want = sim.NTE_BAD_KEY.Code()
	case a.Alg == win32.CALG_MAC && !oBlockCipher(w.liveObj(a.Key, hCryptKey).alg):
		w.assert("csp.hash.mac-block-cipher")
		want = sim.NTE_BAD_KEY.Code()
	default:
		switch ctx.prov.algs[a.Alg] {
		case algIsHash:
		case algIsKeyed:
			w.assert("csp.hash.keyed")
		default:
			w.assert("csp.hash.not-a-hash-wine")
		}
		want = cOK
		bind = ctx
		w.survivor(ctx)
	}
	return want, bind
}

// predictHashData states CryptHashData: the hash handle, the flags, then
// the hash's algorithm (an SSL3 SHAMD5 hash takes no data).
func (w *World) predictHashData(a Action) (want sim.Code) {
	h := w.liveObj(a.H, hCryptHash)
	switch {
	case h == nil:
		w.staleObj(a.H)
		want = cInvalidParam
	case a.Flags&^win32.CRYPT_USERDATA != 0:
		w.assert("csp.hash.bad-flags")
		want = sim.NTE_BAD_FLAGS.Code()
	case h.alg == win32.CALG_SSL3_SHAMD5:
		w.assert("csp.hash.ssl3-shamd5-no-data")
		want = sim.NTE_BAD_ALGID.Code()
	default:
		if h.alg == win32.CALG_MAC || h.alg == win32.CALG_HMAC {
			w.assert("csp.hash.keyed")
		}
		want = cOK
		w.survivor(h.ctx)
	}
	return want
}

// survivor asserts that objects of a context with released references keep
// working while it keeps one.
func (w *World) survivor(ctx *oCtx) {
	if ctx.released {
		w.assert("csp.objects.survive-partial-release", "csp.addref.count")
	}
}
