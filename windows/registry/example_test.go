package registry_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/winsim/winsim/windows/registry"
	"github.com/winsim/winsim/windows/winsimtest"
)

// A test of code that keeps its configuration in the registry: it writes
// the configuration, flushes it, and a power cut later it is still there;
// what came after the flush is not. The example is compiled, not run: an
// example has no *testing.T to make a bubble with; TestPowerCutAroundFlush
// runs the same steps.
func Example() {
	testConfigSurvives := func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := winsimtest.Use(t, winsimtest.Options{})
			k, _, _ := registry.CreateKey(registry.LOCAL_MACHINE, `SOFTWARE\Vendor\App`, registry.ALL_ACCESS)
			k.SetStringValue("InstallDir", `C:\Program Files\App`)
			registry.RegFlushKey(k)
			k.SetDWordValue("Runs", 1) // not flushed
			m.PowerCut()

			k, _ = registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Vendor\App`, registry.QUERY_VALUE)
			dir, _, err := k.GetStringValue("InstallDir")
			fmt.Println(dir, err)
			_, _, err = k.GetIntegerValue("Runs")
			fmt.Println(err == registry.ErrNotExist)
			// Prints: C:\Program Files\App <nil>
			// true
		})
	}
	_ = testConfigSurvives
}

// Reading a value of the wrong type gives its type and ErrUnexpectedType.
func ExampleKey_GetStringValue() {
	testWrongType := func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			winsimtest.Use(t, winsimtest.Options{})
			k, _, _ := registry.CreateKey(registry.CURRENT_USER, `Software\App`, registry.ALL_ACCESS)
			k.SetDWordValue("Port", 8080)
			_, typ, err := k.GetStringValue("Port")
			fmt.Println(typ == registry.DWORD, err)
			// Prints: true unexpected key value type
		})
	}
	_ = testWrongType
}
