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

// A proposal is an event for the client's sessions carrying the job as it
// is now, so a jobs screen shows the new count without reading; the
// freelancer who proposed gets none.
func TestPropose_TellsTheClientsSessionsTheNewCount(t *testing.T) {
	w := newWorld(t)
	ada, bob, cy := w.SignUp(t, "Ada"), w.SignUp(t, "Bob"), w.SignUp(t, "Cy")
	j, err := w.Svc.PostJob(workroomtest.As(ada), "Logo", "")
	if err != nil {
		t.Fatal(err)
	}
	adaSub, bobSub := subscribe(t, w, ada), subscribe(t, w, bob)
	for i, id := range []*workroom.Identity{bob, cy} {
		if _, err := w.Svc.Propose(workroomtest.As(id), j.ID, "I can do it"); err != nil {
			t.Fatal(err)
		}
		ev := next(t, adaSub, workroom.EventJob)
		if ev.Job == nil || ev.Job.ID != j.ID || ev.Job.Proposals != i+1 {
			t.Fatalf("event %+v, want job %d with %d proposals", ev, j.ID, i+1)
		}
	}
	quiet(t, bobSub, workroom.EventJob)
}

// The award's room event carries the hired notice, so the freelancer's
// screen can say who hired them, and counts it as unread for them.
func TestAward_RoomEventCarriesTheHiredNotice(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	bobSub := subscribe(t, w, bob)
	room := w.Room(t, ada, bob, "Logo").ID
	ev := next(t, bobSub, workroom.EventRoom)
	if ev.Row == nil || ev.Row.ID != room || ev.Row.Unread != 1 || ev.Message == nil || ev.Message.Source != workroom.SourceSystem || ev.Message.AuthorName != "Ada" {
		t.Fatalf("event %+v, want room %d with 1 unread and the hired notice by Ada", ev, room)
	}
}

// A new version, from any way in, reaches the sessions looking at the
// room at once; a session elsewhere, and an upload that added nothing (the
// same bytes again), send nothing.
func TestUpload_FileEventReachesSessionsInTheRoom(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	inRoom, elsewhere := subscribe(t, w, ada), subscribe(t, w, bob)
	enter(t, w, ada, inRoom, room)

	w.Upload(t, bob, room, "logo.png", []byte("first"))
	ev := next(t, inRoom, workroom.EventFile)
	if ev.RoomID != room || ev.File == nil || ev.File.Path != "logo.png" || len(ev.File.Versions) != 1 {
		t.Fatalf("file event %+v (file %+v), want logo.png v1 in room %d", ev, ev.File, room)
	}
	quiet(t, elsewhere, workroom.EventFile)

	w.Upload(t, bob, room, "logo.png", []byte("first")) // the same bytes: no version added
	quiet(t, inRoom, workroom.EventFile)
	w.Upload(t, bob, room, "logo.png", []byte("second"))
	if ev := next(t, inRoom, workroom.EventFile); len(ev.File.Versions) != 2 {
		t.Fatalf("second version's event carries %d versions", len(ev.File.Versions))
	}
	if _, err := w.Svc.RenameFile(workroomtest.As(bob), room, "logo.png", "final.png"); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, inRoom, workroom.EventFile); ev.File.Path != "final.png" {
		t.Fatalf("rename's event carries %q", ev.File.Path)
	}
}
