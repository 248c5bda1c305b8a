package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// TestDiagramsShowTheirClaims: under the default profile every diagram has
// the edges it claims (StartService on SERVICE_RUNNING returns
// ERROR_SERVICE_ALREADY_RUNNING, START_PENDING moves to RUNNING on the
// service's report, ...), and each claim names a catalog rule.
func TestDiagramsShowTheirClaims(t *testing.T) {
	cat := scenario.Catalog()
	for _, d := range Diagrams() {
		t.Run(d.Name, func(t *testing.T) {
			require.NotEmpty(t, d.Shows, "a diagram claims the edges that show its rules")
			for _, c := range d.Shows {
				if c.Rule != "" {
					_, ok := cat.Lookup(c.Rule)
					assert.True(t, ok, "claim %s: no catalog rule %s", c, c.Rule)
				}
			}
			g, err := ExploreDiagram(d.Name, newModel, sim.DefaultProfile)
			require.NoError(t, err)
			assert.Empty(t, g.Missing(), "claimed edges the exploration did not find, in:\n%s", g.Mermaid())
		})
	}
}

// TestDiagramsNamed: names are unique, and every registered family that
// declares diagrams gives each a title and a sentence on what it shows.
func TestDiagramsNamed(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Diagrams() {
		assert.False(t, seen[d.Name], "diagram %s declared twice", d.Name)
		seen[d.Name] = true
		assert.NotEmpty(t, d.Title, d.Name)
		assert.NotEmpty(t, d.About, d.Name)
		assert.NotEmpty(t, d.Family, d.Name)
	}
	for _, want := range []string{"scm-service", "scm-delete", "scm-notify", "csp-context", "registry-value"} {
		assert.True(t, seen[want], "no diagram %s", want)
	}
	_, err := ExploreDiagram("nonesuch", newModel, "")
	assert.EqualError(t, err, `no diagram named "nonesuch"`)
}

// TestDiagramsStable: two explorations give the same graph, byte for byte,
// and no state is left unexplored but where the diagram says the search
// stops (a context's count beyond three references).
func TestDiagramsStable(t *testing.T) {
	for _, d := range Diagrams() {
		t.Run(d.Name, func(t *testing.T) {
			g1, err := ExploreDiagram(d.Name, newModel, "")
			require.NoError(t, err)
			g2, err := ExploreDiagram(d.Name, newModel, "")
			require.NoError(t, err)
			assert.Equal(t, g1.Mermaid(), g2.Mermaid())
			assert.Equal(t, g1.Dot(), g2.Dot())
			var frontier []string
			for _, s := range g1.States {
				if s.Frontier {
					frontier = append(frontier, s.Label)
				}
			}
			want := map[string][]string{"csp-context": {"4 references"}}[d.Name]
			assert.Equal(t, want, frontier, "states reached at the depth bound %d", g1.Depth)
		})
	}
}

// TestDiagramAbstractions replays every move sequence up to a depth, not
// one per state, under every profile: each step must be an edge of the
// graph, so that the abstraction function keeps whatever decides a move's
// result and next state. (A label that leaves out "marked for delete"
// fails it: StartService on a stopped service then returns ERROR_SUCCESS
// or ERROR_SERVICE_MARKED_FOR_DELETE from the same state.)
func TestDiagramAbstractions(t *testing.T) {
	depth := 5
	if testing.Short() {
		depth = 3
	}
	for _, p := range sim.Profiles() {
		for _, d := range Diagrams() {
			t.Run(d.Name+"/"+p.Name, func(t *testing.T) {
				require.NoError(t, VerifyDiagram(d.Name, newModel, p.Name, depth))
			})
		}
	}
}

// TestDiagramProfilesDiffer: where the profiles' settings differ, the
// diagrams show it (Wine 8.0 starts a service marked for delete, adds a
// reference for CryptContextAddRef with reserved flags, writes nothing on
// NtFlushKey, and runs a callback queued before the handle was closed).
func TestDiagramProfilesDiffer(t *testing.T) {
	tests := []struct{ diagram, edge string }{
		{"scm-delete", `s_SERVICE_STOPPED_marked_for_delete --> s_SERVICE_START_PENDING_marked_for_delete : StartService: ERROR_SUCCESS`},
		{"csp-context", `s_1_reference --> s_2_references : CryptContextAddRef(0): ERROR_SUCCESS<br/>CryptContextAddRef(1): ERROR_SUCCESS`},
		{"registry-value", `s_v_1_written_not_on_disk --> s_v_1_written_not_on_disk : NtSetValueKey(REG_DWORD 1): STATUS_SUCCESS<br/>NtFlushKey: STATUS_SUCCESS` + "\n"},
		{"scm-notify", `s_fired_APC_queued_service_SERVICE_RUNNING_handle_closed --> s_delivered_the_callback_ran : SleepEx(0, TRUE): WAIT_IO_COMPLETION`},
	}
	for _, tt := range tests {
		t.Run(tt.diagram, func(t *testing.T) {
			win8, err := ExploreDiagram(tt.diagram, newModel, "win8")
			require.NoError(t, err)
			wine, err := ExploreDiagram(tt.diagram, newModel, "wine-8.0")
			require.NoError(t, err)
			assert.NotContains(t, win8.Mermaid(), tt.edge)
			assert.Contains(t, wine.Mermaid(), tt.edge)
		})
	}
}

