package scenario

import (
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/win32"
)

// GroupKSP is the group of the CNG key storage family's step kinds.
const GroupKSP = "ksp"

// The CNG key storage family (NCrypt). Its model package also holds the
// CryptoAPI's: the csp.* rules and settings are the CryptoAPI family's, the
// rest this family's.
var _ = RegisterFamily(Family{
	Name:      GroupKSP,
	Title:     "NCrypt",
	Table:     "ncrypt",
	Needs:     backend.CapKSP,
	Steps:     kspSteps,
	Constants: win32.CryptConstants(),
	Settings:  withPrefix(ksp.Settings(), func(s sim.SettingInfo) string { return s.ID }, cspPrefix, false),
	Rules:     withPrefix(ksp.Rules(), func(r sim.Rule) string { return r.ID }, cspPrefix, false),
	Groups:    []StepGroup{{GroupKSP, "CNG key storage (NCrypt) steps"}},
	Order:     40,
})

// withPrefix returns the elements of xs whose id has prefix (has false:
// those whose id has not).
func withPrefix[T any](xs []T, id func(T) string, prefix string, has bool) []T {
	var out []T
	for _, x := range xs {
		if strings.HasPrefix(id(x), prefix) == has {
			out = append(out, x)
		}
	}
	return out
}

// kspOf returns the backend as a KSP backend. The step's Needs guarantee it
// is one: the scenario is skipped otherwise.
func (r *runner) kspOf() backend.KSP { return r.b.(backend.KSP) }

// Field types of the KSP family.
var (
	tNCryptFlags = constType(win32.GroupNCryptFlags)
	tKeySpec     = constType(win32.GroupKeySpec)
)

