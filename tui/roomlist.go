package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/timefmt"
)

// roomList is the pane listing the user's workrooms: title, their role,
// unread count and last activity, most recently active first. It is at the
// bottom of every signed-in session. Live events bring the one row that
// changed (applyRow), so unread counts change live without reading the
// list again.
type roomList struct {
	paneBase
	sess   *session
	keys   roomListKeys
	rooms  []workroom.Membership
	loaded bool
	before uint64 // cursor of the next page; 0 when all are loaded
	more   bool   // the next page is on its way

	cursor, offset, rows int
	selectID             workroom.RoomID // keep the cursor on this room across reloads

	// chosen are the rooms selected for a broadcast (space), with each
	// row as it was when chosen; the broadcast goes to them (b).
	chosen map[workroom.RoomID]workroom.Membership

	// At most one load is in flight; a request meanwhile marks the list
	// dirty and is served when the load returns, so bursts of events cost
	// one extra load and results never arrive out of order.
	loading, dirty bool
}

// roomsLoadedMsg carries a fresh list, or with more the next page.
type roomsLoadedMsg struct {
	page *workroom.RoomPage
	more bool
	err  error
}

// selectRoomMsg puts the cursor on a room, once the list has it.
type selectRoomMsg struct{ id workroom.RoomID }

func newRoomList(e *env) (pane, tea.Cmd, error) {
	m := &roomList{paneBase: e.newBase(), sess: e.sess, keys: newRoomListKeys()}
	return m, m.reload(), nil
}

// Title counts the rooms selected for a broadcast, so the selection is
// visible wherever the cursor is.
func (m *roomList) Title() string {
	if n := len(m.chosen); n > 0 {
		return fmt.Sprintf("workrooms · %d selected", n)
	}
	return "workrooms"
}

func (m *roomList) Typing() bool { return false }

// Keys offers verification only while the address waits for it, and
// broadcasting and clearing only while rooms are selected.
func (m *roomList) Keys() help.KeyMap {
	m.keys.Verify.SetEnabled(!m.sess.user.EmailVerified && !m.sess.user.EmailLost)
	m.keys.Broadcast.SetEnabled(len(m.chosen) > 0)
	m.keys.Unselect.SetEnabled(len(m.chosen) > 0)
	return m.keys
}

// Event applies the row a live event brings.
func (m *roomList) Event(ev workroom.Event) tea.Cmd {
	switch ev.Kind {
	case workroom.EventMessage, workroom.EventRoom:
		m.applyRow(ev.Row)
	case workroom.EventRemoved:
		m.dropRoom(ev.RoomID)
	}
	return nil
}

// Reload and Revealed read the list afresh.
func (m *roomList) Reload() tea.Cmd   { return m.reload() }
func (m *roomList) Revealed() tea.Cmd { return m.reload() }

// linkCodeMsg brings a code for adding a key (the AddKey key).
type linkCodeMsg struct {
	code    string
	expires time.Time
	err     error
}

// linkCode asks the service for a code that links one more key.
func (m *roomList) linkCode() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return m.do(func() tea.Msg {
		code, expires, err := svc.NewLinkCode(ctx)
		logFailure(log, "link code", uid, err)
		return linkCodeMsg{code: code, expires: expires, err: err}
	})
}

// reload asks for a fresh list, coalescing with a load in flight.
func (m *roomList) reload() tea.Cmd {
	if m.loading {
		m.dirty = true
		return nil
	}
	m.loading = true
	return m.load(0, reloadSize(len(m.rooms)), false)
}

// loadMore asks for the next page when the cursor nears the end of what
// is loaded.
func (m *roomList) loadMore() tea.Cmd {
	if m.before == 0 || m.more || m.loading || !nearEnd(m.cursor, len(m.rooms)) {
		return nil
	}
	m.more = true
	return m.load(m.before, workroom.DefaultPageSize, true)
}

func (m *roomList) load(before uint64, limit int, more bool) tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	return m.do(func() tea.Msg {
		page, err := svc.Rooms(ctx, before, limit)
		logFailure(log, "rooms", uid, err)
		return roomsLoadedMsg{page: page, more: more, err: err}
	})
}

func (m *roomList) Resize(_, height int) {
	// The pane has a column header, then the rows.
	m.rows = max(height-1, 1)
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}

