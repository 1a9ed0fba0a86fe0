package pglive_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
)

// An event published on one front end reaches the user's session on
// another, and the publisher's own session gets it once: a front end
// skips what it sent itself.
func TestPublish_ReachesSessionsOnEveryFrontEndOnce(t *testing.T) {
	a, b, _ := frontEnds(t)
	onA, onB := subscribe(t, a, 1, 0), subscribe(t, b, 1, 0)
	other := subscribe(t, b, 2, 0)

	a.Publish(marked(1), []workroom.UserID{1})
	if ev := receive(t, onB); ev.Message.ID != 1 {
		t.Fatalf("B's session got %+v, want event 1", ev.Message)
	}
	// A fence from B: notifications reach a listener in commit order, so
	// once A has it, A has also seen (and skipped) its own event 1.
	b.Publish(marked(2), []workroom.UserID{1})
	for _, want := range []uint64{1, 2} {
		if ev := receive(t, onA); ev.Message.ID != want {
			t.Fatalf("A's session got event %d, want %d (each once, in order)", ev.Message.ID, want)
		}
	}
	receive(t, onB) // B's own event 2, delivered at once
	none(t, onA)
	none(t, onB)
	none(t, other)
}

// PublishRoom reaches the sessions looking at the room on the other
// front end, and only them.
func TestPublishRoom_ReachesSessionsInTheRoomOnAnotherFrontEnd(t *testing.T) {
	a, b, _ := frontEnds(t)
	in, elsewhere := subscribe(t, b, 1, 7), subscribe(t, b, 1, 8)
	fence := subscribe(t, b, 2, 8)
	waitFor(t, 5*time.Second, "A to see B's sessions", func() bool { return sessions(a, 7, 1) == 1 })
	a.PublishRoom(marked(1), 7)
	a.PublishRoom(marked(2), 8)
	if ev := receive(t, in); ev.Message.ID != 1 {
		t.Fatalf("the session in room 7 got %+v", ev.Message)
	}
	receive(t, fence) // room 8's event has arrived: room 7's came before it
	if ev := receive(t, elsewhere); ev.Message.ID != 2 {
		t.Fatalf("the session in room 8 got event %d first, want only room 8's", ev.Message.ID)
	}
}

// A message is up to 20,000 characters; NOTIFY carries at most 8000
// bytes. The event crosses whole, every field as it was sent.
func TestPublish_EventLargerThanANotifyPayloadCrosses(t *testing.T) {
	a, b, _ := frontEnds(t)
	sub := subscribe(t, b, 1, 0)
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	body := strings.Repeat("é", workroom.MaxBodyLength) // 40,000 bytes
	ev := workroom.Event{Kind: workroom.EventMessage, RoomID: 7,
		Message: &workroom.Message{RoomID: 7, ID: 42, AuthorID: 2, AuthorName: "Ada", Body: body, Source: workroom.SourceTerminal, Created: at,
			Attachments: []workroom.Attachment{{Path: "logo.png", Version: workroom.Version{N: 2, Size: 10, SHA256: "ab", Uploaded: at}}}},
		Row: &workroom.Membership{Room: workroom.Room{ID: 7, Title: "Logo design", Created: at}, Role: workroom.RoleClient, Unread: 3, Notify: true}}
	a.Publish(ev, []workroom.UserID{1})
	got := receive(t, sub)
	if !reflect.DeepEqual(got, ev) {
		t.Fatalf("the event changed on the way:\n got %+v %+v\nwant %+v %+v", got.Message, got.Row, ev.Message, ev.Row)
	}
}

// A session on B that never reads holds up nobody: another session on B
// gets every event from A, in order, at once, and the stuck one is only
// marked stale.
func TestPublish_StuckSessionOnAnotherFrontEndDelaysNobody(t *testing.T) {
	a, b, _ := frontEnds(t)
	stuck, reader := subscribe(t, b, 1, 7), subscribe(t, b, 2, 7)
	waitFor(t, 5*time.Second, "A to see B's sessions", func() bool { return len(a.Present(7)) == 2 })
	const events = 10 * live.QueueSize
	for i := range events {
		id := uint64(i + 1)
		if i%2 == 0 {
			a.Publish(marked(id), []workroom.UserID{1, 2})
		} else {
			a.PublishRoom(marked(id), 7)
		}
		select {
		case ev := <-reader.Events():
			if ev.Message.ID != id {
				t.Fatalf("the reader got event %d, want %d (in order, none dropped)", ev.Message.ID, id)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("event %d took over 2 s to reach the reader", id)
		}
	}
	select {
	case <-stuck.Stale():
	default:
		t.Fatal("the stuck session was not marked stale")
	}
	select {
	case <-reader.Stale():
		t.Fatal("the reader that kept up was marked stale")
	default:
	}
}

// PublishAll is the front end's own: a front end stopping tells its
// sessions, the others go on.
func TestPublishAll_StaysOnItsFrontEnd(t *testing.T) {
	a, b, _ := frontEnds(t)
	onA, onB := subscribe(t, a, 1, 0), subscribe(t, b, 1, 0)
	a.PublishAll(workroom.Event{Kind: workroom.EventShutdown})
	if ev := receive(t, onA); ev.Kind != workroom.EventShutdown {
		t.Fatalf("A's session got %s", ev.Kind)
	}
	a.Publish(marked(1), []workroom.UserID{1}) // a fence: it follows the shutdown, were that sent
	if ev := receive(t, onB); ev.Kind != workroom.EventMessage {
		t.Fatalf("B's session got %s, want only the message after A's shutdown", ev.Kind)
	}
}

// When the connection the events come by is cut, the front end
// reconnects, its sessions reload (they missed what was sent meanwhile),
// and events flow again.
func TestListen_ReconnectsAndSessionsReload(t *testing.T) {
	a, b, url := frontEnds(t)
	sub := subscribe(t, b, 1, 0)
	terminate(t, url, b.ListenerPID())
	select {
	case <-sub.Stale():
	case <-time.After(10 * time.Second):
		t.Fatal("the session was not told to reload after the reconnect")
	}
	for i := uint64(1); ; i++ { // published before the reconnect, an event is lost
		a.Publish(marked(i), []workroom.UserID{1})
		select {
		case <-sub.Events():
			return
		case <-time.After(200 * time.Millisecond):
		}
		if i == 50 {
			t.Fatal("no event reached the session after the reconnect")
		}
	}
}

// A closed session gets nothing more, from here or elsewhere, and its
// events end.
func TestClose_StopsDeliveryAndClosesEvents(t *testing.T) {
	a, b, _ := frontEnds(t)
	s := b.Subscribe(1)
	s.Close()
	s.Close() // twice is harmless
	a.Publish(marked(1), []workroom.UserID{1})
	b.Publish(marked(2), []workroom.UserID{1})
	if _, ok := <-s.Events(); ok {
		t.Fatal("a closed session got an event")
	}
	if n, _ := b.Online(1); n != 0 {
		t.Fatalf("user online in %d sessions after their only one closed", n)
	}
}

// A listening connection with nothing to hear is checked, not dropped:
// sessions do not reload for quiet.
func TestListen_QuietConnectionIsKept(t *testing.T) {
	_, b, _ := frontEnds(t)
	sub := subscribe(t, b, 1, 0)
	pid := b.ListenerPID()
	waitFor(t, 10*time.Second, "the quiet connection to be checked twice", func() bool { return b.Pings() >= 2 })
	if b.ListenerPID() != pid {
		t.Fatal("the quiet listening connection was replaced")
	}
	select {
	case <-sub.Stale():
		t.Fatal("a session reloaded although nothing was lost")
	default:
	}
}
