package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNewCatalog encodes NewCatalog: it fails on an empty or duplicate id
// (also across lists), a rule without a statement or a source, a rule
// without a status, or an out-of-scope rule without a reason.
func TestNewCatalog(t *testing.T) {
	ok := Rule{ID: "a.b.c", Statement: "s", Source: "DOC X", Status: Modeled}
	with := func(f func(*Rule)) Rule { r := ok; f(&r); return r }
	tests := []struct {
		name    string
		lists   [][]Rule
		wantErr string
	}{
		{"empty", nil, ""},
		{"one", [][]Rule{{ok}}, ""},
		{"every status", [][]Rule{{
			with(func(r *Rule) { r.ID = "x.modeled" }),
			with(func(r *Rule) { r.ID = "x.choice"; r.Status = ModelChoice }),
			with(func(r *Rule) { r.ID = "x.fault"; r.Status = FaultInjection }),
			with(func(r *Rule) { r.ID = "x.oos"; r.Status = OutOfScope; r.Reason = "needs a kernel debugger" }),
		}}, ""},
		{"empty id", [][]Rule{{with(func(r *Rule) { r.ID = "" })}}, `catalog: rule with empty id: "s"`},
		{"no statement", [][]Rule{{with(func(r *Rule) { r.Statement = "" })}}, "catalog: rule a.b.c needs a statement and a source"},
		{"no source", [][]Rule{{with(func(r *Rule) { r.Source = "" })}}, "catalog: rule a.b.c needs a statement and a source"},
		{"no status", [][]Rule{{with(func(r *Rule) { r.Status = "" })}}, "catalog: rule a.b.c has no status"},
		{"out of scope without reason", [][]Rule{{with(func(r *Rule) { r.Status = OutOfScope })}}, "catalog: out-of-scope rule a.b.c has no reason"},
		{"duplicate in one list", [][]Rule{{ok, ok}}, "catalog: duplicate rule id a.b.c"},
		{"duplicate across lists", [][]Rule{{ok}, {with(func(r *Rule) { r.Statement = "other" })}}, "catalog: duplicate rule id a.b.c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCatalog(tt.lists...)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				require.Nil(t, c)
				return
			}
			require.NoError(t, err)
			n := 0
			for _, l := range tt.lists {
				n += len(l)
			}
			require.Len(t, c.Rules(), n)
		})
	}
}

// TestCatalogAccess encodes Lookup, Rules (declaration order, a copy) and
// IDs (sorted), and Rule.String ("id: statement [source]").
func TestCatalogAccess(t *testing.T) {
	rules := []Rule{
		{ID: "z.last", Statement: "z", Source: "DOC Z", Status: Modeled},
		{ID: "a.first", Statement: "a", Source: "DOC A", Status: ModelChoice},
		{ID: "m.middle", Statement: "m", Source: "DOC M", Status: OutOfScope, Reason: "r"},
	}
	c, err := NewCatalog(rules[:1], rules[1:])
	require.NoError(t, err)
	require.Equal(t, rules, c.Rules())
	require.Equal(t, []string{"a.first", "m.middle", "z.last"}, c.IDs())

	tests := []struct {
		id   string
		ok   bool
		want Rule
	}{
		{"a.first", true, rules[1]},
		{"m.middle", true, rules[2]},
		{"z.last", true, rules[0]},
		{"A.FIRST", false, Rule{}},
		{"", false, Rule{}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r, ok := c.Lookup(tt.id)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, r)
		})
	}
	rs := c.Rules()
	rs[0].ID = "changed"
	require.Equal(t, "z.last", c.Rules()[0].ID, "Rules returns a copy")
	require.Equal(t, "z.last: z [DOC Z]", rules[0].String())
}

// TestKernelRules encodes the kernel's part of the catalog: it is a valid
// catalog on its own, its ids are in the kernel family, and it lists the
// rules this package's tests encode.
func TestKernelRules(t *testing.T) {
	c, err := NewCatalog(KernelRules())
	require.NoError(t, err)
	for _, r := range c.Rules() {
		require.True(t, strings.HasPrefix(r.ID, "kernel."), r.ID)
		require.Contains(t, []Status{Modeled, ModelChoice, FaultInjection, OutOfScope}, r.Status, r.ID)
	}
	for _, id := range []string{
		"kernel.wait.alertable-sleep",    // TestAlertableWait
		"kernel.wait.non-alertable",      // TestAlertableWait
		"kernel.wait.object-index",       // TestWaitAnyLowestIndex
		"kernel.wait.timeout",            // TestWaitTimeout
		"kernel.wait.invalid-handle",     // TestWaitInvalidHandle
		"kernel.wait.deadlock",           // TestDeadlock
		"kernel.handle.stale",            // TestHandleValues
		"kernel.close.not-kernel-object", // TestCloseHandle
	} {
		_, ok := c.Lookup(id)
		require.True(t, ok, id)
	}
	// KernelRules returns a fresh list: a caller may combine it with its own.
	c2, err := NewCatalog(KernelRules(), []Rule{{ID: "scm.x", Statement: "s", Source: "DOC", Status: Modeled}})
	require.NoError(t, err)
	require.Len(t, c2.Rules(), len(KernelRules())+1)
}
