package tui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// readCounts counts the room-list reads and read-mark writes that reach
// the store.
type readCounts struct {
	*store.DB
	roomsOf, markWrites atomic.Int64
}

func (s *readCounts) RoomsOf(ctx context.Context, id workroom.UserID, before uint64, limit int) ([]workroom.Membership, error) {
	s.roomsOf.Add(1)
	return s.DB.RoomsOf(ctx, id, before, limit)
}

func (s *readCounts) MarkRead(ctx context.Context, marks []workroom.ReadMark) error {
	s.markWrites.Add(1)
	return s.DB.MarkRead(ctx, marks)
}

// Live messages are applied from the event: the room shows the message,
// the list replaces the one row, and neither reads the list again nor
// writes a read mark per message.
func TestLive_MessagesReadNoListAndWriteNoMarks(t *testing.T) {
	var rc *readCounts
	f := newFixture(t, workroomtest.WithReadMarkInterval(time.Hour), workroomtest.WithStore(func(db *store.DB) workroom.Store {
		rc = &readCounts{DB: db}
		return rc
	}))
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	watching := f.start(t, ada, room, 80, 24)
	watching.waitText("hired") // the hired notice opens every room
	list := f.start(t, bob, 0, 80, 24)
	list.waitText("Logo design")
	lists, writes := rc.roomsOf.Load(), rc.markWrites.Load()

	for i := 1; i <= 5; i++ {
		f.Post(t, bob, room, fmt.Sprintf("line %d", i))
	}
	watching.waitText("line 5")
	// Only the hired notice stays unread for Bob: his own lines add none.
	list.waitFor("Bob's own lines add nothing unread, the row moved", func(s string) bool {
		return unreadRow("Logo design", "1").MatchString(s) && strings.Contains(s, "LAST ACTIVITY")
	})
	if n := rc.roomsOf.Load() - lists; n != 0 {
		t.Errorf("5 live messages cost %d room-list reads, want 0", n)
	}
	if n := rc.markWrites.Load() - writes; n != 0 {
		t.Errorf("5 messages read as they arrived cost %d read-mark writes, want 0 (written behind)", n)
	}
	rs, err := f.Svc.Rooms(workroomtest.As(ada), 0, 0)
	if err != nil || rs.Rooms[0].Unread != 0 {
		t.Fatalf("Ada, watching, has %+v unread (%v); want 0 at once", rs, err)
	}
}

// A row event for a room the list does not show yet puts it on top.
func TestLive_AwardInsertsTheNewRoomWithoutReloading(t *testing.T) {
	var rc *readCounts
	f := newFixture(t, workroomtest.WithStore(func(db *store.DB) workroom.Store {
		rc = &readCounts{DB: db}
		return rc
	}))
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	f.Room(t, ada, bob, "Older room")
	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("Older room")
	lists := rc.roomsOf.Load()
	f.Room(t, ada, bob, "Newer room")
	s := tm.waitText("Newer room")
	if strings.Index(s, "Newer room") > strings.Index(s, "Older room") {
		t.Fatalf("the new room is not on top:\n%s", s)
	}
	if n := rc.roomsOf.Load() - lists; n != 0 {
		t.Errorf("the award cost %d room-list reads, want 0", n)
	}
}
