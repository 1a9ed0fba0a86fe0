package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// broadcastPane writes one message to the workrooms selected in the list
// and sends it into each (workroom.Service.Broadcast), then shows per
// workroom whether it went in. The rooms it went into leave the list's
// selection; those that refused stay selected, to try again.
type broadcastPane struct {
	paneBase
	sess     *session
	keys     broadcastKeys
	list     paneID // the workroom list, told which rooms it went into
	rooms    []workroom.Membership
	composer composerModel
	sending  bool
	// results are what became of the message in each room, once sent.
	results map[workroom.RoomID]workroom.BroadcastResult
	width   int
}

// broadcastSentMsg tells the workroom list which rooms a broadcast went
// into.
type broadcastSentMsg struct{ posted []workroom.RoomID }

// broadcastDoneMsg brings the results of a broadcast.
type broadcastDoneMsg struct {
	results []workroom.BroadcastResult
	err     error
}

func openBroadcast(rooms []workroom.Membership, list paneID) opener {
	return func(e *env) (pane, tea.Cmd, error) {
		if len(rooms) == 0 {
			return nil, nil, workroom.Errorf(workroom.EINVALID, "select the workrooms to broadcast to with space first")
		}
		b := &broadcastPane{paneBase: e.newBase(), sess: e.sess, keys: newBroadcastKeys(), list: list, rooms: rooms, composer: newComposer(e)}
		b.composer.keys.Attach.SetEnabled(false) // a broadcast carries no files
		return b, b.composer.focus(), nil
	}
}

func (b *broadcastPane) Title() string {
	return fmt.Sprintf("broadcast · %d workrooms", len(b.rooms))
}

func (b *broadcastPane) Typing() bool    { return b.composer.focused() }
func (b *broadcastPane) Restyle()        { b.composer.restyle() }
func (b *broadcastPane) Resize(w, _ int) { b.width = w; b.composer.setWidth(w) }
func (b *broadcastPane) Keys() help.KeyMap {
	if b.composer.focused() {
		return b.composer.keys
	}
	b.keys.Again.SetEnabled(len(b.targets()) > 0)
	return b.keys
}

// targets are the rooms the message has not gone into yet: all of them
// at first, the ones that refused after a send.
func (b *broadcastPane) targets() []workroom.RoomID {
	var ids []workroom.RoomID
	for _, r := range b.rooms {
		if res, ok := b.results[r.ID]; !ok || res.Err != nil {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func (b *broadcastPane) send(text string) tea.Cmd {
	ids := b.targets()
	svc, ctx, log, uid := b.sess.svc, b.sess.ctx, b.sess.log, b.sess.user.ID
	return b.do(func() tea.Msg {
		results, err := svc.Broadcast(ctx, ids, text)
		logFailure(log, "broadcast", uid, err)
		return broadcastDoneMsg{results: results, err: err}
	})
}

func (b *broadcastPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case broadcastDoneMsg:
		return b.done(msg)
	case tea.KeyPressMsg:
		if b.composer.focused() {
			switch {
			case key.Matches(msg, b.composer.keys.Send):
				if b.sending || strings.TrimSpace(b.composer.value()) == "" {
					return nil
				}
				b.sending = true
				b.notice = notice{text: "sending…"}
				b.composer.blur()
				return b.send(b.composer.value())
			case key.Matches(msg, b.composer.keys.Leave):
				b.composer.blur() // esc once more goes back
				return nil
			}
			return b.composer.update(msg)
		}
		switch {
		case key.Matches(msg, b.keys.Again) && len(b.targets()) > 0:
			return b.composer.focus()
		case key.Matches(msg, b.keys.Back):
			return closePaneCmd(b.summary())
		}
	case tea.PasteMsg:
		return b.composer.update(msg)
	}
	return nil
}

// summary is what the list says when the pane closes: where the
// message went, once sent.
func (b *broadcastPane) summary() notice {
	if b.results == nil {
		return notice{}
	}
	n := len(b.rooms) - len(b.targets())
	if n == len(b.rooms) {
		return okNotice(fmt.Sprintf("Broadcast sent into all %d workrooms.", n))
	}
	return notice{text: fmt.Sprintf("Broadcast sent into %d of %d workrooms; those that refused are still selected.", n, len(b.rooms)), kind: noticeError}
}

// done shows the results and tells the list which rooms it went into.
func (b *broadcastPane) done(msg broadcastDoneMsg) tea.Cmd {
	b.sending = false
	if msg.err != nil {
		b.notice = errorNotice(msg.err)
		return b.composer.focus()
	}
	if b.results == nil {
		b.results = make(map[workroom.RoomID]workroom.BroadcastResult, len(msg.results))
	}
	var posted []workroom.RoomID
	for _, r := range msg.results {
		b.results[r.RoomID] = r
		if r.Err == nil {
			posted = append(posted, r.RoomID)
		}
	}
	left := len(b.targets())
	if left == 0 {
		b.notice = okNotice(fmt.Sprintf("Sent: the message went into all %d workrooms. Press esc to go back.", len(b.rooms)))
		b.composer.take()
	} else {
		b.notice = notice{text: fmt.Sprintf("The message went into %d of %d workrooms; %d refused (see each below). Press e to send it again to those.",
			len(b.rooms)-left, len(b.rooms), left), kind: noticeError}
	}
	return send(addressed{to: b.list, msg: broadcastSentMsg{posted: posted}})
}

func (b *broadcastPane) View(width, height int) string {
	st := b.env.st
	rows := []string{st.Title.Render(fmt.Sprintf("  One message, posted into each of these %d workrooms:", len(b.rooms)))}
	for _, r := range b.rooms {
		rows = append(rows, b.roomLine(st, r))
	}
	if len(b.targets()) == 0 { // sent everywhere: nothing left to write
		return fit(strings.Join(rows, "\n"), width, height)
	}
	list := fit(strings.Join(rows, "\n"), width, max(height-composerRows-2, 1))
	return list + "\n" + b.composer.view(b.env.st, width)
}

// roomLine is one room and, once sent, what became of the message
// there; the outcome comes before the title, which is cut first.
func (b *broadcastPane) roomLine(st *styles, r workroom.Membership) string {
	id, title := st.Text.Render(fmt.Sprintf("  #%d ", r.ID)), st.Text.Render(oneLine(r.Title))
	res, ok := b.results[r.ID]
	switch {
	case !ok:
		return id + title
	case res.Err != nil:
		return id + st.Error.Render("✗ not posted: "+errorText(res.Err)) + st.Subtle.Render(" · ") + title
	default:
		return id + st.Subtle.Render(fmt.Sprintf("✓ posted as message %d · ", res.Message.ID)) + title
	}
}

// broadcastKeys are the broadcast pane's keys once the message was sent.
type broadcastKeys struct {
	Again, Back key.Binding
}

func newBroadcastKeys() broadcastKeys {
	return broadcastKeys{
		Again: key.NewBinding(key.WithKeys("e", "i"), key.WithHelp("e", "edit and send again")),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the list")),
	}
}

func (k broadcastKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Again, k.Back} }
func (k broadcastKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
