package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The layout is designed for 80×24 and works down to minWidth×minHeight:
// at 60 columns the room list's columns and the composer still fit, and 16
// rows leave the message history about eight rows between the header, the
// composer and the help bar. Below that the app shows a notice instead of
// a broken layout.
const (
	minWidth  = 60
	minHeight = 16
)

// maxMeasure is the widest that running text (a message, a description,
// a proposal) is set, in cells: lines much longer than this are hard to
// read, so on a wide window text wraps here and the rest stays blank.
const maxMeasure = 100

// clip cuts a (possibly styled) line to width cells. Widths are measured by
// grapheme, so emoji and combining marks count as the terminal shows them.
func clip(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if len(s) <= width { // no cell takes less than a byte: it fits
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// fit makes s exactly height lines of at most width cells: longer lines are
// cut, missing lines are added blank. Every screen's body goes through it,
// so no screen can push the help bar off the window.
func fit(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = clip(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// padLines makes s exactly height lines, cutting those below or adding
// blank ones, without measuring them: for text whose lines are known to
// fit the width.
func padLines(s string, height int) string {
	if height <= 0 {
		return ""
	}
	n := strings.Count(s, "\n") + 1
	if n > height {
		i := 0
		for range height {
			i += strings.IndexByte(s[i:], '\n') + 1
		}
		return s[:i-1]
	}
	return s + strings.Repeat("\n", height-n)
}

// padRight pads a styled string with spaces to width cells (or clips it).
func padRight(s string, width int) string {
	w := ansi.StringWidth(s)
	if w > width {
		return clip(s, width)
	}
	return s + strings.Repeat(" ", width-w)
}

// padLeft right-aligns a styled string in width cells.
func padLeft(s string, width int) string {
	w := ansi.StringWidth(s)
	if w > width {
		return clip(s, width)
	}
	return strings.Repeat(" ", width-w) + s
}

// windowStart returns the first row to show so that the cursor row stays
// visible in a window of rows, scrolling as little as possible from prev.
func windowStart(prev, cursor, rows, total int) int {
	if rows <= 0 {
		return 0
	}
	start := prev
	if cursor < start {
		start = cursor
	}
	if cursor >= start+rows {
		start = cursor - rows + 1
	}
	if maxStart := total - rows; start > maxStart {
		start = max(maxStart, 0)
	}
	return max(start, 0)
}

// fitCache is fit with a memory: the lines of the body as last fitted,
// cut to one width. Bubble Tea asks for a view after every message, and
// from one view to the next most lines are the same strings (a pane keeps
// what it drew), so only the lines that changed are measured again; in
// meeting mode measuring every line was a tenth of the server's CPU per
// line (BenchmarkMeetingLine).
type fitCache struct {
	width   int
	in, out []string
}

// fit is fit(s, width, height), reusing the cut of any line that is the
// same as the line at its place last time.
func (c *fitCache) fit(s string, width, height int) string {
	return strings.Join(c.rows(s, width, height), "\n")
}

// rows is fit's lines, not joined.
func (c *fitCache) rows(s string, width, height int) []string {
	if height <= 0 {
		return nil
	}
	if c.width != width {
		c.in, c.out, c.width = nil, nil, width
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	in := make([]string, len(lines))
	copy(in, lines)
	for i, l := range lines {
		if i < len(c.in) && c.in[i] == l {
			lines[i] = c.out[i]
			continue
		}
		lines[i] = clip(l, width)
	}
	c.in, c.out = in, lines[:len(lines):len(lines)]
	for len(lines) < height {
		lines = append(lines, "")
	}
	return lines
}
