package sim

import (
	"fmt"
	"sort"
)

// Status says how a catalog rule is treated by the models.
type Status string

// The statuses of a rule.
const (
	// Modeled: the model implements the rule, and scenarios assert it.
	Modeled Status = "modeled"
	// ModelChoice: the docs are silent or Windows versions differ; the model
	// implements a declared choice, and scenarios assert it.
	ModelChoice Status = "model-choice"
	// FaultInjection: a documented code with no condition the model can
	// produce; reachable only through explicit fault injection.
	FaultInjection Status = "fault-injection"
	// OutOfScope: deliberately not modeled; Reason says why.
	OutOfScope Status = "out-of-scope"
)

// Rule is one entry of the behavior catalog: a documented or observed
// behavior, a model choice, or a caller contract, with a stable id.
type Rule struct {
	// ID is stable and dotted: family.area.name, e.g.
	// "scm.notify.immediate-current-bit".
	ID string
	// Statement says the behavior in one line.
	Statement string
	// Source names where the behavior comes from: a documentation page, a
	// conformance test observed on real Windows, or "model choice" with why.
	Source string
	// Status says how the model treats the rule.
	Status Status
	// Reason explains an out-of-scope rule.
	Reason string
	// DecidedBy names the profile setting that decides a model-choice rule
	// (the rule states that setting's value under the profile run), or ""
	// when no setting decides it. Only a model choice has one.
	DecidedBy string
}

// Decided returns r with DecidedBy set to setting.
func (r Rule) Decided(setting string) Rule {
	r.DecidedBy = setting
	return r
}

// String formats the rule as "id: statement [source]".
func (r Rule) String() string {
	return fmt.Sprintf("%s: %s [%s]", r.ID, r.Statement, r.Source)
}

// Catalog is an ordered set of rules.
type Catalog struct {
	rules []Rule
	byID  map[string]int
}

// NewCatalog builds a catalog from rule lists. It fails on a duplicate or
// empty id, a rule without a statement or a source, an out-of-scope rule
// without a reason, or a setting named as deciding a rule that is not a
// model choice.
func NewCatalog(lists ...[]Rule) (*Catalog, error) {
	c := &Catalog{byID: map[string]int{}}
	for _, l := range lists {
		for _, r := range l {
			switch {
			case r.ID == "":
				return nil, fmt.Errorf("catalog: rule with empty id: %q", r.Statement)
			case r.Statement == "" || r.Source == "":
				return nil, fmt.Errorf("catalog: rule %s needs a statement and a source", r.ID)
			case r.Status == "":
				return nil, fmt.Errorf("catalog: rule %s has no status", r.ID)
			case r.Status == OutOfScope && r.Reason == "":
				return nil, fmt.Errorf("catalog: out-of-scope rule %s has no reason", r.ID)
			case r.DecidedBy != "" && r.Status != ModelChoice:
				return nil, fmt.Errorf("catalog: rule %s is %s, but only a model choice is decided by a setting (%s)", r.ID, r.Status, r.DecidedBy)
			}
			if _, dup := c.byID[r.ID]; dup {
				return nil, fmt.Errorf("catalog: duplicate rule id %s", r.ID)
			}
			c.byID[r.ID] = len(c.rules)
			c.rules = append(c.rules, r)
		}
	}
	return c, nil
}

// Lookup returns the rule with the given id.
func (c *Catalog) Lookup(id string) (Rule, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Rule{}, false
	}
	return c.rules[i], true
}

// Rules returns the rules in declaration order.
func (c *Catalog) Rules() []Rule { return append([]Rule(nil), c.rules...) }

