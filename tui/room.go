package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// roomPane is one open workroom: its history above, the composer below.
// The history has the focus until the reader moves it to the composer.
// While the pane is open, the session is present in the room (visit).
type roomPane struct {
	paneBase
	sess  *session
	id    workroom.RoomID
	visit *workroom.Visit      // the session's presence in the room
	info  *workroom.Membership // nil until the first page arrived

	gen int // the latest load (session.nextGen); older results are dropped
	// pending holds messages that arrived live before the first page did;
	// they are applied on top of it.
	pending []workroom.Message
	// outbox holds the texts sent from the composer whose posts have not
	// returned, oldest first; only the oldest is on its way, so they are
	// posted in the order they were sent. The composer is cleared at
	// send time, so what is typed meanwhile stays; a refused post gives
	// its text (and those after it) back.
	outbox []outgoing
	// attach are the files of the room chosen for the message being
	// written (attachpicker.go); they go with the next one sent.
	attach []string

	msgs          messagesModel
	composer      composerModel
	width, height int

	// savedDraft is the composer's text as last saved as the draft (or
	// restored from it); typedSeq counts changes, so only the pause after
	// the last saves (draft.go).
	savedDraft string
	typedSeq   int
	restored   bool // the stored draft was put in the composer

	meet roomMeeting // meeting mode and who is typing (roommeeting.go)
}

// outgoing is a message sent from the composer: its text and the paths
// of the files it carries.
type outgoing struct {
	body   string
	attach []string
}

// Messages about a room carry its id and the load they belong to.
type (
	roomOpenedMsg struct {
		id      workroom.RoomID
		gen     int
		info    *workroom.Membership
		page    *workroom.Page
		draft   string
		running *workroom.Meeting // the meeting running in the room, if any
		err     error
	}
	olderLoadedMsg struct {
		id   workroom.RoomID
		gen  int
		page *workroom.Page
		err  error
	}
	// gapLoadedMsg brings messages that were missed between the newest
	// shown and one that just arrived.
	gapLoadedMsg struct {
		id   workroom.RoomID
		gen  int
		page *workroom.Page
		err  error
	}
	postedMsg struct {
		id  workroom.RoomID
		msg *workroom.Message
		err error
	}
)

// newRoom enters the room (presence; outsiders get "no such workroom",
// which the list shows) and starts loading it. Entering is done here, in
// the app's Update, rather than in a command, because the order of
// entering and leaving matters and commands run concurrently; it is one
// read of the membership, which never waits for writers.
func newRoom(e *env, id workroom.RoomID) (pane, tea.Cmd, error) {
	visit, err := e.svc.Enter(e.sess.ctx, e.sub, id)
	if err != nil {
		logFailure(e.log, "enter", e.sess.user.ID, err)
		return nil, nil, err
	}
	r := &roomPane{paneBase: e.newBase(), sess: e.sess, id: id, visit: visit, msgs: newMessages(e.sess), composer: newComposer(e)}
	r.gen = e.sess.nextGen()
	return r, r.load(), nil
}

// Close keeps what the composer holds as the room's draft, and leaves
// the room.
func (r *roomPane) Close() {
	r.saveDraftNow()
	r.visit.Leave()
}

// Restyle gives the composer the styles again.
func (r *roomPane) Restyle() { r.composer.restyle() }

// Event shows a message posted in this room, a change of its meeting,
// and who is typing in it.
func (r *roomPane) Event(ev workroom.Event) tea.Cmd {
	if ev.RoomID != r.id {
		return nil
	}
	switch {
	case ev.Kind == workroom.EventMessage && ev.Message != nil:
		r.stoppedTyping(ev.Message.AuthorID)
		return r.arrived(*ev.Message)
	case ev.Kind == workroom.EventMeeting && ev.Meeting != nil:
		return r.meetingEvent(ev.Meeting)
	case ev.Kind == workroom.EventTyping && ev.Typing != nil:
		return r.typingEvent(ev.Typing)
	}
	return nil
}

// Reload reads the room afresh.
func (r *roomPane) Reload() tea.Cmd { return r.reload() }

// load reads the room and its newest page. Reading the newest page marks
// the room read.
func (r *roomPane) load() tea.Cmd {
	svc, ctx, log, uid, id, gen := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.gen
	return r.do(func() tea.Msg {
		info, err := svc.Room(ctx, id)
		if err != nil {
			logFailure(log, "room", uid, err)
			return roomOpenedMsg{id: id, gen: gen, err: err}
		}
		page, err := svc.Messages(ctx, id, 0, pageSize)
		logFailure(log, "messages", uid, err)
		if err != nil {
			return roomOpenedMsg{id: id, gen: gen, err: err}
		}
		draft, err := svc.Draft(ctx, id)
		logFailure(log, "draft", uid, err) // the room opens without it
		running, err := svc.RunningMeeting(ctx, id)
		logFailure(log, "meeting", uid, err) // the room opens without it
		return roomOpenedMsg{id: id, gen: gen, info: info, page: page, draft: draft, running: running}
	})
}

