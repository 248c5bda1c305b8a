//go:build winsim_faults

package conformance

import (
	"fmt"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// DiagramClaimProof is what breaking one claim's rule did to its diagram.
type DiagramClaimProof struct {
	Diagram string
	Claim   DiagramClaim
	// Falsifier says how the rule was broken: "switch <id>" or
	// "setting <id> = <value>"; "" for a claim that names no rule.
	Falsifier string
	// Lost says the diagram explored with the rule broken lacks the
	// claimed edge (or could not be explored); Problem says why no
	// falsifier applies, or that the edge survived every one.
	Lost    bool
	Problem string
}

// ProveDiagramClaims breaks the rule of each diagram's claims in turn, as
// ProveCovers breaks a scenario's: a modeled rule's fault switch (or the
// switch it rests on), a model choice's setting put to each of its
// alternatives. It explores the diagram again under the default profile
// each time: the claimed edge must be gone, else the diagram shows an edge
// whatever the rule says. It uses the fault build's switch board, so
// nothing else may run models meanwhile, and leaves every switch off and
// every setting at its declared value. env gives each rule's status, the
// setting that decides a model choice, and the settings' alternatives.
func ProveDiagramClaims(newBackend NewBackend, env *scenario.Env) []DiagramClaimProof {
	defer func() {
		sim.ArmFaultSwitch("")
		sim.OverrideSetting("", nil)
	}()
	settings := map[string]sim.SettingInfo{}
	for _, s := range env.Settings {
		settings[s.ID] = s
	}
	cat := env.Catalog
	var out []DiagramClaimProof
	for _, d := range Diagrams() {
		for _, c := range d.Shows {
			p := DiagramClaimProof{Diagram: d.Name, Claim: c}
			lost := func() bool {
				g, err := ExploreDiagram(d.Name, newBackend, sim.DefaultProfile)
				return err != nil || !g.Has(c)
			}
			r, ok := cat.Lookup(c.Rule)
			switch {
			case c.Rule == "":
				// An edge no one rule decides: nothing to break.
				out = append(out, p)
				continue
			case !ok:
				p.Problem = "no catalog rule " + c.Rule
			case r.Status == sim.Modeled:
				sw := c.Rule
				if base, ok := restsOn[sw]; ok {
					sw = base
				}
				p.Falsifier = "switch " + sw
				sim.ArmFaultSwitch(sw)
				p.Lost = lost()
				sim.ArmFaultSwitch("")
			case r.Status == sim.ModelChoice && r.DecidedBy != "":
				for _, v := range choiceAlternatives(settings[r.DecidedBy], sim.DefaultProfile) {
					p.Falsifier = fmt.Sprintf("setting %s = %v", r.DecidedBy, v)
					sim.OverrideSetting(r.DecidedBy, v)
					p.Lost = lost()
					sim.OverrideSetting("", nil)
					if p.Lost {
						break
					}
				}
			default:
				p.Problem = fmt.Sprintf("a %s rule no setting decides: nothing can break it", r.Status)
			}
			if p.Problem == "" && !p.Lost {
				p.Problem = fmt.Sprintf("the edge survives %s", p.Falsifier)
			}
			out = append(out, p)
		}
	}
	return out
}
