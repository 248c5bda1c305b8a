package scenario

import (
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

// GroupCSP is the group of the CryptoAPI family's step kinds.
const GroupCSP = "csp"

// cspPrefix begins the ids of the CryptoAPI's rules and settings, which
// its model package shares with NCrypt's.
const cspPrefix = "csp."

// The legacy CryptoAPI family (advapi32.dll).
var _ = RegisterFamily(Family{
	Name:      GroupCSP,
	Title:     "CryptoAPI",
	Table:     "cryptoapi",
	Needs:     backend.CapCSP,
	Steps:     cspSteps,
	Constants: win32.CryptConstants(),
	Settings:  withPrefix(ksp.Settings(), func(s sim.SettingInfo) string { return s.ID }, cspPrefix, true),
	Rules:     withPrefix(ksp.Rules(), func(r sim.Rule) string { return r.ID }, cspPrefix, true),
	Groups:    []StepGroup{{GroupCSP, "CryptoAPI steps"}},
	Order:     20,
})

// cspOf returns the backend as a CSP backend. The step's Needs guarantee it
// is one: the scenario is skipped otherwise.
func (r *runner) cspOf() backend.CSP { return r.b.(backend.CSP) }

// Field types of the CSP family.
var (
	tProvType     = constType(win32.GroupProvType)
	tAcquireFlags = constType(win32.GroupAcquireFlags)
	tAlgID        = constType(win32.GroupAlgID)
	tGenKeyFlags  = constType(win32.GroupGenKeyFlags)
	tHashFlags    = constType(win32.GroupHashFlags)
)

// cspSteps are the step kinds of the legacy CryptoAPI family (advapi32.dll)
// and the model-side registration of another CSP. Each call's want: is the
// last error of a FALSE return (ERROR_SUCCESS for TRUE): a Win32 code, or an
// NTE_* HRESULT.
func cspSteps() []*StepKind {
	ok := func(c sim.Code) (sim.Code, error) { return c, nil }
	handleField := func(name, doc string) Field { return Field{Name: name, Type: tHandle, Required: true, Doc: doc} }
	return []*StepKind{
		{
			Name: "CryptAcquireContext", Group: GroupCSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Acquire a context on a key container (or delete a container with CRYPT_DELETEKEYSET); as: binds what *phProv holds after the call.",
			Fields: append([]Field{
				{Name: "container", Type: tStrPtr, Default: "null", Doc: "szContainer; null or \"\" is the user's default container"},
				{Name: "provider", Type: tStrPtr, Default: "null", Doc: "szProvider; null or \"\" is the type's default provider"},
				{Name: "type", Type: tProvType, Default: "PROV_RSA_FULL", Doc: "dwProvType, a PROV_* name or an integer"},
				{Name: "flags", Type: tAcquireFlags, Default: "0", Doc: "dwFlags: CRYPT_NEWKEYSET, CRYPT_DELETEKEYSET, CRYPT_VERIFYCONTEXT, CRYPT_MACHINE_KEYSET, CRYPT_SILENT"},
			}, outFields("phProv", "initial")...),
			run: func(r *runner, st *Step, th string) {
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.cspOf().CryptAcquireContext(th, p, st.args.strPtr("container"), st.args.strPtr("provider"), st.args.u32("type"), st.args.u32("flags")))
				})
			},
		},
		{
			Name: "CryptContextAddRef", Group: GroupCSP, Returns: ReturnsCode,
			Summary: "Add a reference to a context.",
			Fields: []Field{
				handleField("prov", "hProv"),
				{Name: "reserved", Type: tBool, Default: "false", Doc: "pass a non-NULL pdwReserved"},
				{Name: "flags", Type: tUint32, Default: "0", Doc: "dwFlags (must be 0)"},
			},
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("prov"))
				if !good {
					return
				}
				var reserved *uint32
				if st.args.bool("reserved") {
					reserved = new(uint32)
				}
				r.checkCode(st, r.cspOf().CryptContextAddRef(th, h, reserved, st.args.u32("flags")))
			},
		},
		{
			Name: "CryptReleaseContext", Group: GroupCSP, Returns: ReturnsCode,
			Summary: "Release one reference of a context; the last one frees it with its keys and hashes.",
			Fields: []Field{
				handleField("prov", "hProv"),
				{Name: "flags", Type: tUint32, Default: "0", Doc: "dwFlags (must be 0; 0xFFFFFFFF is ~0)"},
			},
			run: func(r *runner, st *Step, th string) {
				if h, good := r.handle(st, st.args.handle("prov")); good {
					r.checkCode(st, r.cspOf().CryptReleaseContext(th, h, st.args.u32("flags")))
				}
			},
		},
		{
			Name: "CryptGenKey", Group: GroupCSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Make a session key or a key pair (AT_KEYEXCHANGE, AT_SIGNATURE, kept in the container); as: binds what *phKey holds after the call.",
			Fields: append([]Field{
				handleField("prov", "hProv"),
				{Name: "alg", Type: tAlgID, Required: true, Doc: "Algid: a CALG_* name or AT_KEYEXCHANGE / AT_SIGNATURE"},
				{Name: "flags", Type: tGenKeyFlags, Default: "0", Doc: "dwFlags: CRYPT_EXPORTABLE ..., and the key length in bits in the upper 16 (a 128-bit key is 0x00800000)"},
			}, outFields("phKey", "initial")...),
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("prov"))
				if !good {
					return
				}
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.cspOf().CryptGenKey(th, h, constOf[win32.ALG_ID](st.args, "alg"), st.args.u32("flags"), p))
				})
			},
		},
		{
			Name: "CryptGetUserKey", Group: GroupCSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Open a key pair of the context's container; as: binds what *phUserKey holds after the call.",
			Fields: append([]Field{
				handleField("prov", "hProv"),
				{Name: "key_spec", Type: tKeySpec, Required: true, Doc: "dwKeySpec: AT_KEYEXCHANGE or AT_SIGNATURE"},
			}, outFields("phUserKey", "initial")...),
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("prov"))
				if !good {
					return
				}
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.cspOf().CryptGetUserKey(th, h, st.args.u32("key_spec"), p))
				})
			},
		},
		codeHandleCall(GroupCSP, "CryptDestroyKey", "Destroy a key handle (a key pair stays in its container).", "key",
			func(r *runner, th string, h sim.Handle) sim.Code { return r.cspOf().CryptDestroyKey(th, h) }),
		{
			Name: "CryptCreateHash", Group: GroupCSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Start a hash; as: binds what *phHash holds after the call.",
			Fields: append([]Field{
				handleField("prov", "hProv"),
				{Name: "alg", Type: tAlgID, Required: true, Doc: "Algid: a CALG_* hash"},
				{Name: "key", Type: tHandle, Default: "NULL", Doc: "hKey (only keyed hashes use it)"},
				{Name: "flags", Type: tUint32, Default: "0", Doc: "dwFlags (must be 0)"},
			}, outFields("phHash", "initial")...),
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("prov"))
				if !good {
					return
				}
				key, good := r.handle(st, st.args.handle("key"))
				if !good {
					return
				}
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.cspOf().CryptCreateHash(th, h, constOf[win32.ALG_ID](st.args, "alg"), key, st.args.u32("flags"), p))
				})
			},
		},
		{
			Name: "CryptHashData", Group: GroupCSP, Returns: ReturnsCode,
			Summary: "Add data to a hash.",
			Fields: []Field{
				handleField("hash", "hHash"),
				{Name: "data", Type: tString, Default: `""`, Doc: "pbData, the bytes of this string"},
				{Name: "flags", Type: tHashFlags, Default: "0", Doc: "dwFlags: CRYPT_USERDATA"},
			},
			run: func(r *runner, st *Step, th string) {
				if h, good := r.handle(st, st.args.handle("hash")); good {
					r.checkCode(st, r.cspOf().CryptHashData(th, h, []byte(st.args.str("data")), st.args.u32("flags")))
				}
			},
		},
		codeHandleCall(GroupCSP, "CryptDestroyHash", "Destroy a hash.", "hash",
			func(r *runner, th string, h sim.Handle) sim.Code { return r.cspOf().CryptDestroyHash(th, h) }),
		{
			Name: "register_csp", Group: GroupCSP, Needs: []backend.Capability{backend.CapInstallProvider},
			Summary: "Install another CSP on the model's machine, with a container store of its own; refuse_busy_delete makes it answer CRYPT_DELETEKEYSET with ERROR_BUSY while a context on the container is open. Model only.",
			Fields: []Field{
				{Name: "name", Type: tString, Required: true, Doc: "the provider's name"},
				{Name: "type", Type: tProvType, Default: "PROV_RSA_FULL", Doc: "its provider type"},
				{Name: "refuse_busy_delete", Type: tBool, Default: "false", Doc: "refuse to delete a container a context is open on"},
			},
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, backend.RegisterCryptoProvider(r.b, win32.CSPConfig{Name: st.args.str("name"), Type: st.args.u32("type"), RefuseBusyDelete: st.args.bool("refuse_busy_delete")}))
			},
		},
	}
}
