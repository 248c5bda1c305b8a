package win32

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStatusLayout checks that typing the fields of the status structures
// kept the SDK's layout: every field is a 32-bit unsigned integer (a
// DWORD), one after the other, as in x/sys's structures of the same name.
func TestStatusLayout(t *testing.T) {
	for _, tc := range []struct {
		value  any
		fields int
	}{
		{SERVICE_STATUS{}, 7},
		{SERVICE_STATUS_PROCESS{}, 9},
	} {
		typ := reflect.TypeOf(tc.value)
		t.Run(typ.Name(), func(t *testing.T) {
			assert.Equal(t, tc.fields, typ.NumField())
			assert.Equal(t, uintptr(4*tc.fields), typ.Size())
			for i := range typ.NumField() {
				f := typ.Field(i)
				assert.Equal(t, reflect.Uint32, f.Type.Kind(), "field %s", f.Name)
				assert.Equal(t, uintptr(4*i), f.Offset, "field %s", f.Name)
			}
		})
	}
}
