package workroomtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

func TestWorld_ClockMovesOnlyWhenAdvanced(t *testing.T) {
	w := workroomtest.New(t)
	if got := w.Now(); !got.Equal(workroomtest.Start) {
		t.Fatalf("clock starts at %v, want %v", got, workroomtest.Start)
	}
	w.Advance(time.Minute)
	if got := w.Now(); !got.Equal(workroomtest.Start.Add(time.Minute)) {
		t.Fatalf("after a minute the clock says %v", got)
	}
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	if got := workroomtest.New(t, workroomtest.WithStart(at)).Now(); !got.Equal(at) {
		t.Fatalf("WithStart: clock starts at %v, want %v", got, at)
	}
}

func TestWorld_CodeIsTheNewestMailed(t *testing.T) {
	w := workroomtest.New(t)
	ada := w.SignUp(t, "Ada Lovelace")
	if ada.User.Email != "adalovelace@example.com" || ada.Key.Fingerprint != "SHA256:Ada Lovelace" {
		t.Fatalf("signed up %+v with key %+v", ada.User, ada.Key)
	}
	first := w.Code(t, ada.User.Email)
	w.Advance(2 * time.Minute)
	if err := w.Svc.ResendVerification(workroomtest.As(ada)); err != nil {
		t.Fatal(err)
	}
	second := w.Code(t, ada.User.Email)
	if second == first {
		t.Skip("the new code happens to equal the old one")
	}
	if err := w.Svc.Verify(workroomtest.As(ada), second); err != nil {
		t.Fatalf("the newest code is refused: %v", err)
	}
}

func TestWorld_RoomAndPost(t *testing.T) {
	w := workroomtest.New(t, workroomtest.NoSync())
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	r := w.Room(t, ada, bob, "Logo design")
	m := w.Post(t, bob, r.ID, "hello")
	page, err := w.Svc.Rooms(workroomtest.As(ada), 0, 0)
	rooms := page.Rooms
	if err != nil || len(rooms) != 1 || rooms[0].ID != r.ID || rooms[0].Role != workroom.RoleClient || rooms[0].Unread != 1 {
		t.Fatalf("client's rooms = %+v, %v; want the awarded room with %q unread", rooms, err, m.Body)
	}
}

// countingStore counts the messages appended through it.
type countingStore struct {
	*store.DB
	appends int
}

func (s *countingStore) AppendMessage(ctx context.Context, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	s.appends++
	return s.DB.AppendMessage(ctx, m, mails)
}

func TestWorld_WithStoreWrapsTheStore(t *testing.T) {
	var cs *countingStore
	w := workroomtest.New(t, workroomtest.WithStore(func(db *store.DB) workroom.Store {
		cs = &countingStore{DB: db}
		return cs
	}))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	w.Post(t, ada, w.Room(t, ada, bob, "Logo design").ID, "hello")
	if cs.appends != 2 || cs.DB != w.DB {
		t.Fatalf("the wrapper saw %d appends over %p, want 2 (the hired notice, hello) over the World's store %p", cs.appends, cs.DB, w.DB)
	}
}
