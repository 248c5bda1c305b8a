package registry

import (
	"encoding/binary"
	"errors"
	"unicode/utf16"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/windows"
)

// Registry value types (winnt.h's REG_*), untyped as in x/sys. GetValue
// reads a value of any type; the Get*Value and Set*Value methods handle
// SZ, EXPAND_SZ, MULTI_SZ, DWORD, QWORD and BINARY.
const (
	NONE                       = 0
	SZ                         = 1
	EXPAND_SZ                  = 2
	BINARY                     = 3
	DWORD                      = 4
	DWORD_BIG_ENDIAN           = 5
	LINK                       = 6
	MULTI_SZ                   = 7
	RESOURCE_LIST              = 8
	FULL_RESOURCE_DESCRIPTOR   = 9
	RESOURCE_REQUIREMENTS_LIST = 10
	QWORD                      = 11
)

var (
	// ErrShortBuffer is returned when the buffer was too short for the
	// operation: ERROR_MORE_DATA.
	ErrShortBuffer = windows.ERROR_MORE_DATA

	// ErrNotExist is returned when a registry key or value does not exist:
	// ERROR_FILE_NOT_FOUND, which errors.Is reads as fs.ErrNotExist.
	ErrNotExist = windows.ERROR_FILE_NOT_FOUND

	// ErrUnexpectedType is returned by Get*Value when the value's type was
	// unexpected.
	ErrUnexpectedType = errors.New("unexpected key value type")
)

// GetValue reads the type and data of the value name into buf and returns
// the data's size n (RegQueryValueExW). A buf too short for the data gets
// nothing, and ErrShortBuffer with the size needed; an empty buf gets the
// size and type only. A missing value is ErrNotExist.
func (k Key) GetValue(name string, buf []byte) (n int, valtype uint32, err error) {
	if name, err = nativeName(name); err != nil {
		return 0, 0, err
	}
	if err := refuseKey("Key.GetValue", k); err != nil {
		return 0, 0, err
	}
	if len(buf) == 0 {
		buf = nil
	}
	var size uint32
	var e sim.Errno
	call(func(c reg) { size, valtype, e = c.regQueryValueEx(k, name, buf) })
	return int(size), valtype, errOf(e)
}

// getValue reads a value whole, growing buf (never empty) while the value
// is longer, as x/sys's does.
func (k Key) getValue(name string, buf []byte) (data []byte, valtype uint32, err error) {
	if name, err = nativeName(name); err != nil {
		return nil, 0, err
	}
	if err := refuseKey("Key.Get*Value", k); err != nil {
		return nil, 0, err
	}
	for {
		var n, typ uint32
		var e sim.Errno
		call(func(c reg) { n, typ, e = c.regQueryValueEx(k, name, buf) })
		switch {
		case e == sim.ERROR_SUCCESS:
			return buf[:n], typ, nil
		case e != sim.ERROR_MORE_DATA, n <= uint32(len(buf)):
			return nil, 0, errOf(e)
		}
		buf = make([]byte, n)
	}
}

// GetStringValue returns the value name as a string, with its type, SZ or
// EXPAND_SZ; the string ends at the first NUL. Another type gives its type
// and ErrUnexpectedType. EXPAND_SZ strings come back unexpanded: the
// model has no environment (see the package documentation).
func (k Key) GetStringValue(name string) (val string, valtype uint32, err error) {
	data, typ, err := k.getValue(name, make([]byte, 64))
	if err != nil {
		return "", typ, err
	}
	if typ != SZ && typ != EXPAND_SZ {
		return "", typ, ErrUnexpectedType
	}
	return utf16ToString(bytesUnits(data)), typ, nil
}

// GetStringsValue returns the MULTI_SZ value name as its strings. One
// terminating NUL is dropped and each NUL then ends a string, so data
// ending in the double NUL x/sys writes gives the strings written, and
// data without the final NUL loses its last, unterminated string, as
// x/sys's does. Another type gives its type and ErrUnexpectedType.
func (k Key) GetStringsValue(name string) (val []string, valtype uint32, err error) {
	data, typ, err := k.getValue(name, make([]byte, 64))
	if err != nil {
		return nil, typ, err
	}
	if typ != MULTI_SZ {
		return nil, typ, ErrUnexpectedType
	}
	p := bytesUnits(data)
	if len(p) == 0 {
		return nil, typ, nil
	}
	if p[len(p)-1] == 0 {
		p = p[:len(p)-1]
	}
	val = make([]string, 0, 5)
	from := 0
	for i, c := range p {
		if c == 0 {
			val = append(val, string(utf16.Decode(p[from:i])))
			from = i + 1
		}
	}
	return val, typ, nil
}

