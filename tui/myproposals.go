package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// myProposalsPane is the freelancer's own work: every proposal they made,
// newest first, with its job, where it stands (open, hired, not hired)
// and when it was sent. Enter opens the workroom of a hired one, or shows
// the proposal. It is opened from the jobs screen (m).
type myProposalsPane struct {
	paneBase
	sess   *session
	keys   myProposalsKeys
	props  []workroom.MyProposal
	loaded bool
	before workroom.ProposalID // cursor of the next page; 0 when all are loaded
	more   bool                // the next page is on its way

	cursor, offset, rows int
}

// myProposalsLoadedMsg carries the first page, or with more the next.
type myProposalsLoadedMsg struct {
	page *workroom.MyProposalPage
	more bool
	err  error
}

func newMyProposals(e *env) (pane, tea.Cmd, error) {
	m := &myProposalsPane{paneBase: e.newBase(), sess: e.sess, keys: newMyProposalsKeys()}
	return m, m.loadPage(0, workroom.DefaultPageSize, false), nil
}

func (m *myProposalsPane) Title() string     { return "my proposals" }
func (m *myProposalsPane) Typing() bool      { return false }
func (m *myProposalsPane) Keys() help.KeyMap { return m.keys }

// Reload and Revealed read the list afresh (a hire may have come).
func (m *myProposalsPane) Reload() tea.Cmd { return m.loadPage(0, reloadSize(len(m.props)), false) }
func (m *myProposalsPane) Revealed() tea.Cmd {
	return m.Reload()
}

// Event reads the list again when a room opens for the user: one of
// their proposals may have been hired.
func (m *myProposalsPane) Event(ev workroom.Event) tea.Cmd {
	if ev.Kind == workroom.EventRoom && ev.Message != nil {
		return m.Reload()
	}
	return nil
}

func (m *myProposalsPane) loadPage(before workroom.ProposalID, limit int, more bool) tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return m.do(func() tea.Msg {
		page, err := svc.MyProposals(ctx, before, limit)
		logFailure(log, "my proposals", uid, err)
		return myProposalsLoadedMsg{page: page, more: more, err: err}
	})
}

// loadMore asks for the next page when the cursor nears the end.
func (m *myProposalsPane) loadMore() tea.Cmd {
	if m.before == 0 || m.more || !nearEnd(m.cursor, len(m.props)) {
		return nil
	}
	m.more = true
	return m.loadPage(m.before, workroom.DefaultPageSize, true)
}

func (m *myProposalsPane) Resize(_, height int) {
	// A column header, then the rows.
	m.rows = max(height-1, 1)
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.props))
}

func (m *myProposalsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case myProposalsLoadedMsg:
		if msg.err != nil {
			m.more = false
			m.notice = errorNotice(msg.err)
			return nil
		}
		if msg.more {
			m.more = false
			m.props = appendNew(m.props, msg.page.Proposals, func(p workroom.MyProposal) workroom.ProposalID { return p.ID })
		} else {
			m.props, m.loaded = msg.page.Proposals, true
		}
		m.before = msg.page.Before
		m.cursor = min(m.cursor, max(len(m.props)-1, 0))
		m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.props))
		m.updateBindings()
		return m.loadMore()
	case tea.KeyPressMsg:
		if d, ok := m.keys.step(msg, m.rows); ok {
			m.cursor = max(min(m.cursor+d, len(m.props)-1), 0)
			m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.props))
			m.updateBindings()
			return m.loadMore()
		}
		switch {
		case key.Matches(msg, m.keys.OpenRoom):
			return send(openMsg{open: openRoom(m.props[m.cursor].RoomID), fromList: true})
		case key.Matches(msg, m.keys.Show):
			return open(openMyProposal(m.props[m.cursor].JobID))
		case key.Matches(msg, m.keys.Back):
			return closePaneCmd(notice{})
		}
	}
	return nil
}

// updateBindings enables the enter that fits the selection.
func (m *myProposalsPane) updateBindings() {
	hired := m.cursor < len(m.props) && m.props[m.cursor].Status == workroom.ProposalHired && m.props[m.cursor].RoomID != 0
	m.keys.OpenRoom.SetEnabled(hired)
	m.keys.Show.SetEnabled(len(m.props) > 0 && !hired)
}

// Column widths of the list; the job's title takes what is left.
const (
	colPropJob    = 6  // "#12345"
	colPropStatus = 9  // "not hired"
	colPropSent   = 21 // "2026-11-29 23:50 CEST", or "5 min ago"
)

func (m *myProposalsPane) columns(st *styles, job, title, status, sent string) []column {
	return []column{
		{text: job, width: colPropJob, style: st.Subtle},
		{text: title, style: st.Text},
		{text: status, width: colPropStatus, style: st.Subtle},
		{text: sent, width: colPropSent, style: st.Subtle},
	}
}

func (m *myProposalsPane) View(width, height int) string {
	st := m.env.st
	var b strings.Builder
	b.WriteString(tableHeader(st, m.columns(st, "JOB", "TITLE", "STATUS", "SENT"), width) + "\n")
	switch {
	case !m.loaded:
		b.WriteString(st.Subtle.Render(" loading your proposals…"))
	case len(m.props) == 0:
		b.WriteString(st.Subtle.Render(" No proposals yet: pick an open job on the jobs screen and press enter."))
	}
	for i := m.offset; i < len(m.props) && i < m.offset+m.rows; i++ {
		p := m.props[i]
		cols := m.columns(st, "#"+strconv.FormatUint(uint64(p.JobID), 10), oneLine(p.JobTitle), string(p.Status), m.sess.when(p.Created))
		if p.Status == workroom.ProposalHired {
			cols[2].style, cols[2].keep = st.OK, true
		}
		b.WriteString(tableRow(st, cols, width, i == m.cursor) + "\n")
	}
	return b.String()
}

// myProposalsKeys are the keys of the list of my proposals.
type myProposalsKeys struct {
	nav
	OpenRoom, Show, Back key.Binding
}

func newMyProposalsKeys() myProposalsKeys {
	return myProposalsKeys{
		nav:      newNav(),
		OpenRoom: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open workroom"), key.WithDisabled()),
		Show:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show"), key.WithDisabled()),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k myProposalsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.OpenRoom, k.Show, k.Down, k.Up, k.Back}
}

func (k myProposalsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.OpenRoom, k.Show, k.Back}}
}
