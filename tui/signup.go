package tui

import (
	"context"
	"log/slog"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// signupPane is the first screen for a key nobody has registered: a name
// and an email address. The service checks both and mails a code to the
// address; the verification step follows. Someone who already has an
// account switches to "I already have an account" and types a link code
// (from `keys add` on a key of theirs, or mailed by `keys recover`): the
// key in use then joins that account.
type signupPane struct {
	paneBase
	keys    signupKeys
	fields  []textinput.Model // name, email
	code    textinput.Model   // the link code, while linking
	linking bool
	focus   int
	busy    bool
}

// signedUpMsg brings the new account — created, or the existing one this
// key was linked to — and its live subscription.
type signedUpMsg struct {
	user   *workroom.User
	sub    *workroom.Session
	linked bool
	err    error
}

func newSignup(e *env) (pane, tea.Cmd, error) {
	name := textinput.New()
	name.Prompt = "Name  "
	name.Placeholder = "the name others will see, e.g. Ada Lovelace"
	name.CharLimit = workroom.MaxNameLength
	email := textinput.New()
	email.Prompt = "Email "
	email.Placeholder = "an address you can read, for the code"
	email.CharLimit = workroom.MaxEmailLength
	code := textinput.New()
	code.Prompt = "Link code "
	code.Placeholder = "XXXX-XXXX-XXXX-XXXX"
	code.CharLimit = 64
	m := &signupPane{paneBase: e.newBase(), keys: newSignupKeys(), fields: []textinput.Model{name, email}, code: code}
	m.keys.Cancel.SetEnabled(false) // there is nowhere to go back to
	m.Restyle()
	return m, m.fields[0].Focus(), nil
}

func (m *signupPane) Typing() bool      { return true }
func (m *signupPane) Keys() help.KeyMap { return m.keys }

func (m *signupPane) Title() string {
	if m.linking {
		return "add this key"
	}
	return "sign up"
}

func (m *signupPane) Restyle() {
	for i := range m.fields {
		m.fields[i].SetStyles(m.env.st.Input)
	}
	m.code.SetStyles(m.env.st.Input)
}

func (m *signupPane) Resize(w, _ int) {
	for i := range m.fields {
		m.fields[i].SetWidth(max(w-12, 10))
	}
	m.code.SetWidth(max(w-16, 10))
}

// signUp creates the account and subscribes the session to live events.
// The subscription is closed when the session's context ends, even if the
// program never gets to see it.
func signUp(svc *workroom.Service, log *slog.Logger, base context.Context, k workroom.Key, name, email, zone string) func() tea.Msg {
	return func() tea.Msg {
		u, err := svc.SignUp(base, k, name, email)
		if err != nil {
			logFailure(log, "sign up", 0, err)
			return signedUpMsg{err: err}
		}
		u = saveZone(svc, log, base, u, zone)
		return signedUpMsg{user: u, sub: subscribe(svc, base, u)}
	}
}

// linkKey attaches the key in use to the account that issued code. ctx
// carries that key as the acting identity.
func linkKey(svc *workroom.Service, log *slog.Logger, ctx context.Context, code string) func() tea.Msg {
	return func() tea.Msg {
		u, err := svc.LinkKey(ctx, code)
		if err != nil {
			logFailure(log, "link key", 0, err)
			return signedUpMsg{err: err, linked: true}
		}
		return signedUpMsg{user: u, sub: subscribe(svc, ctx, u), linked: true}
	}
}

// subscribe starts the live session of u on the connection base carries;
// it ends when the connection does.
func subscribe(svc *workroom.Service, base context.Context, u *workroom.User) *workroom.Session {
	id := *workroom.IdentityFromContext(base)
	id.User = u
	sub, err := svc.Subscribe(workroom.NewContextWithIdentity(base, &id))
	if err != nil {
		panic("tui: subscribing a signed-in user: " + err.Error()) // only a context without a user fails
	}
	return sub
}

func (m *signupPane) Update(msg tea.Msg) tea.Cmd {
	e := m.env
	switch msg := msg.(type) {
	case signedUpMsg:
		m.busy = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		return send(signedInMsg{user: msg.user, sub: msg.sub, linked: msg.linked})
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Link) && !m.linking:
			return m.setLinking(true)
		case key.Matches(msg, m.keys.Cancel) && m.linking:
			return m.setLinking(false)
		case m.linking && key.Matches(msg, m.keys.Submit):
			if m.busy {
				return nil
			}
			m.busy = true
			m.notice = notice{text: "linking this key…"}
			// As the key in use, which has no account yet.
			return m.do(linkKey(e.svc, e.log, e.base, m.code.Value()))
		case m.linking:
		case key.Matches(msg, m.keys.Next):
			return m.move(1)
		case key.Matches(msg, m.keys.Prev):
			return m.move(-1)
		case key.Matches(msg, m.keys.Submit):
			if m.focus < len(m.fields)-1 {
				return m.move(1)
			}
			if m.busy {
				return nil
			}
			m.busy = true
			m.notice = notice{text: "creating your account…"}
			return m.do(signUp(e.svc, e.log, e.base, e.key, m.fields[0].Value(), m.fields[1].Value(), e.zone))
		}
	}
	var cmd tea.Cmd
	if m.linking {
		m.code, cmd = m.code.Update(msg)
	} else {
		m.fields[m.focus], cmd = m.fields[m.focus].Update(msg)
	}
	return cmd
}

