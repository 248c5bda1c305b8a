package evidence

import (
	"slices"
	"strings"
)

// Todo says whether Wine expects an ok() to fail on Wine itself.
type Todo string

// The todo marks of a site.
const (
	// NoTodo: the check passes on Wine as on Windows.
	NoTodo Todo = "-"
	// TodoWine: the site is under todo_wine (a prefix or a todo_wine block).
	TodoWine Todo = "todo_wine"
	// TodoWineIf: the site is under todo_wine_if(...), todo on some runs.
	TodoWineIf Todo = "todo_wine_if"
)

// Site is one ok() call site of a Wine test file, as the extractor reads it.
type Site struct {
	// File is the path of the test file inside Wine's tree.
	File string
	// Line is the line Wine's test report names: the line of the ok token,
	// or for a check made by a line-forwarding helper, the line of the
	// helper's invocation.
	Line int
	// Function is the enclosing function of the ok (of the invocation for a
	// helper site).
	Function string
	// Helper is the line-forwarding helper a helper site goes through; ""
	// for a direct ok.
	Helper string
	// Call is the subject call as the test spells it, without the p of a
	// function pointer ("OpenSCManagerA", "NtCreateKey"); several modeled
	// subjects of one line are joined with "+"; "" when no call is found.
	Call string
	// Modeled is whether a subject call is one the models implement.
	Modeled bool
	// Value summarizes what the check asserts: the SDK names (and numbers)
	// the condition compares with, "!" before one it must differ from,
	// TRUE/FALSE for a bare truth test, "expr" for anything else; the
	// alternatives under broken() follow "; broken: ".
	Value string
	// Todo is the todo_wine mark.
	Todo Todo
}

