package tui

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// roomNotify is whether id gets mail for the room, as the service says.
func roomNotify(t *testing.T, f *fixture, id *workroom.Identity, room workroom.RoomID) bool {
	t.Helper()
	info, err := f.Svc.Room(workroomtest.As(id), room)
	if err != nil {
		t.Fatal(err)
	}
	return info.Notify
}

// TestRoom_NKeyTurnsTheRoomsMailOffAndOn: the help bar offers the key with
// what it will do, pressing it turns this room's notifications off (the
// title and a notice say so), and pressing it again turns them back on.
func TestRoom_NKeyTurnsTheRoomsMailOffAndOn(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	other := f.Room(t, ada, f.SignUp(t, "Cy"), "Other job").ID

	tm := f.start(t, ada, room, 200, 24)
	tm.waitText("n mail off")
	tm.press("n")
	s := tm.waitText("Mail notifications for this workroom are off", "n mail on", "· mail off")
	if roomNotify(t, f, ada, room) {
		t.Fatalf("the service still mails Ada for the room:\n%s", s)
	}
	if !roomNotify(t, f, ada, other) {
		t.Fatal("turning one room off turned another off too")
	}
	if !roomNotify(t, f, bob, room) {
		t.Fatal("Ada's key turned Bob's notifications off")
	}

	tm.press("n")
	s = tm.waitText("Mail notifications for this workroom are on: ada@example.com", "n mail off")
	if strings.Contains(s, "· mail off") {
		t.Fatalf("the title still says mail off:\n%s", s)
	}
	if !roomNotify(t, f, ada, room) {
		t.Fatal("the service does not mail Ada for the room after turning it back on")
	}
}

// TestRoom_NKeyIsTextWhileWriting: an n typed in the composer is a letter,
// not the toggle.
func TestRoom_NKeyIsTextWhileWriting(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID

	tm := f.start(t, ada, room, 200, 24)
	tm.waitText("n mail off")
	tm.press("i")
	tm.typeText("nnn")
	tm.waitText("nnn")
	if !roomNotify(t, f, ada, room) {
		t.Fatal("typing n in the composer turned the room's mail off")
	}
}
