package evidence

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Files are the Wine 8.0 test files the ledger covers, in the order the
// ledger and the counts list them.
var Files = []string{
	"dlls/advapi32/tests/service.c",
	"dlls/advapi32/tests/crypt.c",
	"dlls/advapi32/tests/registry.c",
	"dlls/rsaenh/tests/rsaenh.c",
	"dlls/ncrypt/tests/ncrypt.c",
	"dlls/ntdll/tests/reg.c",
	"dlls/kernel32/tests/sync.c",
}

// SourceEnv names the environment variable that points at a Wine 8.0 tree
// (or a directory holding at least Files under their paths).
const SourceEnv = "WINSIM_WINE_SRC"

// LedgerPath is the ledger's path in the repository.
const LedgerPath = "evidence/wine-8.0.ledger"

// Ledger is the committed ledger's text.
//
//go:embed wine-8.0.ledger
var Ledger []byte

// Entry is one line of the ledger: an in-scope site and its status.
type Entry struct {
	// Key is the site's file:line.
	Key string
	// Function, Call, Value and Todo are the extractor's fields for the
	// site (Function carries " via helper" for a helper site).
	Function, Call, Value string
	Todo                  Todo
	// Status is "open", "out: <reason>", or the scenario files that encode
	// the site, comma-separated.
	Status string
	// Line is the entry's line in the ledger file, for messages.
	Line int
}

// File returns the test file of the entry's key.
func (e Entry) File() string { f, _, _ := strings.Cut(e.Key, ":"); return f }

// Out reports whether the entry is classified out of scope, and why.
func (e Entry) Out() (reason string, out bool) {
	return strings.CutPrefix(e.Status, "out: ")
}

// Scenarios lists the scenario files an encoded entry names; nil for an
// open or out entry.
func (e Entry) Scenarios() []string {
	if e.Status == "open" || strings.HasPrefix(e.Status, "out: ") {
		return nil
	}
	var paths []string
	for _, p := range strings.Split(e.Status, ",") {
		paths = append(paths, strings.TrimSpace(p))
	}
	return paths
}

// EntryOf renders a site as the fields of its ledger line, with status.
func EntryOf(s Site, status string) Entry {
	fn := s.Function
	if s.Helper != "" {
		fn += " via " + s.Helper
	}
	return Entry{Key: s.Key(), Function: fn, Call: s.Call, Value: s.Value, Todo: s.Todo, Status: status}
}

const ledgerHeader = `# The Wine 8.0 conformance checks whose subject is a modeled call: one line
# per ok() site (see evidence/doc.go for the extraction rule), written by
# "simrun ledger update" and kept equal to the sources by go test.
# Columns: file:line | function | call | value checked | todo | status
# status: open, "out: <reason>", or the scenario files that encode the line.
`

// Format writes entries as a ledger file.
func Format(entries []Entry) []byte {
	var b strings.Builder
	b.WriteString(ledgerHeader)
	for _, e := range entries {
		fmt.Fprintf(&b, "%s | %s | %s | %s | %s | %s\n", e.Key, e.Function, e.Call, e.Value, e.Todo, e.Status)
	}
	return []byte(b.String())
}

// Parse reads a ledger file; name is used in messages. Errors name the
// line.
func Parse(name string, data []byte) ([]Entry, error) {
	var entries []Entry
	seen := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, " | ")
		if len(f) != 6 {
			return nil, fmt.Errorf("%s:%d: want 6 fields separated by \" | \", found %d", name, n, len(f))
		}
		e := Entry{Key: f[0], Function: f[1], Call: f[2], Value: f[3], Todo: Todo(f[4]), Status: f[5], Line: n}
		file, num, ok := strings.Cut(e.Key, ":")
		if _, err := strconv.Atoi(num); !ok || err != nil || !slices.Contains(Files, file) {
			return nil, fmt.Errorf("%s:%d: %q is not file:line of a covered test file", name, n, e.Key)
		}
		switch e.Todo {
		case NoTodo, TodoWine, TodoWineIf:
		default:
			return nil, fmt.Errorf("%s:%d: todo %q is not -, todo_wine or todo_wine_if", name, n, e.Todo)
		}
		if reason, out := e.Out(); out && strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: out: needs a reason", name, n)
		}
		for _, p := range e.Scenarios() {
			if !strings.HasPrefix(p, "scenarios/") || !strings.HasSuffix(p, ".yaml") {
				return nil, fmt.Errorf("%s:%d: status %q is not open, out: <reason>, or scenario paths", name, n, e.Status)
			}
		}
		if prev, dup := seen[e.Key]; dup {
			return nil, fmt.Errorf("%s:%d: %s is already on line %d", name, n, e.Key, prev)
		}
		seen[e.Key] = n
		entries = append(entries, e)
	}
	return entries, nil
}