// reload reads the room afresh, dropping loads still on their way.
func (r *roomPane) reload() tea.Cmd {
	r.gen = r.sess.nextGen()
	return r.load()
}

func (r *roomPane) loadOlder() tea.Cmd {
	svc, ctx, log, uid, id, gen, before := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.gen, r.msgs.before
	return r.do(func() tea.Msg {
		page, err := svc.Messages(ctx, id, before, pageSize)
		logFailure(log, "messages", uid, err)
		return olderLoadedMsg{id: id, gen: gen, page: page, err: err}
	})
}

// loadGap reads the messages after the newest shown up to and including
// upto, which just arrived.
func (r *roomPane) loadGap(upto uint64) tea.Cmd {
	svc, ctx, log, uid, id, gen := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.gen
	limit := int(upto - r.msgs.newest())
	return r.do(func() tea.Msg {
		page, err := svc.Messages(ctx, id, upto+1, limit)
		logFailure(log, "messages", uid, err)
		return gapLoadedMsg{id: id, gen: gen, page: page, err: err}
	})
}

func (r *roomPane) post(out outgoing) tea.Cmd {
	svc, ctx, log, uid, id := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id
	return r.do(func() tea.Msg {
		m, err := svc.PostAttached(ctx, id, out.body, workroom.SourceTerminal, out.attach)
		logFailure(log, "post", uid, err)
		return postedMsg{id: id, msg: m, err: err}
	})
}

// markRead records that the user, who has the room open, has read up to a
// message that just arrived.
func (r *roomPane) markRead(upto uint64) tea.Cmd {
	svc, ctx, log, uid, id := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id
	return func() tea.Msg {
		logFailure(log, "mark read", uid, svc.MarkRead(ctx, id, upto))
		return nil
	}
}

// Resize lays the room out: the history takes what the composer (with
// its border) leaves.
func (r *roomPane) Resize(width, height int) {
	r.width, r.height = width, height
	r.composer.setWidth(width)
	r.msgs.setSize(width, max(height-composerRows-2-attachedRows(r.attach), 2))
}

// Typing: the composer takes every key while it has the focus.
func (r *roomPane) Typing() bool { return r.composer.focused() }

func (r *roomPane) Keys() help.KeyMap {
	if r.composer.focused() {
		return r.composer.keys
	}
	return r.msgs.keys
}

func (r *roomPane) Title() string {
	if r.info == nil {
		return fmt.Sprintf("#%d", r.id)
	}
	title := fmt.Sprintf("#%d %s · %s", r.id, oneLine(r.info.Title), r.info.Role)
	if !r.info.Completed.IsZero() {
		title += " · completed"
	}
	if !r.info.Notify {
		title += " · mail off"
	}
	return title
}

func (r *roomPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case roomOpenedMsg:
		if msg.id != r.id || msg.gen != r.gen {
			return nil
		}
		if msg.err != nil {
			// No such workroom (or not ours: the same words): back to
			// the list, which says so.
			return toList(errorNotice(msg.err), nil)
		}
		r.info = msg.info
		r.msgs.keys.notifyHelp(msg.info.Notify)
		r.msgs.reset(msg.page, msg.info.Unread)
		r.msgs.addMeetings(msg.page.Meetings)
		if msg.running != nil {
			r.meet.running = msg.running
			r.msgs.setMeeting(*msg.running)
		}
		r.syncMeetingKeys()
		if !r.restored && msg.draft != "" && r.composer.value() == "" {
			r.composer.restore(msg.draft)
			r.savedDraft = msg.draft
		}
		r.restored = true
		pending := r.pending
		r.pending = nil
		var cmds []tea.Cmd
		for _, m := range pending {
			cmds = append(cmds, r.arrived(m))
		}
		cmds = append(cmds, r.maybeOlder())
		return tea.Batch(cmds...)
	case olderLoadedMsg:
		if msg.id != r.id || msg.gen != r.gen {
			return nil
		}
		if msg.err != nil {
			r.msgs.loading = false
			r.notice = errorNotice(msg.err)
			return nil
		}
		r.msgs.appendOlder(msg.page)
		r.msgs.addMeetings(msg.page.Meetings)
		r.syncMeetingKeys()
		return r.maybeOlder()
	case gapLoadedMsg:
		if msg.id != r.id || msg.gen != r.gen || msg.err != nil {
			return nil
		}
		r.msgs.addMeetings(msg.page.Meetings)
		for i := len(msg.page.Messages) - 1; i >= 0; i-- {
			if m := msg.page.Messages[i]; m.ID == r.msgs.newest()+1 {
				r.msgs.add(m)
				r.msgs.lineArrived(m)
			}
		}
		return nil
	case postedMsg:
		return r.posted(msg)
	case notifySetMsg:
		r.notifySet(msg)
		return nil
	case attachChosenMsg:
		r.attach = msg.paths
		r.Resize(r.width, r.height)
		return nil
	case tea.KeyPressMsg:
		return r.handleKey(msg)
	case tea.PasteMsg:
		if r.composer.focused() {
			r.typingLater()
			return tea.Batch(r.composer.update(msg), r.typed())
		}
	case draftIdleMsg:
		if msg.seq == r.typedSeq {
			return r.saveDraftCmd()
		}
	default:
		if cmd, ok := r.meetingUpdate(msg); ok {
			return cmd
		}
	}
	return nil
}

