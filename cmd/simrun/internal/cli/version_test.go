package cli

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersionLine(t *testing.T) {
	const rev = "621bd5c0a1b2c3d4e5f60718293a4b5c6d7e8f90"
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{
			name: "installed at a release",
			info: &debug.BuildInfo{GoVersion: "go1.25.14", Main: debug.Module{Path: "github.com/winsim/winsim", Version: "v0.1.0"}},
			ok:   true,
			want: "simrun v0.1.0 (go1.25.14)",
		},
		{
			name: "built from a modified checkout",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/winsim/winsim", Version: "(devel)"},
				Settings: []debug.BuildSetting{
					{Key: "-trimpath", Value: "true"},
					{Key: "vcs", Value: "git"},
					{Key: "vcs.revision", Value: rev},
					{Key: "vcs.time", Value: "2026-12-04T15:00:00Z"},
					{Key: "vcs.modified", Value: "true"},
				}},
			ok:   true,
			want: "simrun (devel), revision " + rev + ", committed 2026-12-04T15:00:00Z, modified (go1.26.8)",
		},
		{
			name: "built from a clean checkout",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: []debug.BuildSetting{
					{Key: "vcs.revision", Value: rev},
					{Key: "vcs.time", Value: "2026-12-04T15:00:00Z"},
					{Key: "vcs.modified", Value: "false"},
				}},
			ok:   true,
			want: "simrun (devel), revision " + rev + ", committed 2026-12-04T15:00:00Z (go1.26.8)",
		},
		{
			name: "built with -buildvcs=false",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			ok:   true,
			want: "simrun (devel) (go1.26.8)",
		},
		{
			name: "no main module version",
			info: &debug.BuildInfo{GoVersion: "go1.26.8"},
			ok:   true,
			want: "simrun (devel) (go1.26.8)",
		},
		{
			name: "no build information",
			info: nil,
			ok:   false,
			want: "simrun unknown (built without module information)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, versionLine(tc.info, tc.ok))
		})
	}
}

func TestVersionCommand(t *testing.T) {
	saved := readBuildInfo
	t.Cleanup(func() { readBuildInfo = saved })
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.25.14", Main: debug.Module{Path: "github.com/winsim/winsim", Version: "v0.1.0"}}, true
	}
	code, out, errOut := run("version")
	assert.Equal(t, ExitOK, code, errOut)
	assert.Equal(t, "simrun v0.1.0 (go1.25.14)\n", out)

	readBuildInfo = func() (*debug.BuildInfo, bool) { return nil, false }
	code, out, _ = run("version")
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "simrun unknown (built without module information)\n", out)

	code, _, errOut = run("version", "extra")
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, errOut, "version takes no arguments")

	code, out, _ = run("help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "simrun version ")
}
