package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom"
)

// messagesModel is a workroom's history, newest at the top. It holds only
// the pages loaded so far: opening a room reads one page, and scrolling
// towards the oldest message reads the next older page (cursor paging with
// Page.Before) before the reader gets there. So a room of 100,000 messages
// opens as fast as one of ten.
//
// The scroll position is a message and a line within it, and the view
// renders only from there down, so drawing costs the same however much
// history is loaded.
type messagesModel struct {
	keys messagesKeys
	me   workroom.UserID
	when func(time.Time) string // the session's rule for times (timefmt)

	msgs    []workroom.Message // newest first
	before  uint64             // cursor for the next older page; 0 when the oldest is loaded
	loading bool               // an older page is on its way
	total   uint64             // the newest message's ID: the room's message count

	top, off int // the message at the top of the pane, and its first line shown
	newAbove int // messages that arrived while the reader was scrolled down
	// unreadFrom is the oldest message that was unread when the room
	// opened (0: none); the "new since you last read" divider is drawn
	// below it.
	unreadFrom uint64

	width, height int // the pane's size; the first row is the status line

	// drawn keeps each message's lines as last drawn, so a message that
	// arrives costs the drawing of that one message, not of the whole
	// screen of history (drawn.go). Shared by copies of the model.
	drawn *drawnCache

	// meetings are the records of the meetings whose lines are loaded,
	// drawn as one block each (meetingblock.go); expanded are those
	// opened to show their lines. grouping counts their changes, so the
	// drawn lines follow.
	meetings map[uint64]workroom.Meeting
	expanded map[uint64]bool
	grouping int
	clock    func(time.Time) string // a time of day in the user's zone
	// typing says who is composing in the room now ("Ada is typing…"),
	// shown in the status line.
	typing string
}

// pageSize is how many messages one read brings; prefetch is how close
// (in messages) the reader may come to the end of what is loaded before
// the next older page is asked for.
const (
	pageSize = workroom.DefaultPageSize
	prefetch = pageSize / 2
	// keepLoaded is how many messages a session holds before the oldest
	// are dropped (trim).
	keepLoaded = 2 * pageSize
)

func newMessages(s *session) messagesModel {
	return messagesModel{keys: newMessagesKeys(), me: s.user.ID, when: s.when, drawn: newDrawnCache(),
		meetings: map[uint64]workroom.Meeting{}, expanded: map[uint64]bool{}, clock: s.clock}
}

// reset shows a freshly loaded first page, of which the newest unread
// were unread when it was read.
func (m *messagesModel) reset(p *workroom.Page, unread int) {
	m.msgs, m.before, m.loading = p.Messages, p.Before, false
	m.top, m.off, m.newAbove = 0, 0, 0
	m.total, m.unreadFrom = 0, 0
	if len(p.Messages) > 0 {
		m.total = p.Messages[0].ID
	}
	if unread > 0 && uint64(unread) <= m.total {
		m.unreadFrom = m.total - uint64(unread) + 1
	}
}

func (m *messagesModel) setSize(width, height int) {
	m.width, m.height = width, height
	m.clampBottom()
}

// newest is the ID of the newest message loaded, 0 for an empty room.
func (m messagesModel) newest() uint64 {
	if len(m.msgs) == 0 {
		return 0
	}
	return m.msgs[0].ID
}

// add puts a message that just arrived on top. The caller made sure it is
// the next one (ID newest+1). A reader scrolled down keeps their place.
func (m *messagesModel) add(msg workroom.Message) {
	m.msgs = append(m.msgs, workroom.Message{})
	copy(m.msgs[1:], m.msgs)
	m.msgs[0] = msg
	m.total = max(m.total, msg.ID)
	if m.top > 0 || m.off > 0 {
		m.top++
		m.newAbove++
	}
	m.trim()
}

