package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScriptMarshalDecodes(t *testing.T) {
	s := &Script{
		Description: "A written scenario.\nSource: a test.",
		Covers:      []string{"scm.notify.immediate"},
		Profiles:    []string{"win8", "win7"},
		Seed:        7,
		Threads:     []string{"main", "worker"},
		Steps: []ScriptStep{
			{Kind: "OpenSCManager", Args: []Arg{{"machine", nil}, {"access", Raw("SC_MANAGER_ALL_ACCESS")}}, As: "scm"},
			{Kind: "CreateService", Args: []Arg{{"scm", Raw("scm")}, {"name", "true"}, {"access", Raw("SERVICE_ALL_ACCESS")}, {"binary", `C:\a b.exe`}, {"dependencies", []string{"x y"}}}, As: "svc"},
			{Kind: "NotifyServiceStatusChange", Args: []Arg{{"service", Raw("svc")}, {"mask", Raw("SERVICE_NOTIFY_STOPPED|SERVICE_NOTIFY_RUNNING")}, {"buffer", Raw("n1")}, {"version", uint32(2)}}, Thread: "worker"},
			{Kind: "QueryServiceStatusEx", Args: []Arg{{"service", Raw("svc")}}, Expect: []Arg{{"state", Raw("SERVICE_STOPPED")}, {"pid", Raw("zero")}}},
			{Kind: "SleepEx", Args: []Arg{{"ms", 10}, {"alertable", true}}, Thread: "worker", Want: "WAIT_IO_COMPLETION", Note: "the callback: runs"},
			{Kind: "callbacks", Value: [][]Arg{{{"buffer", Raw("n1")}, {"thread", Raw("worker")}, {"triggered", Raw("SERVICE_NOTIFY_STOPPED")}, {"names", []string{"/a"}}}}},
			{Kind: "callbacks", Value: [][]Arg{}},
			{Kind: "violations", Value: []string{}},
			{Kind: "advance", Value: Raw("10ms")},
			{Kind: "ControlService", Args: []Arg{{"service", Raw("BOGUS")}, {"control", 200}}, Want: "ERROR_INVALID_HANDLE"},
		},
	}
	data, err := s.Marshal()
	require.NoError(t, err)
	sc, err := Parse("w.yaml", data, nil)
	require.NoError(t, err, "%s", data)
	assert.Equal(t, []string{"scm.notify.immediate"}, sc.Covers)
	assert.Equal(t, []string{"win8", "win7"}, sc.Profiles)
	assert.Equal(t, uint64(7), sc.Seed)
	require.Len(t, sc.Steps, len(s.Steps))
	assert.Equal(t, "worker", sc.Steps[2].Thread)
	assert.Equal(t, "true", *sc.Steps[1].args.strPtr("name"))
	assert.Equal(t, `C:\a b.exe`, *sc.Steps[1].args.strPtr("binary"))
	assert.Nil(t, sc.Steps[0].args.strPtr("machine"))
	assert.Equal(t, "the callback: runs", sc.Steps[4].Note)
	assert.Contains(t, string(data), "  - SleepEx: {ms: 10, alertable: true}\n")
}

func TestScriptMarshalRejects(t *testing.T) {
	for name, s := range map[string]*Script{
		"no covers":               {Steps: []ScriptStep{{Kind: "SleepEx", Args: []Arg{{"ms", 1}}}}},
		"unknown kind":            {Covers: []string{"x"}, Steps: []ScriptStep{{Kind: "Sleep"}}},
		"unknown field":           {Covers: []string{"x"}, Steps: []ScriptStep{{Kind: "SleepEx", Args: []Arg{{"millis", 1}}}}},
		"fields for a value kind": {Covers: []string{"x"}, Steps: []ScriptStep{{Kind: "advance", Args: []Arg{{"d", 1}}}}},
		"unwritable value":        {Covers: []string{"x"}, Steps: []ScriptStep{{Kind: "SleepEx", Args: []Arg{{"ms", 1.5}}}}},
	} {
		_, err := s.Marshal()
		assert.Error(t, err, name)
	}
}
