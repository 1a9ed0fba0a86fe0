package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/workroom/workroom"
)

// A session watching a busy room keeps two pages at most; what it
// dropped is read again, in order, when the reader scrolls back to it.
func TestRoom_WatchingKeepsAFewPagesAndReloadsWhatItDropped(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Busy").ID
	f.Post(t, bob, room, "the first")
	m := f.app.newModel(context.Background(), ada, room)
	defer m.env.sub.Close()
	r := m.top().(*roomPane)
	msg := r.load()()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(msg)
	for i := range 3 * pageSize {
		r.arrived(*f.Post(t, bob, room, fmt.Sprintf("live %03d", i)))
		if got := len(r.msgs.msgs); got > keepLoaded {
			t.Fatalf("holding %d messages, want at most %d", got, keepLoaded)
		}
	}
	if r.msgs.before == 0 {
		t.Fatal("after dropping the oldest, nothing points to them")
	}
	for r.msgs.before != 0 {
		oldest := r.msgs.msgs[len(r.msgs.msgs)-1].ID
		r.msgs.loading = true
		m.Update(r.loadOlder()())
		if next := r.msgs.msgs[len(r.msgs.msgs)-1].ID; next >= oldest {
			t.Fatalf("loading older brought nothing older than #%d", oldest)
		}
	}
	for i, msg := range r.msgs.msgs[:len(r.msgs.msgs)-1] {
		if r.msgs.msgs[i+1].ID != msg.ID-1 {
			t.Fatalf("#%d is followed by #%d", msg.ID, r.msgs.msgs[i+1].ID)
		}
	}
}

// The history's drawn lines follow the width: a narrower window wraps
// the message again instead of showing lines drawn for the wider one.
func TestRoom_HistoryDrawnAgainAfterResize(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Wrap").ID
	f.Post(t, bob, room, strings.Repeat("word ", 20)+"END")
	tm := f.start(t, ada, room, 120, 30)
	tm.waitText("END")
	tm.resize(60, 30)
	tm.waitText("Wrap")
	t.Log(tm.screen())
	tm.waitFor("the body wrapped to 60 columns, no word cut", func(s string) bool {
		for _, l := range strings.Split(s, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "word") && !strings.HasSuffix(l, "word") && !strings.HasSuffix(l, "END") {
				return false
			}
		}
		return true
	})
}

func TestPadLines_ExactHeight(t *testing.T) {
	for _, c := range []struct {
		in     string
		height int
		want   string
	}{{"a\nb\nc", 2, "a\nb"}, {"a", 3, "a\n\n"}, {"a\nb", 2, "a\nb"}, {"a", 0, ""}} {
		if got := padLines(c.in, c.height); got != c.want {
			t.Errorf("padLines(%q, %d) = %q, want %q", c.in, c.height, got, c.want)
		}
	}
}

// In an open workroom, live events it does not show (presence, a read
// mark's room-list row) draw nothing; a message in the room draws once.
func TestRoom_OffstageEventsDrawNothing(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Quiet").ID
	m := f.app.newModel(context.Background(), ada, room)
	defer m.env.sub.Close()
	r := m.top().(*roomPane)
	msg := r.load()()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(tea.ColorProfileMsg{Profile: colorprofile.ANSI256})
	m.Update(msg)
	m.Update(frameMsg{}) // a frame put off, if any
	draws := m.draws
	for _, ev := range []workroom.Event{
		{Kind: workroom.EventPresence, RoomID: room, Presence: &workroom.PresenceChange{UserID: bob.User.ID, State: workroom.PresenceHere}},
		{Kind: workroom.EventRoom, RoomID: room, Row: &workroom.Membership{}},
	} {
		if _, cmd := m.Update(eventMsg(ev)); cmd != nil || m.framing {
			t.Fatalf("offstage event %v asks for a frame", ev.Kind)
		}
	}
	if m.draws != draws {
		t.Fatalf("offstage events drew %d frames, want none", m.draws-draws)
	}
	posted := f.Post(t, bob, room, "hello")
	m.lastFrame = time.Time{} // long ago: the frame is drawn at once
	m.Update(eventMsg(workroom.Event{Kind: workroom.EventMessage, RoomID: room, Message: posted}))
	if shown := strings.Join(m.scr.rows, "\n"); m.draws != draws+1 || !strings.Contains(shown, "hello") {
		t.Fatalf("a message in the room drew %d frames, want 1 showing it", m.draws-draws)
	}
}
