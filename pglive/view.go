package pglive

import (
	"slices"
	"time"

	"github.com/workroom/workroom"
)

// view is what a front end knows of the other front ends' sessions, with
// the counts Present and Online read. It is guarded by Hub.mu.
type view struct {
	fronts   map[string]*front
	rooms    map[workroom.RoomID]map[workroom.UserID]int // sessions looking at each room
	users    map[workroom.UserID]int                     // sessions of each user
	lastSeen map[workroom.UserID]time.Time               // when a user's last session elsewhere ended
}

// front is one other front end's sessions.
type front struct {
	seq      uint64 // its last change applied
	synced   bool   // all its sessions are known: a snapshot arrived, or its first change
	answered bool   // it answered this front end's hello (Start waits for it)
	sessions map[uint64]session
}

type session struct {
	user workroom.UserID
	room workroom.RoomID
}

func newView() view {
	return view{
		fronts:   make(map[string]*front),
		rooms:    make(map[workroom.RoomID]map[workroom.UserID]int),
		users:    make(map[workroom.UserID]int),
		lastSeen: make(map[workroom.UserID]time.Time),
	}
}

func (v *view) front(origin string) *front {
	f := v.fronts[origin]
	if f == nil {
		f = &front{sessions: make(map[uint64]session)}
		v.fronts[origin] = f
	}
	return f
}

// change applies one session change of origin; gap reports that changes
// before it were missed (a snapshot is needed).
func (v *view) change(origin string, c *sessionChange) (gap bool) {
	f := v.front(origin)
	if c.Seq <= f.seq {
		return false // a snapshot already has it
	}
	if f.seq == 0 && c.Seq == 1 {
		f.synced = true // known from its first change on: nothing missed
	}
	gap = f.synced && c.Seq != f.seq+1
	f.seq = c.Seq
	if old, ok := f.sessions[c.ID]; ok {
		v.remove(old, c.At)
		delete(f.sessions, c.ID)
	}
	if !c.Ended {
		s := session{user: c.User, room: c.Room}
		f.sessions[c.ID] = s
		v.add(s)
	}
	return gap
}

// replace makes origin's sessions those of snap, unless what is known of
// it is newer. self is this front end: a snapshot for it answers its
// hello.
func (v *view) replace(origin string, snap *snapshot, self string) {
	f := v.front(origin)
	f.answered = f.answered || snap.For == self
	if snap.Seq < f.seq {
		return
	}
	for id, s := range f.sessions {
		v.remove(s, snap.At)
		delete(f.sessions, id)
	}
	for _, c := range snap.Sessions {
		s := session{user: c.User, room: c.Room}
		f.sessions[c.ID] = s
		v.add(s)
	}
	f.seq, f.synced = snap.Seq, true
}

// drop forgets a front end that died, and returns who was there and
// where: their sessions ended at, the last time it was known alive.
func (v *view) drop(origin string, at time.Time) []workroom.Departure {
	f := v.fronts[origin]
	if f == nil {
		return nil
	}
	delete(v.fronts, origin)
	var gone []workroom.Departure
	index := make(map[workroom.UserID]int)
	for _, s := range f.sessions {
		v.remove(s, at)
		i, ok := index[s.user]
		if !ok {
			i = len(gone)
			index[s.user] = i
			gone = append(gone, workroom.Departure{UserID: s.user, LastSeen: at})
		}
		if s.room != 0 && !slices.Contains(gone[i].Rooms, s.room) {
			gone[i].Rooms = append(gone[i].Rooms, s.room)
		}
	}
	return gone
}

func (v *view) add(s session) {
	v.users[s.user]++
	delete(v.lastSeen, s.user)
	if s.room == 0 {
		return
	}
	if v.rooms[s.room] == nil {
		v.rooms[s.room] = make(map[workroom.UserID]int)
	}
	v.rooms[s.room][s.user]++
}

// remove takes one session out of the counts; at is when it ended.
func (v *view) remove(s session, at time.Time) {
	if v.users[s.user]--; v.users[s.user] <= 0 {
		delete(v.users, s.user)
		v.lastSeen[s.user] = at
	}
	if s.room == 0 {
		return
	}
	here := v.rooms[s.room]
	if here[s.user]--; here[s.user] <= 0 {
		delete(here, s.user)
	}
	if len(here) == 0 {
		delete(v.rooms, s.room)
	}
}
