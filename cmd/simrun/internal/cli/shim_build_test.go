package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The scratch module TestShimBuilds builds: a program's code written
// against x/sys through the typical shim (internal/winapi), its test on the
// twins, its main, and a package asserting that every identifier of the
// -all shim (internal/all) is the one of the package its side re-exports.
const (
	shimUserModule = "example.com/shimuser"

	shimUserApp = `// Package app is code written against x/sys, through the shim.
package app

import (
	"fmt"

	"example.com/shimuser/internal/winapi/registry"
	"example.com/shimuser/internal/winapi/windows"
)

const keyPath = ` + "`SOFTWARE\\ShimUser`" + `

// forever is a constant: the shim's INFINITE must be one.
const forever = windows.INFINITE

// Save writes the install directory and flushes it.
func Save(dir string) error {
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, keyPath, registry.ALL_ACCESS)
	if err != nil {
		return err
	}
	defer k.Close()
	if err := k.SetStringValue("InstallDir", dir); err != nil {
		return err
	}
	return registry.RegFlushKey(k)
}

// Load reads the install directory back: "" when there is none.
func Load() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, keyPath, registry.QUERY_VALUE)
	if err == registry.ErrNotExist {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer k.Close()
	dir, _, err := k.GetStringValue("InstallDir")
	return dir, err
}

// Signal sets an event and waits for it, alertably.
func Signal() error {
	var ev windows.Handle
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(ev)
	if err := windows.SetEvent(ev); err != nil {
		return err
	}
	r, err := windows.WaitForSingleObjectEx(ev, forever, true)
	if err != nil {
		return err
	}
	if r != windows.WAIT_OBJECT_0 {
		return fmt.Errorf("the wait returned %#x", r)
	}
	return nil
}
`

	shimUserAppTest = `//go:build !windows || winsim

package app_test

import (
	"testing"
	"testing/synctest"

	"example.com/shimuser/internal/app"
	"github.com/winsim/winsim/windows/winsimtest"
)

func TestSaveSurvivesPowerCut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := winsimtest.Use(t, winsimtest.Options{})
		if dir, err := app.Load(); dir != "" || err != nil {
			t.Fatalf("Load before Save: %q, %v", dir, err)
		}
		if err := app.Save(` + "`C:\\App`" + `); err != nil {
			t.Fatal(err)
		}
		m.PowerCut()
		if dir, err := app.Load(); dir != ` + "`C:\\App`" + ` || err != nil {
			t.Fatalf("Load after the power cut: %q, %v", dir, err)
		}
		if err := app.Signal(); err != nil {
			t.Fatal(err)
		}
	})
}
`

	shimUserMain = `package main

import (
	"fmt"
	"os"

	"example.com/shimuser/internal/app"
)

func main() {
	if err := app.Save(` + "`C:\\App`" + `); err != nil {
		fmt.Println("Save:", err)
		os.Exit(1)
	}
	dir, err := app.Load()
	if err != nil {
		fmt.Println("Load:", err)
		os.Exit(1)
	}
	if err := app.Signal(); err != nil {
		fmt.Println("Signal:", err)
		os.Exit(1)
	}
	fmt.Println("saved, flushed and loaded", dir, "and waited for an event")
}
`
)

