package scenario

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// A scenario of a million steps must not hold a million steps' YAML trees:
// the YAML library builds a document's whole tree before handing it over,
// and that tree is several times the file's size. So the decoder reads the
// usual shape of a file, a top-level block mapping whose steps: is a block
// sequence, in parts: the top level with the steps' lines blanked out (the
// skeleton, whose line numbers are the file's), then the steps a batch at a
// time, each batch parsed on its own and its line numbers moved to the
// file's. Columns need no moving: a batch is the file's own lines. A step
// is decoded and handed on as soon as its batch is parsed, and the batch's
// tree is dropped once its steps are decoded.
//
// The parts read the same as the whole whenever each parses: the bytes
// before the steps are the same in both, so steps: is the same key; a line
// that starts the next step or ends the list does so in the whole file too,
// unless a quoted scalar or flow collection runs across it, and then the
// batch holding its start ends inside it and does not parse. Every file
// the parts do not take, and every problem, goes to the whole-tree decoder
// (decodeTree), so that messages and positions are the ones it gives.

// streamBatchBytes is about how much of the steps' text one batch parses.
// Tests set it to 1, a batch for every step.
var streamBatchBytes = 16 << 10

// stepsSplit locates the steps of a file in the shape the parts take.
type stepsSplit struct {
	keyLine    int // the line of the top-level steps: key
	start, end int // the byte range of the steps' lines
	startLine  int // the line at start
	indent     int // the column of each step's "-", from 0
}

// lineEnd returns the index just past the line that starts at i (past its
// '\n', or len(data)).
func lineEnd(data []byte, i int) int {
	if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(data)
}

// lineShape describes the line data[i:e]: its indentation in spaces, and
// whether it holds nothing but spaces, a carriage return or a comment.
func lineShape(line []byte) (indent int, blank bool) {
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	rest := line[indent:]
	blank = len(rest) == 0 || rest[0] == '\n' || rest[0] == '#' || (rest[0] == '\r' && (len(rest) == 1 || rest[1] == '\n'))
	return indent, blank
}

// isItemAt reports whether line starts a sequence item at column indent:
// "-" there, then a space or the line's end.
func isItemAt(line []byte, indent int) bool {
	if len(line) <= indent || line[indent] != '-' {
		return false
	}
	if len(line) == indent+1 {
		return true
	}
	switch line[indent+1] {
	case ' ', '\n', '\r':
		return true
	}
	return false
}

// isStepsKey reports whether line is "steps:" at column 0 with nothing after
// it but spaces and a comment.
func isStepsKey(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("steps:"))
	if !ok {
		return false
	}
	rest = bytes.TrimRight(rest, "\r\n")
	trimmed := bytes.TrimLeft(rest, " ")
	return len(trimmed) == 0 || (trimmed[0] == '#' && len(trimmed) < len(rest))
}

// splitSteps finds the steps of data in the shape the parts take; ok is
// false for any other file.
func splitSteps(data []byte) (sp stepsSplit, ok bool) {
	line := 1
	for i := 0; i < len(data); line++ {
		e := lineEnd(data, i)
		if isStepsKey(data[i:e]) {
			if sp.keyLine != 0 {
				return stepsSplit{}, false // written twice: the tree decoder says so
			}
			sp.keyLine, sp.start, sp.startLine = line, e, line+1
		}
		i = e
	}
	if sp.keyLine == 0 {
		return stepsSplit{}, false
	}
	sp.indent = -1
	i := sp.start
	for i < len(data) {
		e := lineEnd(data, i)
		indent, blank := lineShape(data[i:e])
		switch {
		case blank:
		case sp.indent < 0 && isItemAt(data[i:e], indent):
			sp.indent = indent
		case sp.indent < 0:
			return stepsSplit{}, false // not a block sequence
		case indent > sp.indent || (indent == sp.indent && isItemAt(data[i:e], indent)):
		default:
			sp.end = i
			return sp, true
		}
		i = e
	}
	if sp.indent < 0 {
		return stepsSplit{}, false
	}
	sp.end = len(data)
	return sp, true
}

