package workroom

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// Meeting is a live conversation held in a workroom by the members who are
// there at the same moment. One member asks (RequestMeeting); the others
// present see the request and accept or decline it (AnswerMeeting) within
// MeetingRequestTTL. Once someone accepts, the meeting runs: each line an
// attendee sends (MeetingLine) is an ordinary message of the room with
// Source "meeting" — stored, counted unread and mailed to absent members
// like any message — and reaches every attendee's screen as it is sent.
// An attendee leaves with LeaveMeeting, by leaving the room or by
// disconnecting; the meeting ends when fewer than two attendees remain.
//
// The record (Store.SaveMeeting) keeps when it started and ended, everyone
// who attended, and which messages are its lines: those with Source
// "meeting" and IDs from From up to Upto (Holds). The history draws them
// as one block that opens to show the lines.
//
// Requests and who attends now are kept by the MeetingBook (this
// process's memory by default, shared by every front end with
// PostgreSQL); who is typing by each front end. None of it is in the
// store.
type Meeting struct {
	ID        uint64     `json:"id"`
	RoomID    RoomID     `json:"room_id"`
	Started   time.Time  `json:"started"`
	Ended     time.Time  `json:"ended,omitzero"` // zero while it runs
	Attendees []Attendee `json:"attendees"`      // everyone who attended, in the order they joined
	// From is the room's next message ID when the meeting started: no
	// line of it is older.
	From uint64 `json:"from"`
	// Upto is the ID of its last line once it ended (0: it had none).
	Upto  uint64 `json:"upto,omitempty"`
	Lines int    `json:"lines"` // lines sent, counted when it ended
}

// Attendee is one person who attended a meeting.
type Attendee struct {
	UserID UserID `json:"user_id"`
	Name   string `json:"name"`
}

// Holds reports whether m is one of the meeting's lines: a message of the
// room with Source "meeting" sent between its start and its end. Only one
// meeting runs in a room at a time, and only attendees send lines while it
// runs, so the ranges of a room's meetings never share a line.
func (mt *Meeting) Holds(m *Message) bool {
	if m.RoomID != mt.RoomID || m.Source != SourceMeeting || m.ID < mt.From {
		return false
	}
	return mt.Ended.IsZero() || m.ID <= mt.Upto
}

// Attends reports whether a user attended the meeting.
func (mt *Meeting) Attends(u UserID) bool {
	return slices.ContainsFunc(mt.Attendees, func(a Attendee) bool { return a.UserID == u })
}

