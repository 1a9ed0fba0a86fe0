package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// Meeting mode and typing, as the open workroom sees them. m asks the
// others here for a meeting; someone asked sees the request in the notice
// line with a to accept and d to decline, until it expires. Once someone
// accepts, the attendees' screens switch to meeting mode (meeting.go),
// others present read in the notice line that a meeting runs, and its
// lines appear in the history as one block (meetingblock.go).
//
// While the composer holds text, the service hears "typing" at most every
// workroom.TypingInterval, and "stopped" when it is cleared without being
// sent (a message sent says it), each decided once the keys of a read are
// all handled; others present show "Ada is typing…" in the history's
// status line until they hear it stopped, a message of hers arrives, or
// workroom.TypingExpiry passes without another "typing".

// roomMeeting is a room pane's part of meeting mode and typing.
type roomMeeting struct {
	request *workroom.MeetingRequest // asked of me, waiting for my answer
	asked   *workroom.MeetingRequest // asked by me, waiting for an answer
	running *workroom.Meeting        // the meeting running in the room, nil when none
	open    *meetingPane             // meeting mode, while it is open
	typists map[workroom.UserID]typist
	// typingSent is when the service was last told that I type; zero
	// while it believes I do not.
	typingSent time.Time
}

// typist is someone typing, and the event that said so last.
type typist struct {
	name string
	seq  int
}

type (
	meetingAskedMsg struct {
		req *workroom.MeetingRequest
		err error
	}
	meetingAnsweredMsg struct {
		accept bool
		err    error
	}
	// requestDueMsg comes when a request may have expired.
	requestDueMsg struct{ id uint64 }
	// typingDueMsg comes when a typist's last event is TypingExpiry old.
	typingDueMsg struct {
		user workroom.UserID
		seq  int
	}
)

// meetingUpdate handles the results of meeting-mode commands; handled is
// false for any other message.
func (r *roomPane) meetingUpdate(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case meetingAskedMsg:
		if msg.err != nil {
			r.notice = errorNotice(msg.err)
			return nil, true
		}
		r.meet.asked = msg.req
		r.notice = notice{text: fmt.Sprintf("You asked for a meeting; waiting for an answer until %s.", r.sess.clockSeconds(msg.req.Expires))}
		return r.dueAt(msg.req.Expires, requestDueMsg{id: msg.req.ID}), true
	case meetingAnsweredMsg:
		switch {
		case msg.err != nil:
			r.notice = errorNotice(msg.err)
		case !msg.accept:
			r.notice = notice{text: "You declined the meeting."}
		}
		return nil, true
	case requestDueMsg:
		r.requestDue(msg.id)
		return nil, true
	case typingDueMsg:
		if t, ok := r.meet.typists[msg.user]; ok && t.seq == msg.seq {
			delete(r.meet.typists, msg.user)
			r.showTyping()
		}
		return nil, true
	}
	return nil, false
}

// requestDue drops a request that expired, unless it was answered first.
func (r *roomPane) requestDue(id uint64) {
	m := &r.meet
	if m.request != nil && m.request.ID == id {
		m.request = nil
		r.notice = notice{text: "The meeting request expired."}
		r.syncMeetingKeys()
	}
	if m.asked != nil && m.asked.ID == id {
		m.asked = nil
		if m.running == nil || !m.running.Attends(r.sess.user.ID) {
			r.notice = notice{text: "Nobody accepted your meeting request in time."}
		}
	}
}

// dueAt delivers msg to this pane at t.
func (r *roomPane) dueAt(t time.Time, msg tea.Msg) tea.Cmd {
	pid := r.paneBase.id
	return r.env.after(time.Until(t), addressed{to: pid, msg: msg})
}

// askMeeting asks the others here for a meeting.
func (r *roomPane) askMeeting() tea.Cmd {
	svc, ctx, log, uid, v := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.visit
	return r.do(func() tea.Msg {
		req, err := svc.RequestMeeting(ctx, v)
		logFailure(log, "request meeting", uid, err)
		return meetingAskedMsg{req: req, err: err}
	})
}

// answerMeeting accepts or declines the request shown; meeting mode opens
// when the meeting's start (or join) arrives as an event.
func (r *roomPane) answerMeeting(accept bool) tea.Cmd {
	req := r.meet.request
	if req == nil {
		return nil
	}
	r.meet.request = nil
	r.notice = notice{}
	r.syncMeetingKeys()
	svc, ctx, log, uid, v := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.visit
	return r.do(func() tea.Msg {
		_, err := svc.AnswerMeeting(ctx, v, req.ID, accept)
		logFailure(log, "answer meeting", uid, err)
		return meetingAnsweredMsg{accept: accept, err: err}
	})
}

