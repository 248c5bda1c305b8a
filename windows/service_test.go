package windows_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/winsimtest"
)

// TestNewCallbackChecks: NewCallback takes what Go's runtime takes on
// Windows and panics with its messages otherwise.
func TestNewCallbackChecks(t *testing.T) {
	tests := []struct {
		name  string
		fn    any
		panic string
	}{
		{"uintptr in and out", func(uintptr) uintptr { return 0 }, ""},
		{"pointer argument", func(*windows.SERVICE_NOTIFY) uintptr { return 0 }, ""},
		{"not a function", 42, "expected function with one uintptr-sized result"},
		{"no result", func(uintptr) {}, "expected function with one uintptr-sized result"},
		{"wide result", func() [2]uintptr { return [2]uintptr{} }, "expected function with one uintptr-sized result"},
		{"wide argument", func(string) uintptr { return 0 }, "argument size is larger than uintptr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if (tt.panic == "") != (r == nil) || !strings.Contains(msg, tt.panic) {
					t.Errorf("NewCallback panicked with %v, want %q", r, tt.panic)
				}
			}()
			if tok := windows.NewCallback(tt.fn); tok == 0 {
				t.Error("token 0")
			}
		})
	}
}

// TestCreateServiceRefusesUnmodeled: a tag is refused before any call,
// matching errors.ErrUnsupported, and no service is created; a load order
// group, an account and a password are taken.
func TestCreateServiceRefusesUnmodeled(t *testing.T) {
	bubble(t, func(t *testing.T, m *winsimtest.Machine) {
		scm, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_ALL_ACCESS)
		if err != nil {
			t.Fatal(err)
		}
		name, path, other := utf16Ptr("svc"), utf16Ptr(`C:\svc.exe`), utf16Ptr("x")
		var tag uint32
		_, err = windows.CreateService(scm, name, nil, windows.SERVICE_ALL_ACCESS, windows.SERVICE_WIN32_OWN_PROCESS,
			windows.SERVICE_DEMAND_START, windows.SERVICE_ERROR_NORMAL, path, nil, &tag, nil, nil, nil)
		if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "tag") {
			t.Errorf("a tag: %v, want ErrUnsupported naming it", err)
		}
		if _, err := windows.OpenService(scm, name, windows.SERVICE_QUERY_STATUS); err != windows.ERROR_SERVICE_DOES_NOT_EXIST {
			t.Errorf("OpenService after the refusal: %v, want ERROR_SERVICE_DOES_NOT_EXIST", err)
		}
		deps := []uint16{'a', 0, 'b', 0, 0}
		h, err := windows.CreateService(scm, name, nil, windows.SERVICE_ALL_ACCESS, windows.SERVICE_WIN32_OWN_PROCESS,
			windows.SERVICE_DEMAND_START, windows.SERVICE_ERROR_NORMAL, path, other, nil, &deps[0], utf16Ptr(`.\user`), other)
		if err != nil {
			t.Fatal(err)
		}
		var st windows.SERVICE_STATUS
		if err := windows.QueryServiceStatus(h, &st); err != nil || st.CurrentState != windows.SERVICE_STOPPED {
			t.Errorf("QueryServiceStatus = %+v, %v", st, err)
		}
	})
}
