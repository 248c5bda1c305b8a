//go:build winsim_faults

package conformance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// FaultBuild is true in builds with the winsim_faults tag, where
// ProveCovers can break rules.
const FaultBuild = true

// ProveCovers tests every claim of the scenarios in targets, decoded
// against env (whose catalog gives each id's status), with backends from
// newBackend: each scenario runs once per profile it applies to with
// nothing broken, which must pass, and then with each covered rule broken
// in turn (see the comment at restsOn's file) until a run fails. Scenarios
// that do not decode are an error. It uses the fault build's switch board,
// so nothing else may run models meanwhile; it leaves every switch off and
// every setting at its declared value.
func ProveCovers(targets []CoverTarget, newBackend NewBackend, env *scenario.Env) (CoverProof, error) {
	defer func() {
		sim.ArmFaultSwitch("")
		sim.OverrideSetting("", nil)
	}()
	sim.ArmFaultSwitch("")
	sim.OverrideSetting("", nil)
	settings := map[string]sim.SettingInfo{}
	for _, s := range allSettings() {
		settings[s.ID] = s
	}
	cat := env.Catalog
	var proof CoverProof
	for _, t := range targets {
		s, err := scenario.Load(t.Path, env)
		if err != nil {
			return CoverProof{}, err
		}
		s.Golden = false // a claim rests on the scenario's own steps, not on its trace
		p := prover{s: s, name: t.Name, newBackend: newBackend, proof: &proof}
		p.baseline()
		for _, id := range s.Covers {
			proof.Claims = append(proof.Claims, p.claim(cat, settings, id, false))
		}
		for _, id := range s.Documents {
			proof.Claims = append(proof.Claims, p.claim(cat, settings, id, true))
		}
	}
	for _, c := range proof.Claims {
		if c.Problem != "" {
			proof.Problems = append(proof.Problems, fmt.Sprintf("%s: %s (%s): %s", c.File, c.ID, c.Status, c.Problem))
		}
	}
	for _, r := range cat.Rules() {
		proven := slices.ContainsFunc(proof.Claims, func(c Claim) bool { return c.ID == r.ID && c.Proven() })
		documented := slices.ContainsFunc(proof.Claims, func(c Claim) bool { return c.ID == r.ID && c.Documented && c.Problem == "" })
		switch {
		case r.Status == sim.OutOfScope || proven:
		case r.Status == sim.ModelChoice && !documented:
			proof.Problems = append(proof.Problems, fmt.Sprintf("%s (%s): no scenario asserts it (fails with its setting flipped) or documents it", r.ID, r.Status))
		case r.Status != sim.ModelChoice:
			proof.Problems = append(proof.Problems, fmt.Sprintf("%s (%s): no scenario asserts it (fails with it broken)", r.ID, r.Status))
		}
	}
	return proof, nil
}

// prover tests the claims of one scenario.
type prover struct {
	s          *scenario.Scenario
	name       string
	newBackend NewBackend
	proof      *CoverProof
	// profiles are those the scenario applies to and passes under with
	// nothing broken; broken lists the others, with what went wrong.
	profiles []string
	broken   []string
}

// run runs the scenario (or steps in place of its own) under profile and
// returns "" when it passed, else what went wrong. A panic of a broken
// model is a failure.
func (p *prover) run(profile string, steps []*scenario.Step) (msg string) {
	p.proof.Runs++
	defer func() {
		if v := recover(); v != nil {
			msg = fmt.Sprintf("panic: %v", v)
		}
	}()
	s := p.s
	if steps != nil {
		c := *s
		c.Steps = steps
		s = &c
	}
	b, err := p.newBackend(profile, s.Seed)
	if err != nil {
		return err.Error()
	}
	res := scenario.RunWith(s, b, nil, scenario.Options{})
	switch res.Outcome {
	case scenario.Failed:
		line, _, _ := strings.Cut(res.Message, "\n")
		return line
	case scenario.Skipped:
		return "skipped: " + res.Message
	}
	return ""
}

// baseline runs the scenario unbroken under each profile it applies to.
func (p *prover) baseline() {
	for _, pr := range sim.Profiles() {
		if !p.s.Supports(pr.Name) {
			continue
		}
		if msg := p.run(pr.Name, nil); msg != "" {
			p.broken = append(p.broken, pr.Name+": "+msg)
			continue
		}
		p.profiles = append(p.profiles, pr.Name)
	}
}

// firstFailure calls try with each profile the scenario passes under
// unbroken, until one returns what failed ("" for nothing), and returns it.
func (p *prover) firstFailure(try func(profile string) string) (string, bool) {
	for _, profile := range p.profiles {
		if by := try(profile); by != "" {
			return by, true
		}
	}
	return "", false
}

