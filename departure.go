package workroom

import (
	"context"
	"time"
)

// Departure is a person whose sessions on another front end ended without
// a word: with several front ends over one database, one that is killed
// (or cut off from the others) cannot say that its people left. The hub
// notices that it stopped (its heartbeat), removes its sessions, and one
// surviving front end tells the service, which tells everyone else as
// though those sessions had closed.
type Departure struct {
	UserID UserID
	// Rooms are the rooms they were looking at there.
	Rooms []RoomID
	// LastSeen is the last time their front end was known alive.
	LastSeen time.Time
}

// Departed tells whom it concerns that people left without a word (see
// Departure); the hub has already removed their sessions. In each room
// they were looking at, they leave as on closing a session (the sessions
// there are told where they are now, their meeting and typing end); one
// left with no session anywhere goes away, shown to the sessions looking
// at any of their rooms, and their last seen time is kept. The hub calls
// it on one front end only, so each departure is told once.
func (s *Service) Departed(gone []Departure) {
	ctx := context.Background()
	for _, d := range gone {
		online, seen := s.hub.Online(d.UserID)
		for _, room := range d.Rooms {
			if online > 0 { // away reaches every room of theirs below
				s.hub.PublishRoom(Event{Kind: EventPresence, RoomID: room, Presence: s.changeOf(room, d.UserID)}, room)
			}
			s.leftRoom(room, d.UserID)
		}
		if online > 0 {
			continue
		}
		if seen.IsZero() {
			seen = d.LastSeen
		}
		s.seen.record(d.UserID, seen)
		s.publishOnline(ctx, &PresenceChange{UserID: d.UserID, State: PresenceAway, LastSeen: seen})
	}
}
