package scenario

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// windowField is the optional window: of the wait steps.
var windowField = Field{
	Name: "window", Type: tDuration,
	Doc: "on a backend whose waits take real time, how long an alertable wait expected to deliver no callback lasts before concluding that none comes (default 250ms); the models ignore it",
}

// Recording is what a run in record mode observed: every step's result, in
// the order the steps ran. WriteRecording turns it into a scenario file that
// expects exactly what was observed.
type Recording struct {
	scenario *Scenario
	records  []*stepRecord
	// Backend and Profile name the backend recorded and its profile.
	Backend, Profile string
	// stopped says why the run ended before its last step (an error of the
	// backend itself, stopErr), at stoppedAt; "" when every step ran.
	stopped   string
	stoppedAt *Step
	stopErr   error
	// calls counts the calls whose result was recorded.
	calls int
}

// Stopped says why the recorded run ended before its last step, or "".
func (rec *Recording) Stopped() string { return rec.stopped }

// Declined reports whether the recorded run ended early because the backend
// declined a call or does not support an operation (an error wrapping
// backend.ErrUnsupported), rather than because the backend failed.
func (rec *Recording) Declined() bool { return errors.Is(rec.stopErr, backend.ErrUnsupported) }

// stepRecord is one execution of one step. st is nil for the callbacks and
// violations left unasserted at the end of the run.
type stepRecord struct {
	st         *Step
	code       *sim.Errno
	wait       *waitRecord
	status     *win32.SERVICE_STATUS_PROCESS // the structure the step compared
	statusOK   bool                          // the code was the one want: named, so the structure was compared
	callbacks  []observation
	violations []string
	delivered  int // callbacks run while the step ran
	// ReturnsCode steps (code.go): the status returned, and what the call
	// left in its output pointer ("" when it has none).
	status2 *sim.Code
	out     string
	// fields are argument fields whose value is what the call left behind
	// (ReleaseSemaphore's previous:, say), as the backend gave them: the
	// recording writes each into the step. A family's step kind records
	// them with recordField.
	fields map[string]string
	// expect is what the call gave for the fields of the step's expect:
	// that the step kind compares through expectCheck, in the order
	// compared: the recording writes them in the fields' places.
	expect []expectRecord
}

type waitRecord struct {
	res      sim.WaitResult
	errno    *sim.Errno
	deadlock bool
}

// Plan says how many notification callbacks each wait of a scenario
// delivers, per execution of the step, as a run of the model observed. A
// backend whose waits take real time (backend.Paced) waits for that many.
type Plan struct {
	counts map[*Step][]int
	// calls counts the calls of the planned run; whole says whether it ran
	// every step (a model declines a call that never returns under its
	// profile, and the run ends there).
	calls int
	whole bool
}

// Plan returns the callbacks delivered by each wait step of the recorded
// run.
func (rec *Recording) Plan() *Plan {
	p := &Plan{counts: map[*Step][]int{}, calls: rec.calls, whole: rec.stopped == ""}
	for _, sr := range rec.records {
		if sr.st != nil && sr.st.Kind.Returns == ReturnsWait {
			p.counts[sr.st] = append(p.counts[sr.st], sr.delivered)
		}
	}
	return p
}

// PlanFor runs s in record mode on a backend made by newBackend for profile,
// whatever profiles the scenario lists, and returns its plan: what a model
// under profile predicts each wait delivers.
func PlanFor(s *Scenario, profile string, newBackend NewBackend, opts Options) (*Plan, error) {
	b, err := newBackend(profile, s.Seed)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	o := opts
	o.Record, o.Plan, o.Update = true, nil, false
	res := run(s.anyProfile(), b, discard{}, o)
	if res.Recording == nil {
		return nil, fmt.Errorf("%s: planning on %s: %s", s.File, b.Name(), res.Message)
	}
	return res.Recording.Plan(), nil
}

// anyProfile returns a copy of s that applies to every profile.
func (s *Scenario) anyProfile() *Scenario {
	c := *s
	c.Profiles = nil
	return &c
}

// Record runs s against b in record mode, whatever profiles s lists, and
// returns what b did. Nothing b returns fails the run: only errors of the
// backend itself, and steps that need what b lacks (a skip), end it early,
// and then the Result says so and Recording is nil.
func Record(s *Scenario, b backend.Kernel, opts Options) Result {
	opts.Record, opts.Update = true, false
	return run(s.anyProfile(), b, discard{}, opts)
}

// pace tells a backend whose waits take real time what the wait step st is
// expected to deliver: the plan's count when there is one, else what want:
// implies (WAIT_IO_COMPLETION alone: at least one callback; anything else:
// none).
func (r *runner) pace(st *Step, th string) {
	p, ok := r.b.(backend.Paced)
	if !ok || st.Kind.Returns != ReturnsWait {
		return
	}
	n := 0
	if r.opts.Plan != nil {
		seen := r.paced[st]
		r.paced[st] = seen + 1
		if counts := r.opts.Plan.counts[st]; seen < len(counts) {
			n = counts[seen]
		}
	} else if set := st.wantSet(r.b.Profile()); len(set) > 0 && !slices.ContainsFunc(set, func(w result) bool { return w.deadlock || w.wait != sim.WAIT_IO_COMPLETION }) {
		n = 1
	}
	window := time.Duration(0)
	if st.args.has("window") {
		window = durationOf(st.args.get("window"))
	}
	p.ExpectCallbacks(th, n, window)
}

// recording reports whether the run observes instead of judging.
func (r *runner) recording() bool { return r.rec != nil }

// recOf returns the record of the innermost execution of st, or nil when
// the run does not record.
func (r *runner) recOf(st *Step) *stepRecord {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].st == st {
			return r.stack[i].rec
		}
	}
	return nil
}

