package scenario

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// Family is one API family as the scenario language sees it: its step
// kinds, the SDK constants its steps may name, its profile settings and its
// catalog rules. A family registers itself from its own file:
//
//	var _ = scenario.RegisterFamily(scenario.Family{Name: "scm", Needs: backend.CapSCM, Steps: scmSteps, ...})
//
// and everything else iterates Families(): the step table the decoder
// reads, NewEnv's constants and settings, `simrun help steps`, the catalog
// scenarios are validated against (Catalog), and the CLI's family list the
// Wine leg runs. Adding a family adds files; it edits none.
type Family struct {
	// Name names the family: "kernel", "scm", "ksp", "csp", "registry".
	// It is the step group of its main step kinds.
	Name string
	// Needs is the capability of the family's interface, which every one
	// of its step kinds needs: a scenario using them is skipped on a
	// backend without it. "" for the kernel, which every backend has.
	Needs backend.Capability
	// Steps returns the family's step kinds. It is called when the step
	// table is built, after package initialization.
	Steps func() []*StepKind
	// Constants are the SDK constants the family's steps may name (e.g.
	// win32.ServiceConstants()). Families may declare the same constant
	// (the NCrypt and CryptoAPI families share win32.CryptConstants());
	// the same name with another value is an error.
	Constants []sim.Const
	// Settings are the family's profile settings (scm.Settings(), ...),
	// which a per-profile want: may name.
	Settings []sim.SettingInfo
	// Rules are the family's catalog rules (scm.Rules(), ...): the ids
	// covers:, documents: and violations: may name.
	Rules []sim.Rule

	// Title is how reports name the family ("SCM", "CryptoAPI", "NCrypt");
	// "" means Name.
	Title string
	// Dir is the directory under scenarios/ holding the family's bundled
	// scenarios; "" means Name.
	Dir string
	// Table is the base name of the family's agreement table snapshot
	// (docs/agreement/<profile>/<Table>.txt); "" means Name.
	Table string
	// Groups title the family's step groups in help, in the order help
	// lists them. A group the family's kinds use and Groups leaves out is
	// listed after them, titled after the family.
	Groups []StepGroup
	// Order places the family in Families() and so in every listing: help,
	// the catalog, the settings and the Wine leg's runs. Families sort by
	// Order, then by Name; the bundled ones use 10 to 50.
	Order int
}

// StepGroup titles a group of step kinds (StepKind.Group) in help.
type StepGroup struct {
	// Name is the group, as step kinds name it.
	Name string
	// Title heads the group's step kinds in help.
	Title string
}

// registry holds the registered families, and the tables built from them
// once they are first needed.
var registry struct {
	mu       sync.Mutex
	families []Family
	built    atomic.Pointer[tables]
}

// tables are what the registered families make: built once, rebuilt when a
// family registers later (a test's).
type tables struct {
	families []Family    // sorted by Order, then Name
	kinds    []*StepKind // every step kind, family by family
	byName   map[string]*StepKind
	byFamily [][]*StepKind // kinds of families[i]
	consts   *sim.ConstTable
	settings []sim.SettingInfo
	catalog  *sim.Catalog
}

