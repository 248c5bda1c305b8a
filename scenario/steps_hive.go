package scenario

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// GroupRegistry is the group of the registry family's step kinds.
const GroupRegistry = "registry"

// The registry family. Its bundled scenarios are under scenarios/hive, the
// name of its model package.
var _ = RegisterFamily(Family{
	Name:      GroupRegistry,
	Dir:       "hive",
	Needs:     backend.CapRegistry,
	Steps:     hiveSteps,
	Constants: win32.RegistryConstants(),
	Settings:  hive.Settings(),
	Rules:     hive.Rules(),
	Groups:    []StepGroup{{GroupRegistry, "Registry steps"}, {GroupAssert, "Registry assertions"}},
	Order:     30,
})

// hiveSteps are the step kinds of the registry family: the native key calls
// in their Nt and Zw forms, RegFlushKey, the driver's return from a routine,
// the model-only controls of the durable layer (hive loading, lazy flush
// interval, power cuts) and assertions on what a key holds and what the
// hives wrote. They run through the backend as a backend.Registry.
func hiveSteps() []*StepKind {
	var out []*StepKind
	for _, via := range []hive.Via{hive.Nt, hive.Zw} {
		out = append(out, nativeSteps(via)...)
	}
	return append(out,
		&StepKind{
			Name: "RegFlushKey", Group: GroupRegistry, Returns: ReturnsStatus,
			Summary: "Flush the hive of a key through advapi32; want: is the Win32 code the NTSTATUS maps to.",
			Fields:  []Field{{Name: "hkey", Type: tHKey, Required: true, Doc: "hKey: a key handle, or a predefined key"}},
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("hkey"))
				if !ok {
					return
				}
				r.checkStatus(st, r.reg().RegFlushKey(th, h))
			},
		},
		&StepKind{
			Name: "return_from_routine", Group: GroupRegistry, Needs: []backend.Capability{backend.CapCallerContext},
			Summary: "A driver thread returns from the routine its caller context names (set with caller_context): the moment the DDI rules check the registry handles it still holds. The thread is then in no particular routine.",
			Value:   &Field{Name: "return_from_routine", Type: tThread, Required: true, Doc: "the driver thread"},
			check: func(d *decoder, st *Step) bool {
				return d.threadAlive(st.args.at("").node, "return_from_routine", st.args.str(""))
			},
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, r.b.(backend.CallerContextSetter).ReturnFromRoutine(st.args.str("")))
			},
		},
		&StepKind{
			Name: "load_hive", Group: GroupRegistry, Needs: []backend.Capability{backend.CapCrash},
			Summary: "Mount a new, empty hive (\\Registry\\Machine\\<name> or \\Registry\\User\\<name>) with load flags.",
			Fields: []Field{
				{Name: "path", Type: tKeyName, Required: true, Doc: "where the hive's root key appears"},
				{Name: "flags", Type: constType(win32.GroupLoadFlags), Default: "0", Doc: "REG_NO_LAZY_FLUSH, REG_WHOLE_HIVE_VOLATILE"},
			},
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, r.b.(backend.Durability).LoadHive(st.args.str("path"), st.args.u32("flags")))
			},
		},
		&StepKind{
			Name: "lazy_flush", Group: GroupRegistry, Needs: []backend.Capability{backend.CapCrash},
			Summary: "Set the lazy flusher's interval, overriding the profile's; 0s turns it off.",
			Value:   &Field{Name: "lazy_flush", Type: tDuration, Required: true, Doc: "the interval"},
			run: func(r *runner, st *Step, _ string) {
				r.backendErr(st, r.b.(backend.Durability).SetLazyFlush(durationOf(st.args.get(""))))
			},
		},
		&StepKind{
			Name: "crash", Group: GroupRegistry, Needs: []backend.Capability{backend.CapCrash},
			Summary: "Cut the power: now, between two calls; or, with at:, just before the at-th write or barrier of the next flush that writes (an explicit flush, which then returns STATUS_REGISTRY_IO_FAILED, or a lazy pass). Every hive comes back from its durable image; key handles from before are gone.",
			Fields: []Field{
				{Name: "at", Type: tUint32, Doc: "the point inside the next flush, from 1; left out, the power fails now"},
				{Name: "unbarriered", Type: enumType("crash-policy", "lose", "keep", "random"), Default: "lose", Doc: "what happens to writes not yet behind a barrier: all lost, all kept, or each kept or not (seeded)"},
			},
			check: func(d *decoder, st *Step) bool {
				if st.args.has("at") && st.args.u32("at") == 0 {
					d.errorf(st.args.at("at").node, "crash.at: points count from 1")
					return false
				}
				return true
			},
			run: func(r *runner, st *Step, _ string) {
				pol, err := win32.ParseCrashPolicy(st.args.str("unbarriered"))
				if err != nil {
					r.backendErr(st, err)
					return
				}
				if st.args.has("at") {
					r.backendErr(st, r.b.(backend.Durability).CrashAt(int(st.args.u32("at")), pol))
					return
				}
				r.backendErr(st, r.b.(backend.Durability).Crash(pol))
			},
		},
		&StepKind{
			Name: "reg_value", Group: GroupAssert,
			Summary: "Assert what a value holds, or that it (or its key) is absent, by opening the key with NtOpenKey, querying with NtQueryValueKey and closing it, on the step's thread.",
			Fields: append([]Field{
				{Name: "path", Type: tKeyName, Required: true, Doc: "the key's absolute name"},
				{Name: "name", Type: tString, Default: `""`, Doc: "the value's name (empty: the default value)"},
				{Name: "absent", Type: tBool, Default: "false", Doc: "the value (or its key) does not exist; refused for a value no earlier step writes to the key, which is absent whatever happens"},
				{Name: "type", Type: tValueType, Doc: "the value's type, compared when given"},
			}, dataFields...),
			check:   checkRegValue,
			vacuous: vacuousRegValue,
			run:     runRegValue,
		},
		&StepKind{
			Name: "hive_io", Group: GroupAssert, Needs: []backend.Capability{backend.CapCrash},
			Summary: "Assert the I/O counters of a hive since the machine started: each exactly (writes: 4), within bounds (writes: {at_least: 1}), or by its increase since the counter's previous check (writes: {added: 0}); fields left out are not compared.",
			Fields: []Field{
				{Name: "hive", Type: tKeyName, Required: true, Doc: "the hive's mount path"},
				{Name: "flushes", Type: tCount, Doc: "flushes that wrote anything"},
				{Name: "keys_written", Type: tCount, Doc: "key records written, once per flush"},
				{Name: "value_bytes", Type: tCount, Doc: "value data bytes of those records"},
				{Name: "writes", Type: tCount, Doc: "write operations of the durable layer"},
				{Name: "barriers", Type: tCount, Doc: "barriers of the durable layer"},
			},
			check: checkHiveIO,
			run:   runHiveIO,
		},
	)
}

