package windows

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// message is what the backend and its test service send each other over
// the pipe, one JSON value at a time.
type message struct {
	// Op is hello (service -> backend, first), program, report, exit
	// (backend -> service) or reply (service -> backend).
	Op      string
	Service string                `json:",omitempty"`
	PID     uint32                `json:",omitempty"`
	Program *win32.Program        `json:",omitempty"`
	Status  *win32.SERVICE_STATUS `json:",omitempty"`
	Code    uint32                `json:",omitempty"`
}

// service is what the backend knows of one service it created.
type service struct {
	name, real string

	mu      sync.Mutex
	program win32.Program
	binary  string        // the binary path the scenario gave it
	rebound bool          // its binary was changed to fail a start
	starts  int           // successful StartService calls
	hellos  int           // processes that connected, one per run
	conn    *serviceConn  // the newest process
	arrived chan struct{} // closed (and replaced) when a process connects
}

func (b *Backend) createdService(name, real string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	key := strings.ToLower(name)
	if s := b.services[key]; s != nil && strings.EqualFold(s.real, real) {
		return
	}
	b.services[key] = &service{name: name, real: real, arrived: make(chan struct{})}
	for _, r := range b.created {
		if strings.EqualFold(r, real) {
			return
		}
	}
	b.created = append(b.created, real)
}

func (b *Backend) service(name string) *service {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.services[strings.ToLower(name)]
}

func (b *Backend) serviceByReal(real string) *service {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.services {
		if strings.EqualFold(s.real, real) {
			return s
		}
	}
	return nil
}

func (s *service) markStarted() {
	s.mu.Lock()
	s.starts++
	s.mu.Unlock()
}

// waitConn returns the connection of the latest run's process (the last
// StartService that succeeded), waiting up to the watchdog for it to
// connect.
func (s *service) waitConn(watchdog time.Duration) (*serviceConn, error) {
	deadline := time.After(watchdog)
	for {
		s.mu.Lock()
		starts, hellos, c, ch := s.starts, s.hellos, s.conn, s.arrived
		s.mu.Unlock()
		if starts == 0 {
			return nil, fmt.Errorf("service %q has never been started, so it has no status handle to report through", s.name)
		}
		if hellos >= starts && c != nil {
			return c, nil
		}
		select {
		case <-ch:
		case <-deadline:
			return nil, fmt.Errorf("service %q: its process did not connect to the backend within %s", s.name, watchdog)
		}
	}
}

// serviceCommand is the binary path of a service: this program, run as the
// test service.
func (b *Backend) serviceCommand(real string) string {
	return fmt.Sprintf(`"%s" %s %s %s`, b.exe, ServiceFlag, b.pipe.name, real)
}

// ReportStatus implements backend.ServiceSide: the test service calls
// SetServiceStatus with the status and the backend returns its code.
func (b *Backend) ReportStatus(name string, status win32.SERVICE_STATUS) (sim.Errno, error) {
	s := b.service(name)
	if s == nil {
		return 0, fmt.Errorf("no service named %q was created", name)
	}
	c, err := s.waitConn(b.watchdog)
	if err != nil {
		return 0, err
	}
	reply, err := c.request(message{Op: "report", Status: &status})
	if err != nil {
		return 0, fmt.Errorf("service %q: %w", name, err)
	}
	return sim.Errno(reply.Code), nil
}

// SetProgram implements backend.ServiceSide. The test service follows the reports
// in real time. A start error is made real by pointing the service at a
// binary that fails that way: a missing file (ERROR_FILE_NOT_FOUND), a
// missing directory (ERROR_PATH_NOT_FOUND) or an empty file
// (ERROR_BAD_EXE_FORMAT); other start errors are not supported.
func (b *Backend) SetProgram(name string, p win32.Program) error {
	s := b.service(name)
	if s == nil {
		return fmt.Errorf("no service named %q", name)
	}
	binary := b.serviceCommand(s.real)
	switch p.StartError {
	case sim.ERROR_SUCCESS:
	case sim.ERROR_FILE_NOT_FOUND:
		binary = filepath.Join(b.tempDir, s.real+"-missing.exe")
	case sim.ERROR_PATH_NOT_FOUND:
		binary = filepath.Join(b.tempDir, s.real+"-missing", "service.exe")
	case sim.ERROR_BAD_EXE_FORMAT:
		binary = filepath.Join(b.tempDir, s.real+"-empty.exe")
		if err := os.WriteFile(binary, nil, 0o644); err != nil {
			return err
		}
	default:
		return fmt.Errorf("a start failing with %s: %w", p.StartError, backend.ErrUnsupported)
	}
	s.mu.Lock()
	change := p.StartError != sim.ERROR_SUCCESS || s.rebound
	s.mu.Unlock()
	if change {
		if err := b.setBinary(s.real, binary); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.rebound = p.StartError != sim.ERROR_SUCCESS
	s.program = p
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		if _, err := c.request(message{Op: "program", Program: &p}); err != nil {
			return fmt.Errorf("service %q: %w", name, err)
		}
	}
	return nil
}

