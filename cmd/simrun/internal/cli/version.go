package cli

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

// develVersion is the version the go command gives a main module built
// from a checkout whose version it cannot tell.
const develVersion = "(devel)"

// versionLine says which simrun this is: the module version it was built
// at (v0.1.0 for `go install github.com/winsim/winsim/cmd/simrun@v0.1.0`),
// or "(devel)" for a build from a checkout, followed by the VCS revision,
// commit time and "modified" when the go command stamped them, and the Go
// version that built it. ok false (a binary without build information)
// gives "unknown".
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "simrun unknown (built without module information)"
	}
	version := info.Main.Version
	if version == "" {
		version = develVersion
	}
	var revision, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var vcs []string
	if revision != "" {
		vcs = append(vcs, "revision "+revision)
	}
	if at != "" {
		vcs = append(vcs, "committed "+at)
	}
	if modified {
		vcs = append(vcs, "modified")
	}
	line := "simrun " + version
	if len(vcs) > 0 {
		line += ", " + strings.Join(vcs, ", ")
	}
	if info.GoVersion != "" {
		line += " (" + info.GoVersion + ")"
	}
	return line
}

func versionCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "simrun: version takes no arguments\n")
		return ExitInvalid
	}
	fmt.Fprintln(stdout, versionLine(readBuildInfo()))
	return ExitOK
}
