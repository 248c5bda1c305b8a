package sim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind tells which of the three Windows status spaces a Code belongs to.
type Kind uint8

// The status spaces.
const (
	KindWin32    Kind = iota + 1 // Win32 error codes (GetLastError, LSTATUS, DWORD returns)
	KindNTStatus                 // NTSTATUS values returned by Nt*/Zw* routines
	KindHResult                  // HRESULT and SECURITY_STATUS values (NTE_*)
)

// String returns the kind's name as used in messages.
func (k Kind) String() string {
	switch k {
	case KindWin32:
		return "Win32"
	case KindNTStatus:
		return "NTSTATUS"
	case KindHResult:
		return "HRESULT"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Code is a status value together with its space, so that a Win32 error 6 and
// an NTSTATUS 6 never compare equal. The zero Code is not valid; use
// ERROR_SUCCESS, STATUS_SUCCESS or S_OK.
type Code struct {
	Kind  Kind
	Value uint32
}

// Errno is a Win32 error code.
type Errno uint32

// NTStatus is an NTSTATUS value.
type NTStatus uint32

// HResult is an HRESULT or SECURITY_STATUS value.
type HResult uint32

// Code returns e as a Code.
func (e Errno) Code() Code { return Code{KindWin32, uint32(e)} }

// Code returns s as a Code.
func (s NTStatus) Code() Code { return Code{KindNTStatus, uint32(s)} }

// Code returns h as a Code.
func (h HResult) Code() Code { return Code{KindHResult, uint32(h)} }

// Error implements error, so a Win32 code can travel as a Go error.
func (e Errno) Error() string { return e.String() }

// String formats e as "NAME (decimal)", for example
// "ERROR_SERVICE_MARKED_FOR_DELETE (1072)".
func (e Errno) String() string { return e.Code().String() }

// String formats s as "NAME (0xC0000008)".
func (s NTStatus) String() string { return s.Code().String() }

// String formats h as "NAME (0x80090009)".
func (h HResult) String() string { return h.Code().String() }

// Name returns the SDK name of c, or "" when the value has no name here.
func (c Code) Name() string { return codeNames[c] }

// String formats c with its SDK name and value: Win32 codes in decimal,
// NTSTATUS and HRESULT values in hexadecimal, the way the SDK headers write them.
func (c Code) String() string {
	num := c.Number()
	if n := codeNames[c]; n != "" {
		return n + " (" + num + ")"
	}
	return c.Kind.String() + " " + num
}

// Number formats only the value, in the notation of its space.
func (c Code) Number() string {
	if c.Kind == KindWin32 {
		return strconv.FormatUint(uint64(c.Value), 10)
	}
	return fmt.Sprintf("0x%08X", c.Value)
}

// Success reports whether c is a success value of its space.
func (c Code) Success() bool {
	switch c.Kind {
	case KindWin32:
		return c.Value == 0
	case KindNTStatus:
		return c.Value>>31 == 0 // NT_SUCCESS: severity success or informational
	case KindHResult:
		return c.Value>>31 == 0
	}
	return false
}

// CodeInfo describes one named status value.
type CodeInfo struct {
	Name string
	Code Code
}

var (
	codeNames  = map[Code]string{}
	codeByName = map[string]Code{}
)

func init() {
	for _, ci := range knownCodes {
		if _, dup := codeByName[ci.Name]; dup {
			panic("sim: status name declared twice: " + ci.Name)
		}
		codeByName[ci.Name] = ci.Code
		if _, dup := codeNames[ci.Code]; !dup {
			codeNames[ci.Code] = ci.Name
		}
	}
}

// LookupCode returns the code with the given SDK name.
func LookupCode(name string) (Code, bool) {
	c, ok := codeByName[name]
	return c, ok
}

// Codes lists every named status value, sorted by name.
func Codes() []CodeInfo {
	out := make([]CodeInfo, 0, len(codeByName))
	for n, c := range codeByName {
		out = append(out, CodeInfo{n, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ParseCode parses an SDK name such as "NTE_BAD_FLAGS". On failure the error
// names the nearest known name when one is close.
func ParseCode(name string) (Code, error) {
	if c, ok := codeByName[name]; ok {
		return c, nil
	}
	names := make([]string, 0, len(codeByName))
	for n := range codeByName {
		names = append(names, n)
	}
	if s := Nearest(name, names); s != "" {
		return Code{}, fmt.Errorf("unknown status code %q (did you mean %s?)", name, s)
	}
	return Code{}, fmt.Errorf("unknown status code %q", name)
}

// Nearest returns the candidate closest to s by edit distance, or "" when
// none is close enough to be a plausible typo. Ties go to the smaller name.
func Nearest(s string, candidates []string) string {
	best, bestD := "", -1
	up := strings.ToUpper(s)
	for _, c := range candidates {
		d := editDistance(up, strings.ToUpper(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > len(s)/3+1 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
