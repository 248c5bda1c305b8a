package scenario

import (
	"errors"
	"fmt"
	"strings"
)

// Verdict is how a recorded run compares with the models.
type Verdict uint8

// The verdicts of Compare and Check.
const (
	// Agree: the whole scenario ran, and its recording replays under the
	// recorded profile and under the baseline profile alike.
	Agree Verdict = iota
	// Partial: the backend declined a call (backend.Refuser) or an
	// operation (backend.ErrUnsupported) part-way, and what ran before it
	// replays under the recorded profile: a verdict on a prefix of the
	// scenario only, whatever the baseline says of it. Never an agreement.
	Partial
	// Deviation: the whole scenario ran, and its recording replays under
	// the recorded profile only: the system differs from the baseline
	// exactly as the profile declares.
	Deviation
	// Disagree: the recording does not replay under the recorded profile:
	// an undeclared difference, or a declared one that no longer happens;
	// or the backend failed part-way.
	Disagree
	// NotRun: the scenario needs what the backend lacks (a model-only
	// step), or its first step was already beyond the backend, so nothing
	// was compared.
	NotRun
)

// Verdicts lists every verdict, in the order the agreement table counts
// them.
var Verdicts = []Verdict{Agree, Partial, Deviation, Disagree, NotRun}

// String names the verdict as the agreement table prints it.
func (v Verdict) String() string {
	return [...]string{"agree", "partial", "declared deviation", "DISAGREE", "skipped"}[v]
}

// Agreement is the verdict on one recorded scenario, with the first
// difference that decided it and how much of the scenario it covers.
type Agreement struct {
	Verdict Verdict
	// Detail is the replay's first difference (file:line:col: ...), where
	// a partial run stopped, or why the scenario was skipped; "" for Agree.
	Detail string
	// Compared counts the calls whose results the verdict rests on: the
	// calls of the recording replayed under the recorded profile, up to
	// the first difference.
	Compared int
	// Calls counts the calls of the whole scenario, as a model runs it
	// (see Check); 0 when unknown (Compare alone, or a scenario skipped
	// before anything ran).
	Calls int
}

// CallsText writes Compared and Calls as the agreement table shows them:
// "7/12", or "-" when Calls is unknown.
func (a Agreement) CallsText() string {
	if a.Calls == 0 && a.Compared == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d", a.Compared, a.Calls)
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
	ag := Agreement{Compared: own.Calls}
	if profile == baseline {
		if own.Outcome != Passed {
			ag.Verdict, ag.Detail = Disagree, firstLine(own.Message)
		}
		return ag, nil
	}
	base, err := replay(baseline)
	if err != nil {
		return Agreement{}, err
	}
	switch {
	case own.Outcome == Passed && base.Outcome == Passed:
		ag.Verdict = Agree
	case own.Outcome == Passed:
		ag.Verdict, ag.Detail = Deviation, fmt.Sprintf("%s would differ: %s", baseline, firstLine(base.Message))
	case base.Outcome == Passed:
		ag.Verdict, ag.Detail = Disagree, fmt.Sprintf("a deviation %s declares no longer happens (the system now behaves as %s): %s", profile, baseline, firstLine(own.Message))
	default:
		ag.Verdict, ag.Detail = Disagree, firstLine(own.Message)
	}
	return ag, nil
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
// models (see Compare). source names the system in the recording.
//
// A scenario that needs what the backend lacks is NotRun, and so is one
// whose first step the backend cannot run. A run that the backend cut short
// by declining a call or an operation is Partial when the part that ran
// replays under profile (never Agree, nor Deviation: the rest of the
// scenario was not compared), and Disagree when it does not. A run the
// backend could not complete for another reason disagrees, with the
// failure as detail. Calls is the count of the whole scenario's calls on
// the model under profile, or, where that model also declines a call (one
// that returns nowhere under profile), under baseline. An error means the
// check itself could not be made (the backend could not be created or
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
	calls := plan.calls
	if !plan.whole && baseline != profile {
		whole, err := PlanFor(s, baseline, newModel, opts)
		if err != nil {
			_ = b.Close()
			return Checked{}, err
		}
		calls = whole.calls
	}
	opts.Plan = plan
	res := Record(s, b, opts)
	if err := b.Close(); err != nil {
		return Checked{}, fmt.Errorf("%s: closing backend %s: %w", s.File, b.Name(), err)
	}
	switch {
	case res.Outcome == Skipped:
		return Checked{Agreement: Agreement{Verdict: NotRun, Detail: res.Message, Calls: calls}}, nil
	case res.Recording == nil:
		return Checked{Agreement: Agreement{Verdict: Disagree, Detail: "the run failed: " + firstLine(res.Message), Compared: res.Calls, Calls: calls}}, nil
	}
	data, err := res.Recording.Marshal(source)
	if errors.Is(err, ErrNothingRecorded) {
		// The first step was already beyond the backend (an unsupported
		// operation): nothing was recorded to compare.
		return Checked{Agreement: Agreement{Verdict: NotRun, Detail: "nothing recorded: " + firstLine(res.Recording.Stopped()), Calls: calls}}, nil
	}
	if err != nil {
		return Checked{}, err
	}
	ag, err := Compare(s.File, data, profile, baseline, newModel, env)
	if err != nil {
		return Checked{}, err
	}
	ag.Calls = calls
	if stop := res.Recording.Stopped(); stop != "" {
		ag = cutShort(ag, stop, res.Recording.Declined())
	}
	return Checked{Agreement: ag, Recording: data}, nil
}

// cutShort is the verdict on a run that ended at stop, before its last
// step, given ag, the verdict on the part that ran. A declined call or
// operation makes an agreement or a deviation of that part Partial; a
// failure of the backend makes it Disagree. A difference in the part that
// ran disagrees as it is.
func cutShort(ag Agreement, stop string, declined bool) Agreement {
	ran := fmt.Sprintf("after %d of %d calls", ag.Compared, ag.Calls)
	switch {
	case ag.Verdict == Disagree:
		ag.Detail += " [recorded up to " + stop + "]"
	case !declined:
		ag.Verdict, ag.Detail = Disagree, fmt.Sprintf("the backend failed %s: %s", ran, stop)
	default:
		part := "agrees"
		if ag.Verdict == Deviation {
			part = "shows a declared deviation (" + ag.Detail + ")"
		}
		ag.Verdict, ag.Detail = Partial, fmt.Sprintf("declined %s, at %s; the part that ran %s", ran, stop, part)
	}
	return ag
}
