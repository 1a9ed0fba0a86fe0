package tui

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// boxEdges draws the composer's box the way lipgloss draws a bordered
// style of a fixed width, without its cost: lipgloss wraps, measures and
// pads every line several times and styles each border character anew,
// which in meeting mode, where the box is drawn after every key press, was
// a seventh of the server's CPU per line (BenchmarkMeetingLine). The
// border's pieces are styled once per width, theme and focus, and the
// text box's rows, known to be as wide as the inside, are not measured.
// Rows of another width go to lipgloss itself, so the box is always what
// it would draw (TestBoxEdges_DrawsWhatLipglossDraws).
type boxEdges struct {
	width   int
	st      *styles
	focused bool
	top     string
	bottom  string
	left    string
	right   string
}

// draw styles the border's pieces for a box width cells wide.
func (e *boxEdges) draw(frame lipgloss.Style, width int) {
	b := frame.GetBorderStyle()
	paint := func(s string, fg color.Color) string { return lipgloss.NewStyle().Foreground(fg).Render(s) }
	e.width = width
	e.top = paint(b.TopLeft+strings.Repeat(b.Top, width-2)+b.TopRight, frame.GetBorderTopForeground())
	e.bottom = paint(b.BottomLeft+strings.Repeat(b.Bottom, width-2)+b.BottomRight, frame.GetBorderBottomForeground())
	e.left = paint(b.Left, frame.GetBorderLeftForeground())
	e.right = paint(b.Right, frame.GetBorderRightForeground())
}

// rows is rows, each known to be rowWidth cells wide (the text box's),
// inside frame's border: nothing is measured. Rows that do not fit
// exactly go to lipgloss.
func (e *boxEdges) rows(frame lipgloss.Style, width int, st *styles, focused bool, rows []string, rowWidth int) string {
	if width-2 < 1 || rowWidth != width-2 {
		return frame.Width(width).Render(strings.Join(rows, "\n"))
	}
	if e.top == "" || e.width != width || e.st != st || e.focused != focused {
		e.draw(frame, width)
		e.st, e.focused = st, focused
	}
	n := len(e.top) + len(e.bottom) + len(rows)*(len(e.left)+len(e.right)+1)
	for _, r := range rows {
		n += len(r)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(e.top)
	for _, r := range rows {
		b.WriteByte('\n')
		b.WriteString(e.left)
		b.WriteString(r)
		b.WriteString(e.right)
	}
	b.WriteByte('\n')
	b.WriteString(e.bottom)
	return b.String()
}