// TestDiagramRender renders a small graph with every kind of state and the
// characters each language needs escaped.
func TestDiagramRender(t *testing.T) {
	g := &StateGraph{
		DiagramInfo: DiagramInfo{Name: "demo", Family: "Demo", Title: "a demo"},
		Profile:     "win8", Depth: 2,
		States: []GraphState{
			{ID: "s_a", Label: `a "quoted" state`},
			{ID: "s_b", Label: `b\c`, Depth: 1, Final: true},
			{ID: "s_c", Label: "c", Depth: 2, Frontier: true},
		},
		Edges: []GraphEdge{
			{From: "s_a", To: "s_b", Labels: []string{"Go(1): ERROR_SUCCESS", "Go(#2; 100%)"}},
			{From: "s_a", To: "s_c", Labels: []string{"tick"}},
		},
	}
	assert.Equal(t, `stateDiagram-v2
    state "a 'quoted' state" as s_a
    state "b\c" as s_b
    state "c" as s_c
    [*] --> s_a
    s_a --> s_b : Go(1): ERROR_SUCCESS<br/>Go(no. 2, 100 percent)
    s_a --> s_c : tick
    s_b --> [*]
    classDef frontier stroke-dasharray: 5 5
    class s_c frontier
`, g.Mermaid())
	assert.Equal(t, `digraph "demo" {
    label="Demo: a demo (win8)";
    labelloc=t;
    node [shape=box, style=rounded];
    __start [shape=point, label=""];
    s_a [label="a \"quoted\" state"];
    s_b [label="b\\c", peripheries=2];
    s_c [label="c", style="rounded,dashed"];
    __start -> s_a;
    s_a -> s_b [label="Go(1): ERROR_SUCCESS\nGo(#2; 100%)"];
    s_a -> s_c [label="tick"];
}
`, g.Dot())
}

func TestStateID(t *testing.T) {
	tests := []struct{ label, id string }{
		{"SERVICE_RUNNING", "s_SERVICE_RUNNING"},
		{"SERVICE_STOPPED, marked for delete", "s_SERVICE_STOPPED_marked_for_delete"},
		{"after the power cut: v = 1", "s_after_the_power_cut_v_1"},
		{"delivered: the callback ran", "s_delivered_the_callback_ran"},
		{"end", "s_end"},
		{"état", "s_tat"},
		{"", "s"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.id, stateID(tt.label), tt.label)
	}
}

// BenchmarkExploreDiagram measures each diagram's exploration on the model
// backend: the replays it makes, the states it finds, and the time per
// replay.
func BenchmarkExploreDiagram(b *testing.B) {
	for _, d := range Diagrams() {
		b.Run(d.Name, func(b *testing.B) {
			var g *StateGraph
			for b.Loop() {
				var err error
				if g, err = ExploreDiagram(d.Name, newModel, ""); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(g.Runs), "replays/op")
			b.ReportMetric(float64(len(g.States)), "states/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*g.Runs), "ns/replay")
		})
	}
}

// bareKernel hides every family interface of a backend.
type bareKernel struct{ backend.Kernel }

// TestExploreDiagramNeedsTheFamily: on a backend without the family's
// interface, exploring fails with the capability it lacks, never a panic.
func TestExploreDiagramNeedsTheFamily(t *testing.T) {
	poor := func(profile string, seed uint64) (backend.Kernel, error) {
		b, err := newModel(profile, seed)
		return bareKernel{b}, err
	}
	for _, d := range Diagrams() {
		_, err := ExploreDiagram(d.Name, poor, "")
		require.Error(t, err, d.Name)
		assert.Contains(t, err.Error(), "lacks family:", d.Name)
	}
}
