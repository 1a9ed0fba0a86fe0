package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// verifyPane is the step where the user types the code mailed to them.
// It follows sign-up, and an unverified user reaches it later from the
// workroom list. Skipping is allowed: workrooms work without a verified
// address; only mail features wait for it.
type verifyPane struct {
	paneBase
	sess *session
	keys verifyKeys
	code textinput.Model
	busy bool
}

type (
	verifiedMsg struct{ err error }
	resentMsg   struct{ err error }
)

func newVerify(e *env) (pane, tea.Cmd, error) {
	code := textinput.New()
	code.Prompt = "Code "
	code.Placeholder = "10-digit code from the mail"
	code.CharLimit = 32
	code.SetStyles(e.st.Input)
	code.SetWidth(32)
	m := &verifyPane{paneBase: e.newBase(), sess: e.sess, keys: newVerifyKeys(), code: code}
	return m, m.code.Focus(), nil
}

func (m *verifyPane) Title() string     { return "verify email" }
func (m *verifyPane) Typing() bool      { return true }
func (m *verifyPane) Keys() help.KeyMap { return m.keys }
func (m *verifyPane) Resize(_, _ int)   {}
func (m *verifyPane) Restyle()          { m.code.SetStyles(m.env.st.Input) }

func (m *verifyPane) verify(code string) tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return m.do(func() tea.Msg {
		err := svc.Verify(ctx, code)
		logFailure(log, "verify", uid, err)
		return verifiedMsg{err: err}
	})
}

func (m *verifyPane) resend() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return m.do(func() tea.Msg {
		err := svc.ResendVerification(ctx)
		logFailure(log, "resend verification", uid, err)
		return resentMsg{err: err}
	})
}

// verified records the address as verified for the session, and goes back
// to the list, which says so.
func (m *verifyPane) verified() tea.Cmd {
	u := *m.sess.user
	u.EmailVerified = true
	m.sess.user = &u
	return toList(okNotice(oneLine(u.Email)+" is verified."), nil)
}

func (m *verifyPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case verifiedMsg:
		m.busy = false
		switch workroom.ErrorCode(msg.err) {
		case "":
			return m.verified()
		case workroom.ECONFLICT:
			if workroom.ErrorRule(msg.err) != workroom.RuleAddressTaken { // verified meanwhile, e.g. with the verify command
				return m.verified()
			}
		}
		m.notice = errorNotice(msg.err)
		m.code.Reset()
		return nil
	case resentMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
		} else {
			m.notice = okNotice("A new code is on its way to " + oneLine(m.sess.user.Email) + ".")
		}
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Submit):
			if m.busy {
				return nil
			}
			m.busy = true
			return m.verify(m.code.Value())
		case key.Matches(msg, m.keys.Resend):
			return m.resend()
		case key.Matches(msg, m.keys.Skip):
			return toList(notice{}, nil)
		}
	}
	var cmd tea.Cmd
	m.code, cmd = m.code.Update(msg)
	return cmd
}

func (m *verifyPane) View(width, height int) string {
	st := m.env.st
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(st.Title.Render("  Confirm your email address") + "\n\n")
	b.WriteString(st.Text.Render("  We mailed a code to ") + st.Key.Render(oneLine(m.sess.user.Email)) + st.Text.Render(".") + "\n")
	b.WriteString(st.Text.Render("  Type it here and press enter.") + "\n\n")
	b.WriteString("  " + m.code.View() + "\n\n")
	b.WriteString(st.Subtle.Render("  No mail? ctrl+r sends a new code. esc skips this for now: workrooms") + "\n")
	b.WriteString(st.Subtle.Render("  work without it, mail features wait until the address is verified.") + "\n")
	return b.String()
}
