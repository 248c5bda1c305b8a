package scenario

import (
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, that every failure is
// a non-empty list of positioned errors, and that decoding in parts
// (decodeStream, here a batch for every step, so that every step's line is
// a batch's edge) decides every input as the whole-tree decoder does.
func FuzzParse(f *testing.F) {
	seeds := []string{
		fullScenario,
		prelude,
		head + "  - SleepEx: {ms: 1}\n",
		head + "  - NotifyServiceStatusChange: {service: NULL, mask: 0, buffer: n1, on_callback: [{SleepEx: {ms: 1}}]}\n  - callbacks: [{buffer: n1}]\n",
		head + "  - program: {service: s, on_control: {SERVICE_CONTROL_STOP: [{state: SERVICE_STOPPED}], 128: []}}\n",
		"version: 1\nsteps: [\n",
		"a: &x [*x]\n",
		"<<: {a: 1}\n",
		"version: 1\n---\nversion: 2\n",
		"\x00",
		"- - - -\n",
		"version: 99999999999999999999\n",
		"steps: [{OpenSCManager: {access: \"SC_MANAGER_ALL_ACCESS||\"}}]\n",
		head + "  - hive_io: {hive: '\\Registry\\Machine\\SOFTWARE', writes: {at_least: 1, added: {less_than: 3}}, flushes: \">= 2\"}\n",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	defer func(b int) { streamBatchBytes = b }(streamBatchBytes)
	streamBatchBytes = 1
	f.Fuzz(func(t *testing.T, data []byte) {
		streamAgrees(t, testEnv(), "f.yaml", data)
		s, err := Parse("f.yaml", data, testEnv())
		if err == nil {
			if s == nil || len(s.Steps) == 0 || len(s.Threads) == 0 {
				t.Fatalf("accepted a scenario without steps or threads: %+v", s)
			}
			return
		}
		if s != nil {
			t.Fatalf("returned a scenario along with errors: %v", err)
		}
		list, ok := err.(ErrorList)
		if !ok || len(list) == 0 {
			t.Fatalf("error is not a non-empty ErrorList: %T %v", err, err)
		}
		for _, e := range list {
			// Col is 0 only for a YAML syntax error, "near" its line.
			noCol := e.Col == 0 && strings.Contains(e.Msg, "not valid YAML near line ")
			if e.Line < 1 || (e.Col < 1 && !noCol) || !strings.HasPrefix(e.Error(), "f.yaml:") {
				t.Fatalf("badly positioned error: %q", e.Error())
			}
		}
	})
}
