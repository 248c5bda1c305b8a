package windows

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// DefaultWatchdog bounds every wait for something expected: a callback, the
// test service's connection, a service's deletion. It is far above what
// any of them takes (milliseconds), so that it never fires on a slow
// machine, only when the thing will never happen.
const DefaultWatchdog = 20 * time.Second

// Options tune a Backend.
type Options struct {
	// Profile is the profile the backend's results are compared under. ""
	// detects it (DetectProfile); a profile other than the detected one is
	// an error.
	Profile string
	// Watchdog bounds every wait for something expected; 0 means
	// DefaultWatchdog.
	Watchdog time.Duration
	// Window is how long an alertable wait expected to deliver no callback
	// lasts when the step declares none; 0 means backend.DefaultWindow.
	Window time.Duration
	// Executable is the program the test service runs: one that calls
	// RunService first thing. "" means the running program.
	Executable string
}

// Backend drives the real system through the backend interfaces. It
// implements backend.Paced and every family interface whose file this
// package has (backend.SCM, backend.CSP, backend.KSP, backend.Registry).
// Create it with New, and Close it to delete the services, keys and
// containers it created.
type Backend struct {
	profile  string
	system   string
	watchdog time.Duration
	window   time.Duration
	exe      string
	names    names
	admin    windows.Handle // the backend's own SCM handle: setup and cleanup
	pipe     *pipeServer
	tempDir  string

	mu           sync.Mutex
	threads      map[string]*worker
	open         map[windows.Handle]string // SC handles the caller holds -> service name ("" for the SCM)
	issued       map[windows.Handle]bool   // every SC handle value the SCM returned
	services     map[string]*service       // by lower-case scenario name
	created      []string                  // real names, in creation order
	bufs         map[*win32.SERVICE_NOTIFY]*notifyBuf
	states       []familyState // one per registered family (family_windows.go), by stateKey
	closed       bool
	refused      error                   // why the last declined call was declined (backend.Refuser)
	kernel       map[windows.Handle]bool // kernel handles the caller holds (handles_windows.go)
	closedKernel map[windows.Handle]bool // kernel handles the caller held and closed
	parked       []windows.Handle        // reissued values kept open so that the caller never gets them (freshKernel)
}

var (
	_ backend.SCM     = (*Backend)(nil)
	_ backend.Paced   = (*Backend)(nil)
	_ backend.Refuser = (*Backend)(nil)

	_ backend.ServiceSide = (*Backend)(nil)
)

// Refusal implements backend.Refuser.
func (b *Backend) Refusal() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.refused
	b.refused = nil
	return err
}

// refuse declines a call: err (which wraps backend.ErrUnsupported) is kept
// for Refusal, and the caller returns the declined value of its result type
// (backend.DeclinedErrno and the like) without making the call.
func (b *Backend) refuse(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refused == nil {
		b.refused = err
	}
}