// viaCall is the Nt form of a call or, for the Zw entry point, its Zw form.
func viaCall[F any](via hive.Via, nt, zw F) F {
	if via == hive.Zw {
		return zw
	}
	return nt
}

// nativeSteps are the key calls through one entry point.
func nativeSteps(via hive.Via) []*StepKind {
	p := via.String()
	kernelNote := ""
	if via == hive.Zw {
		kernelNote = " From a driver thread (caller_context driver: WDM or Storport) it runs in kernel mode, is not checked against the handle's access, and is held to the DDI rules."
	}
	nameFields := []Field{
		{Name: "root", Type: tHandle, Default: "NULL", Doc: "RootDirectory: a key handle the name is relative to"},
		{Name: "name", Type: tKeyName, Required: true, Doc: "ObjectName: absolute (\\Registry\\...) without root, relative with it"},
		{Name: "access", Type: tKeyAccess, Required: true, Doc: "DesiredAccess"},
		{Name: "attributes", Type: constType(win32.GroupAttributes), Default: "OBJ_CASE_INSENSITIVE", Doc: "OBJECT_ATTRIBUTES.Attributes (OBJ_KERNEL_HANDLE for a kernel handle)"},
	}
	keyField := []Field{{Name: "key", Type: tHKey, Required: true, Doc: "KeyHandle"}}
	return []*StepKind{
		{
			Name: p + "CreateKey", Group: GroupRegistry, Returns: ReturnsNTStatus, BindsHandle: true,
			Summary: "Create a key, or open it if it exists; expect: compares the disposition." + kernelNote,
			Fields:  append(slices.Clone(nameFields), Field{Name: "options", Type: constType(win32.GroupOptions), Default: "REG_OPTION_NON_VOLATILE", Doc: "CreateOptions"}),
			Expect:  tCreateExpect,
			sets:    setsKeyPath,
			run: func(r *runner, st *Step, th string) {
				oa, ok := r.objectAttributes(st)
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtCreateKey, r.reg().ZwCreateKey)
				h, disp, status := call(th, st.args.u32("access"), oa, st.args.u32("options"))
				r.bind(st, h)
				if r.checkNTStatus(st, status) && st.expect != nil {
					c := r.newExpectCheck(st)
					c.constant("disposition", win32.GroupDisposition, disp)
					c.done()
				}
			},
		},
		{
			Name: p + "OpenKey", Group: GroupRegistry, Returns: ReturnsNTStatus, BindsHandle: true,
			Summary: "Open an existing key." + kernelNote,
			Fields:  slices.Clone(nameFields),
			sets:    setsKeyPath,
			run: func(r *runner, st *Step, th string) {
				oa, ok := r.objectAttributes(st)
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtOpenKey, r.reg().ZwOpenKey)
				h, status := call(th, st.args.u32("access"), oa)
				r.bind(st, h)
				r.checkNTStatus(st, status)
			},
		},
		{
			Name: p + "SetValueKey", Group: GroupRegistry, Returns: ReturnsNTStatus,
			Summary: "Create or replace a value. The data is one of string, multi, dword, qword or hex; type defaults to the one the data field implies (REG_NONE without data)." + kernelNote,
			Fields: append(append(slices.Clone(keyField),
				Field{Name: "name", Type: tString, Default: `""`, Doc: "ValueName (empty: the default value)"},
				Field{Name: "type", Type: tValueType, Doc: "Type: a REG_* name or any integer"}), dataFields...),
			check: checkData,
			sets:  setsValueWrite,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("key"))
				if !ok {
					return
				}
				typ, data, _ := valueData(st.args)
				call := viaCall(via, r.reg().NtSetValueKey, r.reg().ZwSetValueKey)
				r.checkNTStatus(st, call(th, h, st.args.str("name"), typ, data))
			},
		},
		{
			Name: p + "QueryValueKey", Group: GroupRegistry, Returns: ReturnsNTStatus,
			Summary: "Query a value (KeyValuePartialInformation); expect: compares its type and data." + kernelNote,
			Fields: append(slices.Clone(keyField),
				Field{Name: "name", Type: tString, Default: `""`, Doc: "ValueName (empty: the default value)"}),
			Expect: tValueExpect,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("key"))
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtQueryValueKey, r.reg().ZwQueryValueKey)
				typ, data, status := call(th, h, st.args.str("name"))
				if r.checkNTStatus(st, status) && st.expect != nil {
					compareValue(r.newExpectCheck(st), typ, data)
				}
			},
		},
		{
			Name: p + "DeleteValueKey", Group: GroupRegistry, Returns: ReturnsNTStatus,
			Summary: "Delete a value of a key; the key is written without it by the next flush." + kernelNote,
			Fields: append(slices.Clone(keyField),
				Field{Name: "name", Type: tString, Default: `""`, Doc: "ValueName (empty: the default value)"}),
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("key"))
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtDeleteValueKey, r.reg().ZwDeleteValueKey)
				r.checkNTStatus(st, call(th, h, st.args.str("name")))
			},
		},
		{
			Name: p + "QueryKey", Group: GroupRegistry, Returns: ReturnsNTStatus,
			Summary: "Query a key's information of a class into a buffer of length bytes; expect: compares ResultLength and the members the buffer received." + kernelNote,
			Fields: append(slices.Clone(keyField),
				Field{Name: "class", Type: tKeyInfoClass, Required: true, Doc: "KeyInformationClass"},
				Field{Name: "length", Type: tUint32, Default: "512", Doc: "Length: the buffer's size in bytes"}),
			Expect: tKeyInfoExpect,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("key"))
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtQueryKey, r.reg().ZwQueryKey)
				class := st.args.u32("class")
				info, n, status := call(th, h, class, st.args.u32("length"))
				if r.checkNTStatus(st, status) && st.expect != nil {
					r.compareKeyInfo(st, class, info, n)
				}
			},
		},
		{
			Name: p + "EnumerateKey", Group: GroupRegistry, Returns: ReturnsNTStatus,
			Summary: "Return the information of a class about the index-th subkey into a buffer of length bytes; past the last, STATUS_NO_MORE_ENTRIES; expect: compares ResultLength and the members the buffer received." + kernelNote,
			Fields: append(slices.Clone(keyField),
				Field{Name: "index", Type: tUint32, Required: true, Doc: "Index, from 0"},
				Field{Name: "class", Type: tKeyInfoClass, Default: "KeyBasicInformation", Doc: "KeyInformationClass"},
				Field{Name: "length", Type: tUint32, Default: "512", Doc: "Length: the buffer's size in bytes"}),
			Expect: tKeyInfoExpect,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("key"))
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtEnumerateKey, r.reg().ZwEnumerateKey)
				class := st.args.u32("class")
				info, n, status := call(th, h, st.args.u32("index"), class, st.args.u32("length"))
				if r.checkNTStatus(st, status) && st.expect != nil {
					r.compareKeyInfo(st, class, info, n)
				}
			},
		},
		{
			Name: p + "EnumerateValueKey", Group: GroupRegistry, Returns: ReturnsNTStatus,
			Summary: "Return the information of a class about the index-th value into a buffer of length bytes; past the last, STATUS_NO_MORE_ENTRIES; expect: compares ResultLength and the members the buffer received." + kernelNote,
			Fields: append(slices.Clone(keyField),
				Field{Name: "index", Type: tUint32, Required: true, Doc: "Index, from 0"},
				Field{Name: "class", Type: tKeyValueInfoClass, Default: "KeyValueFullInformation", Doc: "KeyValueInformationClass"},
				Field{Name: "length", Type: tUint32, Default: "512", Doc: "Length: the buffer's size in bytes"}),
			Expect: tValueInfoExpect,
			run: func(r *runner, st *Step, th string) {
				h, ok := r.handle(st, st.args.handle("key"))
				if !ok {
					return
				}
				call := viaCall(via, r.reg().NtEnumerateValueKey, r.reg().ZwEnumerateValueKey)
				class := st.args.u32("class")
				info, n, status := call(th, h, st.args.u32("index"), class, st.args.u32("length"))
				if r.checkNTStatus(st, status) && st.expect != nil {
					r.compareValueInfo(st, class, info, n)
				}
			},
		},
		ntHandleCall(p+"DeleteKey", "Delete a key: its handles become deleted-key handles."+kernelNote, "key", func(b backend.Registry, th string, h sim.Handle) sim.NTStatus {
			if via == hive.Zw {
				return b.ZwDeleteKey(th, h)
			}
			return b.NtDeleteKey(th, h)
		}),
		ntHandleCall(p+"FlushKey", "Write the key's whole hive to its durable image; returns when it is durable."+kernelNote, "key", func(b backend.Registry, th string, h sim.Handle) sim.NTStatus {
			if via == hive.Zw {
				return b.ZwFlushKey(th, h)
			}
			return b.NtFlushKey(th, h)
		}),
		ntHandleCall(p+"Close", "Close a handle to any kernel object. The variable stays usable, as a stale handle."+kernelNote, "handle", func(b backend.Registry, th string, h sim.Handle) sim.NTStatus {
			if via == hive.Zw {
				return b.ZwClose(th, h)
			}
			return b.NtClose(th, h)
		}),
	}
}

