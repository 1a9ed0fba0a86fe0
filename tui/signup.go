package tui

import (
	"context"
	"log/slog"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// signupModel is the first screen for a key nobody has registered: a name
// and an email address. The service checks both and mails a code to the
// address; the verification step follows.
type signupModel struct {
	keys   formKeys
	fields []textinput.Model // name, email
	focus  int
	busy   bool
	notice notice
}

// signedUpMsg brings the new account and its live subscription.
type signedUpMsg struct {
	user *workroom.User
	sub  workroom.Subscription
	err  error
}

func newSignup(st styles) signupModel {
	name := textinput.New()
	name.Prompt = "Name  "
	name.Placeholder = "the name others will see, e.g. Ada Lovelace"
	name.CharLimit = workroom.MaxNameLength
	email := textinput.New()
	email.Prompt = "Email "
	email.Placeholder = "an address you can read, for the code"
	email.CharLimit = workroom.MaxEmailLength
	m := signupModel{keys: newFormKeys(), fields: []textinput.Model{name, email}}
	m.keys.Cancel.SetEnabled(false) // there is nowhere to go back to
	m.setStyles(st)
	m.fields[0].Focus()
	return m
}

func (m *signupModel) setStyles(st styles) {
	for i := range m.fields {
		m.fields[i].SetStyles(st.Input)
	}
}

func (m *signupModel) setWidth(w int) {
	for i := range m.fields {
		m.fields[i].SetWidth(max(w-12, 10))
	}
}

// signUp creates the account and subscribes the session to live events.
// The subscription is closed when the session's context ends, even if the
// program never gets to see it.
func signUp(svc *workroom.Service, log *slog.Logger, base context.Context, k workroom.Key, name, email string) tea.Cmd {
	return func() tea.Msg {
		u, err := svc.SignUp(base, k, name, email)
		if err != nil {
			logFailure(log, "sign up", 0, err)
			return signedUpMsg{err: err}
		}
		sub := svc.Subscribe(u)
		context.AfterFunc(base, sub.Close)
		return signedUpMsg{user: u, sub: sub}
	}
}

func (m signupModel) update(msg tea.Msg, submit func(name, email string) tea.Cmd) (signupModel, tea.Cmd) {
	switch msg := msg.(type) {
	case signedUpMsg:
		m.busy = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
		}
		return m, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Next):
			cmd := m.move(1)
			return m, cmd
		case key.Matches(msg, m.keys.Prev):
			cmd := m.move(-1)
			return m, cmd
		case key.Matches(msg, m.keys.Submit):
			if m.focus < len(m.fields)-1 {
				cmd := m.move(1)
				return m, cmd
			}
			if m.busy {
				return m, nil
			}
			m.busy = true
			m.notice = notice{text: "creating your account…"}
			return m, submit(m.fields[0].Value(), m.fields[1].Value())
		}
	}
	var cmd tea.Cmd
	m.fields[m.focus], cmd = m.fields[m.focus].Update(msg)
	return m, cmd
}

func (m *signupModel) move(d int) tea.Cmd {
	m.fields[m.focus].Blur()
	m.focus = (m.focus + d + len(m.fields)) % len(m.fields)
	return m.fields[m.focus].Focus()
}

func (m signupModel) view(st styles, width, height int) string {
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(st.Title.Render("  Welcome to workroom") + "\n\n")
	b.WriteString(st.Text.Render("  This key has no account yet. Tell us who you are and we will mail") + "\n")
	b.WriteString(st.Text.Render("  you a code to confirm the address.") + "\n\n")
	for _, f := range m.fields {
		b.WriteString("  " + f.View() + "\n\n")
	}
	return fit(b.String(), width, height-1) + "\n" + m.notice.view(st, width)
}
