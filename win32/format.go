package win32

import (
	"strconv"

	"github.com/winsim/winsim/sim"
)

// Constants lists the constants of every family, by group. Group names are
// unique across families.
func Constants() []sim.Const {
	var out []sim.Const
	out = append(out, ServiceConstants()...)
	out = append(out, CryptConstants()...)
	return append(out, RegistryConstants()...)
}

// table names values for FormatConst.
var table = func() *sim.ConstTable {
	t, err := sim.NewConstTable(Constants())
	if err != nil {
		panic(err)
	}
	return t
}()

// FormatConst names v as a constant of group (a Group* name): the name of
// the constant with that value, or its flags joined by "|" with any rest in
// hex. KEY_READ is preferred to KEY_EXECUTE, which has the same value.
func FormatConst(group string, v uint32) string {
	if group == GroupKeyAccess && v == KEY_READ {
		return "KEY_READ"
	}
	return table.Format(group, v)
}

// ConstName returns the name of the constant of group with value v, or ""
// when the group has none.
func ConstName(group string, v uint32) string { return table.Name(group, v) }

// enumString is the String of a type whose values are one SDK constant
// each: the name of the constant of group with value v, or typeName(v) in
// decimal when none has it.
func enumString(group, typeName string, v uint32) string {
	if n := table.Name(group, v); n != "" {
		return n
	}
	return typeName + "(" + strconv.FormatUint(uint64(v), 10) + ")"
}

// flagsString is the String of a type whose values are sets of SDK bits:
// FormatConst's form.
func flagsString(group string, v uint32) string { return table.Format(group, v) }
