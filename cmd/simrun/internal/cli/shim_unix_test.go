//go:build unix

package cli

import (
	"os"
	"syscall"
)

// Things only Unix makes that simrun shim refuses to write over: a
// symbolic link (which would write elsewhere) and a FIFO (which a read
// would block on).
func init() {
	shimTargetCases = append(shimTargetCases,
		shimTargetCase{"symlink", func(p string) error { return os.Symlink("elsewhere.go", p) }, "exists and is not a regular file; not writing over it"},
		shimTargetCase{"fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "exists and is not a regular file; not writing over it"},
	)
}
