package cli

import (
	"fmt"
	"io"
)

func explainCmd(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "simrun: explain: not yet")
	return ExitInvalid
}
