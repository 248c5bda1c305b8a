package hive

import (
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// keyMapping is the key object type's GENERIC_MAPPING. The SDK's names for
// this family live in package win32.
var keyMapping = sim.GenericMapping{Read: win32.KEY_READ, Write: win32.KEY_WRITE, Execute: win32.KEY_EXECUTE, All: win32.KEY_ALL_ACCESS}

// fmtConst names v as a constant of group, for the trace.
func fmtConst(group string, v uint32) string { return win32.FormatConst(group, v) }

// modeledLoadFlags are the load flags the model implements.
const modeledLoadFlags = win32.REG_WHOLE_HIVE_VOLATILE | win32.REG_NO_LAZY_FLUSH
