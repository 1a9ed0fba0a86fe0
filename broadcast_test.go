package workroom_test

import (
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// Ada broadcasts into her two rooms and one of Bob and Cy's, which she is
// not in: her two get the message as their own posts (source broadcast,
// unread, a notification, a live event), the third gives the same answer
// as a room that does not exist, and nothing lands there.
func TestBroadcast_PostsWhereAllowedAndAnswersOutsiderRoomAsMissing(t *testing.T) {
	w := newWorld(t)
	ada, bob, cy := verified(t, w, "Ada"), verified(t, w, "Bob"), verified(t, w, "Cy")
	r1 := w.Room(t, ada, bob, "Logo").ID
	r2 := w.Room(t, ada, cy, "Site").ID
	theirs := w.Room(t, bob, cy, "Private").ID
	bobSub := subscribe(t, w, bob)
	mailsBefore := len(notificationsTo(t, w, workroomtest.Email("Bob")))

	got, err := w.Svc.Broadcast(workroomtest.As(ada), []workroom.RoomID{r1, theirs, r2, 999, r1}, "Away next week")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || workroom.Posted(got) != 2 {
		t.Fatalf("results %+v; want four rooms (r1 once), two posted", got)
	}
	for _, i := range []int{0, 2} {
		m := got[i].Message
		if got[i].Err != nil || m == nil || m.Source != workroom.SourceBroadcast || m.Body != "Away next week" || m.RoomID != got[i].RoomID {
			t.Fatalf("room %d: %+v, want the message posted with source broadcast", got[i].RoomID, got[i])
		}
	}
	for _, i := range []int{1, 3} {
		wantCode(t, got[i].Err, workroom.ENOTFOUND)
		if want := "no such workroom: " + itoa(got[i].RoomID); got[i].Err.Error() != want {
			t.Fatalf("room %d refused with %q, want %q (the outsider answer)", got[i].RoomID, got[i].Err, want)
		}
	}
	if page, _ := w.Svc.Messages(workroomtest.As(bob), theirs, 0, 10); strings.Contains(page.Messages[0].Body, "Away") {
		t.Fatal("the broadcast landed in a room its sender is not in")
	}
	if ev := next(t, bobSub, workroom.EventMessage); ev.Message.Source != workroom.SourceBroadcast || ev.Row.Unread == 0 {
		t.Fatalf("Bob's live event %+v, want the broadcast, unread", ev)
	}
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != mailsBefore+1 {
		t.Fatalf("Bob has %d notifications, want %d: a broadcast notifies as a post does", n, mailsBefore+1)
	}
}

func TestBroadcast_RefusesWholeWhenNothingCouldGo(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	r := w.Room(t, ada, bob, "Logo").ID
	many := make([]workroom.RoomID, workroom.MaxBroadcastRooms+1)
	for i := range many {
		many[i] = workroom.RoomID(i + 1)
	}
	for _, tc := range []struct {
		name  string
		rooms []workroom.RoomID
		text  string
		code  string
	}{
		{"no rooms", nil, "hi", workroom.EINVALID},
		{"too many rooms", many, "hi", workroom.ELIMIT},
		{"empty text", []workroom.RoomID{r}, "  ", workroom.EINVALID},
		{"overlong text", []workroom.RoomID{r}, strings.Repeat("a", workroom.MaxBodyLength+1), workroom.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.Svc.Broadcast(workroomtest.As(ada), tc.rooms, tc.text)
			wantCode(t, err, tc.code)
			if got != nil {
				t.Fatalf("results %+v with a refusal", got)
			}
		})
	}
	if page, _ := w.Svc.Messages(workroomtest.As(ada), r, 0, 10); len(page.Messages) != 1 {
		t.Fatalf("%d messages in the room, want only the hired notice", len(page.Messages))
	}
}

// Each room posted counts one message against the rate: once it is used
// up, the rest of the broadcast is refused room by room with ELIMIT.
func TestBroadcast_CountsOneMessagePerRoom(t *testing.T) {
	w := workroomtest.New(t, workroomtest.WithLimits(workroom.Limits{Messages: workroom.Rate{N: 2, Per: time.Hour}}))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	rooms := []workroom.RoomID{w.Room(t, ada, bob, "A").ID, w.Room(t, ada, bob, "B").ID, w.Room(t, ada, bob, "C").ID}
	got, err := w.Svc.Broadcast(workroomtest.As(ada), rooms, "hello")
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Err != nil || got[1].Err != nil {
		t.Fatalf("first two rooms refused: %v, %v", got[0].Err, got[1].Err)
	}
	wantCode(t, got[2].Err, workroom.ELIMIT)
}
