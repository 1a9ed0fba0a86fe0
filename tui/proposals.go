package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// proposalsPane lists the proposals on one of the user's open jobs and
// awards one, after a confirmation: the award creates the workroom with
// the client and that freelancer, and the job takes no more proposals.
type proposalsPane struct {
	paneBase
	sess       *session
	keys       proposalsKeys
	job        workroom.Job
	props      []workroom.Proposal
	loaded     bool
	before     workroom.ProposalID // cursor of the next page; 0 when all are loaded
	more       bool                // the next page is on its way
	cursor     int
	confirming bool
	busy       bool
}

type (
	// proposalsLoadedMsg carries the first page, or with more the next.
	proposalsLoadedMsg struct {
		page *workroom.ProposalPage
		more bool
		err  error
	}
	awardedMsg struct {
		room *workroom.Room
		err  error
	}
)

func newProposals(e *env, job workroom.Job) (pane, tea.Cmd, error) {
	m := &proposalsPane{paneBase: e.newBase(), sess: e.sess, keys: newProposalsKeys(), job: job}
	m.setConfirming(false)
	return m, m.load(), nil
}

func (m *proposalsPane) Title() string     { return "proposals" }
func (m *proposalsPane) Typing() bool      { return false }
func (m *proposalsPane) Keys() help.KeyMap { return m.keys }
func (m *proposalsPane) Resize(_, _ int)   {} // the cards are laid out as they are drawn

func (m *proposalsPane) load() tea.Cmd { return m.loadPage(0, false) }

// loadMore asks for the next page when the cursor nears the end.
func (m *proposalsPane) loadMore() tea.Cmd {
	if m.before == 0 || m.more || !nearEnd(m.cursor, len(m.props)) {
		return nil
	}
	m.more = true
	return m.loadPage(m.before, true)
}

func (m *proposalsPane) loadPage(before workroom.ProposalID, more bool) tea.Cmd {
	svc, ctx, log, uid, job := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.job.ID
	return m.do(func() tea.Msg {
		page, err := svc.Proposals(ctx, job, before, workroom.DefaultPageSize)
		logFailure(log, "proposals", uid, err)
		return proposalsLoadedMsg{page: page, more: more, err: err}
	})
}

func (m *proposalsPane) award(p workroom.ProposalID) tea.Cmd {
	svc, ctx, log, uid, job := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.job.ID
	return m.do(func() tea.Msg {
		r, err := svc.Award(ctx, job, p)
		logFailure(log, "award", uid, err)
		return awardedMsg{room: r, err: err}
	})
}

// setConfirming switches between browsing and the yes/no question, so the
// help bar shows only the keys that apply.
func (m *proposalsPane) setConfirming(on bool) {
	m.confirming = on
	for _, b := range []*key.Binding{&m.keys.Up, &m.keys.Down, &m.keys.PageUp, &m.keys.PageDown, &m.keys.Award, &m.keys.Back} {
		b.SetEnabled(!on)
	}
	m.keys.Award.SetEnabled(!on && len(m.props) > 0)
	m.keys.Yes.SetEnabled(on)
	m.keys.No.SetEnabled(on)
}

func (m *proposalsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case proposalsLoadedMsg:
		if msg.more {
			m.more = false
			if msg.err != nil {
				m.notice = errorNotice(msg.err)
				return nil
			}
			m.props = appendNew(m.props, msg.page.Proposals, func(p workroom.Proposal) workroom.ProposalID { return p.ID })
			m.before = msg.page.Before
			return m.loadMore()
		}
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.props, m.before, m.loaded = msg.page.Proposals, msg.page.Before, true
		m.cursor = min(m.cursor, max(len(m.props)-1, 0))
		m.setConfirming(false)
		return nil
	case awardedMsg:
		m.busy = false
		m.setConfirming(false)
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return m.load()
		}
		// The workroom list, with the new room selected.
		return toList(okNotice(fmt.Sprintf("Awarded: workroom #%d is open for you and the freelancer.", msg.room.ID)), selectRoomMsg{id: msg.room.ID})
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *proposalsPane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	// Proposals are tall, so a page key goes to the first or the last.
	if d, ok := m.keys.step(msg, len(m.props)); ok {
		m.cursor = max(min(m.cursor+d, len(m.props)-1), 0)
		return m.loadMore()
	}
	switch {
	case key.Matches(msg, m.keys.Yes):
		if m.busy {
			return nil
		}
		m.busy = true
		m.notice = notice{text: "awarding…"}
		return m.award(m.props[m.cursor].ID)
	case key.Matches(msg, m.keys.No):
		m.setConfirming(false)
		m.notice = notice{}
	case key.Matches(msg, m.keys.Award):
		m.setConfirming(true)
		p := m.props[m.cursor]
		m.notice = notice{text: fmt.Sprintf("Award job #%d to %s? This creates the workroom and closes the job. y/n", m.job.ID, oneLine(p.FreelancerName))}
	case key.Matches(msg, m.keys.Back):
		return closePaneCmd(notice{})
	}
	return nil
}

// view shows each proposal as a card: who, when, and the start of the
// text. The selected one is marked and shows more of its text.
func (m *proposalsPane) View(width, height int) string {
	st := m.env.st
	var b strings.Builder
	b.WriteString(st.Title.Render(fmt.Sprintf(" Proposals on job #%d ", m.job.ID)) + st.Text.Render(oneLine(m.job.Title)) + "\n")
	switch {
	case !m.loaded:
		b.WriteString(st.Subtle.Render("   loading…"))
	case len(m.props) == 0:
		b.WriteString(st.Subtle.Render("   No proposals yet. Freelancers see the job under their open jobs."))
	}
	// Show the proposals from the one before the cursor, so the
	// selection is always on screen.
	for i := max(m.cursor-1, 0); i < len(m.props); i++ {
		b.WriteString(m.card(st, m.props[i], i == m.cursor, width))
	}
	return b.String()
}

func (m *proposalsPane) card(st *styles, p workroom.Proposal, selected bool, width int) string {
	maxLines := 2
	if selected {
		maxLines = 6
	}
	// The head is a row of the one table style, so the selection looks
	// as it does in every list.
	head := tableRow(st, []column{
		{text: oneLine(p.FreelancerName), style: st.Author, keep: true},
		{text: fmt.Sprintf("proposal #%d", p.ID), width: 14, style: st.Subtle},
		{text: m.sess.when(p.Created), width: colPropSent, style: st.Subtle},
	}, width, selected)
	lines := strings.Split(wrapped(p.Text, min(max(width-6, 10), maxMeasure)), "\n")
	if len(lines) > maxLines {
		lines = append(lines[:maxLines-1], "…")
	}
	var b strings.Builder
	b.WriteString(head + "\n")
	for _, l := range lines {
		b.WriteString("     " + st.Body.Render(l) + "\n")
	}
	return b.String()
}
