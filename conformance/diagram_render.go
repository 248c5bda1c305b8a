package conformance

import (
	"fmt"
	"strings"
)

// Mermaid returns the graph as a Mermaid stateDiagram-v2, without a code
// fence: a state per line in the search's order, the initial and final
// pseudo-states, an edge per pair of states with its moves on separate
// lines of its label, and the states the search stopped at drawn dashed.
func (g *StateGraph) Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, s := range g.States {
		fmt.Fprintf(&b, "    state \"%s\" as %s\n", mermaidText(s.Label), s.ID)
	}
	if len(g.States) > 0 {
		fmt.Fprintf(&b, "    [*] --> %s\n", g.States[0].ID)
	}
	for _, e := range g.Edges {
		labels := make([]string, len(e.Labels))
		for i, l := range e.Labels {
			labels[i] = mermaidText(l)
		}
		fmt.Fprintf(&b, "    %s --> %s : %s\n", e.From, e.To, strings.Join(labels, "<br/>"))
	}
	var frontier []string
	for _, s := range g.States {
		if s.Final {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.ID)
		}
		if s.Frontier {
			frontier = append(frontier, s.ID)
		}
	}
	if len(frontier) > 0 {
		b.WriteString("    classDef frontier stroke-dasharray: 5 5\n")
		fmt.Fprintf(&b, "    class %s frontier\n", strings.Join(frontier, ","))
	}
	return b.String()
}

// mermaidText keeps a label within what Mermaid reads as plain text on
// one line: no double quotes (they end a state's name), no line breaks,
// and no ';', '#' or '%' (a transition's label ends at the first ';' or
// '#', and "%%" starts a comment).
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "'", "\n", " ", ";", ",", "#", "no. ", "%", " percent").Replace(s)
}

// Dot returns the graph as a Graphviz digraph named after the diagram:
// the same states, edges and labels as Mermaid, the initial state entered
// from a point, final states drawn with a double border, and the states
// the search stopped at dashed.
func (g *StateGraph) Dot() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(g.Name))
	fmt.Fprintf(&b, "    label=%s;\n", dotQuote(fmt.Sprintf("%s: %s (%s)", g.Family, g.Title, g.Profile)))
	b.WriteString("    labelloc=t;\n    node [shape=box, style=rounded];\n    __start [shape=point, label=\"\"];\n")
	for _, s := range g.States {
		attrs := ""
		switch {
		case s.Final:
			attrs = ", peripheries=2"
		case s.Frontier:
			attrs = ", style=\"rounded,dashed\""
		}
		fmt.Fprintf(&b, "    %s [label=%s%s];\n", s.ID, dotQuote(s.Label), attrs)
	}
	if len(g.States) > 0 {
		fmt.Fprintf(&b, "    __start -> %s;\n", g.States[0].ID)
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "    %s -> %s [label=%s];\n", e.From, e.To, dotQuote(strings.Join(e.Labels, "\n")))
	}
	b.WriteString("}\n")
	return b.String()
}

// dotQuote makes a dot string: quotes and backslashes escaped, line breaks
// written as dot's centered-line escape.
func dotQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
	return `"` + s + `"`
}
