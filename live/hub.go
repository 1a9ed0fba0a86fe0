// Package live is the in-memory workroom.Hub: which sessions are connected,
// which room each is looking at (presence), and the fan-out of events to
// them.
//
// The fan-out path never waits for a session. Each subscription has a
// bounded queue; when it is full the event is dropped and the subscription
// is marked stale, and the session reloads from the store when it catches
// up. A slow client therefore slows nobody else. A session whose queue
// stays full for StuckTimeout, nothing taken from it meanwhile, is given
// up: the hub drops it as if it had closed (it leaves presence, its events
// end) and tells its owner (OnDrop), who ends the session.
package live

import (
	"sync"
	"time"

	"github.com/workroom/workroom"
)

// QueueSize is each session's event queue. A session that falls this far
// behind reloads instead of catching up event by event.
const QueueSize = 64

// StuckTimeout is how long a session's queue may stay full, with nothing
// taken from it, before the hub drops the session. A terminal that
// stopped reading (a paused ssh client that still answers keepalives)
// would otherwise stay "here" for good. It is checked when an event finds
// the queue full, so a stuck session with nothing sent its way is
// dropped by the next event instead.
const StuckTimeout = 30 * time.Second

// Hub implements workroom.Hub.
type Hub struct {
	now func() time.Time

	mu       sync.Mutex
	subs     map[workroom.UserID]map[*subscription]struct{}
	rooms    map[workroom.RoomID]map[*subscription]struct{} // sessions by the room they look at
	lastSeen map[workroom.UserID]time.Time                  // when each user's last session ended
}

var _ workroom.Hub = (*Hub)(nil)

// New returns an empty hub.
func New() *Hub { return NewWithClock(time.Now) }

// NewWithClock returns an empty hub that reads the time (for last seen)
// from now.
func NewWithClock(now func() time.Time) *Hub {
	return &Hub{
		now:      now,
		subs:     make(map[workroom.UserID]map[*subscription]struct{}),
		rooms:    make(map[workroom.RoomID]map[*subscription]struct{}),
		lastSeen: make(map[workroom.UserID]time.Time),
	}
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
	add(h.subs, user, s)
	delete(h.lastSeen, user)
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

// PublishRoom offers ev to the sessions looking at room.
func (h *Hub) PublishRoom(ev workroom.Event, room workroom.RoomID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.rooms[room] {
		s.offer(ev)
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

// MarkStale tells every session it may have missed events (a hub
// spanning several front ends lost its link to the others for a while):
// each reloads what it shows from the store.
func (h *Hub) MarkStale() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ss := range h.subs {
		for s := range ss {
			select {
			case s.stale <- struct{}{}:
			default:
			}
		}
	}
}

// Present returns who is looking at room, with how many sessions each.
func (h *Hub) Present(room workroom.RoomID) []workroom.Here {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := make(map[workroom.UserID]int)
	var order []workroom.UserID
	for s := range h.rooms[room] {
		if n[s.user] == 0 {
			order = append(order, s.user)
		}
		n[s.user]++
	}
	out := make([]workroom.Here, len(order))
	for i, u := range order {
		out[i] = workroom.Here{UserID: u, Sessions: n[u]}
	}
	return out
}

// Online returns how many sessions user has, and when the last one ended
// (zero while online, or when this hub never saw the user).
func (h *Hub) Online(user workroom.UserID) (int, time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[user]), h.lastSeen[user]
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

func add[K comparable](m map[K]map[*subscription]struct{}, k K, s *subscription) {
	if m[k] == nil {
		m[k] = make(map[*subscription]struct{})
	}
	m[k][s] = struct{}{}
}

func remove[K comparable](m map[K]map[*subscription]struct{}, k K, s *subscription) {
	delete(m[k], s)
	if len(m[k]) == 0 {
		delete(m, k)
	}
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
	// fullSince is when an event first found the queue full, zero while
	// events still fit.
	fullSince time.Time
	dropped   bool   // the hub gave up on it (StuckTimeout)
	onDrop    func() // told, once, on its own goroutine, when dropped
}

// offer queues ev, or marks the session stale when its queue is full,
// and drops it when the queue has been full for StuckTimeout. Called with
// hub.mu held, which also orders it against Close.
func (s *subscription) offer(ev workroom.Event) {
	if s.closed {
		return
	}
	select {
	case s.events <- ev:
		s.fullSince = time.Time{}
		return
	default:
	}
	now := s.hub.now()
	switch {
	case s.fullSince.IsZero():
		s.fullSince = now
	case now.Sub(s.fullSince) >= StuckTimeout:
		s.drop()
		return
	}
	select {
	case s.stale <- struct{}{}:
	default:
	}
}

// drop gives up on a stuck session: it leaves the hub as on Close, and
// its owner is told. Called with hub.mu held.
func (s *subscription) drop() {
	s.dropped = true
	s.close()
	if s.onDrop != nil {
		go s.onDrop()
	}
}

// OnDrop registers f to be told, once and on its own goroutine, when the
// hub gives up on the session; at once if it already has.
func (s *subscription) OnDrop(f func()) {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	s.onDrop = f
	if s.dropped {
		go f()
	}
}

func (s *subscription) Events() <-chan workroom.Event { return s.events }
func (s *subscription) Stale() <-chan struct{}        { return s.stale }

func (s *subscription) Enter(room workroom.RoomID) {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.closed {
		return
	}
	if s.room != 0 {
		remove(h.rooms, s.room, s)
	}
	s.room = room
	if room != 0 {
		add(h.rooms, room, s)
	}
}

func (s *subscription) Close() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	s.close()
}

// close leaves the hub. Called with hub.mu held.
func (s *subscription) close() {
	h := s.hub
	if s.closed {
		return
	}
	s.closed = true
	if s.room != 0 {
		remove(h.rooms, s.room, s)
	}
	remove(h.subs, s.user, s)
	if len(h.subs[s.user]) == 0 {
		h.lastSeen[s.user] = h.now()
	}
	close(s.events)
}
