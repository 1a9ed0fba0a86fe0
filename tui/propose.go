package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// proposePane shows an open job of someone else and takes the user's
// proposal for it.
type proposePane struct {
	paneBase
	sess *session
	keys formKeys
	job  workroom.Job
	text textarea.Model
	busy bool
}

type proposedMsg struct {
	p   *workroom.Proposal
	err error
}

func newPropose(e *env, job workroom.Job) (pane, tea.Cmd, error) {
	k := newFormKeys()
	k.Next.SetEnabled(false)
	k.Prev.SetEnabled(false)
	k.Newline.SetEnabled(true)
	m := &proposePane{paneBase: e.newBase(), sess: e.sess, keys: k, job: job, text: newTextArea("Why you, how you would do it, when, and for how much.", e.st)}
	return m, m.text.Focus(), nil
}

func (m *proposePane) Title() string     { return "propose" }
func (m *proposePane) Typing() bool      { return true }
func (m *proposePane) Keys() help.KeyMap { return m.keys }
func (m *proposePane) Restyle()          { m.text.SetStyles(m.env.st.Composer) }

func (m *proposePane) Resize(width, height int) {
	m.text.SetWidth(max(width-4, 10))
	// Heading, the job's title (wrapped), its client, up to four lines
	// of description, a label, the box's borders.
	titleRows := strings.Count(wrapped(m.job.Title, min(max(width-4, 10), maxMeasure)), "\n") + 1
	m.text.SetHeight(max(height-9-titleRows, 2))
}

func (m *proposePane) submit() tea.Cmd {
	svc, ctx, log, uid, job, text := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.job.ID, m.text.Value()
	return m.do(func() tea.Msg {
		p, err := svc.Propose(ctx, job, text)
		logFailure(log, "propose", uid, err)
		return proposedMsg{p: p, err: err}
	})
}

func (m *proposePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case proposedMsg:
		m.busy = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		return closePaneCmd(okNotice(fmt.Sprintf("Proposal #%d sent on job #%d; a workroom opens if the client awards it to you.", msg.p.ID, m.job.ID)))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Cancel):
			return closePaneCmd(notice{})
		case key.Matches(msg, m.keys.Submit):
			if m.busy {
				return nil
			}
			m.busy = true
			return m.submit()
		case key.Matches(msg, m.keys.Newline):
			m.text.InsertRune('\n')
			return nil
		}
	}
	var cmd tea.Cmd
	m.text, cmd = m.text.Update(msg)
	return cmd
}

func (m *proposePane) View(width, height int) string {
	st := m.env.st
	var b strings.Builder
	b.WriteString(st.Title.Render(fmt.Sprintf(" Propose on job #%d", m.job.ID)) + "\n")
	measure := min(max(width-4, 10), maxMeasure)
	// The whole title, wrapped: it is what the proposal answers.
	for _, l := range strings.Split(wrapped(m.job.Title, measure), "\n") {
		b.WriteString(" " + st.Text.Bold(true).Render(l) + "\n")
	}
	b.WriteString(" " + st.Subtle.Render("by "+oneLine(m.job.ClientName)) + "\n")
	desc := wrapped(m.job.Description, measure)
	lines := strings.Split(desc, "\n")
	if len(lines) > 4 {
		lines = append(lines[:3], "…")
	}
	for _, l := range lines {
		b.WriteString("   " + st.Subtle.Render(l) + "\n")
	}
	b.WriteString(st.Label.Render(" Your proposal") + "\n")
	b.WriteString(st.Pane.Width(width-2).Render(m.text.View()) + "\n")
	return b.String()
}
