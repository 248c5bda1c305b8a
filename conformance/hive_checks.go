package conformance

import (
	"github.com/winsim/winsim/win32"
)

// The registry family: native key calls, flushes and power cuts.

// registryPropertyCovers are the ids the registry property's oracle
// asserts at the default depth.
var registryPropertyCovers = []string{
	"hive.flush.success", "hive.flush.whole-hive", "hive.flush.other-hives-untouched", "hive.flush.durable-on-return",
	"hive.flush.invalid-handle", "hive.flush.current-process", "hive.flush.key-deleted",
	"hive.visibility.no-flush-needed", "hive.lazy.power-loss", "hive.volatile.never-persisted",
	"hive.volatile.child-must-be-volatile", "hive.volatile.existing-unchanged",
	"hive.name.syntax", "hive.create.disposition", "hive.create.missing-parent", "hive.create.key-deleted", "hive.open.not-found",
	"hive.set.access", "hive.set.key-deleted", "hive.query.access", "hive.query.not-found", "hive.query.key-deleted",
	"hive.delete.access", "hive.delete.has-subkeys", "hive.delete.hive-root", "hive.delete.all-handles", "hive.delete.twice",
	"hive.delete.close", "hive.delete.null-handle", "hive.close.invalid-handle", "hive.crash.handles-invalid",
	"hive.crash.old-or-new", "hive.crash.interrupted-call",
}

// Registry hives the generated actions and checks use.
var (
	regSoftware = regHives[1]
	regUser     = regHives[3]
)

func regCreate(as, root, name string, access, options uint32) Action {
	return Action{Op: OpRegCreate, As: as, Args: regArgs{root: root, name: name, access: access, options: options}}
}
func regOpen(as, root, name string, access uint32) Action {
	return Action{Op: OpRegOpen, As: as, Args: regArgs{root: root, name: name, access: access}}
}
func regSet(h, name string, v uint32) Action {
	return Action{Op: OpRegSet, H: h, Args: regArgs{value: name, dword: v}}
}
func regQuery(h, name string) Action { return Action{Op: OpRegQuery, H: h, Args: regArgs{value: name}} }
func regOp(op Op, h string) Action   { return Action{Op: op, H: h} }
func crash() Action                  { return Action{Op: OpCrash} }

