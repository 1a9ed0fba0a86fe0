package workroom

import (
	"context"
	"sync"
	"time"
)

// Presence is who is where: a person is here (looking at the room, in one
// or more sessions), online (connected, looking elsewhere) or away (no
// session; LastSeen says since when, kept across restarts: lastseen.go).
// Only terminal UI sessions count: an SSH command is not "online".
// The service keeps it through the hub, so the People pane, notifications
// ("not to someone looking at the room") and meetings all ask one place.
// A session enters a room only through Enter, after the membership check;
// leaving the room, closing the session or losing the connection ends the
// presence.
type PresenceState string

const (
	PresenceHere   PresenceState = "here"
	PresenceOnline PresenceState = "online"
	PresenceAway   PresenceState = "away"
)

// PresenceChange is what an EventPresence says: where a user is now. For
// a room (Event.RoomID) it is here, or online/away once they left it; a
// change of online/away reaches the sessions looking at each of the
// user's rooms.
type PresenceChange struct {
	UserID UserID        `json:"user_id"`
	State  PresenceState `json:"state"`
	// LastSeen is, for away, when their last session ended: the People
	// pane shows it without asking.
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// MemberPresence is a member of a room and where they are.
type MemberPresence struct {
	Member
	State    PresenceState `json:"state"`
	Sessions int           `json:"sessions"`           // sessions looking at the room (here) or connected (online)
	LastSeen time.Time     `json:"last_seen,omitzero"` // away: when their last session ended; zero when never seen
}

// Session is one live connection of a signed-in person: their events
// (new messages with their row, room-list changes, presence, shutdown)
// and, through Enter, the one room they are looking at. It ends with
// Close or when the context it was made with ends.
type Session struct {
	svc  *Service
	sub  Subscription
	user UserID
	stop func() bool // stops closing on the context's end

	mu     sync.Mutex
	visit  *Visit // the room entered, nil when none
	closed bool

	gone chan struct{} // closed when the hub dropped the session (Dropped)
}

// Subscribe starts a live session for the actor, who is online while it
// lasts. It ends with Close or when ctx ends (the connection dropped).
func (s *Service) Subscribe(ctx context.Context) (*Session, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	se := &Session{svc: s, sub: s.hub.Subscribe(u.ID), user: u.ID, gone: make(chan struct{})}
	se.mu.Lock() // Close may run at once, on another goroutine, if ctx is done
	se.stop = context.AfterFunc(ctx, se.Close)
	se.mu.Unlock()
	se.sub.OnDrop(se.dropped)
	if n, _ := s.hub.Online(u.ID); n == 1 {
		s.publishOnline(context.WithoutCancel(ctx), &PresenceChange{UserID: u.ID, State: PresenceOnline})
	}
	return se, nil
}

// Events delivers the session's events in order; it is closed by Close.
func (se *Session) Events() <-chan Event { return se.sub.Events() }

// Stale receives when events were dropped for this session (it fell too
// far behind): reload what is shown.
func (se *Session) Stale() <-chan struct{} { return se.sub.Stale() }

// Dropped is closed when the hub gave up on the session because it
// stopped taking its events (live.StuckTimeout): it has left its room and
// the hub as on Close, and the transport should end it.
func (se *Session) Dropped() <-chan struct{} { return se.gone }

// dropped is the hub giving up on the session: everyone sees it leave at
// once, and the transport is told.
func (se *Session) dropped() {
	se.svc.log.Warn("live: session dropped: it stopped taking its events", "user", se.user)
	close(se.gone)
	se.Close()
}

// Close ends the session: it leaves its room and the hub, and its read
// marks are written. Closing twice is harmless.
func (se *Session) Close() {
	se.mu.Lock()
	if se.closed {
		se.mu.Unlock()
		return
	}
	se.closed = true
	v, stop := se.visit, se.stop
	se.mu.Unlock()
	stop()
	if v != nil {
		v.Leave()
	}
	se.sub.Close()
	s := se.svc
	s.reads.leave(0, se.user)
	if n, seen := s.hub.Online(se.user); n == 0 {
		s.seen.record(se.user, seen)
		s.publishOnline(context.Background(), &PresenceChange{UserID: se.user, State: PresenceAway, LastSeen: seen})
	}
}

// Visit is a session's presence in one room. Leave ends it; so do
// entering another room, closing the session and the end of the context
// Enter was given.
type Visit struct {
	se   *Session
	room RoomID
	stop func() bool
	once sync.Once
}

// Enter puts the session in a room for everyone to see, once the actor is
// a member (errNoRoom otherwise, entering nothing). A session is in one
// room at a time: entering another leaves the first.
func (s *Service) Enter(ctx context.Context, se *Session, id RoomID) (*Visit, error) {
	u, _, err := s.authorize(ctx, id, ActionRead)
	if err != nil {
		return nil, err
	}
	if u.ID != se.user {
		return nil, errNoRoom(id) // another person's session
	}
	v := &Visit{se: se, room: id}
	v.stop = context.AfterFunc(ctx, v.Leave)
	se.mu.Lock()
	if se.closed {
		se.mu.Unlock()
		v.stop()
		return nil, Errorf(EUNAVAILABLE, "the session has ended")
	}
	old := se.visit
	se.visit = v
	se.sub.Enter(id)
	se.mu.Unlock()
	if old != nil {
		old.ended()
	}
	s.hub.PublishRoom(Event{Kind: EventPresence, RoomID: id, Presence: &PresenceChange{UserID: u.ID, State: PresenceHere}}, id)
	return v, nil
}

// Room is the room visited.
func (v *Visit) Room() RoomID { return v.room }

// Leave ends the presence in the room, and writes the reader's mark in it.
func (v *Visit) Leave() {
	se := v.se
	se.mu.Lock()
	current := se.visit == v
	if current {
		se.visit = nil
		se.sub.Enter(0)
	}
	se.mu.Unlock()
	if current {
		v.ended()
	}
}

// ended tells the room the visitor left, once.
func (v *Visit) ended() {
	v.once.Do(func() {
		v.stop()
		s, user := v.se.svc, v.se.user
		s.reads.leave(v.room, user)
		s.hub.PublishRoom(Event{Kind: EventPresence, RoomID: v.room, Presence: s.changeOf(v.room, user)}, v.room)
		s.leftRoom(v.room, user)
	})
}

// current reports whether the visit has not ended: the session is still
// in the room through it.
func (v *Visit) current() bool {
	v.se.mu.Lock()
	defer v.se.mu.Unlock()
	return v.se.visit == v
}

// changeOf is where a user is now as seen from a room.
func (s *Service) changeOf(room RoomID, user UserID) *PresenceChange {
	for _, h := range s.hub.Present(room) {
		if h.UserID == user {
			return &PresenceChange{UserID: user, State: PresenceHere}
		}
	}
	n, seen := s.hub.Online(user)
	if n > 0 {
		return &PresenceChange{UserID: user, State: PresenceOnline}
	}
	return &PresenceChange{UserID: user, State: PresenceAway, LastSeen: seen}
}

// publishOnline tells the sessions looking at any of the user's rooms that
// the user came online or went away. It walks the user's rooms, once per
// connection rather than per message.
func (s *Service) publishOnline(ctx context.Context, ch *PresenceChange) {
	user := ch.UserID
	before := uint64(0)
	for {
		rooms, err := s.store.RoomsOf(ctx, user, before, MaxPageSize)
		if err != nil {
			s.log.Warn("presence: listing rooms", "user", user, "err", err)
			return
		}
		for _, r := range rooms {
			s.hub.PublishRoom(Event{Kind: EventPresence, RoomID: r.ID, Presence: ch}, r.ID)
		}
		if len(rooms) < MaxPageSize {
			return
		}
		before = rooms[len(rooms)-1].Activity
	}
}

// Presence returns the members of one of the actor's rooms and where each
// is: here, online elsewhere, or away (with when they were last seen).
func (s *Service) Presence(ctx context.Context, id RoomID) ([]MemberPresence, error) {
	ms, err := s.Members(ctx, id)
	if err != nil {
		return nil, err
	}
	here := make(map[UserID]int)
	for _, h := range s.hub.Present(id) {
		here[h.UserID] = h.Sessions
	}
	out := make([]MemberPresence, len(ms))
	var unknown []UserID // away, and not seen by this process
	for i, m := range ms {
		out[i] = MemberPresence{Member: m, State: PresenceAway}
		n, seen := s.hub.Online(m.UserID)
		switch {
		case here[m.UserID] > 0:
			out[i].State, out[i].Sessions = PresenceHere, here[m.UserID]
		case n > 0:
			out[i].State, out[i].Sessions = PresenceOnline, n
		case seen.IsZero():
			unknown = append(unknown, m.UserID)
		default:
			out[i].LastSeen = seen
		}
	}
	if len(unknown) == 0 {
		return out, nil
	}
	stored, err := s.seen.of(ctx, unknown)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].State == PresenceAway && out[i].LastSeen.IsZero() {
			out[i].LastSeen = stored[out[i].UserID]
		}
	}
	return out, nil
}
