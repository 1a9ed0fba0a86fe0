package postgres_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/workroomtest"
	"github.com/workroom/workroom/workroomtest/meetingtest"
)

// Each front end opens a book of its own — its own pool, as another
// process would — on one database. The services in the suite keep their
// records in a bbolt store shared in process: the book is what is under
// test.
func TestMeetingBook_Contract(t *testing.T) {
	meetingtest.Run(t, func(t *testing.T) func() workroom.MeetingBook {
		url := pgtest.NewDatabase(t)
		return func() workroom.MeetingBook {
			b, err := postgres.OpenMeetingBook(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(b.Close)
			return b
		}
	})
}

// TestMeetingBook_FrontEndKilledMidChangeHoldsNothing: a front end that
// dies while it holds a room's row (its connection gone, as with kill -9)
// loses its transaction at once, and the other front ends' changes of the
// room go on.
func TestMeetingBook_FrontEndKilledMidChangeHoldsNothing(t *testing.T) {
	url := pgtest.NewDatabase(t)
	book, err := postgres.OpenMeetingBook(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	ask := func(st *workroom.MeetingState) error {
		st.Requests = append(st.Requests, workroom.MeetingRequest{RoomID: 3, From: 1, Expires: time.Now().Add(time.Minute)})
		return nil
	}
	if err := book.Update(ctx, 3, ask, nil); err != nil {
		t.Fatal(err)
	}
	dying, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := dying.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM meeting_rooms WHERE room_id = 3 FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- book.Update(ctx, 3, ask, nil) }()
	select {
	case err := <-done:
		t.Fatalf("the change went through while another held the room: %v", err)
	case <-time.After(200 * time.Millisecond): // it waits, as it must
	}
	_ = dying.PgConn().Conn().Close() // the process is gone: its socket closes
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(workroomtest.WaitLimit):
		t.Fatal("the room stayed locked by a dead front end")
	}
	if st, err := book.State(ctx, 3); err != nil || len(st.Requests) != 2 {
		t.Fatalf("state %+v, %v: want both requests", st, err)
	}
}