func (b *Backend) setBinary(real, binary string) error {
	h, err := windows.OpenService(b.admin, windows.StringToUTF16Ptr(real), windows.SERVICE_CHANGE_CONFIG)
	if err != nil {
		return fmt.Errorf("opening service %s to set its binary: %w", real, err)
	}
	defer windows.CloseServiceHandle(h)
	noChange := uint32(windows.SERVICE_NO_CHANGE)
	if err := windows.ChangeServiceConfig(h, noChange, noChange, noChange, windows.StringToUTF16Ptr(binary), nil, nil, nil, nil, nil, nil); err != nil {
		return fmt.Errorf("setting the binary of service %s: %w", real, err)
	}
	return nil
}

// serviceConn is the backend's end of the pipe to one run of the test
// service.
type serviceConn struct {
	mu  sync.Mutex
	f   *os.File
	enc *json.Encoder
	dec *json.Decoder
}

func (c *serviceConn) request(m message) (message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enc.Encode(m); err != nil {
		return message{}, err
	}
	var reply message
	if err := c.dec.Decode(&reply); err != nil {
		return message{}, fmt.Errorf("no reply from the test service: %w", err)
	}
	return reply, nil
}

// close tells the process to exit and closes the pipe.
func (c *serviceConn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.enc.Encode(message{Op: "exit"})
	_ = c.f.Close()
}

// pipeServer accepts the connections of the test service's processes.
type pipeServer struct {
	b      *Backend
	name   string
	closed atomic.Bool
	done   chan struct{}
	err    error
}

func newPipeServer(b *Backend, name string) (*pipeServer, error) {
	ps := &pipeServer{b: b, name: name, done: make(chan struct{})}
	first, err := ps.instance()
	if err != nil {
		return nil, fmt.Errorf("creating pipe %s: %w", name, err)
	}
	go ps.loop(first)
	return ps, nil
}

func (ps *pipeServer) instance() (windows.Handle, error) {
	return windows.CreateNamedPipe(windows.StringToUTF16Ptr(ps.name), windows.PIPE_ACCESS_DUPLEX,
		windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT, windows.PIPE_UNLIMITED_INSTANCES,
		4096, 4096, 0, nil)
}

func (ps *pipeServer) loop(h windows.Handle) {
	defer close(ps.done)
	for {
		err := windows.ConnectNamedPipe(h, nil)
		if ps.closed.Load() {
			_ = windows.CloseHandle(h)
			return
		}
		if err != nil && !errors.Is(err, windows.ERROR_PIPE_CONNECTED) {
			_ = windows.CloseHandle(h)
		} else {
			go ps.b.accept(os.NewFile(uintptr(h), ps.name))
		}
		if h, err = ps.instance(); err != nil {
			ps.err = err
			return
		}
	}
}

// stop ends the accept loop: it connects to the waiting instance itself.
func (ps *pipeServer) stop() {
	ps.closed.Store(true)
	if f, err := os.OpenFile(ps.name, os.O_RDWR, 0); err == nil {
		_ = f.Close()
	}
	select {
	case <-ps.done:
	case <-time.After(5 * time.Second):
	}
}

// accept reads a process's hello, answers with its service's program, and
// makes it the service's current run.
func (b *Backend) accept(f *os.File) {
	c := &serviceConn{f: f, enc: json.NewEncoder(f), dec: json.NewDecoder(f)}
	var hello message
	if err := c.dec.Decode(&hello); err != nil || hello.Op != "hello" {
		_ = f.Close()
		return
	}
	s := b.serviceByReal(hello.Service)
	if s == nil {
		c.close()
		return
	}
	// The program goes out under the lock, so that a SetProgram racing
	// with the connection either is in it or finds the connection.
	s.mu.Lock()
	p := s.program
	if err := c.enc.Encode(message{Op: "program", Program: &p}); err != nil {
		s.mu.Unlock()
		_ = f.Close()
		return
	}
	old := s.conn
	s.conn = c
	s.hellos++
	close(s.arrived)
	s.arrived = make(chan struct{})
	s.mu.Unlock()
	if old != nil {
		// A new run: the previous process has nothing left to do.
		old.close()
	}
}

