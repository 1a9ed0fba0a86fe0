package pglive_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/pglive"
	"github.com/workroom/workroom/workroomtest"
)

// service is a front end's service: the World's store (the shared
// database's part in this test), with hub as its live side, and the
// hub's departures wired to it as serve does.
func service(t *testing.T, w *workroomtest.World, hub *pglive.Hub) *workroom.Service {
	svc := workroom.NewService(w.DB, hub, workroom.Config{MailDomain: workroomtest.MailDomain, Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
	hub.OnDeparted(svc.Departed)
	t.Cleanup(func() { _ = svc.Close(context.Background()) })
	return svc
}

// nextOf returns the session's next event of kind, skipping others.
func nextOf(t *testing.T, se *workroom.Session, kind workroom.EventKind, limit time.Duration) workroom.Event {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case ev := <-se.Events():
			if ev.Kind == kind {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event within %v", kind, limit)
		}
	}
}

// Ada on front end A and Bob on front end B share a room: Bob sees her
// come in, reads her message at once, and when A is killed sees her go
// away within the dead-after time; the People pane on B agrees.
func TestTwoFrontEnds_MessagesAndPresenceCross(t *testing.T) {
	w := workroomtest.New(t, workroomtest.WithRealClock())
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	hubA, hubB, _ := frontEnds(t)
	svcA, svcB := service(t, w, hubA), service(t, w, hubB)

	bobs, err := svcB.Subscribe(workroomtest.As(bob))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bobs.Close)
	if _, err := svcB.Enter(workroomtest.As(bob), bobs, room); err != nil {
		t.Fatal(err)
	}
	adas, err := svcA.Subscribe(workroomtest.As(ada))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(adas.Close)
	if _, err := svcA.Enter(workroomtest.As(ada), adas, room); err != nil {
		t.Fatal(err)
	}
	for _, want := range []workroom.PresenceState{workroom.PresenceOnline, workroom.PresenceHere} {
		for {
			ev := nextOf(t, bobs, workroom.EventPresence, 5*time.Second)
			if ev.Presence.UserID == ada.User.ID {
				if ev.Presence.State != want {
					t.Fatalf("Bob saw Ada %s, want %s", ev.Presence.State, want)
				}
				break
			}
		}
	}

	if _, err := svcA.Post(workroomtest.As(ada), room, "the logo, first draft", workroom.SourceTerminal); err != nil {
		t.Fatal(err)
	}
	if ev := nextOf(t, bobs, workroom.EventMessage, 5*time.Second); ev.Message.Body != "the logo, first draft" {
		t.Fatalf("Bob got %q", ev.Message.Body)
	}

	hubA.Crash()
	ev := nextOf(t, bobs, workroom.EventPresence, fast.DeadAfter+2*fast.Heartbeat+2*time.Second)
	if ev.RoomID != room || ev.Presence.UserID != ada.User.ID || ev.Presence.State != workroom.PresenceAway || ev.Presence.LastSeen.IsZero() {
		t.Fatalf("Bob saw %+v in room %d, want Ada away with a last seen time", ev.Presence, ev.RoomID)
	}
	ps, err := svcB.Presence(workroomtest.As(bob), room)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.UserID == ada.User.ID && p.State != workroom.PresenceAway {
			t.Fatalf("B's People pane shows Ada %s, want away", p.State)
		}
	}
}
