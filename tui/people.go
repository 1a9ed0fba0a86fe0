package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
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
	// role is the viewer's; invites are the pending invitations, which
	// only the client is shown (peopleedit.go).
	role    workroom.Role
	invites []workroom.Invitation
	// address is the workroom's mail address, shown in the line kept for
	// editing while nothing is edited.
	address string

	cursor, offset, rows int
	mode                 peopleMode
	input                textinput.Model
	email                string // the address being invited
}

// peopleLoadedMsg brings the room's members and where they are.
type peopleLoadedMsg struct {
	title   string
	address string
	role    workroom.Role
	people  []workroom.MemberPresence
	invites []workroom.Invitation
	err     error
}

func newPeople(e *env, id workroom.RoomID) (pane, tea.Cmd, error) {
	m := &peoplePane{paneBase: e.newBase(), sess: e.sess, keys: newPeopleKeys(), id: id, input: newPeopleInput()}
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
		if err != nil || info.Role != workroom.RoleClient {
			return peopleLoadedMsg{title: info.Title, address: info.Email, role: info.Role, people: people, err: err}
		}
		invites, err := svc.Invitations(ctx, id)
		logFailure(log, "invitations", uid, err)
		return peopleLoadedMsg{title: info.Title, address: info.Email, role: info.Role, people: people, invites: invites, err: err}
	})
}

// Reload reads the members afresh (events were dropped).
func (m *peoplePane) Reload() tea.Cmd { return m.load() }

// Event applies a presence change in this room to the member's row, and
// reads the people again when they changed (someone invited or removed).
func (m *peoplePane) Event(ev workroom.Event) tea.Cmd {
	if ev.Kind == workroom.EventMembers && ev.RoomID == m.id {
		return m.load()
	}
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

// Typing: the address field or a question has the keys.
func (m *peoplePane) Typing() bool { return m.mode != peopleBrowse }

// Keys offers inviting and removing to the client only, and removing
// only on a row that can be removed.
func (m *peoplePane) Keys() help.KeyMap {
	if m.mode != peopleBrowse {
		return m.editKeys()
	}
	row, ok := m.current()
	m.keys.Invite.SetEnabled(m.role == workroom.RoleClient)
	m.keys.Remove.SetEnabled(m.role == workroom.RoleClient && ok && row.removable())
	return m.keys
}

// Restyle gives the address field the styles again.
func (m *peoplePane) Restyle() { m.input.SetStyles(m.env.st.Input) }

func (m *peoplePane) Title() string {
	if !m.loaded {
		return fmt.Sprintf("#%d · people", m.id)
	}
	return fmt.Sprintf("#%d %s · people", m.id, oneLine(m.title))
}

func (m *peoplePane) Resize(width, height int) {
	m.rows = max(height-2, 1) // a column header, the rows, a line to edit in
	m.input.SetWidth(max(width-len("Invite (email): ")-3, 10))
	m.scroll(0)
}

// scroll moves the cursor by d and keeps it in the window.
func (m *peoplePane) scroll(d int) {
	n := len(m.people) + len(m.invites)
	m.cursor = max(min(m.cursor+d, n-1), 0)
	m.offset = windowStart(m.offset, m.cursor, m.rows, n)
}

func (m *peoplePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case peopleLoadedMsg:
		if msg.err != nil {
			// No such workroom any more (removed meanwhile): the list says so.
			return toList(errorNotice(msg.err), nil)
		}
		m.title, m.address, m.role, m.people, m.invites, m.loaded = msg.title, msg.address, msg.role, msg.people, msg.invites, true
		m.scroll(0)
	case peopleSavedMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.notice = okNotice(msg.done)
		return m.load()
	case tea.KeyPressMsg:
		if m.mode != peopleBrowse {
			return m.editKey(msg)
		}
		if d, ok := m.keys.step(msg, m.rows); ok {
			m.scroll(d)
			return nil
		}
		m.Keys() // the bindings as the help bar shows them
		switch {
		case key.Matches(msg, m.keys.Invite):
			return m.startInvite()
		case key.Matches(msg, m.keys.Remove):
			m.mode = peopleConfirmRemove
			return nil
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
	colPeopleState = 7  // "invited"
)

func (m *peoplePane) columns(st *styles, name, role, state, seen string) []column {
	return []column{
		{text: name, style: st.Text},
		{text: role, width: colPeopleRole, style: st.Subtle},
		{text: state, width: colPeopleState, style: st.Subtle},
		{text: seen, width: colPropSent + len("last seen "), style: st.Subtle},
	}
}

func (m *peoplePane) View(width, height int) string {
	st := m.env.st
	var b strings.Builder
	b.WriteString(tableHeader(st, m.columns(st, "NAME", "ROLE", "STATE", ""), width) + "\n")
	if !m.loaded {
		b.WriteString(st.Subtle.Render(" reading who is here…"))
	}
	rows := m.rowsShown()
	for i := m.offset; i < len(rows) && i < m.offset+m.rows; i++ {
		b.WriteString(tableRow(st, m.rowColumns(st, rows[i]), width, i == m.cursor && m.loaded) + "\n")
	}
	if line := m.editLine(); line != "" {
		b.WriteString(line)
	} else if m.address != "" {
		b.WriteString(st.Subtle.Render(" Post here by mail, from your verified address: ") + st.Key.Render(oneLine(m.address)))
	}
	return b.String()
}

// rowColumns are a member's columns, or a pending invitation's.
func (m *peoplePane) rowColumns(st *styles, r peopleRow) []column {
	if r.invite != nil {
		return m.columns(st, r.invite.Email, r.invite.Role.Noun(), "invited", "not signed up yet")
	}
	p := *r.member
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
	return cols
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
	Refresh, Back                 key.Binding
	Invite, Remove                key.Binding // the client's (peopleedit.go)
	Save, Cancel, AsTeam, AsGuest key.Binding
	Confirm, Deny                 key.Binding
}

func newPeopleKeys() peopleKeys {
	return peopleKeys{
		nav:     newNav(),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Back:    key.NewBinding(key.WithKeys("esc", "p"), key.WithHelp("esc", "back to the messages")),
		Invite:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "invite by email")),
		Remove:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove / cancel invitation")),
		Save:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		AsTeam:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "team member")),
		AsGuest: key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "guest")),
		Confirm: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, remove")),
		Deny:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
	}
}

func (k peopleKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Back, k.Down, k.Up, k.Invite, k.Remove}
}

func (k peopleKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Invite, k.Remove}, {k.Refresh, k.Back}}
}
