package windows_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// TestFamilyConstants compares the CryptoAPI, ncrypt and registry constants
// and codes the project defines with golang.org/x/sys/windows's, for those
// x/sys has (it has no NCRYPT_* flags and no REG_OPTION_* nor disposition
// values).
func TestFamilyConstants(t *testing.T) {
	for _, c := range []struct {
		name       string
		ours, xsys uint64
	}{
		{"PROV_RSA_FULL", uint64(win32.PROV_RSA_FULL), uint64(windows.PROV_RSA_FULL)},
		{"PROV_RSA_AES", uint64(win32.PROV_RSA_AES), uint64(windows.PROV_RSA_AES)},
		{"CRYPT_VERIFYCONTEXT", uint64(win32.CRYPT_VERIFYCONTEXT), uint64(windows.CRYPT_VERIFYCONTEXT)},
		{"CRYPT_NEWKEYSET", uint64(win32.CRYPT_NEWKEYSET), uint64(windows.CRYPT_NEWKEYSET)},
		{"CRYPT_DELETEKEYSET", uint64(win32.CRYPT_DELETEKEYSET), uint64(windows.CRYPT_DELETEKEYSET)},
		{"CRYPT_MACHINE_KEYSET", uint64(win32.CRYPT_MACHINE_KEYSET), uint64(windows.CRYPT_MACHINE_KEYSET)},
		{"CRYPT_SILENT", uint64(win32.CRYPT_SILENT), uint64(windows.CRYPT_SILENT)},
		{"KEY_ALL_ACCESS", uint64(win32.KEY_ALL_ACCESS), uint64(windows.KEY_ALL_ACCESS)},
		{"KEY_READ", uint64(win32.KEY_READ), uint64(windows.KEY_READ)},
		{"KEY_WRITE", uint64(win32.KEY_WRITE), uint64(windows.KEY_WRITE)},
		{"KEY_QUERY_VALUE", uint64(win32.KEY_QUERY_VALUE), uint64(windows.KEY_QUERY_VALUE)},
		{"KEY_SET_VALUE", uint64(win32.KEY_SET_VALUE), uint64(windows.KEY_SET_VALUE)},
		{"REG_SZ", uint64(win32.REG_SZ), uint64(windows.REG_SZ)},
		{"REG_BINARY", uint64(win32.REG_BINARY), uint64(windows.REG_BINARY)},
		{"REG_DWORD", uint64(win32.REG_DWORD), uint64(windows.REG_DWORD)},
		{"NTE_BAD_FLAGS", uint64(uint32(sim.NTE_BAD_FLAGS)), uint64(uint32(windows.NTE_BAD_FLAGS))},
		{"NTE_BAD_KEYSET", uint64(uint32(sim.NTE_BAD_KEYSET)), uint64(uint32(windows.NTE_BAD_KEYSET))},
		{"NTE_EXISTS", uint64(uint32(sim.NTE_EXISTS)), uint64(uint32(windows.NTE_EXISTS))},
		{"NTE_NOT_SUPPORTED", uint64(uint32(sim.NTE_NOT_SUPPORTED)), uint64(uint32(windows.NTE_NOT_SUPPORTED))},
		{"NTE_BAD_PROV_TYPE", uint64(uint32(sim.NTE_BAD_PROV_TYPE)), uint64(uint32(windows.NTE_BAD_PROV_TYPE))},
		{"NTE_INVALID_HANDLE", uint64(uint32(sim.NTE_INVALID_HANDLE)), uint64(uint32(windows.NTE_INVALID_HANDLE))},
		{"STATUS_INVALID_HANDLE", uint64(sim.STATUS_INVALID_HANDLE), uint64(windows.STATUS_INVALID_HANDLE)},
		{"STATUS_KEY_DELETED", uint64(sim.STATUS_KEY_DELETED), uint64(windows.STATUS_KEY_DELETED)},
		{"STATUS_OBJECT_NAME_NOT_FOUND", uint64(sim.STATUS_OBJECT_NAME_NOT_FOUND), uint64(windows.STATUS_OBJECT_NAME_NOT_FOUND)},
		{"STATUS_ACCESS_DENIED", uint64(sim.STATUS_ACCESS_DENIED), uint64(windows.STATUS_ACCESS_DENIED)},
		{"STATUS_CANNOT_DELETE", uint64(sim.STATUS_CANNOT_DELETE), uint64(windows.STATUS_CANNOT_DELETE)},
		{"STATUS_OBJECT_TYPE_MISMATCH", uint64(sim.STATUS_OBJECT_TYPE_MISMATCH), uint64(windows.STATUS_OBJECT_TYPE_MISMATCH)},
		{"STATUS_INVALID_PARAMETER", uint64(sim.STATUS_INVALID_PARAMETER), uint64(windows.STATUS_INVALID_PARAMETER)},
	} {
		assert.Equal(t, c.xsys, c.ours, "%s: the project's value differs from x/sys's", c.name)
	}
}
