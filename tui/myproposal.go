package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// myProposalPane shows the user's own proposal on a job: where it stands
// and what they wrote. Enter on a job already proposed on opens it at
// once, instead of a form for a second proposal the service would refuse.
type myProposalPane struct {
	paneBase
	sess *session
	keys myProposalKeys
	job  workroom.JobID
	p    *workroom.MyProposal
}

type myProposalLoadedMsg struct {
	p   *workroom.MyProposal
	err error
}

func newMyProposal(e *env, job workroom.JobID) (pane, tea.Cmd, error) {
	m := &myProposalPane{paneBase: e.newBase(), sess: e.sess, keys: newMyProposalKeys(), job: job}
	svc, ctx, log, uid := e.svc, e.sess.ctx, e.log, e.sess.user.ID
	return m, m.do(func() tea.Msg {
		p, err := svc.MyProposal(ctx, job)
		logFailure(log, "my proposal", uid, err)
		return myProposalLoadedMsg{p: p, err: err}
	}), nil
}

func (m *myProposalPane) Title() string     { return "my proposal" }
func (m *myProposalPane) Typing() bool      { return false }
func (m *myProposalPane) Keys() help.KeyMap { return m.keys }
func (m *myProposalPane) Resize(_, _ int)   {} // laid out as it is drawn

func (m *myProposalPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case myProposalLoadedMsg:
		if msg.err != nil {
			return closePaneCmd(errorNotice(msg.err))
		}
		m.p = msg.p
		m.keys.OpenRoom.SetEnabled(m.p.Status == workroom.ProposalHired && m.p.RoomID != 0)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.OpenRoom):
			return send(openMsg{open: openRoom(m.p.RoomID), fromList: true})
		case key.Matches(msg, m.keys.Back):
			return closePaneCmd(notice{})
		}
	}
	return nil
}

func (m *myProposalPane) View(width, height int) string {
	st := m.env.st
	if m.p == nil {
		return st.Subtle.Render(" loading your proposal…")
	}
	measure := min(width-4, maxMeasure)
	var b strings.Builder
	b.WriteString(st.Title.Render(fmt.Sprintf(" Your proposal on job #%d", m.p.JobID)) + "\n")
	for _, l := range strings.Split(wrapped(m.p.JobTitle, measure), "\n") {
		b.WriteString("   " + st.Text.Bold(true).Render(l) + "\n")
	}
	status := st.Subtle
	if m.p.Status == workroom.ProposalHired {
		status = st.OK
	}
	b.WriteString("   " + status.Render(string(m.p.Status)) + st.Subtle.Render(fmt.Sprintf(" · proposal #%d · sent %s", m.p.ID, m.sess.when(m.p.Created))) + "\n")
	if m.p.Status == workroom.ProposalOpen {
		b.WriteString(st.Subtle.Render("   You proposed on this job already; a job takes one proposal from each freelancer.") + "\n")
	}
	b.WriteString("\n")
	for _, l := range strings.Split(wrapped(m.p.Text, measure), "\n") {
		b.WriteString("   " + st.Body.Render(l) + "\n")
	}
	return b.String()
}

type myProposalKeys struct {
	OpenRoom, Back key.Binding
}

func newMyProposalKeys() myProposalKeys {
	return myProposalKeys{
		OpenRoom: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open workroom"), key.WithDisabled()),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k myProposalKeys) ShortHelp() []key.Binding  { return []key.Binding{k.OpenRoom, k.Back} }
func (k myProposalKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
