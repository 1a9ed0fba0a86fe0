package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// meetingPane is meeting mode: the meeting's lines, oldest at the top and
// the newest just above the line being written, who is typing, and the
// line being written, which has the focus throughout. A line appears on
// every attendee's screen as it is sent (it comes back as the room's
// message event). Esc leaves the meeting, back to the workroom; leaving
// the workroom or quitting leaves it too, and when fewer than two
// attendees remain the meeting ends and this pane closes by itself.
//
// It opens over the room's pane (roommeeting.go), which stays open
// underneath: the session stays present in the room through it.
type meetingPane struct {
	paneBase
	room     *roomPane
	sess     *session
	keys     meetingKeys
	composer composerModel
	lines    []workroom.Message // the meeting's lines, oldest first
	// outbox holds lines sent whose posts have not returned, oldest
	// first; only the oldest is on its way, so lines keep their order.
	outbox []string
	ended  bool // the meeting ended: nothing to leave on close
	width  int
	drawn  drawnLines
	// rows is the last frame's rows (Rows), its array reused; the
	// composer's view as last drawn, its rows cut to the width, and what
	// cut them.
	rows          []string
	composerDrawn string
	composerSplit []string
	composerFit   fitCache
}

// drawnLines is what meeting mode drew above the composer, kept while
// nothing it shows changes: View runs after every message (each key
// press, each event), and while someone types only the composer changes.
// A line's rows are drawn once, when it arrives. What is kept holds for
// one width, theme and time zone.
type drawnLines struct {
	width  int
	st     *styles
	tz     string              // the user's time zone, which the times are in
	blocks map[uint64][]string // the rows of the lines on screen, by ID

	// lines is the rows of the lines, for these; head and foot the
	// status line and who types, drawn from status and typing. Someone
	// starting or stopping to type redraws only the foot.
	lines          []string
	head, foot     string
	drawn          bool // the three were drawn for this width and theme
	rows, count    int
	newest         uint64
	status, typing string
}

// keepLines is how many lines meeting mode holds; the history has them
// all.
const keepLines = 200

type meetingSentMsg struct {
	msg *workroom.Message
	err error
}

// newMeeting opens meeting mode over the room, with the meeting's lines
// the room has loaded.
func newMeeting(e *env, r *roomPane) (pane, tea.Cmd, error) {
	p := &meetingPane{paneBase: e.newBase(), room: r, sess: e.sess, keys: newMeetingKeys(), composer: newComposer(e)}
	if mt := r.meet.running; mt != nil {
		for i := len(r.msgs.msgs) - 1; i >= 0; i-- {
			if mt.Holds(&r.msgs.msgs[i]) {
				p.lines = append(p.lines, r.msgs.msgs[i])
			}
		}
	}
	r.meet.open = p
	return p, p.composer.focus(), nil
}

// Close leaves the meeting, unless it ended.
func (p *meetingPane) Close() {
	p.room.meet.open = nil
	if p.ended {
		return
	}
	err := p.sess.svc.LeaveMeeting(p.sess.ctx, p.room.visit)
	if workroom.ErrorCode(err) != workroom.ENOTFOUND {
		logFailure(p.sess.log, "leave meeting", p.sess.user.ID, err)
	}
}

func (p *meetingPane) Restyle()          { p.composer.restyle() }
func (p *meetingPane) Typing() bool      { return true }
func (p *meetingPane) Keys() help.KeyMap { return p.keys }

func (p *meetingPane) Title() string { return p.room.Title() + " · meeting" }

func (p *meetingPane) Resize(width, height int) {
	p.width = width
	p.composer.setWidth(width)
}

// Event shows a line as it arrives, and who joins and leaves; the end of
// the meeting closes meeting mode.
func (p *meetingPane) Event(ev workroom.Event) tea.Cmd {
	if ev.RoomID != p.room.id {
		return nil
	}
	switch {
	case ev.Kind == workroom.EventMessage && ev.Message != nil:
		p.add(*ev.Message)
	case ev.Kind == workroom.EventMeeting && ev.Meeting != nil:
		c := ev.Meeting
		switch c.What {
		case workroom.MeetingJoined:
			p.notice = notice{text: fmt.Sprintf("%s joined the meeting.", oneLine(c.Name))}
		case workroom.MeetingLeft:
			p.notice = notice{text: fmt.Sprintf("%s left the meeting.", oneLine(c.Name))}
		case workroom.MeetingEnded:
			p.ended = true
			return closePaneCmd(notice{text: fmt.Sprintf("The meeting ended: %s left.", oneLine(c.Name))})
		}
	}
	return nil
}

// add shows a line of the meeting, once.
func (p *meetingPane) add(m workroom.Message) {
	mt := p.room.meet.running
	if mt == nil || !mt.Holds(&m) {
		return
	}
	if n := len(p.lines); n > 0 && p.lines[n-1].ID >= m.ID {
		return
	}
	p.lines = append(p.lines, m)
	if len(p.lines) > keepLines {
		p.lines = p.lines[len(p.lines)-keepLines:]
	}
}

func (p *meetingPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case meetingSentMsg:
		return p.sent(msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.Leave):
			return closePaneCmd(notice{text: "You left the meeting."})
		case key.Matches(msg, p.keys.Send):
			text := p.composer.take()
			if strings.TrimSpace(text) == "" {
				p.room.typingLater()
				return nil
			}
			p.room.sentLine()
			p.outbox = append(p.outbox, text)
			if len(p.outbox) > 1 {
				return nil // it goes when the one before returns
			}
			return p.send(text)
		}
		p.room.typingLater()
		return p.composer.update(msg)
	case tea.PasteMsg:
		p.room.typingLater()
		return p.composer.update(msg)
	}
	return p.composer.update(msg) // the cursor's blink
}

