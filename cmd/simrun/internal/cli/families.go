package cli

import (
	"fmt"
	"io"
	"path"

	"github.com/winsim/winsim/scenario"
)

// familiesCmd lists the registered API families, one a line in the order
// of scenario.Families(), as four tab-separated columns: the family's
// name, the directory of its bundled scenarios, the base name of its
// agreement table snapshot, and its title. The Wine leg (.ci/wine) records
// one agreement table per line.
func familiesCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "simrun: families takes no arguments\n")
		return ExitInvalid
	}
	for _, f := range scenario.Families() {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", f.Name, path.Join(DefaultPath, f.Dir), f.Table, f.Title)
	}
	return ExitOK
}
