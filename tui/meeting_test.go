package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// twoInRoom has Ada and Bob each open their room in a terminal of their
// own, and waits until each sees the other present.
func twoInRoom(t *testing.T) (f *fixture, room workroom.RoomID, ada, bob *term) {
	t.Helper()
	f = newFixture(t)
	a, b := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	f.ada = a
	room = f.Room(t, a, b, "Logo design").ID
	ada, bob = f.start(t, a, room, 100, 30), f.start(t, b, room, 100, 30)
	ada.waitText("hired")
	bob.waitText("hired")
	workroomtest.WaitUntil(t, "both in the room", func() bool { return len(f.Hub.Present(room)) == 2 })
	return f, room, ada, bob
}

func TestMeeting_AskAcceptAndLinesCrossBothWays(t *testing.T) {
	f, room, ada, bob := twoInRoom(t)
	ada.press("m")
	ada.waitText("waiting for an answer")
	bob.waitText("Ada asks for a meeting", "a accept", "d decline")
	bob.press("a")
	ada.waitText("Meeting since", "esc leave the meeting")
	bob.waitText("Meeting since", "Ada, Bob")

	ada.typeText("hello Bob")
	bob.waitText("Ada is typing…")
	ada.press(keyEnter)
	bob.waitFor("the line, and Ada no longer typing", func(s string) bool {
		return strings.Contains(s, "hello Bob") && !strings.Contains(s, "is typing")
	})
	bob.typeText("hi Ada")
	bob.press(keyEnter)
	ada.waitText("hi Ada")

	bob.press(keyEsc)
	bob.waitText("You left the meeting.")
	ada.waitText("The meeting ended: Bob left.")
	// Back in the workroom: the meeting is one block in the history.
	block := "▸ Meeting "
	for _, tm := range []*term{ada, bob} {
		s := tm.waitText(block, "Ada, Bob · 2 lines (x opens)")
		if strings.Contains(s, "hello Bob") {
			t.Fatalf("a closed block shows its lines:\n%s", s)
		}
	}
	ada.press("x")
	ada.waitText("▾ Meeting ", "hello Bob", "hi Ada", "via meeting")
	ada.press("x")
	ada.waitFor("the block closed again", func(s string) bool { return strings.Contains(s, block) && !strings.Contains(s, "hi Ada") })

	ada.press("?")
	ada.waitText("x open/close meeting")

	page, err := f.Svc.Messages(workroomtest.As(f.ada), room, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if m := page.Messages[0]; m.Source != workroom.SourceMeeting || m.Body != "hi Ada" {
		t.Fatalf("newest message %+v", m)
	}
}

func TestMeeting_DeclineTellsTheAsker(t *testing.T) {
	_, _, ada, bob := twoInRoom(t)
	ada.press("m")
	bob.waitText("Ada asks for a meeting")
	bob.press("d")
	bob.waitText("You declined the meeting.")
	ada.waitText("Bob declined the meeting.")
	if s := bob.screen(); strings.Contains(s, "a accept") {
		t.Fatalf("the answer keys stay after answering:\n%s", s)
	}
}

func TestMeeting_AskingAloneIsRefusedOnScreen(t *testing.T) {
	f := newFixture(t)
	a, b := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, a, b, "Logo design").ID
	ada := f.start(t, a, room, 100, 30)
	ada.waitText("hired")
	ada.press("m")
	ada.waitText("nobody else is in workroom #1 now")
}

func TestMeeting_KeysAreInTheHelp(t *testing.T) {
	_, _, ada, bob := twoInRoom(t)
	ada.press("?")
	ada.waitText("m ask for a meeting") // x shows once a meeting block is loaded
	ada.press("?")
	ada.press("m")
	bob.waitText("Ada asks for a meeting")
	bob.press("?")
	bob.waitText("a accept meeting", "d decline meeting")
}

// A meeting of many lines takes one line of history while closed: what
// was said before it shows right below, and opening it shows its lines.
func TestHistory_MeetingIsOneBlockThatOpens(t *testing.T) {
	f := newFixture(t)
	a, b := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, a, b, "Logo design").ID
	f.Post(t, b, room, "before the meeting")
	asA, asB := workroomtest.As(a), workroomtest.As(b)
	enterAs := func(id *workroom.Identity) *workroom.Visit {
		sub, err := f.Svc.Subscribe(workroomtest.As(id))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sub.Close)
		v, err := f.Svc.Enter(workroomtest.As(id), sub, room)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	va, vb := enterAs(a), enterAs(b)
	req, err := f.Svc.RequestMeeting(asA, va)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.AnswerMeeting(asB, vb, req.ID, true); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if _, err := f.Svc.MeetingLine(asA, va, fmt.Sprintf("meeting line %d", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	vb.Leave()
	f.Post(t, b, room, "after the meeting")

	tm := f.start(t, a, room, 100, 30)
	s := tm.waitText("after the meeting", "Ada, Bob · 30 lines (x opens)", "before the meeting")
	if strings.Contains(s, "meeting line") {
		t.Fatalf("the closed block shows lines:\n%s", s)
	}
	tm.press("x")
	s = tm.waitText("▾ Meeting", "meeting line 30", "meeting line 29")
	if strings.Contains(s, "before the meeting") {
		t.Fatalf("30 open lines do not fit one screen, yet the message before shows:\n%s", s)
	}
	tm.press("x")
	tm.waitText("▸ Meeting", "before the meeting")
}

// Others present see who composes: it shows while Ada types, goes when
// she empties the composer, expires when she pauses with text in it, and
// goes when she sends — the message arriving says she stopped, no
// "stopped" is sent — to show again as she types the next one.
func TestTyping_ShowsWhileComposingAndClears(t *testing.T) {
	_, _, ada, bob := twoInRoom(t)
	ada.press("i")
	ada.waitText("enter send")
	ada.typeText("ab")
	bob.waitText("Ada is typing…")
	ada.press(keyBackspace)
	ada.press(keyBackspace)
	bob.waitFor("the indicator to clear on an empty composer", func(s string) bool { return !strings.Contains(s, "is typing") })

	ada.typeText("c")
	bob.waitText("Ada is typing…")
	bob.waitFor("the indicator to expire", func(s string) bool { return !strings.Contains(s, "is typing") })
	if !strings.Contains(ada.screen(), "c") {
		t.Fatal("Ada's composer lost its text")
	}

	ada.typeText(" first line")
	bob.waitText("Ada is typing…")
	ada.press(keyEnter)
	bob.waitFor("the line, and nobody typing", func(s string) bool {
		return strings.Contains(s, "c first line") && !strings.Contains(s, "is typing")
	})
	ada.typeText("second")
	bob.waitText("Ada is typing…")
}

// Keys that arrive in one read are handled before anything is said about
// typing: a line pasted or typed faster than the connection carries it,
// enter and all, reaches the others as the line alone — their screens
// never show "typing" for it — while keys read one by one still do.
func TestTyping_ALineReadWholeSaysNothing(t *testing.T) {
	_, _, ada, bob := twoInRoom(t)
	ada.press("i")
	ada.waitText("enter send")
	ada.typeText("all at once" + keyEnter)
	bob.waitText("all at once")
	if bytes.Contains(bob.output(), []byte("is typing")) {
		t.Fatal("a line read whole showed its author typing")
	}
	ada.typeText("n")
	bob.waitText("Ada is typing…")
}
