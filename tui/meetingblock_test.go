package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// A running meeting's block follows its newest line: the line that
// carried the title before hides once a newer one arrives, and a message
// that came another way stays a message of its own.
func TestBlock_TitleMovesToTheNewestLine(t *testing.T) {
	s := &session{user: &workroom.User{ID: 1, Name: "Ada"}}
	m := newMessages(s)
	m.setSize(80, 20)
	at := time.Date(2026, 11, 26, 14, 2, 0, 0, time.UTC)
	msg := func(id uint64, src workroom.Source) workroom.Message {
		return workroom.Message{RoomID: 1, ID: id, AuthorID: 2, AuthorName: "Bob", Body: "body", Source: src, Created: at}
	}
	m.reset(&workroom.Page{Messages: []workroom.Message{msg(2, workroom.SourceMeeting), msg(1, workroom.SourceSystem)}}, 0)
	m.setMeeting(workroom.Meeting{ID: 9, RoomID: 1, Started: at, From: 2, Attendees: []workroom.Attendee{{UserID: 1, Name: "Ada"}, {UserID: 2, Name: "Bob"}}})
	if got := m.lines(0); len(got) == 0 || !strings.Contains(got[0], "Meeting 14:02–now · Ada, Bob · 1 line (x opens)") {
		t.Fatalf("the only line carries %q", got)
	}
	for _, add := range []workroom.Message{msg(3, workroom.SourceEmail), msg(4, workroom.SourceMeeting)} {
		m.add(add)
		m.lineArrived(add)
	}
	if got := m.lines(0); len(got) == 0 || !strings.Contains(got[0], "· 2 lines (x opens)") {
		t.Fatalf("the newest line carries %q", got)
	}
	if got := m.lines(1); len(got) == 0 || got[0] != authorMark {
		t.Fatalf("the mail during the meeting draws %q, want a message of its own", got)
	}
	if got := m.lines(2); len(got) != 0 {
		t.Fatalf("the older line still draws %q inside a closed block", got)
	}
}
