package sim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCodeString(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"win32 success", ERROR_SUCCESS.String(), "ERROR_SUCCESS (0)"},
		{"win32 scm", ERROR_SERVICE_MARKED_FOR_DELETE.String(), "ERROR_SERVICE_MARKED_FOR_DELETE (1072)"},
		{"win32 lagging", ERROR_SERVICE_NOTIFY_CLIENT_LAGGING.String(), "ERROR_SERVICE_NOTIFY_CLIENT_LAGGING (1294)"},
		{"win32 as error", ERROR_ACCESS_DENIED.Error(), "ERROR_ACCESS_DENIED (5)"},
		{"win32 unnamed", Errno(99999).String(), "Win32 99999"},
		{"ntstatus success", STATUS_SUCCESS.String(), "STATUS_SUCCESS (0x00000000)"},
		{"ntstatus key deleted", STATUS_KEY_DELETED.String(), "STATUS_KEY_DELETED (0xC000017C)"},
		{"ntstatus invalid handle", STATUS_INVALID_HANDLE.String(), "STATUS_INVALID_HANDLE (0xC0000008)"},
		{"ntstatus small value", STATUS_USER_APC.String(), "STATUS_USER_APC (0x000000C0)"},
		{"ntstatus unnamed", NTStatus(6).String(), "NTSTATUS 0x00000006"},
		{"hresult ok", S_OK.String(), "S_OK (0x00000000)"},
		{"hresult nte", NTE_BAD_FLAGS.String(), "NTE_BAD_FLAGS (0x80090009)"},
		{"hresult nte 2", NTE_INVALID_HANDLE.String(), "NTE_INVALID_HANDLE (0x80090026)"},
		{"hresult from win32", HRESULT_RPC_X_NULL_REF_POINTER.String(), "HRESULT_RPC_X_NULL_REF_POINTER (0x800706F4)"},
		{"hresult unnamed", HResult(0x8009FFFF).String(), "HRESULT 0x8009FFFF"},
		{"code value", Code{KindNTStatus, 0xC0000181}.String(), "STATUS_CHILD_MUST_BE_VOLATILE (0xC0000181)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.got)
		})
	}
}

// TestParseCodeRoundTrip encodes Codes (every named value, sorted by name)
// and ParseCode, LookupCode and Code.Name, which agree with it.
func TestParseCodeRoundTrip(t *testing.T) {
	all := Codes()
	require.Len(t, all, len(knownCodes))
	require.True(t, slices.IsSortedFunc(all, func(a, b CodeInfo) int { return strings.Compare(a.Name, b.Name) }), "Codes lists the names in order")
	for _, ci := range all {
		t.Run(ci.Name, func(t *testing.T) {
			c, err := ParseCode(ci.Name)
			require.NoError(t, err)
			require.Equal(t, ci.Code, c)

			// The printed name parses back to the same code.
			n := c.Name()
			require.NotEmpty(t, n)
			c2, err := ParseCode(n)
			require.NoError(t, err)
			require.Equal(t, c, c2)

			l, ok := LookupCode(ci.Name)
			require.True(t, ok)
			require.Equal(t, c, l)
		})
	}
}

func TestParseCodeUnknown(t *testing.T) {
	tests := []struct {
		in      string
		suggest string // "" means no suggestion expected
	}{
		{"ERROR_SERVICE_MARKED_FOR_DELET", "ERROR_SERVICE_MARKED_FOR_DELETE"},
		{"NTE_BAD_FLAG", "NTE_BAD_FLAGS"},
		{"STATUS_KEY_DELETD", "STATUS_KEY_DELETED"},
		{"error_access_denied", "ERROR_ACCESS_DENIED"},
		{"XYZZY", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseCode(tt.in)
			require.Error(t, err)
			require.ErrorContains(t, err, strconv.Quote(tt.in))
			if tt.suggest == "" {
				require.NotContains(t, err.Error(), "did you mean")
			} else {
				require.ErrorContains(t, err, "did you mean "+tt.suggest+"?")
			}
		})
	}
}

