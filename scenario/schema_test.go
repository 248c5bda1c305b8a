package scenario

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateSchema = flag.Bool("update", false, "rewrite "+SchemaFile+" from the step tables")

// Where the tests find the module's files, from this package's directory.
var (
	committedSchema = filepath.Join("..", filepath.FromSlash(SchemaFile))
	bundledDir      = filepath.Join("..", "scenarios")
	frozenDir       = filepath.Join("testdata", "format-v1")
	hostileDir      = filepath.Join("..", "cmd", "simrun", "internal", "cli", "testdata", "hostile")
)

// TestSchemaCurrent fails when the committed schema is not what WriteSchema
// writes from the tables now: a step kind, field or constant added,
// changed or removed without regenerating it.
func TestSchemaCurrent(t *testing.T) {
	var want bytes.Buffer
	require.NoError(t, WriteSchema(&want))
	got, err := os.ReadFile(committedSchema)
	if err == nil && bytes.Equal(got, want.Bytes()) {
		return
	}
	if *updateSchema {
		require.NoError(t, os.WriteFile(committedSchema, want.Bytes(), 0o644))
		return
	}
	require.NoError(t, err)
	t.Errorf("%s is not the schema of the current step tables; regenerate it with\n"+
		"  go test ./scenario -run TestSchemaCurrent -update\n"+
		"(it is the output of `go run ./cmd/simrun schema`); first difference at byte %d",
		SchemaFile, firstDifference(got, want.Bytes()))
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestSchemaDescribesEveryType: every type of the tables has a schema of
// its own, so that none is written as "any value".
func TestSchemaDescribesEveryType(t *testing.T) {
	_, undescribed := buildSchema(NewEnv(Catalog()))
	assert.Empty(t, undescribed, "these types have no schema: give each a schema func next to its decode")
}

// compiledSchema compiles the committed schema with a JSON Schema
// validator, as its $schema (draft-07) says.
func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(committedSchema)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("scenario.schema.json", doc))
	sch, err := c.Compile("scenario.schema.json")
	require.NoError(t, err)
	return sch
}

// schemaVerdict is what the schema says of a file: "" when it validates,
// else the validator's error, or "not YAML: ..." when the file has no
// value to validate.
func schemaVerdict(sch *jsonschema.Schema, data []byte) string {
	v, err := yamlToJSON(data)
	if err != nil {
		return "not YAML: " + err.Error()
	}
	if err := sch.Validate(v); err != nil {
		return err.Error()
	}
	return ""
}

// scenarioFiles lists the *.yaml and *.yml files under dir.
func scenarioFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			out = append(out, p)
		}
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, out, "no scenario under %s", dir)
	return out
}

// TestSchemaAcceptsValidScenarios validates every bundled scenario and
// every file of the frozen format-v1 corpus against the committed schema:
// the decoder accepts each, so the schema must.
func TestSchemaAcceptsValidScenarios(t *testing.T) {
	sch := compiledSchema(t)
	for _, dir := range []string{bundledDir, frozenDir} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files := scenarioFiles(t, dir)
			for _, p := range files {
				data, err := os.ReadFile(p)
				require.NoError(t, err)
				if msg := schemaVerdict(sch, data); msg != "" {
					t.Errorf("%s: %s", p, msg)
				}
			}
			t.Logf("%d files valid", len(files))
		})
	}
}

// TestBundledScenariosNameTheSchema: every bundled scenario's first line is
// the yaml-language-server modeline naming the committed schema by a path
// relative to the file, and the path leads to it.
func TestBundledScenariosNameTheSchema(t *testing.T) {
	for _, p := range scenarioFiles(t, bundledDir) {
		rel, err := filepath.Rel(filepath.Dir(p), committedSchema)
		require.NoError(t, err)
		want := SchemaModeline(filepath.ToSlash(rel))
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		first, _, _ := strings.Cut(string(data), "\n")
		if first != want {
			t.Errorf("%s: the first line is %q; want %q", p, first, want)
			continue
		}
		target := filepath.Join(filepath.Dir(p), filepath.FromSlash(strings.TrimPrefix(first, modelinePrefix)))
		_, err = os.Stat(target)
		assert.NoError(t, err, "%s: the modeline's path does not lead to the schema", p)
	}
}

