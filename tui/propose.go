package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// proposeModel shows an open job of someone else and takes the user's
// proposal for it.
type proposeModel struct {
	sess   *session
	keys   formKeys
	job    workroom.Job
	text   textarea.Model
	busy   bool
	notice notice
	width  int
}

type proposedMsg struct {
	p   *workroom.Proposal
	err error
}

func newPropose(sess *session, job workroom.Job, st styles) proposeModel {
	k := newFormKeys()
	k.Next.SetEnabled(false)
	k.Prev.SetEnabled(false)
	k.Newline.SetEnabled(true)
	return proposeModel{sess: sess, keys: k, job: job, text: newTextArea("Why you, how you would do it, when, and for how much.", st)}
}

func (m *proposeModel) focus() tea.Cmd { return m.text.Focus() }

func (m *proposeModel) setSize(width, height int) {
	m.width = width
	m.text.SetWidth(max(width-4, 10))
	// Heading, job title, up to four lines of description, a label, the
	// box's borders, notice.
	m.text.SetHeight(max(height-10, 2))
}

func (m proposeModel) submit() tea.Cmd {
	svc, ctx, log, uid, job, text := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.job.ID, m.text.Value()
	return func() tea.Msg {
		p, err := svc.Propose(ctx, job, text)
		logFailure(log, "propose", uid, err)
		return proposedMsg{p: p, err: err}
	}
}

func (m proposeModel) update(msg tea.Msg) (proposeModel, tea.Cmd) {
	switch msg := msg.(type) {
	case proposedMsg:
		m.busy = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return m, nil
		}
		n := okNotice(fmt.Sprintf("Proposal #%d sent on job #%d; a workroom opens if the client awards it to you.", msg.p.ID, m.job.ID))
		return m, func() tea.Msg { return jobPaneDoneMsg{notice: n} }
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Cancel):
			return m, func() tea.Msg { return jobPaneDoneMsg{} }
		case key.Matches(msg, m.keys.Submit):
			if m.busy {
				return m, nil
			}
			m.busy = true
			return m, m.submit()
		case key.Matches(msg, m.keys.Newline):
			m.text.InsertRune('\n')
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.text, cmd = m.text.Update(msg)
	return m, cmd
}

func (m proposeModel) view(st styles, width, height int) string {
	var b strings.Builder
	b.WriteString(st.Title.Render(fmt.Sprintf(" Propose on job #%d", m.job.ID)) + "\n")
	b.WriteString(" " + st.Text.Bold(true).Render(oneLine(m.job.Title)) + st.Subtle.Render(" by "+oneLine(m.job.ClientName)) + "\n")
	desc := wrapped(m.job.Description, max(width-4, 10))
	lines := strings.Split(desc, "\n")
	if len(lines) > 4 {
		lines = append(lines[:3], "…")
	}
	for _, l := range lines {
		b.WriteString("   " + st.Subtle.Render(l) + "\n")
	}
	b.WriteString(st.Label.Render(" Your proposal") + "\n")
	b.WriteString(st.Pane.Width(width-2).Render(m.text.View()) + "\n")
	return fit(b.String(), width, height-1) + "\n" + m.notice.view(st, width)
}
