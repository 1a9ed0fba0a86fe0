package tui

import (
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// roomModel is one open workroom: its history above, the composer below,
// and a notice line for refusals. The history has the focus until the
// reader moves it to the composer.
type roomModel struct {
	sess  *session
	id    workroom.RoomID
	visit *workroom.Visit      // the session's presence in the room
	info  *workroom.Membership // nil until the first page arrived

	gen int // the latest load (session.nextGen); older results are dropped
	// pending holds messages that arrived live before the first page did;
	// they are applied on top of it.
	pending []workroom.Message
	sending bool

	msgs     messagesModel
	composer composerModel
	notice   notice
	width    int
}

// Messages about a room carry its id and the load they belong to.
type (
	roomOpenedMsg struct {
		id   workroom.RoomID
		gen  int
		info *workroom.Membership
		page *workroom.Page
		err  error
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
	// backToListMsg asks the app to show the workroom list.
	backToListMsg struct{}
)

func newRoom(sess *session, id workroom.RoomID, st styles) roomModel {
	r := roomModel{sess: sess, id: id, gen: sess.nextGen(), msgs: newMessages(sess.user.ID), composer: newComposer()}
	r.composer.setStyles(st)
	return r
}

// load reads the room and its newest page. Reading the newest page marks
// the room read.
func (r roomModel) load() tea.Cmd {
	svc, ctx, log, uid, id, gen := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.gen
	return func() tea.Msg {
		info, err := svc.Room(ctx, id)
		if err != nil {
			logFailure(log, "room", uid, err)
			return roomOpenedMsg{id: id, gen: gen, err: err}
		}
		page, err := svc.Messages(ctx, id, 0, pageSize)
		logFailure(log, "messages", uid, err)
		return roomOpenedMsg{id: id, gen: gen, info: info, page: page, err: err}
	}
}

// reload reads the room afresh, dropping loads still on their way.
func (r *roomModel) reload() tea.Cmd {
	r.gen = r.sess.nextGen()
	return r.load()
}

func (r roomModel) loadOlder() tea.Cmd {
	svc, ctx, log, uid, id, gen, before := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.gen, r.msgs.before
	return func() tea.Msg {
		page, err := svc.Messages(ctx, id, before, pageSize)
		logFailure(log, "messages", uid, err)
		return olderLoadedMsg{id: id, gen: gen, page: page, err: err}
	}
}

// loadGap reads the messages after the newest shown up to and including
// upto, which just arrived.
func (r roomModel) loadGap(upto uint64) tea.Cmd {
	svc, ctx, log, uid, id, gen := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.gen
	limit := int(upto - r.msgs.newest())
	return func() tea.Msg {
		page, err := svc.Messages(ctx, id, upto+1, limit)
		logFailure(log, "messages", uid, err)
		return gapLoadedMsg{id: id, gen: gen, page: page, err: err}
	}
}

func (r roomModel) post(body string) tea.Cmd {
	svc, ctx, log, uid, id := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id
	return func() tea.Msg {
		m, err := svc.Post(ctx, id, body, workroom.SourceTerminal)
		logFailure(log, "post", uid, err)
		return postedMsg{id: id, msg: m, err: err}
	}
}

// markRead records that the user, who has the room open, has read up to a
// message that just arrived.
func (r roomModel) markRead(upto uint64) tea.Cmd {
	svc, ctx, log, uid, id := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id
	return func() tea.Msg {
		logFailure(log, "mark read", uid, svc.MarkRead(ctx, id, upto))
		return nil
	}
}

// setSize lays the room out: the history takes what the composer (with
// its border) and the notice line leave.
func (r *roomModel) setSize(width, height int) {
	if r.sess == nil {
		return // no room was opened yet
	}
	r.width = width
	r.composer.setWidth(width)
	r.msgs.setSize(width, max(height-composerRows-2-1, 2))
}

func (r roomModel) capturesKeys() bool { return r.composer.focused() }

func (r roomModel) helpKeys() help.KeyMap {
	if r.composer.focused() {
		return r.composer.keys
	}
	return r.msgs.keys
}

func (r roomModel) title() string {
	if r.info == nil {
		return fmt.Sprintf("#%d", r.id)
	}
	return fmt.Sprintf("#%d %s · %s", r.id, oneLine(r.info.Title), r.info.Role)
}

func (r roomModel) update(msg tea.Msg) (roomModel, tea.Cmd) {
	switch msg := msg.(type) {
	case roomOpenedMsg:
		if msg.id != r.id || msg.gen != r.gen {
			return r, nil
		}
		if msg.err != nil {
			r.notice = errorNotice(msg.err)
			return r, nil
		}
		r.info = msg.info
		r.msgs.reset(msg.page)
		pending := r.pending
		r.pending = nil
		var cmds []tea.Cmd
		for _, m := range pending {
			cmds = append(cmds, r.arrived(m))
		}
		cmds = append(cmds, r.maybeOlder())
		return r, tea.Batch(cmds...)
	case olderLoadedMsg:
		if msg.id != r.id || msg.gen != r.gen {
			return r, nil
		}
		if msg.err != nil {
			r.msgs.loading = false
			r.notice = errorNotice(msg.err)
			return r, nil
		}
		r.msgs.appendOlder(msg.page)
		cmd := r.maybeOlder()
		return r, cmd
	case gapLoadedMsg:
		if msg.id != r.id || msg.gen != r.gen || msg.err != nil {
			return r, nil
		}
		for i := len(msg.page.Messages) - 1; i >= 0; i-- {
			if m := msg.page.Messages[i]; m.ID == r.msgs.newest()+1 {
				r.msgs.add(m)
			}
		}
		return r, nil
	case postedMsg:
		if msg.id != r.id {
			return r, nil
		}
		r.sending = false
		if msg.err != nil {
			r.notice = errorNotice(msg.err)
			return r, nil
		}
		r.notice = notice{}
		r.composer.reset()
		cmd := r.arrived(*msg.msg)
		return r, cmd
	case tea.KeyPressMsg:
		return r.handleKey(msg)
	case tea.PasteMsg:
		if r.composer.focused() {
			var cmd tea.Cmd
			r.composer, cmd = r.composer.update(msg)
			return r, cmd
		}
	}
	return r, nil
}

// arrived shows a message posted in this room (live, or our own post
// returning). Duplicates are ignored; if messages were missed in between
// (an event overtaken by our own post's reply), they are read first.
func (r *roomModel) arrived(m workroom.Message) tea.Cmd {
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
		return r.markRead(m.ID)
	case m.ID-newest <= workroom.MaxPageSize:
		return tea.Batch(r.loadGap(m.ID), r.markRead(m.ID))
	default:
		return r.reload()
	}
}

func (r *roomModel) maybeOlder() tea.Cmd {
	if r.msgs.wantOlder() {
		return r.loadOlder()
	}
	return nil
}

func (r roomModel) handleKey(msg tea.KeyPressMsg) (roomModel, tea.Cmd) {
	if r.composer.focused() {
		switch {
		case key.Matches(msg, r.composer.keys.Send):
			if r.sending {
				return r, nil
			}
			r.sending = true
			return r, r.post(r.composer.value())
		case key.Matches(msg, r.composer.keys.Leave):
			r.composer.blur()
			return r, nil
		}
		var cmd tea.Cmd
		r.composer, cmd = r.composer.update(msg)
		return r, cmd
	}
	switch {
	case key.Matches(msg, r.msgs.keys.Compose):
		cmd := r.composer.focus()
		return r, cmd
	case key.Matches(msg, r.msgs.keys.Back):
		return r, func() tea.Msg { return backToListMsg{} }
	}
	r.msgs = r.msgs.update(msg)
	cmd := r.maybeOlder()
	return r, cmd
}

func (r roomModel) view(st styles, width, height int) string {
	if r.info == nil {
		body := st.Subtle.Render("  opening the workroom…")
		if r.notice.text != "" {
			body = r.notice.view(st, width)
		}
		return fit(body, width, height)
	}
	return fit(r.msgs.view(st)+"\n"+r.composer.view(st, width)+"\n"+r.notice.view(st, width), width, height)
}
