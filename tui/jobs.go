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

// jobsPane lists the user's own jobs (status, proposals) and the open jobs
// of others. From here the user posts a job, proposes on an open one, and
// on their own open job sees the proposals and awards one, which creates
// the workroom. Each of those is a pane of its own, opened on top.
type jobsPane struct {
	paneBase
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
}

// jobsLoadedMsg carries both lists afresh, or the next page of one (mine
// or open, the other nil).
type jobsLoadedMsg struct {
	mine, open *workroom.JobPage
	more       bool
	err        error
}

func newJobs(e *env) (pane, tea.Cmd, error) {
	m := &jobsPane{paneBase: e.newBase(), sess: e.sess, keys: newJobsKeys()}
	return m, m.load(), nil
}

// Event applies a job of the user's that changed (a proposal came in),
// so the count is live with no key pressed.
func (m *jobsPane) Event(ev workroom.Event) tea.Cmd {
	if ev.Kind != workroom.EventJob || ev.Job == nil {
		return nil
	}
	for i := range m.mine {
		if m.mine[i].ID == ev.Job.ID {
			m.mine[i] = *ev.Job
		}
	}
	return nil
}

// Reload and Revealed (a form or the proposals closed) read both lists
// afresh.
func (m *jobsPane) Reload() tea.Cmd   { return m.load() }
func (m *jobsPane) Revealed() tea.Cmd { return m.load() }

func (m *jobsPane) Typing() bool { return false }

func (m *jobsPane) Keys() help.KeyMap { return m.keys }

func (m *jobsPane) Title() string { return "jobs" }

// load reads the first page of both lists, as long as what is shown.
func (m *jobsPane) load() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	nMine, nOpen := reloadSize(len(m.mine)), reloadSize(len(m.open))
	return m.do(func() tea.Msg {
		mine, err := svc.MyJobs(ctx, 0, nMine)
		if err != nil {
			logFailure(log, "my jobs", uid, err)
			return jobsLoadedMsg{err: err}
		}
		open, err := svc.OpenJobs(ctx, 0, nOpen)
		logFailure(log, "open jobs", uid, err)
		return jobsLoadedMsg{mine: mine, open: open, err: err}
	})
}

// loadMore asks for the next page of the list the cursor nears the end of.
func (m *jobsPane) loadMore() tea.Cmd {
	if m.more {
		return nil
	}
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	switch {
	case m.mineBefore != 0 && m.cursor < len(m.mine) && nearEnd(m.cursor, len(m.mine)):
		m.more = true
		before := m.mineBefore
		return m.do(func() tea.Msg {
			page, err := svc.MyJobs(ctx, before, workroom.DefaultPageSize)
			logFailure(log, "my jobs", uid, err)
			return jobsLoadedMsg{mine: page, more: true, err: err}
		})
	case m.openBefore != 0 && nearEnd(m.cursor, m.count()):
		m.more = true
		before := m.openBefore
		return m.do(func() tea.Msg {
			page, err := svc.OpenJobs(ctx, before, workroom.DefaultPageSize)
			logFailure(log, "open jobs", uid, err)
			return jobsLoadedMsg{open: page, more: true, err: err}
		})
	}
	return nil
}

