package ksp_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

// cfix is a machine with the CryptoAPI model and a client thread.
type cfix struct {
	m *sim.Machine
	c *ksp.CSP
	t *sim.Thread
}

func newCSP(t *testing.T, profile string) *cfix {
	t.Helper()
	m := sim.MustNewMachine(sim.Options{Profile: profile})
	return &cfix{m: m, c: ksp.NewCSP(m), t: m.NewProcess("client.exe").NewThread("main")}
}

var success = sim.ERROR_SUCCESS.Code()

// acquire opens a context and requires success.
func (f *cfix) acquire(t *testing.T, container *string, flags uint32) sim.Handle {
	t.Helper()
	var h sim.Handle
	require.Equal(t, success, f.c.CryptAcquireContext(f.t, &h, container, nil, win32.PROV_RSA_FULL, flags))
	require.NotZero(t, h)
	return h
}

func TestAcquireContextErrors(t *testing.T) {
	base, unknown := win32.Str(win32.MS_DEF_PROV), win32.Str("Wine Nonexistent Cryptographic Provider v11.2")
	tests := []struct {
		name      string
		nullOut   bool
		container *string
		provider  *string
		typ       uint32
		flags     uint32
		want      sim.Code
	}{
		{"type before NULL phProv (rsaenh.c:3213)", true, nil, unknown, 0, 0, sim.NTE_BAD_PROV_TYPE.Code()},
		{"NULL phProv before the provider (rsaenh.c:3216)", true, nil, unknown, 1, 0, sim.ERROR_INVALID_PARAMETER.Code()},
		{"NULL phProv, type 999 is in range", true, nil, nil, 999, 0, sim.ERROR_INVALID_PARAMETER.Code()},
		{"NULL phProv, type 1000 is not", true, nil, nil, 1000, 0, sim.NTE_BAD_PROV_TYPE.Code()},
		{"type 0", false, nil, unknown, 0, 0, sim.NTE_BAD_PROV_TYPE.Code()},
		{"type 1000", false, nil, nil, 1000, 0, sim.NTE_BAD_PROV_TYPE.Code()},
		{"type without default", false, nil, nil, 999, 0, sim.NTE_PROV_TYPE_NOT_DEF.Code()},
		{"empty provider is the default", false, nil, win32.Str(""), 999, 0, sim.NTE_PROV_TYPE_NOT_DEF.Code()},
		{"unknown provider before the type match", false, nil, unknown, 999, 0, sim.NTE_KEYSET_NOT_DEF.Code()},
		{"wrong type", false, nil, base, 999, 0, sim.NTE_PROV_TYPE_NO_MATCH.Code()},
		{"open an absent container", false, win32.Str("absent"), base, win32.PROV_RSA_FULL, 0, sim.NTE_BAD_KEYSET.Code()},
		{"delete an absent container", false, win32.Str("absent"), base, win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET, sim.NTE_BAD_KEYSET.Code()},
		{"verify context with a name", false, win32.Str("named"), nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT, sim.NTE_BAD_FLAGS.Code()},
		{"new and delete", false, win32.Str("x"), nil, win32.PROV_RSA_FULL, win32.CRYPT_NEWKEYSET | win32.CRYPT_DELETEKEYSET, sim.NTE_BAD_FLAGS.Code()},
		{"verify and delete", false, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT | win32.CRYPT_DELETEKEYSET, sim.NTE_BAD_FLAGS.Code()},
		{"verify context", false, win32.Str(""), nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT | win32.CRYPT_NEWKEYSET | win32.CRYPT_SILENT, success},
		{"the AES provider is PROV_RSA_AES", false, nil, win32.Str(win32.MS_ENH_RSA_AES_PROV), win32.PROV_RSA_AES, win32.CRYPT_VERIFYCONTEXT, success},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSP(t, "")
			h := sim.Handle(0xdead0)
			p := &h
			if tc.nullOut {
				p = nil
			}
			assert.Equal(t, tc.want, f.c.CryptAcquireContext(f.t, p, tc.container, tc.provider, tc.typ, tc.flags))
			if tc.want != success && !tc.nullOut {
				assert.Equal(t, sim.Handle(0xdead0), h, "left alone on failure")
			}
		})
	}
}

