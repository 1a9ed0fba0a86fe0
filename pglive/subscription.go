package pglive

import (
	"time"

	"github.com/workroom/workroom"
)

// subscription is a session of this front end: the local hub's, with
// every change of its presence (start, room, end) sent to the others.
type subscription struct {
	workroom.Subscription // the local hub's: Events, Stale
	h                     *Hub
	id                    uint64
	user                  workroom.UserID

	// Guarded by h.mu.
	room    workroom.RoomID
	ended   bool
	dropped bool   // the local hub gave up on it (live.StuckTimeout)
	onDrop  func() // OnDrop's
}

func (s *subscription) Enter(room workroom.RoomID) {
	h := s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.ended || s.room == room {
		return
	}
	s.Subscription.Enter(room)
	s.room = room
	h.changed(s)
}

func (s *subscription) Close() {
	h := s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	s.Subscription.Close()
	s.end()
}

// OnDrop registers f, told once when the local hub gives up on the
// session; at once if it already has.
func (s *subscription) OnDrop(f func()) {
	h := s.h
	h.mu.Lock()
	s.onDrop = f
	dropped := s.dropped
	h.mu.Unlock()
	if dropped {
		go f()
	}
}

// droppedByHub is the local hub giving up on the session (on its own
// goroutine): the others see it end, and its owner is told.
func (s *subscription) droppedByHub() {
	h := s.h
	h.mu.Lock()
	s.dropped = true
	s.end()
	f := s.onDrop
	h.mu.Unlock()
	if f != nil {
		f()
	}
}

// end tells the others the session ended. Called with h.mu held.
func (s *subscription) end() {
	if s.ended {
		return
	}
	s.ended = true
	delete(s.h.mine, s.id)
	s.h.changed(s)
}

// changed numbers the session's change and queues it for the others.
// Called with h.mu held, so changes are numbered in the order they
// happen and a snapshot covers exactly the changes numbered before it.
func (h *Hub) changed(s *subscription) {
	h.seq++
	h.enqueue(envelope{Session: &sessionChange{Seq: h.seq, ID: s.id, User: s.user, Room: s.room, Ended: s.ended, At: h.cfg.Now()}})
}

// snapshotLocked is every session of this front end now. Called with h.mu
// held.
func (h *Hub) snapshotLocked() *snapshot {
	snap := &snapshot{Seq: h.seq, At: h.cfg.Now(), Sessions: make([]sessionChange, 0, len(h.mine))}
	for _, s := range h.mine {
		snap.Sessions = append(snap.Sessions, sessionChange{ID: s.id, User: s.user, Room: s.room})
	}
	return snap
}

// sendSnapshot sends the others every session of this front end, in
// answer to the hello of the front end asking ("" when unasked).
func (h *Hub) sendSnapshot(asking string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	snap := h.snapshotLocked()
	snap.For = asking
	h.enqueue(envelope{Snapshot: snap})
}

// hello asks the others for their snapshots.
func (h *Hub) hello() {
	h.mu.Lock()
	h.lastHello = time.Now()
	h.mu.Unlock()
	h.enqueue(envelope{Hello: true})
}

// helloAgain asks again after a gap in another front end's changes, at
// most once a heartbeat.
func (h *Hub) helloAgain() {
	h.mu.Lock()
	recent := time.Since(h.lastHello) < h.cfg.Heartbeat
	h.mu.Unlock()
	if !recent {
		h.hello()
	}
}

// resync is sent after this front end may have lost touch: its presence
// (the others may have dropped it), a request for theirs (it may have
// missed their changes), and, when events it sent were dropped, word to
// reload.
func (h *Hub) resync(stale bool) {
	if stale {
		h.enqueue(envelope{Stale: true})
	}
	h.sendSnapshot("")
	h.hello()
}
