package command

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// inRoom opens a live session of key's user in room, as the terminal UI
// does, and returns the function that closes it.
func (w *world) inRoom(key workroom.Key, room uint64) (closeSession func()) {
	w.t.Helper()
	id, err := w.Svc.Authenticate(context.Background(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	sub, err := w.Svc.Subscribe(workroomtest.As(id))
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(sub.Close)
	if _, err := w.Svc.Enter(workroomtest.As(id), sub, workroom.RoomID(room)); err != nil {
		w.t.Fatal(err)
	}
	return sub.Close
}

func TestMembers_ShowsRolesPresenceAndLastSeen(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.signUp("Ada"), w.signUp("Bob")
	room := w.awardedRoom(ada, bob, "Logo design")
	w.ok(ada, "settings", "--tz", "Asia/Tokyo")
	leave := w.inRoom(bob, room)

	type member struct {
		UserID   uint64     `json:"user_id"`
		Name     string     `json:"name"`
		Role     string     `json:"role"`
		State    string     `json:"state"`
		Sessions int        `json:"sessions"`
		LastSeen *time.Time `json:"last_seen"`
	}
	type members struct {
		RoomID  uint64   `json:"room_id"`
		Members []member `json:"members"`
	}
	byName := func(ms members) map[string]member {
		if ms.RoomID != room {
			t.Fatalf("members --json says room %d, want %d", ms.RoomID, room)
		}
		out := map[string]member{}
		for _, m := range ms.Members {
			out[m.Name] = m
		}
		return out
	}
	got := byName(decode[members](t, w.ok(ada, "members", itoa(room), "--json")))
	if b := got["Bob"]; b.Role != "freelancer" || b.State != "here" || b.Sessions != 1 || b.LastSeen != nil {
		t.Errorf("Bob in the room: %+v", b)
	}
	if a := got["Ada"]; a.Role != "client" || a.State != "away" || a.LastSeen != nil {
		t.Errorf("Ada, never in the terminal UI: %+v", a)
	}
	out := w.ok(ada, "members", itoa(room))
	for _, want := range []string{"NAME", "ROLE", "PRESENCE", "LAST SEEN", "Bob", "freelancer", "here", "now", "not yet seen"} {
		if !strings.Contains(out, want) {
			t.Errorf("members =\n%s\nwant %q in it", out, want)
		}
	}

	leave()
	left := w.Now()
	w.Advance(48 * time.Hour)
	b := byName(decode[members](t, w.ok(ada, "members", itoa(room), "--json")))["Bob"]
	if b.State != "away" || b.LastSeen == nil || !b.LastSeen.Equal(left) {
		t.Errorf("Bob after leaving: %+v, want away, last seen %v", b, left)
	}
	want := left.In(mustZone(t, "Asia/Tokyo")).Format("2006-01-02 15:04") + " JST"
	if out := w.ok(ada, "members", itoa(room)); !strings.Contains(out, want) {
		t.Errorf("members after Bob left =\n%s\nwant his last seen in Ada's zone, %q", out, want)
	}
}

func TestMembers_OutsiderHearsNoSuchRoom(t *testing.T) {
	w := newWorld(t)
	ada, bob, eve := w.signUp("Ada"), w.signUp("Bob"), w.signUp("Eve")
	room := w.awardedRoom(ada, bob, "Logo design")
	refused(t, w.run(eve, "", "members", itoa(room)), "no such workroom")
}
