package twinsvc

import "strings"

// EscapeArg quotes one argument for a Windows command line, as Go's
// syscall.EscapeArg does on Windows (which x/sys's mgr.CreateService uses
// to build a service's binary path): an empty argument is "", one with a
// space or tab is put in quotes, a quote is preceded by a backslash, and
// the backslashes that come right before a quote (the closing one
// included) are doubled. syscall.EscapeArg exists on Windows only.
func EscapeArg(s string) string {
	if s == "" {
		return `""`
	}
	quote := strings.ContainsAny(s, " \t")
	if !quote && !strings.ContainsAny(s, `"\`) {
		return s
	}
	var b strings.Builder
	if quote {
		b.WriteByte('"')
	}
	run := 0 // backslashes seen since the last other byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			run++
			b.WriteByte(c)
		case '"':
			b.WriteString(strings.Repeat(`\`, run+1))
			b.WriteByte(c)
			run = 0
		default:
			run = 0
			b.WriteByte(c)
		}
	}
	if quote {
		b.WriteString(strings.Repeat(`\`, run))
		b.WriteByte('"')
	}
	return b.String()
}

// SplitCommandLine splits a command line as the Microsoft C runtime does
// for argv (documented: "Parsing C command-line arguments"): the program
// name runs to the next space or tab, or, when it starts with a quote, to
// the next quote; in the arguments, whitespace outside quotes separates,
// 2n backslashes before a quote are n backslashes and the quote opens or
// closes a quoted part, 2n+1 backslashes before a quote are n backslashes
// and a literal quote, and other backslashes are literal.
func SplitCommandLine(line string) []string {
	line = strings.TrimLeft(line, " \t")
	if line == "" {
		return nil
	}
	var args []string
	// The program name.
	if line[0] == '"' {
		end := strings.IndexByte(line[1:], '"')
		if end < 0 {
			return []string{line[1:]}
		}
		args = append(args, line[1:1+end])
		line = line[2+end:]
	} else {
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			return []string{line}
		}
		args = append(args, line[:end])
		line = line[end:]
	}
	for {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			return args
		}
		var arg string
		arg, line = nextArg(line)
		args = append(args, arg)
	}
}

// nextArg reads one argument from line, which starts with it, and returns
// it and the rest of the line.
func nextArg(line string) (arg, rest string) {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(line) && line[i] == '\\' {
				n++
				i++
			}
			if i < len(line) && line[i] == '"' {
				b.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					b.WriteByte('"')
					i++
				}
				continue
			}
			b.WriteString(strings.Repeat(`\`, n))
		case c == '"':
			if quoted && i+1 < len(line) && line[i+1] == '"' {
				// A doubled quote inside a quoted part is a literal quote.
				b.WriteByte('"')
				i += 2
				continue
			}
			quoted = !quoted
			i++
		case (c == ' ' || c == '\t') && !quoted:
			return b.String(), line[i:]
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), ""
}
