package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// jobsModel is the jobs screen: the user's own jobs (status, proposals)
// and the open jobs of others. From here the user posts a job, proposes on
// an open one, and on their own open job sees the proposals and awards
// one, which creates the workroom. Each of those is a pane of its own; the
// jobs model shows the one in use.
type jobsModel struct {
	sess   *session
	keys   jobsKeys
	mine   []workroom.Job
	open   []workroom.Job
	loaded bool
	// Cursors of the next page of each list (0: all loaded), and whether
	// one is on its way.
	mineBefore, openBefore workroom.JobID
	more                   bool

	cursor, offset, rows int
	notice               notice

	pane          jobsPane
	form          jobFormModel
	propose       proposeModel
	proposals     proposalsModel
	width, height int
}

type jobsPane int

const (
	paneJobList jobsPane = iota
	paneJobForm
	panePropose
	paneProposals
)

type (
	// jobsLoadedMsg carries both lists afresh, or the next page of one
	// (mine or open, the other nil).
	jobsLoadedMsg struct {
		mine, open *workroom.JobPage
		more       bool
		err        error
	}
	// jobPaneDoneMsg returns from a pane to the list, with what happened.
	jobPaneDoneMsg struct{ notice notice }
)

func newJobs(sess *session) jobsModel {
	return jobsModel{sess: sess, keys: newJobsKeys()}
}

// load reads the first page of both lists, as long as what is shown.
func (m jobsModel) load() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	nMine, nOpen := reloadSize(len(m.mine)), reloadSize(len(m.open))
	return func() tea.Msg {
		mine, err := svc.MyJobs(ctx, 0, nMine)
		if err != nil {
			logFailure(log, "my jobs", uid, err)
			return jobsLoadedMsg{err: err}
		}
		open, err := svc.OpenJobs(ctx, 0, nOpen)
		logFailure(log, "open jobs", uid, err)
		return jobsLoadedMsg{mine: mine, open: open, err: err}
	}
}

// loadMore asks for the next page of the list the cursor nears the end of.
func (m *jobsModel) loadMore() tea.Cmd {
	if m.more {
		return nil
	}
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	switch {
	case m.mineBefore != 0 && m.cursor < len(m.mine) && nearEnd(m.cursor, len(m.mine)):
		m.more = true
		before := m.mineBefore
		return func() tea.Msg {
			page, err := svc.MyJobs(ctx, before, workroom.DefaultPageSize)
			logFailure(log, "my jobs", uid, err)
			return jobsLoadedMsg{mine: page, more: true, err: err}
		}
	case m.openBefore != 0 && nearEnd(m.cursor, m.count()):
		m.more = true
		before := m.openBefore
		return func() tea.Msg {
			page, err := svc.OpenJobs(ctx, before, workroom.DefaultPageSize)
			logFailure(log, "open jobs", uid, err)
			return jobsLoadedMsg{open: page, more: true, err: err}
		}
	}
	return nil
}

// applyMore appends a next page to its list.
func (m *jobsModel) applyMore(msg jobsLoadedMsg) {
	m.more = false
	id := func(j workroom.Job) workroom.JobID { return j.ID }
	switch {
	case msg.err != nil:
		m.notice = errorNotice(msg.err)
	case msg.mine != nil && m.mineBefore != 0:
		m.mine, m.mineBefore = appendNew(m.mine, msg.mine.Jobs, id), msg.mine.Before
	case msg.open != nil && m.openBefore != 0:
		m.open, m.openBefore = appendNew(m.open, msg.open.Jobs, id), msg.open.Before
	}
}

// item returns the job at list position i and whether it is the user's.
func (m jobsModel) item(i int) (workroom.Job, bool) {
	if i < len(m.mine) {
		return m.mine[i], true
	}
	return m.open[i-len(m.mine)], false
}

func (m jobsModel) count() int { return len(m.mine) + len(m.open) }

func (m *jobsModel) setSize(width, height int) {
	m.width, m.height = width, height
	// Two section headings and the notice line.
	m.rows = max(height-3, 1)
	m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
	// Only the pane in use exists; the others are zero values.
	switch m.pane {
	case paneJobForm:
		m.form.setSize(width, height)
	case panePropose:
		m.propose.setSize(width, height)
	case paneProposals:
		m.proposals.setSize(width, height)
	}
}

// capturesKeys reports whether a text field has the focus, so that single
// keys are text rather than shortcuts.
func (m jobsModel) capturesKeys() bool {
	return m.pane == paneJobForm || m.pane == panePropose
}

func (m jobsModel) helpKeys() help.KeyMap {
	switch m.pane {
	case paneJobForm:
		return m.form.keys
	case panePropose:
		return m.propose.keys
	case paneProposals:
		return m.proposals.keys
	}
	return m.keys
}

func (m jobsModel) title() string {
	switch m.pane {
	case paneJobForm:
		return "post a job"
	case panePropose:
		return "propose"
	case paneProposals:
		return "proposals"
	}
	return "jobs"
}

// updateBindings enables the one enter binding that fits the selection.
func (m *jobsModel) updateBindings() {
	m.keys.Proposals.SetEnabled(false)
	m.keys.Propose.SetEnabled(false)
	m.keys.OpenRoom.SetEnabled(false)
	if m.cursor >= m.count() {
		return
	}
	j, mine := m.item(m.cursor)
	switch {
	case mine && j.Status == workroom.JobOpen:
		m.keys.Proposals.SetEnabled(true)
	case mine:
		m.keys.OpenRoom.SetEnabled(j.RoomID != 0)
	default:
		m.keys.Propose.SetEnabled(true)
	}
}

