// Package live is the in-memory workroom.Hub: which sessions are connected,
// which room each is looking at, and the fan-out of room events to them.
//
// The fan-out path never waits for a session. Each subscription has a
// bounded queue; when it is full the event is dropped and the subscription
// is marked stale, and the session reloads from the store when it catches
// up. A slow client therefore slows nobody else.
package live

import (
	"sync"

	"github.com/workroom/workroom"
)

// QueueSize is each session's event queue. A session that falls this far
// behind reloads instead of catching up event by event.
const QueueSize = 64

// Hub implements workroom.Hub.
type Hub struct {
	mu   sync.Mutex
	subs map[workroom.UserID]map[*subscription]struct{}
}

var _ workroom.Hub = (*Hub)(nil)

// New returns an empty hub.
func New() *Hub {
	return &Hub{subs: make(map[workroom.UserID]map[*subscription]struct{})}
}

// Subscribe registers a session of user.
func (h *Hub) Subscribe(user workroom.UserID) workroom.Subscription {
	s := &subscription{
		hub:    h,
		user:   user,
		events: make(chan workroom.Event, QueueSize),
		stale:  make(chan struct{}, 1),
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[user] == nil {
		h.subs[user] = make(map[*subscription]struct{})
	}
	h.subs[user][s] = struct{}{}
	return s
}

// Publish offers ev to every session of the given users without waiting.
func (h *Hub) Publish(ev workroom.Event, to []workroom.UserID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range to {
		for s := range h.subs[u] {
			s.offer(ev)
		}
	}
}

// PublishAll offers ev to every session.
func (h *Hub) PublishAll(ev workroom.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ss := range h.subs {
		for s := range ss {
			s.offer(ev)
		}
	}
}

// Where returns the rooms the user's sessions are looking at now, and
// whether the user has any session at all.
func (h *Hub) Where(user workroom.UserID) (rooms []workroom.RoomID, online bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[user] {
		if s.room != 0 {
			rooms = append(rooms, s.room)
		}
	}
	return rooms, len(h.subs[user]) > 0
}

// subscription is one session's queue. Its fields other than the channels
// are guarded by hub.mu.
type subscription struct {
	hub    *Hub
	user   workroom.UserID
	room   workroom.RoomID
	closed bool
	events chan workroom.Event
	stale  chan struct{}
}

// offer queues ev, or marks the session stale when its queue is full.
// Called with hub.mu held, which also orders it against Close.
func (s *subscription) offer(ev workroom.Event) {
	if s.closed {
		return
	}
	select {
	case s.events <- ev:
	default:
		select {
		case s.stale <- struct{}{}:
		default:
		}
	}
}

func (s *subscription) Events() <-chan workroom.Event { return s.events }
func (s *subscription) Stale() <-chan struct{}        { return s.stale }

func (s *subscription) Enter(room workroom.RoomID) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.room = room
}

func (s *subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	delete(s.hub.subs[s.user], s)
	if len(s.hub.subs[s.user]) == 0 {
		delete(s.hub.subs, s.user)
	}
	close(s.events)
}