func TestContainers(t *testing.T) {
	f := newCSP(t, "")
	name := win32.Str("c1")
	h := f.acquire(t, name, win32.CRYPT_NEWKEYSET)
	var other sim.Handle
	assert.Equal(t, sim.NTE_EXISTS.Code(), f.c.CryptAcquireContext(f.t, &other, name, nil, win32.PROV_RSA_FULL, win32.CRYPT_NEWKEYSET))
	assert.Equal(t, sim.NTE_BAD_KEYSET.Code(), f.c.CryptAcquireContext(f.t, &other, name, nil, win32.PROV_RSA_FULL, win32.CRYPT_MACHINE_KEYSET), "not in the machine store")
	for _, p := range []string{win32.MS_DEF_PROV, win32.MS_ENHANCED_PROV, win32.MS_STRONG_PROV} {
		assert.Equal(t, []string{"c1"}, f.c.Containers(p, false), p)
	}
	assert.Empty(t, f.c.Containers(win32.MS_DEF_PROV, true))
	assert.Nil(t, f.c.Containers("nobody", false))

	// Deleting while h is open succeeds and zeroes *phProv; h still releases.
	del := sim.Handle(0xdead0)
	require.Equal(t, success, f.c.CryptAcquireContext(f.t, &del, name, win32.Str(win32.MS_DEF_PROV), win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET))
	assert.Zero(t, del)
	assert.Empty(t, f.c.Containers(win32.MS_DEF_PROV, false))
	assert.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0))

	// The default container is named after the user.
	d := f.acquire(t, nil, win32.CRYPT_NEWKEYSET)
	assert.Equal(t, []string{win32.ModelUserName}, f.c.Containers(win32.MS_STRONG_PROV, false))
	assert.Equal(t, success, f.c.CryptReleaseContext(f.t, d, 0))
}

func TestRefuseBusyDelete(t *testing.T) {
	f := newCSP(t, "")
	require.NoError(t, f.c.RegisterProvider(win32.CSPConfig{Name: "Busy CSP", Type: win32.PROV_RSA_FULL, RefuseBusyDelete: true}))
	assert.ErrorContains(t, f.c.RegisterProvider(win32.CSPConfig{Name: "busy csp", Type: 1}), "already registered")
	assert.ErrorContains(t, f.c.RegisterProvider(win32.CSPConfig{Name: "Other", Type: 0}), "outside 1..999")
	assert.ErrorContains(t, f.c.RegisterProvider(win32.CSPConfig{Type: 1}), "needs a name")

	prov, name := win32.Str("Busy CSP"), win32.Str("busy")
	var h, del sim.Handle
	require.Equal(t, success, f.c.CryptAcquireContext(f.t, &h, name, prov, win32.PROV_RSA_FULL, win32.CRYPT_NEWKEYSET))
	assert.Empty(t, f.c.Containers(win32.MS_DEF_PROV, false), "its own store")
	assert.Equal(t, sim.ERROR_BUSY.Code(), f.c.CryptAcquireContext(f.t, &del, name, prov, win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET))
	require.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0))
	assert.Equal(t, success, f.c.CryptAcquireContext(f.t, &del, name, prov, win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET))
}

