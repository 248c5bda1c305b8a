package win32

import "github.com/winsim/winsim/sim"

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