// send posts one line of the meeting.
func (p *meetingPane) send(text string) tea.Cmd {
	svc, ctx, log, uid, v := p.sess.svc, p.sess.ctx, p.sess.log, p.sess.user.ID, p.room.visit
	return p.do(func() tea.Msg {
		m, err := svc.MeetingLine(ctx, v, text)
		logFailure(log, "meeting line", uid, err)
		return meetingSentMsg{msg: m, err: err}
	})
}

// sent takes a line's result and sends the next waiting. A refused line
// goes back into the composer with those after it.
func (p *meetingPane) sent(msg meetingSentMsg) tea.Cmd {
	if len(p.outbox) == 0 {
		return nil
	}
	if msg.err != nil {
		p.notice = errorNotice(msg.err)
		p.composer.restore(strings.Join(p.outbox, "\n"))
		p.outbox = nil
		return nil
	}
	p.notice = notice{}
	p.outbox = p.outbox[1:]
	p.add(*msg.msg)
	if len(p.outbox) > 0 {
		return p.send(p.outbox[0])
	}
	return nil
}

// View is Rows joined: the app draws meeting mode from Rows.
func (p *meetingPane) View(width, height int) string {
	return strings.Join(p.Rows(width, height), "\n")
}

// Rows: a status line, the lines bottom-aligned above who is typing, and
// the composer, exactly height rows. It runs for every key typed, so
// nothing is joined to be split again (rowsPane), and everything above
// the composer is kept as drawn until what it shows changes (drawnLines).
func (p *meetingPane) Rows(width, height int) []string {
	st := p.env.st // a pointer: the styles are kilobytes
	rows := max(height-composerRows-2-2, 1)
	out := p.above(st, p.status(), width, rows, p.rows[:0])
	out = append(out, p.composerRows(st, width)...)
	if len(out) > height {
		out = out[:height]
	}
	for len(out) < height {
		out = append(out, "")
	}
	p.rows = out
	return out
}

// status is the meeting's status line: since when, and who attends.
func (p *meetingPane) status() string {
	mt := p.room.meet.running
	if mt == nil {
		return "Meeting"
	}
	return fmt.Sprintf("Meeting since %s · %s", p.sess.clock(mt.Started), oneLine(mt.Names()))
}

// composerRows is the composer's rows, each cut to width. Only the rows
// that changed since the last frame are cut again (fitCache): a key
// changes one row, and cutting a styled row means measuring every
// grapheme in it.
func (p *meetingPane) composerRows(st *styles, width int) []string {
	v := p.composer.view(st, width)
	if v != p.composerDrawn {
		p.composerDrawn = v
		p.composerSplit = p.composerFit.rows(v, width, strings.Count(v, "\n")+1)
	}
	return p.composerSplit
}

// above appends the status line, the lines and who is typing to out,
// drawn again only when one of them changes.
func (p *meetingPane) above(st *styles, status string, width, rows int, out []string) []string {
	d := &p.drawn
	var newest uint64
	if n := len(p.lines); n > 0 {
		newest = p.lines[n-1].ID
	}
	tz := p.sess.user.TZ
	if d.width != width || d.st != p.env.st || d.tz != tz {
		*d = drawnLines{width: width, st: p.env.st, tz: tz, blocks: map[uint64][]string{}}
	}
	if !d.drawn || d.rows != rows || d.count != len(p.lines) || d.newest != newest {
		d.rows, d.count, d.newest = rows, len(p.lines), newest
		d.lines = p.lineRows(st, width, rows)
	}
	if !d.drawn || d.status != status {
		d.status, d.head = status, clip(st.Author.Render(status), width)
	}
	if typing := p.room.msgs.typing; !d.drawn || d.typing != typing {
		d.typing, d.foot = typing, clip(st.Subtle.Render(typing), width)
	}
	d.drawn = true
	out = append(out, d.head)
	out = append(out, d.lines...)
	return append(out, d.foot)
}

// lineRows is the newest lines that fit in rows, each author line then
// the body, padded at the top.
func (p *meetingPane) lineRows(st *styles, width, rows int) []string {
	if len(p.lines) == 0 {
		out := make([]string, rows)
		out[rows-1] = st.Subtle.Render("  The meeting has begun: write a line and press enter.")
		return out
	}
	shown := make(map[uint64][]string, len(p.drawn.blocks)+1)
	first, n := len(p.lines), 0
	for first > 0 && n < rows {
		first--
		b := p.lineBlock(st, width, p.lines[first])
		shown[p.lines[first].ID] = b
		n += len(b)
	}
	p.drawn.blocks = shown // what scrolled away is not drawn again
	out := make([]string, max(rows-n, 0), max(rows, n))
	for _, m := range p.lines[first:] {
		out = append(out, shown[m.ID]...)
	}
	return out[len(out)-rows:]
}

// lineBlock is one line's rows, its author line then its body, drawn once
// for the width, theme and time zone drawnLines holds.
func (p *meetingPane) lineBlock(st *styles, width int, m workroom.Message) []string {
	if b, ok := p.drawn.blocks[m.ID]; ok {
		return b
	}
	author := st.Author
	if m.AuthorID == p.sess.user.ID {
		author = st.MyAuthor
	}
	block := []string{clip(author.Render(oneLine(m.AuthorName))+st.Subtle.Render(" · "+p.sess.clockSeconds(m.Created)), width)}
	for _, l := range strings.Split(wrapped(m.Body, max(width-2, 10)), "\n") {
		block = append(block, clip(st.Body.Render("  "+l), width))
	}
	return block
}
