package tui

import (
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// How the text box is drawn. Its styles are the textarea's (styles.go
// sets them up as textarea.Styles), turned once per theme into the escape
// sequences that open and close each, so drawing a row is joining
// strings: no lipgloss per key press.

// paint is a style as the sequences before and after the text it styles.
type paint struct{ on, off string }

// paintOf turns a lipgloss style of colours and attributes into a paint.
func paintOf(s lipgloss.Style) paint {
	const mark = "x"
	r := s.Render(mark)
	i := strings.Index(r, mark)
	if i < 0 {
		return paint{}
	}
	return paint{on: r[:i], off: r[i+len(mark):]}
}

func (p paint) write(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	b.WriteString(p.on)
	b.WriteString(s)
	b.WriteString(p.off)
}

// boxPaints are the text box's styles, focused and blurred: the text,
// the line with the cursor, the cursor's cell and the placeholder.
type boxPaints struct {
	text, line, cursor, placeholder [2]paint // [focused], [blurred]
}

const (
	focusedPaint = 0
	blurredPaint = 1
)

// newBoxPaints takes the textarea's styles as the textarea applies them
// (each on its base style).
func newBoxPaints(s textarea.Styles) boxPaints {
	var p boxPaints
	for i, st := range []textarea.StyleState{s.Focused, s.Blurred} {
		p.text[i] = paintOf(st.Text.Inherit(st.Base))
		p.line[i] = paintOf(st.CursorLine.Inherit(st.Base))
		p.placeholder[i] = paintOf(st.Placeholder.Inherit(st.Base))
	}
	p.cursor[focusedPaint] = paintOf(lipgloss.NewStyle().Foreground(s.Cursor.Color).Reverse(true))
	p.cursor[blurredPaint] = p.line[blurredPaint] // a blurred box shows no cursor
	return p
}

// rows draws the rows in sight, each exactly width cells; an empty box
// shows placeholder with the cursor on its first letter.
func (b *textBox) rows(p *boxPaints, placeholder string) []string {
	k := blurredPaint
	if b.focused {
		k = focusedPaint
	}
	if b.empty() {
		return b.placeholderRows(p, k, placeholder)
	}
	out := make([]string, 0, b.height)
	at := 0 // rows of the lines before line i
	for i := 0; i < len(b.lines) && len(out) < b.height; i++ {
		rows := b.wrap(i)
		if at+len(rows) <= b.top {
			at += len(rows)
			continue
		}
		cr, cc := -1, 0
		if i == b.row {
			cr, cc = b.cursorRow()
		}
		for r, span := range rows {
			if at+r < b.top || len(out) == b.height {
				continue
			}
			if r == cr {
				out = append(out, b.drawRow(p, k, i, span, r == len(rows)-1, cc))
			} else {
				out = append(out, b.drawRow(p, k, i, span, r == len(rows)-1, -1))
			}
		}
		at += len(rows)
	}
	blank := strings.Repeat(" ", b.width)
	for len(out) < b.height {
		out = append(out, blank)
	}
	return out
}

// drawRow draws one row of line i, with the cursor on its cluster at
// cursor (-1: not on this row). The cursor's line is in the line style,
// the others in the text style; a space of any kind is drawn as " ".
func (b *textBox) drawRow(p *boxPaints, k, i int, span rowSpan, last bool, cursor int) string {
	style := p.text[k]
	if i == b.row {
		style = p.line[k]
	}
	line := b.lines[i][span.start:span.end]
	var s strings.Builder
	s.Grow(b.width + 64)
	run := func(cs []cluster) {
		if len(cs) == 0 {
			return
		}
		s.WriteString(style.on)
		for _, c := range cs {
			if isSpace(c) {
				s.WriteByte(' ')
			} else {
				s.WriteString(c.s)
			}
		}
		s.WriteString(style.off)
	}
	width := span.width
	switch {
	case cursor < 0:
		run(line)
		if last {
			width-- // the cell after the text is drawn with the padding
		}
	case cursor < len(line):
		run(line[:cursor])
		c := line[cursor]
		if isSpace(c) {
			p.cursor[k].write(&s, " ")
		} else {
			p.cursor[k].write(&s, c.s)
		}
		run(line[cursor+1:])
		if last {
			width--
		}
	default: // at the line's end, on the cell after the text
		run(line)
		p.cursor[k].write(&s, " ")
	}
	if width > b.width { // no room for the cell after a full row
		return ansi.Truncate(s.String(), b.width, "")
	}
	s.WriteString(strings.Repeat(" ", b.width-width))
	return s.String()
}

// placeholderRows is an empty box: the placeholder word-wrapped to the
// rows, faint, with the cursor (focused) on its first letter.
func (b *textBox) placeholderRows(p *boxPaints, k int, placeholder string) []string {
	lines := strings.Split(strings.TrimSpace(ansi.Hardwrap(ansi.Wordwrap(placeholder, b.width, ""), b.width, true)), "\n")
	out := make([]string, b.height)
	for i := range out {
		var s strings.Builder
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		if i == 0 && b.focused && l != "" {
			first, _ := ansi.FirstGraphemeCluster(l, ansi.GraphemeWidth)
			p.cursor[k].write(&s, first)
			p.placeholder[k].write(&s, l[len(first):])
		} else {
			p.placeholder[k].write(&s, l)
		}
		s.WriteString(strings.Repeat(" ", max(b.width-ansi.StringWidth(l), 0)))
		out[i] = s.String()
	}
	return out
}
