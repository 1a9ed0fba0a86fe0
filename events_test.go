package workroom_test

import (
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// A posted message is one event per session, carrying the message and
// the room's row as that member sees it: nothing to read back.
func TestPost_OneEventPerSessionWithTheRecipientsRow(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	adaSub, bobSub := subscribe(t, w, ada), subscribe(t, w, bob)
	m := w.Post(t, ada, room, "hello")
	for _, c := range []struct {
		sub    *workroom.Session
		role   workroom.Role
		unread int
	}{{adaSub, workroom.RoleClient, 0}, {bobSub, workroom.RoleFreelancer, 2}} { // the hired notice and hello
		ev := next(t, c.sub, workroom.EventMessage)
		if ev.Message == nil || ev.Message.ID != m.ID || ev.Row == nil {
			t.Fatalf("event %+v, want the message and a row", ev)
		}
		if ev.Row.ID != room || ev.Row.Role != c.role || ev.Row.Unread != c.unread || ev.Row.LastSeq != m.ID || ev.Row.Email == "" {
			t.Fatalf("row %+v, want room %d as a %s with %d unread", ev.Row, room, c.role, c.unread)
		}
		select {
		case ev := <-c.sub.Events():
			t.Fatalf("a second event for one message: %+v", ev)
		default:
		}
	}
	if rooms := roomsOf(t, w, workroomtest.As(bob)); rooms[0].Unread != 2 {
		t.Fatalf("Bob's list says %d unread, the event said 2", rooms[0].Unread)
	}
}