// setLinking switches between signing up and linking to an account.
func (m *signupPane) setLinking(on bool) tea.Cmd {
	m.linking = on
	m.notice = notice{}
	m.keys.Cancel.SetEnabled(on)
	m.keys.Link.SetEnabled(!on)
	m.keys.Next.SetEnabled(!on)
	if on {
		m.fields[m.focus].Blur()
		return m.code.Focus()
	}
	m.code.Blur()
	return m.fields[m.focus].Focus()
}

func (m *signupPane) move(d int) tea.Cmd {
	m.fields[m.focus].Blur()
	m.focus = (m.focus + d + len(m.fields)) % len(m.fields)
	return m.fields[m.focus].Focus()
}

// View draws the roomiest layout that fits the height (compact.go): on
// a short window (60×16, or less while a notice takes rows) the way to an
// existing account stays on screen.
func (m *signupPane) View(width, height int) string {
	if m.linking {
		return compact(height, func(c compaction) string { return m.linkView(width, c) })
	}
	return compact(height, func(c compaction) string { return m.signupView(width, c) })
}

func (m *signupPane) signupView(width int, c compaction) string {
	st := m.env.st
	measure := min(width-4, maxMeasure)
	var b strings.Builder
	b.WriteString(c.spacer())
	b.WriteString(st.Title.Render("  Welcome to workroom") + "\n\n")
	if !c.brief {
		b.WriteString(paragraph(st.Text, "This key has no account yet. Tell us who you are and we will mail you a code to confirm the address.", measure) + "\n")
	}
	for _, f := range m.fields {
		b.WriteString("  " + f.View() + "\n" + c.spacer())
	}
	if c.tight {
		b.WriteString("\n")
	}
	zone := zoneLabel(m.env.zone)
	b.WriteString(paragraph(st.Subtle, c.longOrShort(
		"Times show in "+zone+" (your terminal's TZ, else UTC); change it later with S on the workroom list or `settings --tz ZONE`.",
		"Times show in "+zone+"; S on the workroom list changes it."), measure))
	b.WriteString(strings.TrimSuffix(paragraph(st.Subtle, c.longOrShort(
		"Already have an account? ctrl+l adds this key to it with a link code.",
		"Have an account? ctrl+l adds this key to it."), measure), "\n"))
	return b.String()
}

func (m *signupPane) linkView(width int, c compaction) string {
	st := m.env.st
	measure := min(width-4, maxMeasure)
	var b strings.Builder
	b.WriteString(c.spacer())
	b.WriteString(st.Title.Render("  Add this key to your account") + "\n\n")
	b.WriteString(paragraph(st.Text, c.longOrShort(
		"On a key that is already yours, run `keys add` (or press K on the workroom list) and type the code it gives here.",
		"Get a code with K on the workroom list of a key of yours."), measure) + c.spacer())
	b.WriteString("  " + m.code.View() + "\n\n")
	if !c.brief {
		b.WriteString(strings.TrimSuffix(paragraph(st.Subtle, "Lost every key? Run `keys recover --email ADDRESS` with this key: a code is mailed to your account's verified address.", measure), "\n"))
	}
	return b.String()
}
