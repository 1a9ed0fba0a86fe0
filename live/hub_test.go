package live_test

import (
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
)

func TestPublish_ReachesOnlyAddressedUsers(t *testing.T) {
	h := live.New()
	a, b := h.Subscribe(1), h.Subscribe(2)
	defer a.Close()
	defer b.Close()
	h.Publish(workroom.Event{Kind: workroom.EventMessage, RoomID: 7}, []workroom.UserID{1})
	select {
	case ev := <-a.Events():
		if ev.RoomID != 7 {
			t.Fatalf("got room %d, want 7", ev.RoomID)
		}
	default:
		t.Fatal("user 1 got no event")
	}
	select {
	case ev := <-b.Events():
		t.Fatalf("user 2 got %v, want nothing", ev)
	default:
	}
}

func TestPublish_OverflowMarksStaleWithoutBlocking(t *testing.T) {
	h := live.New()
	s := h.Subscribe(1)
	defer s.Close()
	for i := range live.QueueSize + 10 {
		h.Publish(workroom.Event{Kind: workroom.EventMessage, RoomID: workroom.RoomID(i)}, []workroom.UserID{1})
	}
	select {
	case <-s.Stale():
	default:
		t.Fatal("overflowing subscription was not marked stale")
	}
	if n := len(s.Events()); n != live.QueueSize {
		t.Fatalf("queue holds %d events, want %d", n, live.QueueSize)
	}
}

func TestClose_StopsDeliveryAndClosesEvents(t *testing.T) {
	h := live.New()
	s := h.Subscribe(1)
	s.Close()
	s.Close() // twice is harmless
	h.Publish(workroom.Event{Kind: workroom.EventMessage}, []workroom.UserID{1})
	if _, ok := <-s.Events(); ok {
		t.Fatal("closed subscription delivered an event")
	}
	if _, online := h.Where(1); online {
		t.Fatal("user still online after their only session closed")
	}
}

func TestWhere_ReportsRoomsEntered(t *testing.T) {
	h := live.New()
	s := h.Subscribe(1)
	defer s.Close()
	s.Enter(42)
	rooms, online := h.Where(1)
	if !online || len(rooms) != 1 || rooms[0] != 42 {
		t.Fatalf("Where = %v, %v; want [42], true", rooms, online)
	}
}

// A consumer that never reads must not hold anyone up: the others get
// every event, of every kind and by every way of publishing, in order,
// while the stuck one is only marked stale.
func TestPublish_StuckConsumerDelaysNobody(t *testing.T) {
	h := live.New()
	stuck, reader := h.Subscribe(1), h.Subscribe(2)
	defer stuck.Close()
	defer reader.Close()
	stuck.Enter(7)
	reader.Enter(7)
	const events = 10 * live.QueueSize
	got := make(chan uint64, events)
	go func() {
		for ev := range reader.Events() {
			got <- ev.Message.ID
		}
	}()
	kinds := []workroom.EventKind{workroom.EventMessage, workroom.EventPresence, workroom.EventFile, workroom.EventRoom}
	for i := range events {
		id := uint64(i + 1)
		ev := workroom.Event{Kind: kinds[i%len(kinds)], RoomID: 7, Message: &workroom.Message{ID: id}}
		switch ev.Kind {
		case workroom.EventPresence, workroom.EventFile:
			h.PublishRoom(ev, 7)
		default:
			h.Publish(ev, []workroom.UserID{1, 2})
		}
		select {
		case got := <-got:
			if got != id {
				t.Fatalf("reader got event %d, want %d (in order, none dropped)", got, id)
			}
		case <-time.After(time.Second):
			t.Fatalf("event %d (%s) took over a second to reach the reader", id, ev.Kind)
		}
	}
	select {
	case <-stuck.Stale():
	default:
		t.Fatal("the stuck consumer was not marked stale")
	}
	select {
	case <-reader.Stale():
		t.Fatal("the reader that kept up was marked stale")
	default:
	}
}

