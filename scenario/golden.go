package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

func durationOf(v any) time.Duration {
	d, _ := v.(time.Duration)
	return d
}

// TraceText renders a trace as the golden files hold it: one event a line.
func TraceText(trace []sim.TraceEvent) string {
	var b strings.Builder
	for _, e := range trace {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// checkGolden compares the trace with the scenario's golden file, or
// rewrites the file when updating.
func (r *runner) checkGolden(trace []sim.TraceEvent) {
	pos := r.s.File + ":1:1"
	if n := r.s.golden; n != nil {
		pos = fmt.Sprintf("%s:%d:%d", r.s.File, n.Line, n.Column)
	}
	if !backend.Supports(r.b, backend.CapTrace) {
		r.rep.Logf("%s: golden trace not compared: backend %s records no trace", pos, r.b.Name())
		return
	}
	if p := r.s.GoldenProfile(); r.b.Profile() != p {
		// One golden file per scenario, recorded under its first profile.
		return
	}
	path := r.s.GoldenFile()
	got := TraceText(trace)
	if r.opts.Update {
		old, err := os.ReadFile(path)
		if err == nil && string(old) == got {
			return
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			r.fail(fmt.Sprintf("%s: golden trace: %v", pos, err))
			return
		}
		r.rep.Logf("%s: wrote %s", pos, path)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			r.fail(fmt.Sprintf("%s: golden trace %s does not exist (run with -update to write it)", pos, path))
		} else {
			r.fail(fmt.Sprintf("%s: golden trace: %v", pos, err))
		}
		return
	}
	if msg := diffLines(got, string(data)); msg != "" {
		r.fail(fmt.Sprintf("%s: trace differs from %s %s", pos, path, msg))
	}
}

// diffLines describes the first line where got and want differ, or returns
// "" when they are equal.
func diffLines(got, want string) string {
	if got == want {
		return ""
	}
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	if got == "" {
		g = nil
	}
	if want == "" {
		w = nil
	}
	for i := 0; i < max(len(g), len(w)); i++ {
		gl, wl := "<end of trace>", "<end of file>"
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("at line %d:\n\tgot:  %s\n\twant: %s", i+1, gl, wl)
		}
	}
	// Only the final newline differs.
	return "in its final newline"
}
