package conformance

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The registry's state diagram: a value's durability.

func registryDiagrams() []diagram { return []diagram{valueDiagram()} }

// diagramKey is the key the value diagram writes to, and diagramValue the
// value's name.
var diagramKey = regSoftware + `\Diagram`

const diagramValue = "v"

// lazyDelay is how far the value diagram moves the clock under profile:
// the lazy flusher's delay as the oracle's statement gives it
// (hive.lazy.interval). On Windows the flusher runs that long after the
// change that armed it; under Wine on a period counted from the machine's
// start, which every move of the same length crosses once. A fixed 5 s
// would leave Wine's flusher writing after some replays and not others
// (the abstraction would miss the time since the start, and VerifyDiagram
// says so from depth 7 on); a fixed 30 s would hide the delay on Windows
// (breaking hive.lazy.after-interval, which doubles it, would change
// nothing).
func lazyDelay(profile string) (time.Duration, error) {
	for _, st := range statements {
		if v, ok := st.value(profile); ok && st.id == "hive.lazy.interval" {
			return time.ParseDuration(v)
		}
	}
	return 0, fmt.Errorf("the oracle states no hive.lazy.interval for profile %q", profile)
}

// valueView is the value diagram's abstract state: the value's data as a
// call reads it now (memory) and as it would be read after a power cut
// (disk), "" for no value; after the diagram's own power cut the two are
// what was recovered.
type valueView struct {
	memory, disk string
	crashed      bool
}

func (v valueView) String() string {
	data := func(s string) string {
		if s == "" {
			return "no value"
		}
		return diagramValue + " = " + s
	}
	switch {
	case v.crashed:
		return "after the power cut: " + data(v.memory)
	case v.memory == v.disk:
		if v.memory == "" {
			return "no value"
		}
		return data(v.memory) + " durable"
	case v.disk == "":
		return data(v.memory) + " written, not on disk"
	}
	return data(v.memory) + " written, " + data(v.disk) + " on disk"
}

func valueDiagram() diagram {
	up := func(v valueView) bool { return !v.crashed }
	set := func(d uint32) diagramMove[valueView] {
		return diagramMove[valueView]{label: fmt.Sprintf("NtSetValueKey(REG_DWORD %d)", d), action: regSet("key", diagramValue, d), when: up}
	}
	return &stateDiagram[valueView]{
		name: "registry-value", title: "a value's durability",
		about: "A DWORD value of a key whose creation was flushed, under NtSetValueKey, NtFlushKey, the lazy flusher " +
			"(the virtual clock moves on by the profile's lazy flush delay, hive.lazy.interval) and a power cut between calls. " +
			"What is on disk is read by cutting the power on the replay and reading the value again: a difference from what a call reads now is a dirty value.",
		setup: []Action{regCreate("key", RefNULL, diagramKey, win32.KEY_ALL_ACCESS, 0), regOp(OpRegFlush, "key")},
		movesUnder: func(profile string) ([]diagramMove[valueView], error) {
			delay, err := lazyDelay(profile)
			if err != nil {
				return nil, err
			}
			return []diagramMove[valueView]{
				set(1), set(2),
				{label: "NtFlushKey", action: regOp(OpRegFlush, "key"), when: up},
				{label: fmt.Sprintf("%g s pass", delay.Seconds()), action: advance(delay), when: up, event: true},
				{label: "power cut", action: crash(), when: up, event: true},
			}, nil
		},
		observe: observeValue,
		label:   valueView.String,
		final:   func(v valueView) bool { return v.crashed },
		depth:   8,
		shows: []DiagramClaim{
			{Rule: "hive.visibility.no-flush-needed", From: "no value", Move: "NtSetValueKey(REG_DWORD 1)", Result: "STATUS_SUCCESS", To: "v = 1 written, not on disk"},
			{Rule: "hive.flush.durable-on-return", From: "v = 1 written, not on disk", Move: "NtFlushKey", Result: "STATUS_SUCCESS", To: "v = 1 durable"},
			{Rule: "hive.lazy.after-interval", From: "v = 1 written, not on disk", Move: "5 s pass", To: "v = 1 durable"},
			{Rule: "hive.lazy.power-loss", From: "v = 1 written, not on disk", Move: "power cut", To: "after the power cut: no value"},
			{Rule: "hive.lazy.power-loss", From: "v = 2 written, v = 1 on disk", Move: "power cut", To: "after the power cut: v = 1"},
		},
	}
}

// observeValue reads the value through a key handle opened now, then cuts
// the power (unless the replay did) and reads it again.
func observeValue(r *diagramRun) (valueView, error) {
	var v valueView
	for _, res := range r.results {
		v.crashed = v.crashed || res.op == OpCrash
	}
	var err error
	if v.memory, err = readDiagramValue(r.b); err != nil || v.crashed {
		return v, err
	}
	power, ok := r.b.(backend.Durability)
	if !ok {
		return v, fmt.Errorf("reading what survives a power cut: %w", backend.ErrUnsupported)
	}
	if err := power.Crash(win32.LoseUnbarriered); err != nil {
		return v, err
	}
	v.disk, err = readDiagramValue(r.b)
	return v, err
}

// readDiagramValue reads the diagram's value through a new handle: its
// DWORD data, or "" when there is no value (or no key).
func readDiagramValue(b backend.Kernel) (string, error) {
	api := b.(backend.Registry)
	h, st := api.NtOpenKey(diagramThread, win32.KEY_READ, win32.ObjectAttributes{ObjectName: diagramKey, Attributes: sim.OBJ_CASE_INSENSITIVE})
	switch {
	case st == sim.STATUS_OBJECT_NAME_NOT_FOUND:
		// The key itself was lost (where the setup's flush wrote nothing).
		return "", nil
	case st != sim.STATUS_SUCCESS:
		return "", fmt.Errorf("NtOpenKey(%s): %s", diagramKey, st)
	}
	defer api.NtClose(diagramThread, h)
	typ, data, st := api.NtQueryValueKey(diagramThread, h, diagramValue)
	switch {
	case st == sim.STATUS_OBJECT_NAME_NOT_FOUND:
		return "", nil
	case st != sim.STATUS_SUCCESS:
		return "", fmt.Errorf("NtQueryValueKey: %s", st)
	case typ != win32.REG_DWORD || len(data) != 4:
		return "", fmt.Errorf("NtQueryValueKey: type %d, %d bytes", typ, len(data))
	}
	return fmt.Sprint(binary.LittleEndian.Uint32(data)), nil
}
