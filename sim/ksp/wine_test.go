package ksp_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// TestWineKeyStore: the wine-8.0 profile's key store settings
// (ksp.store.kept, ksp.create.rsa-only, ksp.flags.checked,
// ksp.property.names-checked) against the Windows behavior of win8.
func TestWineKeyStore(t *testing.T) {
	rsa := win32.Str(win32.BCRYPT_RSA_ALGORITHM)
	tests := []struct {
		name        string
		call        func(f *kfix) sim.HResult
		win8, wine8 sim.HResult
	}{
		{"open stored key", func(f *kfix) sim.HResult {
			f.stored(t, "k", 0)
			var h sim.Handle
			return f.k.NCryptOpenKey(f.t, f.prov, &h, win32.Str("k"), 0, 0)
		}, 0, sim.NTE_NOT_SUPPORTED},
		{"open absent key", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptOpenKey(f.t, f.prov, &h, win32.Str("absent"), 0, 0)
		}, sim.NTE_BAD_KEYSET, sim.NTE_NOT_SUPPORTED},
		{"open with an invalid handle", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptOpenKey(f.t, 0, &h, win32.Str("k"), 0, 0)
		}, sim.NTE_INVALID_HANDLE, sim.NTE_NOT_SUPPORTED},
		{"delete stored key, then free it", func(f *kfix) sim.HResult {
			h := f.stored(t, "k", 0)
			f.k.NCryptDeleteKey(f.t, h, 0)
			return f.k.NCryptFreeObject(f.t, h)
		}, sim.NTE_INVALID_HANDLE, 0},
		{"delete with bad flags", func(f *kfix) sim.HResult {
			return f.k.NCryptDeleteKey(f.t, f.stored(t, "k", 0), 0x1000)
		}, sim.NTE_BAD_FLAGS, sim.NTE_NOT_SUPPORTED},
		{"create a stored name", func(f *kfix) sim.HResult {
			f.stored(t, "k", 0)
			var h sim.Handle
			return f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, win32.Str("K"), 0, 0)
		}, sim.NTE_EXISTS, 0},
		{"finalize a taken name", func(f *kfix) sim.HResult {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, win32.Str("k"), 0, 0))
			f.stored(t, "k", 0)
			return f.k.NCryptFinalizeKey(f.t, h, 0)
		}, sim.NTE_EXISTS, 0},
		{"create ECDSA_P256", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, win32.Str(win32.BCRYPT_ECDSA_P256_ALGORITHM), nil, 0, 0)
		}, 0, sim.NTE_NOT_SUPPORTED},
		{"open provider with a flag", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptOpenStorageProvider(f.t, &h, nil, win32.NCRYPT_SILENT_FLAG)
		}, sim.NTE_BAD_FLAGS, 0},
		{"finalize with an undefined flag", func(f *kfix) sim.HResult {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, nil, 0, 0))
			return f.k.NCryptFinalizeKey(f.t, h, win32.NCRYPT_MACHINE_KEY_FLAG)
		}, sim.NTE_BAD_FLAGS, 0},
		{"is-alg-supported still checks its flags", func(f *kfix) sim.HResult {
			return f.k.NCryptIsAlgSupported(f.t, f.prov, rsa, 0x14)
		}, sim.NTE_BAD_FLAGS, sim.NTE_BAD_FLAGS},
		{"set the name property", func(f *kfix) sim.HResult {
			return f.k.NCryptSetProperty(f.t, f.stored(t, "k", 0), win32.Str(win32.NCRYPT_NAME_PROPERTY), []byte("x"), win32.NCRYPT_PERSIST_FLAG)
		}, sim.NTE_NOT_SUPPORTED, 0},
		{"set an unknown provider property", func(f *kfix) sim.HResult {
			return f.k.NCryptSetProperty(f.t, f.prov, win32.Str("Custom"), []byte("x"), 0)
		}, sim.NTE_NOT_SUPPORTED, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.win8, tt.call(newKSP(t, "win8")), "win8")
			f := newKSP(t, "wine-8.0")
			assert.Equal(t, tt.wine8, tt.call(f), "wine-8.0")
			assert.Empty(t, f.k.StoredKeys(win32.MS_KEY_STORAGE_PROVIDER, false), "wine-8.0 stores nothing")
		})
	}
}