// Key is the site's position, file:line, the ledger's key.
func (s Site) Key() string { return s.File + ":" + itoa(s.Line) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// keywords are C words followed by "(" that are not calls.
var keywords = map[string]bool{
	"if": true, "while": true, "for": true, "switch": true, "return": true,
	"sizeof": true, "do": true, "else": true, "case": true, "__typeof__": true,
	"defined": true,
}

// bookkeeping are the calls a test makes around the call it checks, never
// the subject of a check: error-state plumbing, the test framework, string
// and memory helpers, string-structure setup. A name made only of capitals,
// digits and underscores is a macro and is bookkeeping too.
var bookkeeping = map[string]bool{
	"SetLastError": true, "GetLastError": true,
	"trace": true, "skip": true, "win_skip": true, "broken": true,
	"todo_wine": true, "todo_wine_if": true,
	"winetest_push_context": true, "winetest_pop_context": true,
	"memset": true, "memcpy": true, "memcmp": true, "memmove": true,
	"strcmp": true, "strncmp": true, "stricmp": true, "_stricmp": true, "strcmpi": true,
	"strcpy": true, "strcat": true, "strlen": true, "sprintf": true,
	"wcscmp": true, "wcsncmp": true, "wcsicmp": true, "wcscpy": true, "wcslen": true, "wcscat": true,
	"lstrcmpA": true, "lstrcmpW": true, "lstrcmpiA": true, "lstrcmpiW": true,
	"lstrcpyA": true, "lstrcpyW": true, "lstrlenA": true, "lstrlenW": true,
	"lstrcatA": true, "lstrcatW": true, "wsprintfA": true, "wsprintfW": true,
	"HeapAlloc": true, "HeapFree": true, "HeapReAlloc": true, "GetProcessHeap": true,
	"malloc": true, "free": true, "calloc": true,
	"wine_dbgstr_w": true, "wine_dbgstr_a": true, "wine_dbgstr_an": true, "wine_dbgstr_wn": true,
	"wine_dbgstr_longlong": true, "wine_dbgstr_guid": true, "wine_dbgstr_us": true,
	"debugstr_a": true, "debugstr_w": true, "debugstr_an": true, "debugstr_wn": true,
	"RtlInitUnicodeString": true, "RtlCreateUnicodeStringFromAsciiz": true,
	"RtlFreeUnicodeString": true, "RtlInitAnsiString": true,
	"InitializeObjectAttributes": true,
}

// isBookkeeping reports whether a callee is never a check's subject.
func isBookkeeping(name string) bool {
	if bookkeeping[name] || bookkeeping[unpointer(name)] {
		return true
	}
	return strings.ToUpper(name) == name
}

// unpointer drops the p Wine's tests put before a function pointer they
// load at run time (pNtCreateKey is NtCreateKey).
func unpointer(name string) string {
	if len(name) > 1 && name[0] == 'p' && name[1] >= 'A' && name[1] <= 'Z' {
		return name[1:]
	}
	return name
}

// function is a function definition: its name and the token indices of
// its body's braces.
type function struct {
	name        string
	open, close int
}

// okKind tells how an ok is written.
type okKind int

const (
	okDirect    okKind = iota // ok(cond, ...) or ok_(__FILE__, __LINE__)(...)
	okForwarded               // ok_(__FILE__, line)(cond, ...), or a macro standing for it
	okMacro                   // a function-like macro of the file whose body calls ok
	okHelper                  // an invocation of a line-forwarding helper
)

// okCall is one ok found in the token stream.
type okCall struct {
	kind       okKind
	at         int // index of the first token
	end        int // index of the last token
	cond       [2]int
	helper     string
	helperArgs [2]int
}

// extractor holds one file's analysis.
type extractor struct {
	src       *source
	modeled   func(string) string
	functions []function
	// helpers maps a line-forwarding helper function to the subjects and
	// values of its forwarded checks; helperMacros maps a macro to the
	// helper it invokes with __LINE__.
	helpers      map[string][]subjectValue
	helperMacros map[string]string
}

type subjectValue struct {
	call, step string
}

// Extract lists the ok() sites of one C file. path is the file's path in
// Wine's tree, used in the sites' keys; modeled maps a call name (without
// the function-pointer p) to the model's step name, "" when not modeled.
// The result is in line order, one site per line: checks sharing a line
// (two ok on one line, or a helper's several checks) are one site.
func Extract(path string, src []byte, modeled func(string) string) []Site {
	x := &extractor{src: lex(path, src), modeled: modeled,
		helpers: map[string][]subjectValue{}, helperMacros: map[string]string{}}
	x.findFunctions()
	x.findHelpers()
	var sites []Site
	for _, f := range x.functions {
		sites = append(sites, x.sitesIn(f)...)
	}
	return mergeByLine(sites)
}

// findFunctions finds every function definition at file level.
func (x *extractor) findFunctions() {
	toks := x.src.tokens
	depth := 0
	for i := 0; i < len(toks); i++ {
		switch toks[i].text {
		case "{":
			if depth == 0 && i > 0 && toks[i-1].text == ")" {
				if open := openingParen(toks, i-1); open > 0 {
					name := toks[open-1].text
					if isIdent(name[0]) && !keywords[name] {
						end := matching(toks, i)
						x.functions = append(x.functions, function{name, i, end})
						i = end
						continue
					}
				}
			}
			depth++
		case "}":
			if depth > 0 {
				depth--
			}
		}
	}
}

// openingParen returns the index of the "(" matching the ")" at close, or
// -1.
func openingParen(toks []token, close int) int {
	depth := 0
	for i := close; i >= 0; i-- {
		switch toks[i].text {
		case ")":
			depth++
		case "(":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// forwardingMacro reports whether an object-like macro stands for
// ok_(__FILE__, line).
func (x *extractor) forwardingMacro(name string) bool {
	m := x.src.macros[name]
	if m == nil || m.params != nil || len(m.body) < 2 || m.body[0].text != "ok_" {
		return false
	}
	return slices.ContainsFunc(m.body, func(t token) bool { return t.text == "line" })
}

// okMacroName reports whether a function-like macro's body calls ok.
func (x *extractor) okMacroName(name string) bool {
	m := x.src.macros[name]
	if m == nil || m.params == nil {
		return false
	}
	return slices.ContainsFunc(m.body, func(t token) bool { return t.text == "ok" || t.text == "ok_" })
}

// findHelpers finds the line-forwarding helpers: functions with a
// forwarded ok, and the macros that call them with __LINE__.
func (x *extractor) findHelpers() {
	for _, f := range x.functions {
		var svs []subjectValue
		for _, c := range x.okCalls(f) {
			if c.kind != okForwarded {
				continue
			}
			call, step := x.subject(f, c)
			svs = append(svs, subjectValue{call, step})
		}
		if svs != nil {
			x.helpers[f.name] = svs
		}
	}
	for name, m := range x.src.macros {
		for i := 0; i+2 < len(m.body); i++ {
			if _, ok := x.helpers[m.body[i].text]; ok && m.body[i+1].text == "(" && m.body[i+2].text == "__LINE__" {
				x.helperMacros[name] = m.body[i].text
			}
		}
	}
}

// okCalls lists the ok calls in a function body, in order.
func (x *extractor) okCalls(f function) []okCall {
	toks := x.src.tokens
	var calls []okCall
	for i := f.open + 1; i < f.close; i++ {
		t := toks[i].text
		if i+1 >= f.close || toks[i+1].text != "(" || (i > 0 && (toks[i-1].text == "." || toks[i-1].text == "->")) {
			continue
		}
		args := matching(toks, i+1)
		switch {
		case t == "ok":
			calls = append(calls, okCall{kind: okDirect, at: i, end: args, cond: firstArg(toks, i+1, args)})
		case t == "ok_":
			if args+1 >= f.close || toks[args+1].text != "(" {
				continue
			}
			kind := okDirect
			if slices.ContainsFunc(toks[i+2:args], func(t token) bool { return t.text == "line" }) {
				kind = okForwarded
			}
			end := matching(toks, args+1)
			calls = append(calls, okCall{kind: kind, at: i, end: end, cond: firstArg(toks, args+1, end)})
		case x.forwardingMacro(t):
			calls = append(calls, okCall{kind: okForwarded, at: i, end: args, cond: firstArg(toks, i+1, args)})
		case x.okMacroName(t):
			calls = append(calls, okCall{kind: okMacro, at: i, end: args, cond: [2]int{i + 2, args}, helper: t})
		case x.helperMacros[t] != "":
			calls = append(calls, okCall{kind: okHelper, at: i, end: args, helper: x.helperMacros[t], helperArgs: [2]int{i + 2, args}})
		default:
			if _, ok := x.helpers[t]; ok && i+2 < args && toks[i+2].text == "__LINE__" {
				calls = append(calls, okCall{kind: okHelper, at: i, end: args, helper: t, helperArgs: [2]int{i + 2, args}})
			}
		}
		i = args
	}
	return calls
}

// firstArg returns the token range of the first argument of the call whose
// "(" is at open and ")" at close.
func firstArg(toks []token, open, close int) [2]int {
	depth := 0
	for i := open + 1; i < close; i++ {
		switch toks[i].text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
			if depth == 0 {
				return [2]int{open + 1, i}
			}
		}
	}
	return [2]int{open + 1, close}
}

// sitesIn lists the sites of one function. Forwarded checks are sites of
// their helper's callers, not of the helper, and are left out here.
func (x *extractor) sitesIn(f function) []Site {
	toks := x.src.tokens
	todo := x.todoMarks(f)
	var sites []Site
	for _, c := range x.okCalls(f) {
		if c.kind == okForwarded {
			continue
		}
		s := Site{File: x.src.path, Line: toks[c.at].line, Function: f.name, Todo: todo[c.at]}
		if c.kind == okHelper {
			s.Helper = c.helper
			var modeled, all []string
			for _, sv := range x.helpers[c.helper] {
				if sv.call == "" {
					continue
				}
				all = appendNew(all, sv.call)
				if sv.step != "" {
					modeled = appendNew(modeled, sv.call)
				}
			}
			switch {
			case modeled != nil:
				s.Call, s.Modeled = strings.Join(modeled, "+"), true
			case all != nil:
				s.Call = all[0]
			}
			s.Value = constants(toks[c.helperArgs[0]:c.helperArgs[1]])
			if s.Value == "" {
				s.Value = "-"
			}
		} else {
			call, step := x.subject(f, c)
			s.Call, s.Modeled = call, step != ""
			s.Value = value(x.condition(c))
		}
		sites = append(sites, s)
	}
	return sites
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// subject finds the call an ok checks: the first call in its condition
// that is neither bookkeeping nor a check; else, walking back through the
// statements of the function from the ok (the part of the ok's own
// statement before it first), the first such call of the nearest statement
// that has one, skipping statements that contain a check. Blocks the ok's
// control flow cannot have come through are stepped over, to their header
// statement: the branch an else excludes, a block holding a return (an
// early exit), and the body of a while or for loop (its header ran last).
// It returns the call and the model's step for it ("" when not modeled).
func (x *extractor) subject(f function, c okCall) (call, step string) {
	toks := x.src.tokens
	if cond := x.condition(c); c.kind == okMacro {
		if name := firstCall(cond, 0, len(cond), x.isCheck); name != "" {
			return x.named(name)
		}
	}
	if name := firstCall(toks, c.cond[0], c.cond[1], x.isCheck); name != "" {
		return x.named(name)
	}
	units := x.units(f)
	u := slices.IndexFunc(units, func(u [2]int) bool { return u[0] <= c.at && c.at < u[1] })
	for end := c.at; u >= 0; {
		if name := firstCall(toks, units[u][0], end, x.isCheck); name != "" {
			return x.named(name)
		}
		if toks[units[u][0]].text == "else" {
			u = blockHeader(toks, units, u-1)
		} else {
			u--
		}
		for u >= 0 {
			if x.hasCheck(units[u]) {
				u--
				continue
			}
			if h := blockHeader(toks, units, u); h >= 0 && h != u-1 && skippedBlock(toks, units[h], units[u]) {
				u = h
				continue
			}
			break
		}
		if u >= 0 {
			end = units[u][1]
		}
	}
	return "", ""
}

// blockHeader returns, for a statement u ending with the "}" of a block,
// the statement ending with that block's "{"; for any other statement, the
// one before it (a branch without braces); -1 at the start.
func blockHeader(toks []token, units [][2]int, u int) int {
	if u < 0 || toks[units[u][1]-1].text != "}" {
		return u - 1
	}
	depth := 0
	for i := units[u][1] - 1; i >= 0; i-- {
		switch toks[i].text {
		case "}":
			depth++
		case "{":
			depth--
			if depth == 0 {
				return slices.IndexFunc(units, func(u [2]int) bool { return u[1]-1 == i })
			}
		}
	}
	return -1
}

// skippedBlock reports whether the block from header's "{" to the "}"
// ending closer is one an ok after it cannot have come through last: a
// while or for body, or a block holding a return.
func skippedBlock(toks []token, header, closer [2]int) bool {
	if h := toks[header[0]].text; h == "while" || h == "for" {
		return true
	}
	for i := header[1]; i < closer[1]; i++ {
		if toks[i].text == "return" {
			return true
		}
	}
	return false
}

// condition returns the tokens of an ok's condition; for a macro that
// calls ok, the condition of the first ok in the macro's body, with the
// parameters' names standing for the invocation's arguments.
func (x *extractor) condition(c okCall) []token {
	if c.kind != okMacro {
		return x.src.tokens[c.cond[0]:c.cond[1]]
	}
	body := x.src.macros[c.helper].body
	for i := 0; i+1 < len(body); i++ {
		switch {
		case body[i].text == "ok" && body[i+1].text == "(":
			r := firstArg(body, i+1, matching(body, i+1))
			return body[r[0]:r[1]]
		case body[i].text == "ok_" && body[i+1].text == "(":
			if j := matching(body, i+1); j+1 < len(body) && body[j+1].text == "(" {
				r := firstArg(body, j+1, matching(body, j+1))
				return body[r[0]:r[1]]
			}
		}
	}
	return nil
}

func (x *extractor) named(name string) (string, string) {
	name = unpointer(name)
	return name, x.modeled(name)
}

// isCheck reports whether a name starts a check: ok, ok_, a forwarding
// macro, a function-like macro calling ok, or a line-forwarding helper.
func (x *extractor) isCheck(name string) bool {
	if name == "ok" || name == "ok_" || x.forwardingMacro(name) || x.okMacroName(name) || x.helperMacros[name] != "" {
		return true
	}
	_, helper := x.helpers[name]
	return helper
}

// hasCheck reports whether a statement contains a check.
func (x *extractor) hasCheck(u [2]int) bool {
	toks := x.src.tokens
	for i := u[0]; i < u[1]; i++ {
		if i+1 < len(toks) && toks[i+1].text == "(" && x.isCheck(toks[i].text) {
			return true
		}
	}
	return false
}

// firstCall returns the first callee in toks[from:to] that is neither
// bookkeeping nor a check; calls nested in a check's arguments are not
// looked at.
func firstCall(toks []token, from, to int, isCheck func(string) bool) string {
	for i := from; i < to; i++ {
		t := toks[i].text
		if !isIdent(t[0]) || t[0] >= '0' && t[0] <= '9' || i+1 >= to || toks[i+1].text != "(" {
			continue
		}
		if i > 0 && (toks[i-1].text == "." || toks[i-1].text == "->") {
			continue
		}
		if keywords[t] || isBookkeeping(t) {
			continue
		}
		if isCheck(t) {
			i = matching(toks, i+1)
			continue
		}
		return t
	}
	return ""
}

// units splits a function body into statements: token ranges ended by ";",
// "{" or "}" outside parentheses. A for(;;) header stays one statement.
func (x *extractor) units(f function) [][2]int {
	toks := x.src.tokens
	var units [][2]int
	start, depth := f.open+1, 0
	for i := f.open + 1; i < f.close; i++ {
		switch toks[i].text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ";", "{", "}":
			if depth == 0 {
				units = append(units, [2]int{start, i + 1})
				start = i + 1
			}
		}
	}
	return append(units, [2]int{start, f.close})
}

// todoMarks gives every token of a function body its todo mark: the mark
// of a todo_wine or todo_wine_if(...) before it in its statement, else of
// the innermost enclosing block opened right after one.
func (x *extractor) todoMarks(f function) map[int]Todo {
	toks := x.src.tokens
	marks := map[int]Todo{}
	stack := []Todo{NoTodo}
	stmt := NoTodo
	depth := 0
	for i := f.open + 1; i < f.close; i++ {
		t := toks[i].text
		switch {
		case t == "todo_wine" && stmt != TodoWine:
			stmt = TodoWine
		case t == "todo_wine_if" && stmt == NoTodo:
			stmt = TodoWineIf
		}
		mark := stack[len(stack)-1]
		if mark == NoTodo || stmt == TodoWine {
			if stmt != NoTodo {
				mark = stmt
			}
		}
		marks[i] = mark
		switch t {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case "{":
			if depth == 0 {
				stack = append(stack, mark)
				stmt = NoTodo
			}
		case "}":
			if depth == 0 && len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			stmt = NoTodo
		case ";":
			if depth == 0 {
				stmt = NoTodo
			}
		}
	}
	return marks
}

// value summarizes a condition: see Site.Value.
func value(cond []token) string {
	var main, alt []token
	for i := 0; i < len(cond); i++ {
		if cond[i].text == "broken" && i+1 < len(cond) && cond[i+1].text == "(" {
			end := matching(cond, i+1)
			if end > len(cond)-1 {
				end = len(cond) - 1
			}
			alt = append(alt, cond[i+2:end]...)
			alt = append(alt, token{text: ","})
			i = end
			continue
		}
		main = append(main, cond[i])
	}
	v := constants(main)
	if v == "" {
		v = truth(main)
	}
	if alt != nil {
		b := constants(alt)
		if b == "" {
			b = "expr"
		}
		v += "; broken: " + b
	}
	return v
}

// truth names what a condition without constants asserts: TRUE for a
// bare value or call, FALSE for its negation, "expr" otherwise.
func truth(cond []token) string {
	// Drop enclosing parentheses and "||"/"&&" tails.
	neg := false
	i := 0
	for i < len(cond) && cond[i].text == "!" {
		neg = !neg
		i++
	}
	rest := cond[i:]
	simple := len(rest) == 1 && isIdent(rest[0].text[0])
	if len(rest) >= 3 && isIdent(rest[0].text[0]) && rest[1].text == "(" && matching(rest, 1) == len(rest)-1 {
		simple = true
	}
	if !simple {
		return "expr"
	}
	if neg {
		return "FALSE"
	}
	return "TRUE"
}

// constants lists the SDK names a condition compares with, and numbers
// compared with == or !=, in order and without repeats, joined with "|";
// a name or number after != is prefixed with "!".
func constants(cond []token) string {
	var out []string
	for i, t := range cond {
		w := t.text
		isNum := w[0] >= '0' && w[0] <= '9'
		prevOp := ""
		if i > 0 {
			prevOp = cond[i-1].text
		}
		switch {
		case isNum:
			if prevOp != "==" && prevOp != "!=" {
				continue
			}
			if i+1 < len(cond) && !endsOperand(cond[i+1].text) {
				continue
			}
		case isSDKName(w):
			if i+1 < len(cond) && cond[i+1].text == "(" {
				continue
			}
		default:
			continue
		}
		if prevOp == "!=" {
			w = "!" + w
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, "|")
}

// endsOperand reports whether a token can follow a compared number.
func endsOperand(t string) bool {
	switch t {
	case ")", "||", "&&", ",", "?", ":":
		return true
	}
	return false
}

// isSDKName reports whether an identifier looks like an SDK constant: all
// capitals, digits and underscores with an underscore, or TRUE/FALSE/NULL.
func isSDKName(w string) bool {
	switch w {
	case "TRUE", "FALSE", "NULL":
		return true
	}
	if !strings.Contains(w, "_") || strings.HasPrefix(w, "_") || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	return strings.ToUpper(w) == w
}

// mergeByLine makes one site of the sites sharing a line, joining their
// distinct calls and values; a line is modeled when one of its checks is,
// and todo when one of them is.
func mergeByLine(sites []Site) []Site {
	slices.SortStableFunc(sites, func(a, b Site) int { return a.Line - b.Line })
	var out []Site
	for _, s := range sites {
		n := len(out)
		if n == 0 || out[n-1].Line != s.Line {
			out = append(out, s)
			continue
		}
		p := &out[n-1]
		if s.Call != "" && !slices.Contains(strings.Split(p.Call, "+"), s.Call) {
			if p.Call == "" || (!p.Modeled && s.Modeled) {
				p.Call = s.Call
			} else if p.Modeled == s.Modeled {
				p.Call += "+" + s.Call
			}
		}
		p.Modeled = p.Modeled || s.Modeled
		if s.Value != p.Value {
			p.Value += " & " + s.Value
		}
		if p.Todo == NoTodo || s.Todo == TodoWine {
			p.Todo = s.Todo
		}
		if p.Helper == "" {
			p.Helper = s.Helper
		}
	}
	return out
}