func TestSuccess(t *testing.T) {
	tests := []struct {
		code Code
		want bool
	}{
		{ERROR_SUCCESS.Code(), true},
		{ERROR_ACCESS_DENIED.Code(), false},
		{ERROR_MORE_DATA.Code(), false},
		{STATUS_SUCCESS.Code(), true},
		{STATUS_USER_APC.Code(), true},
		{STATUS_TIMEOUT.Code(), true},
		{STATUS_INVALID_HANDLE.Code(), false},
		{STATUS_KEY_DELETED.Code(), false},
		{S_OK.Code(), true},
		{HResult(1).Code(), true}, // S_FALSE
		{NTE_BAD_FLAGS.Code(), false},
		{E_INVALIDARG.Code(), false},
		{Code{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.code.String(), func(t *testing.T) {
			require.Equal(t, tt.want, tt.code.Success())
		})
	}
}

func TestKindsAreDistinct(t *testing.T) {
	require.NotEqual(t, Errno(6).Code(), NTStatus(6).Code())
	require.NotEqual(t, Errno(6).Code(), HResult(6).Code())
	require.NotEqual(t, NTStatus(6).Code(), HResult(6).Code())
	require.Equal(t, Code{KindWin32, 6}, ERROR_INVALID_HANDLE.Code())
	require.Equal(t, "ERROR_INVALID_HANDLE", Errno(6).Code().Name())
	require.Empty(t, NTStatus(6).Code().Name())

	require.NotEqual(t, ERROR_SUCCESS.Code(), STATUS_SUCCESS.Code())
	require.NotEqual(t, ERROR_SUCCESS.Code(), S_OK.Code())
	require.NotEqual(t, STATUS_SUCCESS.Code(), S_OK.Code())
	// The same number names different things in different spaces.
	require.Equal(t, "STATUS_TIMEOUT", STATUS_TIMEOUT.Code().Name())
	require.Empty(t, Errno(0x102).Code().Name())
	require.Equal(t, "ERROR_INVALID_PARAMETER", Errno(87).Code().Name())
	require.Empty(t, NTStatus(87).Code().Name())
}

// TestSDKValues checks a few constants against literal values from the SDK
// headers, independently of the table in codes.go.
func TestSDKValues(t *testing.T) {
	tests := []struct {
		name string
		got  Code
		want Code
	}{
		{"ERROR_INVALID_HANDLE", ERROR_INVALID_HANDLE.Code(), Code{KindWin32, 6}},
		{"ERROR_INVALID_PARAMETER", ERROR_INVALID_PARAMETER.Code(), Code{KindWin32, 87}},
		{"ERROR_SERVICE_MARKED_FOR_DELETE", ERROR_SERVICE_MARKED_FOR_DELETE.Code(), Code{KindWin32, 1072}},
		{"ERROR_SERVICE_NOTIFY_CLIENT_LAGGING", ERROR_SERVICE_NOTIFY_CLIENT_LAGGING.Code(), Code{KindWin32, 1294}},
		{"ERROR_ALREADY_REGISTERED", ERROR_ALREADY_REGISTERED.Code(), Code{KindWin32, 1242}},
		{"ERROR_KEY_DELETED", ERROR_KEY_DELETED.Code(), Code{KindWin32, 1018}},
		{"RPC_X_NULL_REF_POINTER", RPC_X_NULL_REF_POINTER.Code(), Code{KindWin32, 1780}},
		{"STATUS_INVALID_HANDLE", STATUS_INVALID_HANDLE.Code(), Code{KindNTStatus, 0xC0000008}},
		{"STATUS_KEY_DELETED", STATUS_KEY_DELETED.Code(), Code{KindNTStatus, 0xC000017C}},
		{"STATUS_CHILD_MUST_BE_VOLATILE", STATUS_CHILD_MUST_BE_VOLATILE.Code(), Code{KindNTStatus, 0xC0000181}},
		{"STATUS_REGISTRY_CORRUPT", STATUS_REGISTRY_CORRUPT.Code(), Code{KindNTStatus, 0xC000014C}},
		{"STATUS_BUFFER_OVERFLOW", STATUS_BUFFER_OVERFLOW.Code(), Code{KindNTStatus, 0x80000005}},
		{"NTE_BAD_UID", NTE_BAD_UID.Code(), Code{KindHResult, 0x80090001}},
		{"NTE_BAD_FLAGS", NTE_BAD_FLAGS.Code(), Code{KindHResult, 0x80090009}},
		{"NTE_INVALID_HANDLE", NTE_INVALID_HANDLE.Code(), Code{KindHResult, 0x80090026}},
		{"NTE_NOT_SUPPORTED", NTE_NOT_SUPPORTED.Code(), Code{KindHResult, 0x80090029}},
		{"E_INVALIDARG", E_INVALIDARG.Code(), Code{KindHResult, 0x80070057}},
		// HRESULT_FROM_WIN32(x) = 0x80070000 | x for 0 < x <= 0xFFFF.
		{"HRESULT_RPC_X_NULL_REF_POINTER", HRESULT_RPC_X_NULL_REF_POINTER.Code(), Code{KindHResult, 0x80070000 | 1780}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.got)
		})
	}
}

// TestKnownCodesComplete checks that every typed constant declared in codes.go
// appears in knownCodes exactly once, under its own name and value.
func TestKnownCodesComplete(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "codes.go", nil, 0)
	require.NoError(t, err)

	kinds := map[string]Kind{"Errno": KindWin32, "NTStatus": KindNTStatus, "HResult": KindHResult}
	declared := map[string]Code{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			id, ok := vs.Type.(*ast.Ident)
			if !ok {
				continue
			}
			k, ok := kinds[id.Name]
			if !ok {
				continue
			}
			require.Len(t, vs.Names, 1)
			require.Len(t, vs.Values, 1)
			lit, ok := vs.Values[0].(*ast.BasicLit)
			require.True(t, ok, "%s: value must be a literal", vs.Names[0].Name)
			v, err := strconv.ParseUint(lit.Value, 0, 32)
			require.NoError(t, err)
			declared[vs.Names[0].Name] = Code{k, uint32(v)}
		}
	}
	require.NotEmpty(t, declared)

	seen := map[string]bool{}
	for _, ci := range knownCodes {
		require.False(t, seen[ci.Name], "%s listed twice", ci.Name)
		seen[ci.Name] = true
		want, ok := declared[ci.Name]
		require.True(t, ok, "%s in knownCodes but not declared as a constant", ci.Name)
		require.Equal(t, want, ci.Code, ci.Name)
	}
	for n := range declared {
		require.True(t, seen[n], "%s declared but missing from knownCodes", n)
	}
}
