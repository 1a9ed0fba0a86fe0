package workroom

import "context"

// Event is something that happened in a room that live sessions show at
// once. It is sent after the change is committed; a session that misses
// events (its queue overflowed) reloads from the store instead.
type Event struct {
	Kind    EventKind `json:"kind"`
	RoomID  RoomID    `json:"room_id"`
	Message *Message  `json:"message,omitempty"`
}

// EventKind names an event.
type EventKind string

const (
	EventMessage  EventKind = "message"  // a message was posted
	EventRead     EventKind = "read"     // the recipient's unread count changed
	EventRoom     EventKind = "room"     // the recipient joined a new room (an award)
	EventShutdown EventKind = "shutdown" // the server is stopping
)

// Hub is the live side of the server: it keeps the sessions that are
// connected and fans events out to them. Publish never blocks: each
// session has a bounded queue, and one that overflows is marked stale.
type Hub interface {
	// Subscribe registers a live session of a user.
	Subscribe(UserID) Subscription
	// Publish sends ev to every session of the given users.
	Publish(ev Event, to []UserID)
	// PublishAll sends ev to every session (used for shutdown).
	PublishAll(ev Event)
}

// Subscription is one live session's end of the hub.
type Subscription interface {
	// Events delivers events in order. It is closed by Close.
	Events() <-chan Event
	// Stale receives when events were dropped: reload from the store.
	Stale() <-chan struct{}
	// Enter records which room the session is looking at (0: none), for
	// presence.
	Enter(RoomID)
	// Close leaves the hub.
	Close()
}

// Subscribe registers a live session for the actor.
func (s *Service) Subscribe(u *User) Subscription { return s.hub.Subscribe(u.ID) }

// Shutdown tells every live session that the server is stopping.
func (s *Service) Shutdown() { s.hub.PublishAll(Event{Kind: EventShutdown}) }

// publish sends a room event to the live sessions of all its members.
func (s *Service) publish(ctx context.Context, ev Event) {
	ms, err := s.store.Members(ctx, ev.RoomID)
	if err != nil {
		s.log.Error("publish: members", "room", ev.RoomID, "err", err)
		return
	}
	to := make([]UserID, len(ms))
	for i, m := range ms {
		to[i] = m.UserID
	}
	s.hub.Publish(ev, to)
}
