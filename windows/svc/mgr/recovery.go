package mgr

import (
	"errors"
	"time"
	"unsafe"

	"github.com/winsim/winsim/windows"
)

// The failure action types (SC_ACTION_*). The model stores a service's
// failure actions and reports them; it never runs them.
const (
	NoAction       = windows.SC_ACTION_NONE        // do nothing
	ComputerReboot = windows.SC_ACTION_REBOOT      // reboot the machine
	ServiceRestart = windows.SC_ACTION_RESTART     // start the service again
	RunCommand     = windows.SC_ACTION_RUN_COMMAND // run the recovery command
)

// RecoveryAction is one failure action: its type and the delay before it.
type RecoveryAction struct {
	Type  int           // NoAction, ComputerReboot, ServiceRestart or RunCommand
	Delay time.Duration // the wait before the action, kept in milliseconds
}

// SetRecoveryActions sets s's failure actions and the period, in seconds,
// after which the failure count goes back to 0. recoveryActions may not be
// nil, and, as in x/sys, not empty either.
func (s *Service) SetRecoveryActions(recoveryActions []RecoveryAction, resetPeriod uint32) error {
	if recoveryActions == nil {
		return errors.New("recoveryActions cannot be nil")
	}
	actions := []windows.SC_ACTION{}
	for _, a := range recoveryActions {
		actions = append(actions, windows.SC_ACTION{Type: uint32(a.Type), Delay: uint32(a.Delay.Nanoseconds() / 1000000)})
	}
	fa := windows.SERVICE_FAILURE_ACTIONS{ActionsCount: uint32(len(actions)), Actions: &actions[0], ResetPeriod: resetPeriod}
	return windows.ChangeServiceConfig2(s.Handle, windows.SERVICE_CONFIG_FAILURE_ACTIONS, (*byte)(unsafe.Pointer(&fa)))
}

// failureActions returns s's SERVICE_FAILURE_ACTIONS, in its buffer.
func (s *Service) failureActions() (*windows.SERVICE_FAILURE_ACTIONS, error) {
	b, err := s.queryServiceConfig2(windows.SERVICE_CONFIG_FAILURE_ACTIONS)
	if err != nil {
		return nil, err
	}
	return (*windows.SERVICE_FAILURE_ACTIONS)(unsafe.Pointer(&b[0])), nil
}

// RecoveryActions returns s's failure actions, nil when it has none.
func (s *Service) RecoveryActions() ([]RecoveryAction, error) {
	p, err := s.failureActions()
	if err != nil || p.Actions == nil {
		return nil, err
	}
	var out []RecoveryAction
	for _, a := range unsafe.Slice(p.Actions, int(p.ActionsCount)) {
		out = append(out, RecoveryAction{Type: int(a.Type), Delay: time.Duration(a.Delay) * time.Millisecond})
	}
	return out, nil
}

// ResetRecoveryActions removes s's failure actions and its reset period,
// as x/sys does it: with one zero action and a zero count.
func (s *Service) ResetRecoveryActions() error {
	actions := make([]windows.SC_ACTION, 1)
	fa := windows.SERVICE_FAILURE_ACTIONS{Actions: &actions[0]}
	return windows.ChangeServiceConfig2(s.Handle, windows.SERVICE_CONFIG_FAILURE_ACTIONS, (*byte)(unsafe.Pointer(&fa)))
}

// ResetPeriod returns the period, in seconds, after which s's failure count
// goes back to 0.
func (s *Service) ResetPeriod() (uint32, error) {
	p, err := s.failureActions()
	if err != nil {
		return 0, err
	}
	return p.ResetPeriod, nil
}

// SetRebootMessage sets the message broadcast before a ComputerReboot
// action ("" removes it).
func (s *Service) SetRebootMessage(msg string) error {
	p, err := utf16PtrFromString(msg)
	if err != nil {
		return err
	}
	fa := windows.SERVICE_FAILURE_ACTIONS{RebootMsg: p}
	return windows.ChangeServiceConfig2(s.Handle, windows.SERVICE_CONFIG_FAILURE_ACTIONS, (*byte)(unsafe.Pointer(&fa)))
}

// RebootMessage returns s's reboot message.
func (s *Service) RebootMessage() (string, error) {
	p, err := s.failureActions()
	if err != nil {
		return "", err
	}
	return utf16PtrToString(p.RebootMsg), nil
}

// SetRecoveryCommand sets the command a RunCommand action runs ("" removes
// it).
func (s *Service) SetRecoveryCommand(cmd string) error {
	p, err := utf16PtrFromString(cmd)
	if err != nil {
		return err
	}
	fa := windows.SERVICE_FAILURE_ACTIONS{Command: p}
	return windows.ChangeServiceConfig2(s.Handle, windows.SERVICE_CONFIG_FAILURE_ACTIONS, (*byte)(unsafe.Pointer(&fa)))
}

// RecoveryCommand returns s's recovery command.
func (s *Service) RecoveryCommand() (string, error) {
	p, err := s.failureActions()
	if err != nil {
		return "", err
	}
	return utf16PtrToString(p.Command), nil
}
