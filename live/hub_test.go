package live_test

import (
	"testing"

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
