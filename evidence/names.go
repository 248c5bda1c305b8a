package evidence

import (
	"strings"

	"github.com/winsim/winsim/scenario"
)

// plainForms are Win32 calls that their documentation defines as a modeled
// call with its last argument fixed: Sleep is SleepEx(ms, FALSE), and the
// non-Ex waits are the Ex waits with bAlertable FALSE.
var plainForms = map[string]string{
	"Sleep":                  "SleepEx",
	"WaitForSingleObject":    "WaitForSingleObjectEx",
	"WaitForMultipleObjects": "WaitForMultipleObjectsEx",
}

// ModeledCalls returns the names of the calls the models implement: the
// scenario step kinds that make a call (those whose want: compares a
// result). They are the names `simrun help steps` lists.
func ModeledCalls() map[string]bool {
	calls := map[string]bool{}
	for _, k := range scenario.StepKinds() {
		if k.Returns != scenario.ReturnsNothing && k.Group != scenario.GroupAssert {
			calls[k.Name] = true
		}
	}
	return calls
}

// StepFor maps a call as a Wine test spells it to the step kind that
// models it, "" when none does. The rules, in order: the p of a function
// pointer is dropped (pNtCreateKey); a name that is a step is that step
// (Nt and Zw forms are separate steps); a name ending in A or W whose stem
// is a step is that step (OpenSCManagerA, CreateEventW); Sleep and the
// non-Ex waits are their Ex steps.
func StepFor(calls map[string]bool) func(string) string {
	return func(name string) string {
		name = unpointer(name)
		if calls[name] {
			return name
		}
		if stem, ok := strings.CutSuffix(name, "A"); ok && calls[stem] {
			return stem
		}
		if stem, ok := strings.CutSuffix(name, "W"); ok && calls[stem] {
			return stem
		}
		if ex, ok := plainForms[name]; ok && calls[ex] {
			return ex
		}
		return ""
	}
}