func TestPresent_CountsSessionsLookingAtARoom(t *testing.T) {
	h := live.New()
	a1, a2, b := h.Subscribe(1), h.Subscribe(1), h.Subscribe(2)
	defer b.Close()
	a1.Enter(7)
	a2.Enter(7)
	b.Enter(8)
	here := h.Present(7)
	if len(here) != 1 || here[0] != (workroom.Here{UserID: 1, Sessions: 2}) {
		t.Fatalf("Present(7) = %v, want user 1 in 2 sessions", here)
	}
	a2.Enter(0)
	if here := h.Present(7); len(here) != 1 || here[0].Sessions != 1 {
		t.Fatalf("after one left: %v", here)
	}
	a1.Close()
	a2.Close()
	if here := h.Present(7); len(here) != 0 {
		t.Fatalf("closed sessions still present: %v", here)
	}
}

func TestOnline_CountsSessionsAndRemembersLastSeen(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	h := live.NewWithClock(func() time.Time { return at })
	s1, s2 := h.Subscribe(1), h.Subscribe(1)
	if n, seen := h.Online(1); n != 2 || !seen.IsZero() {
		t.Fatalf("Online = %d, %v; want 2 and no last seen", n, seen)
	}
	s1.Close()
	s2.Close()
	if n, seen := h.Online(1); n != 0 || !seen.Equal(at) {
		t.Fatalf("Online = %d, %v; want 0, last seen %v", n, seen, at)
	}
	s3 := h.Subscribe(1)
	defer s3.Close()
	if _, seen := h.Online(1); !seen.IsZero() {
		t.Fatalf("back online, last seen still %v", seen)
	}
}

func TestPublishRoom_ReachesOnlySessionsInTheRoom(t *testing.T) {
	h := live.New()
	in, out := h.Subscribe(1), h.Subscribe(1)
	defer in.Close()
	defer out.Close()
	in.Enter(7)
	h.PublishRoom(workroom.Event{Kind: workroom.EventPresence, RoomID: 7}, 7)
	if len(in.Events()) != 1 || len(out.Events()) != 0 {
		t.Fatalf("in the room got %d, elsewhere %d; want 1 and 0", len(in.Events()), len(out.Events()))
	}
}

// A session whose queue stays full, nothing taken from it, for
// StuckTimeout is dropped: it leaves presence and the hub, its events end,
// and its owner is told. One that takes an event in time is not.
func TestPublish_DropsSessionStuckPastTheTimeout(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	advance := func(d time.Duration) { mu.Lock(); at = at.Add(d); mu.Unlock() }
	h := live.NewWithClock(now)
	stuck, slow := h.Subscribe(1), h.Subscribe(2)
	defer slow.Close()
	stuck.Enter(7)
	slow.Enter(7)
	told := make(chan struct{})
	stuck.OnDrop(func() { close(told) })
	slow.OnDrop(func() { t.Error("a session that kept taking events was dropped") })
	fill := func() {
		for range live.QueueSize + 1 {
			h.PublishRoom(workroom.Event{Kind: workroom.EventFile, RoomID: 7}, 7)
		}
	}
	fill()
	advance(live.StuckTimeout - time.Second)
	<-slow.Events() // the slow one takes one event in time
	fill()
	if here := h.Present(7); len(here) != 2 {
		t.Fatalf("dropped before the timeout: present %v", here)
	}
	advance(time.Second)
	h.PublishRoom(workroom.Event{Kind: workroom.EventFile, RoomID: 7}, 7)
	select {
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatal("the stuck session's owner was not told it was dropped")
	}
	if here := h.Present(7); len(here) != 1 || here[0].UserID != 2 {
		t.Fatalf("present after the drop: %v, want only user 2", here)
	}
	if n, seen := h.Online(1); n != 0 || !seen.Equal(now()) {
		t.Fatalf("dropped user: %d sessions, last seen %v", n, seen)
	}
	for range stuck.Events() { // drains what was queued, then ends: closed
	}
	late := make(chan struct{})
	stuck.OnDrop(func() { close(late) }) // registered after the drop: told at once
	select {
	case <-late:
	case <-time.After(5 * time.Second):
		t.Fatal("OnDrop after the drop was not told")
	}
}

func TestMarkStale_TellsEverySession(t *testing.T) {
	h := live.New()
	a, b := h.Subscribe(1), h.Subscribe(2)
	defer a.Close()
	defer b.Close()
	h.MarkStale()
	for i, s := range []workroom.Subscription{a, b} {
		select {
		case <-s.Stale():
		default:
			t.Fatalf("session %d was not marked stale", i+1)
		}
	}
}
