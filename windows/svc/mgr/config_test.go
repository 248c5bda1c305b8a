package mgr_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/svc/mgr"
	"github.com/winsim/winsim/windows/winsimtest"
)

// TestConfigRoundTrip: the configuration CreateService stores is what
// Config returns, strings laid out in the buffer and all; UpdateConfig
// changes what it gives (an empty string or list gives nothing, as in
// x/sys); a SidType is refused before anything is created or changed.
func TestConfigRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		winsimtest.Use(t, winsimtest.Options{})
		sm := mgrOf(t)
		in := mgr.Config{
			ServiceType: windows.SERVICE_WIN32_OWN_PROCESS, StartType: mgr.StartAutomatic, ErrorControl: mgr.ErrorSevere,
			LoadOrderGroup: "Base", Dependencies: []string{"rpcss", "tcpip"}, ServiceStartName: `.\agent`, Password: "secret",
			DisplayName: "The agent", Description: "Keeps things running", DelayedAutoStart: true,
		}
		s, err := sm.CreateService("agent", `C:\Program Files\agent.exe`, in, "-service", "a b")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Config()
		if err != nil {
			t.Fatal(err)
		}
		want := in
		want.BinaryPathName, want.Password = `"C:\Program Files\agent.exe" -service "a b"`, ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Config:\n got  %+v\n want %+v", got, want)
		}
		change := want
		change.StartType, change.DisplayName, change.Description, change.DelayedAutoStart, change.Dependencies =
			mgr.StartManual, "The renamed agent", "", false, []string{}
		if err := s.UpdateConfig(change); err != nil {
			t.Fatal(err)
		}
		// As with x/sys on Windows, an empty Description or Dependencies is
		// a NULL pointer, which leaves them as they were.
		if got, err := s.Config(); err != nil || got.StartType != mgr.StartManual || got.DisplayName != change.DisplayName ||
			got.Description != in.Description || got.DelayedAutoStart || !slices.Equal(got.Dependencies, in.Dependencies) || got.LoadOrderGroup != "Base" {
			t.Errorf("Config after UpdateConfig: %+v, %v", got, err)
		}
		sid := change
		sid.SidType = windows.SERVICE_SID_TYPE_UNRESTRICTED
		if err := s.UpdateConfig(sid); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("UpdateConfig with a SidType: %v, want ErrUnsupported", err)
		}
		if _, err := sm.CreateService("sid", `C:\x.exe`, sid); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("CreateService with a SidType: %v, want ErrUnsupported", err)
		}
		if _, err := sm.OpenService("sid"); err != windows.ERROR_SERVICE_DOES_NOT_EXIST {
			t.Errorf("OpenService of the refused service: %v, want ERROR_SERVICE_DOES_NOT_EXIST", err)
		}
	})
}

// TestRecoveryActions: failure actions, reset period, reboot message and
// command are stored and read back; a reset removes the actions.
func TestRecoveryActions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		winsimtest.Use(t, winsimtest.Options{})
		s, err := mgrOf(t).CreateService("recover", `C:\x.exe`, mgr.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.RecoveryActions(); err != nil || got != nil {
			t.Errorf("RecoveryActions of a new service: %v, %v; want none", got, err)
		}
		actions := []mgr.RecoveryAction{{Type: mgr.ServiceRestart, Delay: 5 * time.Second}, {Type: mgr.RunCommand, Delay: time.Minute}}
		steps := []struct {
			name string
			err  error
		}{
			{"SetRecoveryActions", s.SetRecoveryActions(actions, 86400)},
			{"SetRebootMessage", s.SetRebootMessage("going down")},
			{"SetRecoveryCommand", s.SetRecoveryCommand(`C:\fix.cmd`)},
		}
		for _, st := range steps {
			if st.err != nil {
				t.Errorf("%s: %v", st.name, st.err)
			}
		}
		got, err := s.RecoveryActions()
		period, perr := s.ResetPeriod()
		msg, merr := s.RebootMessage()
		cmd, cerr := s.RecoveryCommand()
		if err != nil || !slices.Equal(got, actions) || perr != nil || period != 86400 || merr != nil || msg != "going down" || cerr != nil || cmd != `C:\fix.cmd` {
			t.Errorf("read back: %v %v; %d %v; %q %v; %q %v", got, err, period, perr, msg, merr, cmd, cerr)
		}
		if err := s.ResetRecoveryActions(); err != nil {
			t.Fatal(err)
		}
		if got, err := s.RecoveryActions(); err != nil || got != nil {
			t.Errorf("RecoveryActions after the reset: %v, %v; want none", got, err)
		}
	})
}

// TestListServices: every Win32 service, by key name, in every state; nil
// for none.
func TestListServices(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		winsimtest.Use(t, winsimtest.Options{})
		sm := mgrOf(t)
		if names, err := sm.ListServices(); err != nil || names != nil {
			t.Errorf("ListServices of an empty database: %q, %v", names, err)
		}
		for _, name := range []string{"zeta", "Alpha", "mid"} {
			if _, err := sm.CreateService(name, `C:\x.exe`, mgr.Config{DisplayName: "display of " + name}); err != nil {
				t.Fatal(err)
			}
		}
		names, err := sm.ListServices()
		if err != nil || !slices.Equal(names, []string{"Alpha", "mid", "zeta"}) {
			t.Errorf("ListServices = %q, %v; want [Alpha mid zeta]", names, err)
		}
	})
}