// TestReferenceCounting runs AddRef/Release sequences under each profile
// and checks every call's code.
func TestReferenceCounting(t *testing.T) {
	type call struct {
		addRef   bool
		reserved bool
		flags    uint32
		want     sim.Code
	}
	var (
		ok     = success
		inval  = sim.ERROR_INVALID_PARAMETER.Code()
		bflags = sim.NTE_BAD_FLAGS.Code()
	)
	addRef := func(reserved bool, flags uint32, want sim.Code) call { return call{true, reserved, flags, want} }
	release := func(flags uint32, want sim.Code) call { return call{false, false, flags, want} }
	tests := []struct {
		name     string
		profiles []string
		calls    []call
	}{
		{"one reference", []string{"win8", "win7", "wine-8.0"}, []call{release(0, ok), release(0, inval), addRef(false, 0, inval)}},
		{"AddRef needs one more release", []string{"win8", "win7", "wine-8.0"}, []call{addRef(false, 0, ok), release(0, ok), release(0, ok), release(0, inval)}},
		{"bad flags at the last reference still free it", []string{"win8", "win7", "wine-8.0"}, []call{addRef(false, 0, ok), release(0, ok), release(0xFFFFFFFF, bflags), release(0, inval), release(0xFFFFFFFF, inval)}},
		{"bad flags while referenced, Windows", []string{"win8", "win7"}, []call{addRef(false, 0, ok), release(1, bflags), release(0, ok), release(0, inval)}},
		{"bad flags while referenced, Wine", []string{"wine-8.0"}, []call{addRef(false, 0, ok), release(1, ok), release(0, ok), release(0, inval)}},
		{"reserved and flags, Windows", []string{"win8", "win7"}, []call{addRef(true, 0, inval), addRef(false, 2, inval), release(0, ok), release(0, inval)}},
		{"reserved and flags, Wine", []string{"wine-8.0"}, []call{addRef(true, 0, ok), addRef(false, 2, ok), release(0, ok), release(0, ok), release(0, ok), release(0, inval)}},
	}
	for _, tc := range tests {
		for _, p := range tc.profiles {
			t.Run(tc.name+"/"+p, func(t *testing.T) {
				f := newCSP(t, p)
				h := f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)
				for i, c := range tc.calls {
					var got sim.Code
					if c.addRef {
						var reserved *uint32
						if c.reserved {
							reserved = new(uint32)
						}
						got = f.c.CryptContextAddRef(f.t, h, reserved, c.flags)
					} else {
						got = f.c.CryptReleaseContext(f.t, h, c.flags)
					}
					assert.Equal(t, c.want, got, "call %d", i)
				}
				assert.Empty(t, f.m.Violations())
			})
		}
	}
}

func TestInvalidContextHandles(t *testing.T) {
	f := newCSP(t, "")
	released := f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)
	require.Equal(t, success, f.c.CryptReleaseContext(f.t, released, 0))
	ev := f.t.CreateEvent(false, false)
	inval := sim.ERROR_INVALID_PARAMETER.Code()
	for _, h := range []sim.Handle{0, 0xdead0, released, ev} {
		var out sim.Handle
		assert.Equal(t, inval, f.c.CryptReleaseContext(f.t, h, 0xFFFFFFFF), "release %s", h)
		assert.Equal(t, inval, f.c.CryptContextAddRef(f.t, h, nil, 0), "addref %s", h)
		assert.Equal(t, inval, f.c.CryptGenKey(f.t, h, win32.CALG_RC4, 0, &out), "genkey %s", h)
		assert.Equal(t, inval, f.c.CryptGetUserKey(f.t, h, win32.AT_SIGNATURE, &out), "getuserkey %s", h)
		assert.Equal(t, inval, f.c.CryptCreateHash(f.t, h, win32.CALG_SHA1, 0, 0, &out), "createhash %s", h)
		assert.Equal(t, inval, f.c.CryptDestroyKey(f.t, h), "destroykey %s", h)
		assert.Equal(t, inval, f.c.CryptDestroyHash(f.t, h), "destroyhash %s", h)
		assert.Equal(t, inval, f.c.CryptHashData(f.t, h, nil, 0), "hashdata %s", h)
		assert.Zero(t, out)
	}
	assert.Equal(t, sim.ERROR_INVALID_HANDLE, f.t.CloseHandle(f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)), "not a kernel handle")
}

