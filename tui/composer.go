package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
)

// composerModel is where a message is written. It has explicit focus: only
// while it is focused does it take keys, and then every key except send,
// new line, leave and ctrl+c is text, so a "q" or "?" in a message is just
// a letter. Limits (empty, over 20,000 characters) are the service's to
// enforce; the composer takes whatever is typed or pasted.
//
// The text area behind it (about 150 KB with its caches) is made when the
// composer first gets the focus and dropped when it loses it empty, so a
// session that only reads holds none; until then the composer draws its
// placeholder itself, the way the text area draws it.
type composerModel struct {
	keys  composerKeys
	env   *env            // for the styles of the moment
	ta    *textarea.Model // nil until focused
	width int

	// idle is the box drawn while there is no textarea (the placeholder),
	// kept for the width and theme it was drawn for.
	idle       string
	idleWidth  int
	idleStyles *styles

	// edges is the focused or blurred box's border, drawn once for the
	// width and theme it is for (boxedge.go).
	edges boxEdges
	// drawn is the focused box as last drawn, kept until something is
	// done to the text area (changed is set) or the width or theme
	// changes: View runs after every message, and in meeting mode most
	// (a line arriving, someone typing) leave the composer as it was.
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

func newComposerArea(st *styles, width int) *textarea.Model {
	ta := textarea.New()
	ta.Prompt = ""
	ta.ShowLineNumbers = false
	ta.Placeholder = composerFocusedPlaceholder
	ta.CharLimit = 0
	ta.MaxHeight = 0 // no cap on lines: long messages scroll inside the composer
	ta.KeyMap.InsertNewline.SetEnabled(false)
	// ctrl+v would ask the client's terminal for its clipboard (OSC 52);
	// bracketed paste works without it.
	ta.KeyMap.Paste.SetEnabled(false)
	ta.SetHeight(composerRows)
	ta.SetStyles(st.Composer)
	ta.SetWidth(max(width-2, 10))
	return &ta
}

func (c *composerModel) restyle() {
	c.changed = true
	if c.ta != nil {
		c.ta.SetStyles(c.env.st.Composer)
	}
}

func (c *composerModel) setWidth(w int) {
	c.width = w
	c.changed = true
	if c.ta != nil {
		c.ta.SetWidth(max(w-2, 10))
	}
}

func (c *composerModel) focus() tea.Cmd {
	c.changed = true
	if c.ta == nil {
		c.ta = newComposerArea(c.env.st, c.width)
	}
	return c.ta.Focus()
}

// blur leaves the composer; an empty one lets its text area go.
func (c *composerModel) blur() {
	if c.ta == nil {
		return
	}
	c.changed = true
	c.ta.Blur()
	if c.ta.Value() == "" {
		c.ta = nil
	}
}

func (c *composerModel) focused() bool { return c.ta != nil && c.ta.Focused() }

// take returns the text to send and empties the composer, so what is
// typed while the post is on its way is the next message.
func (c *composerModel) take() string {
	if c.ta == nil {
		return ""
	}
	text := c.ta.Value()
	c.changed = true
	c.ta.Reset()
	return text
}

// value is the text in the composer.
func (c *composerModel) value() string {
	if c.ta == nil {
		return ""
	}
	return c.ta.Value()
}

// restore puts the text of a refused post back, before anything typed
// since.
func (c *composerModel) restore(text string) {
	if c.ta == nil {
		c.ta = newComposerArea(c.env.st, c.width)
	}
	c.changed = true
	if typed := c.ta.Value(); typed != "" {
		text += "\n" + typed
	}
	c.ta.SetValue(text)
}

// update handles a key or paste while focused; send and leave are the
// room's to handle (it checks them first).
func (c *composerModel) update(msg tea.Msg) tea.Cmd {
	if c.ta == nil {
		return nil
	}
	c.changed = true
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, c.keys.Newline) {
		c.ta.InsertRune('\n')
		return nil
	}
	var cmd tea.Cmd
	*c.ta, cmd = c.ta.Update(msg)
	return cmd
}

func (c *composerModel) view(st styles, width int) string {
	frame := st.PaneBlurred
	if c.focused() {
		frame = st.Pane
	}
	if c.ta == nil {
		if c.idleWidth != width || c.idleStyles != c.env.st {
			c.idle = frame.Width(width).Render(c.placeholder(st, width))
			c.idleWidth, c.idleStyles = width, c.env.st
		}
		return c.idle
	}
	if !c.changed && c.drawn != "" && c.drawnWidth == width && c.drawnStyles == c.env.st {
		return c.drawn
	}
	box := c.edges.box(frame, width, c.env.st, c.focused(), c.ta.View())
	if above := c.ta.ScrollYOffset(); above > 0 {
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

// placeholder is what a blurred, empty text area shows: the placeholder
// on the first row, the rest blank.
func (c *composerModel) placeholder(st styles, width int) string {
	rows := make([]string, composerRows)
	rows[0] = st.Composer.Blurred.Placeholder.Render(clip(composerPlaceholder, max(width-2, 10)))
	return strings.Join(rows, "\n")
}
