package tui

import (
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// The client manages people from the People pane: a invites (an address,
// then t for a team member or g for a guest), x removes the team member
// or guest under the cursor, or cancels the pending invitation there,
// after a y. Invitations not yet accepted are listed under the members,
// for the client only. The keys are offered to the client alone; the
// service decides either way.

// peopleMode is what the pane is doing: browsing, or taking an invitation
// or a removal through its steps.
type peopleMode int

const (
	peopleBrowse peopleMode = iota
	peopleInviteEmail
	peopleInviteRole
	peopleConfirmRemove
)

// peopleSavedMsg is the outcome of an invitation or a removal.
type peopleSavedMsg struct {
	done string
	err  error
}

// row is one line of the pane: a member, or a pending invitation.
type peopleRow struct {
	member *workroom.MemberPresence
	invite *workroom.Invitation
}

func (m *peoplePane) rowsShown() []peopleRow {
	out := make([]peopleRow, 0, len(m.people)+len(m.invites))
	for i := range m.people {
		out = append(out, peopleRow{member: &m.people[i]})
	}
	for i := range m.invites {
		out = append(out, peopleRow{invite: &m.invites[i]})
	}
	return out
}

// current is the row under the cursor.
func (m *peoplePane) current() (peopleRow, bool) {
	rows := m.rowsShown()
	if m.cursor < 0 || m.cursor >= len(rows) {
		return peopleRow{}, false
	}
	return rows[m.cursor], true
}

// removable reports whether the row is someone the client can take out.
func (r peopleRow) removable() bool {
	return r.invite != nil || r.member != nil && (r.member.Role == workroom.RoleTeam || r.member.Role == workroom.RoleGuest)
}

func (r peopleRow) who() string {
	if r.invite != nil {
		return r.invite.Email
	}
	return oneLine(r.member.Name)
}

// editKey handles the keys of an invitation or a removal in progress.
func (m *peoplePane) editKey(msg tea.KeyPressMsg) tea.Cmd {
	switch m.mode {
	case peopleInviteEmail:
		switch {
		case key.Matches(msg, m.keys.Save):
			m.email = m.input.Value()
			m.input.Blur()
			m.mode = peopleInviteRole
			return nil
		case key.Matches(msg, m.keys.Cancel):
			m.closeEdit()
			return nil
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return cmd
	case peopleInviteRole:
		switch {
		case key.Matches(msg, m.keys.AsTeam):
			return m.invite(workroom.RoleTeam)
		case key.Matches(msg, m.keys.AsGuest):
			return m.invite(workroom.RoleGuest)
		case key.Matches(msg, m.keys.Cancel):
			m.closeEdit()
		}
	case peopleConfirmRemove:
		switch {
		case key.Matches(msg, m.keys.Confirm):
			return m.remove()
		case key.Matches(msg, m.keys.Cancel), key.Matches(msg, m.keys.Deny):
			m.closeEdit()
		}
	}
	return nil
}

// startInvite opens the address field.
func (m *peoplePane) startInvite() tea.Cmd {
	m.mode = peopleInviteEmail
	m.input.SetStyles(m.env.st.Input)
	m.input.Prompt, m.input.Placeholder = "Invite (email): ", "colleague@example.com"
	m.input.CharLimit = workroom.MaxEmailLength
	m.input.SetValue("")
	return m.input.Focus()
}

func (m *peoplePane) invite(role workroom.Role) tea.Cmd {
	email := m.email
	m.closeEdit()
	svc, ctx, log, uid, id := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.id
	return m.do(func() tea.Msg {
		inv, err := svc.Invite(ctx, id, email, role)
		logFailure(log, "invite", uid, err)
		if err != nil {
			return peopleSavedMsg{err: err}
		}
		if inv.Member != nil {
			return peopleSavedMsg{done: fmt.Sprintf("%s joined as a %s; they were mailed a notice.", inv.Member.Name, role.Noun())}
		}
		return peopleSavedMsg{done: fmt.Sprintf("Invited %s as a %s; they join once they sign up and verify the address.", email, role.Noun())}
	})
}

func (m *peoplePane) remove() tea.Cmd {
	row, ok := m.current()
	m.closeEdit()
	if !ok {
		return nil
	}
	who := row.who()
	if row.member != nil {
		who = fmt.Sprint(row.member.UserID)
	}
	svc, ctx, log, uid, id := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.id
	return m.do(func() tea.Msg {
		rm, err := svc.Remove(ctx, id, who)
		logFailure(log, "remove", uid, err)
		if err != nil {
			return peopleSavedMsg{err: err}
		}
		if rm.Invitation != nil {
			return peopleSavedMsg{done: "Cancelled the invitation of " + rm.Invitation.Email + "."}
		}
		return peopleSavedMsg{done: "Removed " + rm.Member.Name + "; they can no longer reach this workroom."}
	})
}

func (m *peoplePane) closeEdit() {
	m.mode, m.email = peopleBrowse, ""
	m.input.Blur()
	m.input.SetValue("")
}

// editLine is the line under the rows while editing.
func (m *peoplePane) editLine() string {
	switch m.mode {
	case peopleInviteEmail:
		return m.input.View()
	case peopleInviteRole:
		return fmt.Sprintf("Invite %s as: t team member (read, post, upload, to-dos) · g guest (read and post)", m.email)
	case peopleConfirmRemove:
		if row, ok := m.current(); ok && row.invite != nil {
			return fmt.Sprintf("Cancel the invitation of %s? y/n", row.who())
		} else if ok {
			return fmt.Sprintf("Remove %s from this workroom? They lose it at once. y/n", row.who())
		}
	}
	return ""
}

// editKeys is the help while editing.
func (m *peoplePane) editKeys() help.KeyMap {
	switch m.mode {
	case peopleInviteEmail:
		return simpleKeys{m.keys.Save, m.keys.Cancel}
	case peopleInviteRole:
		return simpleKeys{m.keys.AsTeam, m.keys.AsGuest, m.keys.Cancel}
	}
	return simpleKeys{m.keys.Confirm, m.keys.Deny}
}

func newPeopleInput() textinput.Model { return textinput.New() }
