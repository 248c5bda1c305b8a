package evidence

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// currentProfile is the profile that stands for current Windows: a cited
// line's broken() values belong to older versions (win7, if anywhere).
const currentProfile = sim.DefaultProfile

// brokenSep separates a value's current alternatives from its broken()
// ones (see Site.Value).
const brokenSep = "; broken: "

// unreadable lists the encoded ledger lines with a broken() alternative
// whose value column the test cannot read, each with why and with what the
// condition in the source asserts, written as the column would write it:
// current and broken are read like the column's two sides ("" for none).
// value is the column the entry was written for: when the ledger's column
// changes, the source must be read again.
var unreadable = []struct {
	key, value, reason string
	current, broken    string
}{
	{"dlls/advapi32/tests/service.c:2337", "SERVICE_STOPPED; broken: expr",
		"the broken() alternative is a test for NT4, not a value: any state passes there, so no value is broken-only",
		"SERVICE_STOPPED", ""},
	{"dlls/advapi32/tests/crypt.c:1075", "expr; broken: NTE_KEYSET_ENTRY_BAD",
		"the current side is a bare truth test joined by || to the broken() one: the call succeeds",
		"TRUE", "NTE_KEYSET_ENTRY_BAD"},
	{"dlls/rsaenh/tests/rsaenh.c:180", "expr; broken: expr",
		"both sides are truth tests of the return value joined by ||: the call fails; Win98 succeeded",
		"FALSE", "TRUE"},
	{"dlls/rsaenh/tests/rsaenh.c:1942", "NTE_BAD_KEY; broken: expr",
		"the broken() alternative is a bare truth test of the return value: Windows 2000 and older succeeded",
		"NTE_BAD_KEY", "TRUE"},
	{"dlls/ncrypt/tests/ncrypt.c:272", "RPC_X_NULL_REF_POINTER; broken: NTE_FAIL",
		"the column drops the HRESULT_FROM_WIN32 the test wraps the Win32 name in: the SECURITY_STATUS is 0x800706F4",
		"HRESULT_RPC_X_NULL_REF_POINTER", "NTE_FAIL"},
	{"dlls/ncrypt/tests/ncrypt.c:478", "RPC_X_NULL_REF_POINTER; broken: NTE_FAIL",
		"the column drops the HRESULT_FROM_WIN32 the test wraps the Win32 name in: the SECURITY_STATUS is 0x800706F4",
		"HRESULT_RPC_X_NULL_REF_POINTER", "NTE_FAIL"},
}

// outcome is one alternative of a value, read for a step kind: its name in
// the column and the results it stands for.
type outcome struct {
	name  string
	match func(scenario.StepResult) bool
}

// errUnreadable is what readValue returns, wrapped, for a value it cannot
// read for a step kind.
var errUnreadable = errors.New("cannot be read")

// boolish reports whether a kind's call returns a BOOL or a handle, so that
// TRUE and !NULL are its success and FALSE and NULL its failure: the Win32
// steps but the registry's LSTATUS one, and the CryptoAPI steps (their
// status is the last error after FALSE).
func boolish(k *scenario.StepKind) bool {
	switch k.Returns {
	case scenario.ReturnsStatus:
		return k.Group != scenario.GroupRegistry
	case scenario.ReturnsCode:
		return k.Group == scenario.GroupCSP
	}
	return false
}