// TestObjectsAfterRelease: the final release invalidates keys and hashes
// (a violation when they are left alive); a release that keeps a reference
// does not.
func TestObjectsAfterRelease(t *testing.T) {
	for _, tc := range []struct {
		name       string
		addRef     bool
		alive      bool
		violations int
	}{
		{"final release", false, false, 1},
		{"partial release", true, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSP(t, "")
			h := f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)
			var key, hash sim.Handle
			require.Equal(t, success, f.c.CryptGenKey(f.t, h, win32.CALG_RC4, 0, &key))
			require.Equal(t, success, f.c.CryptCreateHash(f.t, h, win32.CALG_SHA1, key, 0, &hash))
			if tc.addRef {
				require.Equal(t, success, f.c.CryptContextAddRef(f.t, h, nil, 0))
			}
			require.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0))
			want := sim.ERROR_INVALID_PARAMETER.Code()
			if tc.alive {
				want = success
			}
			assert.Equal(t, want, f.c.CryptHashData(f.t, hash, []byte("abc"), win32.CRYPT_USERDATA))
			assert.Equal(t, want, f.c.CryptDestroyHash(f.t, hash))
			assert.Equal(t, want, f.c.CryptDestroyKey(f.t, key))
			vs := f.m.Violations()
			require.Len(t, vs, tc.violations)
			if tc.violations > 0 {
				assert.Equal(t, ksp.RuleReleaseWithObjects.ID, vs[0].Rule.ID)
				assert.Contains(t, vs[0].Detail, "1 keys and 1 hashes")
			}
		})
	}
}

func TestAlgorithms(t *testing.T) {
	tests := []struct {
		provider string
		typ      uint32
		alg      win32.ALG_ID
		hash     bool
		want     sim.Code
	}{
		{win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, false, success},
		{win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_3DES, false, sim.NTE_BAD_ALGID.Code()},
		{win32.MS_STRONG_PROV, win32.PROV_RSA_FULL, win32.CALG_3DES, false, success},
		{win32.MS_STRONG_PROV, win32.PROV_RSA_FULL, win32.CALG_AES_128, false, sim.NTE_BAD_ALGID.Code()},
		{win32.MS_ENH_RSA_AES_PROV, win32.PROV_RSA_AES, win32.CALG_AES_128, false, success},
		{win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_SHA1, false, sim.NTE_BAD_ALGID.Code()},
		{win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_SHA1, true, success},
		{win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_SHA_256, true, sim.NTE_BAD_ALGID.Code()},
		{win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, true, sim.NTE_BAD_ALGID.Code()},
		{win32.MS_ENH_RSA_AES_PROV, win32.PROV_RSA_AES, win32.CALG_SHA_512, true, success},
	}
	for _, tc := range tests {
		f := newCSP(t, "")
		var h, out sim.Handle
		require.Equal(t, success, f.c.CryptAcquireContext(f.t, &h, nil, win32.Str(tc.provider), tc.typ, win32.CRYPT_VERIFYCONTEXT))
		var got sim.Code
		if tc.hash {
			got = f.c.CryptCreateHash(f.t, h, tc.alg, 0, 0, &out)
		} else {
			got = f.c.CryptGenKey(f.t, h, tc.alg, 0, &out)
		}
		assert.Equal(t, tc.want, got, "%s alg %#x hash %v", tc.provider, tc.alg, tc.hash)
	}
}

func TestHashAndKeyChecks(t *testing.T) {
	f := newCSP(t, "")
	h := f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)
	var key, hash sim.Handle
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), f.c.CryptGenKey(f.t, h, win32.CALG_RC4, 0, nil))
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), f.c.CryptCreateHash(f.t, h, win32.CALG_SHA1, 0, 0, nil))
	assert.Equal(t, sim.NTE_BAD_FLAGS.Code(), f.c.CryptCreateHash(f.t, h, win32.CALG_SHA1, 0, 1, &hash))
	assert.Equal(t, sim.NTE_BAD_ALGID.Code(), f.c.CryptCreateHash(f.t, h, 0x1234, 0, 1, &hash), "algorithm before flags")
	require.Equal(t, success, f.c.CryptGenKey(f.t, h, win32.CALG_RC4, win32.CRYPT_EXPORTABLE|128<<16, &key))
	require.Equal(t, success, f.c.CryptDestroyKey(f.t, key))
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), f.c.CryptDestroyKey(f.t, key))
	assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), f.c.CryptCreateHash(f.t, h, win32.CALG_SHA1, key, 0, &hash), "a destroyed key")
	require.Equal(t, success, f.c.CryptCreateHash(f.t, h, win32.CALG_MD5, 0, 0, &hash))
	assert.Equal(t, sim.NTE_BAD_FLAGS.Code(), f.c.CryptHashData(f.t, hash, []byte("x"), 2))
	assert.Equal(t, success, f.c.CryptHashData(f.t, hash, []byte("x"), 0))
	assert.Equal(t, success, f.c.CryptDestroyHash(f.t, hash))
	assert.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0))
	assert.Empty(t, f.m.Violations())
}

