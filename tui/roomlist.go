package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// roomListModel is the list of the user's workrooms: title, their role,
// unread count and last activity, most recently active first. Live events
// bring the one row that changed (applyRow), so unread counts change live
// without reading the list again.
type roomListModel struct {
	sess   *session
	keys   roomListKeys
	rooms  []workroom.Membership
	loaded bool
	before uint64 // cursor of the next page; 0 when all are loaded
	more   bool   // the next page is on its way

	cursor, offset, rows int
	selectID             workroom.RoomID // keep the cursor on this room across reloads

	// At most one load is in flight; a request meanwhile marks the list
	// dirty and is served when the load returns, so bursts of events cost
	// one extra load and results never arrive out of order.
	loading, dirty bool

	notice notice
}

// roomsLoadedMsg carries a fresh list, or with more the next page.
type roomsLoadedMsg struct {
	page *workroom.RoomPage
	more bool
	err  error
}

// openRoomMsg asks the app to open a workroom.
type openRoomMsg struct{ id workroom.RoomID }

// showJobsMsg asks the app to show the jobs screen.
type showJobsMsg struct{}

// showVerifyMsg asks the app to show the verification step.
type showVerifyMsg struct{}

func newRoomList(sess *session) roomListModel {
	m := roomListModel{sess: sess, keys: newRoomListKeys()}
	m.keys.Verify.SetEnabled(!sess.user.EmailVerified && !sess.user.EmailLost)
	return m
}

// linkCodeMsg brings a code for adding a key (the AddKey key).
type linkCodeMsg struct {
	code    string
	expires time.Time
	err     error
}

// linkCode asks the service for a code that links one more key.
func (m roomListModel) linkCode() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return func() tea.Msg {
		code, expires, err := svc.NewLinkCode(ctx)
		logFailure(log, "link code", uid, err)
		return linkCodeMsg{code: code, expires: expires, err: err}
	}
}

// reload asks for a fresh list, coalescing with a load in flight.
func (m *roomListModel) reload() tea.Cmd {
	if m.loading {
		m.dirty = true
		return nil
	}
	m.loading = true
	return m.load(0, reloadSize(len(m.rooms)), false)
}

// loadMore asks for the next page when the cursor nears the end of what
// is loaded.
func (m *roomListModel) loadMore() tea.Cmd {
	if m.before == 0 || m.more || m.loading || !nearEnd(m.cursor, len(m.rooms)) {
		return nil
	}
	m.more = true
	return m.load(m.before, workroom.DefaultPageSize, true)
}

func (m *roomListModel) load(before uint64, limit int, more bool) tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return func() tea.Msg {
		page, err := svc.Rooms(ctx, before, limit)
		logFailure(log, "rooms", uid, err)
		return roomsLoadedMsg{page: page, more: more, err: err}
	}
}

func (m *roomListModel) setSize(height int) {
	// The body has a column header, the rows, and a notice line.
	m.rows = max(height-3, 1)
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}

func (m *roomListModel) setVerified(verified bool) { m.keys.Verify.SetEnabled(!verified) }

