// Command simrun replays winsim scenarios (YAML files under scenarios/)
// against a backend and reports, per scenario, whether it passed, failed or
// was skipped.
//
//	simrun run [-v] [-run REGEXP] [-profile NAME] [-backend model] [-update]
//	           [-json] [-junit FILE] [-shard I/N] [-max-size BYTES] [paths...]
//	simrun validate [-max-size BYTES] [paths...]
//	simrun explain [-dir DIR] NAME|VALUE
//	simrun catalog
//	simrun help [steps|markdown]
//	simrun families
//	simrun version
//	simrun shim [-o DIR] [-tag NAME] [-all] [-list] [IDENT|PACKAGE...]
//
// simrun shim writes, into a program's own module, a shim package for each
// of winsim's x/sys twins the program uses: two build-tagged files of
// aliases and wrappers, re-exporting golang.org/x/sys on Windows and the
// twin on other systems and under the winsim build tag, so that code
// written against x/sys builds and is tested against the models unchanged
// but for its imports.
//
// Flags may follow the paths. Exit status 0 means every scenario passed or
// was skipped, 1 that one failed (or -run matched none), 2 a usage error or
// an invalid scenario. Run `simrun help` for more.
package main

import (
	"os"

	"github.com/winsim/winsim/cmd/simrun/internal/cli"
)

// beforeMain runs first in main: on Windows it lets simrun be the windows
// backend's test service (see service_windows.go). It cannot run in an init
// function: the service's callbacks wait for package initialization to end.
var beforeMain = func() {}

func main() {
	beforeMain()
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
