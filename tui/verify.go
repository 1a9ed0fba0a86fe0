package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// verifyModel is the step where the user types the code mailed to them.
// It follows sign-up, and an unverified user reaches it later from the
// workroom list. Skipping is allowed: workrooms work without a verified
// address; only mail features wait for it.
type verifyModel struct {
	sess   *session
	keys   verifyKeys
	code   textinput.Model
	busy   bool
	notice notice
}

type (
	verifiedMsg struct{ err error }
	resentMsg   struct{ err error }
	// verifyDoneMsg leaves the step, verified or not.
	verifyDoneMsg struct{ verified bool }
)

func newVerify(sess *session, st styles) verifyModel {
	code := textinput.New()
	code.Prompt = "Code "
	code.Placeholder = "the 10 digits from the mail"
	code.CharLimit = 32
	code.SetStyles(st.Input)
	code.SetWidth(32)
	code.Focus()
	return verifyModel{sess: sess, keys: newVerifyKeys(), code: code}
}

func (m verifyModel) verify(code string) tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return func() tea.Msg {
		err := svc.Verify(ctx, code)
		logFailure(log, "verify", uid, err)
		return verifiedMsg{err: err}
	}
}

func (m verifyModel) resend() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return func() tea.Msg {
		err := svc.ResendVerification(ctx)
		logFailure(log, "resend verification", uid, err)
		return resentMsg{err: err}
	}
}

func (m verifyModel) update(msg tea.Msg) (verifyModel, tea.Cmd) {
	switch msg := msg.(type) {
	case verifiedMsg:
		m.busy = false
		switch workroom.ErrorCode(msg.err) {
		case "":
			return m, func() tea.Msg { return verifyDoneMsg{verified: true} }
		case workroom.ECONFLICT:
			if workroom.ErrorRule(msg.err) != workroom.RuleAddressTaken { // verified meanwhile, e.g. with the verify command
				return m, func() tea.Msg { return verifyDoneMsg{verified: true} }
			}
		}
		m.notice = errorNotice(msg.err)
		m.code.Reset()
		return m, nil
	case resentMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
		} else {
			m.notice = okNotice("A new code is on its way to " + oneLine(m.sess.user.Email) + ".")
		}
		return m, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Submit):
			if m.busy {
				return m, nil
			}
			m.busy = true
			return m, m.verify(m.code.Value())
		case key.Matches(msg, m.keys.Resend):
			return m, m.resend()
		case key.Matches(msg, m.keys.Skip):
			return m, func() tea.Msg { return verifyDoneMsg{} }
		}
	}
	var cmd tea.Cmd
	m.code, cmd = m.code.Update(msg)
	return m, cmd
}

func (m verifyModel) view(st styles, width, height int) string {
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(st.Title.Render("  Confirm your email address") + "\n\n")
	b.WriteString(st.Text.Render("  We mailed a code to ") + st.Key.Render(oneLine(m.sess.user.Email)) + st.Text.Render(".") + "\n")
	b.WriteString(st.Text.Render("  Type it here and press enter.") + "\n\n")
	b.WriteString("  " + m.code.View() + "\n\n")
	b.WriteString(st.Subtle.Render("  No mail? ctrl+r sends a new code. esc skips this for now: workrooms") + "\n")
	b.WriteString(st.Subtle.Render("  work without it, mail features wait until the address is verified.") + "\n")
	return fit(b.String(), width, height-1) + "\n" + m.notice.view(st, width)
}
