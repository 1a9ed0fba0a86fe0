package tui

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// boxEdges draws the composer's box the way lipgloss draws a bordered
// style of a fixed width, without its cost: lipgloss wraps, measures and
// pads every line several times and styles each border character anew,
// which in meeting mode, where the box is drawn after every key press, was
// a seventh of the server's CPU per line (BenchmarkMeetingLine). The
// border's pieces are styled once per width, theme and focus; a line is
// measured once. Content lipgloss would change (a line too wide, a tab,
// a carriage return) goes to lipgloss itself, so the box is always what it
// would draw (TestBoxEdges_DrawsWhatLipglossDraws).
type boxEdges struct {
	width   int
	st      *styles
	focused bool
	top     string
	bottom  string
	left    string
	right   string
}

// box is content inside frame's border, width cells wide in all.
func (e *boxEdges) box(frame lipgloss.Style, width int, st *styles, focused bool, content string) string {
	inner := width - 2
	if inner < 1 || strings.ContainsAny(content, "\t\r") {
		return frame.Width(width).Render(content)
	}
	if e.top == "" || e.width != width || e.st != st || e.focused != focused {
		e.draw(frame, width)
		e.st, e.focused = st, focused
	}
	lines := strings.Split(content, "\n")
	var b strings.Builder
	b.Grow(len(content) + len(lines)*(len(e.left)+len(e.right)+inner) + len(e.top) + len(e.bottom))
	b.WriteString(e.top)
	for _, l := range lines {
		w := ansi.StringWidth(l)
		if w > inner {
			return frame.Width(width).Render(content)
		}
		b.WriteByte('\n')
		b.WriteString(e.left)
		b.WriteString(l)
		b.WriteString(strings.Repeat(" ", inner-w))
		b.WriteString(e.right)
	}
	b.WriteByte('\n')
	b.WriteString(e.bottom)
	return b.String()
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
