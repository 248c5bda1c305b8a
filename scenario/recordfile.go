package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// ErrNothingRecorded is what Marshal returns, wrapped, for a recording
// whose run stopped within its first step: no step is left to write, and a
// scenario needs at least one.
var ErrNothingRecorded = errors.New("nothing recorded")

// Marshal writes the recording as a scenario file: the recorded scenario
// with every want:, expect:, status field, callbacks list and violations
// list replaced by what the backend did, its profiles narrowed to the
// backend's, and source (for example "Windows 10.0.19045" or "Wine 8.0")
// named in its description. Replayed against a model, it passes exactly
// where the model does what the recorded backend did. What it writes loads
// again (it checks); a run stopped within its first step gives an error
// wrapping ErrNothingRecorded. The scenario's yaml-language-server modeline
// (SchemaModeline) is left out: its path is relative to the scenario's
// directory, not the recording's.
func (rec *Recording) Marshal(source string) ([]byte, error) {
	s := rec.scenario
	data, err := os.ReadFile(s.File)
	if err != nil {
		return nil, err
	}
	root, err := parseYAML(data)
	if err != nil || root == nil || root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: cannot re-read the scenario to record it", s.File)
	}
	dropModeline(root)
	stepsNode := ymGet(root, "steps")
	if stepsNode == nil {
		return nil, fmt.Errorf("%s: no steps to record", s.File)
	}
	nodes := map[[2]int]*yaml.Node{}
	indexSteps(stepsNode, nodes)

	multiThread := len(s.Threads) > 1
	done := map[*Step]bool{}
	var leftovers []*stepRecord
	for _, sr := range rec.records {
		if sr.st == nil {
			leftovers = append(leftovers, sr)
			continue
		}
		if done[sr.st] || sr.st == rec.stoppedAt {
			continue
		}
		done[sr.st] = true
		n := nodes[[2]int{sr.st.Line, sr.st.Col}]
		if n == nil {
			return nil, fmt.Errorf("%s: step not found in the file", sr.st.Pos())
		}
		if err := rewriteStep(n, sr, rec.Profile, multiThread); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", sr.st.Pos(), sr.st, err)
		}
	}
	kept := func(*Step) bool { return true }
	if rec.stoppedAt != nil {
		cut := truncateAt(stepsNode, rec.stoppedAt)
		if len(stepsNode.Content) == 0 {
			return nil, fmt.Errorf("%s: %w: the run stopped within its first step, at %s", s.File, ErrNothingRecorded, rec.stopped)
		}
		kept = func(st *Step) bool {
			return st != nil && (st.Line < cut.Line || st.Line == cut.Line && st.Col < cut.Column)
		}
	}
	for _, sr := range leftovers {
		// A callback that ran during a step the truncation dropped (the
		// stop came inside it, in its on_callback steps say) names a
		// buffer only a dropped step declares: it is left out with them.
		var obs []observation
		for _, o := range sr.callbacks {
			if kept(o.step) {
				obs = append(obs, o)
			}
		}
		if len(obs) > 0 {
			stepsNode.Content = append(stepsNode.Content, ymMap(0, "callbacks", callbacksNode(obs, multiThread)))
		}
		if len(sr.violations) > 0 {
			stepsNode.Content = append(stepsNode.Content, ymMap(0, "violations", ymFlowStrings(sr.violations)))
		}
	}

	desc := fmt.Sprintf("Recorded by simrun record on %s (backend %s, profile %s) from %s: every result below is what that system returned.\n",
		source, rec.Backend, rec.Profile, s.File)
	if rec.stopped != "" {
		desc += fmt.Sprintf("The run stopped at %s; the steps after it are left out.\n", rec.stopped)
	}
	desc += "\n" + strings.TrimRight(s.Description, "\n") + "\n"
	d := ymStr(desc)
	d.Style = yaml.LiteralStyle
	ymSet(root, "description", d)
	ymSet(root, "profiles", ymFlowStrings([]string{rec.Profile}))
	ymSet(root, "recorded", ymStr(source))
	ymDel(root, "golden")

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if _, err := Parse(s.File, b.Bytes(), NewEnv(nil)); err != nil {
		return nil, fmt.Errorf("%s: the recording would not load again, so it is not written: %w", s.File, err)
	}
	return b.Bytes(), nil
}