// claim tests one id the scenario covers (or documents).
func (p *prover) claim(cat *sim.Catalog, settings map[string]sim.SettingInfo, id string, documented bool) Claim {
	r, _ := cat.Lookup(id)
	c := Claim{Scenario: p.name, File: p.s.File, ID: id, Status: r.Status, Documented: documented}
	if len(p.profiles) == 0 {
		c.Problem = "the scenario passes under none of its profiles with nothing broken: " + strings.Join(p.broken, "; ")
		return c
	}
	switch r.Status {
	case sim.OutOfScope:
		c.Problem = "out of scope: the models do not implement it, so no scenario can assert it"
	case sim.Modeled:
		sw := id
		if base, ok := restsOn[id]; ok {
			sw = base
		}
		c.Falsifier = "switch " + sw
		c.By, c.Noticed = p.firstFailure(func(profile string) string {
			sim.ArmFaultSwitch(sw)
			defer sim.ArmFaultSwitch("")
			if msg := p.run(profile, nil); msg != "" {
				return profile + ": " + msg
			}
			return ""
		})
		if !c.Noticed {
			c.Problem = fmt.Sprintf("the scenario does not notice it: with %s armed it passes under %s", c.Falsifier, strings.Join(p.profiles, ", "))
		}
	case sim.FaultInjection:
		c.Falsifier = "inject: steps withdrawn"
		steps := slices.DeleteFunc(slices.Clone(p.s.Steps), func(st *scenario.Step) bool { return st.Kind.Name == "inject" })
		if len(steps) == len(p.s.Steps) {
			c.Problem = "the scenario has no inject: step, so nothing in it reaches the code"
			return c
		}
		c.By, c.Noticed = p.firstFailure(func(profile string) string {
			if msg := p.run(profile, steps); msg != "" {
				return profile + ": " + msg
			}
			return ""
		})
		if !c.Noticed {
			c.Problem = fmt.Sprintf("the scenario does not notice it: with its inject: steps withdrawn it passes under %s", strings.Join(p.profiles, ", "))
		}
	case sim.ModelChoice:
		setting := r.DecidedBy
		if setting == "" {
			if !documented {
				c.Problem = "no profile setting decides this model choice, so no run can falsify it: list it under documents:, not covers:"
			}
			return c
		}
		info := settings[setting]
		c.Falsifier = "setting " + setting
		var tried []string
		c.By, c.Noticed = p.firstFailure(func(profile string) string {
			for _, v := range choiceAlternatives(info, profile) {
				tried = append(tried, fmt.Sprintf("%v under %s", v, profile))
				sim.OverrideSetting(setting, v)
				msg := p.run(profile, nil)
				sim.OverrideSetting("", nil)
				if msg != "" {
					return fmt.Sprintf("%v under %s: %s", v, profile, msg)
				}
			}
			return ""
		})
		switch {
		case documented && c.Noticed:
			c.Problem = fmt.Sprintf("documented, but the scenario asserts it (with %s = %s): list it in covers:", setting, c.By)
		case !documented && !c.Noticed:
			c.Problem = fmt.Sprintf("the scenario does not notice it: with %s flipped (%s) it passes", setting, strings.Join(tried, ", "))
		}
	}
	return c
}

// choiceAlternatives returns the values tried in place of a model choice's
// setting under profile: its Alternatives, and for a boolean the opposite
// value even when every profile declares the same one (a model choice is
// often the same everywhere, and the opposite is the choice not made).
func choiceAlternatives(info sim.SettingInfo, profile string) []any {
	alts := info.Alternatives(profile)
	if b, err := strconv.ParseBool(info.Values[profile]); err == nil && !slices.Contains(alts, any(!b)) {
		alts = append(alts, !b)
	}
	return alts
}

// restsOn maps a modeled rule that has no line of its own to the rule whose
// switch breaks it: the line the model enforces both with. The kill run
// credits such a rule only to checks and scenarios that cover it, and
// ProveCovers arms that switch for it.
var restsOn = map[string]string{
	// A notification callback is a user APC, and only the kernel's wait
	// loop decides when APCs run (sim/wait.go).
	"scm.notify.alertable-only": "kernel.wait.non-alertable",
	// A hive loaded with REG_WHOLE_HIVE_VOLATILE has no image: that one
	// test (hive.persistent) keeps its keys off the dirty list, out of the
	// lazy flusher's eligible hives and out of every write, so opening the
	// flusher's test alone would change nothing observable; breaking the
	// shared test lets the lazy flusher write the hive after its interval.
	"hive.lazy.volatile-hive": "hive.volatile.whole-hive",
}

// allSettings lists every profile setting the models declare.
func allSettings() []sim.SettingInfo {
	return scenario.NewEnv(nil).Settings
}
