package pglive

import (
	"time"

	"github.com/workroom/workroom"
)

// envelope is what one front end sends the others, as one row of
// live_events: an event with whom it is for, or a piece of presence.
type envelope struct {
	Event *workroom.Event   `json:"event,omitempty"`
	To    []workroom.UserID `json:"to,omitempty"`   // Publish: the users' sessions
	Room  *workroom.RoomID  `json:"room,omitempty"` // PublishRoom: the sessions looking at it

	Session  *sessionChange `json:"session,omitempty"`
	Snapshot *snapshot      `json:"snapshot,omitempty"`
	// Hello asks every other front end for its snapshot: the origin
	// started, or may have missed changes.
	Hello bool `json:"hello,omitempty"`
	// Stale says the origin dropped events it should have sent: every
	// session reloads from the store.
	Stale bool `json:"stale,omitempty"`
}

// sessionChange is one session of the origin as it is now: started, in
// a room (0: none), or ended. Seq numbers the origin's changes 1, 2, 3…,
// so a receiver ignores what a snapshot already covers and sees a gap.
type sessionChange struct {
	Seq   uint64          `json:"seq"`
	ID    uint64          `json:"id"`
	User  workroom.UserID `json:"user"`
	Room  workroom.RoomID `json:"room,omitempty"`
	Ended bool            `json:"ended,omitempty"`
	At    time.Time       `json:"at"` // when it ended: the user's last seen if it was their last
}

// snapshot is every session of the origin after its change Seq.
type snapshot struct {
	// For is the front end whose hello it answers ("" when sent
	// unasked): it was taken after that hello arrived.
	For      string          `json:"for,omitempty"`
	Seq      uint64          `json:"seq"`
	At       time.Time       `json:"at"`
	Sessions []sessionChange `json:"sessions"`
}