// dropModeline removes the yaml-language-server modeline from the comment
// above a scenario's first key, where the YAML library keeps a comment on
// the first line.
func dropModeline(root *yaml.Node) {
	for _, n := range []*yaml.Node{root, firstKey(root)} {
		if n == nil || n.HeadComment == "" {
			continue
		}
		lines := strings.Split(n.HeadComment, "\n")
		lines = slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, modelinePrefix) })
		n.HeadComment = strings.Join(lines, "\n")
	}
}

// firstKey returns the first key of a mapping, nil for an empty one.
func firstKey(m *yaml.Node) *yaml.Node {
	if len(m.Content) == 0 {
		return nil
	}
	return m.Content[0]
}

// indexSteps maps the position of every step mapping, on_callback steps
// included, to its node.
func indexSteps(seq *yaml.Node, out map[[2]int]*yaml.Node) {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for _, n := range seq.Content {
		if n.Kind != yaml.MappingNode {
			continue
		}
		out[[2]int{n.Line, n.Column}] = n
		for i := 1; i < len(n.Content); i += 2 {
			if v := n.Content[i]; v.Kind == yaml.MappingNode {
				indexSteps(ymGet(v, "on_callback"), out)
			}
		}
	}
}

// truncateAt drops the top-level step that holds st (st itself, or a step
// whose on_callback holds it) and every later one. It returns the first
// step dropped.
func truncateAt(steps *yaml.Node, st *Step) *yaml.Node {
	cut := -1
	for i, n := range steps.Content {
		if n.Line < st.Line || (n.Line == st.Line && n.Column <= st.Col) {
			cut = i
		}
	}
	if cut < 0 {
		return &yaml.Node{}
	}
	first := steps.Content[cut]
	steps.Content = steps.Content[:cut]
	return first
}

// rewriteStep puts what one step returned into its node.
func rewriteStep(n *yaml.Node, sr *stepRecord, profile string, multiThread bool) error {
	st := sr.st
	k := st.Kind
	kindVal := ymGet(n, k.Name)
	switch {
	case k.Returns == ReturnsStatus && sr.code != nil:
		code := *sr.code
		if k.Name == "status" && code != sim.ERROR_SUCCESS {
			// The fields of status: are compared only on success: record
			// the failure as the query it is.
			svc := ymGet(kindVal, "service")
			for i := 0; i < len(n.Content); i += 2 {
				if n.Content[i].Value == "status" {
					n.Content[i] = ymStr("QueryServiceStatusEx")
					n.Content[i+1] = ymMap(yaml.FlowStyle, "service", svc)
				}
			}
			return setRecordedWant(n, st, profile, result{code: code.Code()})
		}
		if err := setRecordedWant(n, st, profile, result{code: code.Code()}); err != nil {
			return err
		}
		if sr.status != nil {
			if k.Name == "status" {
				setStatusFields(kindVal, *sr.status, "service")
			} else if x := ymGet(n, "expect"); x != nil {
				setStatusFields(x, *sr.status)
			}
		}
		// The configuration steps compare their expect: field by field.
		rewriteExpect(n, sr.expect)
	case (k.Returns == ReturnsCode || k.Returns == ReturnsNTStatus) && sr.status2 != nil:
		return rewriteCodeStep(n, sr, profile)
	case k.Returns == ReturnsWait && sr.wait != nil:
		w := sr.wait
		ymDel(n, "error")
		got := result{wait: w.res, deadlock: w.deadlock}
		if w.deadlock {
			got.wait = 0
		}
		if err := setRecordedWant(n, st, profile, got); err != nil {
			return err
		}
		if !w.deadlock && w.res == sim.WAIT_FAILED && w.errno != nil {
			return setRecordedError(n, st, profile, *w.errno)
		}
	case k.Name == "callbacks":
		ymSet(n, "callbacks", callbacksNode(sr.callbacks, multiThread))
	case k.Name == "violations":
		ymSet(n, "violations", ymFlowStrings(sr.violations))
	}
	for _, field := range slices.Sorted(maps.Keys(sr.fields)) {
		if kindVal != nil && kindVal.Kind == yaml.MappingNode {
			ymSet(kindVal, field, ymRaw(sr.fields[field]))
		}
	}
	return nil
}

