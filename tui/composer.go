package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
)

// composerModel is where a message is written. It has explicit focus: only
// while it is focused does it take keys, and then every key except send,
// new line, leave and ctrl+c is text, so a "q" or "?" in a message is just
// a letter. Limits (empty, over 20,000 characters) are the service's to
// enforce; the composer takes whatever is typed or pasted.
type composerModel struct {
	keys composerKeys
	ta   textarea.Model
}

// composerRows is the number of text rows shown; the border adds two.
const composerRows = 3

func newComposer() composerModel {
	ta := textarea.New()
	ta.Prompt = ""
	ta.ShowLineNumbers = false
	ta.Placeholder = "Write a message (i or tab to start, enter to send)"
	ta.CharLimit = 0
	ta.MaxHeight = 0 // no cap on lines: long messages scroll inside the composer
	ta.KeyMap.InsertNewline.SetEnabled(false)
	// ctrl+v would ask the client's terminal for its clipboard (OSC 52);
	// bracketed paste works without it.
	ta.KeyMap.Paste.SetEnabled(false)
	ta.SetHeight(composerRows)
	return composerModel{keys: newComposerKeys(), ta: ta}
}

func (c *composerModel) setStyles(st styles) { c.ta.SetStyles(st.Composer) }

func (c *composerModel) setWidth(w int) { c.ta.SetWidth(max(w-2, 10)) }

func (c *composerModel) focus() tea.Cmd { return c.ta.Focus() }

func (c *composerModel) blur() { c.ta.Blur() }

func (c composerModel) focused() bool { return c.ta.Focused() }

func (c composerModel) value() string { return c.ta.Value() }

func (c *composerModel) reset() { c.ta.Reset() }

// update handles a key or paste while focused; send and leave are the
// room's to handle (it checks them first).
func (c composerModel) update(msg tea.Msg) (composerModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, c.keys.Newline) {
		c.ta.InsertRune('\n')
		return c, nil
	}
	var cmd tea.Cmd
	c.ta, cmd = c.ta.Update(msg)
	return c, cmd
}

func (c composerModel) view(st styles, width int) string {
	frame := st.PaneBlurred
	if c.focused() {
		frame = st.Pane
	}
	return frame.Width(width).Render(c.ta.View())
}