// RegisterFamily registers f. It returns true, for a package-level
// `var _ = scenario.RegisterFamily(...)` in the family's own file. It
// panics when f has no name or its name is taken. Conflicts between
// families (a step kind, setting or rule declared twice, a constant with two
// values) panic when the tables are built, at the latest when the package
// initializes.
func RegisterFamily(f Family) bool {
	if f.Name == "" {
		panic("scenario: a family needs a name")
	}
	if f.Title == "" {
		f.Title = f.Name
	}
	if f.Dir == "" {
		f.Dir = f.Name
	}
	if f.Table == "" {
		f.Table = f.Name
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	for _, g := range registry.families {
		if g.Name == f.Name {
			panic(fmt.Sprintf("scenario: family %q registered twice", f.Name))
		}
	}
	registry.families = append(registry.families, f)
	registry.built.Store(nil)
	return true
}

// Families returns the registered families, sorted by Order, then Name.
func Families() []Family { return slices.Clone(current().families) }

// Catalog returns the behavior catalog of every registered family: the
// rule ids scenarios may name, in the order of Families().
func Catalog() *sim.Catalog { return current().catalog }

// Settings returns every registered family's profile settings, in the
// order of Families().
func Settings() []sim.SettingInfo { return slices.Clone(current().settings) }

// current returns the tables of the registered families, building them
// when none are built since the last registration.
func current() *tables {
	if t := registry.built.Load(); t != nil {
		return t
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if t := registry.built.Load(); t != nil {
		return t
	}
	t, err := buildTables(registry.families)
	if err != nil {
		panic("scenario: " + err.Error())
	}
	registry.built.Store(t)
	return t
}

// The tables are built once every file's registration has run, so that a
// conflict stops the program at its start.
func init() { current() }

// buildTables makes the tables of fams.
func buildTables(fams []Family) (*tables, error) {
	t := &tables{families: slices.Clone(fams), byName: map[string]*StepKind{}}
	sort.SliceStable(t.families, func(i, j int) bool {
		a, b := t.families[i], t.families[j]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.Name < b.Name
	})
	owner := map[string]string{}
	var consts [][]sim.Const
	seenConst := map[sim.Const]bool{}
	var rules [][]sim.Rule
	settingOwner := map[string]string{}
	for _, f := range t.families {
		var kinds []*StepKind
		if f.Steps != nil {
			for _, k := range f.Steps() {
				if prev, dup := owner[k.Name]; dup {
					return nil, fmt.Errorf("step kind %s is declared by family %s and by family %s", k.Name, prev, f.Name)
				}
				owner[k.Name] = f.Name
				if f.Needs != "" {
					c := *k
					c.Needs = append([]backend.Capability{f.Needs}, k.Needs...)
					k = &c
				}
				kinds = append(kinds, k)
				t.byName[k.Name] = k
			}
		}
		t.byFamily = append(t.byFamily, kinds)
		t.kinds = append(t.kinds, kinds...)
		var own []sim.Const
		for _, c := range f.Constants {
			if !seenConst[c] {
				seenConst[c] = true
				own = append(own, c)
			}
		}
		consts = append(consts, own)
		for _, s := range f.Settings {
			if prev, dup := settingOwner[s.ID]; dup {
				return nil, fmt.Errorf("setting %s is declared by family %s and by family %s", s.ID, prev, f.Name)
			}
			settingOwner[s.ID] = f.Name
			t.settings = append(t.settings, s)
		}
		rules = append(rules, f.Rules)
	}
	var err error
	if t.consts, err = sim.NewConstTable(consts...); err != nil {
		return nil, err
	}
	if t.catalog, err = sim.NewCatalog(rules...); err != nil {
		return nil, err
	}
	return t, nil
}

// groups returns the step groups of family i as help lists them: those
// its Groups name, then the others its kinds use, each with its kinds.
func (t *tables) groups(i int) []helpGroup {
	f := t.families[i]
	var out []helpGroup
	index := map[string]int{}
	add := func(name, title string) {
		index[name] = len(out)
		out = append(out, helpGroup{title: title})
	}
	for _, g := range f.Groups {
		add(g.Name, g.Title)
	}
	for _, k := range t.byFamily[i] {
		if _, ok := index[k.Group]; !ok {
			add(k.Group, defaultGroupTitle(f, k.Group))
		}
		g := &out[index[k.Group]]
		g.kinds = append(g.kinds, k)
	}
	return slices.DeleteFunc(out, func(g helpGroup) bool { return len(g.kinds) == 0 })
}

// helpGroup is one titled group of step kinds in help.
type helpGroup struct {
	title string
	kinds []*StepKind
}

// defaultGroupTitle titles a group its family's Groups leave out.
func defaultGroupTitle(f Family, group string) string {
	switch group {
	case f.Name:
		return f.Title + " steps"
	case GroupAssert:
		return f.Title + " assertions"
	}
	return f.Title + " steps (" + strings.ReplaceAll(group, "-", " ") + ")"
}
