package scenario

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/winsim/winsim/backend"
)

// helpGroups returns the titled groups of step kinds help lists: family by
// family in the order of Families(), each family's groups in the order of
// its Groups.
func helpGroups() []helpGroup {
	t := current()
	var out []helpGroup
	for i := range t.families {
		out = append(out, t.groups(i)...)
	}
	return out
}

// WriteHelp writes the reference of the scenario format as plain text: the
// top-level keys, the step modifiers and every step kind with its fields. It
// is what `simrun help steps` prints.
func WriteHelp(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Scenario file (version %d): a mapping with these keys\n", Version)
	writeFieldsText(tw, topFields, "  ", 0)
	fmt.Fprintf(tw, "\nA step is a mapping with one step-kind key and these optional modifiers\n")
	writeFieldsText(tw, modifiers, "  ", 0)
	for _, g := range helpGroups() {
		fmt.Fprintf(tw, "\n%s\n", g.title)
		for _, k := range g.kinds {
			fmt.Fprintf(tw, "\n  %s%s\n", k.Name, kindTags(k))
			fmt.Fprintf(tw, "    %s\n", k.Summary)
			if k.Value != nil {
				fmt.Fprintf(tw, "    %s: <%s>\t%s\n", k.Name, k.Value.Type.Name, k.Value.Doc)
				writeNested(tw, k.Value.Type, "      ", 1)
				continue
			}
			writeFieldsText(tw, k.Fields, "    ", 0)
			if k.Expect != nil {
				fmt.Fprintf(tw, "    expect: (modifier)\t%s\toptional\t%s\n", k.Expect.Name, k.Expect.Doc)
				writeNested(tw, k.Expect, "      ", 1)
			}
		}
	}
	return tw.Flush()
}

// kindTags lists what a kind returns, binds and needs, for the heading line.
func kindTags(k *StepKind) string {
	var tags []string
	switch k.Returns {
	case ReturnsStatus, ReturnsCode:
		tags = append(tags, "want: status")
	case ReturnsWait:
		tags = append(tags, "want: wait result")
	case ReturnsNTStatus:
		tags = append(tags, "want: NTSTATUS")
	}
	if k.BindsHandle {
		tags = append(tags, "as: handle")
	}
	if len(k.Needs) > 0 {
		tags = append(tags, "needs "+capList(k.Needs))
	}
	if len(tags) == 0 {
		return ""
	}
	return "  [" + strings.Join(tags, "; ") + "]"
}

func capList(caps []backend.Capability) string {
	s := make([]string, len(caps))
	for i, c := range caps {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

func fieldNote(f Field) string {
	var parts []string
	switch {
	case f.Required:
		parts = append(parts, "required")
	case f.Default != "":
		parts = append(parts, "default "+f.Default)
	default:
		parts = append(parts, "optional")
	}
	if len(f.Needs) > 0 {
		parts = append(parts, "needs "+capList(f.Needs))
	}
	return strings.Join(parts, ", ")
}

// writeFieldsText lists fields, each followed by the keys of its mapping
// type. A mapping type shared by several fields of one list (the counts of
// hive_io) has its keys listed under the first of them only.
func writeFieldsText(w io.Writer, fields []Field, indent string, depth int) {
	listed := map[*Type]bool{}
	for _, f := range fields {
		fmt.Fprintf(w, "%s%s\t%s\t%s\t%s\n", indent, f.Name, f.Type.Name, fieldNote(f), f.Doc)
		if !listed[f.Type] {
			listed[f.Type] = true
			writeNested(w, f.Type, indent+"  ", depth+1)
		}
	}
}

// writeNested lists the keys of a mapping type, or of the mappings of a list
// type, under the field that has it.
func writeNested(w io.Writer, t *Type, indent string, depth int) {
	if depth > 3 {
		return
	}
	if t.Elem != nil {
		t = t.Elem
	}
	writeFieldsText(w, t.Fields, indent, depth)
}

// WriteMarkdown writes the same reference as WriteHelp, as Markdown, for the
// project documentation.
func WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Scenario format, version %d\n\n", Version)
	b.WriteString("<!-- Generated from the step table of package scenario; do not edit. -->\n\n")
	b.WriteString("## Top level\n\n")
	mdFields(&b, topFields)
	b.WriteString("\n## Step modifiers\n\nA step is a mapping with exactly one step-kind key and these optional keys:\n\n")
	mdFields(&b, modifiers)
	for _, g := range helpGroups() {
		fmt.Fprintf(&b, "\n## %s\n", g.title)
		for _, k := range g.kinds {
			fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", k.Name, k.Summary)
			fmt.Fprintf(&b, "- returns: %s\n", k.Returns)
			if k.BindsHandle {
				b.WriteString("- as: binds the returned handle\n")
			}
			if len(k.Needs) > 0 {
				fmt.Fprintf(&b, "- needs: %s\n", capList(k.Needs))
			}
			b.WriteString("\n")
			if k.Value != nil {
				fmt.Fprintf(&b, "Value: `%s` — %s\n", k.Value.Type.Name, k.Value.Doc)
				nested := k.Value.Type
				if nested.Elem != nil {
					nested = nested.Elem
				}
				if len(nested.Fields) > 0 {
					fmt.Fprintf(&b, "\nEach `%s`:\n\n", nested.Name)
					mdFields(&b, nested.Fields)
				}
				continue
			}
			mdFields(&b, k.Fields)
			if k.Expect != nil {
				fmt.Fprintf(&b, "\nThe `expect:` modifier (%s):\n\n", k.Expect.Doc)
				mdFields(&b, k.Expect.Fields)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdFields(b *strings.Builder, fields []Field) {
	b.WriteString("| key | type | | meaning |\n|---|---|---|---|\n")
	// A mapping type shared by several fields is described once, under
	// the names of all of them.
	var nested []*Type
	names := map[*Type][]string{}
	for _, f := range fields {
		fmt.Fprintf(b, "| `%s` | `%s` | %s | %s |\n", f.Name, strings.ReplaceAll(f.Type.Name, "|", `\|`), strings.ReplaceAll(fieldNote(f), "|", `\|`), strings.ReplaceAll(f.Doc, "|", `\|`))
		t := f.Type
		if t.Elem != nil {
			t = t.Elem
		}
		if len(t.Fields) > 0 {
			if names[t] == nil {
				nested = append(nested, t)
			}
			names[t] = append(names[t], "`"+f.Name+"`")
		}
	}
	for _, t := range nested {
		fmt.Fprintf(b, "\nKeys of %s:\n\n", strings.Join(names[t], ", "))
		mdFields(b, t.Fields)
	}
}