// waitName writes a wait result the way want: reads it.
func waitName(res sim.WaitResult) string {
	switch {
	case res == 0:
		return "0"
	case res == sim.WAIT_IO_COMPLETION:
		return "WAIT_IO_COMPLETION"
	case res == sim.WAIT_TIMEOUT:
		return "WAIT_TIMEOUT"
	case res > sim.WAIT_OBJECT_0 && res < sim.WAIT_OBJECT_0+sim.MAXIMUM_WAIT_OBJECTS:
		return fmt.Sprintf("WAIT_OBJECT_0+%d", res-sim.WAIT_OBJECT_0)
	case res >= sim.WAIT_ABANDONED_0 && res < sim.WAIT_ABANDONED_0+sim.MAXIMUM_WAIT_OBJECTS:
		return fmt.Sprintf("WAIT_ABANDONED_0+%d", res-sim.WAIT_ABANDONED_0)
	}
	return strconv.FormatUint(uint64(res), 10)
}

// setStatusFields sets every field m already has (but skip) to its value in
// ss.
func setStatusFields(m *yaml.Node, ss win32.SERVICE_STATUS_PROCESS, skip ...string) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key := m.Content[i].Value
		if contains(skip, key) {
			continue
		}
		if v := statusField(key, ss); v != nil {
			m.Content[i+1] = v
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// statusField writes one field of a status expectation.
func statusField(key string, ss win32.SERVICE_STATUS_PROCESS) *yaml.Node {
	switch key {
	case "state":
		return constNode(win32.GroupState, ss.CurrentState)
	case "accepted":
		return constNode(win32.GroupAccept, ss.ControlsAccepted)
	case "type":
		return constNode(win32.GroupServiceType, ss.ServiceType)
	case "exit_code":
		if name := sim.Errno(ss.Win32ExitCode).Code().Name(); name != "" {
			return ymRaw(name)
		}
		return ymInt(uint64(ss.Win32ExitCode))
	case "specific_exit_code":
		return ymInt(uint64(ss.ServiceSpecificExitCode))
	case "checkpoint":
		return ymInt(uint64(ss.CheckPoint))
	case "wait_hint":
		return ymInt(uint64(ss.WaitHint))
	case "pid":
		if ss.ProcessId == 0 {
			return ymRaw("zero")
		}
		return ymRaw("nonzero")
	}
	return nil
}

// constNode writes a value of a constant group by its names, or as a
// number when some bits have none.
func constNode[T ~uint32](group string, v T) *yaml.Node {
	s := consts().Format(group, uint32(v))
	if strings.Contains(s, "0x") || s == "0" {
		return ymInt(uint64(v))
	}
	return ymRaw(s)
}

// callbacksNode writes observed callbacks as a callbacks: list.
func callbacksNode(obs []observation, withThread bool) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, o := range obs {
		m := ymMap(yaml.FlowStyle, "buffer", ymRaw(o.buffer))
		if withThread && o.thread != "" {
			ymSet(m, "thread", ymRaw(o.thread))
		}
		name := o.status.Code().Name()
		if name == "" {
			name = strconv.FormatUint(uint64(o.status), 10)
		}
		ymSet(m, "status", ymRaw(name))
		if o.status == sim.ERROR_SUCCESS {
			ymSet(m, "triggered", constNode(win32.GroupNotifyMask, o.triggered))
			ymSet(m, "state", constNode(win32.GroupState, o.ss.CurrentState))
			if len(o.names) > 0 {
				ymSet(m, "names", ymFlowStrings(o.names))
			}
		}
		seq.Content = append(seq.Content, m)
	}
	if len(obs) == 0 {
		seq.Style = yaml.FlowStyle
	}
	return seq
}

// Small helpers over yaml.Node mappings.

func ymGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func ymSet(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, ymStr(key), v)
}

func ymDel(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func ymMap(style yaml.Style, key string, v *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Style: style, Content: []*yaml.Node{ymStr(key), v}}
}

func ymStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func ymRaw(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

func ymInt(v uint64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatUint(v, 10)}
}

func ymFlowStrings(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, ymStr(s))
	}
	return n
}