// New connects a backend to the system's Service Control Manager. It needs
// the rights to create services (an administrator on Windows).
func New(opts Options) (*Backend, error) {
	profile, system, err := DetectProfile()
	if err != nil {
		return nil, err
	}
	if opts.Profile != "" && opts.Profile != profile {
		return nil, fmt.Errorf("this system (%s) runs under profile %s, not %s", system, profile, opts.Profile)
	}
	var tag [4]byte
	if _, err := rand.Read(tag[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(tag[:])
	b := &Backend{
		profile: profile, system: system,
		watchdog: opts.Watchdog, window: opts.Window, exe: opts.Executable,
		names:    names{prefix: "winsim-" + id + "-"},
		threads:  map[string]*worker{},
		open:     map[windows.Handle]string{},
		issued:   map[windows.Handle]bool{},
		services: map[string]*service{},
		bufs:     map[*win32.SERVICE_NOTIFY]*notifyBuf{},
		states:   newStates(),
	}
	if b.watchdog <= 0 {
		b.watchdog = DefaultWatchdog
	}
	if b.window <= 0 {
		b.window = backend.DefaultWindow
	}
	if b.exe == "" {
		if b.exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	if b.admin, err = windows.OpenSCManager(nil, nil, windows.SC_MANAGER_ALL_ACCESS); err != nil {
		return nil, fmt.Errorf("OpenSCManager: %w", err)
	}
	if b.tempDir, err = os.MkdirTemp("", "winsim-"+id); err != nil {
		_ = windows.CloseServiceHandle(b.admin)
		return nil, err
	}
	if b.pipe, err = newPipeServer(b, `\\.\pipe\winsim-`+id); err != nil {
		_ = windows.CloseServiceHandle(b.admin)
		_ = os.RemoveAll(b.tempDir)
		return nil, err
	}
	return b, nil
}

// RealName returns the name a service the caller calls name has on the
// system: unique to this backend.
func (b *Backend) RealName(name string) string { return b.names.toReal(name) }

// System describes the system the backend runs on, for example "Wine 8.0"
// or "Windows 10.0.19045".
func (b *Backend) System() string { return b.system }

// Name implements backend.Kernel.
func (b *Backend) Name() string { return "windows" }

// Profile implements backend.Kernel.
func (b *Backend) Profile() string { return b.profile }

// ExpectCallbacks implements backend.Paced.
func (b *Backend) ExpectCallbacks(thread string, n int, window time.Duration) {
	w := b.worker(thread)
	w.expectN, w.expectWindow = n, window
}

func (b *Backend) worker(name string) *worker {
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.threads[name]
	if w == nil {
		panic(fmt.Sprintf("windows backend: no thread named %q (create it with NewThread first)", name))
	}
	return w
}

// NewThread implements backend.Kernel: a goroutine locked to a new OS
// thread.
func (b *Backend) NewThread(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, dup := b.threads[name]; dup {
		return fmt.Errorf("thread %q already exists", name)
	}
	b.threads[name] = newWorker(b, name)
	return nil
}

// ExitThread implements backend.Kernel: the OS thread ends, and the APCs
// queued to it are discarded.
func (b *Backend) ExitThread(name string) error {
	b.mu.Lock()
	w := b.threads[name]
	b.mu.Unlock()
	if w == nil {
		return fmt.Errorf("no thread named %q", name)
	}
	w.stop()
	return nil
}

// errno turns a call's error into its Win32 code.
func errno(err error) sim.Errno {
	if err == nil {
		return sim.ERROR_SUCCESS
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return sim.Errno(e)
	}
	return sim.Errno(windows.ERROR_GEN_FAILURE)
}

// names maps the scenario's service names to names unique to one backend,
// and back, so that runs never meet each other's services.
type names struct{ prefix string }

// toReal returns the real name of a scenario name; "" stays "".
func (n names) toReal(s string) string {
	if s == "" {
		return s
	}
	return n.prefix + s
}

func (n names) toRealPtr(p *string) *string {
	if p == nil {
		return nil
	}
	s := n.toReal(*p)
	return &s
}

// toScenario returns the scenario name of a real one; names of other
// services are returned as they are.
func (n names) toScenario(s string) string {
	if len(s) >= len(n.prefix) && strings.EqualFold(s[:len(n.prefix)], n.prefix) {
		return s[len(n.prefix):]
	}
	return s
}

// toScenarioList maps a name of a CREATED/DELETED list, which carries a
// "/" prefix for created services.
func (n names) toScenarioList(s string) string {
	if rest, ok := strings.CutPrefix(s, "/"); ok {
		return "/" + n.toScenario(rest)
	}
	return n.toScenario(s)
}

func utf16Ptr(s *string) *uint16 {
	if s == nil {
		return nil
	}
	p, err := windows.UTF16PtrFromString(*s)
	if err != nil {
		// A NUL inside the string: pass it cut there, as C would see it.
		p, _ = windows.UTF16PtrFromString(strings.SplitN(*s, "\x00", 2)[0])
	}
	return p
}

// multiSZFrom encodes strings as a MULTI_SZ list; nil for none.
func multiSZFrom(ss []string) *uint16 {
	if len(ss) == 0 {
		return nil
	}
	var u []uint16
	for _, s := range ss {
		u = append(u, windows.StringToUTF16(s)...)
	}
	u = append(u, 0)
	return &u[0]
}
