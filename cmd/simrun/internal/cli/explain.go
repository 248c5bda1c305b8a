package cli

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// explainCmd explains a status code (by name, or by value in decimal or
// hex, in every kind that names the value), a catalog rule id or a profile
// setting, from the registries: the codes sim declares, scenario.Catalog(),
// scenario.Settings() and the step kinds, with the scenarios under -dir
// that cover what it names.
func explainCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simrun explain", flag.ContinueOnError)
	dir := fs.String("dir", DefaultPath, "the scenarios whose covers: and documents: are listed")
	// A negative value (an HRESULT printed signed) is not a flag.
	var values []string
	args = slices.DeleteFunc(slices.Clone(args), func(a string) bool {
		if _, ok := parseValue(a); ok && strings.HasPrefix(a, "-") {
			values = append(values, a)
			return true
		}
		return false
	})
	words, err := parseFlags(fs, args, stderr)
	if err != nil {
		return ExitInvalid
	}
	words = append(words, values...)
	if len(words) != 1 {
		fmt.Fprintf(stderr, "simrun: explain takes one NAME or VALUE (a status code, a rule id or a setting)\n")
		return ExitInvalid
	}
	x := newExplainer(*dir, stderr)
	if !x.explain(stdout, words[0]) {
		fmt.Fprintf(stderr, "simrun: explain: %s\n", x.unknown(words[0]))
		return ExitInvalid
	}
	return ExitOK
}

// explainer holds what explain looks things up in.
type explainer struct {
	catalog  *sim.Catalog
	settings []sim.SettingInfo
	kinds    []*scenario.StepKind
	// covers and documents map a rule id to the scenarios naming it.
	covers, documents map[string][]string
}

func newExplainer(dir string, stderr io.Writer) *explainer {
	x := &explainer{
		catalog:   scenario.Catalog(),
		settings:  scenario.Settings(),
		kinds:     scenario.StepKinds(),
		covers:    map[string][]string{},
		documents: map[string][]string{},
	}
	targets, err := collect([]string{dir})
	if err != nil {
		fmt.Fprintf(stderr, "simrun: explain: no scenarios listed: %v\n", err)
		return x
	}
	e := env()
	for _, t := range targets {
		s, err := scenario.Load(t.path, e)
		if err != nil {
			fmt.Fprintf(stderr, "simrun: explain: skipping %s: %s\n", display(t.name), firstLine(problem(err)))
			continue
		}
		for _, id := range s.Covers {
			x.covers[id] = append(x.covers[id], t.name)
		}
		for _, id := range s.Documents {
			x.documents[id] = append(x.documents[id], t.name)
		}
	}
	return x
}

// explain writes what word is: a code, or every rule and setting with
// that id (a setting may share its id with the rule it is about); false
// when it is nothing known.
func (x *explainer) explain(w io.Writer, word string) bool {
	if c, ok := sim.LookupCode(word); ok {
		x.code(w, c)
		return true
	}
	if v, ok := parseValue(word); ok {
		return x.value(w, v)
	}
	found := false
	if r, ok := x.catalog.Lookup(word); ok {
		x.rule(w, r, "")
		found = true
	}
	for _, s := range x.settings {
		if s.ID == word {
			if found {
				fmt.Fprintln(w)
			}
			x.setting(w, s)
			found = true
		}
	}
	return found
}

// unknown says that word is unknown, with the nearest name.
func (x *explainer) unknown(word string) string {
	if _, ok := parseValue(word); ok {
		return fmt.Sprintf("no status code has the value %s in any kind (Win32, NTSTATUS, HRESULT)", word)
	}
	var names []string
	for _, c := range sim.Codes() {
		names = append(names, c.Name)
	}
	names = append(names, x.catalog.IDs()...)
	for _, s := range x.settings {
		names = append(names, s.ID)
	}
	msg := fmt.Sprintf("%q is no status code, rule id or setting", word)
	if near := sim.Nearest(word, names); near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	}
	return msg
}

// parseValue parses a code's value: decimal, hex with 0x, or a negative
// decimal (an HRESULT or NTSTATUS printed as a signed 32-bit number).
func parseValue(s string) (uint32, bool) {
	if v, err := strconv.ParseUint(s, 0, 32); err == nil {
		return uint32(v), true
	}
	if v, err := strconv.ParseInt(s, 10, 32); err == nil && v < 0 {
		return uint32(int32(v)), true
	}
	return 0, false
}

// kinds are the kinds of status code, in the order explain lists them.
var kinds = []sim.Kind{sim.KindWin32, sim.KindNTStatus, sim.KindHResult}

// value explains every named code with the value v.
func (x *explainer) value(w io.Writer, v uint32) bool {
	var found []sim.Code
	for _, k := range kinds {
		if c := (sim.Code{Kind: k, Value: v}); c.Name() != "" {
			found = append(found, c)
		}
	}
	if len(found) > 1 {
		fmt.Fprintf(w, "%d (0x%08X) is %d codes, one per kind:\n\n", v, v, len(found))
	}
	for i, c := range found {
		if i > 0 {
			fmt.Fprintln(w)
		}
		x.code(w, c)
	}
	return len(found) > 0
}