// ExtractTree lists the in-scope sites of every covered file under root,
// in ledger order.
func ExtractTree(root string) ([]Site, error) {
	step := StepFor(ModeledCalls())
	var sites []Site
	for _, f := range Files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, err
		}
		for _, s := range Extract(f, data, step) {
			if s.Modeled {
				sites = append(sites, s)
			}
		}
	}
	return sites, nil
}

// Diff compares the ledger with the in-scope sites of the sources: every
// site must have a line with the extractor's fields, and every line must
// be a site. It returns one message per difference.
func Diff(entries []Entry, sites []Site) []string {
	byKey := map[string]Entry{}
	for _, e := range entries {
		byKey[e.Key] = e
	}
	var diffs []string
	have := map[string]bool{}
	for _, s := range sites {
		want := EntryOf(s, "")
		have[want.Key] = true
		got, ok := byKey[want.Key]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: in-scope site missing from the ledger (%s %s)", want.Key, want.Function, want.Call))
		case got.Function != want.Function || got.Call != want.Call || got.Value != want.Value || got.Todo != want.Todo:
			diffs = append(diffs, fmt.Sprintf("%s (ledger line %d): ledger says %s | %s | %s | %s, sources say %s | %s | %s | %s",
				want.Key, got.Line, got.Function, got.Call, got.Value, got.Todo, want.Function, want.Call, want.Value, want.Todo))
		}
	}
	for _, e := range entries {
		if !have[e.Key] {
			diffs = append(diffs, fmt.Sprintf("%s (ledger line %d): not an in-scope site of the sources", e.Key, e.Line))
		}
	}
	return diffs
}

// Update returns the ledger for the sites: the extractor's fields, each
// site's status kept from the old ledger, "open" for a new site.
func Update(entries []Entry, sites []Site) []Entry {
	status := map[string]string{}
	for _, e := range entries {
		status[e.Key] = e.Status
	}
	out := make([]Entry, len(sites))
	for i, s := range sites {
		st, ok := status[s.Key()]
		if !ok {
			st = "open"
		}
		out[i] = EntryOf(s, st)
	}
	return out
}

// Counts are the ledger's figures for one file (or the total).
type Counts struct {
	InScope, Encoded, Out, Open int
}

// Tally counts the entries per file, in Files order, with the total last,
// and the out-of-scope entries per reason.
func Tally(entries []Entry) (perFile []Counts, total Counts, outByReason map[string]int) {
	perFile = make([]Counts, len(Files))
	outByReason = map[string]int{}
	for _, e := range entries {
		c := &perFile[slices.Index(Files, e.File())]
		c.InScope++
		switch reason, out := e.Out(); {
		case out:
			c.Out++
			outByReason[reason]++
		case e.Status == "open":
			c.Open++
		default:
			c.Encoded++
		}
	}
	for _, c := range perFile {
		total.InScope += c.InScope
		total.Encoded += c.Encoded
		total.Out += c.Out
		total.Open += c.Open
	}
	return perFile, total, outByReason
}

// CountsTable renders the tally as the Markdown tables the README shows.
func CountsTable(entries []Entry) string {
	perFile, total, outByReason := Tally(entries)
	var b strings.Builder
	b.WriteString("| Wine 8.0 test file | in scope | encoded | out | open |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: |\n")
	for i, c := range perFile {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", Files[i], c.InScope, c.Encoded, c.Out, c.Open)
	}
	fmt.Fprintf(&b, "| total | %d | %d | %d | %d |\n", total.InScope, total.Encoded, total.Out, total.Open)
	if len(outByReason) > 0 {
		b.WriteString("\n| out of scope because | lines |\n| --- | ---: |\n")
		reasons := make([]string, 0, len(outByReason))
		for r := range outByReason {
			reasons = append(reasons, r)
		}
		sort.Slice(reasons, func(i, j int) bool {
			if outByReason[reasons[i]] != outByReason[reasons[j]] {
				return outByReason[reasons[i]] > outByReason[reasons[j]]
			}
			return reasons[i] < reasons[j]
		})
		for _, r := range reasons {
			fmt.Fprintf(&b, "| %s | %d |\n", r, outByReason[r])
		}
	}
	return b.String()
}
