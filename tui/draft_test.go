package tui

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// storedDraft is Ada's draft of room as the service keeps it.
func storedDraft(t *testing.T, f *fixture, id *workroom.Identity, room workroom.RoomID) string {
	t.Helper()
	d, err := f.Svc.Draft(workroomtest.As(id), room)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDraft_KeptWhenLeavingMarkedInTheListAndRestored(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("Logo design")
	tm.press(keyEnter)
	tm.waitText("hired")
	tm.press("i")
	tm.waitText("enter send")
	tm.typeText("half a thought")
	tm.waitText("half a thought")
	tm.press(keyEsc) // out of the composer
	tm.waitText("esc back")
	tm.press(keyEsc) // back to the list
	tm.waitText("✎ Logo design")
	if d := storedDraft(t, f, ada, room); d != "half a thought" {
		t.Fatalf("stored draft %q after leaving the room", d)
	}
	tm.press(keyEnter)
	tm.waitText("hired", "│half a thought")
	// Sending drops it.
	tm.press("i")
	tm.press(keyEnter)
	tm.waitText("#2 via terminal")
	workroomtest.WaitUntil(t, "the draft dropped", func() bool { return storedDraft(t, f, ada, room) == "" })
}

func TestDraft_SavedWhenTypingPauses(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired")
	tm.press("i")
	tm.typeText("typed, then a pause")
	workroomtest.WaitUntil(t, "the draft saved after the pause", func() bool {
		return storedDraft(t, f, ada, room) == "typed, then a pause"
	})
}

func TestDraft_KeptWhenQuittingOrWhenTheServerStops(t *testing.T) {
	for _, end := range []struct {
		name string
		do   func(f *fixture, tm *term)
	}{
		{"ctrl+c", func(_ *fixture, tm *term) { tm.press(keyCtrlC) }},
		{"connection dropped", func(_ *fixture, tm *term) { tm.cancel() }},
		{"server stopping", func(f *fixture, _ *term) { f.Svc.Shutdown() }},
	} {
		t.Run(end.name, func(t *testing.T) {
			f := newFixture(t)
			f.app.StoppingNotice = draftIdle / 20 // so no pause saves it first
			ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
			room := f.Room(t, ada, bob, "Logo design").ID
			tm := f.start(t, ada, room, 80, 24)
			tm.waitText("hired")
			tm.press("i")
			tm.typeText("unsent")
			tm.waitText("│unsent")
			end.do(f, tm)
			tm.waitEnded()
			if d := storedDraft(t, f, ada, room); strings.TrimSpace(d) != "unsent" {
				t.Fatalf("stored draft %q after the program ended", d)
			}
		})
	}
}
