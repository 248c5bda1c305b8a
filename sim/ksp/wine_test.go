package ksp_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
)

// TestWineKeyStore: the wine-8.0 profile's key store settings
// (ksp.store.kept, ksp.create.rsa-only, ksp.flags.checked,
// ksp.property.names-checked) against the Windows behavior of win8.
func TestWineKeyStore(t *testing.T) {
	rsa := ksp.Str(ksp.BCRYPT_RSA_ALGORITHM)
	tests := []struct {
		name        string
		call        func(f *kfix) sim.HResult
		win8, wine8 sim.HResult
	}{
		{"open stored key", func(f *kfix) sim.HResult {
			f.stored(t, "k", 0)
			var h sim.Handle
			return f.k.NCryptOpenKey(f.t, f.prov, &h, ksp.Str("k"), 0, 0)
		}, 0, sim.NTE_NOT_SUPPORTED},
		{"open absent key", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptOpenKey(f.t, f.prov, &h, ksp.Str("absent"), 0, 0)
		}, sim.NTE_BAD_KEYSET, sim.NTE_NOT_SUPPORTED},
		{"open with an invalid handle", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptOpenKey(f.t, 0, &h, ksp.Str("k"), 0, 0)
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
			return f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, ksp.Str("K"), 0, 0)
		}, sim.NTE_EXISTS, 0},
		{"finalize a taken name", func(f *kfix) sim.HResult {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, ksp.Str("k"), 0, 0))
			f.stored(t, "k", 0)
			return f.k.NCryptFinalizeKey(f.t, h, 0)
		}, sim.NTE_EXISTS, 0},
		{"create ECDSA_P256", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, ksp.Str(ksp.BCRYPT_ECDSA_P256_ALGORITHM), nil, 0, 0)
		}, 0, sim.NTE_NOT_SUPPORTED},
		{"open provider with a flag", func(f *kfix) sim.HResult {
			var h sim.Handle
			return f.k.NCryptOpenStorageProvider(f.t, &h, nil, ksp.NCRYPT_SILENT_FLAG)
		}, sim.NTE_BAD_FLAGS, 0},
		{"finalize with an undefined flag", func(f *kfix) sim.HResult {
			var h sim.Handle
			require.Equal(t, sim.HResult(0), f.k.NCryptCreatePersistedKey(f.t, f.prov, &h, rsa, nil, 0, 0))
			return f.k.NCryptFinalizeKey(f.t, h, ksp.NCRYPT_MACHINE_KEY_FLAG)
		}, sim.NTE_BAD_FLAGS, 0},
		{"is-alg-supported still checks its flags", func(f *kfix) sim.HResult {
			return f.k.NCryptIsAlgSupported(f.t, f.prov, rsa, 0x14)
		}, sim.NTE_BAD_FLAGS, sim.NTE_BAD_FLAGS},
		{"set the name property", func(f *kfix) sim.HResult {
			return f.k.NCryptSetProperty(f.t, f.stored(t, "k", 0), ksp.Str(ksp.NCRYPT_NAME_PROPERTY), []byte("x"), ksp.NCRYPT_PERSIST_FLAG)
		}, sim.NTE_NOT_SUPPORTED, 0},
		{"set an unknown provider property", func(f *kfix) sim.HResult {
			return f.k.NCryptSetProperty(f.t, f.prov, ksp.Str("Custom"), []byte("x"), 0)
		}, sim.NTE_NOT_SUPPORTED, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.win8, tt.call(newKSP(t, "win8")), "win8")
			f := newKSP(t, "wine-8.0")
			assert.Equal(t, tt.wine8, tt.call(f), "wine-8.0")
			assert.Empty(t, f.k.StoredKeys(ksp.MS_KEY_STORAGE_PROVIDER, false), "wine-8.0 stores nothing")
		})
	}
}
