package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "--h"
}

// wantsHelp reports whether args (a command's arguments) ask for help
// before a "--".
func wantsHelp(args []string) bool {
	end := slices.Index(args, "--")
	if end < 0 {
		end = len(args)
	}
	return slices.ContainsFunc(args[:end], isHelp)
}

// parseFlags parses a command's flags, which may come before, between or
// after its paths (simrun run scenarios/scm -v); "--" ends the flags. It
// returns the paths. Flag errors go to stderr, with a pointer to the usage.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, "run 'simrun help' for usage\n") }
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return paths, nil
		}
		// flag stops at the first non-flag, and after "--" (which it
		// consumes): tell them apart by what was left.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(paths, rest...), nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

// shard is a -shard i/n selection: the i-th of n shards, counting from 1.
type shard struct{ i, n int }

// parseShard parses "i/n" with 1 <= i <= n; "" is no sharding (1/1).
func parseShard(s string) (shard, error) {
	if s == "" {
		return shard{1, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return shard{}, fmt.Errorf("-shard %q: want i/n with 1 <= i <= n (for example 2/4)", s)
	}
	return shard{i, n}, nil
}

// pick returns the targets of the shard: the k-th target (in the order
// found, which is lexical per path) goes to shard k mod n + 1, so the n
// shards partition the targets and their sizes differ by at most one.
func (s shard) pick(targets []target) []target {
	if s.n == 1 {
		return targets
	}
	var out []target
	for k, t := range targets {
		if k%s.n == s.i-1 {
			out = append(out, t)
		}
	}
	return out
}

// display returns a name as simrun prints it on a line of its own: as is,
// or Go-quoted when it holds a character that is not printable (a newline
// in a file name must not break one line per scenario).
func display(name string) string {
	if strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(name)
	}
	return name
}
