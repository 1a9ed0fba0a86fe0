package storetest

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// testMeetings: a record is stored with an ID, replaced when saved again
// with it, kept per room, and found by the message IDs its lines may have.
func testMeetings(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	other := newRoom(t, s, ada, bob)
	both := []workroom.Attendee{{UserID: ada.ID, Name: "Ada"}, {UserID: bob.ID, Name: "Bob"}}

	first := &workroom.Meeting{RoomID: r.ID, Started: t0, Attendees: both, From: 1}
	must(t, s.SaveMeeting(ctx, first))
	if first.ID == 0 {
		t.Fatal("SaveMeeting assigned no ID")
	}
	first.Ended, first.Upto, first.Lines = t0.Add(time.Minute), 3, 2
	must(t, s.SaveMeeting(ctx, first))
	second := &workroom.Meeting{RoomID: r.ID, Started: t0.Add(time.Hour), Attendees: both[:1], From: 10}
	must(t, s.SaveMeeting(ctx, second))
	if second.ID == first.ID {
		t.Fatal("two meetings got one ID")
	}
	must(t, s.SaveMeeting(ctx, &workroom.Meeting{RoomID: other.ID, Started: t0, Attendees: both, From: 1}))

	ids := func(lo, hi uint64) []uint64 {
		t.Helper()
		ms, err := s.Meetings(ctx, r.ID, lo, hi)
		must(t, err)
		var out []uint64
		for _, m := range ms {
			if m.RoomID != r.ID {
				t.Fatalf("room %d's meetings hold %+v", r.ID, m)
			}
			out = append(out, m.ID)
		}
		return out
	}
	for _, c := range []struct {
		lo, hi uint64
		want   []uint64
	}{
		{1, 3, []uint64{first.ID}},
		{2, 2, []uint64{first.ID}},
		{4, 9, nil},                            // between the two
		{3, 12, []uint64{first.ID, second.ID}}, // oldest first
		{50, 60, []uint64{second.ID}},          // the second runs still
	} {
		if got := ids(c.lo, c.hi); !equalIDs(got, c.want) {
			t.Errorf("Meetings(%d, %d) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
	ms, err := s.Meetings(ctx, r.ID, 1, 3)
	must(t, err)
	if got := ms[0]; got.Lines != 2 || got.Upto != 3 || !got.Ended.Equal(t0.Add(time.Minute)) || len(got.Attendees) != 2 || got.Attendees[1].Name != "Bob" {
		t.Errorf("the record read back is %+v", got)
	}
	wantCode(t, s.SaveMeeting(ctx, &workroom.Meeting{RoomID: 999, Started: t0}), workroom.ENOTFOUND)
}

func equalIDs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
