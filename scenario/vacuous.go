package scenario

// An assertion that cannot fail is a defect: it reads as a check and checks
// nothing. Some of them the decoder can see, because what an assertion can
// observe depends on what the scenario's own steps set up before it: every
// hive starts empty (the real backend works in a fresh scratch key), and the
// runner observes the callbacks of registrations with a named buffer only.
// refuseVacuous walks the decoded steps in the order they run and refuses
// each assertion that nothing before it could make fail.
//
// The walk is sound rather than complete: it refuses only what surely
// cannot fail. What it cannot place (a key opened under a handle whose key
// it does not know, a value written through a predefined key) counts as
// possibly anything; steps inside on_callback run at some later time, so
// they count as set up for every assertion after the step that registers
// them, and assertions inside on_callback are not judged.

// setup is what the steps walked so far set up.
type setup struct {
	// namedBuffers: a NotifyServiceStatusChange with a named buffer was
	// made, so a callback can be observed.
	namedBuffers bool
	// keyPaths maps a key variable to the absolute name of its key, for the
	// keys opened or created by a name the walk can resolve.
	keyPaths map[string]string
	// valueWrites are the values written so far.
	valueWrites []valueWrite
	// written holds the entries of valueWrites.
	written map[valueWrite]bool
}

// valueWrite is one value a step writes: name under the key at path, or
// under any key when path is "" (a handle the walk cannot place).
type valueWrite struct {
	path, name string
}

// refuseVacuous reports every top-level assertion of steps that cannot fail
// after the steps before it.
func (d *decoder) refuseVacuous(steps []*Step) {
	newSetup().walk(d, steps, true)
}

// newSetup returns the setup before any step.
func newSetup() *setup {
	return &setup{keyPaths: map[string]string{}, written: map[valueWrite]bool{}}
}

func (sc *setup) walk(d *decoder, steps []*Step, judge bool) {
	for _, st := range steps {
		if judge && st.Kind.vacuous != nil {
			if n, why := st.Kind.vacuous(sc, st); why != "" {
				d.errorf(n, "%s: %s", st.Kind.Name, why)
			}
		}
		for i := range st.args {
			if nested, ok := st.args[i].v.([]*Step); ok {
				sc.walk(d, nested, false)
			}
		}
		if st.Kind.sets != nil {
			st.Kind.sets(sc, st)
		}
	}
}
