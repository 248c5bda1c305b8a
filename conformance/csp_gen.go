package conformance

import (
	"github.com/winsim/winsim/win32"
)

// cspContainers are the container names generated acquires use: few, so
// that calls meet the same containers again; nil and "" are the user's
// default container.
var cspContainers = []*string{strp("alpha"), strp("alpha"), strp("beta"), strp(win32.ModelUserName), nil, strp("")}

// CSPGenerators returns the generators of the CryptoAPI actions: acquire
// with every flag combination of the dispatch, with and without
// CRYPT_MACHINE_KEYSET and CRYPT_SILENT, over good and bad provider types
// and names; add-ref and release with and without flags; keys and hashes
// on live, released, NULL and never-issued handles, keys with lengths in
// and out of the providers' ranges (on the Base provider mostly lengths
// only the other providers take), CALG_SSL3_SHAMD5 hashes, and the keyed
// hashes CALG_MAC and CALG_HMAC, mostly with a key.
func CSPGenerators() []Generator {
	provs := []*string{nil, nil, nil, strp(""), strp(win32.MS_DEF_PROV), strp(win32.MS_STRONG_PROV), strp(win32.MS_ENHANCED_PROV),
		strp(win32.MS_ENH_RSA_AES_PROV), strp("Nonexistent Cryptographic Provider")}
	algs := []win32.ALG_ID{win32.CALG_MD5, win32.CALG_SHA1, win32.CALG_SHA_256, win32.CALG_SSL3_SHAMD5, win32.CALG_MAC, win32.CALG_HMAC,
		win32.CALG_RC2, win32.CALG_RC4, win32.CALG_3DES, win32.CALG_AES_128,
		win32.AT_KEYEXCHANGE, win32.AT_SIGNATURE, win32.CALG_RSA_KEYX, win32.CALG_RSA_SIGN, 0x1234}
	// baseAlgs and baseLengths: the algorithms whose key lengths the Base
	// provider limits more than the others, and lengths only the others
	// take (csp.key.length-base).
	baseAlgs := []win32.ALG_ID{win32.CALG_RC2, win32.CALG_RC4, win32.AT_KEYEXCHANGE, win32.CALG_RSA_KEYX}
	baseLengths := []uint32{64 << 16, 128 << 16, 2048 << 16, 56 << 16, 1024 << 16}
	flagSet := []uint32{0, 0, 0, 1, 0xFFFFFFFF}
	return []Generator{
		{Name: "CryptAcquireContext", Family: "CSP", Weight: 4, Gen: func(w *World, c Chooser) (Action, bool) {
			dispatch := pick(c, "dispatch", uint32(0), 0, win32.CRYPT_NEWKEYSET, win32.CRYPT_NEWKEYSET, win32.CRYPT_VERIFYCONTEXT, win32.CRYPT_VERIFYCONTEXT,
				win32.CRYPT_DELETEKEYSET, win32.CRYPT_VERIFYCONTEXT|win32.CRYPT_NEWKEYSET, win32.CRYPT_NEWKEYSET|win32.CRYPT_DELETEKEYSET,
				win32.CRYPT_VERIFYCONTEXT|win32.CRYPT_DELETEKEYSET, win32.CRYPT_VERIFYCONTEXT|win32.CRYPT_NEWKEYSET|win32.CRYPT_DELETEKEYSET)
			extra := pick(c, "extra", uint32(0), 0, 0, win32.CRYPT_MACHINE_KEYSET, win32.CRYPT_SILENT)
			a := Action{Op: OpAcquire, Thread: pickThread(c), As: w.newVar("prov")}
			args := cspArgs{container: pick(c, "container", cspContainers...), provider: pick(c, "provider", provs...),
				provType: pick(c, "type", win32.PROV_RSA_FULL, win32.PROV_RSA_FULL, win32.PROV_RSA_FULL, win32.PROV_RSA_AES, 0, 999, 1000),
				flags:    dispatch | extra}
			args.nullOut = c.Intn(20, "null-out") == 0
			a.Args = args
			return a, true
		}},
		{Name: "CryptContextAddRef", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			a, args := Action{Op: OpAddRef, Thread: pickThread(c), H: w.pickCSP(c, hCryptProv)}, cspArgs{}
			switch c.Intn(8, "odd") {
			case 0:
				args.reserved = true
			case 1:
				args.flags = 1
			}
			a.Args = args
			return a, true
		}},
		{Name: "CryptReleaseContext", Family: "CSP", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpRelease, Thread: pickThread(c), H: w.pickCSP(c, hCryptProv), Args: cspArgs{flags: pick(c, "flags", flagSet...)}}, true
		}},
		{Name: "CryptGenKey", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpGenKey, Thread: pickThread(c), As: w.newVar("key"), H: w.pickCSP(c, hCryptProv)}
			args := cspArgs{nullOut: c.Intn(20, "null-out") == 0}
			s := cspSlot.of(w)
			if ctx, ok := s.liveCtx(a.H); ok && s.ctxs[ctx].prov.name == win32.MS_DEF_PROV && c.Intn(3, "base-lengths") != 0 {
				args.alg, args.flags = pick(c, "base-alg", baseAlgs...), pick(c, "base-length", baseLengths...)
			} else {
				args.alg = pick(c, "alg", algs...)
				args.flags = pick(c, "flags", uint32(0), win32.CRYPT_EXPORTABLE, 56<<16, 128<<16, 136<<16, 2048<<16)
			}
			a.Args = args
			return a, true
		}},
		{Name: "CryptGetUserKey", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpGetUserKey, Thread: pickThread(c), As: w.newVar("key"), H: w.pickCSP(c, hCryptProv),
				Args: cspArgs{alg: pick[win32.ALG_ID](c, "spec", win32.AT_KEYEXCHANGE, win32.AT_SIGNATURE), nullOut: c.Intn(20, "null-out") == 0}}, true
		}},
		{Name: "CryptDestroyKey", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpDestroyKey, Thread: pickThread(c), H: w.pickCSP(c, hCryptKey)}, true
		}},
		{Name: "CryptCreateHash", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Op: OpCreateHash, Thread: pickThread(c), As: w.newVar("hash"), H: w.pickCSP(c, hCryptProv)}
			args := cspArgs{alg: pick(c, "alg", algs...), hashKey: RefNULL, nullOut: c.Intn(20, "null-out") == 0}
			withKey := c.Intn(4, "keyed") == 0
			if args.alg == win32.CALG_MAC || args.alg == win32.CALG_HMAC {
				withKey = c.Intn(4, "keyed-hash-key") != 0
			}
			if withKey {
				args.hashKey = w.pickCSP(c, hCryptKey)
			}
			if c.Intn(8, "flags") == 0 {
				args.flags = 1
			}
			a.Args = args
			return a, true
		}},
		{Name: "CryptHashData", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpHashData, Thread: pickThread(c), H: w.pickCSP(c, hCryptHash),
				Args: cspArgs{data: pick(c, "data", "", "abc"), flags: pick(c, "flags", uint32(0), 0, win32.CRYPT_USERDATA, 2)}}, true
		}},
		{Name: "CryptDestroyHash", Family: "CSP", Weight: 2, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpDestroyHash, Thread: pickThread(c), H: w.pickCSP(c, hCryptHash)}, true
		}},
	}
}
