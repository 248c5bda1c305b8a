package supervisor_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/winsim/winsim/examples/supervisor"
)

// A program that supervises a service until Ctrl-C: it installs the
// service (this program, run with "service", which calls svc.Run with a
// supervisor.Worker), starts it, waits until it runs, and stops it on the
// signal, even one that comes while the service is still starting.
func ExampleSupervisor_Run() {
	self, _ := os.Executable()
	s, err := supervisor.Open(supervisor.Config{
		Name:        "example-worker",
		Program:     self,
		ProgramArgs: []string{"service"},
		StartArgs:   []string{"-start-after", "30s"},
		OnEvent:     func(e supervisor.Event) { fmt.Fprintln(os.Stderr, e) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer s.Close()
	if err := s.Install(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := s.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	rec, _ := s.State()
	fmt.Println("recorded:", rec.State)
}