// schemaHead starts the documents of TestSchemaAgainstDecoder: its lines
// 1 to 6 open the SCM as scm.
const schemaHead = "version: 1\ndescription: x\ncovers: [scm.notify.marked-for-delete]\nsteps:\n" +
	"  - OpenSCManager: {access: SC_MANAGER_ALL_ACCESS}\n    as: scm\n"

// TestSchemaAgainstDecoder holds the schema and the decoder to the same
// verdict on documents that differ from a valid one in one structural
// point: each the decoder refuses, the schema refuses too; each it accepts,
// the schema accepts.
func TestSchemaAgainstDecoder(t *testing.T) {
	sch := compiledSchema(t)
	tests := []struct {
		name  string
		doc   string
		valid bool
	}{
		{"the head alone", schemaHead, true},
		{"flags joined", schemaHead + "  - OpenSCManager: {access: SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE}\n", true},
		{"a constant as an integer", schemaHead + "  - ControlService: {service: scm, control: 128}\n    want: ERROR_INVALID_HANDLE\n", true},
		{"a one-of want", schemaHead + "  - CloseServiceHandle: {handle: BOGUS}\n    want: [ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED]\n", true},
		{"a per-profile want", schemaHead + "  - WaitForMultipleObjectsEx: {handles: [scm, scm], wait_all: true, ms: 0}\n" +
			"    want: {win8: WAIT_FAILED, wine-8.0: WAIT_OBJECT_0, setting: kernel.wait.duplicate-wait-all-rejected}\n    error: ERROR_INVALID_PARAMETER\n", true},
		{"a wait result with an index", schemaHead + "  - WaitForMultipleObjectsEx: {handles: [scm, scm], ms: 0}\n    want: [WAIT_OBJECT_0 + 1, WAIT_TIMEOUT, 0]\n", true},
		{"a NULL handle", schemaHead + "  - CloseServiceHandle: {handle: NULL}\n    want: ERROR_INVALID_HANDLE\n", true},
		{"a predefined key", schemaHead + "  - RegFlushKey: {hkey: HKEY_LOCAL_MACHINE}\n", true},
		{"an HRESULT where a status or HRESULT goes", schemaHead + "  - NCryptOpenStorageProvider: {flags: 1}\n    want: NTE_BAD_FLAGS\n", true},
		{"program with a control code as an integer key", schemaHead +
			"  - program: {service: svc, on_control: {128: [{state: SERVICE_RUNNING}], SERVICE_CONTROL_STOP: [{after: 5ms, state: SERVICE_STOPPED}]}}\n", true},
		{"inject with a code of the call's kind", schemaHead + "  - inject: {api: NtFlushKey, code: STATUS_ACCESS_DENIED}\n", true},
		{"a step with a null mapping", schemaHead + "  - NCryptOpenStorageProvider:\n    as: prov\n", true},
		{"documents instead of covers", "version: 1\ndescription: x\ndocuments: [kernel.wait.deadlock]\nsteps:\n  - SleepEx: {ms: 0}\n", true},

		{"a typo'd step kind", schemaHead + "  - SleepExx: {ms: 1}\n", false},
		{"an unknown field", schemaHead + "  - SleepEx: {ms: 1, timeout: 5}\n", false},
		{"a typo'd constant", schemaHead + "  - OpenSCManager: {access: SC_MANAGER_ALL_ACCES}\n", false},
		{"a typo'd constant in a join", schemaHead + "  - OpenSCManager: {access: SC_MANAGER_CONNECT|SC_MANAGER_ENUMERATE_SERVIC}\n", false},
		{"a constant of another group", schemaHead + "  - OpenSCManager: {access: SERVICE_ALL_ACCESS}\n", false},
		{"a wrong enum word", schemaHead + "  - crash: {unbarriered: lost}\n", false},
		{"a negative integer", schemaHead + "  - SleepEx: {ms: -1}\n", false},
		{"a quoted number", schemaHead + "  - SleepEx: {ms: \"100\"}\n", false},
		{"a bad duration", schemaHead + "  - advance: 5 seconds\n", false},
		{"a missing required field", schemaHead + "  - OpenService: {scm: scm, access: SERVICE_ALL_ACCESS}\n", false},
		{"two step kinds", schemaHead + "  - SleepEx: {ms: 1}\n    advance: 1s\n", false},
		{"only modifiers", schemaHead + "  - want: ERROR_SUCCESS\n", false},
		{"a typo'd status name", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    want: ERROR_INVALID_HANDEL\n", false},
		{"an NTSTATUS where a Win32 error goes", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    want: STATUS_INVALID_HANDLE\n", false},
		{"a Win32 error where an NTSTATUS goes", schemaHead + "  - NtClose: {handle: scm}\n    want: ERROR_INVALID_HANDLE\n", false},
		{"a typo'd wait result", schemaHead + "  - SleepEx: {ms: 0}\n    want: WAIT_OBJECT_1\n", false},
		{"a wait index out of range", schemaHead + "  - WaitForSingleObjectEx: {handle: scm, ms: 0}\n    want: WAIT_OBJECT_0+64\n", false},
		{"want: on a step that returns nothing", schemaHead + "  - advance: 1s\n    want: ERROR_SUCCESS\n", false},
		{"as: on a call that returns no handle", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    as: x\n", false},
		{"expect: on a call that fills nothing", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    expect: {state: SERVICE_RUNNING}\n", false},
		{"an expect: field of another call", schemaHead + "  - NtCreateKey: {name: '\\Registry\\Machine\\SOFTWARE\\A', access: KEY_READ}\n    expect: {state: SERVICE_RUNNING}\n", false},
		{"error: on a call that is not a wait", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    error: ERROR_INVALID_HANDLE\n", false},
		{"a per-profile want without win8", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    want: {win7: ERROR_INVALID_HANDLE}\n", false},
		{"a per-profile want naming an unknown profile", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    want: {win8: ERROR_SUCCESS, win10: ERROR_SUCCESS}\n", false},
		{"an empty one-of list", schemaHead + "  - CloseServiceHandle: {handle: scm}\n    want: []\n", false},
		{"thread: inside on_callback", schemaHead + "  - NotifyServiceStatusChange: {service: scm, mask: SERVICE_NOTIFY_CREATED, buffer: n1, on_callback: [{SleepEx: {ms: 0}, thread: main}]}\n", false},
		{"an unknown top-level key", strings.Replace(schemaHead, "covers:", "cover:", 1), false},
		{"neither covers nor documents", strings.Replace(schemaHead, "covers: [scm.notify.marked-for-delete]\n", "", 1), false},
		{"an unknown rule id", strings.Replace(schemaHead, "marked-for-delete", "marked-for-delet", 1), false},
		{"a rule id covered twice", strings.Replace(schemaHead, "[scm.notify.marked-for-delete]", "[scm.notify.marked-for-delete, scm.notify.marked-for-delete]", 1), false},
		{"a documented id that is no model choice", strings.Replace(schemaHead, "covers:", "documents:", 1), false},
		{"an unknown profile", schemaHead + "profiles: [win10]\n", false},
		{"the wrong version", strings.Replace(schemaHead, "version: 1", "version: 2", 1), false},
		{"no steps", "version: 1\ndescription: x\ncovers: [scm.notify.marked-for-delete]\nsteps: []\n", false},
		{"an inject api typo", schemaHead + "  - inject: {api: CreateServce, code: ERROR_ACCESS_DENIED}\n", false},
		{"an inject code of the wrong kind", schemaHead + "  - inject: {api: StartService, code: STATUS_ACCESS_DENIED}\n", false},
		{"an unknown predefined key", schemaHead + "  - RegFlushKey: {hkey: HKEY_LOCAL_MACHIN}\n", false},
		{"odd hex digits", schemaHead + "  - NtSetValueKey: {key: scm, hex: abc}\n", false},
		{"a bad Wine test line", schemaHead + "  - SleepEx: {ms: 0}\n    observed: service.c\n", false},
		{"a blank description", strings.Replace(schemaHead, "description: x", "description: ' '", 1), false},
		{"a thread name that is no name", strings.Replace(schemaHead, "steps:", "threads: [1st]\nsteps:", 1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, decodeErr := Parse("t.yaml", []byte(tc.doc), NewEnv(Catalog()))
			verdict := schemaVerdict(sch, []byte(tc.doc))
			if tc.valid {
				require.NoError(t, decodeErr, "the decoder must accept the document")
				assert.Empty(t, verdict, "the schema must accept the document")
				return
			}
			require.Error(t, decodeErr, "the decoder must refuse the document")
			assert.NotEmpty(t, verdict, "the schema must refuse the document the decoder refuses with %v", decodeErr)
			t.Logf("decoder: %v", decodeErr)
		})
	}
}

// TestSchemaOnHostileFiles compares the schema with the decoder on the
// committed hostile inputs of issue 15. The decoder refuses every one (all
// but clock-overflow.yaml when it loads; that one when it runs). The schema
// refuses those whose problem is in the file's shape; a file that is not
// YAML gives no value to validate (an editor reports the YAML error
// itself), and the problems of meaning (the virtual clock's range, a NUL in
// a name, a tag that changes how a scalar is read) pass it. The table says
// which is which, and must name every file of the directory.
func TestSchemaOnHostileFiles(t *testing.T) {
	const (
		refused  = "refused"
		notYAML  = "not YAML"
		accepted = "accepted"
	)
	tests := []struct {
		file       string
		decoderRun bool   // the decoder accepts the file, and the run refuses it
		schema     string // refused, not YAML or accepted
		why        string
	}{
		{"clock-overflow.yaml", true, accepted, "each duration is in range; only their sum passes the end of the virtual clock"},
		{"count-empty-range.yaml", false, accepted, "each bound is a count; that they leave none is the decoder's check"},
		{"count-misspelt.yaml", false, refused, "a count mapping takes its bound keys only"},
		{"count-operator.yaml", false, refused, "a count is an integer or a mapping, not a string"},
		{"covers-twice.yaml", false, refused, "covers: has uniqueItems"},
		{"duration-range.yaml", false, accepted, "99999999999h is well-formed; its range is the decoder's check"},
		{"inject-kind.yaml", false, refused, "StartService's code must be a Win32 name"},
		{"inject-typo.yaml", false, refused, "api: takes the calls that take faults"},
		{"invalid-utf8.yaml", false, notYAML, "invalid UTF-8"},
		{"long-name.yaml", false, refused, "api: takes the calls that take faults"},
		{"nul-byte.yaml", false, notYAML, "a NUL byte in the text"},
		{"nul-name.yaml", false, accepted, "a NUL inside a quoted string is still a string; the decoder refuses it in names"},
		{"syntax.yaml", false, notYAML, "a YAML syntax error"},
		{"tab-indent.yaml", false, notYAML, "a tab in the indentation"},
		{"tag-binary.yaml", false, refused, "!!binary leaves the text AQI=, which is no timeout"},
		{"tag-local.yaml", false, accepted, "JSON has no tags: !foo 1 reads as the timeout 1"},
	}
	sch := compiledSchema(t)
	var listed []string
	for _, tc := range tests {
		listed = append(listed, tc.file)
		t.Run(tc.file, func(t *testing.T) {
			p := filepath.Join(hostileDir, tc.file)
			s, err := Load(p, NewEnv(Catalog()))
			if tc.decoderRun {
				require.NoError(t, err)
				require.NotNil(t, s)
			} else {
				require.Error(t, err, "the decoder must refuse %s", tc.file)
			}
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			verdict := schemaVerdict(sch, data)
			got := refused
			switch {
			case verdict == "":
				got = accepted
			case strings.HasPrefix(verdict, "not YAML: "):
				got = notYAML
			}
			assert.Equal(t, tc.schema, got, "%s (%s): %s", tc.file, tc.why, verdict)
		})
	}
	for _, p := range scenarioFiles(t, hostileDir) {
		assert.True(t, slices.Contains(listed, filepath.Base(p)), "%s is not in the table", p)
	}
}
