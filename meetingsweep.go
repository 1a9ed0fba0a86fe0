package workroom

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A front end that dies takes its sessions with it without ending their
// visits: nothing calls leftRoom for them. With a book shared by several
// front ends, the meetings they attended would run on with them in it,
// and their requests would wait to be accepted. So every front end that
// shares a book runs SweepMeetings every MeetingSweepInterval: it takes
// out of each meeting, and withdraws the requests of, the people the hub
// no longer shows in the room — the hub of several front ends drops a
// dead front end's sessions when their presence expires. With the
// meeting down to one attendee it ends, and its record gets its end.
// The same sweep ends, after a restart of every front end, the meetings
// that were running.
//
// Someone is taken out only when a sweep finds them absent twice in a
// row, so a moment's lag of presence seen from another front end takes
// nobody out.

// MeetingSweepInterval is how often a front end that shares its
// MeetingBook sweeps it. A dead front end's attendees leave their
// meetings at most two intervals after their presence expired.
const MeetingSweepInterval = 10 * time.Second

// absentees are the people the last sweep found absent from a room where
// they attend a meeting or asked for one.
type absentees struct {
	mu   sync.Mutex
	last map[roomUser]bool
}

// SweepMeetings takes out of every running meeting, and withdraws the
// requests of, the people absent from the room at this sweep and the one
// before; it drops expired requests kept in rooms nobody uses. Run it
// every MeetingSweepInterval when front ends share a MeetingBook (one in
// memory needs none: this process sees every visit end).
func (s *Service) SweepMeetings(ctx context.Context) error {
	rooms, err := s.meetings.Rooms(ctx)
	if err != nil {
		return err
	}
	s.absent.mu.Lock()
	before := s.absent.last
	s.absent.mu.Unlock()
	now := make(map[roomUser]bool)
	var errs []error
	for _, room := range rooms {
		if err := s.sweepRoom(ctx, room, before, now); err != nil {
			errs = append(errs, err)
		}
	}
	s.absent.mu.Lock()
	s.absent.last = now
	s.absent.mu.Unlock()
	return errors.Join(errs...)
}

// sweepRoom sweeps one room: absent are added to now, and those also in
// before leave.
func (s *Service) sweepRoom(ctx context.Context, room RoomID, before, now map[roomUser]bool) error {
	st, err := s.meetings.State(ctx, room)
	if err != nil {
		return err
	}
	at := s.now()
	here := make(map[UserID]bool)
	for _, h := range s.hub.Present(room) {
		here[h.UserID] = true
	}
	var gone []UserID
	for _, u := range st.people(at) {
		k := roomUser{room, u}
		if here[u] || now[k] {
			continue
		}
		now[k] = true
		if before[k] {
			gone = append(gone, u)
		}
	}
	for _, u := range gone {
		s.log.Info("meeting: taking out someone no front end shows in the room", "room", room, "user", u)
		if _, err := s.leaveMeeting(ctx, room, u); err != nil {
			return err
		}
	}
	if len(gone) == 0 && st.expired(at) {
		return s.meetings.Update(ctx, room, func(st *MeetingState) error {
			st.dropExpired(at)
			return nil
		}, nil)
	}
	return nil
}

// people are those who attend the meeting or asked for one, the request
// not expired at now.
func (st *MeetingState) people(now time.Time) []UserID {
	var out []UserID
	if st.Running != nil {
		for _, a := range st.Running.In {
			out = append(out, a.UserID)
		}
	}
	for _, r := range st.Requests {
		if now.Before(r.Expires) {
			out = append(out, r.From)
		}
	}
	return out
}
