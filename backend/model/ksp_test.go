package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

func TestKeyStorageFamilies(t *testing.T) {
	b, err := model.New("", 1)
	require.NoError(t, err)
	require.NoError(t, b.NewThread("main"))
	assert.True(t, backend.Supports(b, backend.CapKSP))
	assert.True(t, backend.Supports(b, backend.CapCSP))

	var prov, ev, key sim.Handle
	require.Equal(t, sim.HResult(0), b.NCryptOpenStorageProvider("main", &prov, nil, 0))
	require.Equal(t, sim.HResult(0), b.NCryptNotifyChangeKey("main", prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG))
	require.NoError(t, b.Refusal())
	require.Equal(t, sim.HResult(0), b.NCryptCreatePersistedKey("main", prov, &key, win32.Str("RSA"), win32.Str("k"), 0, 0))
	require.Equal(t, sim.HResult(0), b.NCryptFinalizeKey("main", key, 0))
	r, err := b.WaitForSingleObjectEx("main", ev, 0, false)
	require.NoError(t, err)
	assert.Equal(t, sim.WAIT_OBJECT_0, r)
	assert.Equal(t, sim.ERROR_SUCCESS, b.FindNextChangeNotification("main", ev))
	assert.Equal(t, sim.ERROR_SUCCESS, b.FindCloseChangeNotification("main", ev))
	assert.Equal(t, []string{"k"}, b.KSP().StoredKeys(win32.MS_KEY_STORAGE_PROVIDER, false))

	var hp sim.Handle
	require.Equal(t, sim.ERROR_SUCCESS.Code(), b.CryptAcquireContext("main", &hp, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT))
	assert.Equal(t, sim.NTE_BAD_FLAGS.Code(), b.CryptReleaseContext("main", hp, 1))
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), b.CryptReleaseContext("main", hp, 0))
	require.NoError(t, b.RegisterCryptoProvider(win32.CSPConfig{Name: "Contoso CSP", Type: win32.PROV_RSA_FULL}))
	assert.Error(t, b.RegisterKeyStorageProvider(win32.ProviderConfig{Name: win32.MS_KEY_STORAGE_PROVIDER}))
	assert.NotNil(t, b.CSP())
}

// Under Wine 8.0 NCryptNotifyChangeKey aborts the process: the model
// backend declines the call, as a real backend does, and returns the
// declined value.
func TestNotifyUnsupportedUnderWine(t *testing.T) {
	b, err := model.New("wine-8.0", 1)
	require.NoError(t, err)
	require.NoError(t, b.NewThread("main"))
	var prov, ev sim.Handle
	require.Equal(t, sim.HResult(0), b.NCryptOpenStorageProvider("main", &prov, win32.Str("any name at all"), 0))
	hr := b.NCryptNotifyChangeKey("main", prov, &ev, win32.NCRYPT_REGISTER_NOTIFY_FLAG)
	assert.Equal(t, backend.DeclinedHResult, hr, "the declined call claims no code, ERROR_SUCCESS least of all")
	assert.True(t, backend.IsDeclined(hr))
	assert.False(t, hr.Code().Success())
	assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported)
	assert.NoError(t, b.Refusal(), "a refusal is reported once")
	assert.Zero(t, ev, "nothing was written")
}

// The Schannel provider is out of scope (csp.acquire.schannel): the model
// backend declines an acquire for its type or name instead of answering
// with a code Windows does not give.
func TestSchannelAcquireDeclined(t *testing.T) {
	b, err := model.New("win8", 1)
	require.NoError(t, err)
	require.NoError(t, b.NewThread("main"))
	for _, tc := range []struct {
		provider *string
		typ      uint32
	}{{nil, win32.PROV_RSA_SCHANNEL}, {win32.Str(win32.MS_DEF_RSA_SCHANNEL_PROV), win32.PROV_RSA_SCHANNEL}, {win32.Str(win32.MS_DEF_RSA_SCHANNEL_PROV), win32.PROV_RSA_FULL}} {
		var hp sim.Handle
		assert.Equal(t, backend.DeclinedCode, b.CryptAcquireContext("main", &hp, nil, tc.provider, tc.typ, win32.CRYPT_VERIFYCONTEXT))
		assert.ErrorIs(t, b.Refusal(), backend.ErrUnsupported, "type %d", tc.typ)
		assert.Zero(t, hp, "nothing was written")
	}
	var hp sim.Handle
	assert.Equal(t, sim.NTE_PROV_TYPE_NOT_DEF.Code(), b.CryptAcquireContext("main", &hp, nil, nil, 999, win32.CRYPT_VERIFYCONTEXT))
	assert.NoError(t, b.Refusal(), "a type without a provider is answered")
}