// shimIdentityCheck returns a file that compiles only when every identifier
// of the -all shim under internal/all is, on the side the constraint
// selects, the identifier of the package that side re-exports (imports
// maps package names to their paths): each type identical, each constant
// a constant of the same type, each variable and function of the same
// type, and each extra with the table's signature.
func shimIdentityCheck(constraint string, imports map[string]string, xsys bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "//go:build %s\n\npackage check\n\nimport (\n", constraint)
	for _, p := range shimPackages {
		fmt.Fprintf(&b, "\tshim%s %q\n\t%s %q\n", p.name, shimUserModule+"/internal/all/"+p.name, p.name, imports[p.name])
	}
	b.WriteString(")\n\n// same compiles only when its arguments have one type.\nfunc same[T any](T, T) {}\n\nfunc _() {\n")
	for _, p := range shimPackages {
		for _, n := range p.names() {
			shim, orig := "shim"+p.name+"."+n, p.name+"."+n
			switch p.kindOf(n) {
			case "type":
				fmt.Fprintf(&b, "\tsame(*new(%s), *new(%s))\n", shim, orig)
			case "const":
				fmt.Fprintf(&b, "\tconst _ = %s\n\tsame(%s, %s)\n", shim, shim, orig)
			case "var", "func":
				fmt.Fprintf(&b, "\tsame(%s, %s)\n", shim, orig)
			case "extra":
				if xsys {
					fmt.Fprintf(&b, "\tvar _ func%s = %s\n", p.extras[n].signature, shim)
				} else {
					fmt.Fprintf(&b, "\tsame(%s, %s)\n", shim, orig)
				}
			}
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// TestShimBuilds is issue 13's test of simrun shim: the shims it writes,
// for the typical set and for -all, build in a scratch module that
// requires winsim (replaced by this checkout) and x/sys v0.47.0, for
// GOOS=linux and GOOS=windows, each with and without the winsim tag; go
// vet passes on each; every identifier of the -all shim is its side's
// package's (shimIdentityCheck); and the program's test, through the shim
// on the twins, passes. Where a Windows exec wrapper is on PATH
// (go_windows_amd64_exec, which the Wine leg installs), the program also
// runs on the x/sys side, calling Windows's own RegFlushKey and
// WaitForSingleObjectEx. Offline: the module cache holds what it needs.
func TestShimBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module with the go command")
	}
	requireGoCommand(t)
	root, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	require.NoError(t, err)
	mod := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(mod, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	write("go.mod", fmt.Sprintf("module %s\n\ngo 1.25.0\n\nrequire (\n\tgithub.com/winsim/winsim v0.0.0\n\tgolang.org/x/sys v0.47.0\n)\n\nreplace github.com/winsim/winsim => %q\n",
		shimUserModule, root))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	write("go.sum", string(sum))
	for _, args := range [][]string{
		append([]string{"shim", "-o", filepath.Join(mod, "internal", "winapi")}, shimTypical...),
		{"shim", "-all", "-o", filepath.Join(mod, "internal", "all")},
	} {
		code, _, errOut := run(args...)
		require.Equal(t, ExitOK, code, errOut)
	}
	write("internal/app/app.go", shimUserApp)
	write("internal/app/app_test.go", shimUserAppTest)
	write("cmd/app/main.go", shimUserMain)
	twins, xsys := map[string]string{}, map[string]string{}
	for _, p := range shimPackages {
		twins[p.name], xsys[p.name] = p.twin, p.xsys
	}
	write("internal/check/check_xsys.go", shimIdentityCheck("windows && !winsim", xsys, true))
	write("internal/check/check_twin.go", shimIdentityCheck("!windows || winsim", twins, false))

	goCmd := func(env []string, args ...string) (string, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, goos := range []string{"linux", "windows"} {
		for _, tags := range []string{"", "winsim"} {
			env := []string{"GOOS=" + goos, "GOARCH=amd64"}
			t.Run(fmt.Sprintf("GOOS=%s,tags=%s", goos, tags), func(t *testing.T) {
				for _, verb := range []string{"build", "vet"} {
					if out, err := goCmd(env, verb, "-tags="+tags, "./..."); err != nil {
						t.Errorf("go %s -tags=%q ./... (%s): %v\n%s", verb, tags, strings.Join(env, " "), err, out)
					}
				}
			})
		}
	}
	t.Run("the program's test on the twins", func(t *testing.T) {
		if out, err := goCmd(nil, "test", "-count=1", "-tags=winsim", "./..."); err != nil {
			t.Errorf("go test -tags=winsim ./... (%s): %v\n%s", runtime.GOOS, err, out)
		}
	})
	t.Run("the program on Windows", func(t *testing.T) {
		if runtime.GOOS != "windows" {
			if _, err := exec.LookPath("go_windows_amd64_exec"); err != nil {
				t.Skip("runs only on Windows, or where a Windows exec wrapper (go_windows_amd64_exec) is on PATH, as in the Wine leg")
			}
		}
		out, err := goCmd([]string{"GOOS=windows", "GOARCH=amd64"}, "run", "./cmd/app")
		if err != nil || !strings.Contains(out, `saved, flushed and loaded C:\App and waited for an event`) {
			t.Errorf("go run ./cmd/app on Windows: %v\n%s", err, out)
		}
	})
}