// ntHandleCall is a step kind for a native call that takes one handle.
func ntHandleCall(name, summary, field string, call func(b backend.Registry, th string, h sim.Handle) sim.NTStatus) *StepKind {
	return &StepKind{
		Name: name, Group: GroupRegistry, Returns: ReturnsNTStatus, Summary: summary,
		Fields: []Field{{Name: field, Type: tHKey, Required: true, Doc: "the handle (a predefined key is accepted as a value, too)"}},
		run: func(r *runner, st *Step, th string) {
			h, ok := r.handle(st, st.args.handle(field))
			if !ok {
				return
			}
			r.checkNTStatus(st, call(r.reg(), th, h))
		},
	}
}

// reg returns the backend as a registry backend; the step's Needs
// guarantee it is one.
func (r *runner) reg() backend.Registry { return r.b.(backend.Registry) }

func (r *runner) objectAttributes(st *Step) (win32.ObjectAttributes, bool) {
	root, ok := r.handle(st, st.args.handle("root"))
	return win32.ObjectAttributes{RootDirectory: root, ObjectName: st.args.str("name"), Attributes: st.args.u32("attributes")}, ok
}

var (
	tKeyAccess = constType(win32.GroupKeyAccess)

	// tKeyName is a registry name, shown bare in step summaries: quoting
	// would double every backslash.
	tKeyName = &Type{
		Name: "key-name", Doc: `a registry name such as \Registry\Machine\SOFTWARE (single-quote it in YAML)`, brief: briefBare,
		schema: func(*schemaWriter) jsonObject { return jsonObject{"type": "string"} },
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			return d.scalar(n, path, "a registry name", "!!str")
		},
	}
	tValueType = constType(win32.GroupValueType)

	tHKey = &Type{
		Name: "hkey", Doc: "a handle (a variable, NULL, INVALID_HANDLE_VALUE, BOGUS) or a predefined key (HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_USERS, HKEY_CLASSES_ROOT, HKEY_CURRENT_CONFIG, HKEY_PERFORMANCE_DATA)", brief: briefBare,
		schema: func(s *schemaWriter) jsonObject {
			// A name starting HKEY_ must be a predefined key; any other is a handle.
			return jsonObject{"anyOf": []any{
				jsonObject{"type": "string", "enum": mapKeysSorted(win32.PredefinedKeys())},
				jsonObject{"allOf": []any{s.handles()}, "not": jsonObject{"type": "string", "pattern": "^HKEY_"}},
			}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			if n.Kind == yaml.ScalarNode && strings.HasPrefix(n.Value, "HKEY_") {
				if h, ok := win32.PredefinedKeys()[n.Value]; ok {
					return handleRef{fixed: h}, true
				}
				d.errorf(n, "%s: unknown predefined key %q%s", path, n.Value, suggest(n.Value, mapKeys(win32.PredefinedKeys())))
				return nil, false
			}
			return d.handleRef(n, path)
		},
	}

	tHex = &Type{
		Name: "hex", Doc: "bytes as hex digits, e.g. 0a0b0c (\"\" for none)", brief: briefQuoted,
		schema: func(*schemaWriter) jsonObject {
			// Digits alone read as a YAML integer; the decoder takes its text.
			return jsonObject{"anyOf": []any{
				jsonObject{"type": "string", "pattern": "^(?:[0-9A-Fa-f]{2})*$"},
				jsonObject{"type": "integer", "minimum": 0},
			}}
		},
		decode: func(d *decoder, n *yaml.Node, path string) (any, bool) {
			s, ok := d.scalar(n, path, "hex digits", "!!str", "!!int")
			if !ok {
				return nil, false
			}
			b, err := hex.DecodeString(s)
			if err != nil {
				d.errorf(n, "%s: want an even number of hex digits, got %q", path, s)
				return nil, false
			}
			return b, true
		},
	}

	// dataFields are the ways to write value data; at most one is given.
	dataFields = []Field{
		{Name: "string", Type: tString, Doc: "REG_SZ data: the string, stored as UTF-16LE with its terminating NUL"},
		{Name: "multi", Type: tStrings, Doc: "REG_MULTI_SZ data: the strings, each NUL-terminated, then a final NUL"},
		{Name: "dword", Type: tUint32, Doc: "REG_DWORD data: 4 bytes, little-endian"},
		{Name: "qword", Type: tUint64, Doc: "REG_QWORD data: 8 bytes, little-endian"},
		{Name: "hex", Type: tHex, Doc: "REG_BINARY data, as hex digits"},
	}

	tCreateExpect = objectType("expect", "the disposition the call reports", []Field{
		{Name: "disposition", Type: constType(win32.GroupDisposition), Doc: "REG_CREATED_NEW_KEY or REG_OPENED_EXISTING_KEY"},
	})
	tKeyInfoClass      = constType(win32.GroupKeyInfoClass)
	tKeyValueInfoClass = constType(win32.GroupKeyValueInfoClass)

	tKeyInfoExpect = objectType("expect", "ResultLength and the members of the key information structure the buffer received; fields left out are not compared (LastWriteTime never is: it is a wall-clock time on a real system)", []Field{
		{Name: "result_length", Type: tUint32, Doc: "ResultLength: the bytes the whole structure needs"},
		{Name: "name", Type: tString, Doc: "Name: the part of the name the buffer holds (the full name for KeyNameInformation)"},
		{Name: "name_length", Type: tUint32, Doc: "NameLength, in bytes: the whole name's"},
		{Name: "class_offset", Type: tUint32, Doc: "ClassOffset (0xFFFFFFFF: no class)"},
		{Name: "class_length", Type: tUint32, Doc: "ClassLength"},
		{Name: "subkeys", Type: tUint32, Doc: "SubKeys"},
		{Name: "max_name_len", Type: tUint32, Doc: "MaxNameLen: the longest subkey name, in bytes"},
		{Name: "values", Type: tUint32, Doc: "Values"},
		{Name: "max_value_name_len", Type: tUint32, Doc: "MaxValueNameLen, in bytes"},
		{Name: "max_value_data_len", Type: tUint32, Doc: "MaxValueDataLen, in bytes"},
	})
	tValueInfoExpect = objectType("expect", "ResultLength and the members of the value information structure the buffer received; fields left out are not compared", append([]Field{
		{Name: "result_length", Type: tUint32, Doc: "ResultLength: the bytes the whole structure needs"},
		{Name: "name", Type: tString, Doc: "Name: the part of the value's name the buffer holds"},
		{Name: "name_length", Type: tUint32, Doc: "NameLength, in bytes: the whole name's"},
		{Name: "type", Type: tValueType, Doc: "Type"},
		{Name: "data_offset", Type: tUint32, Doc: "DataOffset (KeyValueFullInformation)"},
		{Name: "data_length", Type: tUint32, Doc: "DataLength: the whole data's"},
	}, dataFields...))

	tValueExpect = objectType("expect", "the value's type and data; fields left out are not compared", append([]Field{
		{Name: "type", Type: tValueType, Doc: "the value's type"},
	}, dataFields...))
)