// posted takes the result of a post and sends the next one waiting. A
// refused post puts its text back in the composer, with any sent after
// it, in front of what was typed since.
func (r *roomPane) posted(msg postedMsg) tea.Cmd {
	if msg.id != r.id || len(r.outbox) == 0 {
		return nil
	}
	if msg.err != nil {
		r.notice = errorNotice(msg.err)
		texts := make([]string, len(r.outbox))
		var back []string
		for i, o := range r.outbox {
			texts[i] = o.body
			back = mergeAttached(back, o.attach)
		}
		r.attach = mergeAttached(back, r.attach)
		r.composer.restore(strings.Join(texts, "\n"))
		r.outbox = nil
		r.Resize(r.width, r.height)
		return nil
	}
	r.notice = notice{}
	r.outbox = r.outbox[1:]
	// The post dropped the stored draft, and a save from a pause may
	// still be on its way: what the composer holds now (often nothing)
	// is saved after both, in the session's order.
	r.savedDraft = draftUnknown
	cmd := tea.Batch(r.arrived(*msg.msg), r.saveDraftCmd())
	if len(r.outbox) > 0 {
		cmd = tea.Batch(cmd, r.post(r.outbox[0]))
	}
	return cmd
}

// arrived shows a message posted in this room (live, or our own post
// returning). Duplicates are ignored; if messages were missed in between
// (an event overtaken by our own post's reply), they are read first.
func (r *roomPane) arrived(m workroom.Message) tea.Cmd {
	if r.info == nil {
		r.pending = append(r.pending, m)
		return nil
	}
	newest := r.msgs.newest()
	switch {
	case m.ID <= newest:
		return nil
	case m.ID == newest+1:
		r.msgs.add(m)
		r.msgs.lineArrived(m)
		return r.markRead(m.ID)
	case m.ID-newest <= workroom.MaxPageSize:
		return tea.Batch(r.loadGap(m.ID), r.markRead(m.ID))
	default:
		return r.reload()
	}
}

func (r *roomPane) maybeOlder() tea.Cmd {
	if r.msgs.wantOlder() {
		return r.loadOlder()
	}
	return nil
}

func (r *roomPane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if r.composer.focused() {
		switch {
		case key.Matches(msg, r.composer.keys.Send):
			r.outbox = append(r.outbox, outgoing{body: r.composer.take(), attach: r.attach})
			if r.attach != nil {
				r.attach = nil
				r.Resize(r.width, r.height)
			}
			r.sentLine()
			if len(r.outbox) > 1 {
				return nil // it goes when the one before returns
			}
			return r.post(r.outbox[0])
		case key.Matches(msg, r.composer.keys.Attach):
			return open(openAttachPicker(r.id, r.attach))
		case key.Matches(msg, r.composer.keys.Leave):
			r.composer.blur()
			return r.saveDraftCmd()
		}
		cmd := r.composer.update(msg)
		r.typingLater()
		return tea.Batch(cmd, r.typed())
	}
	switch {
	case key.Matches(msg, r.msgs.keys.Compose):
		return r.composer.focus()
	case key.Matches(msg, r.msgs.keys.Meet):
		return r.askMeeting()
	case key.Matches(msg, r.msgs.keys.Accept):
		return r.answerMeeting(true)
	case key.Matches(msg, r.msgs.keys.Decline):
		return r.answerMeeting(false)
	case key.Matches(msg, r.msgs.keys.Block):
		r.msgs.toggleBlock()
		return nil
	case key.Matches(msg, r.msgs.keys.Files):
		return open(openFiles(r.id))
	case key.Matches(msg, r.msgs.keys.Notify):
		return r.toggleNotify()
	case key.Matches(msg, r.msgs.keys.Widgets):
		return open(openWidgets(r.id))
	case key.Matches(msg, r.msgs.keys.People):
		return open(openPeople(r.id))
	case key.Matches(msg, r.msgs.keys.Back):
		return toList(notice{}, nil)
	}
	r.msgs.update(msg)
	return r.maybeOlder()
}

func (r *roomPane) View(width, height int) string {
	st := r.env.st
	if r.info == nil {
		return st.Subtle.Render("  opening the workroom…")
	}
	return r.msgs.view(r.env.st) + "\n" + r.composer.view(r.env.st, width) + attachedView(st, r.attach, width)
}
