package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/workroomtest"
)

// TestShareMeetings_KeepsThemInTheDatabaseAndSweeps: the service's
// meetings are in the database, where another front end's book reads
// them, and the periodic sweep alone ends a meeting whose attendees no
// front end shows (their front end died).
func TestShareMeetings_KeepsThemInTheDatabaseAndSweeps(t *testing.T) {
	url := pgtest.NewDatabase(t)
	w := workroomtest.New(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID

	cfg := workroom.Config{Now: w.Now, Limits: workroom.NoLimits, Outbox: w.Outbox}
	serving, stop := context.WithCancel(ctx)
	sweep, closeBook, err := shareMeetings(serving, url, 10*time.Millisecond, &cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer closeBook()
	svc := workroom.NewService(w.DB, w.Hub, cfg, slog.New(slog.DiscardHandler))
	defer func() { _ = svc.Close(context.Background()) }()

	// A meeting of Ada and Bob, who are in no session at all.
	both := []workroom.Attendee{{UserID: ada.User.ID, Name: "Ada"}, {UserID: bob.User.ID, Name: "Bob"}}
	rec := workroom.Meeting{RoomID: room, Started: w.Now(), Attendees: both, From: 1}
	if err := w.DB.SaveMeeting(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	err = cfg.Meetings.Update(ctx, room, func(st *workroom.MeetingState) error {
		st.Running = &workroom.RunningMeeting{Record: rec, In: both}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := postgres.OpenMeetingBook(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if st, err := other.State(ctx, room); err != nil || st.Running == nil {
		t.Fatalf("another front end reads %+v, %v", st, err)
	}

	done := make(chan struct{})
	go func() { defer close(done); sweep(svc) }()
	defer func() { stop(); <-done }()
	// The meeting's record (the store) and its live state (the book, in
	// PostgreSQL) are written by two stores, the record first; wait for
	// both.
	workroomtest.WaitUntil(t, "the periodic sweep ends the meeting", func() bool {
		ms, err := w.DB.Meetings(ctx, room, 0, 1<<62)
		return err == nil && len(ms) == 1 && !ms[0].Ended.IsZero()
	})
	workroomtest.WaitUntil(t, "the meeting gone from the database the front ends share", func() bool {
		st, err := other.State(ctx, room)
		return err == nil && st.Empty()
	})
}