func (m roomListModel) update(msg tea.Msg) (roomListModel, tea.Cmd) {
	switch msg := msg.(type) {
	case roomsLoadedMsg:
		if msg.more {
			m.more = false
			if msg.err != nil {
				m.notice = errorNotice(msg.err)
			} else if m.before != 0 {
				m.rooms = appendNew(m.rooms, msg.page.Rooms, func(r workroom.Membership) workroom.RoomID { return r.ID })
				m.before = msg.page.Before
			}
			return m, m.loadMore()
		}
		m.loading = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
		} else {
			m.applyRooms(msg.page.Rooms)
			m.before = msg.page.Before
		}
		if m.dirty {
			m.dirty = false
			cmd := m.reload()
			return m, cmd
		}
	case linkCodeMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
		} else {
			m.notice = okNotice(fmt.Sprintf("Link code %s (until %s): from the new key run `keys link %[1]s`, or pick \"I already have an account\" on sign-up.",
				msg.code, msg.expires.UTC().Format("15:04 UTC")))
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

// applyRooms shows a new list with the cursor on the same room as before
// (or on the room asked for), wherever it moved.
func (m *roomListModel) applyRooms(rooms []workroom.Membership) {
	want := m.selectID
	if want == 0 && m.cursor < len(m.rooms) {
		want = m.rooms[m.cursor].ID
	}
	m.rooms, m.loaded = rooms, true
	m.cursor = min(m.cursor, max(len(rooms)-1, 0))
	for i, r := range rooms {
		if r.ID == want {
			m.cursor = i
			m.selectID = 0
		}
	}
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}

// applyRow puts one changed row in place — replaced, or inserted where
// its activity puts it — with the cursor on the same room. A row older
// than every loaded one while more pages remain is left to those pages.
// A load in flight may have read the list before the change: it is
// loaded once more when it returns.
func (m *roomListModel) applyRow(r *workroom.Membership) {
	if r == nil || !m.loaded {
		return // the first load brings it
	}
	if m.loading {
		m.dirty = true
	}
	want := m.selectID
	if want == 0 && m.cursor < len(m.rooms) {
		want = m.rooms[m.cursor].ID
	}
	n := len(m.rooms)
	m.rooms = slices.DeleteFunc(m.rooms, func(x workroom.Membership) bool { return x.ID == r.ID })
	shown := len(m.rooms) < n
	at, _ := slices.BinarySearchFunc(m.rooms, r.Activity, func(x workroom.Membership, a uint64) int { return cmp.Compare(a, x.Activity) })
	if shown || at < len(m.rooms) || m.before == 0 {
		m.rooms = slices.Insert(m.rooms, at, *r)
	}
	for i, x := range m.rooms {
		if x.ID == want {
			m.cursor = i
		}
	}
	m.cursor = min(m.cursor, max(len(m.rooms)-1, 0))
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}

func (m roomListModel) handleKey(msg tea.KeyPressMsg) (roomListModel, tea.Cmd) {
	if d, ok := m.keys.step(msg, m.rows); ok {
		m.move(d)
		return m, m.loadMore()
	}
	switch {
	case key.Matches(msg, m.keys.Open):
		if m.cursor < len(m.rooms) {
			id := m.rooms[m.cursor].ID
			return m, func() tea.Msg { return openRoomMsg{id: id} }
		}
	case key.Matches(msg, m.keys.Jobs):
		return m, func() tea.Msg { return showJobsMsg{} }
	case key.Matches(msg, m.keys.Verify):
		return m, func() tea.Msg { return showVerifyMsg{} }
	case key.Matches(msg, m.keys.AddKey):
		return m, m.linkCode()
	case key.Matches(msg, m.keys.Refresh):
		m.notice = notice{}
		cmd := m.reload()
		return m, cmd
	}
	return m, nil
}

func (m *roomListModel) move(n int) {
	m.selectID = 0
	m.cursor = max(min(m.cursor+n, len(m.rooms)-1), 0)
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}

// Column widths; the title takes what is left.
const (
	colID       = 7
	colRole     = 11
	colUnread   = 8
	colActivity = 13
)

func (m roomListModel) view(st styles, width, height int) string {
	var b strings.Builder
	titleW := width - colID - colRole - colUnread - colActivity - 2
	b.WriteString(st.Label.Render(" " + padRight("ROOM", colID-1) + padRight("TITLE", titleW) + padRight("ROLE", colRole) + padLeft("UNREAD", colUnread-2) + "  " + padRight("LAST ACTIVITY", colActivity)))
	b.WriteString("\n")
	switch {
	case !m.loaded:
		b.WriteString(st.Subtle.Render(" loading your workrooms…"))
	case len(m.rooms) == 0:
		b.WriteString(st.Subtle.Render(" No workrooms yet. A workroom opens when a job is awarded:\n press J to post a job, or to propose on someone else's."))
	default:
		for i := m.offset; i < len(m.rooms) && i < m.offset+m.rows; i++ {
			b.WriteString(m.row(st, m.rooms[i], titleW, i == m.cursor))
			b.WriteString("\n")
		}
		if m.before != 0 && m.offset+m.rows >= len(m.rooms) {
			b.WriteString(st.Subtle.Render(" loading more workrooms…"))
		}
	}
	body := fit(b.String(), width, height-1)
	return body + "\n" + m.footer(st, width)
}

func (m roomListModel) row(st styles, r workroom.Membership, titleW int, selected bool) string {
	unread := ""
	if r.Unread > 0 {
		unread = strconv.Itoa(r.Unread)
	}
	cells := []string{
		" " + padRight("#"+strconv.FormatUint(uint64(r.ID), 10), colID-1),
		padRight(oneLine(r.Title), titleW),
		padRight(string(r.Role), colRole),
		padLeft(unread, colUnread-2) + "  ",
		padRight(r.LastActivity.UTC().Format("Jan 02 15:04"), colActivity),
		"  ",
	}
	if selected {
		return st.Selected.Render(strings.Join(cells, ""))
	}
	cells[0] = st.Subtle.Render(cells[0])
	cells[2] = st.Subtle.Render(cells[2])
	cells[3] = st.Unread.Render(cells[3])
	cells[4] = st.Subtle.Render(cells[4])
	return strings.Join(cells, "")
}

// footer is the notice line: an error or result if there is one, else the
// reminder to verify the email address.
func (m roomListModel) footer(st styles, width int) string {
	if m.notice.text != "" {
		return m.notice.view(st, width)
	}
	if m.sess.user.EmailLost {
		return notice{text: "Your address was verified by another account; set another with `verify --email NEW-ADDRESS` over SSH."}.view(st, width)
	}
	if !m.sess.user.EmailVerified {
		return notice{text: fmt.Sprintf("%s is not verified yet: press v to enter the code from the mail.", oneLine(m.sess.user.Email))}.view(st, width)
	}
	return ""
}
