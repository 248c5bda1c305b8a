//go:build windows && !winsim

// Command supervisor installs itself as a service, runs it and stops it on
// Ctrl-C or a stop signal, keeping its state in the registry: the example
// program of package supervisor. Run it as an administrator:
//
//	supervisor install                 create the service (it runs this program with "service")
//	supervisor run [WORKER ARGS...]    start it, wait until it runs, stop it on Ctrl-C
//	supervisor state                   print the state recorded in the registry
//	supervisor uninstall               delete the service and its state
//
// -name sets the service's name (default winsim-example-worker). The worker
// arguments are Worker's: -start-after 30s makes a start that takes 30
// seconds. "supervisor service" is what the SCM runs: the Worker under
// svc.Run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/winsim/winsim/examples/supervisor"
	"github.com/winsim/winsim/examples/supervisor/internal/winapi/svc"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("supervisor", flag.ContinueOnError)
	name := fs.String("name", "winsim-example-worker", "the service's name")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: supervisor [-name NAME] install|run|state|uninstall|service [WORKER ARGS...]")
		return 2
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	switch cmd {
	case "install", "run", "state", "uninstall", "service":
	default:
		fmt.Fprintf(os.Stderr, "supervisor: unknown command %q (install, run, state, uninstall or service)\n", cmd)
		return 2
	}
	if cmd == "service" {
		if err := svc.Run(*name, supervisor.Worker{}); err != nil {
			fmt.Fprintln(os.Stderr, "supervisor service:", err)
			return 1
		}
		return 0
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "supervisor:", err)
		return 1
	}
	s, err := supervisor.Open(supervisor.Config{
		Name: *name, Program: self, ProgramArgs: []string{"-name", *name, "service"}, StartArgs: rest,
		OnEvent: func(e supervisor.Event) { fmt.Fprintln(os.Stderr, e) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	switch cmd {
	case "install":
		err = s.Install()
	case "run":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err = s.Run(ctx)
	case "state":
		var rec supervisor.Record
		if rec, err = s.State(); err == nil {
			fmt.Printf("state %s, %d starts, last error %q\n", rec.State, rec.Starts, rec.LastError)
		}
	case "uninstall":
		err = s.Uninstall()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
