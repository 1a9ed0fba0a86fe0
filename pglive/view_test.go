package pglive

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// A front end's changes are numbered: one already covered by a snapshot
// is ignored, a snapshot older than what is known is ignored, and a
// missing number is a gap (a snapshot must be asked for).
func TestView_OrdersChangesAndSnapshotsByNumber(t *testing.T) {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	v := newView()
	if gap := v.change("a", &sessionChange{Seq: 1, ID: 1, User: 1, Room: 7}); gap {
		t.Fatal("the first change is no gap")
	}
	v.replace("a", &snapshot{Seq: 3, Sessions: []sessionChange{{ID: 1, User: 1, Room: 8}, {ID: 2, User: 2}}}, "me")
	if v.rooms[8][1] != 1 || v.rooms[7][1] != 0 || v.users[2] != 1 {
		t.Fatalf("after the snapshot: rooms %v, users %v", v.rooms, v.users)
	}
	if gap := v.change("a", &sessionChange{Seq: 2, ID: 1, User: 1, Room: 7}); gap || v.rooms[7][1] != 0 {
		t.Fatalf("a change the snapshot covers was applied (gap %v, rooms %v)", gap, v.rooms)
	}
	v.replace("a", &snapshot{Seq: 2}, "me")
	if v.users[1] != 1 {
		t.Fatalf("an older snapshot replaced a newer state: users %v", v.users)
	}
	if gap := v.change("a", &sessionChange{Seq: 5, ID: 2, User: 2, Ended: true, At: at}); !gap {
		t.Fatal("change 5 after 3: no gap reported")
	}
	if _, ok := v.users[2]; ok || !v.lastSeen[2].Equal(at) {
		t.Fatalf("user 2's last session ended: users %v, last seen %v", v.users, v.lastSeen[2])
	}
}

// Dropping a dead front end returns each of its people once, with the
// rooms they were looking at, and leaves the others' counts alone.
func TestView_DropReturnsEachPersonWithTheirRooms(t *testing.T) {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	v := newView()
	v.replace("a", &snapshot{Seq: 1, Sessions: []sessionChange{{ID: 1, User: 1, Room: 7}, {ID: 2, User: 1, Room: 7}, {ID: 3, User: 1, Room: 8}, {ID: 4, User: 2}}}, "me")
	v.replace("b", &snapshot{Seq: 1, Sessions: []sessionChange{{ID: 1, User: 1, Room: 7}}}, "me")
	gone := v.drop("a", at)
	if len(gone) != 2 {
		t.Fatalf("departures %+v, want users 1 and 2", gone)
	}
	for _, d := range gone {
		want := map[workroom.UserID]int{1: 2, 2: 0}[d.UserID]
		if len(d.Rooms) != want || !d.LastSeen.Equal(at) {
			t.Fatalf("departure %+v, want %d rooms, last seen %v", d, want, at)
		}
	}
	if v.rooms[7][1] != 1 || v.users[1] != 1 || len(v.rooms[8]) != 0 || v.users[2] != 0 {
		t.Fatalf("after the drop: rooms %v, users %v; want only b's session", v.rooms, v.users)
	}
}