// trim drops the oldest loaded messages once more than keepLoaded are
// held and the reader is not down among them, keeping pageSize; they are
// read again as an older page if the reader scrolls there. So a session
// that watches a busy room holds what a few screens show, not everything
// that arrived while it was open.
func (m *messagesModel) trim() {
	if len(m.msgs) <= keepLoaded || m.top >= prefetch || m.loading {
		return
	}
	kept := make([]workroom.Message, pageSize)
	copy(kept, m.msgs)
	m.msgs = kept
	m.before = kept[len(kept)-1].ID
}

// appendOlder adds an older page below what is loaded.
func (m *messagesModel) appendOlder(p *workroom.Page) {
	m.loading = false
	oldest := uint64(0)
	if n := len(m.msgs); n > 0 {
		oldest = m.msgs[n-1].ID
	}
	for _, msg := range p.Messages {
		if oldest == 0 || msg.ID < oldest {
			m.msgs = append(m.msgs, msg)
		}
	}
	m.before = p.Before
	m.clampBottom()
}

// wantOlder reports whether the next older page should be asked for now,
// and marks it on its way.
func (m *messagesModel) wantOlder() bool {
	if m.before == 0 || m.loading || len(m.msgs)-m.top > prefetch {
		return false
	}
	m.loading = true
	return true
}

func (m *messagesModel) update(msg tea.KeyPressMsg) {
	rows := m.rows()
	d, isNav := m.keys.step(msg, rows-1) // a page keeps one row in view
	switch {
	case isNav && d < 0:
		m.scrollUp(-d)
	case isNav:
		m.scrollDown(d)
	case key.Matches(msg, m.keys.Newest):
		m.top, m.off = 0, 0
	case key.Matches(msg, m.keys.Oldest):
		m.top, m.off = max(len(m.msgs)-1, 0), 0
		m.clampBottom()
	}
	if m.top == 0 && m.off == 0 {
		m.newAbove = 0
	}
}

// rows is the number of rows for messages (the pane less its status line).
func (m messagesModel) rows() int { return max(m.height-1, 1) }

// Scrolling steps over the lines of a closed meeting block, which take no
// rows (meetingblock.go): only a step that moves what shows counts.
func (m *messagesModel) scrollDown(n int) {
	for n > 0 && m.top < len(m.msgs) {
		if m.off+1 < len(m.lines(m.top)) {
			m.off++
			n--
		} else if m.top+1 < len(m.msgs) {
			m.top, m.off = m.top+1, 0
			if len(m.lines(m.top)) > 0 {
				n--
			}
		} else {
			break
		}
	}
	m.clampBottom()
}

func (m *messagesModel) scrollUp(n int) {
	for n > 0 {
		switch {
		case m.off > 0:
			m.off--
			n--
		case m.top > 0:
			m.top--
			m.off = max(len(m.lines(m.top))-1, 0)
			if len(m.lines(m.top)) > 0 {
				n--
			}
		default:
			return
		}
	}
}

// clampBottom keeps the oldest message's last line at the bottom of the
// pane once the whole history is loaded, so the reader cannot scroll into
// emptiness. While older pages remain, the pane may show its end: the next
// page is already on its way.
func (m *messagesModel) clampBottom() {
	if m.before != 0 || len(m.msgs) == 0 {
		return
	}
	if short := m.rows() - m.linesFrom(m.top, m.off, m.rows()); short > 0 {
		m.scrollUp(short)
	}
}

// linesFrom counts the lines from a position to the end of what is loaded,
// stopping at limit.
func (m messagesModel) linesFrom(top, off, limit int) int {
	n := 0
	for i := top; i < len(m.msgs) && n < limit; i++ {
		n += len(m.lines(i))
		if i == top {
			n -= off
		}
	}
	return n
}

// lines renders message i as the lines it takes: an author line, the body
// wrapped to the pane, and a blank separator. Bodies come from other
// people, so they pass through wrapped (display.go) before anything else.
//
// Bodies wrap at maxMeasure at most, however wide the window. Below the
// oldest message that was unread comes the "new since you last read"
// divider, and below the first message of the room its start.
func (m messagesModel) lines(i int) []string {
	return m.drawn.get(m, i).raw
}

