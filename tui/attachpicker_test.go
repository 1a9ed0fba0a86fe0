package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

const keyCtrlO = "\x0f"

func TestComposer_AttachesChosenFilesToTheMessage(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Upload(t, bob, room, "brief.pdf", []byte("%PDF-1.4"))
	f.Upload(t, bob, room, "designs/logo.png", []byte("not really a png"))
	f.Upload(t, bob, room, "notes.txt", []byte("hello"))

	tm := f.start(t, ada, room, 100, 30)
	tm.waitText("i/tab write")
	tm.press("i")
	tm.waitText("ctrl+o attach files") // the help says how, while composing
	tm.typeText("here are the two I mean")
	tm.press(keyCtrlO)
	tm.waitText("[ ] brief.pdf", "[ ] designs/logo.png")
	tm.press(" ")
	tm.press("j")
	tm.press(" ")
	tm.waitText("[x] brief.pdf", "[x] designs/logo.png", "[ ] notes.txt")
	tm.press(keyEnter)
	tm.waitText("attached (2): brief.pdf, designs/logo.png", "here are the two I mean")
	tm.press(keyEnter)
	s := tm.waitText("↳ brief.pdf · v1 · 8 B", "↳ designs/logo.png · v1 · 16 B")
	if strings.Contains(s, "attached (2)") {
		t.Fatalf("the files stay attached to the composer after sending:\n%s", s)
	}
	page, err := f.Svc.Messages(workroomtest.As(ada), room, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range page.Messages[0].Attachments {
		got = append(got, a.Path)
	}
	if m := page.Messages[0]; m.Body != "here are the two I mean" || !slices.Equal(got, []string{"brief.pdf", "designs/logo.png"}) {
		t.Fatalf("posted %q with %v; want the text with brief.pdf and designs/logo.png", m.Body, got)
	}
}

func TestAttachPicker_ChoosesNoMoreThanAMessageCarries(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	for i := range workroom.MaxAttachments + 1 {
		f.Upload(t, bob, room, fmt.Sprintf("f%02d.txt", i), []byte{byte(i)})
	}

	tm := f.start(t, ada, room, 100, 30)
	tm.waitText("i/tab write")
	tm.press("i")
	tm.waitText("ctrl+o attach files")
	tm.press(keyCtrlO)
	tm.waitText("[ ] f00.txt")
	for range workroom.MaxAttachments + 1 {
		tm.press(" ")
		tm.press("j")
	}
	s := tm.waitText(fmt.Sprintf("at most %d files", workroom.MaxAttachments), "[ ] f10.txt")
	if n := strings.Count(s, "[x]"); n != workroom.MaxAttachments {
		t.Fatalf("%d files chosen, want %d:\n%s", n, workroom.MaxAttachments, s)
	}
}

func TestRoom_ShowsAMessagesAttachmentsUnderItsBody(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Upload(t, bob, room, "brief.pdf", []byte("%PDF-1.4"))
	if _, err := f.Svc.PostAttached(workroomtest.As(bob), room, "the brief, attached", workroom.SourceCommand, []string{"brief.pdf"}); err != nil {
		t.Fatal(err)
	}

	tm := f.start(t, ada, room, 80, 24)
	s := tm.waitText("the brief, attached", "↳ brief.pdf · v1 · 8 B")
	if strings.Index(s, "the brief, attached") > strings.Index(s, "↳ brief.pdf") {
		t.Fatalf("the attachment is not under the body:\n%s", s)
	}
}
