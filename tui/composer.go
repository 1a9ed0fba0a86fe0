package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// composerModel is where a message is written. It has explicit focus: only
// while it is focused does it take keys, and then every key except send,
// new line, leave and ctrl+c is text, so a "q" or "?" in a message is just
// a letter. Limits (empty, over 20,000 characters) are the service's to
// enforce; the composer takes whatever is typed or pasted.
//
// The text box behind it (textbox.go) is made when the composer first
// gets the focus and dropped when it loses it empty, so a session that
// only reads holds none; until then the composer draws its placeholder
// itself.
type composerModel struct {
	keys  composerKeys
	env   *env     // for the styles of the moment
	box   *textBox // nil until focused
	width int

	// idle is the box drawn while there is no text box (the placeholder),
	// kept for the width and theme it was drawn for.
	idle       string
	idleWidth  int
	idleStyles *styles

	// edges is the focused or blurred box's border, drawn once for the
	// width and theme it is for (boxedge.go).
	edges boxEdges
	// drawn is the box as last drawn, kept until something is done to
	// the text (changed is set) or the width or theme changes: View runs
	// after every message, and in meeting mode most (a line arriving,
	// someone typing) leave the composer as it was.
	drawn       string
	drawnWidth  int
	drawnStyles *styles
	changed     bool
}

// composerRows is the number of text rows shown; the border adds two.
const composerRows = 3

// The placeholder says how to start while the composer waits, and how to
// send once it has the focus.
const (
	composerPlaceholder        = "Write a message (i or tab to start, enter to send)"
	composerFocusedPlaceholder = "Type your message: enter sends, alt+enter starts a new line"
)

func newComposer(e *env) composerModel {
	return composerModel{keys: newComposerKeys(), env: e}
}

// boxWidth is the text's width inside a composer width cells wide.
func boxWidth(width int) int { return max(width-2, 10) }

func (c *composerModel) restyle() { c.changed = true }

func (c *composerModel) setWidth(w int) {
	c.width = w
	c.changed = true
	if c.box != nil {
		c.box.setWidth(boxWidth(w))
	}
}

func (c *composerModel) focus() tea.Cmd {
	c.changed = true
	if c.box == nil {
		c.box = newTextBox(boxWidth(c.width), composerRows)
	}
	c.box.focused = true
	return nil
}

// blur leaves the composer; an empty one lets its text box go.
func (c *composerModel) blur() {
	if c.box == nil {
		return
	}
	c.changed = true
	c.box.focused = false
	if c.box.empty() {
		c.box = nil
	}
}

func (c *composerModel) focused() bool { return c.box != nil && c.box.focused }

// take returns the text to send and empties the composer, so what is
// typed while the post is on its way is the next message.
func (c *composerModel) take() string {
	if c.box == nil {
		return ""
	}
	text := c.box.value()
	c.changed = true
	c.box.reset()
	return text
}

// value is the text in the composer.
func (c *composerModel) value() string {
	if c.box == nil {
		return ""
	}
	return c.box.value()
}

// blank reports whether the composer holds no text but spaces: no one
// types.
func (c *composerModel) blank() bool { return c.box == nil || c.box.blank() }

// restore puts the text of a refused post back, before anything typed
// since.
func (c *composerModel) restore(text string) {
	if c.box == nil {
		c.box = newTextBox(boxWidth(c.width), composerRows)
	}
	c.changed = true
	if typed := c.box.value(); typed != "" {
		text += "\n" + typed
	}
	c.box.setValue(text)
}

// update handles a key or paste while focused; send and leave are the
// room's to handle (it checks them first).
func (c *composerModel) update(msg tea.Msg) tea.Cmd {
	if c.box == nil {
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, c.keys.Newline) {
		c.box.insert("\n")
		c.changed = true
		return nil
	}
	if c.box.update(msg) {
		c.changed = true
	}
	return nil
}

func (c *composerModel) view(st *styles, width int) string {
	frame := st.PaneBlurred
	if c.focused() {
		frame = st.Pane
	}
	if c.box == nil {
		if c.idleWidth != width || c.idleStyles != c.env.st {
			c.idle = frame.Width(width).Render(c.placeholder(st, width))
			c.idleWidth, c.idleStyles = width, c.env.st
		}
		return c.idle
	}
	if !c.changed && c.drawn != "" && c.drawnWidth == width && c.drawnStyles == c.env.st {
		return c.drawn
	}
	box := c.edges.rows(frame, width, c.env.st, c.focused(), c.box.rows(&c.env.st.Box, composerFocusedPlaceholder), c.box.width)
	if above := c.box.top; above > 0 {
		box = c.withTopNote(frame, box, moreLines(above), width)
	}
	c.drawn, c.drawnWidth, c.drawnStyles, c.changed = box, width, c.env.st, false
	return box
}

// moreLines says how many lines are out of sight above.
func moreLines(n int) string {
	if n == 1 {
		return "↑ 1 more line"
	}
	return fmt.Sprintf("↑ %d more lines", n)
}

// withTopNote writes a note into the box's top border, where it costs no
// row: the lines of the message scrolled out of the composer above.
func (c *composerModel) withTopNote(frame lipgloss.Style, box, note string, width int) string {
	lines := strings.SplitN(box, "\n", 2)
	if len(lines) < 2 || width < ansi.StringWidth(note)+6 {
		return box
	}
	b := frame.GetBorderStyle()
	top := b.TopLeft + b.Top + " " + note + " " + strings.Repeat(b.Top, width-ansi.StringWidth(note)-5) + b.TopRight
	return lipgloss.NewStyle().Foreground(frame.GetBorderTopForeground()).Render(top) + "\n" + lines[1]
}

// placeholder is what a blurred, empty composer shows: the placeholder
// on the first row, the rest blank.
func (c *composerModel) placeholder(st *styles, width int) string {
	rows := make([]string, composerRows)
	rows[0] = st.Composer.Blurred.Placeholder.Render(clip(composerPlaceholder, max(width-2, 10)))
	return strings.Join(rows, "\n")
}
