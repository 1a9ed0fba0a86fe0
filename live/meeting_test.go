package live_test

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
)

// In a meeting, an attendee whose session is stuck (its program busy
// drawing to a slow client, say) must not hold up the lines to the other
// attendees: publishing returns at once, the others read every line in
// order while it is sent, and the stuck one is only marked stale.
func TestMeetingLines_StuckAttendeeDelaysNoOtherAttendee(t *testing.T) {
	const room = workroom.RoomID(7)
	h := live.New()
	stuck, bob, cy := h.Subscribe(1), h.Subscribe(2), h.Subscribe(3)
	for _, s := range []workroom.Subscription{stuck, bob, cy} {
		s.Enter(room)
		defer s.Close()
	}
	lines := 4 * live.QueueSize
	readers := map[string]workroom.Subscription{"Bob": bob, "Cy": cy}
	done := make(chan string, len(readers))
	for name, s := range readers {
		go func() {
			want := uint64(1)
			for ev := range s.Events() {
				if ev.Kind != workroom.EventMessage {
					continue
				}
				if ev.Message.ID != want {
					t.Errorf("%s read line %d, want %d", name, ev.Message.ID, want)
				}
				want++
				if want == uint64(lines)+1 {
					done <- name // and read on until closed
				}
			}
		}()
	}
	// Publishing runs on its own goroutine: were it to wait for the stuck
	// session, the readers would miss lines and the test say so.
	go func() {
		for i := 1; i <= lines; i++ {
			line := &workroom.Message{RoomID: room, ID: uint64(i), Source: workroom.SourceMeeting, Body: "line"}
			// As the service sends it: the message to each member, and a
			// typing event to the room between lines.
			h.Publish(workroom.Event{Kind: workroom.EventMessage, RoomID: room, Message: line}, []workroom.UserID{1, 2, 3})
			h.PublishRoom(workroom.Event{Kind: workroom.EventTyping, RoomID: room, Typing: &workroom.Typing{UserID: 1, Active: true}}, room)
			if i%(live.QueueSize/4) == 0 { // two events a line
				// Let the readers keep up, as live sessions do; the stuck
				// one never reads.
				if !drained(bob, cy) {
					return
				}
			}
		}
	}()
	for range readers {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a reader did not get every line while one attendee was stuck")
		}
	}
	select {
	case <-stuck.Stale():
	default:
		t.Fatal("the stuck attendee was not marked stale")
	}
}

// drained waits until the subscriptions' queues are empty; false when
// they stay full for seconds.
func drained(subs ...workroom.Subscription) bool {
	deadline := time.Now().Add(5 * time.Second)
	for _, s := range subs {
		for len(s.Events()) > 0 {
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(time.Millisecond)
		}
	}
	return true
}
