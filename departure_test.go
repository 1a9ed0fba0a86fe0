package workroom_test

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// People whose front end died (their sessions there ended without a
// word) leave the rooms they were looking at: the sessions there see
// them away, with the last time their front end was known alive, and the
// People pane says the same.
func TestDeparted_SessionsInTheRoomSeeThemAway(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	watcher := subscribe(t, w, bob)
	enter(t, w, bob, watcher, room)
	next(t, watcher, workroom.EventPresence) // Bob's own entering

	alive := w.Now().Add(-10 * time.Second)
	w.Svc.Departed([]workroom.Departure{{UserID: ada.User.ID, Rooms: []workroom.RoomID{room}, LastSeen: alive}})
	ev := next(t, watcher, workroom.EventPresence)
	if ev.RoomID != room || ev.Presence.UserID != ada.User.ID || ev.Presence.State != workroom.PresenceAway || !ev.Presence.LastSeen.Equal(alive) {
		t.Fatalf("got %+v %+v, want Ada away in room %d, last seen %v", ev, ev.Presence, room, alive)
	}
	quiet(t, watcher, workroom.EventPresence) // told once
	if p := presence(t, w, workroomtest.As(bob), room); p["Ada"].State != workroom.PresenceAway || !p["Ada"].LastSeen.Equal(alive) {
		t.Fatalf("Ada in the People pane: %+v, want away since %v", p["Ada"], alive)
	}
}

// One who still has a session elsewhere is online, not away.
func TestDeparted_StillConnectedElsewhereIsOnline(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	watcher := subscribe(t, w, bob)
	enter(t, w, bob, watcher, room)
	subscribe(t, w, ada) // her session here lives on
	next(t, watcher, workroom.EventPresence)
	next(t, watcher, workroom.EventPresence) // Ada online

	w.Svc.Departed([]workroom.Departure{{UserID: ada.User.ID, Rooms: []workroom.RoomID{room}, LastSeen: w.Now()}})
	ev := next(t, watcher, workroom.EventPresence)
	if ev.Presence.UserID != ada.User.ID || ev.Presence.State != workroom.PresenceOnline {
		t.Fatalf("got %+v, want Ada online", ev.Presence)
	}
	quiet(t, watcher, workroom.EventPresence)
}