// Close implements backend.Kernel. It closes every SC handle the caller
// left open (cancelling their requests), ends the test service's
// processes, deletes every service the backend created and waits until
// each is gone, then ends the threads and closes every family's state (the
// keys, containers and registry scratch key made). It reports what it could
// not clean.
func (b *Backend) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	open := b.open
	b.open = map[windows.Handle]string{}
	services := b.services
	created := b.created
	threads := b.threads
	bufs := b.bufs
	b.mu.Unlock()

	var errs []error
	for h := range open {
		_ = windows.CloseServiceHandle(h)
	}
	for _, s := range services {
		s.mu.Lock()
		c := s.conn
		s.conn = nil
		s.mu.Unlock()
		if c != nil {
			// The service stops itself (an SCM need not notice that its
			// process is gone: Wine 8.0's does not), then exits.
			_, _ = c.request(message{Op: "report", Status: &win32.SERVICE_STATUS{ServiceType: windows.SERVICE_WIN32_OWN_PROCESS, CurrentState: windows.SERVICE_STOPPED}})
			c.close()
		}
	}
	for _, real := range created {
		if err := b.remove(real); err != nil {
			errs = append(errs, err)
		}
	}
	for _, w := range threads {
		w.stop()
	}
	errs = append(errs, b.closeStates()...)
	b.mu.Lock()
	parked := b.parked
	b.parked = nil
	b.mu.Unlock()
	for _, h := range parked {
		_ = windows.CloseHandle(h)
	}
	for _, nb := range bufs {
		nb.release()
	}
	b.pipe.stop()
	_ = windows.CloseServiceHandle(b.admin)
	_ = os.RemoveAll(b.tempDir)
	return errors.Join(errs...)
}

// remove stops and deletes a service, and waits until the SCM has removed
// it: deletion completes only once the service is stopped and every handle
// to it is closed.
func (b *Backend) remove(real string) error {
	name := windows.StringToUTF16Ptr(real)
	h, err := windows.OpenService(b.admin, name, windows.SERVICE_ALL_ACCESS)
	if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cleanup: opening service %s: %w", real, err)
	}
	stopped := b.waitStopped(h)
	if !stopped {
		// The process did not exit when told to: end it.
		if pid := servicePID(h); pid != 0 {
			if p, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, pid); err == nil {
				_ = windows.TerminateProcess(p, 1)
				_ = windows.CloseHandle(p)
			}
		}
		stopped = b.waitStopped(h)
	}
	err = windows.DeleteService(h)
	_ = windows.CloseServiceHandle(h)
	if err != nil && !errors.Is(err, windows.ERROR_SERVICE_MARKED_FOR_DELETE) {
		return fmt.Errorf("cleanup: deleting service %s: %w", real, err)
	}
	deadline := time.Now().Add(b.watchdog)
	for time.Now().Before(deadline) {
		h, err := windows.OpenService(b.admin, name, windows.SERVICE_QUERY_STATUS)
		if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
			return nil
		}
		if err == nil {
			_ = windows.CloseServiceHandle(h)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !stopped {
		return fmt.Errorf("cleanup: service %s would not stop, and is still there after %s", real, b.watchdog)
	}
	return fmt.Errorf("cleanup: service %s is still there %s after DeleteService", real, b.watchdog)
}

func servicePID(h windows.Handle) uint32 {
	var ss windows.SERVICE_STATUS_PROCESS
	var needed uint32
	if err := windows.QueryServiceStatusEx(h, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&ss)), uint32(unsafe.Sizeof(ss)), &needed); err != nil {
		return 0
	}
	return ss.ProcessId
}

// waitStopped waits up to the watchdog for a service to be STOPPED.
func (b *Backend) waitStopped(h windows.Handle) bool {
	deadline := time.Now().Add(b.watchdog)
	for {
		var ss windows.SERVICE_STATUS
		if err := windows.QueryServiceStatus(h, &ss); err != nil || ss.CurrentState == windows.SERVICE_STOPPED {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}
