package tui

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// openPeopleOf starts the TUI in room and opens its People pane.
func (f *fixture) openPeopleOf(t *testing.T, id *workroom.Identity, room workroom.RoomID, w, h int) *term {
	t.Helper()
	tm := f.start(t, id, room, w, h)
	tm.waitText("p people")
	tm.press("p")
	tm.waitText("NAME", "ROLE", "STATE")
	return tm
}

// The People pane follows another member live, with no key pressed: in
// the room ("here"), elsewhere ("online"), gone ("away", last seen).
func TestPeople_ShowsPresenceLive(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.openPeopleOf(t, ada, room, 100, 24)
	row := func(pattern string) {
		t.Helper()
		re := regexp.MustCompile(pattern)
		tm.waitFor(pattern, re.MatchString)
	}
	row(`Ada \(you\) +client +here`)
	row(`Bob +freelancer +away +not seen yet`)

	sub, err := f.Svc.Subscribe(workroomtest.As(bob))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	row(`Bob +freelancer +online`)
	v, err := f.Svc.Enter(workroomtest.As(bob), sub, room)
	if err != nil {
		t.Fatal(err)
	}
	row(`Bob +freelancer +here`)
	v.Leave()
	row(`Bob +freelancer +online`)
	sub.Close()
	row(`Bob +freelancer +away +last seen just now`)

	tm.press("p") // back to the messages
	tm.waitText("f files")
}

// Another member's terminal leaving the room (back to the list) and
// quitting show in the People pane at once.
func TestPeople_LeavingAndQuittingShowAtOnce(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	watch := f.openPeopleOf(t, ada, room, 100, 24)
	row := func(pattern string) {
		t.Helper()
		re := regexp.MustCompile(pattern)
		watch.waitFor(pattern, re.MatchString)
	}
	visitor := f.start(t, bob, room, 80, 24)
	row(`Bob +freelancer +here`)
	visitor.waitText("esc back")
	visitor.press(keyEsc)
	row(`Bob +freelancer +online`)
	visitor.press("q")
	row(`Bob +freelancer +away +last seen just now`)
	visitor.waitEnded()
}

// TestPeople_ShowsTheRoomsMailAddress: the workroom's address, which
// posts into it by mail, is in the People pane.
func TestPeople_ShowsTheRoomsMailAddress(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.openPeopleOf(t, ada, room, 100, 24)
	tm.waitText("Post here by mail, from your verified address: room-" + strconv.FormatUint(uint64(room), 10) + "@" + workroomtest.MailDomain)
}