// GetIntegerValue returns the DWORD or QWORD value name, with its type.
// Data of the wrong length for its type is an error; another type gives
// its type and ErrUnexpectedType.
func (k Key) GetIntegerValue(name string) (val uint64, valtype uint32, err error) {
	data, typ, err := k.getValue(name, make([]byte, 8))
	if err != nil {
		return 0, typ, err
	}
	switch typ {
	case DWORD:
		if len(data) != 4 {
			return 0, typ, errors.New("DWORD value is not 4 bytes long")
		}
		return uint64(binary.LittleEndian.Uint32(data)), DWORD, nil
	case QWORD:
		if len(data) != 8 {
			return 0, typ, errors.New("QWORD value is not 8 bytes long")
		}
		return binary.LittleEndian.Uint64(data), QWORD, nil
	}
	return 0, typ, ErrUnexpectedType
}

// GetBinaryValue returns the BINARY value name. Another type gives its
// type and ErrUnexpectedType.
func (k Key) GetBinaryValue(name string) (val []byte, valtype uint32, err error) {
	data, typ, err := k.getValue(name, make([]byte, 64))
	if err != nil {
		return nil, typ, err
	}
	if typ != BINARY {
		return nil, typ, ErrUnexpectedType
	}
	return data, typ, nil
}

// setValue stores data as the value name of type valtype
// (RegSetValueExW).
func (k Key) setValue(name string, valtype uint32, data []byte) error {
	name, err := nativeName(name)
	if err != nil {
		return err
	}
	if err := refuseKey("Key.Set*Value", k); err != nil {
		return err
	}
	var e sim.Errno
	call(func(c reg) { e = c.regSetValueEx(k, name, valtype, data) })
	return errOf(e)
}

// SetDWordValue stores value as the DWORD value name (4 bytes, little
// endian).
func (k Key) SetDWordValue(name string, value uint32) error {
	return k.setValue(name, DWORD, binary.LittleEndian.AppendUint32(nil, value))
}

// SetQWordValue stores value as the QWORD value name (8 bytes, little
// endian).
func (k Key) SetQWordValue(name string, value uint64) error {
	return k.setValue(name, QWORD, binary.LittleEndian.AppendUint64(nil, value))
}

// setStringValue stores value as UTF-16 with its terminating NUL,
// converted as x/sys converts it (syscall.UTF16FromString: a lone
// surrogate half is kept); a NUL inside value is syscall.EINVAL.
func (k Key) setStringValue(name string, valtype uint32, value string) error {
	units, err := utf16FromString(value)
	if err != nil {
		return err
	}
	return k.setValue(name, valtype, unitsBytes(units))
}

// SetStringValue stores value as the SZ value name. The value must not
// contain a NUL.
func (k Key) SetStringValue(name, value string) error {
	return k.setStringValue(name, SZ, value)
}

// SetExpandStringValue stores value as the EXPAND_SZ value name. The value
// must not contain a NUL.
func (k Key) SetExpandStringValue(name, value string) error {
	return k.setStringValue(name, EXPAND_SZ, value)
}

// SetStringsValue stores value as the MULTI_SZ value name: each string
// with its NUL, and one more NUL after the last. The strings must not
// contain a NUL.
func (k Key) SetStringsValue(name string, value []string) error {
	ss := ""
	for _, s := range value {
		for i := 0; i < len(s); i++ {
			if s[i] == 0 {
				return errors.New("string cannot have 0 inside")
			}
		}
		ss += s + "\x00"
	}
	return k.setValue(name, MULTI_SZ, unitsBytes(utf16.Encode([]rune(ss+"\x00"))))
}

// SetBinaryValue stores value as the BINARY value name.
func (k Key) SetBinaryValue(name string, value []byte) error {
	return k.setValue(name, BINARY, value)
}

// DeleteValue deletes the value name of k (RegDeleteValueW). A missing
// value is ErrNotExist.
func (k Key) DeleteValue(name string) error {
	name, err := nativeName(name)
	if err != nil {
		return err
	}
	if err := refuseKey("Key.DeleteValue", k); err != nil {
		return err
	}
	var e sim.Errno
	call(func(c reg) { e = c.regDeleteValue(k, name) })
	return errOf(e)
}

// ReadValueNames returns the names of k's values, in the order
// NtEnumerateValueKey gives them (the order they were first set in, under
// win8). With n > 0 it returns at most n names, and io.EOF with them when
// there are fewer; with n <= 0, all of them. It needs QUERY_VALUE: it
// asks Stat for the longest name first, as x/sys's does.
func (k Key) ReadValueNames(n int) ([]string, error) {
	ki, err := k.Stat()
	if err != nil {
		return nil, err
	}
	e := &enumeration{
		what:  "value",
		size:  ki.MaxValueNameLen + 1,
		known: ki.ValueCount,
		entry: func(c reg, i, size uint32) (string, sim.Errno) { return c.regEnumValue(k, i, size) },
		count: func(c reg) (uint32, sim.Errno) {
			ki, e := c.regQueryInfoKey(k)
			return ki.Values, e
		},
	}
	return e.readNames(n, int(ki.ValueCount))
}
