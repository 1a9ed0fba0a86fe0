package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// attachPicker chooses files of the room for the message being written,
// opened from the composer with ctrl+o. A message carries at most
// workroom.MaxAttachments files, each at the version that is latest when
// it is posted; the picker says so rather than choose more. Enter gives
// the choice back to the room, which shows it under the composer and
// sends it with the next message; esc leaves the choice as it was.
type attachPicker struct {
	paneBase
	sess   *session
	keys   attachKeys
	id     workroom.RoomID
	area   *fileArea
	chosen []string // in the order chosen

	cursor, offset, rows int
}

// attachChosenMsg gives the room the files chosen for its next message.
type attachChosenMsg struct{ paths []string }

func newAttachPicker(e *env, id workroom.RoomID, chosen []string) (pane, tea.Cmd, error) {
	m := &attachPicker{paneBase: e.newBase(), sess: e.sess, keys: newAttachKeys(), id: id, chosen: slices.Clone(chosen)}
	return m, m.load(), nil
}

func (m *attachPicker) load() tea.Cmd {
	svc, ctx, log, uid, id := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.id
	return m.do(func() tea.Msg {
		a, err := readFileArea(ctx, svc, id)
		logFailure(log, "files", uid, err)
		return filesLoadedMsg{area: a, err: err}
	})
}

func (m *attachPicker) Typing() bool      { return false }
func (m *attachPicker) Keys() help.KeyMap { return m.keys }
func (m *attachPicker) Title() string {
	return fmt.Sprintf("#%d · attach files (%d of at most %d)", m.id, len(m.chosen), workroom.MaxAttachments)
}

func (m *attachPicker) Resize(_, height int) {
	m.rows = max(height-1, 1)
	m.scroll()
}

func (m *attachPicker) count() int {
	if m.area == nil {
		return 0
	}
	return len(m.area.files)
}

func (m *attachPicker) scroll() {
	m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
}

func (m *attachPicker) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case filesLoadedMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.area = msg.area
		m.cursor = min(m.cursor, max(m.count()-1, 0))
		m.scroll()
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *attachPicker) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		return closePaneCmd(notice{})
	case key.Matches(msg, m.keys.Done):
		return send(closeMsg{msg: attachChosenMsg{paths: m.chosen}})
	case key.Matches(msg, m.keys.Toggle): // before nav: space pages there
		m.toggle()
		return nil
	}
	if d, ok := m.keys.step(msg, m.rows); ok {
		m.cursor = max(min(m.cursor+d, m.count()-1), 0)
		m.scroll()
	}
	return nil
}

// toggle chooses the file under the cursor, or lets it go.
func (m *attachPicker) toggle() {
	if m.cursor >= m.count() {
		return
	}
	p := m.area.files[m.cursor].Path
	if i := slices.Index(m.chosen, p); i >= 0 {
		m.chosen = slices.Delete(m.chosen, i, i+1)
		m.notice = notice{}
		return
	}
	if len(m.chosen) >= workroom.MaxAttachments {
		m.notice = notice{text: fmt.Sprintf("A message carries at most %d files; unselect one first, or send the rest with the next message.", workroom.MaxAttachments), kind: noticeError}
		return
	}
	m.chosen = append(m.chosen, p)
}

func (m *attachPicker) View(width, height int) string {
	st := m.env.st
	if m.area == nil {
		return st.Subtle.Render("  reading the files…")
	}
	if m.count() == 0 {
		return st.Subtle.Render("  No files in this workroom yet. Upload one first: the Files view (f) shows how.")
	}
	var b strings.Builder
	b.WriteString(st.Subtle.Render(fmt.Sprintf("  Choose up to %d files to attach, each at its latest version.", workroom.MaxAttachments)))
	for i := m.offset; i < m.count() && i < m.offset+m.rows; i++ {
		f := &m.area.files[i]
		box := "[ ] "
		if slices.Contains(m.chosen, f.Path) {
			box = "[x] "
		}
		v := f.Latest()
		detail := fmt.Sprintf("v%d · %s", v.N, workroom.FormatSize(v.Size))
		line := "  " + box + padRight(oneLine(f.Path), max(width-8-len(detail)-2, 10)) + "  " + detail
		b.WriteByte('\n')
		if i == m.cursor {
			b.WriteString(st.Selected.Render(padRight(line, width)))
		} else {
			b.WriteString(st.Text.Render(line))
		}
	}
	return b.String()
}

// attachKeys are the picker's keys.
type attachKeys struct {
	nav
	Toggle, Done, Cancel key.Binding
}

func newAttachKeys() attachKeys {
	return attachKeys{
		nav:    newNav(),
		Toggle: key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "choose")),
		Done:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "attach")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k attachKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.Done, k.Down, k.Up, k.Cancel}
}

func (k attachKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Toggle, k.Done, k.Cancel}}
}

// The room shows the files chosen for the next message on one line
// under the composer.

// attachedRows is the height of that line: none when nothing is chosen.
func attachedRows(paths []string) int {
	if len(paths) == 0 {
		return 0
	}
	return 1
}

func attachedView(st *styles, paths []string, width int) string {
	if len(paths) == 0 {
		return ""
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = oneLine(p)
	}
	return "\n" + clip(st.Label.Render(fmt.Sprintf(" attached (%d): ", len(paths)))+st.Text.Render(strings.Join(names, ", ")), width)
}

// mergeAttached puts the files of a refused post back in front of those
// chosen since, each once (past MaxAttachments the next post is refused,
// saying so).
func mergeAttached(back, since []string) []string {
	out := slices.Clone(back)
	for _, p := range since {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// attachmentLine is how the room shows a file a message carries, under
// its body: the path, the version it was posted at, its size.
func attachmentLine(a workroom.Attachment) string {
	return fmt.Sprintf("  ↳ %s · v%d · %s", oneLine(a.Path), a.Version.N, workroom.FormatSize(a.Version.Size))
}