func registryChecks() []Check {
	all := win32.KEY_ALL_ACCESS
	sw, usr := regSoftware, regUser
	return []Check{
		{Family: "Registry", Name: "FlushedSurvivesCrash", Profiles: []string{"win8", "win7"},
			Covers: []string{"hive.flush.whole-hive", "hive.flush.other-hives-untouched", "hive.lazy.power-loss", "hive.crash.handles-invalid", "hive.flush.durable-on-return"},
			Actions: []Action{lazyOff,
				regCreate("a", RefNULL, sw+`\A`, all, 0), regCreate("b", RefNULL, sw+`\B`, all, 0), regCreate("u", RefNULL, usr+`\U`, all, 0),
				regSet("a", "v", 1), regSet("b", "v", 2), regSet("u", "v", 3), regOp(OpRegFlush, "a"), regSet("a", "v", 4),
				crash(), regQuery("a", "v"),
				regOpen("a2", RefNULL, sw+`\A`, all), regQuery("a2", "v"), regOpen("b2", RefNULL, sw+`\B`, all), regQuery("b2", "v"),
				regOpen("u2", RefNULL, usr+`\U`, all),
			}},
		{Family: "Registry", Name: "WineFlushWritesNothing", Profiles: []string{"wine-8.0"},
			Covers: []string{"hive.flush.success", "hive.lazy.power-loss"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, all, 0), regSet("a", "v", 1), regOp(OpRegFlush, "a"), crash(),
				regOpen("a2", RefNULL, sw+`\A`, all)}},
		{Family: "Registry", Name: "RegistryRootFlush", Profiles: []string{"win8", "win7"},
			Covers: []string{"hive.flush.registry-root"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, all, 0), regCreate("u", RefNULL, usr+`\U`, all, 0),
				regOpen("r", RefNULL, `\Registry`, win32.KEY_READ), regOp(OpRegFlush, "r"), crash(),
				regOpen("a2", RefNULL, sw+`\A`, all), regOpen("u2", RefNULL, usr+`\U`, all)}},
		{Family: "Registry", Name: "Volatile", Covers: []string{"hive.volatile.child-must-be-volatile", "hive.volatile.existing-unchanged", "hive.volatile.never-persisted"},
			Actions: []Action{lazyOff, regCreate("v", RefNULL, sw+`\V`, all, win32.REG_OPTION_VOLATILE), regCreate("c", "v", "C", all, 0),
				regCreate("c", "v", "C", all, win32.REG_OPTION_VOLATILE), regCreate("v2", RefNULL, sw+`\V`, all, 0), regCreate("c2", "v2", "D", all, 0),
				regOp(OpRegFlush, "v"), crash(), regOpen("v3", RefNULL, sw+`\V`, all)}},
		{Family: "Registry", Name: "Names", Covers: []string{"hive.create.disposition", "hive.create.missing-parent", "hive.open.not-found", "hive.query.not-found"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, all, 0), regCreate("a1", RefNULL, sw+`\a`, all, 0),
				regCreate("x", RefNULL, sw+`\X\Y`, all, 0), regOpen("x", RefNULL, sw+`\X`, all), regOpen("c", "a", "C", all), regQuery("a", "nothing")}},
		{Family: "Registry", Name: "ZeroAccess", Covers: []string{"hive.open.zero-access"}, Profiles: []string{"win8", "win7"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, all, 0), regOpen("z", RefNULL, sw+`\A`, 0), regOpen("z", RefNULL, sw+`\B`, 0), regOpen("r", RefNULL, `\Registry`, 0)}},
		{Family: "Registry", Name: "ZeroAccessWine", Covers: []string{"hive.open.zero-access-wine"}, Profiles: []string{"wine-8.0"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, all, 0), regOpen("z", RefNULL, sw+`\A`, 0), regSet("z", "v", 1)}},
		{Family: "Registry", Name: "Access", Covers: []string{"hive.set.access", "hive.query.access", "hive.delete.access"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, win32.KEY_READ, 0), regSet("a", "v", 1),
				regCreate("w", RefNULL, sw+`\A`, win32.KEY_WRITE, 0), regSet("w", "v", 1), regQuery("w", "v"), regQuery("a", "v"), regOp(OpRegDelete, "a")}},
		{Family: "Registry", Name: "Deleted", Covers: []string{"hive.delete.all-handles", "hive.delete.twice", "hive.delete.close", "hive.set.key-deleted",
			"hive.query.key-deleted", "hive.flush.key-deleted", "hive.create.key-deleted", "hive.delete.has-subkeys", "hive.delete.hive-root", "hive.delete.null-handle"},
			Actions: []Action{lazyOff, regCreate("a", RefNULL, sw+`\A`, all, 0), regCreate("c", "a", "C", all, 0), regOp(OpRegDelete, "a"),
				regOpen("a2", RefNULL, sw+`\A`, all), regOp(OpRegDelete, "c"), regOp(OpRegDelete, "a"), regOp(OpRegDelete, "a2"),
				regSet("a", "v", 1), regQuery("a2", "v"), regOp(OpRegFlush, "a"), regCreate("d", "a", "D", all, 0), regOp(OpRegDelete, "a"),
				regOp(OpRegClose, "a"), regOpen("r", RefNULL, sw, all), regOp(OpRegDelete, "r"), regOp(OpRegDelete, RefNULL)}},
		{Family: "Registry", Name: "BadHandles", Covers: []string{"hive.flush.invalid-handle", "hive.flush.current-process", "hive.close.invalid-handle"},
			Actions: []Action{lazyOff, regOp(OpRegFlush, RefNULL), regOp(OpRegFlush, RefBogus), regOp(OpRegFlush, RefInvalid),
				regCreate("a", RefNULL, sw+`\A`, all, 0), regOp(OpRegClose, "a"), regOp(OpRegClose, "a"), regOp(OpRegFlush, "a")}},
	}
}
