package evidence

import (
	"strings"
)

// token is one C token of a cleaned source: an identifier, a number or a
// punctuator. String and character literals survive only as their quotes.
type token struct {
	text string
	line int
}

// macro is a function-like or object-like #define of the file.
type macro struct {
	name   string
	params []string // nil for an object-like macro
	body   []token
	line   int
}

// source is a C file reduced to what the extractor reads: its tokens with
// their lines, comments and literal contents gone, preprocessor lines set
// apart as macros, and code under `#if 0` dropped.
type source struct {
	path   string
	tokens []token
	macros map[string]*macro
}

// lex cleans and tokenizes a C file. It never fails on odd input: an
// unterminated comment or literal ends at the end of the file.
func lex(path string, src []byte) *source {
	s := &source{path: path, macros: map[string]*macro{}}
	text := clean(src)
	lines := strings.Split(text, "\n")
	skipDepth := 0 // > 0 inside #if 0, counting nested conditionals
	var code strings.Builder
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		trimmed := strings.TrimSpace(ln)
		if !strings.HasPrefix(trimmed, "#") {
			if skipDepth > 0 {
				code.WriteString("\n")
			} else {
				code.WriteString(ln + "\n")
			}
			continue
		}
		// A directive, with its continuation lines.
		first := i + 1
		dir := strings.TrimSuffix(ln, "\\")
		for strings.HasSuffix(strings.TrimRight(lines[i], " \t"), "\\") && i+1 < len(lines) {
			i++
			dir += " " + strings.TrimSuffix(strings.TrimRight(lines[i], " \t"), "\\")
		}
		for j := first; j <= i+1; j++ {
			code.WriteString("\n")
		}
		word, rest := directive(dir)
		switch {
		case skipDepth > 0 && (word == "if" || word == "ifdef" || word == "ifndef"):
			skipDepth++
		case skipDepth > 0 && word == "endif":
			skipDepth--
		case skipDepth == 1 && (word == "else" || word == "elif"):
			skipDepth = 0
		case skipDepth > 0:
		case word == "if" && strings.TrimSpace(rest) == "0":
			skipDepth = 1
		case word == "define":
			if m := parseDefine(rest, first); m != nil {
				s.macros[m.name] = m
			}
		}
	}
	s.tokens = tokenize(code.String(), 1)
	return s
}

// directive splits a preprocessor line into its word and the rest.
func directive(line string) (word, rest string) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
	end := 0
	for end < len(t) && isIdent(t[end]) {
		end++
	}
	return t[:end], t[end:]
}

// parseDefine reads the text after `#define`.
func parseDefine(rest string, line int) *macro {
	rest = strings.TrimLeft(rest, " \t")
	end := 0
	for end < len(rest) && isIdent(rest[end]) {
		end++
	}
	if end == 0 {
		return nil
	}
	m := &macro{name: rest[:end], line: line}
	body := rest[end:]
	if strings.HasPrefix(body, "(") {
		close := strings.IndexByte(body, ')')
		if close < 0 {
			return nil
		}
		m.params = []string{}
		for _, p := range strings.Split(body[1:close], ",") {
			if p = strings.TrimSpace(p); p != "" {
				m.params = append(m.params, p)
			}
		}
		body = body[close+1:]
	}
	m.body = tokenize(body, line)
	return m
}

// clean blanks comments and the contents of string and character literals,
// keeping every newline so that offsets keep their lines.
func clean(src []byte) string {
	out := []byte(string(src))
	blank := func(i int) {
		if out[i] != '\n' {
			out[i] = ' '
		}
	}
	for i := 0; i < len(out); {
		switch {
		case out[i] == '/' && i+1 < len(out) && out[i+1] == '*':
			j := i
			for j < len(out) && !(out[j] == '*' && j+1 < len(out) && out[j+1] == '/') {
				blank(j)
				j++
			}
			for k := j; k < j+2 && k < len(out); k++ {
				blank(k)
			}
			i = j + 2
		case out[i] == '/' && i+1 < len(out) && out[i+1] == '/':
			for i < len(out) && out[i] != '\n' {
				blank(i)
				i++
			}
		case out[i] == '"' || out[i] == '\'':
			q := out[i]
			i++
			for i < len(out) && out[i] != q && out[i] != '\n' {
				if out[i] == '\\' && i+1 < len(out) {
					blank(i)
					i++
				}
				blank(i)
				i++
			}
			i++
		default:
			i++
		}
	}
	return string(out)
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tokenize splits cleaned C text into tokens; line is the line of its first
// character.
func tokenize(text string, line int) []token {
	var toks []token
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\\':
			i++
		case isIdent(c):
			j := i
			for j < len(text) && (isIdent(text[j]) || (c >= '0' && c <= '9' && text[j] == '.')) {
				j++
			}
			toks = append(toks, token{text[i:j], line})
			i = j
		case c == '"' || c == '\'':
			// A cleaned literal: its quotes and blanks.
			j := i + 1
			for j < len(text) && text[j] != c && text[j] != '\n' {
				j++
			}
			toks = append(toks, token{string(c) + string(c), line})
			i = j + 1
		default:
			n := 1
			if i+1 < len(text) {
				switch text[i : i+2] {
				case "==", "!=", "<=", ">=", "&&", "||", "->", "++", "--", "<<", ">>",
					"+=", "-=", "*=", "/=", "|=", "&=", "^=", "%=":
					n = 2
				}
			}
			toks = append(toks, token{text[i : i+n], line})
			i += n
		}
	}
	return toks
}

// matching returns the index of the token closing the bracket at open, or
// len(toks) when it is never closed.
func matching(toks []token, open int) int {
	var pairs = map[string]string{"(": ")", "{": "}", "[": "]"}
	want := pairs[toks[open].text]
	depth := 0
	for i := open; i < len(toks); i++ {
		switch toks[i].text {
		case toks[open].text:
			depth++
		case want:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}