func TestUserKeysPersist(t *testing.T) {
	for _, tc := range []struct {
		name      string
		container *string
		flags     uint32
		persists  bool
	}{
		{"stored container", win32.Str("pairs"), win32.CRYPT_NEWKEYSET, true},
		{"verify context", nil, win32.CRYPT_VERIFYCONTEXT, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSP(t, "")
			h := f.acquire(t, tc.container, tc.flags)
			var k sim.Handle
			assert.Equal(t, sim.NTE_NO_KEY.Code(), f.c.CryptGetUserKey(f.t, h, win32.AT_SIGNATURE, &k))
			assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), f.c.CryptGetUserKey(f.t, h, win32.AT_SIGNATURE, nil))
			require.Equal(t, success, f.c.CryptGenKey(f.t, h, win32.CALG_RSA_SIGN, 0, &k))
			require.Equal(t, success, f.c.CryptDestroyKey(f.t, k))
			require.Equal(t, success, f.c.CryptGetUserKey(f.t, h, win32.AT_SIGNATURE, &k))
			require.Equal(t, success, f.c.CryptDestroyKey(f.t, k))
			assert.Equal(t, sim.NTE_NO_KEY.Code(), f.c.CryptGetUserKey(f.t, h, win32.AT_KEYEXCHANGE, &k))
			require.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0))

			again := f.acquire(t, tc.container, tc.flags&^win32.CRYPT_NEWKEYSET)
			want := sim.NTE_NO_KEY.Code()
			if tc.persists {
				want = success
			}
			assert.Equal(t, want, f.c.CryptGetUserKey(f.t, again, win32.AT_SIGNATURE, &k))
		})
	}
}

// TestReleaseFaults: an injected failure is returned after the handle check
// and consumes no reference.
func TestReleaseFaults(t *testing.T) {
	for _, code := range []sim.Code{sim.ERROR_BUSY.Code(), sim.ERROR_INVALID_HANDLE.Code(), sim.NTE_BAD_UID.Code()} {
		f := newCSP(t, "")
		f.m.InjectFault("CryptReleaseContext", code, 1)
		assert.Equal(t, sim.ERROR_INVALID_PARAMETER.Code(), f.c.CryptReleaseContext(f.t, 0, 0), "%s: the handle first", code)
		h := f.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT)
		assert.Equal(t, code, f.c.CryptReleaseContext(f.t, h, 0))
		assert.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0), "%s: the reference is still there", code)
	}
}