func (m jobsModel) update(msg tea.Msg, st styles) (jobsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case jobsLoadedMsg:
		if msg.more {
			m.applyMore(msg)
			m.updateBindings()
			return m, m.loadMore()
		}
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return m, nil
		}
		m.mine, m.open, m.loaded = msg.mine.Jobs, msg.open.Jobs, true
		m.mineBefore, m.openBefore = msg.mine.Before, msg.open.Before
		m.cursor = min(m.cursor, max(m.count()-1, 0))
		m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
		m.updateBindings()
		return m, nil
	case jobPaneDoneMsg:
		m.pane = paneJobList
		m.notice = msg.notice
		return m, m.load()
	}
	var cmd tea.Cmd
	switch m.pane {
	case paneJobForm:
		m.form, cmd = m.form.update(msg)
	case panePropose:
		m.propose, cmd = m.propose.update(msg)
	case paneProposals:
		m.proposals, cmd = m.proposals.update(msg)
	default:
		if k, ok := msg.(tea.KeyPressMsg); ok {
			return m.handleKey(k, st)
		}
	}
	return m, cmd
}

func (m jobsModel) handleKey(msg tea.KeyPressMsg, st styles) (jobsModel, tea.Cmd) {
	if d, ok := m.keys.step(msg, m.rows); ok {
		m.move(d)
		return m, m.loadMore()
	}
	switch {
	case key.Matches(msg, m.keys.Post):
		m.notice = notice{}
		m.form = newJobForm(m.sess, st)
		m.form.setSize(m.width, m.height)
		m.pane = paneJobForm
		cmd := m.form.focus()
		return m, cmd
	case key.Matches(msg, m.keys.Proposals):
		j, _ := m.item(m.cursor)
		m.notice = notice{}
		m.proposals = newProposals(m.sess, j)
		m.proposals.setSize(m.width, m.height)
		m.pane = paneProposals
		return m, m.proposals.load()
	case key.Matches(msg, m.keys.Propose):
		j, _ := m.item(m.cursor)
		m.notice = notice{}
		m.propose = newPropose(m.sess, j, st)
		m.propose.setSize(m.width, m.height)
		m.pane = panePropose
		cmd := m.propose.focus()
		return m, cmd
	case key.Matches(msg, m.keys.OpenRoom):
		j, _ := m.item(m.cursor)
		return m, func() tea.Msg { return openRoomMsg{id: j.RoomID} }
	case key.Matches(msg, m.keys.Refresh):
		m.notice = notice{}
		return m, m.load()
	case key.Matches(msg, m.keys.Back):
		return m, func() tea.Msg { return backToListMsg{} }
	}
	return m, nil
}

func (m *jobsModel) move(n int) {
	m.cursor = max(min(m.cursor+n, m.count()-1), 0)
	m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
	m.updateBindings()
}

func (m jobsModel) view(st styles, width, height int) string {
	switch m.pane {
	case paneJobForm:
		return m.form.view(st, width, height)
	case panePropose:
		return m.propose.view(st, width, height)
	case paneProposals:
		return m.proposals.view(st, width, height)
	}
	if !m.loaded {
		return fit(st.Subtle.Render(" loading jobs…"), width, height-1) + "\n" + m.notice.view(st, width)
	}
	var b strings.Builder
	if len(m.mine) == 0 && m.offset == 0 {
		b.WriteString(st.Title.Render(" My jobs") + "\n" + st.Subtle.Render("   none yet: press n to post one") + "\n")
	}
	for i := m.offset; i < m.count() && i < m.offset+m.rows; i++ {
		j, mine := m.item(i)
		if i == m.offset || i == len(m.mine) {
			b.WriteString(m.heading(st, mine) + "\n")
		}
		b.WriteString(m.row(st, j, mine, i == m.cursor, width) + "\n")
	}
	if len(m.open) == 0 {
		b.WriteString(st.Title.Render(" Open jobs of others") + "\n" + st.Subtle.Render("   none open right now") + "\n")
	}
	return fit(b.String(), width, height-1) + "\n" + m.notice.view(st, width)
}

func (m jobsModel) heading(st styles, mine bool) string {
	if mine {
		return st.Title.Render(" My jobs")
	}
	return st.Title.Render(" Open jobs of others")
}

func (m jobsModel) row(st styles, j workroom.Job, mine, selected bool, width int) string {
	var status string
	switch {
	case mine && j.Status == workroom.JobAwarded:
		status = fmt.Sprintf("awarded → workroom #%d", j.RoomID)
	case mine:
		status = fmt.Sprintf("open · %s", plural(j.Proposals, "proposal"))
	default:
		status = "by " + oneLine(j.ClientName)
	}
	const statusW = 26
	id := padRight("#"+strconv.FormatUint(uint64(j.ID), 10), 6)
	line := "   " + id + padRight(oneLine(j.Title), width-9-statusW-1) + " " + padRight(status, statusW)
	if selected {
		return st.Selected.Render(line)
	}
	return st.Subtle.Render("   "+id) + st.Text.Render(padRight(oneLine(j.Title), width-9-statusW-1)) + " " + st.Subtle.Render(padRight(status, statusW))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (m *jobsModel) setStyles(st styles) {
	switch m.pane {
	case paneJobForm:
		m.form.title.SetStyles(st.Input)
		m.form.description.SetStyles(st.Composer)
	case panePropose:
		m.propose.text.SetStyles(st.Composer)
	}
}
