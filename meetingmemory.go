package workroom

import (
	"context"
	"slices"
	"sync"
)

// MemoryMeetings is the MeetingBook of one process, the default: requests
// and running meetings mean nothing after a restart. One lock covers every
// room, as a change is a few slice operations (and, when a meeting starts,
// joins or ends, one write of its record).
type MemoryMeetings struct {
	mu     sync.Mutex
	lastID uint64
	// rooms hold what is kept, never changed once kept: Update changes a
	// clone and keeps that, so a state handed out stays as it was.
	rooms map[RoomID]*MeetingState
}

// NewMemoryMeetings returns an empty book for this process.
func NewMemoryMeetings() *MemoryMeetings {
	return &MemoryMeetings{rooms: make(map[RoomID]*MeetingState)}
}

// Update implements MeetingBook; then runs under the book's lock.
func (b *MemoryMeetings) Update(_ context.Context, room RoomID, change func(*MeetingState) error, then func(*MeetingState)) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.kept(room).Clone()
	if err := change(st); err != nil {
		return err
	}
	for i := range st.Requests {
		if st.Requests[i].ID == 0 {
			b.lastID++
			st.Requests[i].ID = b.lastID
		}
	}
	if st.Empty() {
		delete(b.rooms, room)
	} else {
		b.rooms[room] = st
	}
	if then != nil {
		then(st)
	}
	return nil
}

// State implements MeetingBook.
func (b *MemoryMeetings) State(_ context.Context, room RoomID) (*MeetingState, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.kept(room).Clone(), nil
}

// Rooms implements MeetingBook.
func (b *MemoryMeetings) Rooms(context.Context) ([]RoomID, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]RoomID, 0, len(b.rooms))
	for id := range b.rooms {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// kept is the room's state as kept; called with the lock held.
func (b *MemoryMeetings) kept(room RoomID) *MeetingState {
	if st := b.rooms[room]; st != nil {
		return st
	}
	return &MeetingState{}
}

var _ MeetingBook = (*MemoryMeetings)(nil)
