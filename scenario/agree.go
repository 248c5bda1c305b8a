package scenario

import (
	"errors"
	"fmt"
	"strings"
)

// Verdict is how a recorded run compares with the models.
type Verdict uint8

// The verdicts of Compare.
const (
	// Agree: the recording replays under the recorded profile and under the
	// baseline profile alike.
	Agree Verdict = iota
	// Deviation: the recording replays under the recorded profile only: the
	// system differs from the baseline exactly as the profile declares.
	Deviation
	// Disagree: the recording does not replay under the recorded profile:
	// an undeclared difference, or a declared one that no longer happens.
	Disagree
	// NotRun: the scenario needs what the backend lacks (a model-only
	// step), so nothing was recorded.
	NotRun
)

// String names the verdict as the agreement table prints it.
func (v Verdict) String() string {
	return [...]string{"agree", "declared deviation", "DISAGREE", "skipped (model-only step)"}[v]
}

// Agreement is the verdict on one recorded scenario, with the first
// difference that decided it.
type Agreement struct {
	Verdict Verdict
	// Detail is the replay's first difference (file:line:col: ...), or why
	// the scenario was skipped; "" for Agree.
	Detail string
}

// Compare replays a recording (the output of Recording.Marshal, named name)
// against fresh model backends: under profile, the one the recorded backend
// runs under, and under baseline, the profile of current Windows. A
// recording that replays under both agrees; one that replays under profile
// only shows a declared deviation; one that does not replay under profile
// disagrees, and when it does replay under baseline the detail says that a
// declared deviation no longer happens.
func Compare(name string, data []byte, profile, baseline string, newModel NewBackend, env *Env) (Agreement, error) {
	s, err := Parse(name, data, env)
	if err != nil {
		return Agreement{}, fmt.Errorf("the recording does not decode: %w", err)
	}
	s = s.anyProfile()
	replay := func(p string) (Result, error) {
		b, err := newModel(p, s.Seed)
		if err != nil {
			return Result{}, err
		}
		defer b.Close()
		return RunWith(s, b, nil, Options{Env: env}), nil
	}
	own, err := replay(profile)
	if err != nil {
		return Agreement{}, err
	}
	if profile == baseline {
		if own.Outcome == Passed {
			return Agreement{Verdict: Agree}, nil
		}
		return Agreement{Verdict: Disagree, Detail: firstLine(own.Message)}, nil
	}
	base, err := replay(baseline)
	if err != nil {
		return Agreement{}, err
	}
	switch {
	case own.Outcome == Passed && base.Outcome == Passed:
		return Agreement{Verdict: Agree}, nil
	case own.Outcome == Passed:
		return Agreement{Verdict: Deviation, Detail: fmt.Sprintf("%s would differ: %s", baseline, firstLine(base.Message))}, nil
	case base.Outcome == Passed:
		return Agreement{Verdict: Disagree, Detail: fmt.Sprintf("a deviation %s declares no longer happens (the system now behaves as %s): %s", profile, baseline, firstLine(own.Message))}, nil
	}
	return Agreement{Verdict: Disagree, Detail: firstLine(own.Message)}, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Checked is the outcome of Check on one scenario.
type Checked struct {
	Agreement
	// Recording is the recorded scenario file; nil when nothing was
	// recorded (NotRun, or a run the backend could not complete).
	Recording []byte
}

// Check runs s against a fresh backend from newReal, typically the real
// system, in record mode (whatever profiles s lists), its waits planned by
// a model from newModel under profile; then compares the recording with the
// models (see Compare). source names the system in the recording. A
// scenario that needs what the backend lacks is NotRun; a run the backend
// could not complete disagrees, with the failure as detail. An error means
// the check itself could not be made (the backend could not be created or
// cleaned up).
func Check(s *Scenario, profile, baseline, source string, newReal, newModel NewBackend, env *Env) (Checked, error) {
	opts := Options{Env: env}
	b, err := newReal(profile, s.Seed)
	if err != nil {
		return Checked{}, err
	}
	// A scenario with a step the backend cannot run is not planned either:
	// under a profile it does not list, its plan may not hold.
	if missing := missingNeeds(s, b); missing != "" {
		if err := b.Close(); err != nil {
			return Checked{}, fmt.Errorf("%s: closing backend %s: %w", s.File, b.Name(), err)
		}
		return Checked{Agreement: Agreement{Verdict: NotRun, Detail: missing}}, nil
	}
	plan, err := PlanFor(s, profile, newModel, opts)
	if err != nil {
		_ = b.Close()
		return Checked{}, err
	}
	opts.Plan = plan
	res := Record(s, b, opts)
	if err := b.Close(); err != nil {
		return Checked{}, fmt.Errorf("%s: closing backend %s: %w", s.File, b.Name(), err)
	}
	switch {
	case res.Outcome == Skipped:
		return Checked{Agreement: Agreement{Verdict: NotRun, Detail: res.Message}}, nil
	case res.Recording == nil:
		return Checked{Agreement: Agreement{Verdict: Disagree, Detail: "the run failed: " + firstLine(res.Message)}}, nil
	}
	data, err := res.Recording.Marshal(source)
	if errors.Is(err, ErrNothingRecorded) {
		// The first step was already beyond the backend (an unsupported
		// operation): nothing was recorded to compare.
		return Checked{Agreement: Agreement{Verdict: NotRun, Detail: "nothing recorded: " + firstLine(res.Recording.Stopped())}}, nil
	}
	if err != nil {
		return Checked{}, err
	}
	ag, err := Compare(s.File, data, profile, baseline, newModel, env)
	if err != nil {
		return Checked{}, err
	}
	if stop := res.Recording.Stopped(); stop != "" {
		ag.Detail = strings.TrimSpace(ag.Detail + " [recorded up to " + stop + "]")
	}
	return Checked{Agreement: ag, Recording: data}, nil
}