// TestWineCryptoAPI: the wine-8.0 profile's CryptoAPI settings
// (csp.hash.class-checked, csp.hash.flags-first,
// csp.container.copy-per-context) against the Windows behavior of win8.
func TestWineCryptoAPI(t *testing.T) {
	var (
		ok     = sim.ERROR_SUCCESS.Code()
		badAlg = sim.NTE_BAD_ALGID.Code()
		noKey  = sim.NTE_NO_KEY.Code()
		badKs  = sim.NTE_BAD_KEYSET.Code()
	)
	hash := func(alg win32.ALG_ID, flags uint32) func(f *cfix) sim.Code {
		return func(f *cfix) sim.Code {
			h := f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)
			var out sim.Handle
			return f.c.CryptCreateHash(f.t, h, alg, 0, flags, &out)
		}
	}
	userKey := func(f *cfix, name string) sim.Code {
		h := f.acquire(t, win32.Str(name), 0)
		var k sim.Handle
		return f.c.CryptGetUserKey(f.t, h, win32.AT_SIGNATURE, &k)
	}
	// withPair opens a context on a new container and generates a
	// signature pair through it.
	withPair := func(f *cfix, name string) sim.Handle {
		h := f.acquire(t, win32.Str(name), win32.CRYPT_NEWKEYSET)
		var k sim.Handle
		require.Equal(t, ok, f.c.CryptGenKey(f.t, h, win32.AT_SIGNATURE, 0, &k))
		require.Equal(t, ok, f.c.CryptDestroyKey(f.t, k))
		return h
	}
	tests := []struct {
		name        string
		call        func(f *cfix) sim.Code
		win8, wine8 sim.Code
	}{
		{"hash with a cipher", hash(win32.CALG_RC4, 0), badAlg, ok},
		{"hash with a key-pair algorithm", hash(win32.CALG_RSA_SIGN, 0), badAlg, ok},
		{"hash with AT_KEYEXCHANGE", hash(win32.AT_KEYEXCHANGE, 0), badAlg, badAlg},
		{"hash with AT_SIGNATURE", hash(win32.AT_SIGNATURE, 0), badAlg, badAlg},
		{"hash with an algorithm the provider lacks", hash(win32.CALG_SHA_256, 0), badAlg, badAlg},
		{"hash with an unknown algorithm and flags", hash(0x1234, 1), badAlg, sim.NTE_BAD_FLAGS.Code()},
		{"hash with a hash algorithm and no flags", hash(win32.CALG_SHA1, 0), ok, ok},
		{"a pair made through one context, seen through another opened before", func(f *cfix) sim.Code {
			other := f.acquire(t, win32.Str("c"), win32.CRYPT_NEWKEYSET)
			maker := f.acquire(t, win32.Str("c"), 0)
			var k sim.Handle
			require.Equal(t, ok, f.c.CryptGenKey(f.t, maker, win32.AT_SIGNATURE, 0, &k))
			return f.c.CryptGetUserKey(f.t, other, win32.AT_SIGNATURE, &k)
		}, ok, noKey},
		{"a pair made through a released context, seen by a new one", func(f *cfix) sim.Code {
			require.Equal(t, ok, f.c.CryptReleaseContext(f.t, withPair(f, "c"), 0))
			return userKey(f, "c")
		}, ok, ok},
		{"a container deleted while a context is open on it, after the release", func(f *cfix) sim.Code {
			h := withPair(f, "c")
			var del sim.Handle
			require.Equal(t, ok, f.c.CryptAcquireContext(f.t, &del, win32.Str("c"), nil, win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET))
			require.Equal(t, ok, f.c.CryptReleaseContext(f.t, h, 0))
			var again sim.Handle
			return f.c.CryptAcquireContext(f.t, &again, win32.Str("c"), nil, win32.PROV_RSA_FULL, 0)
		}, badKs, ok},
		{"a container deleted and made again while a context is open on the old one", func(f *cfix) sim.Code {
			h := withPair(f, "c")
			var del sim.Handle
			require.Equal(t, ok, f.c.CryptAcquireContext(f.t, &del, win32.Str("c"), nil, win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET))
			f.acquire(t, win32.Str("c"), win32.CRYPT_NEWKEYSET)
			require.Equal(t, ok, f.c.CryptReleaseContext(f.t, h, 0))
			return userKey(f, "c")
		}, noKey, ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.win8, tt.call(newCSP(t, "win8")), "win8")
			assert.Equal(t, tt.wine8, tt.call(newCSP(t, "wine-8.0")), "wine-8.0")
		})
	}
}