// readSide reads one side of a value column (alternatives joined by "|")
// for the results of a step kind. The names it reads: a status name of the
// space the kind returns; TRUE, !NULL, FALSE and NULL for a BOOL or handle
// return; a service state, compared with the structure the step keeps; a
// wait result for a wait. Anything else (expr, a number, "!" before
// another name, a Win32 name for an NCrypt SECURITY_STATUS, which Wine's
// tests wrap in HRESULT_FROM_WIN32, a macro the column drops) is
// unreadable.
func readSide(side string, k *scenario.StepKind) ([]outcome, error) {
	if side == "" {
		return nil, nil
	}
	var out []outcome
	for _, name := range strings.Split(side, "|") {
		o, err := readName(name, k)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// readName reads one alternative of a side for a step kind (see readSide).
func readName(name string, k *scenario.StepKind) (outcome, error) {
	cannot := func(why string) (outcome, error) {
		return outcome{}, fmt.Errorf("%s %w for %s: %s", name, errUnreadable, k.Name, why)
	}
	success := func(r scenario.StepResult) bool { return r.Code.Value == 0 }
	switch name {
	case "expr":
		return cannot("a condition the column does not reduce to a value")
	case "TRUE", "!NULL", "FALSE", "NULL":
		if !boolish(k) {
			return cannot("the call returns no BOOL or handle")
		}
		if name == "TRUE" || name == "!NULL" {
			return outcome{name, success}, nil
		}
		return outcome{name, func(r scenario.StepResult) bool { return !success(r) }}, nil
	}
	if k.Returns == scenario.ReturnsWait {
		waits := map[string]sim.WaitResult{"WAIT_OBJECT_0": sim.WAIT_OBJECT_0, "WAIT_ABANDONED": sim.WAIT_ABANDONED_0,
			"WAIT_ABANDONED_0": sim.WAIT_ABANDONED_0, "WAIT_TIMEOUT": sim.WAIT_TIMEOUT,
			"WAIT_IO_COMPLETION": sim.WAIT_IO_COMPLETION, "WAIT_FAILED": sim.WAIT_FAILED}
		if w, ok := waits[name]; ok {
			return outcome{name, func(r scenario.StepResult) bool { return !r.Deadlock && r.Wait == w }}, nil
		}
	}
	if c, ok := sim.LookupCode(name); ok {
		var fits bool
		switch k.Returns {
		case scenario.ReturnsStatus:
			fits = c.Kind == sim.KindWin32
		case scenario.ReturnsNTStatus:
			fits = c.Kind == sim.KindNTStatus
		case scenario.ReturnsCode:
			fits = c.Kind == sim.KindHResult || (c.Kind == sim.KindWin32 && (k.Group == scenario.GroupCSP || c.Value == 0))
		}
		switch {
		case !fits && k.Group == scenario.GroupKSP && c.Kind == sim.KindWin32:
			return cannot("a Win32 name compared with a SECURITY_STATUS: Wine's tests wrap such a name in HRESULT_FROM_WIN32, which the column drops")
		case !fits:
			return cannot(fmt.Sprintf("a %s name, which is not the kind of status the call returns", c.Kind))
		}
		return outcome{name, func(r scenario.StepResult) bool {
			return r.Code == c || (r.Code.Value == 0 && c.Value == 0)
		}}, nil
	}
	if keepsState(k) {
		for _, c := range win32.ServiceConstants() {
			if c.Group == win32.GroupState && c.Name == name {
				return outcome{name, func(r scenario.StepResult) bool {
					return r.Status != nil && uint32(r.Status.CurrentState) == c.Value
				}}, nil
			}
		}
	}
	return cannot("no status, wait result or service state of that name is known here for this call")
}

// keepsState reports whether a kind's step can keep the SERVICE_STATUS
// the call fills (Results gives it when the step compares one): its
// expect: has a state, or it is the status: step.
func keepsState(k *scenario.StepKind) bool {
	hasState := func(f scenario.Field) bool { return f.Name == "state" }
	return (k.Expect != nil && slices.ContainsFunc(k.Expect.Fields, hasState)) ||
		(k.Name == "status" && slices.ContainsFunc(k.Fields, hasState))
}

// reading is a value read for a step kind: its current alternatives, and
// the broken() ones that are not also current.
type reading struct {
	current, brokenOnly []outcome
}

// readValue reads a whole value column for a step kind.
func readValue(value string, k *scenario.StepKind) (reading, error) {
	cur, brk, ok := strings.Cut(value, brokenSep)
	if !ok {
		return reading{}, fmt.Errorf("%q has no broken() alternative", value)
	}
	if strings.Contains(value, " & ") {
		return reading{}, fmt.Errorf("%q %w: it joins the values of several checks on one line", value, errUnreadable)
	}
	return readSides(cur, brk, k)
}

func readSides(cur, brk string, k *scenario.StepKind) (reading, error) {
	current, err := readSide(cur, k)
	if err != nil {
		return reading{}, err
	}
	if len(current) == 0 {
		return reading{}, fmt.Errorf("no current value %w", errUnreadable)
	}
	broken, err := readSide(brk, k)
	if err != nil {
		return reading{}, err
	}
	r := reading{current: current}
	for _, b := range broken {
		if !slices.ContainsFunc(current, func(c outcome) bool { return c.name == b.name }) {
			r.brokenOnly = append(r.brokenOnly, b)
		}
	}
	return r, nil
}

func names(os []outcome) string {
	if len(os) == 0 {
		return "none"
	}
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = o.name
	}
	return strings.Join(s, "|")
}

// judge says what is wrong with a result under a reading, "" when nothing:
// it must be one of the current values and none of the broken-only ones.
func (rd reading) judge(r scenario.StepResult) string {
	if i := slices.IndexFunc(rd.brokenOnly, func(o outcome) bool { return o.match(r) }); i >= 0 {
		return fmt.Sprintf("gives the broken() value %s", rd.brokenOnly[i].name)
	}
	if !slices.ContainsFunc(rd.current, func(o outcome) bool { return o.match(r) }) {
		return "gives no current value"
	}
	return ""
}

// describe writes a result of st with the structure it kept, for messages.
func describe(st *scenario.Step, r scenario.StepResult) string {
	s := r.String()
	if r.Status == nil && keepsState(st.Kind) {
		s += " (the step keeps no status: it has no expect:)"
	}
	if r.Status != nil {
		s += " with dwCurrentState " + r.Status.CurrentState.String()
	}
	return s
}

// TestCitedBrokenLinesGetCurrentValue: every encoded ledger line whose
// value has broken() alternatives is encoded with the value current
// Windows gives. Each scenario that encodes the line (its status names it,
// or a step cites the line with observed:) and runs under win8 is recorded
// on the model under win8, and each step citing the line must have
// returned one of the line's current values and none of its broken-only
// ones (those belong to older Windows: win7, if any profile). At least one
// such step must exist per line. Lines whose value column the test cannot
// read are in unreadable, with the reading of their source.
func TestCitedBrokenLinesGetCurrentValue(t *testing.T) {
	env := scenario.NewEnv(scenario.Catalog())
	entries := committedLedger(t)
	manual := map[string]int{}
	for i, u := range unreadable {
		manual[u.key] = i
	}
	// Every scenario is read: a line is checked in every scenario citing
	// it, whether or not its status names that one.
	files, err := scenario.Find(filepath.Join(repoRoot, "scenarios"))
	require.NoError(t, err)
	scenarios := map[string]*scenario.Scenario{} // by path from the repository root
	citing := map[string][]string{}              // ledger key -> scenario paths
	for _, f := range files {
		s, err := scenario.Load(f, env)
		require.NoError(t, err)
		rel, err := filepath.Rel(repoRoot, f)
		require.NoError(t, err)
		p := filepath.ToSlash(rel)
		scenarios[p] = s
		for _, c := range s.Observed() {
			if k := c.TestLine.String(); !slices.Contains(citing[k], p) {
				citing[k] = append(citing[k], p)
			}
		}
	}
	recorded := map[string]*scenario.Recording{} // by path; nil: the scenario does not run under win8
	record := func(p string) (*scenario.Scenario, *scenario.Recording) {
		s := scenarios[p]
		if rec, ok := recorded[p]; ok || s == nil {
			return s, rec
		}
		recorded[p] = nil
		if !s.Supports(currentProfile) {
			return s, nil
		}
		b, err := model.New(currentProfile, s.Seed)
		require.NoError(t, err)
		res := scenario.Record(s, b, scenario.Options{Env: env})
		require.NotNil(t, res.Recording, "%s under %s: %s", p, currentProfile, res.Message)
		recorded[p] = res.Recording
		return s, res.Recording
	}
	encodes := func(e Entry) []string {
		paths := slices.Clone(citing[e.Key])
		for _, p := range e.Scenarios() {
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
		return paths
	}

	checked := 0
	for _, e := range entries {
		if !strings.Contains(e.Value, brokenSep) || len(encodes(e)) == 0 {
			continue
		}
		where := fmt.Sprintf("%s:%d: %s (%s)", LedgerPath, e.Line, e.Key, e.Value)
		u, isManual := manual[e.Key]
		if isManual && unreadable[u].value != e.Value {
			t.Errorf("%s: unreadable reads the column %q: read the source again and update the entry", where, unreadable[u].value)
			continue
		}
		steps := 0
		readable := true
		for _, p := range encodes(e) {
			s, rec := record(p)
			if s == nil {
				continue // TestLedgerStatuses reports a missing file
			}
			if rec == nil {
				continue // a scenario of other profiles: it may show the broken value
			}
			for _, c := range s.Observed() {
				if c.TestLine.String() != e.Key {
					continue
				}
				st := c.Step
				pos := fmt.Sprintf("%s:%d:%d: %s", p, st.Line, st.Col, st)
				steps++
				rd, err := readValue(e.Value, st.Kind)
				switch {
				case err != nil && !errors.Is(err, errUnreadable):
					t.Errorf("%s: %v", where, err)
					continue
				case err != nil && !isManual:
					t.Errorf("%s, cited by %s: the value %v; add the line to unreadable with the reading of its source", where, pos, err)
					continue
				case err != nil:
					readable = false
					rd, err = readSides(unreadable[u].current, unreadable[u].broken, st.Kind)
					if err != nil {
						t.Errorf("%s: unreadable's reading (current %q, broken %q) does not read for %s: %v", where, unreadable[u].current, unreadable[u].broken, pos, err)
						continue
					}
				}
				// What the scenario asserts: under win8 it may not let a
				// broken()-only value pass (a one-of with it, say).
				for _, r := range st.Accepts(currentProfile) {
					if i := slices.IndexFunc(rd.brokenOnly, func(o outcome) bool { return o.match(r) }); i >= 0 {
						t.Errorf("%s: %s lets the broken() value %s pass under %s (its want: accepts it); current value(s): %s",
							where, pos, rd.brokenOnly[i].name, currentProfile, names(rd.current))
					}
				}
				results := rec.Results(st)
				if len(results) == 0 {
					t.Errorf("%s: %s returned nothing under %s on the model (stopped: %q)", where, pos, currentProfile, rec.Stopped())
				}
				for _, r := range results {
					checked++
					if why := rd.judge(r); why != "" {
						t.Errorf("%s: %s returned %s under %s on the model: it %s; current value(s): %s, broken()-only value(s): %s",
							where, pos, describe(st, r), currentProfile, why, names(rd.current), names(rd.brokenOnly))
					}
				}
			}
		}
		if steps == 0 {
			t.Errorf("%s: no scenario that runs under %s cites it (status: %s)", where, currentProfile, e.Status)
		}
		if isManual && readable && steps > 0 {
			t.Errorf("%s: the column now reads for every citing step: drop the line from unreadable", where)
		}
	}
	require.Positive(t, checked, "no cited step was checked")

	byKey := map[string]Entry{}
	for _, e := range entries {
		byKey[e.Key] = e
	}
	for _, u := range unreadable {
		e, ok := byKey[u.key]
		switch {
		case !ok:
			t.Errorf("unreadable names %s, which is no longer a line of %s", u.key, LedgerPath)
		case !strings.Contains(e.Value, brokenSep):
			t.Errorf("unreadable names %s (ledger line %d), whose value %q has no broken() alternative any more", u.key, e.Line, e.Value)
		case len(encodes(e)) == 0:
			t.Errorf("unreadable names %s (ledger line %d), which no scenario encodes any more (status: %s)", u.key, e.Line, e.Status)
		}
		assert.NotEmpty(t, u.reason, u.key)
	}
}

// TestReadValue pins how a value column is read for a step kind, and how a
// result is judged against it.
func TestReadValue(t *testing.T) {
	code := func(c sim.Code) scenario.StepResult { return scenario.StepResult{Code: c} }
	ok, denied, invalid := code(sim.ERROR_SUCCESS.Code()), code(sim.ERROR_ACCESS_DENIED.Code()), code(sim.ERROR_INVALID_HANDLE.Code())
	stopped := scenario.StepResult{Code: sim.ERROR_SERVICE_NOT_ACTIVE.Code(), Status: &win32.SERVICE_STATUS_PROCESS{CurrentState: win32.SERVICE_STOPPED}}
	for _, tc := range []struct {
		value, kind string
		unreadable  bool
		current     string // the current and broken-only names read
		brokenOnly  string
		pass, fail  []scenario.StepResult // results judged right and wrong
	}{
		{value: "ERROR_ACCESS_DENIED; broken: ERROR_INVALID_HANDLE", kind: "CloseServiceHandle",
			current: "ERROR_ACCESS_DENIED", brokenOnly: "ERROR_INVALID_HANDLE", pass: []scenario.StepResult{denied}, fail: []scenario.StepResult{invalid, ok}},
		{value: "ERROR_ACCESS_DENIED|ERROR_INVALID_HANDLE; broken: ERROR_INVALID_HANDLE", kind: "CloseServiceHandle",
			current: "ERROR_ACCESS_DENIED|ERROR_INVALID_HANDLE", brokenOnly: "none", pass: []scenario.StepResult{denied, invalid}, fail: []scenario.StepResult{ok}},
		{value: "!NULL; broken: NULL", kind: "OpenSCManager",
			current: "!NULL", brokenOnly: "NULL", pass: []scenario.StepResult{ok}, fail: []scenario.StepResult{denied}},
		{value: "FALSE; broken: TRUE", kind: "CryptReleaseContext",
			current: "FALSE", brokenOnly: "TRUE", pass: []scenario.StepResult{code(sim.NTE_BAD_FLAGS.Code())}, fail: []scenario.StepResult{ok}},
		{value: "FALSE; broken: NTE_BAD_UID", kind: "CryptReleaseContext",
			current: "FALSE", brokenOnly: "NTE_BAD_UID", pass: []scenario.StepResult{code(sim.NTE_BAD_FLAGS.Code())}, fail: []scenario.StepResult{code(sim.NTE_BAD_UID.Code()), ok}},
		{value: "NTE_BAD_FLAGS; broken: ERROR_INVALID_PARAMETER", kind: "CryptAcquireContext",
			current: "NTE_BAD_FLAGS", brokenOnly: "ERROR_INVALID_PARAMETER", pass: []scenario.StepResult{code(sim.NTE_BAD_FLAGS.Code())}, fail: []scenario.StepResult{code(sim.ERROR_INVALID_PARAMETER.Code())}},
		{value: "ERROR_SUCCESS; broken: NTE_NOT_SUPPORTED", kind: "NCryptIsAlgSupported",
			current: "ERROR_SUCCESS", brokenOnly: "NTE_NOT_SUPPORTED", pass: []scenario.StepResult{ok, code(sim.S_OK.Code())}, fail: []scenario.StepResult{code(sim.NTE_NOT_SUPPORTED.Code())}},
		{value: "STATUS_SUCCESS; broken: STATUS_ACCESS_DENIED", kind: "NtCreateKey",
			current: "STATUS_SUCCESS", brokenOnly: "STATUS_ACCESS_DENIED", pass: []scenario.StepResult{code(sim.STATUS_SUCCESS.Code())}, fail: []scenario.StepResult{code(sim.STATUS_ACCESS_DENIED.Code())}},
		{value: "WAIT_OBJECT_0; broken: WAIT_TIMEOUT", kind: "WaitForSingleObjectEx",
			current: "WAIT_OBJECT_0", brokenOnly: "WAIT_TIMEOUT", pass: []scenario.StepResult{{Wait: sim.WAIT_OBJECT_0}}, fail: []scenario.StepResult{{Wait: sim.WAIT_TIMEOUT}, {Deadlock: true}}},
		{value: "SERVICE_STOPPED; broken: SERVICE_RUNNING", kind: "ControlService",
			current: "SERVICE_STOPPED", brokenOnly: "SERVICE_RUNNING", pass: []scenario.StepResult{stopped}, fail: []scenario.StepResult{denied}},
		{value: "SERVICE_STOPPED; broken: SERVICE_RUNNING", kind: "status",
			current: "SERVICE_STOPPED", brokenOnly: "SERVICE_RUNNING", pass: []scenario.StepResult{stopped}, fail: []scenario.StepResult{denied}},
		// What the column does not say.
		{value: "RPC_X_NULL_REF_POINTER; broken: NTE_FAIL", kind: "NCryptIsAlgSupported", unreadable: true},
		{value: "TRUE; broken: NTE_FAIL", kind: "NCryptIsAlgSupported", unreadable: true},
		{value: "TRUE; broken: FALSE", kind: "RegFlushKey", unreadable: true},
		{value: "STATUS_SUCCESS; broken: STATUS_ACCESS_DENIED", kind: "CloseServiceHandle", unreadable: true},
		{value: "SERVICE_STOPPED; broken: SERVICE_RUNNING", kind: "CloseServiceHandle", unreadable: true},
		{value: "SERVICE_STOPPED; broken: SERVICE_RUNNING", kind: "CryptAcquireContext", unreadable: true},
		{value: "expr; broken: ERROR_ACCESS_DENIED", kind: "CloseServiceHandle", unreadable: true},
		{value: "ERROR_ACCESS_DENIED; broken: expr", kind: "CloseServiceHandle", unreadable: true},
		{value: "0; broken: 1", kind: "SleepEx", unreadable: true},
		{value: "!ERROR_SUCCESS; broken: ERROR_SUCCESS", kind: "CloseServiceHandle", unreadable: true},
		{value: "NOT_A_NAME; broken: ERROR_SUCCESS", kind: "CloseServiceHandle", unreadable: true},
		{value: "ERROR_SUCCESS & TRUE; broken: ERROR_ACCESS_DENIED", kind: "CloseServiceHandle", unreadable: true},
	} {
		k := scenario.LookupStepKind(tc.kind)
		require.NotNil(t, k, tc.kind)
		rd, err := readValue(tc.value, k)
		if tc.unreadable {
			assert.ErrorIs(t, err, errUnreadable, "%s for %s", tc.value, tc.kind)
			continue
		}
		require.NoError(t, err, "%s for %s", tc.value, tc.kind)
		assert.Equal(t, tc.current, names(rd.current), tc.value)
		assert.Equal(t, tc.brokenOnly, names(rd.brokenOnly), tc.value)
		for _, r := range tc.pass {
			assert.Empty(t, rd.judge(r), "%s for %s: %+v", tc.value, tc.kind, r)
		}
		for _, r := range tc.fail {
			assert.NotEmpty(t, rd.judge(r), "%s for %s: %+v", tc.value, tc.kind, r)
		}
	}
	_, err := readValue("ERROR_SUCCESS", scenario.LookupStepKind("CloseServiceHandle"))
	assert.ErrorContains(t, err, "has no broken() alternative")
	assert.NotErrorIs(t, err, errUnreadable)
}
