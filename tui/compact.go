package tui

import "charm.land/lipgloss/v2"

// Forms with running text (sign-up, settings) give up what they can spare
// on a short window — at 60×16, or less while a notice takes rows —
// instead of losing their last lines, which are the way on: first blank
// lines, then the introduction, then the pointers take their short form.

// compaction is how much a form gives up to fit a short window.
type compaction struct {
	tight bool // no blank line on top nor between the fields
	brief bool // no introduction or explanation
	short bool // pointers in their short form
}

// compactions go from the roomiest layout to the most compact.
var compactions = []compaction{{}, {tight: true}, {tight: true, brief: true}, {tight: true, brief: true, short: true}}

// compact draws the roomiest layout that fits height rows; the most
// compact one if none does (the frame then clips it).
func compact(height int, draw func(compaction) string) string {
	var view string
	for _, c := range compactions {
		view = draw(c)
		if lipgloss.Height(view) <= height {
			break
		}
	}
	return view
}

// spacer is a blank line unless the layout is tight.
func (c compaction) spacer() string {
	if c.tight {
		return ""
	}
	return "\n"
}

// longOrShort picks a pointer's form for the layout.
func (c compaction) longOrShort(long, short string) string {
	if c.short {
		return short
	}
	return long
}
