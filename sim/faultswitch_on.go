//go:build winsim_faults

package sim

import "sync"

// The fault build's switch board: one rule id armed at a time, and the ids
// whose guarded line was reached since the last ArmFaultSwitch. It exists
// only in builds with the winsim_faults tag.
var faultBoard struct {
	sync.Mutex
	armed   string
	reached map[string]bool
	// override is the setting kill run's replacement value: while set,
	// the setting overrideID reads as it in every profile.
	overrideID string
	override   any
}

// ArmFaultSwitch arms the fault switch of one catalog rule, or none for "".
// It is only in builds with the winsim_faults tag, for the conformance
// suite's kill test.
func ArmFaultSwitch(id string) {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	faultBoard.armed, faultBoard.reached = id, map[string]bool{}
}

// FaultSwitchReached reports whether the guarded line of rule id was
// evaluated since the last ArmFaultSwitch.
func FaultSwitchReached(id string) bool {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	return faultBoard.reached[id]
}

// FaultSwitch reports whether the switch of rule id is armed, and records
// that its guarded line was reached.
func FaultSwitch(id string) bool {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	if faultBoard.reached != nil {
		faultBoard.reached[id] = true
	}
	return id == faultBoard.armed
}

// OverrideSetting makes the profile setting id read as v (a value of the
// setting's own type; see SettingInfo.Alternatives) in every machine until
// the next call; OverrideSetting("", nil) restores every declared value.
// Describe and the settings listings keep showing the declared values, so
// an oracle reading them does not follow the override. It is only in builds
// with the winsim_faults tag, for the conformance suite's setting kill run.
func OverrideSetting(id string, v any) {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	faultBoard.overrideID, faultBoard.override = id, v
}

// settingOverride returns the value the setting kill run put in place of
// setting id, if any.
func settingOverride(id string) (any, bool) {
	faultBoard.Lock()
	defer faultBoard.Unlock()
	if id == "" || id != faultBoard.overrideID {
		return nil, false
	}
	return faultBoard.override, true
}
