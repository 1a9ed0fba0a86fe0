package workroom

import (
	"context"
	"slices"
	"time"
)

// MeetingBook keeps meeting mode's live state: per room, the requests
// waiting for an answer and the meeting running, with who attends it now.
// The service decides every change (meeting.go); the book keeps the state
// and makes each change of a room atomic. The default keeps it in this
// process (NewMemoryMeetings); several front ends over one database share
// one (the postgres package), so that a request made on one front end is
// answered on another and two front ends never both start a meeting.
//
// Who is typing is not in the book: it only ever goes through the hub.
type MeetingBook interface {
	// Update calls change once with the room's state (empty when nothing
	// is kept for it), and no other Update of the room, on any front end,
	// reads or changes it until Update returns. When change returns nil,
	// the state it leaves is kept — each request with ID 0 first gets an
	// ID no other request of the book has — and then (if not nil) runs
	// with it before any other Update of the room can keep a change, so
	// what then announces is announced in the order the changes were
	// made. When change returns an error, nothing is kept, then does not
	// run, and Update returns that error. change may read and write the
	// store; neither change nor then may call the book.
	//
	// A book shared through a database runs then before the commit that
	// keeps the change: when that commit fails (the database went away),
	// Update returns the error after then has run.
	Update(ctx context.Context, room RoomID, change func(*MeetingState) error, then func(*MeetingState)) error
	// State returns the room's state as last kept (empty when nothing
	// is), without waiting for an Update under way. The caller may change
	// what it gets; that changes nothing kept.
	State(ctx context.Context, room RoomID) (*MeetingState, error)
	// Rooms returns the rooms whose state is not empty, in ID order:
	// a meeting runs there, or requests are kept (expired ones too, until
	// an Update of the room drops them).
	Rooms(ctx context.Context) ([]RoomID, error)
}

// MeetingState is one room's meeting mode: the requests waiting for an
// answer and the meeting running, if one is. Expired requests stay in it
// until the service drops them (dropExpired): the book has no clock.
type MeetingState struct {
	Requests []MeetingRequest `json:"requests,omitempty"` // in the order they were made
	Running  *RunningMeeting  `json:"running,omitempty"`
}

// RunningMeeting is a meeting under way: its record, who is in it now,
// and its lines so far.
type RunningMeeting struct {
	// Record is the meeting as stored (Store.SaveMeeting): everyone who
	// attended, in the order they joined.
	Record Meeting    `json:"record"`
	In     []Attendee `json:"in"`             // attending now, in the order they joined
	Lines  int        `json:"lines"`          // lines sent so far
	Last   uint64     `json:"last,omitempty"` // the newest line's ID
}

// Empty reports whether nothing is kept for the room.
func (st *MeetingState) Empty() bool { return st.Running == nil && len(st.Requests) == 0 }

// Clone is a copy sharing nothing with st.
func (st *MeetingState) Clone() *MeetingState {
	c := &MeetingState{Requests: slices.Clone(st.Requests)}
	if r := st.Running; r != nil {
		run := *r
		run.In = slices.Clone(r.In)
		run.Record.Attendees = slices.Clone(r.Record.Attendees)
		c.Running = &run
	}
	return c
}

// dropExpired forgets the requests expired at now.
func (st *MeetingState) dropExpired(now time.Time) {
	st.Requests = slices.DeleteFunc(st.Requests, func(r MeetingRequest) bool { return !now.Before(r.Expires) })
}

// expired reports whether a request kept has expired at now.
func (st *MeetingState) expired(now time.Time) bool {
	return slices.ContainsFunc(st.Requests, func(r MeetingRequest) bool { return !now.Before(r.Expires) })
}

// request is the request with that ID, nil when none.
func (st *MeetingState) request(id uint64) *MeetingRequest {
	if i := slices.IndexFunc(st.Requests, func(r MeetingRequest) bool { return r.ID == id }); i >= 0 {
		return &st.Requests[i]
	}
	return nil
}

func (r *RunningMeeting) attends(u UserID) bool {
	return slices.ContainsFunc(r.In, func(a Attendee) bool { return a.UserID == u })
}

// now is the record as attendees see it: those in it now.
func (r *RunningMeeting) now() *Meeting {
	m := r.Record
	m.Attendees = slices.Clone(r.In)
	m.Lines = r.Lines
	return &m
}