func TestGenKeyLengths(t *testing.T) {
	bits := func(n uint32) uint32 { return n << 16 }
	tests := []struct {
		name     string
		provider string
		typ      uint32
		alg      win32.ALG_ID
		flags    uint32
		want     sim.Code
	}{
		{"default length", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, 0, success},
		{"Base RC4 at its 56-bit maximum", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, bits(56), success},
		{"Base RC4 above 56 bits", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, bits(64), sim.NTE_BAD_DATA.Code()},
		{"Enhanced RC4 of 128 bits", win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, bits(128), success},
		{"RC2 below 40 bits", win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, win32.CALG_RC2, bits(32), sim.NTE_BAD_DATA.Code()},
		{"RC2 of 128 bits (rsaenh.c:4068)", win32.MS_ENH_RSA_AES_PROV, win32.PROV_RSA_AES, win32.CALG_RC2, bits(128), success},
		{"RC2 of 136 bits (rsaenh.c:4073)", win32.MS_ENH_RSA_AES_PROV, win32.PROV_RSA_AES, win32.CALG_RC2, bits(136), sim.NTE_BAD_DATA.Code()},
		{"not whole bytes", win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, win32.CALG_RC2, bits(44), sim.NTE_BAD_DATA.Code()},
		{"flags beside the length", win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, win32.CALG_RC4, bits(128) | win32.CRYPT_EXPORTABLE, success},
		{"DES effective length", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_DES, bits(56), success},
		{"DES storage length", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_DES, bits(64), success},
		{"DES other length", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.CALG_DES, bits(40), sim.NTE_BAD_FLAGS.Code()},
		{"3DES storage length", win32.MS_STRONG_PROV, win32.PROV_RSA_FULL, win32.CALG_3DES, bits(192), success},
		{"AES-128 of 256 bits", win32.MS_ENH_RSA_AES_PROV, win32.PROV_RSA_AES, win32.CALG_AES_128, bits(256), sim.NTE_BAD_DATA.Code()},
		{"Base key exchange pair above 1024 bits", win32.MS_DEF_PROV, win32.PROV_RSA_FULL, win32.AT_KEYEXCHANGE, bits(2048), sim.NTE_BAD_DATA.Code()},
		{"Enhanced key exchange pair of 2048 bits", win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, win32.CALG_RSA_KEYX, bits(2048), success},
		{"signature pair below 384 bits", win32.MS_ENHANCED_PROV, win32.PROV_RSA_FULL, win32.AT_SIGNATURE, bits(256), sim.NTE_BAD_DATA.Code()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSP(t, "win8")
			var prov, key sim.Handle
			require.Equal(t, success, f.c.CryptAcquireContext(f.t, &prov, nil, win32.Str(tc.provider), tc.typ, win32.CRYPT_VERIFYCONTEXT))
			assert.Equal(t, tc.want, f.c.CryptGenKey(f.t, prov, tc.alg, tc.flags, &key))
			if tc.want != success {
				// The model's choice (Windows is not observed on it): a
				// refused key writes no handle.
				assert.Zero(t, key, "the model writes no handle for a refused key")
				return
			}
			assert.Equal(t, success, f.c.CryptDestroyKey(f.t, key))
		})
	}
}

func TestSSL3SHAMD5TakesNoData(t *testing.T) {
	for _, profile := range []string{"win8", "wine-8.0"} {
		f := newCSP(t, profile)
		var prov, hash sim.Handle
		require.Equal(t, success, f.c.CryptAcquireContext(f.t, &prov, nil, nil, win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT))
		require.Equal(t, success, f.c.CryptCreateHash(f.t, prov, win32.CALG_SSL3_SHAMD5, 0, 0, &hash), profile)
		assert.Equal(t, sim.NTE_BAD_ALGID.Code(), f.c.CryptHashData(f.t, hash, []byte("abc"), 0), profile)
		assert.Equal(t, success, f.c.CryptDestroyHash(f.t, hash), profile)
		assert.Equal(t, success, f.c.CryptReleaseContext(f.t, prov, 0), profile)
	}
}

func TestKeyedHashes(t *testing.T) {
	bits := func(n uint32) uint32 { return n << 16 }
	tests := []struct {
		name    string
		profile string
		alg     win32.ALG_ID
		keyAlg  win32.ALG_ID // 0: no key
		flags   uint32
		want    sim.Code
	}{
		{"HMAC with an RC2 key (rsaenh.c:1823)", "win8", win32.CALG_HMAC, win32.CALG_RC2, 0, success},
		{"HMAC with an RC4 key", "win8", win32.CALG_HMAC, win32.CALG_RC4, 0, success},
		{"HMAC without a key (rsaenh.c:1846)", "win8", win32.CALG_HMAC, 0, 0, sim.NTE_BAD_KEY.Code()},
		{"MAC with an RC2 key (rsaenh.c:1871)", "win8", win32.CALG_MAC, win32.CALG_RC2, 0, success},
		{"MAC with a DES key", "win8", win32.CALG_MAC, win32.CALG_DES, 0, success},
		{"MAC with an RC4 key (rsaenh.c:1942)", "win8", win32.CALG_MAC, win32.CALG_RC4, 0, sim.NTE_BAD_KEY.Code()},
		{"MAC with a key pair", "win8", win32.CALG_MAC, win32.AT_SIGNATURE, 0, sim.NTE_BAD_KEY.Code()},
		{"MAC without a key", "win8", win32.CALG_MAC, 0, 0, sim.NTE_BAD_KEY.Code()},
		{"flags before the key", "win8", win32.CALG_HMAC, 0, 1, sim.NTE_BAD_FLAGS.Code()},
		{"under Wine too", "wine-8.0", win32.CALG_MAC, win32.CALG_RC4, 0, sim.NTE_BAD_KEY.Code()},
		{"under Wine with a key", "wine-8.0", win32.CALG_HMAC, win32.CALG_RC2, 0, success},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSP(t, tc.profile)
			var prov, key, hash sim.Handle
			require.Equal(t, success, f.c.CryptAcquireContext(f.t, &prov, nil, win32.Str(win32.MS_DEF_PROV), win32.PROV_RSA_FULL, win32.CRYPT_VERIFYCONTEXT))
			if tc.keyAlg != 0 {
				require.Equal(t, success, f.c.CryptGenKey(f.t, prov, tc.keyAlg, bits(0), &key))
			}
			assert.Equal(t, tc.want, f.c.CryptCreateHash(f.t, prov, tc.alg, key, tc.flags, &hash))
			if tc.want == success {
				assert.Equal(t, success, f.c.CryptHashData(f.t, hash, []byte("abc"), 0), "a keyed hash takes data")
				assert.Equal(t, success, f.c.CryptDestroyHash(f.t, hash))
			}
			if key != 0 {
				assert.Equal(t, success, f.c.CryptDestroyKey(f.t, key))
			}
			assert.Equal(t, success, f.c.CryptReleaseContext(f.t, prov, 0))
		})
	}
}