// kspSteps are the step kinds of the CNG key storage family (ncrypt.dll),
// the kernel32 calls that re-arm and close its change handles, and the
// model-side registration of another provider. Waits on a change handle are
// the kernel's wait steps.
func kspSteps() []*StepKind {
	ok := func(s sim.HResult) (sim.Code, error) { return s.Code(), nil }
	return []*StepKind{
		{
			Name: "NCryptOpenStorageProvider", Group: GroupKSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Open a key storage provider; as: binds what *phProvider holds after the call.",
			Fields: append([]Field{
				{Name: "provider", Type: tStrPtr, Default: "null", Doc: "pszProviderName; null opens MS_KEY_STORAGE_PROVIDER"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags (none is defined)"},
			}, outFields("phProvider", "initial")...),
			run: func(r *runner, st *Step, th string) {
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.kspOf().NCryptOpenStorageProvider(th, p, st.args.strPtr("provider"), st.args.u32("flags")))
				})
			},
		},
		codeHandleCall(GroupKSP, "NCryptFreeObject", "Free a provider or key handle. The variable stays usable, as a stale handle.", "handle",
			func(r *runner, th string, h sim.Handle) sim.Code { return r.kspOf().NCryptFreeObject(th, h).Code() }),
		{
			Name: "NCryptIsAlgSupported", Group: GroupKSP, Returns: ReturnsCode,
			Summary: "Ask whether a provider supports an algorithm: ERROR_SUCCESS or NTE_NOT_SUPPORTED.",
			Fields: []Field{
				{Name: "provider", Type: tHandle, Required: true, Doc: "hProvider"},
				{Name: "alg", Type: tStrPtr, Required: true, Doc: "pszAlgId, or null"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags: NCRYPT_SILENT_FLAG"},
			},
			run: func(r *runner, st *Step, th string) {
				if h, good := r.handle(st, st.args.handle("provider")); good {
					r.checkCode(st, r.kspOf().NCryptIsAlgSupported(th, h, st.args.strPtr("alg"), st.args.u32("flags")).Code())
				}
			},
		},
		{
			Name: "NCryptCreatePersistedKey", Group: GroupKSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Start a new key (stored only once finalized); as: binds what *phKey holds after the call.",
			Fields: append([]Field{
				{Name: "provider", Type: tHandle, Required: true, Doc: "hProvider"},
				{Name: "alg", Type: tStrPtr, Default: "RSA", Doc: "pszAlgId, a BCRYPT algorithm name, or null"},
				{Name: "name", Type: tStrPtr, Default: "null", Doc: "pszKeyName; null makes an ephemeral key"},
				{Name: "legacy_key_spec", Type: tKeySpec, Default: "0", Doc: "dwLegacyKeySpec"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags: NCRYPT_MACHINE_KEY_FLAG, NCRYPT_OVERWRITE_KEY_FLAG, NCRYPT_SILENT_FLAG"},
			}, outFields("phKey", "initial")...),
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("provider"))
				if !good {
					return
				}
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.kspOf().NCryptCreatePersistedKey(th, h, p, st.args.strPtr("alg"), st.args.strPtr("name"), st.args.u32("legacy_key_spec"), st.args.u32("flags")))
				})
			},
		},
		{
			Name: "NCryptFinalizeKey", Group: GroupKSP, Returns: ReturnsCode,
			Summary: "Finalize a key: a named one is stored, and the store's change handles are signaled.",
			Fields: []Field{
				{Name: "key", Type: tHandle, Required: true, Doc: "hKey"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags: NCRYPT_NO_KEY_VALIDATION, NCRYPT_SILENT_FLAG, NCRYPT_WRITE_KEY_TO_LEGACY_STORE_FLAG"},
			},
			run: func(r *runner, st *Step, th string) {
				if h, good := r.handle(st, st.args.handle("key")); good {
					r.checkCode(st, r.kspOf().NCryptFinalizeKey(th, h, st.args.u32("flags")).Code())
				}
			},
		},
		{
			Name: "NCryptOpenKey", Group: GroupKSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Open a stored key by name; as: binds what *phKey holds after the call.",
			Fields: append([]Field{
				{Name: "provider", Type: tHandle, Required: true, Doc: "hProvider"},
				{Name: "name", Type: tStrPtr, Required: true, Doc: "pszKeyName, or null"},
				{Name: "legacy_key_spec", Type: tKeySpec, Default: "0", Doc: "dwLegacyKeySpec"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags: NCRYPT_MACHINE_KEY_FLAG, NCRYPT_SILENT_FLAG"},
			}, outFields("phKey", "initial")...),
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("provider"))
				if !good {
					return
				}
				r.outCall(st, "initial", func(p *sim.Handle) (sim.Code, error) {
					return ok(r.kspOf().NCryptOpenKey(th, h, p, st.args.strPtr("name"), st.args.u32("legacy_key_spec"), st.args.u32("flags")))
				})
			},
		},
		{
			Name: "NCryptDeleteKey", Group: GroupKSP, Returns: ReturnsCode,
			Summary: "Delete a stored key and free its handle (on success the variable is a stale handle).",
			Fields: []Field{
				{Name: "key", Type: tHandle, Required: true, Doc: "hKey"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags: NCRYPT_SILENT_FLAG"},
			},
			run: func(r *runner, st *Step, th string) {
				if h, good := r.handle(st, st.args.handle("key")); good {
					r.checkCode(st, r.kspOf().NCryptDeleteKey(th, h, st.args.u32("flags")).Code())
				}
			},
		},
		{
			Name: "NCryptSetProperty", Group: GroupKSP, Returns: ReturnsCode,
			Summary: "Set a property of a provider or key; with NCRYPT_PERSIST_FLAG on a stored key it is written to the store.",
			Fields: []Field{
				{Name: "object", Type: tHandle, Required: true, Doc: "hObject"},
				{Name: "property", Type: tStrPtr, Required: true, Doc: "pszProperty, e.g. \"Export Policy\", or null"},
				{Name: "value", Type: tString, Default: `""`, Doc: "pbInput, the bytes of this string"},
				{Name: "flags", Type: tNCryptFlags, Default: "0", Doc: "dwFlags: NCRYPT_PERSIST_FLAG, NCRYPT_PERSIST_ONLY_FLAG, NCRYPT_SILENT_FLAG"},
			},
			run: func(r *runner, st *Step, th string) {
				if h, good := r.handle(st, st.args.handle("object")); good {
					r.checkCode(st, r.kspOf().NCryptSetProperty(th, h, st.args.strPtr("property"), []byte(st.args.str("value")), st.args.u32("flags")).Code())
				}
			},
		},
		{
			Name: "NCryptNotifyChangeKey", Group: GroupKSP, Returns: ReturnsCode, BindsHandle: true, Expect: tOutExpect,
			Summary: "Register (a new change handle is written through phEvent) or remove (the handle in *phEvent is closed, INVALID_HANDLE_VALUE written) a key change notification; as: binds what *phEvent holds after the call. Wait on the handle with the wait steps.",
			Fields: append([]Field{
				{Name: "provider", Type: tHandle, Required: true, Doc: "hProvider"},
				{Name: "flags", Type: tNCryptFlags, Required: true, Doc: "dwFlags: NCRYPT_REGISTER_NOTIFY_FLAG or NCRYPT_UNREGISTER_NOTIFY_FLAG, NCRYPT_MACHINE_KEY_FLAG, NCRYPT_SILENT_FLAG"},
			}, outFields("phEvent", "event")...),
			run: func(r *runner, st *Step, th string) {
				h, good := r.handle(st, st.args.handle("provider"))
				if !good {
					return
				}
				r.outCall(st, "event", func(p *sim.Handle) (sim.Code, error) {
					return r.kspOf().NCryptNotifyChangeKey(th, h, p, st.args.u32("flags")).Code(), nil
				})
			},
		},
		handleCall(GroupKSP, "FindNextChangeNotification", "Re-arm a change handle: it stays signaled if changes were recorded since its signal, else it waits for the next change.", "handle",
			func(r *runner, th string, h sim.Handle) sim.Errno { return r.kspOf().FindNextChangeNotification(th, h) }),
		handleCall(GroupKSP, "FindCloseChangeNotification", "Close a change handle (any kernel handle, as the real function does).", "handle",
			func(r *runner, th string, h sim.Handle) sim.Errno {
				return r.kspOf().FindCloseChangeNotification(th, h)
			}),
		{
			Name: "register_ksp", Group: GroupKSP, Needs: []backend.Capability{backend.CapInstallProvider},
			Summary: "Install another key storage provider on the model's machine, such as one without change notification (like Microsoft's CNG sample KSP). Model only.",
			Fields: []Field{
				{Name: "name", Type: tString, Required: true, Doc: "the provider's name"},
				{Name: "change_notify", Type: tBool, Default: "true", Doc: "false: NCryptNotifyChangeKey answers NTE_NOT_SUPPORTED"},
			},
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, backend.RegisterKeyStorageProvider(r.b, win32.ProviderConfig{Name: st.args.str("name"), NoChangeNotify: !st.args.bool("change_notify")}))
			},
		},
	}
}