// recordField records, for the recording, the value the backend gave an
// argument field that states what the call left behind: the recording
// writes value (as YAML reads it) in its place. It does nothing when not
// recording.
func (r *runner) recordField(st *Step, field, value string) {
	sr := r.recOf(st)
	if sr == nil {
		return
	}
	if sr.fields == nil {
		sr.fields = map[string]string{}
	}
	sr.fields[field] = value
}

// recordWait records a wait's outcome. It reports false for an error of the
// backend itself, which the normal check turns into a failure or a skip.
func (r *runner) recordWait(st *Step, res sim.WaitResult, err error) bool {
	wr := &waitRecord{res: res}
	var dl *sim.DeadlockError
	var errno sim.Errno
	switch {
	case errors.As(err, &dl):
		wr.deadlock = true
	case res == sim.WAIT_FAILED && errors.As(err, &errno):
		wr.errno = &errno
	case err != nil:
		return false
	}
	if sr := r.recOf(st); sr != nil {
		sr.wait = wr
	}
	return true
}

// recordLeftovers keeps the callbacks and violations no step asserted, as
// one more record at the end.
func (r *runner) recordLeftovers() {
	if len(r.observed) == 0 && len(r.violations) == 0 {
		return
	}
	sr := &stepRecord{callbacks: r.observed}
	for _, v := range r.violations {
		sr.violations = append(sr.violations, v.v.Rule.ID)
	}
	r.observed, r.violations = nil, nil
	r.rec.records = append(r.rec.records, sr)
}

// matchWithinSteps reorders got, the callbacks of a recorded scenario's
// callbacks step, to follow want wherever the difference is only the order
// of callbacks that ran during one step: on a real system each is queued by
// its own thread, so their order there means nothing. Order across steps
// still counts.
func (r *runner) matchWithinSteps(want []item, got []observation) []observation {
	out := make([]observation, 0, len(got))
	for start := 0; start < len(got); {
		end := start + 1
		for end < len(got) && got[end].step == got[start].step {
			end++
		}
		group := slices.Clone(got[start:end])
		for i := start; i < end; i++ {
			for j, o := range group {
				if len(r.compareCallback(want[i].vals, o)) == 0 {
					group[0], group[j] = group[j], group[0]
					break
				}
			}
			out = append(out, group[0])
			group = group[1:]
		}
		start = end
	}
	return out
}

// ignoresViolations reports whether the run leaves contract violations
// unchecked: a scenario recorded on a backend that reports none (it has no
// violations step) says nothing about them.
func (r *runner) ignoresViolations() bool {
	return r.s.Recorded != "" && !slices.Contains(r.s.needs, backend.CapViolations)
}

// StepResult is what one execution of a step returned in a recorded run
// (see Recording.Results).
type StepResult struct {
	// Returns is what the step's kind returns: it says which fields below
	// hold the result.
	Returns Returns
	// Code is the status a call returned (every kind but the waits): the
	// Win32 error of a ReturnsStatus step, ERROR_SUCCESS when the call
	// succeeded; the Win32 error or HRESULT of a ReturnsCode step (for a
	// CryptoAPI call, the last error after FALSE, ERROR_SUCCESS after
	// TRUE), with S_OK given as ERROR_SUCCESS, the same value for the
	// caller; the NTSTATUS of a ReturnsNTStatus step.
	Code sim.Code
	// Wait is a wait's result, and WaitError its Win32 error when Wait is
	// WAIT_FAILED; Deadlock reports a wait that could never return.
	Wait      sim.WaitResult
	WaitError sim.Errno
	Deadlock  bool
	// Status is the structure the call filled, whatever it returned, when
	// the step compares one (expect:, or the status: step); nil otherwise.
	Status *win32.SERVICE_STATUS_PROCESS
	// Out is what the call left in its output handle pointer, as expect:
	// {out: ...} names it (unchanged, NULL, INVALID_HANDLE_VALUE, new); ""
	// for a call without one.
	Out string
}

// String writes the result the way failure messages show it, for example
// "NTE_BAD_FLAGS (0x80090009)" or "WAIT_FAILED with ERROR_INVALID_HANDLE (6)".
func (r StepResult) String() string {
	if r.Returns != ReturnsWait {
		return resultText(r.Returns)(result{code: r.Code})
	}
	if !r.Deadlock && r.Wait == sim.WAIT_FAILED {
		return "WAIT_FAILED with " + r.WaitError.String()
	}
	return resultText(ReturnsWait)(result{wait: r.Wait, deadlock: r.Deadlock})
}

// Results returns what st returned each time it ran in the recorded run, in
// the order it ran: one entry for a top-level step, one per callback for an
// on_callback step. A step that returns nothing, a call the backend declined
// or failed to make, and a step the run did not reach have no entry.
func (rec *Recording) Results(st *Step) []StepResult {
	var out []StepResult
	for _, sr := range rec.records {
		if sr.st != st || st == nil {
			continue
		}
		r := StepResult{Returns: st.Kind.Returns, Status: sr.status, Out: sr.out}
		switch {
		case sr.code != nil:
			r.Code = sr.code.Code()
		case sr.status2 != nil:
			r.Code = *sr.status2
			if r.Returns == ReturnsCode && r.Code.Value == 0 {
				r.Code = sim.ERROR_SUCCESS.Code()
			}
		case sr.wait != nil:
			r.Wait, r.Deadlock = sr.wait.res, sr.wait.deadlock
			if sr.wait.errno != nil {
				r.WaitError = *sr.wait.errno
			}
		default:
			continue
		}
		if r.Status != nil {
			ss := *r.Status
			r.Status = &ss
		}
		out = append(out, r)
	}
	return out
}
