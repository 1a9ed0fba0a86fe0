package tui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/workroom/workroom/workroomtest"
)

// Bodies are other people's text: escape sequences in them must reach the
// screen as visible, inert characters, never as control sequences.
func TestRoom_RendersEscapeSequencesInBodiesInert(t *testing.T) {
	f := newFixture(t)
	ada, eve := f.SignUp(t, "Ada"), f.SignUp(t, "Eve")
	room := f.Room(t, ada, eve, "Logo design").ID
	f.Post(t, eve, room, "clip\x1b]52;c;ZXZpbA==\x07board")
	f.Post(t, eve, room, "wipe\x1b[2Jscreen")
	f.Post(t, eve, room, "\x1b]8;;http://evil.example\x1b\\click me\x1b]8;;\x1b\\")
	f.Post(t, eve, room, "abc\u202edcba")

	tm := f.start(t, ada, room, 100, 30)
	s := tm.waitText("clip␛]52;c;ZXZpbA==␇board", "wipe␛[2Jscreen", "␛]8;;http://evil.example␛\\click me", "abc\uFFFDdcba")
	if strings.Contains(s, "\u202e") {
		t.Fatalf("a bidi override reached the screen:\n%s", s)
	}
	out := tm.output()
	for _, raw := range []string{"\x1b]52", "\x1b]8;;http://evil", "\u202e", "\x07board"} {
		if bytes.Contains(out, []byte(raw)) {
			t.Errorf("the program wrote %q from a message body to the terminal", raw)
		}
	}
}

func TestJobs_RenderOtherPeoplesTextInert(t *testing.T) {
	f := newFixture(t)
	ada, eve := f.SignUp(t, "Ada"), f.SignUp(t, "Eve")
	if _, err := f.Svc.PostJob(workroomtest.As(eve), "Poster", "details\x1b]52;c;ZXZpbA==\x07here"); err != nil {
		t.Fatal(err)
	}
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("LAST ACTIVITY")
	tm.press("J")
	tm.waitText("Poster")
	tm.press(keyEnter)
	tm.waitText("details␛]52;c;ZXZpbA==␇here")
	if bytes.Contains(tm.output(), []byte("\x1b]52")) {
		t.Fatal("the program wrote an OSC 52 sequence from a job description")
	}
}
