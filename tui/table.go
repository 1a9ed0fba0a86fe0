package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Lists (workrooms, jobs, my proposals) are drawn as tables of columns
// from this file, so they look alike: a gap between columns that
// truncation never eats (a cut title ends in "…" and the next column
// starts after the gap), widths measured in cells (emoji and CJK keep
// the columns aligned), one selection style, and a flexible column that
// stops growing at maxFlexWidth, so on a wide window the later columns
// stay next to the title instead of drifting to the far right.
const (
	colGap       = 2  // blank cells between two columns
	maxFlexWidth = 60 // the widest the flexible column (a title) grows
	rowIndent    = 1  // blank cells before the first column
)

// column is one cell of a table row.
type column struct {
	text  string // already inert (oneLine)
	width int    // cells; 0 for the flexible column
	right bool   // right-aligned (counts)
	style lipgloss.Style
	// keep keeps the cell's own colour on a selected row (an unread
	// count stays the unread colour under the selection).
	keep bool
}

// flexWidth is the width of the flexible column in a window of width:
// what the fixed columns and gaps leave, at least 8, at most maxFlexWidth.
func flexWidth(cols []column, width int) int {
	used := rowIndent
	for i, c := range cols {
		used += c.width
		if i > 0 {
			used += colGap
		}
	}
	return min(max(width-used, 8), maxFlexWidth)
}

// tableRow draws one row; selected rows take the one selection style
// across the whole width.
func tableRow(st *styles, cols []column, width int, selected bool) string {
	flex := flexWidth(cols, width)
	pad := lipgloss.NewStyle()
	if selected {
		pad = st.Selected
	}
	var b strings.Builder
	b.WriteString(pad.Render(strings.Repeat(" ", rowIndent)))
	used := rowIndent
	for i, c := range cols {
		if i > 0 {
			b.WriteString(pad.Render(strings.Repeat(" ", colGap)))
			used += colGap
		}
		w := c.width
		if w == 0 {
			w = flex
		}
		text := ansi.Truncate(c.text, w, "…")
		if c.right {
			text = padLeft(text, w)
		} else {
			text = padRight(text, w)
		}
		style := c.style
		if selected {
			style = st.Selected
			if c.keep {
				style = st.Selected.Foreground(c.style.GetForeground())
			}
		}
		b.WriteString(style.Render(text))
		used += w
	}
	if selected && used < width {
		b.WriteString(pad.Render(strings.Repeat(" ", width-used)))
	}
	return b.String()
}

// tableHeader draws the column names in the label style.
func tableHeader(st *styles, cols []column, width int) string {
	for i := range cols {
		cols[i].style = st.Label
	}
	return tableRow(st, cols, width, false)
}
