package supervisor

import (
	"errors"
	"fmt"

	"github.com/winsim/winsim/examples/supervisor/internal/winapi/registry"
)

// The states a Supervisor records.
const (
	StateInstalled = "installed"
	StateStarting  = "starting"
	StateRunning   = "running"
	StateStopping  = "stopping"
	StateStopped   = "stopped"
	StateFailed    = "failed"
)

// Record is what a Supervisor keeps in the registry: values State (REG_SZ),
// Starts (REG_DWORD) and LastError (REG_SZ) of its state key.
type Record struct {
	State     string // one of the State constants; "" before anything was recorded
	Starts    uint32 // how many times the supervisor started the service
	LastError string // the failure recorded with StateFailed, else ""
}

// stateStore is the supervisor's state key.
type stateStore struct {
	path string
	key  registry.Key // 0 once closed
}

func openState(path string) (*stateStore, error) {
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, path, registry.ALL_ACCESS)
	if err != nil {
		return nil, fmt.Errorf(`supervisor: opening HKLM\%s: %w`, path, err)
	}
	return &stateStore{path: path, key: k}, nil
}

// save writes a record and flushes the key: the record is durable when
// save returns, and a power cut before the flush leaves the previous one
// whole, since nothing of the new one was flushed.
func (st *stateStore) save(state string, starts uint32, cause error) error {
	lastError := ""
	if cause != nil {
		lastError = cause.Error()
	}
	err := errors.Join(
		st.key.SetDWordValue("Starts", starts),
		st.key.SetStringValue("LastError", lastError),
		st.key.SetStringValue("State", state),
	)
	if err == nil {
		err = registry.RegFlushKey(st.key)
	}
	if err != nil {
		return fmt.Errorf(`supervisor: recording %q in HKLM\%s: %w`, state, st.path, err)
	}
	return nil
}

// load reads the record; missing values read as zero.
func (st *stateStore) load() (Record, error) {
	var rec Record
	var errs []error
	keep := func(err error) {
		if err != nil && !errors.Is(err, registry.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	var err error
	rec.State, _, err = st.key.GetStringValue("State")
	keep(err)
	starts, _, err := st.key.GetIntegerValue("Starts")
	keep(err)
	rec.Starts = uint32(starts)
	rec.LastError, _, err = st.key.GetStringValue("LastError")
	keep(err)
	if err := errors.Join(errs...); err != nil {
		return rec, fmt.Errorf(`supervisor: reading HKLM\%s: %w`, st.path, err)
	}
	return rec, nil
}

func (st *stateStore) close() error {
	if st.key == 0 {
		return nil
	}
	err := st.key.Close()
	st.key = 0
	return err
}

// remove closes the key and deletes it.
func (st *stateStore) remove() error {
	if err := st.close(); err != nil {
		return err
	}
	if err := registry.DeleteKey(registry.LOCAL_MACHINE, st.path); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf(`supervisor: deleting HKLM\%s: %w`, st.path, err)
	}
	return nil
}