func TestSchannelUnmodeled(t *testing.T) {
	f := newCSP(t, "win8")
	tests := []struct {
		name     string
		provider *string
		typ      uint32
		unmodel  bool
	}{
		{"the Schannel type", nil, win32.PROV_RSA_SCHANNEL, true},
		{"the Schannel provider's name, another type", win32.Str("microsoft rsa schannel cryptographic provider"), win32.PROV_RSA_FULL, true},
		{"the RSA full type", nil, win32.PROV_RSA_FULL, false},
		{"a type without a provider", nil, 999, false},
	}
	for _, tc := range tests {
		err := f.c.AcquireUnmodeled(tc.typ, tc.provider)
		if tc.unmodel {
			assert.ErrorContains(t, err, "csp.acquire.schannel", tc.name)
		} else {
			assert.NoError(t, err, tc.name)
		}
	}
}

func TestRegisterProviderTypeRange(t *testing.T) {
	for _, tc := range []struct {
		typ uint32
		ok  bool
	}{
		{0, false},
		{1, true},
		{999, true},
		{1000, false},
	} {
		f := newCSP(t, "")
		err := f.c.RegisterProvider(win32.CSPConfig{Name: "Contoso CSP", Type: tc.typ})
		if !tc.ok {
			assert.ErrorContains(t, err, "outside 1..999", "type %d", tc.typ)
			continue
		}
		require.NoError(t, err, "type %d", tc.typ)
		var h sim.Handle
		assert.Equal(t, success, f.c.CryptAcquireContext(f.t, &h, nil, win32.Str("Contoso CSP"), tc.typ, win32.CRYPT_VERIFYCONTEXT), "type %d", tc.typ)
	}
}

func TestFinalReleaseTrace(t *testing.T) {
	for _, tc := range []struct {
		name      string
		container *string
		flags     uint32
		delete    bool
		want      string
	}{
		{"stored container", win32.Str("kept"), win32.CRYPT_NEWKEYSET, false, `container "kept" and its key pairs remain`},
		{"deleted container", win32.Str("gone"), win32.CRYPT_NEWKEYSET, true, "freed"},
		{"verify context", nil, win32.CRYPT_VERIFYCONTEXT, false, "freed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCSP(t, "")
			h := f.acquire(t, tc.container, tc.flags)
			if tc.delete {
				var del sim.Handle
				require.Equal(t, success, f.c.CryptAcquireContext(f.t, &del, tc.container, nil, win32.PROV_RSA_FULL, win32.CRYPT_DELETEKEYSET))
			}
			require.Equal(t, success, f.c.CryptReleaseContext(f.t, h, 0))
			var freed []string
			for _, e := range f.m.Trace() {
				if e.Kind == sim.EvTransition && strings.HasPrefix(e.Text, "context ") {
					freed = append(freed, e.Text)
				}
			}
			require.Len(t, freed, 1)
			assert.True(t, strings.HasSuffix(freed[0], tc.want), "%q ends with %q", freed[0], tc.want)
		})
	}
}

