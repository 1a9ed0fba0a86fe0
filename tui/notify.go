package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// The room's mail notifications are turned on and off from the workroom
// view with one key (messagesKeys.Notify); the title says when they are
// off, and a notice confirms each change.

// notifySetMsg is the result of turning notifications on or off.
type notifySetMsg struct {
	id  workroom.RoomID
	on  bool
	err error
}

// toggleNotify turns the room's notifications the other way.
func (r *roomPane) toggleNotify() tea.Cmd {
	if r.info == nil {
		return nil
	}
	svc, ctx, log, uid, id, on := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, !r.info.Notify
	return r.do(func() tea.Msg {
		err := svc.SetNotify(ctx, id, on)
		logFailure(log, "notify", uid, err)
		return notifySetMsg{id: id, on: on, err: err}
	})
}

// notifySet shows the new setting, or why it did not change.
func (r *roomPane) notifySet(msg notifySetMsg) {
	if msg.id != r.id || r.info == nil {
		return
	}
	if msg.err != nil {
		r.notice = errorNotice(msg.err)
		return
	}
	r.info.Notify = msg.on
	r.msgs.keys.notifyHelp(msg.on)
	r.notice = okNotice(notifyText(msg.on, r.sess.user))
}

// notifyText confirms the setting in words, saying where the mail goes.
func notifyText(on bool, u *workroom.User) string {
	if !on {
		return "Mail notifications for this workroom are off. Press n to turn them back on."
	}
	text := "Mail notifications for this workroom are on: " + oneLine(u.Email) + " gets each new message while you are not here."
	if !u.EmailVerified {
		text += " None go out until the address is verified (v in the workroom list)."
	}
	return text
}
