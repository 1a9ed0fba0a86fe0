package workroom

import "time"

// Event is something that happened that live sessions show at once. It is
// sent after the change is committed and carries what changed, so a
// session applies it without reading anything back: one event, one
// redraw. A session that misses events (its queue overflowed) is marked
// stale and reloads from the store instead.
type Event struct {
	Kind   EventKind `json:"kind"`
	RoomID RoomID    `json:"room_id"`
	// Message is the message posted (EventMessage). Every session of a
	// member gets it; one showing another room ignores it.
	Message *Message `json:"message,omitempty"`
	// Row is the room as the recipient sees it in their list now — their
	// role and unread count (EventMessage, EventRoom). It is computed for
	// each recipient, so it differs between members. The EventRoom of an
	// award also carries the hired notice as Message, so the
	// freelancer's screen can say they were hired.
	Row *Membership `json:"row,omitempty"`
	// Presence is who entered, left, came online or went away
	// (EventPresence).
	Presence *PresenceChange `json:"presence,omitempty"`
	// Job is a job of the recipient's as it is now (EventJob): a
	// proposal came in, so its count changed.
	Job *Job `json:"job,omitempty"`
	// Meeting is a meeting request, or a change of a meeting
	// (EventMeeting, to the sessions looking at the room).
	Meeting *MeetingChange `json:"meeting,omitempty"`
	// Typing is who started or stopped composing (EventTyping, to the
	// sessions looking at the room).
	Typing *Typing `json:"typing,omitempty"`
	// Todo is a to-do item as it is now, after it was added or changed
	// (EventTodo); it goes to the sessions looking at its room.
	Todo *Todo `json:"todo,omitempty"`
	// File is a file of the room as stored now (EventFile): a version
	// was added, by any way in, or it was renamed (for a delete, the
	// file as it was). The Files view reads its area again on it: the
	// space used and the folders change with it.
	File *File `json:"file,omitempty"`
}

// EventKind names an event.
type EventKind string

const (
	EventMessage  EventKind = "message"  // a message was posted; Row is the room for the recipient
	EventRoom     EventKind = "room"     // one row of the recipient's room list changed: a new room (an award), a read mark
	EventPresence EventKind = "presence" // someone entered or left a room, came online or went away
	EventJob      EventKind = "job"      // one of the recipient's jobs changed: a proposal came in
	EventMeeting  EventKind = "meeting"  // a meeting was requested, answered, joined, left or ended (meeting.go)
	EventTyping   EventKind = "typing"   // someone present started or stopped composing
	EventTodo     EventKind = "todo"     // a to-do item of the room was added or changed
	EventFile     EventKind = "file"     // a file of the room was added (a new version), renamed or deleted; to the sessions looking at the room
	EventShutdown EventKind = "shutdown" // the server is stopping
	// EventRemoved tells a person they were taken out of RoomID: the room
	// leaves their list, and a session showing it leaves it.
	EventRemoved EventKind = "removed"
	// EventMembers tells the sessions looking at RoomID that its people
	// changed (someone joined, was removed, or an invitation changed).
	EventMembers EventKind = "members"
)

// Hub is the live side of the server: it keeps the sessions that are
// connected, which room each is looking at (presence), and fans events
// out to them. Publishing never blocks: each session has a bounded
// queue, and one that overflows is marked stale.
type Hub interface {
	// Subscribe registers a live session of a user: the user is online
	// while they have one.
	Subscribe(UserID) Subscription
	// Publish sends ev to every session of the given users.
	Publish(ev Event, to []UserID)
	// PublishRoom sends ev to the sessions looking at the room.
	PublishRoom(ev Event, room RoomID)
	// PublishAll sends ev to every session (used for shutdown).
	PublishAll(ev Event)
	// Present returns who is looking at a room, with how many sessions.
	Present(RoomID) []Here
	// Online returns how many sessions a user has, and when their last
	// session ended (zero when unknown or while they are online).
	Online(UserID) (sessions int, lastSeen time.Time)
}

// Here is one person looking at a room, in how many sessions.
type Here struct {
	UserID   UserID `json:"user_id"`
	Sessions int    `json:"sessions"`
}

// Subscription is one live session's end of the hub. Only the service
// holds one: transports get a *Session, which cannot change presence
// without the service's membership check.
type Subscription interface {
	// Events delivers events in order. It is closed by Close.
	Events() <-chan Event
	// Stale receives when events were dropped: reload from the store.
	Stale() <-chan struct{}
	// Enter records which room the session is looking at (0: none).
	Enter(RoomID)
	// OnDrop registers f, told once (on its own goroutine) if the hub
	// gives up on a session that stopped taking its events: the hub has
	// then removed it as Close does, and the session must end.
	OnDrop(f func())
	// Close leaves the hub.
	Close()
}

// publishAppended tells every member's sessions about a new message, with
// the room's row as that member now sees it. A member looking at the room
// reads the message as it arrives: their mark moves to it (in memory) and
// their row shows nothing unread, so their sessions need no second event
// for the read.
func (s *Service) publishAppended(m *Message, r *Room, members []Member) {
	here := make(map[UserID]bool)
	for _, h := range s.hub.Present(r.ID) {
		here[h.UserID] = true
	}
	for _, mb := range members {
		var unread int
		switch {
		case here[mb.UserID]:
			s.reads.mark(ReadMark{RoomID: r.ID, UserID: mb.UserID, Upto: m.ID}, 0, m.ID)
		default:
			unread = s.reads.arrived(mb, m)
		}
		row := &Membership{Room: *r, Role: mb.Role, Unread: unread, Email: s.roomEmail(r.ID), Notify: !mb.NotifyOff}
		s.hub.Publish(Event{Kind: EventMessage, RoomID: r.ID, Message: m, Row: row}, []UserID{mb.UserID})
	}
}

// publishFile tells the sessions looking at a room that one of its files
// changed. Only they are told: the room list shows no files, and a
// session that opens the room later reads the area then.
func (s *Service) publishFile(room RoomID, f *File) {
	s.hub.PublishRoom(Event{Kind: EventFile, RoomID: room, File: f}, room)
}