func TestRegisteredProviderAlgorithms(t *testing.T) {
	for _, tc := range []struct {
		typ     uint32
		alg     win32.ALG_ID
		hash    bool
		offered bool
	}{
		{win32.PROV_RSA_AES, win32.CALG_AES_256, false, true},
		{win32.PROV_RSA_AES, win32.CALG_SHA_256, true, true},
		{win32.PROV_RSA_FULL, win32.CALG_AES_256, false, false},
		{win32.PROV_RSA_FULL, win32.CALG_SHA_256, true, false},
		{win32.PROV_RSA_FULL, win32.CALG_3DES, false, true},
		{12, win32.CALG_3DES, false, true},
		{12, win32.CALG_AES_128, false, false},
	} {
		f := newCSP(t, "")
		require.NoError(t, f.c.RegisterProvider(win32.CSPConfig{Name: "Contoso CSP", Type: tc.typ}))
		var h, out sim.Handle
		require.Equal(t, success, f.c.CryptAcquireContext(f.t, &h, nil, win32.Str("Contoso CSP"), tc.typ, win32.CRYPT_VERIFYCONTEXT))
		want := sim.NTE_BAD_ALGID.Code()
		if tc.offered {
			want = success
		}
		var got sim.Code
		if tc.hash {
			got = f.c.CryptCreateHash(f.t, h, tc.alg, 0, 0, &out)
		} else {
			got = f.c.CryptGenKey(f.t, h, tc.alg, 0, &out)
		}
		assert.Equal(t, want, got, "type %d alg %#x", tc.typ, tc.alg)
	}
}

func lastCall(t *testing.T, m *sim.Machine) string {
	t.Helper()
	events := m.Trace()
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind == sim.EvCall {
			return events[i].Text
		}
	}
	t.Fatal("no call in the trace")
	return ""
}

func TestCallTrace(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(t *testing.T) *sim.Machine // makes the call, returns its machine
		want string
	}{
		{"AddRef with a NULL reserved pointer", func(t *testing.T) *sim.Machine {
			c := newCSP(t, "")
			c.c.CryptContextAddRef(c.t, c.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT), nil, 0)
			return c.m
		}, ", NULL, 0x0) -> ERROR_SUCCESS (0), 2 references"},
		{"AddRef with a reserved pointer", func(t *testing.T) *sim.Machine {
			c := newCSP(t, "")
			c.c.CryptContextAddRef(c.t, c.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT), new(uint32), 0)
			return c.m
		}, ", &reserved, 0x0) -> ERROR_INVALID_PARAMETER (87)"},
		{"a named algorithm", func(t *testing.T) *sim.Machine {
			c := newCSP(t, "")
			var k sim.Handle
			c.c.CryptGenKey(c.t, c.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT), win32.CALG_RC4, 0, &k)
			return c.m
		}, ", CALG_RC4, 0x0, &"},
		{"an algorithm without a name", func(t *testing.T) *sim.Machine {
			c := newCSP(t, "")
			var k sim.Handle
			c.c.CryptGenKey(c.t, c.acquire(t, nil, win32.CRYPT_VERIFYCONTEXT), 0x1234, 0, &k)
			return c.m
		}, ", 4660, 0x0, &"},
		{"an NCrypt success", func(t *testing.T) *sim.Machine {
			k := newKSP(t, "")
			k.k.NCryptFreeObject(k.t, k.prov)
			return k.m
		}, ") -> ERROR_SUCCESS (0)"},
		{"an NCrypt failure", func(t *testing.T) *sim.Machine {
			k := newKSP(t, "")
			k.k.NCryptFreeObject(k.t, 0)
			return k.m
		}, "NCryptFreeObject(NULL) -> NTE_INVALID_HANDLE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, lastCall(t, tc.call(t)), tc.want)
		})
	}
}
