package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/sim"
)

// publicMethods are the exported methods of the kernel's object types, all
// of them: a method added to one of these types fails TestPublicMethods
// until it is listed here, so a lock-held operation cannot become public
// unnoticed (TestLockIsNotPublic names the ones that left; this list names
// the ones that stay). Each listed method takes the lock itself, or reads
// a value that never changes, or is noted.
var publicMethods = map[reflect.Type][]string{
	reflect.TypeFor[*sim.Machine](): {"Advance", "InjectFault", "NewProcess", "Now", "PendingTimers",
		"Processes", "Profile", "StopTrace", "Trace", "TraceDropped", "TraceLen", "Tracing", "Violations", "WriteTrace"},
	reflect.TypeFor[*sim.Process](): {"HandleCount", "Machine", "NewThread", "Threads"},
	reflect.TypeFor[*sim.Thread](): {"CloseHandle", "Context", "CreateEvent", "Exit", "Exited", "FindCloseChangeNotification",
		"FindNextChangeNotification", "Machine", "NtClose", "ResetEvent", "SetContext", "SetEvent", "SleepEx",
		"String", "WaitForMultipleObjectsEx", "WaitForSingleObjectEx"},
	reflect.TypeFor[*sim.Event]():              {"IsSet", "TypeName"},
	reflect.TypeFor[*sim.ChangeNotification](): {"Closed", "HandleClosed", "TypeName", "Watch"},
	// Not behind the lock, and not reachable by users: a table is a field
	// of its process, which the families reach through the module-internal
	// kernel.Handles while they hold the lock. Resolve and these methods
	// are exported for the families' use.
	reflect.TypeFor[*sim.HandleTable](): {"Handles", "Insert", "Len", "Lookup", "Remove"},
}

// TestPublicMethods: the exported method sets of the kernel's object types
// are exactly publicMethods.
func TestPublicMethods(t *testing.T) {
	for typ, want := range publicMethods {
		var got []string
		for i := 0; i < typ.NumMethod(); i++ {
			got = append(got, typ.Method(i).Name)
		}
		slices.Sort(want)
		assert.Equal(t, want, got, "the exported methods of %s", typ)
	}
}
