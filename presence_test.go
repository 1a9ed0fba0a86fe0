package workroom_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/workroomtest"
)

// subscribe starts a live session for id, closed when the test ends.
func subscribe(t *testing.T, w *workroomtest.World, id *workroom.Identity) *workroom.Session {
	t.Helper()
	sub, err := w.Svc.Subscribe(workroomtest.As(id))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sub.Close)
	return sub
}

// enter puts sub in a room.
func enter(t *testing.T, w *workroomtest.World, id *workroom.Identity, sub *workroom.Session, room workroom.RoomID) *workroom.Visit {
	t.Helper()
	v, err := w.Svc.Enter(workroomtest.As(id), sub, room)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// next returns the session's next event of kind, skipping others; it
// fails the test after a few seconds.
func next(t *testing.T, sub *workroom.Session, kind workroom.EventKind) workroom.Event {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-sub.Events():
			if ev.Kind == kind {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event", kind)
		}
	}
}

// quiet fails if the session has an event of kind waiting.
func quiet(t *testing.T, sub *workroom.Session, kind workroom.EventKind) {
	t.Helper()
	for {
		select {
		case ev := <-sub.Events():
			if ev.Kind == kind {
				t.Fatalf("unexpected %+v", ev)
			}
		default:
			return
		}
	}
}

// presence returns where each member of room is, as ctx sees it.
func presence(t *testing.T, w *workroomtest.World, ctx context.Context, room workroom.RoomID) map[string]workroom.MemberPresence {
	t.Helper()
	ps, err := w.Svc.Presence(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]workroom.MemberPresence)
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

func TestEnter_RefusesOutsiderAsNoSuchRoom(t *testing.T) {
	w := newWorld(t)
	ada, bob, eve := w.SignUp(t, "Ada"), w.SignUp(t, "Bob"), w.SignUp(t, "Eve")
	room := w.Room(t, ada, bob, "Logo design").ID
	sub := subscribe(t, w, eve)
	_, err := w.Svc.Enter(workroomtest.As(eve), sub, room)
	wantCode(t, err, workroom.ENOTFOUND)
	if here := w.Hub.Present(room); len(here) != 0 {
		t.Fatalf("an outsider's refused session is present: %v", here)
	}
	if rooms, _ := w.Hub.Where(eve.User.ID); len(rooms) != 0 {
		t.Fatalf("the outsider's session is in %v", rooms)
	}
}

func TestPresence_HereOnlineAway(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	asAda := workroomtest.As(ada)
	if p := presence(t, w, asAda, room); p["Ada"].State != workroom.PresenceAway || p["Bob"].State != workroom.PresenceAway {
		t.Fatalf("nobody connected: %+v", p)
	}
	one, two := subscribe(t, w, ada), subscribe(t, w, ada)
	if p := presence(t, w, asAda, room); p["Ada"].State != workroom.PresenceOnline || p["Ada"].Sessions != 2 {
		t.Fatalf("connected elsewhere: %+v, want online in 2 sessions", p["Ada"])
	}
	v1, v2 := enter(t, w, ada, one, room), enter(t, w, ada, two, room)
	if p := presence(t, w, asAda, room); p["Ada"].State != workroom.PresenceHere || p["Ada"].Sessions != 2 || p["Bob"].State != workroom.PresenceAway {
		t.Fatalf("in the room twice: %+v", p)
	}
	v1.Leave()
	v1.Leave() // twice is harmless
	if p := presence(t, w, asAda, room); p["Ada"].State != workroom.PresenceHere || p["Ada"].Sessions != 1 {
		t.Fatalf("one session left: %+v, want here in 1", p["Ada"])
	}
	v2.Leave()
	if p := presence(t, w, asAda, room); p["Ada"].State != workroom.PresenceOnline {
		t.Fatalf("both left the room: %+v, want online", p["Ada"])
	}
	one.Close()
	two.Close()
	p := presence(t, w, asAda, room)
	if p["Ada"].State != workroom.PresenceAway || p["Ada"].LastSeen.IsZero() {
		t.Fatalf("both sessions closed: %+v, want away with a last seen time", p["Ada"])
	}
	if _, err := w.Svc.Presence(workroomtest.As(w.SignUp(t, "Eve")), room); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("an outsider asked who is in the room: %v", err)
	}
}

func TestEnter_DroppedConnectionEndsPresence(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	ctx, drop := context.WithCancel(workroomtest.As(ada))
	sub, err := w.Svc.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.Enter(ctx, sub, room); err != nil {
		t.Fatal(err)
	}
	if here := w.Hub.Present(room); len(here) != 1 {
		t.Fatalf("present: %v", here)
	}
	drop()
	workroomtest.WaitUntil(t, "the dropped session to leave the room and the hub", func() bool {
		n, _ := w.Hub.Online(ada.User.ID)
		return len(w.Hub.Present(room)) == 0 && n == 0
	})
}