// meetingEvent applies a change of a meeting or request in this room.
func (r *roomPane) meetingEvent(c *workroom.MeetingChange) tea.Cmd {
	m, me := &r.meet, r.sess.user.ID
	defer r.syncMeetingKeys()
	switch c.What {
	case workroom.MeetingRequested:
		if c.Request.From == me {
			m.asked = c.Request
			return nil
		}
		if m.running != nil && m.running.Attends(me) {
			return nil // an invitation to those not in it yet
		}
		m.request = c.Request
		r.notice = notice{text: fmt.Sprintf("%s asks for a meeting: press a to accept, d to decline (until %s).", oneLine(c.Request.FromName), r.sess.clockSeconds(c.Request.Expires))}
		return r.dueAt(c.Request.Expires, requestDueMsg{id: c.Request.ID})
	case workroom.MeetingDeclined:
		if c.Request.From == me {
			r.notice = notice{text: fmt.Sprintf("%s declined the meeting.", oneLine(c.Name))}
		}
	case workroom.MeetingWithdrawn:
		if m.request != nil && m.request.ID == c.Request.ID {
			m.request = nil
			r.notice = notice{}
		}
		if m.asked != nil && m.asked.ID == c.Request.ID {
			m.asked = nil
		}
	case workroom.MeetingStarted, workroom.MeetingJoined, workroom.MeetingLeft:
		m.running = c.Meeting
		r.msgs.setMeeting(*c.Meeting)
		if !c.Meeting.Attends(me) {
			r.notice = notice{text: fmt.Sprintf("A meeting runs here: %s.", oneLine(c.Meeting.Names()))}
			return nil
		}
		m.request, m.asked = nil, nil
		if c.What != workroom.MeetingLeft && m.open == nil {
			r.notice = notice{}
			return open(openMeeting(r))
		}
	case workroom.MeetingEnded:
		m.running = nil
		r.msgs.setMeeting(*c.Meeting)
		if m.open == nil && c.UserID != me { // who left knows
			r.notice = notice{text: "The meeting ended."}
		}
	}
	return nil
}

// syncMeetingKeys enables the keys that fit: accept and decline while a
// request waits for me, x while a meeting block is loaded.
func (r *roomPane) syncMeetingKeys() {
	k := &r.msgs.keys
	k.Accept.SetEnabled(r.meet.request != nil)
	k.Decline.SetEnabled(r.meet.request != nil)
	k.Block.SetEnabled(len(r.msgs.meetings) > 0)
}

// typingEvent shows or drops someone typing here.
func (r *roomPane) typingEvent(t *workroom.Typing) tea.Cmd {
	if t.UserID == r.sess.user.ID {
		return nil
	}
	m := &r.meet
	if !t.Active {
		delete(m.typists, t.UserID)
		r.showTyping()
		return nil
	}
	if m.typists == nil {
		m.typists = make(map[workroom.UserID]typist)
	}
	seq := m.typists[t.UserID].seq + 1
	m.typists[t.UserID] = typist{name: t.Name, seq: seq}
	r.showTyping()
	return r.dueAt(time.Now().Add(workroom.TypingExpiry), typingDueMsg{user: t.UserID, seq: seq})
}

// stoppedTyping drops the author of a message that arrived.
func (r *roomPane) stoppedTyping(author workroom.UserID) {
	if _, ok := r.meet.typists[author]; ok {
		delete(r.meet.typists, author)
		r.showTyping()
	}
}

// showTyping says who types, in the history's status line.
func (r *roomPane) showTyping() {
	var names []string
	for _, t := range r.meet.typists {
		names = append(names, oneLine(t.name))
	}
	slices.Sort(names)
	switch len(names) {
	case 0:
		r.msgs.typing = ""
	case 1:
		r.msgs.typing = names[0] + " is typing…"
	case 2:
		r.msgs.typing = names[0] + " and " + names[1] + " are typing…"
	default:
		r.msgs.typing = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are typing…"
	}
}

// sentLine notes that what I typed was sent: the message tells the others
// that I stopped typing (the service forgets I type when it is posted),
// so no "stopped" is sent, and the next key says "typing" again at once.
// A line a second in a meeting would otherwise cost two events, two
// permission checks and two frames for everyone present.
func (r *roomPane) sentLine() { r.meet.typingSent = time.Time{} }

// typingLater notes that the composer the user types in changed; whether
// they are typing goes out once the keys read with this one are handled
// (model.typingCmd), so a line that arrives whole, enter included, says
// nothing: nobody saw it being composed.
func (r *roomPane) typingLater() { r.env.typingIn = r }

// composing reports whether the composer the user types in, meeting
// mode's when it is open, holds more than spaces.
func (r *roomPane) composing() bool {
	if p := r.meet.open; p != nil {
		return !p.composer.blank()
	}
	return !r.composer.blank()
}

// typingSignal tells the service, at most every TypingInterval, that I
// am composing text (active: the composer holds more than spaces), and
// that I stopped once it holds none.
func (r *roomPane) typingSignal(active bool) tea.Cmd {
	m := &r.meet
	now := time.Now()
	switch {
	case !active && m.typingSent.IsZero():
		return nil
	case !active:
		m.typingSent = time.Time{}
	case !m.typingSent.IsZero() && now.Sub(m.typingSent) < workroom.TypingInterval:
		return nil
	default:
		m.typingSent = now
	}
	svc, ctx, log, uid, v := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.visit
	return func() tea.Msg {
		logFailure(log, "typing", uid, svc.Typing(ctx, v, active))
		return nil
	}
}
