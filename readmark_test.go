package workroom_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// countedMarks counts the read-mark writes that reach the store.
type countedMarks struct {
	*store.DB
	writes atomic.Int64
}

func (s *countedMarks) MarkRead(ctx context.Context, marks []workroom.ReadMark) error {
	s.writes.Add(1)
	return s.DB.MarkRead(ctx, marks)
}

func markWorld(t *testing.T, opts ...workroomtest.Option) (*workroomtest.World, *countedMarks) {
	var cm *countedMarks
	opts = append(opts, workroomtest.NoSync(), workroomtest.WithStore(func(db *store.DB) workroom.Store {
		cm = &countedMarks{DB: db}
		return cm
	}))
	return workroomtest.New(t, opts...), cm
}

// stored is the member's read mark as the store has it.
func stored(t *testing.T, w *workroomtest.World, room workroom.RoomID, id *workroom.Identity) *workroom.Member {
	t.Helper()
	m, err := w.DB.Member(context.Background(), room, id.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadMarks_HundredReadsCostAHandfulOfWrites(t *testing.T) {
	w, cm := markWorld(t, workroomtest.WithReadMarkInterval(time.Hour))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	asBob := workroomtest.As(bob)
	var m *workroom.Message
	for range 100 {
		m = w.Post(t, ada, room, "line")
		if err := w.Svc.MarkRead(asBob, room, m.ID); err != nil {
			t.Fatal(err)
		}
		if rooms := roomsOf(t, w, asBob); rooms[0].Unread != 0 {
			t.Fatalf("after reading message %d Bob's list shows %d unread", m.ID, rooms[0].Unread)
		}
	}
	if n := cm.writes.Load(); n > 2 {
		t.Fatalf("100 reads cost %d store writes, want at most 2", n)
	}
	if err := w.Svc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := stored(t, w, room, bob); s.LastRead != m.ID || s.Unread != 0 {
		t.Fatalf("after a clean shutdown the store has LastRead %d, unread %d; want %d and 0", s.LastRead, s.Unread, m.ID)
	}
}

func TestReadMarks_WrittenBehindEachInterval(t *testing.T) {
	w, cm := markWorld(t, workroomtest.WithReadMarkInterval(20*time.Millisecond))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	m := w.Post(t, ada, room, "hello")
	if _, err := w.Svc.Messages(workroomtest.As(bob), room, 0, 0); err != nil {
		t.Fatal(err)
	}
	workroomtest.WaitUntil(t, "the mark to be written behind", func() bool {
		return stored(t, w, room, bob).LastRead == m.ID
	})
	if n := cm.writes.Load(); n != 1 {
		t.Fatalf("one read cost %d writes, want 1", n)
	}
}

func TestReadMarks_WrittenOnLeavingTheRoom(t *testing.T) {
	w, _ := markWorld(t, workroomtest.WithReadMarkInterval(time.Hour))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	sub := subscribe(t, w, bob)
	v := enter(t, w, bob, sub, room)
	m := w.Post(t, ada, room, "seen as it arrives")
	if s := stored(t, w, room, bob); s.LastRead == m.ID {
		t.Fatal("the mark was written at once; it should wait for the interval or the leaving")
	}
	v.Leave()
	workroomtest.WaitUntil(t, "leaving the room to write the mark", func() bool {
		return stored(t, w, room, bob).LastRead == m.ID
	})
}

func TestReadMarks_ReaderLookingAtTheRoomReadsWhatArrives(t *testing.T) {
	w, _ := markWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	watching, elsewhere := subscribe(t, w, bob), subscribe(t, w, bob)
	enter(t, w, bob, watching, room)
	w.Post(t, ada, room, "hello")
	for _, sub := range []*workroom.Session{watching, elsewhere} {
		ev := next(t, sub, workroom.EventMessage)
		if ev.Row == nil || ev.Row.Unread != 0 || ev.Row.Role != workroom.RoleFreelancer {
			t.Fatalf("Bob's row %+v, want the freelancer's with nothing unread", ev.Row)
		}
	}
	if rooms := roomsOf(t, w, workroomtest.As(bob)); rooms[0].Unread != 0 {
		t.Fatalf("Bob's list shows %d unread", rooms[0].Unread)
	}
}

func TestReadMarks_PartialReadCountsWhatIsLeft(t *testing.T) {
	w, _ := markWorld(t, workroomtest.WithReadMarkInterval(time.Hour))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	first := w.Post(t, ada, room, "1")
	w.Post(t, bob, room, "2 (Bob's own)")
	w.Post(t, ada, room, "3")
	w.Post(t, ada, room, "4")
	asBob := workroomtest.As(bob)
	if err := w.Svc.MarkRead(asBob, room, first.ID); err != nil {
		t.Fatal(err)
	}
	if got := roomsOf(t, w, asBob)[0].Unread; got != 2 {
		t.Fatalf("read up to 1 of 4: %d unread, want 2", got)
	}
	w.Post(t, ada, room, "5")
	if got := roomsOf(t, w, asBob)[0].Unread; got != 3 {
		t.Fatalf("one more arrived: %d unread, want 3", got)
	}
	if err := w.Svc.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := stored(t, w, room, bob); s.LastRead != first.ID || s.Unread != 3 {
		t.Fatalf("flushed: LastRead %d unread %d, want %d and 3", s.LastRead, s.Unread, first.ID)
	}
}

func TestReadMarks_ReadTellsTheReadersOtherSessions(t *testing.T) {
	w, _ := markWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	other := subscribe(t, w, bob)
	m := w.Post(t, ada, room, "hello")
	if ev := next(t, other, workroom.EventMessage); ev.Row.Unread != 2 {
		t.Fatalf("row before reading: %+v, want 2 unread (the hired notice and hello)", ev.Row)
	}
	if err := w.Svc.MarkRead(workroomtest.As(bob), room, m.ID); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, other, workroom.EventRoom); ev.Row.ID != room || ev.Row.Unread != 0 {
		t.Fatalf("row after reading: %+v, want 0 unread", ev.Row)
	}
	if err := w.Svc.MarkRead(workroomtest.As(bob), room, m.ID); err != nil {
		t.Fatal(err)
	}
	quiet(t, other, workroom.EventRoom) // reading nothing new tells nobody
}
