package workroom_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestComplete_ClientMarksCompleteWithSystemMessage(t *testing.T) {
	s := newFileScene(t)
	r, err := s.w.Svc.Complete(workroomtest.As(s.client), s.room)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Completed.Equal(s.w.Now()) {
		t.Fatalf("completed at %v, want the clock's %v", r.Completed, s.w.Now())
	}
	page, err := s.w.Svc.Messages(workroomtest.As(s.free), s.room, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := page.Messages[0]
	if m.Source != workroom.SourceSystem || !strings.Contains(m.Body, "Carol marked the job complete") {
		t.Fatalf("newest message = %+v, want the completion notice", m)
	}
	rooms, err := s.w.Svc.Rooms(workroomtest.As(s.free), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if rooms.Rooms[0].Completed.IsZero() {
		t.Fatal("the room list does not show the room completed")
	}
}

func TestComplete_OnlyTheClient(t *testing.T) {
	s := newFileScene(t)
	_, err := s.w.Svc.Complete(workroomtest.As(s.free), s.room)
	wantCode(t, err, workroom.EFORBIDDEN)
	if err.Error() != "a freelancer of this workroom cannot mark the job complete" {
		t.Fatalf("refusal = %q", err)
	}
	stranger := s.w.SignUp(t, "Sam")
	_, err = s.w.Svc.Complete(workroomtest.As(stranger), s.room)
	wantCode(t, err, workroom.ENOTFOUND)
	if want := fmt.Sprintf("no such workroom: %d", s.room); err.Error() != want {
		t.Fatalf("outsider told %q, want the answer for a room that does not exist, %q", err, want)
	}
	r, err := s.w.Svc.Room(workroomtest.As(s.client), s.room)
	if err != nil || !r.Completed.IsZero() {
		t.Fatalf("room completed by a refused request: %+v, %v", r, err)
	}
}

func TestComplete_SecondTimeRefusedSayingWhen(t *testing.T) {
	s := newFileScene(t)
	if _, err := s.w.Svc.Complete(workroomtest.As(s.client), s.room); err != nil {
		t.Fatal(err)
	}
	_, err := s.w.Svc.Complete(workroomtest.As(s.client), s.room)
	wantCode(t, err, workroom.ECONFLICT)
	if workroom.ErrorRule(err) != workroom.RuleCompleted || !strings.Contains(err.Error(), s.w.Now().Format("2006-01-02")) {
		t.Fatalf("refusal = %q (%s)", err, workroom.ErrorRule(err))
	}
}

// A completed workroom stays usable: members still post and upload.
func TestComplete_RoomStaysUsable(t *testing.T) {
	s := newFileScene(t)
	if _, err := s.w.Svc.Complete(workroomtest.As(s.client), s.room); err != nil {
		t.Fatal(err)
	}
	s.w.Post(t, s.free, s.room, "the final invoice follows")
	s.w.Upload(t, s.free, s.room, "invoice.pdf", []byte("%PDF"))
	if got := read(t, s, "invoice.pdf", 0); string(got) != "%PDF" {
		t.Fatalf("read back %q", got)
	}
}