// code explains one status code.
func (x *explainer) code(w io.Writer, c sim.Code) {
	name := c.Name()
	outcome := "a failure"
	if c.Success() {
		outcome = "a success"
	}
	fmt.Fprintf(w, "%s: %s %d (0x%08X), %s\n", name, c.Kind, int64(c.Value), c.Value, outcome)
	fmt.Fprintf(w, "  source: the Windows SDK (%s)\n", header(c.Kind))
	if c.Kind == sim.KindHResult && c.Value&0xFFFF0000 == 0x80070000 {
		if e := (sim.Code{Kind: sim.KindWin32, Value: c.Value & 0xFFFF}); e.Name() != "" {
			fmt.Fprintf(w, "  HRESULT_FROM_WIN32(%s)\n", e.Name())
		}
	}
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`)
	var rules []sim.Rule
	for _, r := range x.catalog.Rules() {
		if word.MatchString(r.Statement) {
			rules = append(rules, r)
		}
	}
	kinds := x.returning(c.Kind)
	if named := x.namedIn(rules, kinds); len(named) > 0 {
		fmt.Fprintf(w, "  returned by (the calls its rules name): %s\n", strings.Join(named, ", "))
	}
	fmt.Fprintf(w, "  step kinds whose want: takes %s codes: %s\n", c.Kind, orNone(kinds))
	if len(rules) == 0 {
		fmt.Fprintf(w, "  no catalog rule names it\n")
		return
	}
	fmt.Fprintf(w, "  rules naming it (%d):\n", len(rules))
	for _, r := range rules {
		x.rule(w, r, "    ")
	}
}

// header names the SDK header declaring a kind's codes.
func header(k sim.Kind) string {
	switch k {
	case sim.KindNTStatus:
		return "ntstatus.h"
	}
	return "winerror.h"
}

// returning lists the step kinds whose want: takes a code of kind k.
func (x *explainer) returning(k sim.Kind) []string {
	var out []string
	for _, sk := range x.kinds {
		switch {
		case k == sim.KindWin32 && (sk.Returns == scenario.ReturnsStatus || sk.Returns == scenario.ReturnsCode),
			k == sim.KindHResult && sk.Returns == scenario.ReturnsCode,
			k == sim.KindNTStatus && sk.Returns == scenario.ReturnsNTStatus:
			out = append(out, sk.Name)
		}
	}
	sort.Strings(out)
	return out
}

// namedIn lists the step kinds among kinds that the rules' statements name.
func (x *explainer) namedIn(rules []sim.Rule, kinds []string) []string {
	var out []string
	for _, k := range kinds {
		word := regexp.MustCompile(`\b` + regexp.QuoteMeta(k) + `\b`)
		for _, r := range rules {
			if word.MatchString(r.Statement) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// rule explains a catalog rule, each line after indent.
func (x *explainer) rule(w io.Writer, r sim.Rule, indent string) {
	fmt.Fprintf(w, "%s%s (%s): %s\n", indent, r.ID, r.Status, r.Statement)
	fmt.Fprintf(w, "%s  source: %s\n", indent, r.Source)
	if r.Reason != "" {
		fmt.Fprintf(w, "%s  reason: %s\n", indent, r.Reason)
	}
	if r.DecidedBy != "" {
		fmt.Fprintf(w, "%s  decided by setting: %s\n", indent, r.DecidedBy)
	}
	fmt.Fprintf(w, "%s  covered by: %s\n", indent, orNone(x.covers[r.ID]))
	if d := x.documents[r.ID]; len(d) > 0 {
		fmt.Fprintf(w, "%s  documented by: %s\n", indent, strings.Join(d, ", "))
	}
}

// setting explains a profile setting.
func (x *explainer) setting(w io.Writer, s sim.SettingInfo) {
	fmt.Fprintf(w, "%s: profile setting\n", s.ID)
	fmt.Fprintf(w, "  %s\n", s.Reason)
	fmt.Fprintf(w, "  source: %s\n", s.Source)
	fmt.Fprintf(w, "  evidence of the win8 value: %s\n", s.Evidence)
	var vals []string
	for _, p := range sim.Profiles() {
		vals = append(vals, p.Name+"="+s.Values[p.Name])
	}
	fmt.Fprintf(w, "  values: %s\n", strings.Join(vals, " "))
	var decided []sim.Rule
	for _, r := range x.catalog.Rules() {
		if r.DecidedBy == s.ID {
			decided = append(decided, r)
		}
	}
	if len(decided) == 0 {
		fmt.Fprintf(w, "  decides no catalog rule\n")
		return
	}
	fmt.Fprintf(w, "  rules it decides (%d):\n", len(decided))
	for _, r := range decided {
		x.rule(w, r, "    ")
	}
}

// orNone joins names, or says "none".
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(slices.Clip(names), ", ")
}