func TestEnter_AnotherRoomLeavesTheFirst(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	r1, r2 := w.Room(t, ada, bob, "One").ID, w.Room(t, ada, bob, "Two").ID
	sub := subscribe(t, w, ada)
	enter(t, w, ada, sub, r1)
	enter(t, w, ada, sub, r2)
	if len(w.Hub.Present(r1)) != 0 || len(w.Hub.Present(r2)) != 1 {
		t.Fatalf("present in r1 %v, r2 %v; want only r2", w.Hub.Present(r1), w.Hub.Present(r2))
	}
}

func TestPresence_ChangesReachSessionsInTheRoom(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	watcher := subscribe(t, w, bob)
	enter(t, w, bob, watcher, room)
	if ev := next(t, watcher, workroom.EventPresence); ev.Presence.UserID != bob.User.ID {
		t.Fatalf("first presence event %+v, want Bob's own entering", ev.Presence)
	}

	sub, err := w.Svc.Subscribe(workroomtest.As(ada))
	if err != nil {
		t.Fatal(err)
	}
	want := func(state workroom.PresenceState) {
		t.Helper()
		ev := next(t, watcher, workroom.EventPresence)
		if ev.RoomID != room || ev.Presence.UserID != ada.User.ID || ev.Presence.State != state {
			t.Fatalf("got %+v %+v, want Ada %s in room %d", ev, ev.Presence, state, room)
		}
	}
	want(workroom.PresenceOnline)
	v := enter(t, w, ada, sub, room)
	want(workroom.PresenceHere)
	v.Leave()
	want(workroom.PresenceOnline)
	sub.Close()
	want(workroom.PresenceAway)
}

// A session that stops taking its events is dropped by the hub after
// live.StuckTimeout: the others in the room see it leave at once, the
// person is away with a last-seen time, and the session says so.
func TestPresence_StuckSessionIsDroppedAndLeaves(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	stuck, watcher := subscribe(t, w, ada), subscribe(t, w, bob)
	enter(t, w, ada, stuck, room)
	enter(t, w, bob, watcher, room)

	fill := func() {
		for range live.QueueSize + 1 {
			w.Hub.Publish(workroom.Event{Kind: workroom.EventRoom, RoomID: room}, []workroom.UserID{ada.User.ID})
		}
	}
	fill()
	w.Advance(live.StuckTimeout)
	fill()
	select {
	case <-stuck.Dropped():
	case <-time.After(5 * time.Second):
		t.Fatal("the stuck session was not dropped")
	}
	for {
		ev := next(t, watcher, workroom.EventPresence)
		if ev.Presence.UserID == ada.User.ID && ev.Presence.State == workroom.PresenceAway {
			break
		}
	}
	p := presence(t, w, workroomtest.As(bob), room)
	if p["Ada"].State != workroom.PresenceAway || !p["Ada"].LastSeen.Equal(w.Now()) {
		t.Fatalf("Ada after the drop: %+v, want away, last seen %v", p["Ada"], w.Now())
	}
}

// An away event says when the person was last seen, so the People pane
// shows it without asking.
func TestPresence_AwayEventCarriesLastSeen(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	watcher := subscribe(t, w, bob)
	enter(t, w, bob, watcher, room)
	sub, err := w.Svc.Subscribe(workroomtest.As(ada))
	if err != nil {
		t.Fatal(err)
	}
	enter(t, w, ada, sub, room)
	w.Advance(time.Minute)
	sub.Close()
	for {
		ev := next(t, watcher, workroom.EventPresence)
		if ev.Presence.UserID != ada.User.ID || ev.Presence.State != workroom.PresenceAway {
			continue
		}
		if !ev.Presence.LastSeen.Equal(w.Now()) {
			t.Fatalf("away event's last seen %v, want %v", ev.Presence.LastSeen, w.Now())
		}
		return
	}
}

// When someone was last seen survives a restart: it is written behind
// and read back by a service with a fresh hub.
func TestPresence_LastSeenSurvivesARestart(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	sub := subscribe(t, w, ada)
	enter(t, w, ada, sub, room)
	left := w.Now()
	sub.Close()
	if err := w.Svc.Close(context.Background()); err != nil { // as serve does on stopping
		t.Fatal(err)
	}

	restarted := workroom.NewService(w.DB, live.New(), workroom.Config{MailDomain: workroomtest.MailDomain, Now: w.Now, Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
	ps, err := restarted.Presence(workroomtest.As(bob), room)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		switch p.Name {
		case "Ada":
			if p.State != workroom.PresenceAway || !p.LastSeen.Equal(left) {
				t.Fatalf("Ada after a restart: %+v, want away, last seen %v", p, left)
			}
		case "Bob":
			if !p.LastSeen.IsZero() {
				t.Fatalf("Bob, never in a live session, last seen %v", p.LastSeen)
			}
		}
	}
}