// applyMore appends a next page to its list.
func (m *jobsPane) applyMore(msg jobsLoadedMsg) {
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
func (m *jobsPane) item(i int) (workroom.Job, bool) {
	if i < len(m.mine) {
		return m.mine[i], true
	}
	return m.open[i-len(m.mine)], false
}

func (m *jobsPane) count() int { return len(m.mine) + len(m.open) }

func (m *jobsPane) Resize(_, height int) {
	// Two section headings.
	m.rows = max(height-2, 1)
	m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
}

// updateBindings enables the one enter binding that fits the selection.
func (m *jobsPane) updateBindings() {
	m.keys.Proposals.SetEnabled(false)
	m.keys.Propose.SetEnabled(false)
	m.keys.OpenRoom.SetEnabled(false)
	m.keys.MyProposal.SetEnabled(false)
	if m.cursor >= m.count() {
		return
	}
	j, mine := m.item(m.cursor)
	switch {
	case mine && j.Status == workroom.JobOpen:
		m.keys.Proposals.SetEnabled(true)
	case mine:
		m.keys.OpenRoom.SetEnabled(j.RoomID != 0)
	case j.Proposed:
		m.keys.MyProposal.SetEnabled(true)
	default:
		m.keys.Propose.SetEnabled(true)
	}
}

func (m *jobsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case jobsLoadedMsg:
		if msg.more {
			m.applyMore(msg)
			m.updateBindings()
			return m.loadMore()
		}
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.mine, m.open, m.loaded = msg.mine.Jobs, msg.open.Jobs, true
		m.mineBefore, m.openBefore = msg.mine.Before, msg.open.Before
		m.cursor = min(m.cursor, max(m.count()-1, 0))
		m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
		m.updateBindings()
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *jobsPane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if d, ok := m.keys.step(msg, m.rows); ok {
		m.move(d)
		return m.loadMore()
	}
	switch {
	case key.Matches(msg, m.keys.Post):
		m.notice = notice{}
		return open(openJobForm)
	case key.Matches(msg, m.keys.Proposals):
		j, _ := m.item(m.cursor)
		m.notice = notice{}
		return open(openProposals(j))
	case key.Matches(msg, m.keys.Propose):
		j, _ := m.item(m.cursor)
		m.notice = notice{}
		return open(openPropose(j))
	case key.Matches(msg, m.keys.MyProposal):
		j, _ := m.item(m.cursor)
		m.notice = notice{}
		return open(openMyProposal(j.ID))
	case key.Matches(msg, m.keys.Mine):
		m.notice = notice{}
		return open(openMyProposals)
	case key.Matches(msg, m.keys.OpenRoom):
		j, _ := m.item(m.cursor)
		return send(openMsg{open: openRoom(j.RoomID), fromList: true})
	case key.Matches(msg, m.keys.Refresh):
		m.notice = notice{}
		return m.load()
	case key.Matches(msg, m.keys.Back):
		return toList(notice{}, nil)
	}
	return nil
}

func (m *jobsPane) move(n int) {
	m.cursor = max(min(m.cursor+n, m.count()-1), 0)
	m.offset = windowStart(m.offset, m.cursor, m.rows, m.count())
	m.updateBindings()
}

func (m *jobsPane) View(width, height int) string {
	st := m.env.st
	if !m.loaded {
		return st.Subtle.Render(" loading jobs…")
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
	return b.String()
}

func (m *jobsPane) heading(st *styles, mine bool) string {
	if mine {
		return st.Title.Render(" My jobs")
	}
	return st.Title.Render(" Open jobs of others")
}

// Column widths of the jobs list; the title takes what is left.
const (
	colJobID     = 6  // "#12345"
	colJobStatus = 26 // "awarded → workroom #123", "✓ proposed · by Ada"
)

func (m *jobsPane) row(st *styles, j workroom.Job, mine, selected bool, width int) string {
	var status string
	statusStyle := st.Subtle
	switch {
	case mine && j.Status == workroom.JobAwarded:
		status = fmt.Sprintf("awarded → workroom #%d", j.RoomID)
	case mine:
		status = fmt.Sprintf("open · %s", plural(j.Proposals, "proposal"))
	case j.Proposed:
		status, statusStyle = "✓ proposed · by "+oneLine(j.ClientName), st.OK
	default:
		status = "by " + oneLine(j.ClientName)
	}
	return tableRow(st, []column{
		{text: "#" + strconv.FormatUint(uint64(j.ID), 10), width: colJobID, style: st.Subtle},
		{text: oneLine(j.Title), style: st.Text},
		{text: status, width: colJobStatus, style: statusStyle, keep: j.Proposed && !mine},
	}, width, selected)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
