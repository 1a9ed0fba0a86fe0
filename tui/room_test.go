package tui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestRoom_ShowsMessagesNewestFirstWithAuthorTimeAndSource(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Post(t, bob, room, "first: here is the brief")
	f.Post(t, ada, room, "second: thanks, reading")
	f.Post(t, bob, room, "third: any questions?")

	tm := f.start(t, ada, room, 80, 24)
	s := tm.waitText("first: here", "second: thanks", "third: any")
	third, second, first := strings.Index(s, "third: any"), strings.Index(s, "second: thanks"), strings.Index(s, "first: here")
	if !(third < second && second < first) {
		t.Fatalf("messages are not newest first:\n%s", s)
	}
	if !regexp.MustCompile(`Bob · just now · #4 via command`).MatchString(s) {
		t.Fatalf("author line lacks author, time or source:\n%s", s)
	}
}

func TestRoom_ScrollingBackLoadsOlderPagesToTheFirstMessage(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Long history").ID
	const n = 300
	for i := 1; i <= n; i++ {
		f.Post(t, bob, room, fmt.Sprintf("message %03d", i))
	}

	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("message 300", fmt.Sprintf("#%d of %d", n+1, n+1)) // +1: the hired notice
	for i := 0; !strings.Contains(tm.screen(), "message 001"); i++ {
		if i > 2*n {
			t.Fatalf("never reached the first message; screen:\n%s", tm.screen())
		}
		before := tm.screen()
		tm.press(keyPgDown)
		tm.waitFor("the page to move", func(s string) bool { return s != before })
	}
	// The oldest message is at the bottom of the history and nothing
	// older is promised.
	if s := tm.screen(); strings.Contains(s, "loading older") {
		t.Fatalf("still loading after the first message:\n%s", s)
	}
}

func TestRoom_OpensWithOnePageOnly(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Long history").ID
	for i := 1; i <= 3*pageSize; i++ {
		f.Post(t, bob, room, fmt.Sprintf("message %03d", i))
	}
	m := f.app.newModel(context.Background(), ada, room)
	defer m.env.sub.Close()
	r := m.top().(*roomPane)
	msg := r.load()()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(msg)
	if got := len(r.msgs.msgs); got != pageSize {
		t.Fatalf("opening the room loaded %d messages, want one page of %d", got, pageSize)
	}
	if r.msgs.before == 0 {
		t.Fatal("the first page does not point to older messages")
	}
}

func TestComposer_TypedShortcutsAreTextAndEnterPosts(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired") // the hired notice opens every room

	tm.press("i")
	tm.waitText("enter send")
	tm.typeText("q? jk J esc-free text")
	tm.waitText("q? jk J esc-free text")
	if tm.ended() {
		t.Fatal("typing q in the composer quit the program")
	}
	if strings.Contains(tm.screen(), "more keys") {
		t.Fatal("the composer has the focus but list shortcuts are offered")
	}
	tm.press(keyAltEnter)
	tm.typeText("second line")
	tm.press(keyEnter)
	tm.waitText("#2 via terminal")

	p, err := f.Svc.Messages(workroomtest.As(ada), room, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Messages) != 2 || p.Messages[0].Body != "q? jk J esc-free text\nsecond line" || p.Messages[0].Source != workroom.SourceTerminal {
		t.Fatalf("stored messages = %+v, want the typed text from the terminal", p.Messages)
	}
	// The composer is empty again and still has the focus.
	tm.typeText("more")
	tm.waitText("│more")
}

func TestComposer_ShowsServiceRefusals(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired") // the hired notice opens every room
	tm.press(keyTab)
	tm.waitText("enter send")

	tm.typeText("   ")
	tm.press(keyEnter)
	tm.waitText("the message is empty; write some text")

	tm.paste(strings.Repeat("x", workroom.MaxBodyLength+1))
	tm.press(keyEnter)
	tm.waitText(fmt.Sprintf("the message is %d characters long; the limit is %d", workroom.MaxBodyLength+4, workroom.MaxBodyLength))

	if p, err := f.Svc.Messages(workroomtest.As(ada), room, 0, 10); err != nil || len(p.Messages) != 1 { // the hired notice alone
		t.Fatalf("refused messages were stored: %+v, %v", p, err)
	}
}

func TestRoom_MessagePostedElsewhereAppearsAtOnceAndIsRead(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Post(t, bob, room, "hello")
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hello")

	// Another TUI of Bob's on the same room.
	tm2 := f.start(t, bob, room, 80, 24)
	tm2.waitText("hello")

	f.Post(t, bob, room, "posted with the post command")
	s := tm.waitText("posted with the post command")
	if strings.Index(s, "posted with the post command") > strings.Index(s, "hello") {
		t.Fatalf("the new message is not on top:\n%s", s)
	}
	tm2.waitText("posted with the post command")

	workroomtest.WaitUntil(t, "Ada's unread count to return to 0", func() bool {
		rs, err := f.Svc.Rooms(workroomtest.As(ada), 0, 0)
		return err == nil && len(rs.Rooms) == 1 && rs.Rooms[0].Unread == 0
	})
}

func TestRoom_EntersAndLeavesPresence(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("Logo design")
	if rooms, online := f.Hub.Where(ada.User.ID); !online || len(rooms) != 0 {
		t.Fatalf("in the list: Where = %v, %v; want online in no room", rooms, online)
	}
	tm.press(keyEnter)
	tm.waitText("hired") // the hired notice opens every room
	if rooms, _ := f.Hub.Where(ada.User.ID); len(rooms) != 1 || rooms[0] != room {
		t.Fatalf("in the room: Where = %v, want [%d]", rooms, room)
	}
	tm.press(keyEsc)
	tm.waitText("LAST ACTIVITY")
	if rooms, _ := f.Hub.Where(ada.User.ID); len(rooms) != 0 {
		t.Fatalf("back in the list: Where = %v, want none", rooms)
	}
}

func TestRoom_ReaderScrolledBackKeepsPlaceWhenMessageArrives(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	for i := 1; i <= 30; i++ {
		f.Post(t, bob, room, fmt.Sprintf("message %03d", i))
	}
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("message 030")
	tm.press(keyPgDown)
	s := tm.waitFor("the page to move", func(s string) bool { return !strings.Contains(s, "message 030") })
	top := strings.TrimSpace(strings.Split(s, "\n")[2])

	f.Post(t, bob, room, "message 031")
	s = tm.waitText("↑ 1 new above — press g")
	if got := strings.TrimSpace(strings.Split(s, "\n")[2]); got != top || strings.Contains(s, "message 031") {
		t.Fatalf("the view moved when a message arrived: top row %q, was %q\n%s", got, top, s)
	}
	tm.press("g")
	tm.waitText("message 031", "newest first")
}
