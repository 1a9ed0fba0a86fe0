package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// peoplePane is a workroom's People, opened from the room with p: each
// member with their role and where they are — here (in this workroom
// now), online (connected, looking elsewhere) or away, with when they
// were last seen in the viewer's time zone. Presence events change a row
// as they come, without reading anything; the rows keep the store's order
// (client first), so nobody's row jumps when someone comes and goes. The
// session stays present in the room while this pane is on top of it.
type peoplePane struct {
	paneBase
	sess   *session
	keys   peopleKeys
	id     workroom.RoomID
	title  string
	people []workroom.MemberPresence
	loaded bool

	offset, rows int
}

// peopleLoadedMsg brings the room's members and where they are.
type peopleLoadedMsg struct {
	title  string
	people []workroom.MemberPresence
	err    error
}

func newPeople(e *env, id workroom.RoomID) (pane, tea.Cmd, error) {
	m := &peoplePane{paneBase: e.newBase(), sess: e.sess, keys: newPeopleKeys(), id: id}
	return m, m.load(), nil
}

func (m *peoplePane) load() tea.Cmd {
	svc, ctx, log, uid, id := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.id
	return m.do(func() tea.Msg {
		info, err := svc.Room(ctx, id)
		if err != nil {
			logFailure(log, "room", uid, err)
			return peopleLoadedMsg{err: err}
		}
		people, err := svc.Presence(ctx, id)
		logFailure(log, "presence", uid, err)
		return peopleLoadedMsg{title: info.Title, people: people, err: err}
	})
}

// Reload reads the members afresh (events were dropped).
func (m *peoplePane) Reload() tea.Cmd { return m.load() }

// Event applies a presence change in this room to the member's row.
func (m *peoplePane) Event(ev workroom.Event) tea.Cmd {
	if ev.Kind != workroom.EventPresence || ev.RoomID != m.id || ev.Presence == nil {
		return nil
	}
	for i := range m.people {
		p := &m.people[i]
		if p.UserID != ev.Presence.UserID {
			continue
		}
		p.State, p.LastSeen = ev.Presence.State, ev.Presence.LastSeen
		return nil
	}
	return m.load() // someone new: a member added since the list was read
}

func (m *peoplePane) Typing() bool      { return false }
func (m *peoplePane) Keys() help.KeyMap { return m.keys }

func (m *peoplePane) Title() string {
	if !m.loaded {
		return fmt.Sprintf("#%d · people", m.id)
	}
	return fmt.Sprintf("#%d %s · people", m.id, oneLine(m.title))
}

func (m *peoplePane) Resize(_, height int) {
	m.rows = max(height-1, 1) // a column header, then the rows
	m.scroll(0)
}

// scroll moves the rows shown by d, keeping the window full.
func (m *peoplePane) scroll(d int) {
	m.offset = max(min(m.offset+d, len(m.people)-m.rows), 0)
}

func (m *peoplePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case peopleLoadedMsg:
		if msg.err != nil {
			// No such workroom any more (removed meanwhile): the list says so.
			return toList(errorNotice(msg.err), nil)
		}
		m.title, m.people, m.loaded = msg.title, msg.people, true
		m.scroll(0)
	case tea.KeyPressMsg:
		if d, ok := m.keys.step(msg, m.rows); ok {
			m.scroll(d)
			return nil
		}
		switch {
		case key.Matches(msg, m.keys.Refresh):
			return m.load()
		case key.Matches(msg, m.keys.Back):
			return closePaneCmd(notice{})
		}
	}
	return nil
}

// Column widths; the name takes what is left.
const (
	colPeopleRole  = 10 // "freelancer"
	colPeopleState = 6  // "online"
)

func (m *peoplePane) columns(st styles, name, role, state, seen string) []column {
	return []column{
		{text: name, style: st.Text},
		{text: role, width: colPeopleRole, style: st.Subtle},
		{text: state, width: colPeopleState, style: st.Subtle},
		{text: seen, width: colPropSent + len("last seen "), style: st.Subtle},
	}
}

func (m *peoplePane) View(width, height int) string {
	st := *m.env.st
	var b strings.Builder
	b.WriteString(tableHeader(st, m.columns(st, "NAME", "ROLE", "STATE", ""), width) + "\n")
	if !m.loaded {
		b.WriteString(st.Subtle.Render(" reading who is here…"))
	}
	for i := m.offset; i < len(m.people) && i < m.offset+m.rows; i++ {
		p := m.people[i]
		name := oneLine(p.Name)
		if p.UserID == m.sess.user.ID {
			name += " (you)"
		}
		cols := m.columns(st, name, fmt.Sprint(p.Role), string(p.State), m.seen(p))
		switch p.State {
		case workroom.PresenceHere:
			cols[2].style = st.OK
		case workroom.PresenceOnline:
			cols[2].style = st.Text
		}
		b.WriteString(tableRow(st, cols, width, false) + "\n")
	}
	return b.String()
}

// seen says when an away member was last seen, in the viewer's zone.
func (m *peoplePane) seen(p workroom.MemberPresence) string {
	switch {
	case p.State != workroom.PresenceAway:
		return ""
	case p.LastSeen.IsZero():
		return "not seen yet"
	}
	return "last seen " + m.sess.when(p.LastSeen)
}

// peopleKeys are the People pane's keys.
type peopleKeys struct {
	nav
	Refresh, Back key.Binding
}

func newPeopleKeys() peopleKeys {
	return peopleKeys{
		nav:     newNav(),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Back:    key.NewBinding(key.WithKeys("esc", "p"), key.WithHelp("esc", "back to the messages")),
	}
}

func (k peopleKeys) ShortHelp() []key.Binding { return []key.Binding{k.Back, k.Down, k.Up} }

func (k peopleKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Refresh, k.Back}}
}