func (m *roomList) Update(msg tea.Msg) tea.Cmd {
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
			return m.loadMore()
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
			return m.reload()
		}
	case selectRoomMsg:
		m.selectID = msg.id
	case broadcastSentMsg:
		for _, id := range msg.posted {
			delete(m.chosen, id)
		}
	case linkCodeMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
		} else {
			m.notice = okNotice(fmt.Sprintf("Link code %s (until %s): from the new key run `keys link %[1]s`, or pick \"I already have an account\" on sign-up.",
				msg.code, timefmt.Date(msg.expires, m.sess.user.Location())))
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// applyRooms shows a new list with the cursor on the same room as before
// (or on the room asked for), wherever it moved.
func (m *roomList) applyRooms(rooms []workroom.Membership) {
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
func (m *roomList) applyRow(r *workroom.Membership) {
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

func (m *roomList) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	m.Keys() // the bindings as the help bar shows them
	if d, ok := m.keys.step(msg, m.rows); ok {
		m.move(d)
		return m.loadMore()
	}
	switch {
	case key.Matches(msg, m.keys.Open):
		if m.cursor < len(m.rooms) {
			return send(openMsg{open: openRoom(m.rooms[m.cursor].ID), fromList: true})
		}
	case key.Matches(msg, m.keys.Select):
		m.toggle()
		return m.loadMore()
	case key.Matches(msg, m.keys.Broadcast):
		return open(openBroadcast(m.chosenRooms(), m.id))
	case key.Matches(msg, m.keys.Unselect):
		m.chosen = nil
		m.notice = notice{}
	case key.Matches(msg, m.keys.Jobs):
		return open(openJobs)
	case key.Matches(msg, m.keys.Verify):
		return open(openVerify)
	case key.Matches(msg, m.keys.Settings):
		return open(openSettings)
	case key.Matches(msg, m.keys.AddKey):
		return m.linkCode()
	case key.Matches(msg, m.keys.Refresh):
		m.notice = notice{}
		return m.reload()
	}
	return nil
}

// toggle selects the room under the cursor for a broadcast, or lets it
// go, and moves down, so space space space selects a run of rooms.
func (m *roomList) toggle() {
	if m.cursor >= len(m.rooms) {
		return
	}
	r := m.rooms[m.cursor]
	switch _, on := m.chosen[r.ID]; {
	case on:
		delete(m.chosen, r.ID)
	case len(m.chosen) >= workroom.MaxBroadcastRooms:
		m.notice = notice{text: fmt.Sprintf("A broadcast goes to at most %d workrooms; send this one and select the rest after.", workroom.MaxBroadcastRooms), kind: noticeError}
		return
	default:
		if m.chosen == nil {
			m.chosen = make(map[workroom.RoomID]workroom.Membership)
		}
		m.chosen[r.ID] = r
	}
	m.move(1)
}

// chosenRooms are the selected rooms in the list's order; those no
// longer shown (the list moved on) after them, by id.
func (m *roomList) chosenRooms() []workroom.Membership {
	out := make([]workroom.Membership, 0, len(m.chosen))
	seen := make(map[workroom.RoomID]bool)
	for _, r := range m.rooms {
		if _, ok := m.chosen[r.ID]; ok {
			out = append(out, r)
			seen[r.ID] = true
		}
	}
	var rest []workroom.Membership
	for id, r := range m.chosen {
		if !seen[id] {
			rest = append(rest, r)
		}
	}
	slices.SortFunc(rest, func(a, b workroom.Membership) int { return cmp.Compare(a.ID, b.ID) })
	return append(out, rest...)
}

func (m *roomList) move(n int) {
	m.selectID = 0
	m.cursor = max(min(m.cursor+n, len(m.rooms)-1), 0)
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}

// Column widths in cells; the title takes what is left (table.go).
const (
	colID       = 6  // "#12345"
	colRole     = 10 // "freelancer"
	colUnread   = 6  // "UNREAD"
	colActivity = 21 // "2026-11-29 23:50 CEST", or "5 min ago"
)

// draftMark starts the title of a room holding the user's draft;
// chosenMark that of a room selected for a broadcast.
const (
	draftMark  = "✎ "
	chosenMark = "✓ "
)

// columns are a row's cells; the header passes the column names.
func (m *roomList) columns(st *styles, id, title, role, unread, activity string) []column {
	return []column{
		{text: id, width: colID, style: st.Subtle},
		{text: title, style: st.Text},
		{text: role, width: colRole, style: st.Subtle},
		{text: unread, width: colUnread, right: true, style: st.Unread, keep: true},
		{text: activity, width: colActivity, style: st.Subtle},
	}
}

func (m *roomList) View(width, height int) string {
	st := m.env.st
	var b strings.Builder
	b.WriteString(tableHeader(st, m.columns(st, "ROOM", "TITLE", "ROLE", "UNREAD", "LAST ACTIVITY"), width))
	b.WriteString("\n")
	switch {
	case !m.loaded:
		b.WriteString(st.Subtle.Render(" loading your workrooms…"))
	case len(m.rooms) == 0:
		b.WriteString(st.Subtle.Render(" No workrooms yet. A workroom opens when a job is awarded:\n press J to post a job, or to propose on someone else's."))
	default:
		for i := m.offset; i < len(m.rooms) && i < m.offset+m.rows; i++ {
			b.WriteString(m.row(st, m.rooms[i], width, i == m.cursor))
			b.WriteString("\n")
		}
		if m.before != 0 && m.offset+m.rows >= len(m.rooms) {
			b.WriteString(st.Subtle.Render(" loading more workrooms…"))
		}
	}
	return b.String()
}

// completedMark follows the title of a workroom whose job is complete.
const completedMark = " (completed)"

func (m *roomList) row(st *styles, r workroom.Membership, width int, selected bool) string {
	unread := ""
	if r.Unread > 0 {
		unread = strconv.Itoa(r.Unread)
	}
	title := oneLine(r.Title)
	if r.Draft {
		title = draftMark + title
	}
	if !r.Completed.IsZero() {
		title += completedMark
	}
	if _, ok := m.chosen[r.ID]; ok {
		title = chosenMark + title
	}
	cols := m.columns(st, "#"+strconv.FormatUint(uint64(r.ID), 10), title, string(r.Role), unread, m.sess.when(r.LastActivity))
	return tableRow(st, cols, width, selected)
}

// Hint is the standing reminder in the notice line while the address is
// not verified.
func (m *roomList) Hint() notice {
	if m.sess.user.EmailLost {
		return notice{text: "Your address was verified by another account; set another with `verify --email NEW-ADDRESS` over SSH."}
	}
	if !m.sess.user.EmailVerified {
		return notice{text: fmt.Sprintf("%s is not verified yet: press v to enter the code from the mail.", oneLine(m.sess.user.Email))}
	}
	return notice{}
}