// checkData refuses more than one data field.
func checkData(d *decoder, st *Step) bool {
	var given []string
	for _, f := range dataFields {
		if v := st.args.at(f.Name); v != nil && v.given {
			given = append(given, f.Name)
		}
	}
	if len(given) > 1 {
		d.errorf(st.args.at(given[1]).node, "%s: give one of %s, not both %s and %s", st.Kind.Name, fieldNamesOf(dataFields), given[0], given[1])
		return false
	}
	return true
}

func fieldNamesOf(fs []Field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// valueData encodes the data field of vs and the type it implies, or the
// type: field when given. given reports whether a data field was written.
func valueData(vs values) (typ uint32, data []byte, given bool) {
	typ, given = win32.REG_NONE, true
	switch {
	case vs.has("string"):
		typ, data = win32.REG_SZ, utf16z(vs.str("string"))
	case vs.has("multi"):
		typ = win32.REG_MULTI_SZ
		for _, s := range vs.strs("multi") {
			data = append(data, utf16z(s)...)
		}
		data = append(data, 0, 0)
	case vs.has("dword"):
		typ, data = win32.REG_DWORD, binary.LittleEndian.AppendUint32(nil, vs.u32("dword"))
	case vs.has("qword"):
		v, _ := vs.get("qword").(uint64)
		typ, data = win32.REG_QWORD, binary.LittleEndian.AppendUint64(nil, v)
	case vs.has("hex"):
		b, _ := vs.get("hex").([]byte)
		typ, data = win32.REG_BINARY, b
	default:
		given = false
	}
	if vs.has("type") {
		typ = vs.u32("type")
	}
	return typ, data, given
}

// utf16z encodes s as UTF-16LE with a terminating NUL.
func utf16z(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return append(b, 0, 0)
}

// compareValue compares a queried value with the type: and data fields
// that c's step gives (see expectCheck).
func compareValue(c *expectCheck, typ uint32, data []byte) {
	c.constant("type", win32.GroupValueType, typ)
	compareData(c, data)
	c.done()
}

// compareData compares value data with the data field of an expect:, if
// one is given. A recording writes the data in the same form where it
// reads back as the same bytes (a DWORD of 4 bytes, a string with its
// terminating NUL ...), else as hex:.
func compareData(c *expectCheck, got []byte) {
	field := ""
	for _, f := range dataFields {
		if c.given(f.Name) {
			field = f.Name
		}
	}
	if field == "" {
		return
	}
	if c.recording {
		node, ok := dataNode(field, got)
		if !ok {
			c.record(field, nil)
			field, node = "hex", ymStr(hex.EncodeToString(got))
		}
		c.record(field, node)
		return
	}
	if _, want, _ := valueData(c.vs); !slices.Equal(want, got) {
		c.diffs = append(c.diffs, fmt.Sprintf("data: got %s, want %s", hexText(got), hexText(want)))
	}
}

// dataNode writes data as the data field of that name writes it; ok is
// false when that field cannot give these bytes.
func dataNode(field string, data []byte) (node *yaml.Node, ok bool) {
	le := binary.LittleEndian
	switch field {
	case "dword":
		if len(data) == 4 {
			return ymInt(uint64(le.Uint32(data))), true
		}
	case "qword":
		if len(data) == 8 {
			return ymInt(le.Uint64(data)), true
		}
	case "string":
		if s, ok := utf16zString(data); ok && !strings.ContainsRune(s, 0) {
			return ymStr(s), true
		}
	case "multi":
		if len(data) >= 4 && len(data)%2 == 0 && le.Uint16(data[len(data)-2:]) == 0 {
			var ss []string
			for rest := data[:len(data)-2]; len(rest) > 0; {
				end := 0
				for end < len(rest) && le.Uint16(rest[end:]) != 0 {
					end += 2
				}
				s, ok := utf16zString(rest[:min(end+2, len(rest))])
				if !ok || s == "" {
					return nil, false
				}
				ss = append(ss, s)
				rest = rest[min(end+2, len(rest)):]
			}
			return ymFlowStrings(ss), true
		}
	case "hex":
		return ymStr(hex.EncodeToString(data)), true
	}
	return nil, false
}

// utf16zString decodes UTF-16LE data ending in one NUL, as utf16z writes a
// string; ok is false for bytes utf16z would not write.
func utf16zString(data []byte) (string, bool) {
	if len(data) < 2 || len(data)%2 != 0 {
		return "", false
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(data[2*i:])
	}
	if u[len(u)-1] != 0 {
		return "", false
	}
	s := string(utf16.Decode(u[:len(u)-1]))
	return s, slices.Equal(utf16z(s), data)
}

func hexText(b []byte) string {
	if len(b) == 0 {
		return "no bytes"
	}
	return fmt.Sprintf("%d bytes %x", len(b), b)
}

// runRegValue is the reg_value assertion.
func runRegValue(r *runner, st *Step, th string) {
	b := r.reg()
	path, name := st.args.str("path"), st.args.str("name")
	h, status := b.NtOpenKey(th, win32.KEY_QUERY_VALUE, win32.Abs(path))
	if status != sim.STATUS_SUCCESS {
		if status != sim.STATUS_OBJECT_NAME_NOT_FOUND || !st.args.bool("absent") {
			r.failf(st, "NtOpenKey(%s): %s", path, status)
		}
		return
	}
	typ, data, status := b.NtQueryValueKey(th, h, name)
	if cs := b.NtClose(th, h); cs != sim.STATUS_SUCCESS {
		r.failf(st, "NtClose: %s", cs)
		return
	}
	switch {
	case st.args.bool("absent") && status == sim.STATUS_OBJECT_NAME_NOT_FOUND:
	case st.args.bool("absent") && status == sim.STATUS_SUCCESS:
		r.failf(st, "value %q of %s exists (%s, %s), want it absent", name, path, constText(win32.GroupValueType, typ), hexText(data))
	case status != sim.STATUS_SUCCESS:
		r.failf(st, "NtQueryValueKey(%q): %s", name, status)
	default:
		compareValue(r.newAssertCheck(st), typ, data)
	}
}

// runHiveIO is the hive_io assertion.
func runHiveIO(r *runner, st *Step, _ string) {
	path := st.args.str("hive")
	stats, err := r.b.(backend.Durability).HiveStats(path)
	if err != nil {
		r.backendErr(st, err)
		return
	}
	// Registry names compare case-insensitively: one hive, one scope.
	scope := "hive_io " + strings.ToLower(keyPath(path))
	var diffs []string
	for _, c := range []struct {
		field string
		got   uint64
	}{
		{"flushes", stats.Flushes},
		{"keys_written", stats.KeysWritten},
		{"value_bytes", stats.ValueBytes},
		{"writes", stats.Writes},
		{"barriers", stats.Barriers},
	} {
		if diff := r.checkCount(st, scope, c.field, c.got); diff != "" {
			diffs = append(diffs, diff)
		}
	}
	if len(diffs) > 0 {
		r.failf(st, "%s (%s)", strings.Join(diffs, "; "), stats)
	}
}

// checkRegValue refuses more than one data field, and type or data next to
// absent: true, which compares neither.
func checkRegValue(d *decoder, st *Step) bool {
	if !checkData(d, st) {
		return false
	}
	if !st.args.bool("absent") {
		return true
	}
	for _, f := range append([]Field{{Name: "type"}}, dataFields...) {
		if v := st.args.at(f.Name); v != nil && v.given {
			d.errorf(v.node, "reg_value: absent: true compares no type or data, so %s: would check nothing; drop it, or drop absent", f.Name)
			return false
		}
	}
	return true
}

// checkHiveIO refuses a hive_io that compares no counter. A counter
// written but refused has had its own message.
func checkHiveIO(d *decoder, st *Step) bool {
	for _, f := range st.Kind.Fields {
		if f.Name != "hive" && st.args.has(f.Name) {
			return true
		}
		if f.Name != "hive" && d.badArgs[f.Name] {
			return false
		}
	}
	msg := "hive_io: give at least one counter to compare (" + fieldNamesOf(st.Kind.Fields[1:]) + ")"
	if h := st.args.at("hive"); h != nil {
		d.errorf(h.node, "%s", msg)
	} else {
		d.errorAt(st.Line, st.Col, "%s", msg) // hive: is missing too, and reported
	}
	return false
}

// keyPath is the canonical form of an absolute key name for the static
// checks: components joined by one backslash, empty ones dropped (the walk
// may then treat two spellings as one key, never one key as two).
func keyPath(name string) string {
	var comps []string
	for _, c := range strings.Split(name, `\`) {
		if c != "" {
			comps = append(comps, c)
		}
	}
	return `\` + strings.Join(comps, `\`)
}

// setsKeyPath records the key a create or open binds to its variable, when
// its name resolves: absolute, or relative to a key variable whose key is
// known.
func setsKeyPath(sc *setup, st *Step) {
	if st.As == "" {
		return
	}
	name := st.args.str("name")
	switch root := st.args.handle("root"); {
	case root.name == "" && root.fixed == 0:
		sc.keyPaths[st.As] = keyPath(name)
	case root.name != "" && sc.keyPaths[root.name] != "":
		sc.keyPaths[st.As] = keyPath(sc.keyPaths[root.name] + `\` + name)
	}
}

// setsValueWrite records the value a set-value call writes, under the key
// of its handle, or under any key when the handle's key is not known.
func setsValueWrite(sc *setup, st *Step) {
	path := ""
	if h := st.args.handle("key"); h.name != "" {
		path = sc.keyPaths[h.name]
	}
	w := valueWrite{path: path, name: st.args.str("name")}
	if !sc.written[w] {
		// A write already listed changes nothing an assertion asks:
		// a million sets of one value keep one entry.
		sc.written[w] = true
		sc.valueWrites = append(sc.valueWrites, w)
	}
}

// vacuousRegValue refuses absent: true on a value no earlier step writes
// to the key: every hive starts empty, so the value is absent whatever the
// backend does. Names compare case-insensitively, as the registry does.
func vacuousRegValue(sc *setup, st *Step) (*yaml.Node, string) {
	if !st.args.bool("absent") {
		return nil, ""
	}
	path, name := keyPath(st.args.str("path")), st.args.str("name")
	for _, w := range sc.valueWrites {
		if strings.EqualFold(w.name, name) && (w.path == "" || strings.EqualFold(w.path, path)) {
			return nil, ""
		}
	}
	const gone = "to assert that the key is gone, open it with NtOpenKey and want: STATUS_OBJECT_NAME_NOT_FOUND"
	at := st.args.at("absent").node
	if name == "" {
		return at, fmt.Sprintf("absent: true without name: asserts only that the default (unnamed) value of %s is absent, and no earlier step writes a default value to that key (every hive starts empty), so it cannot fail; name the value the scenario wrote (name: ...), or, %s", st.args.str("path"), gone)
	}
	return at, fmt.Sprintf("absent: true cannot fail: no earlier step writes a value named %q to %s (every hive starts empty); assert a value the scenario wrote, or, %s", name, st.args.str("path"), gone)
}

// compareKeyInfo compares ResultLength and the decoded key information
// with the given expect: fields (see expectCheck).
func (r *runner) compareKeyInfo(st *Step, class uint32, info []byte, n uint32) {
	c := r.newExpectCheck(st)
	defer c.done()
	c.u32("result_length", n)
	ki, err := win32.DecodeKeyInfo(class, info)
	if err != nil {
		c.gaveNothing("the buffer: "+err.Error(), "name", "name_length", "class_offset", "class_length", "subkeys", "max_name_len", "values", "max_value_name_len", "max_value_data_len")
		return
	}
	c.str("name", ki.Name)
	c.u32("name_length", ki.NameLength)
	c.u32("class_offset", ki.ClassOffset)
	c.u32("class_length", ki.ClassLength)
	c.u32("subkeys", ki.SubKeys)
	c.u32("max_name_len", ki.MaxNameLen)
	c.u32("values", ki.Values)
	c.u32("max_value_name_len", ki.MaxValueNameLen)
	c.u32("max_value_data_len", ki.MaxValueDataLen)
}

// compareValueInfo compares ResultLength and the decoded value
// information with the given expect: fields (see expectCheck).
func (r *runner) compareValueInfo(st *Step, class uint32, info []byte, n uint32) {
	c := r.newExpectCheck(st)
	defer c.done()
	c.u32("result_length", n)
	vi, err := win32.DecodeValueInfo(class, info)
	if err != nil {
		fields := []string{"name", "name_length", "type", "data_offset", "data_length"}
		for _, f := range dataFields {
			fields = append(fields, f.Name)
		}
		c.gaveNothing("the buffer: "+err.Error(), fields...)
		return
	}
	c.str("name", vi.Name)
	c.u32("name_length", vi.NameLength)
	c.u32("data_offset", vi.DataOffset)
	c.u32("data_length", vi.DataLength)
	c.constant("type", win32.GroupValueType, vi.Type)
	compareData(c, vi.Data)
}