// wrap is lines without the cache.
func (m messagesModel) wrap(i int) []string {
	msg := m.msgs[i]
	mt, carrier := m.block(i)
	switch {
	case mt != nil && !m.expanded[mt.ID] && !carrier:
		return nil // inside a closed block: the block's line stands for it
	case mt != nil && !m.expanded[mt.ID]:
		return m.closedBlock(i, mt)
	}
	body := wrapped(msg.Body, m.measure())
	out := make([]string, 0, strings.Count(body, "\n")+4)
	if carrier {
		out = append(out, blockLine(m.blockTitle(mt, true)))
	}
	out = append(out, authorMark) // the author line is styled at render time
	for _, l := range strings.Split(body, "\n") {
		out = append(out, "  "+l)
	}
	for _, a := range msg.Attachments {
		out = append(out, clip(attachmentLine(a), max(m.width, 10)))
	}
	out = append(out, "")
	return m.dividers(out, msg.ID)
}

// dividers adds the dividers drawn below message id.
func (m messagesModel) dividers(out []string, id uint64) []string {
	if id == m.unreadFrom {
		out = append(out, dividerUnread, "")
	}
	if id == 1 {
		out = append(out, dividerStart)
	}
	return out
}

// Dividers in the history; rendered in the subtle style, centred on the
// measure.
const (
	dividerUnread = "\x00↑ new since you last read"
	dividerStart  = "\x00start of the workroom"
)

// measure is the width bodies wrap at.
func (m messagesModel) measure() int { return min(max(m.width-2, 10), maxMeasure) }

// divider draws a marker line across the measure.
func (m messagesModel) divider(st *styles, text string, unread bool) string {
	text = " " + strings.TrimPrefix(text, "\x00") + " "
	side := max((m.measure()-ansi.StringWidth(text))/2, 2)
	style := st.Faint
	if unread {
		style = st.Unread
	}
	return "  " + style.Render(strings.Repeat("─", side)+text+strings.Repeat("─", side))
}

func (m messagesModel) view(st *styles) string {
	var b strings.Builder
	b.WriteString(m.status(st))
	rows := m.rows()
	for i, n := m.top, 0; i < len(m.msgs) && n < rows; i++ {
		ls := m.drawn.styled(m, st, i)
		from := 0
		if i == m.top {
			from = m.off
		}
		for j := from; j < len(ls) && n < rows; j++ {
			b.WriteString("\n")
			b.WriteString(ls[j])
			n++
		}
	}
	m.drawn.prune(m, rows)
	if m.before != 0 && m.linesFrom(m.top, m.off, rows) < rows {
		b.WriteString("\n" + st.Subtle.Render("  loading older messages…"))
	}
	if len(m.msgs) == 0 {
		b.WriteString("\n" + st.Subtle.Render("  No messages yet. Press i to write the first one."))
	}
	// The history's lines were cut to the width when they were drawn
	// (drawn.go); the frame fits the whole pane once more.
	return padLines(b.String(), m.height)
}

func (m messagesModel) authorLine(st *styles, msg workroom.Message, when string) string {
	author := st.Author
	if msg.AuthorID == m.me {
		author = st.MyAuthor
	}
	line := author.Render(oneLine(msg.AuthorName)) +
		st.Subtle.Render(" · "+when+" · #"+fmt.Sprint(msg.ID)) +
		st.Source.Render(" via "+string(msg.Source))
	if msg.Unverified {
		// The mail's sender could not be authenticated (DKIM, SPF).
		line += st.Source.Render(" (unverified sender)")
	}
	return line
}

// status is the pane's first row: where the reader is in the history.
func (m messagesModel) status(st *styles) string {
	left := ""
	switch {
	case m.newAbove > 0:
		left = st.Unread.Render(fmt.Sprintf("↑ %d new above — press g", m.newAbove))
	case m.typing != "":
		left = st.Subtle.Render(m.typing)
	}
	right := ""
	if len(m.msgs) > 0 {
		right = fmt.Sprintf("newest first · #%d of %d", m.msgs[min(m.top, len(m.msgs)-1)].ID, m.total)
	}
	return padRight(left, m.width-ansi.StringWidth(right)) + st.Subtle.Render(right)
}
