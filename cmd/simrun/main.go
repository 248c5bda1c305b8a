// Command simrun replays winsim scenarios (YAML files under scenarios/)
// against a backend and reports, per scenario, whether it passed, failed or
// was skipped.
//
//	simrun run [-v] [-run REGEXP] [-profile NAME] [-backend model] [-update] [paths...]
//	simrun validate [paths...]
//	simrun catalog
//	simrun help [steps|markdown]
//
// Exit status 0 means every scenario passed or was skipped, 1 that one
// failed, 2 a usage error or an invalid scenario. Run `simrun help` for more.
package main

import (
	"os"

	"github.com/winsim/winsim/cmd/simrun/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