// IDs returns every id, sorted.
func (c *Catalog) IDs() []string {
	ids := make([]string, 0, len(c.rules))
	for _, r := range c.rules {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// KernelRules is the kernel's part of the behavior catalog: the wait and APC
// behavior every family relies on.
func KernelRules() []Rule {
	const waitDoc = "DOC SleepEx, WaitForSingleObjectEx, WaitForMultipleObjectsEx"
	const apcDoc = "DOC Asynchronous Procedure Calls"
	return []Rule{
		{ID: "kernel.wait.alertable-sleep", Status: Modeled, Source: waitDoc + "; " + apcDoc,
			Statement: "an alertable wait runs every queued user APC and returns WAIT_IO_COMPLETION; a sleep that times out returns 0"},
		{ID: "kernel.wait.non-alertable", Status: Modeled, Source: waitDoc + "; " + apcDoc,
			Statement: "a non-alertable wait leaves queued APCs queued"},
		{ID: "kernel.wait.object-index", Status: Modeled, Source: waitDoc,
			Statement: "a wait for any object returns WAIT_OBJECT_0 plus the lowest index of a signaled object; an auto-reset event resets when it releases the wait"},
		{ID: "kernel.wait.signaled-before-apc", Status: Modeled, Source: "ROS ntoskrnl/ke/wait.c KeWaitForMultipleObjects; WI wine server/thread.c check_wait",
			Statement: "an alertable wait whose object is already signaled returns the object and leaves queued APCs queued"},
		{ID: "kernel.wait.duplicate-wait-all", Status: ModelChoice, DecidedBy: settingDuplicateWaitAllRejected.ID, Source: "model choice; DOC WaitForMultipleObjects (the array may not hold copies of one handle); NT returns STATUS_INVALID_PARAMETER_MIX",
			Statement: "a wait-all naming one object twice fails with WAIT_FAILED and ERROR_INVALID_PARAMETER"},
		{ID: "kernel.wait.duplicate-wait-all-wine", Status: Modeled, Source: "measured under Wine 8.0 (setting kernel.wait.duplicate-wait-all-rejected)",
			Statement: "Wine 8.0 accepts a wait-all naming one object twice: it is satisfied when the object is signaled (an auto-reset event resets once) and times out otherwise"},
		{ID: "kernel.wait.timeout", Status: Modeled, Source: waitDoc,
			Statement: "an object wait whose objects stay unsignaled returns WAIT_TIMEOUT at its timeout"},
		{ID: "kernel.wait.invalid-handle", Status: Modeled, Source: waitDoc,
			Statement: "a wait on a closed or never-issued handle fails with WAIT_FAILED and ERROR_INVALID_HANDLE"},
		{ID: "kernel.wait.pseudo-handle", Status: Modeled, Source: "WT wine dlls/kernel32/tests/sync.c:1298-1303 test_WaitForSingleObject (observed on Windows: a 100 ms wait on either pseudo handle times out); DOC GetCurrentProcess, GetCurrentThread; measured under Wine 8.0",
			Statement: "INVALID_HANDLE_VALUE is the current process's pseudo handle, and (HANDLE)-2 the current thread's: WaitForSingleObjectEx takes them as that process or thread, which is not signaled while the caller waits"},
		{ID: "kernel.wait.multiple-pseudo-handle", Status: Modeled, Source: "WT wine dlls/kernel32/tests/sync.c:1366-1380 test_WaitForMultipleObjects (observed on Windows; todo_wine for Wine)",
			Statement: "WaitForMultipleObjectsEx refuses the current process's and thread's pseudo handles: WAIT_FAILED with ERROR_INVALID_HANDLE, whatever the other handles"},
		{ID: "kernel.wait.multiple-pseudo-handle-wine", Status: Modeled, Source: "measured under Wine 8.0 (setting kernel.wait.multiple-pseudo-handle-accepted); WT wine dlls/kernel32/tests/sync.c:1371-1373,1378-1380 are todo_wine",
			Statement: "Wine 8.0's WaitForMultipleObjectsEx takes the pseudo handles as WaitForSingleObjectEx does: an object that is not signaled while the caller waits"},
		{ID: "kernel.wait.deadlock", Status: ModelChoice, Source: "model choice",
			Statement: "an infinite wait that nothing pending can satisfy is reported as a deadlock instead of hanging"},
		{ID: "kernel.handle.stale", Status: ModelChoice, Source: "model choice; DOC Handles and Objects",
			Statement: "handle values are not reissued, so a closed handle keeps failing instead of reaching a new object"},
		{ID: "kernel.close.pseudo-handle", Status: Modeled, Source: "DOC GetCurrentProcess, GetCurrentThread (closing a pseudo handle has no effect); measured under Wine 8.0 (CloseHandle(INVALID_HANDLE_VALUE) returns TRUE)",
			Statement: "CloseHandle on the current process's or thread's pseudo handle (INVALID_HANDLE_VALUE, (HANDLE)-2) succeeds and closes nothing"},
		{ID: "kernel.close.not-kernel-object", Status: Modeled, Source: "DOC CloseHandle",
			Statement: "CloseHandle on an SC_HANDLE (not a kernel object) fails with ERROR_INVALID_HANDLE"},
		{ID: "kernel.object.named", Status: OutOfScope, Source: "DOC CreateEventW (lpName); DOC Object Names",
			Statement: "a kernel object created with a name joins the session's object namespace, where another create or open of the name reaches it",
			Reason:    "the model has no object namespace: its objects are unnamed, and the x/sys twin refuses a name"},
		{ID: "kernel.object.security-attributes", Status: OutOfScope, Source: "DOC CreateEventW (lpEventAttributes); DOC SECURITY_ATTRIBUTES",
			Statement: "a SECURITY_ATTRIBUTES given at creation sets the object's security descriptor and whether its handle is inherited",
			Reason:    "the model has no security descriptors and no handle inheritance, and the x/sys twin refuses the argument"},
	}
}
