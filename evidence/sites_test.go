package evidence

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testModel is a small fixed set of modeled calls, so that the extractor's
// tests do not move when the models grow.
var testModel = StepFor(map[string]bool{
	"OpenSCManager": true, "NtCreateKey": true, "WaitForSingleObjectEx": true,
	"CloseServiceHandle": true, "SleepEx": true,
})

func TestExtractSnippet(t *testing.T) {
	src, err := os.ReadFile("testdata/sites.c")
	require.NoError(t, err)
	got := Extract("sites.c", src, testModel)
	type row struct {
		line           int
		function, call string
		modeled        bool
		value          string
		todo           Todo
		helper         string
	}
	want := []row{
		{18, "plain_helper", "Unmodeled", false, "TRUE", NoTodo, ""},
		{29, "test_basic", "OpenSCManagerW", true, "FALSE", NoTodo, ""},
		{32, "test_basic", "OpenSCManagerW", true, "ERROR_INVALID_NAME; broken: ERROR_ACCESS_DENIED", NoTodo, ""},
		{36, "test_basic", "Unmodeled", false, "5", NoTodo, ""},
		{37, "test_basic", "CloseServiceHandle", true, "TRUE", NoTodo, ""},
		{39, "test_basic", "NtCreateKey", true, "STATUS_SUCCESS", TodoWine, ""},
		{42, "test_basic", "NtCreateKey", true, "!STATUS_ACCESS_DENIED", TodoWineIf, ""},
		{46, "test_basic", "WaitForSingleObject", true, "WAIT_TIMEOUT", TodoWine, ""},
		{48, "test_basic", "Sleep", true, "0 & !1", NoTodo, ""},
		{52, "test_basic", "Unmodeled", false, "TRUE", NoTodo, ""},
		{55, "test_basic", "Sleep", true, "FALSE", NoTodo, ""},
		{59, "test_basic", "OpenSCManagerA", true, "ERROR_INVALID_NAME", NoTodo, "_check_open"},
		{60, "test_basic", "NtCreateKey", true, "0", NoTodo, ""},
		{62, "test_basic", "plain_helper", false, "TRUE", NoTodo, ""},
		{82, "test_flow", "WaitForSingleObject", true, "WAIT_OBJECT_0", NoTodo, ""},
		{87, "test_flow", "Unmodeled", false, "!NULL", NoTodo, ""},
		{92, "test_flow", "Sleep", true, "TRUE", NoTodo, ""},
	}
	var rows []row
	for _, s := range got {
		assert.Equal(t, "sites.c", s.File)
		rows = append(rows, row{s.Line, s.Function, s.Call, s.Modeled, s.Value, s.Todo, s.Helper})
	}
	assert.Equal(t, want, rows)
}

func TestStepFor(t *testing.T) {
	step := StepFor(map[string]bool{"OpenSCManager": true, "NtCreateKey": true, "ZwCreateKey": true,
		"WaitForSingleObjectEx": true, "SleepEx": true, "CryptAcquireContext": true})
	for name, want := range map[string]string{
		"OpenSCManagerA":         "OpenSCManager",
		"OpenSCManagerW":         "OpenSCManager",
		"OpenSCManager":          "OpenSCManager",
		"pNtCreateKey":           "NtCreateKey",
		"ZwCreateKey":            "ZwCreateKey",
		"pZwCreateKey":           "ZwCreateKey",
		"CryptAcquireContextW":   "CryptAcquireContext",
		"WaitForSingleObject":    "WaitForSingleObjectEx",
		"WaitForSingleObjectEx":  "WaitForSingleObjectEx",
		"Sleep":                  "SleepEx",
		"OpenSCManagerX":         "",
		"NtCreateKeyTransacted":  "",
		"pointer":                "",
		"WaitForMultipleObjects": "",
	} {
		assert.Equal(t, want, step(name), name)
	}
}

func TestModeledCallsComeFromTheStepTable(t *testing.T) {
	calls := ModeledCalls()
	for _, name := range []string{"OpenSCManager", "NotifyServiceStatusChange", "NCryptOpenStorageProvider",
		"CryptAcquireContext", "NtFlushKey", "ZwFlushKey", "RegFlushKey", "WaitForMultipleObjectsEx", "CreateEvent"} {
		assert.True(t, calls[name], name)
	}
	for _, name := range []string{"violations", "exit_thread", "advance", "inject"} {
		assert.False(t, calls[name], name)
	}
}

func TestLexOddInput(t *testing.T) {
	// Unterminated comments, literals and brackets end at the end of the
	// file: no panic, no site out of nothing.
	for _, src := range []string{"", "/* open", "\"open", "void f(void) { ok(", "void f(void) { ok(x", "#define", "#if 0\n", "}}}{{{", "void f(void) { else ok(1, \"\"); }"} {
		assert.NotPanics(t, func() { Extract("x.c", []byte(src), testModel) }, src)
	}
}