// Names are the attendees' names, joined for a line of text.
func (mt *Meeting) Names() string {
	names := make([]string, len(mt.Attendees))
	for i, a := range mt.Attendees {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// Meeting and typing limits.
const (
	// MeetingRequestTTL is how long a request waits for an answer.
	MeetingRequestTTL = time.Minute
	// TypingInterval is the least time between two "is typing" events of
	// one member in one room; more often is dropped.
	TypingInterval = 2500 * time.Millisecond
	// TypingExpiry is how long "is typing" shows after the last event
	// that said so: a member who stops typing without sending or
	// clearing stops showing.
	TypingExpiry = 6 * time.Second
)

// MeetingRequest is a member asking the others present for a meeting.
type MeetingRequest struct {
	ID       uint64    `json:"id"`
	RoomID   RoomID    `json:"room_id"`
	From     UserID    `json:"from"`
	FromName string    `json:"from_name"`
	Expires  time.Time `json:"expires"`
}

// MeetingChange is what an EventMeeting says.
type MeetingChange struct {
	What MeetingWhat `json:"what"`
	// Request is the request asked, declined or withdrawn.
	Request *MeetingRequest `json:"request,omitempty"`
	// Meeting is the meeting as it is now (started, joined, left, ended);
	// for a running one, Attendees are those in it now.
	Meeting *Meeting `json:"meeting,omitempty"`
	// UserID and Name are who declined, joined or left.
	UserID UserID `json:"user_id,omitempty"`
	Name   string `json:"name,omitempty"`
}

// MeetingWhat names a change of a meeting or a request.
type MeetingWhat string

const (
	MeetingRequested MeetingWhat = "requested" // someone asks; Request
	MeetingDeclined  MeetingWhat = "declined"  // someone declined Request
	MeetingWithdrawn MeetingWhat = "withdrawn" // the asker left before an answer
	MeetingStarted   MeetingWhat = "started"   // the first accept: Meeting with both
	MeetingJoined    MeetingWhat = "joined"    // a later accept added someone
	MeetingLeft      MeetingWhat = "left"      // an attendee left; it goes on
	MeetingEnded     MeetingWhat = "ended"     // fewer than two remained
)

// Typing is what an EventTyping says: a member started or stopped
// composing in the room. It is never stored.
type Typing struct {
	UserID UserID `json:"user_id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

// Refusals of meeting mode.
const (
	RuleNobodyHere     Rule = "nobody_here"      // a meeting needs another member present
	RuleMeetingRunning Rule = "meeting_running"  // one runs and the actor is not in it
	RuleMeetingAsked   Rule = "meeting_asked"    // the actor's request still waits
	RuleRequestGone    Rule = "request_gone"     // expired, withdrawn or never made
	RuleNotInMeeting   Rule = "not_in_meeting"   // a line from someone not attending
	RuleNotInRoom      Rule = "visit_ended"      // the visit given has ended
	RuleOwnRequest     Rule = "own_request"      // the asker cannot answer themself
	RuleAllInMeeting   Rule = "all_in_meeting"   // everyone present attends already
	RuleNoRoomMeeting  Rule = "no_meeting_there" // nothing to leave
)

// typists is when each member last said they type, per room: kept by
// each front end for the sessions it serves, since typing events only go
// through the hub.
type typists struct {
	mu   sync.Mutex
	last map[roomUser]time.Time
}

// posted forgets that the member types in the room: their message tells
// the others present, who stop showing them typing when it arrives, so
// the client need not say "stopped" as well; and the next "typing" goes
// out at once instead of waiting out TypingInterval.
func (b *typists) posted(room RoomID, user UserID) {
	b.mu.Lock()
	delete(b.last, roomUser{room, user})
	b.mu.Unlock()
}

// roomUser is a member in one room.
type roomUser struct {
	room RoomID
	user UserID
}

// inVisit checks the actor may do a in the visit's room, and that the
// visit is theirs and still current.
func (s *Service) inVisit(ctx context.Context, v *Visit, a Action) (*User, error) {
	if v == nil {
		return nil, Errorf(EINVALID, "open the workroom first")
	}
	u, _, err := s.authorize(ctx, v.room, a)
	if err != nil {
		return nil, err
	}
	if v.se.user != u.ID {
		return nil, errNoRoom(v.room)
	}
	if !v.current() {
		return nil, Errorf(ECONFLICT, "you are no longer in workroom #%d; open it again", v.room).Because(RuleNotInRoom)
	}
	return u, nil
}

// othersHere reports whether someone other than user looks at the room.
func (s *Service) othersHere(room RoomID, user UserID) []UserID {
	var out []UserID
	for _, h := range s.hub.Present(room) {
		if h.UserID != user {
			out = append(out, h.UserID)
		}
	}
	return out
}

// RequestMeeting asks the other members present in the visit's room for a
// meeting; they get an EventMeeting (requested) and have
// MeetingRequestTTL to answer. While a meeting runs, an attendee's request
// invites those present who are not in it. ECONFLICT when nobody else is
// present (RuleNobodyHere), when a meeting runs without the actor
// (RuleMeetingRunning), when everyone present attends already
// (RuleAllInMeeting) or when the actor's earlier request still waits
// (RuleMeetingAsked).
func (s *Service) RequestMeeting(ctx context.Context, v *Visit) (*MeetingRequest, error) {
	u, err := s.inVisit(ctx, v, ActionPost)
	if err != nil {
		return nil, err
	}
	others := s.othersHere(v.room, u.ID)
	if len(others) == 0 {
		return nil, Errorf(ECONFLICT, "nobody else is in workroom #%d now: a meeting needs another member here; post a message instead, or ask when someone is here", v.room).Because(RuleNobodyHere)
	}
	now := s.now()
	var req MeetingRequest
	err = s.meetings.Update(ctx, v.room, func(st *MeetingState) error {
		st.dropExpired(now)
		if run := st.Running; run != nil {
			if !run.attends(u.ID) {
				return Errorf(ECONFLICT, "a meeting is running in workroom #%d (%s); ask one of them to invite you", v.room, run.now().Names()).Because(RuleMeetingRunning)
			}
			if !slices.ContainsFunc(others, func(o UserID) bool { return !run.attends(o) }) {
				return Errorf(ECONFLICT, "everyone in workroom #%d is in the meeting already", v.room).Because(RuleAllInMeeting)
			}
		}
		for _, r := range st.Requests {
			if r.From == u.ID {
				return Errorf(ECONFLICT, "you asked for a meeting already; the request waits for an answer until %s", r.Expires.Format("15:04:05 MST")).Because(RuleMeetingAsked)
			}
		}
		st.Requests = append(st.Requests, MeetingRequest{RoomID: v.room, From: u.ID, FromName: u.Name, Expires: now.Add(MeetingRequestTTL)})
		return nil
	}, func(st *MeetingState) {
		req = st.Requests[len(st.Requests)-1] // with the ID the book gave it
		s.publishMeeting(v.room, MeetingChange{What: MeetingRequested, Request: &req, UserID: u.ID, Name: u.Name})
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

// AnswerMeeting accepts or declines a request of the visit's room. The
// first accept starts the meeting with the asker and the actor; a later
// accept (of this request, or of an attendee's invitation) adds the actor.
// It returns the meeting as it is now, or nil after a decline. ENOTFOUND
// (RuleRequestGone) when the request expired, was withdrawn or does not
// exist; EINVALID (RuleOwnRequest) for one's own request.
func (s *Service) AnswerMeeting(ctx context.Context, v *Visit, id uint64, accept bool) (*Meeting, error) {
	u, err := s.inVisit(ctx, v, ActionPost)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Meeting
	var told *MeetingChange // what the others hear, if anything
	err = s.meetings.Update(ctx, v.room, func(st *MeetingState) error {
		st.dropExpired(now)
		req := st.request(id)
		if run := st.Running; req != nil && run != nil && !run.attends(req.From) {
			req = nil // an invitation by someone who has left the meeting since
		}
		switch {
		case req == nil:
			return Errorf(ENOTFOUND, "that meeting request is no longer open: requests expire after a minute, or the asker left; ask for a new one").Because(RuleRequestGone)
		case req.From == u.ID:
			return Errorf(EINVALID, "you cannot answer your own meeting request").Because(RuleOwnRequest)
		case !accept:
			declined := *req
			told = &MeetingChange{What: MeetingDeclined, Request: &declined, UserID: u.ID, Name: u.Name}
			return nil
		}
		me := Attendee{UserID: u.ID, Name: u.Name}
		if st.Running == nil {
			if err := s.startMeeting(ctx, st, req, me, now); err != nil {
				return err
			}
			out = st.Running.now()
			told = &MeetingChange{What: MeetingStarted, Meeting: st.Running.now(), UserID: u.ID, Name: u.Name}
			return nil
		}
		run := st.Running
		if !run.attends(u.ID) {
			run.In = append(run.In, me)
			if !run.Record.Attends(u.ID) {
				run.Record.Attendees = append(run.Record.Attendees, me)
				s.saveMeeting(ctx, &run.Record)
			}
			told = &MeetingChange{What: MeetingJoined, Meeting: run.now(), UserID: u.ID, Name: u.Name}
		}
		out = run.now()
		return nil
	}, func(*MeetingState) {
		if told != nil {
			s.publishMeeting(v.room, *told)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// startMeeting records a meeting of the asker and the first to accept,
// and makes it the room's running meeting. Called inside the book's
// Update.
func (s *Service) startMeeting(ctx context.Context, st *MeetingState, req *MeetingRequest, accepter Attendee, now time.Time) error {
	r, err := s.store.Room(ctx, req.RoomID)
	if err != nil {
		return err
	}
	both := []Attendee{{UserID: req.From, Name: req.FromName}, accepter}
	run := &RunningMeeting{Record: Meeting{RoomID: req.RoomID, Started: now, Attendees: slices.Clone(both), From: r.LastSeq + 1}, In: both}
	if err := s.store.SaveMeeting(ctx, &run.Record); err != nil {
		return err
	}
	st.Running = run
	return nil
}

// MeetingLine sends a line of the meeting the actor attends in the visit's
// room: it is posted as a message with Source "meeting" (unread counts and
// notifications as for any message) and reaches every attendee at once.
// ECONFLICT (RuleNotInMeeting) when the actor attends no meeting there;
// otherwise Post's refusals.
func (s *Service) MeetingLine(ctx context.Context, v *Visit, text string) (*Message, error) {
	u, err := s.inVisit(ctx, v, ActionPost)
	if err != nil {
		return nil, err
	}
	// Posting is outside the book's lock: lines of one room, and of
	// every room in this process, would otherwise wait for each other.
	st, err := s.meetings.State(ctx, v.room)
	if err != nil {
		return nil, err
	}
	run := st.Running
	if run == nil || !run.attends(u.ID) {
		return nil, Errorf(ECONFLICT, "you are in no meeting in workroom #%d; ask for one first", v.room).Because(RuleNotInMeeting)
	}
	m, err := s.post(ctx, u, v.room, text, SourceMeeting, nil)
	if err != nil {
		return nil, err
	}
	meeting := run.Record.ID
	err = s.meetings.Update(context.WithoutCancel(ctx), v.room, func(st *MeetingState) error {
		if run := st.Running; run != nil && run.Record.ID == meeting {
			run.Lines++
			run.Last = max(run.Last, m.ID)
		}
		return nil
	}, nil)
	if err != nil {
		// The line is posted either way; the record may end one short.
		s.log.Error("meeting line count", "room", v.room, "meeting", meeting, "message", m.ID, "err", err)
	}
	return m, nil
}

// LeaveMeeting takes the actor out of the meeting in the visit's room; it
// ends when fewer than two attendees remain. ENOTFOUND
// (RuleNoRoomMeeting) when the actor attends none there.
func (s *Service) LeaveMeeting(ctx context.Context, v *Visit) error {
	u, err := s.inVisit(ctx, v, ActionRead)
	if err != nil {
		return err
	}
	attended, err := s.leaveMeeting(ctx, v.room, u.ID)
	if err != nil {
		return err
	}
	if !attended {
		return Errorf(ENOTFOUND, "you are in no meeting in workroom #%d", v.room).Because(RuleNoRoomMeeting)
	}
	return nil
}

// RunningMeeting returns the meeting running in the actor's room, nil when
// none runs; errNoRoom for outsiders.
func (s *Service) RunningMeeting(ctx context.Context, id RoomID) (*Meeting, error) {
	if _, _, err := s.authorize(ctx, id, ActionRead); err != nil {
		return nil, err
	}
	st, err := s.meetings.State(ctx, id)
	if err != nil || st.Running == nil {
		return nil, err
	}
	return st.Running.now(), nil
}

// leaveMeeting takes user out of room's meeting, ending it when fewer
// than two remain, and withdraws their waiting requests. It reports
// whether they attended; a failure is logged as well as returned, for
// the callers that have nobody to tell.
func (s *Service) leaveMeeting(ctx context.Context, room RoomID, user UserID) (bool, error) {
	// Every visit's end comes here: look before taking the book's lock,
	// which a shared book takes in the database.
	st, err := s.meetings.State(ctx, room)
	if err != nil {
		s.log.Error("leaving a meeting", "room", room, "user", user, "err", err)
		return false, err
	}
	if !st.involves(user) {
		return false, nil
	}
	now := s.now()
	var attended bool
	var told []MeetingChange
	err = s.meetings.Update(context.WithoutCancel(ctx), room, func(st *MeetingState) error {
		st.dropExpired(now)
		attended, told = false, nil
		st.Requests = slices.DeleteFunc(st.Requests, func(r MeetingRequest) bool {
			if r.From == user {
				told = append(told, MeetingChange{What: MeetingWithdrawn, Request: &r, UserID: user, Name: r.FromName})
			}
			return r.From == user
		})
		run := st.Running
		if run == nil || !run.attends(user) {
			return nil
		}
		attended = true
		i := slices.IndexFunc(run.In, func(a Attendee) bool { return a.UserID == user })
		who := run.In[i]
		run.In = slices.Delete(run.In, i, i+1)
		if len(run.In) >= 2 {
			told = append(told, MeetingChange{What: MeetingLeft, Meeting: run.now(), UserID: who.UserID, Name: who.Name})
			return nil
		}
		st.Running = nil
		// Requests still waiting were to join this meeting, or made during it.
		for _, r := range st.Requests {
			told = append(told, MeetingChange{What: MeetingWithdrawn, Request: &r, UserID: r.From, Name: r.FromName})
		}
		st.Requests = nil
		rec := run.Record
		rec.Ended, rec.Upto, rec.Lines = now, run.Last, run.Lines
		s.saveMeeting(ctx, &rec)
		end := rec
		end.Attendees = slices.Clone(rec.Attendees)
		told = append(told, MeetingChange{What: MeetingEnded, Meeting: &end, UserID: who.UserID, Name: who.Name})
		return nil
	}, func(*MeetingState) {
		for _, c := range told {
			s.publishMeeting(room, c)
		}
	})
	if err != nil {
		s.log.Error("leaving a meeting", "room", room, "user", user, "err", err)
		return false, err
	}
	return attended, nil
}

// involves reports whether user attends the room's meeting or has a
// request kept there.
func (st *MeetingState) involves(user UserID) bool {
	return (st.Running != nil && st.Running.attends(user)) ||
		slices.ContainsFunc(st.Requests, func(r MeetingRequest) bool { return r.From == user })
}

// saveMeeting writes the record; a failure is logged, not shown: the
// meeting goes on, and its lines are stored messages either way.
func (s *Service) saveMeeting(ctx context.Context, m *Meeting) {
	if err := s.store.SaveMeeting(context.WithoutCancel(ctx), m); err != nil {
		s.log.Error("meeting record", "room", m.RoomID, "meeting", m.ID, "err", err)
	}
}

// publishMeeting tells the sessions looking at the room.
func (s *Service) publishMeeting(room RoomID, c MeetingChange) {
	s.hub.PublishRoom(Event{Kind: EventMeeting, RoomID: room, Meeting: &c}, room)
}

// Typing tells the others present in the visit's room that the actor is
// composing (active) or stopped. Events that say "typing" come at most
// once per TypingInterval per member and room; more are dropped. Nothing
// is stored.
func (s *Service) Typing(ctx context.Context, v *Visit, active bool) error {
	u, err := s.inVisit(ctx, v, ActionPost)
	if err != nil {
		return err
	}
	k, now := roomUser{v.room, u.ID}, s.now()
	b := &s.typists
	b.mu.Lock()
	last, was := b.last[k]
	switch {
	case active && was && now.Sub(last) < TypingInterval:
		b.mu.Unlock()
		return nil
	case active:
		if b.last == nil {
			b.last = make(map[roomUser]time.Time)
		}
		b.last[k] = now
	case !was:
		b.mu.Unlock()
		return nil
	default:
		delete(b.last, k)
	}
	b.mu.Unlock()
	s.hub.PublishRoom(Event{Kind: EventTyping, RoomID: v.room, Typing: &Typing{UserID: u.ID, Name: u.Name, Active: active}}, v.room)
	return nil
}

// leftRoom is told when one of user's visits to room ended. Once they are
// not present there at all, they leave its meeting, their requests are
// withdrawn and they stop typing.
func (s *Service) leftRoom(room RoomID, user UserID) {
	if s.changeOf(room, user).State == PresenceHere {
		return
	}
	ctx := context.Background()
	_, _ = s.leaveMeeting(ctx, room, user) // logged there
	b := &s.typists
	b.mu.Lock()
	_, typing := b.last[roomUser{room, user}]
	delete(b.last, roomUser{room, user})
	b.mu.Unlock()
	if typing {
		s.hub.PublishRoom(Event{Kind: EventTyping, RoomID: room, Typing: &Typing{UserID: user, Active: false}}, room)
	}
}

// meetingsOf returns the meetings whose lines are among msgs: the stored
// records, with a running meeting as it is now.
func (s *Service) meetingsOf(ctx context.Context, room RoomID, msgs []Message) ([]Meeting, error) {
	lo, hi := uint64(0), uint64(0)
	for _, m := range msgs {
		if m.Source != SourceMeeting {
			continue
		}
		if lo == 0 || m.ID < lo {
			lo = m.ID
		}
		hi = max(hi, m.ID)
	}
	if hi == 0 {
		return nil, nil
	}
	ms, err := s.store.Meetings(ctx, room, lo, hi)
	if err != nil {
		return nil, err
	}
	st, err := s.meetings.State(ctx, room)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		if st.Running == nil {
			break
		}
		if ms[i].ID == st.Running.Record.ID {
			ms[i] = *st.Running.now()
		}
	}
	return ms, nil
}