// skeleton is data with the steps' lines emptied, line for line.
func (sp stepsSplit) skeleton(data []byte) []byte {
	lines := bytes.Count(data[sp.start:sp.end], []byte("\n"))
	out := make([]byte, 0, sp.start+lines+len(data)-sp.end)
	out = append(out, data[:sp.start]...)
	out = append(out, bytes.Repeat([]byte("\n"), lines)...)
	return append(out, data[sp.end:]...)
}

// batches calls each with the steps' lines a batch at a time: whole steps,
// about streamBatchBytes of them, and the file's line the batch starts at.
// It stops when each returns false.
func (sp stepsSplit) batches(data []byte, each func(text []byte, firstLine int) bool) {
	from, fromLine, line := sp.start, sp.startLine, sp.startLine
	for i := sp.start; i < sp.end; line++ {
		e := lineEnd(data, i)
		if i-from >= streamBatchBytes && isItemAt(data[i:e], sp.indent) {
			if !each(data[from:i], fromLine) {
				return
			}
			from, fromLine = i, line
		}
		i = e
	}
	each(data[from:sp.end], fromLine)
}

// moveLines adds by to the line of n and of every node under it.
func moveLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		moveLines(c, by)
	}
}

// parseBatch parses one batch of steps into the sequence of their nodes,
// placed at the file's lines; ok is false when the batch is not such a
// sequence on its own.
func parseBatch(text []byte, firstLine, indent int) (items []*yaml.Node, ok bool) {
	root, err := parseYAML(text)
	if err != nil || root == nil || root.Kind != yaml.SequenceNode || root.Column != indent+1 {
		return nil, false
	}
	for _, it := range root.Content {
		moveLines(it, firstLine-1)
	}
	return root.Content, true
}

// stepsKeyOf returns the value of the top-level steps: key in the skeleton
// root, when it is the key at line keyLine, column 1, left empty by the
// blanking; nil otherwise.
func stepsKeyOf(root *yaml.Node, keyLine int) *yaml.Node {
	if root.Kind != yaml.MappingNode {
		return nil
	}
	var found *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != "steps" {
			continue
		}
		if found != nil || k.Line != keyLine || k.Column != 1 || !isNull(v) || v.Value != "" || v.Style != 0 {
			return nil
		}
		found = v
	}
	return found
}

// streamHooks receive a scenario as it is decoded: begin once its top level
// is (Steps still nil), then each of its top-level steps in order; reset
// when what they were given is void (the decoding starts over).
type streamHooks struct {
	begin func(s *Scenario)
	each  func(st *Step)
	reset func()
}

// decodeStream decodes data in parts, calling h as it goes. ok is false,
// with h reset if it was begun, when the file is not in the shape the parts
// take or has a problem: then decodeTree decodes it.
func decodeStream(name string, data []byte, env *Env, h streamHooks) (s *Scenario, ok bool) {
	sp, ok := splitSteps(data)
	if !ok {
		return nil, false
	}
	root, err := parseYAML(sp.skeleton(data))
	if err != nil || root == nil {
		return nil, false
	}
	stepsNode := stepsKeyOf(root, sp.keyLine)
	d := newDecoder(name, env)
	if stepsNode == nil || !d.checkTree(root, 0) {
		return nil, false
	}
	d.deferred = stepsNode
	s, ok = d.top(root)
	if !ok {
		return nil, false
	}
	begun := false
	defer func() {
		if !ok && begun && h.reset != nil {
			h.reset()
		}
	}()
	if h.begin != nil {
		h.begin(s)
	}
	begun = true
	sc := newSetup()
	var last *Step
	sp.batches(data, func(text []byte, firstLine int) bool {
		items, good := parseBatch(text, firstLine, sp.indent)
		if !good {
			ok = false
			return false
		}
		for _, it := range items {
			if !d.checkTree(it, 2) {
				ok = false
				return false
			}
			st, good := d.step(it)
			if !good || len(d.errs) > 0 {
				ok = false
				return false
			}
			if sc.walk(d, []*Step{st}, true); len(d.errs) > 0 {
				ok = false
				return false
			}
			s.stepCount++
			last = st
			if h.each != nil {
				h.each(st)
			}
		}
		return true
	})
	if !ok || last == nil {
		ok = false
		return nil, false
	}
	s.last = last
	s.observed = d.observed
	s.needs = d.needs
	s.needsAt = d.needsAt
	return s, true
}
