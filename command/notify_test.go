package command

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

func TestNotify_OffAndOnShowInRooms(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.signUp("Ada"), w.signUp("Bob")
	room := w.awardedRoom(ada, bob, "Logo design")
	notify := func(key workroom.Key) bool {
		t.Helper()
		got := decode[struct{ Rooms []workroom.Membership }](t, w.ok(key, "rooms", "--json"))
		if len(got.Rooms) != 1 {
			t.Fatalf("rooms = %+v, want one", got.Rooms)
		}
		return got.Rooms[0].Notify
	}
	if !notify(bob) {
		t.Fatal("notifications start off, want on")
	}
	if out := w.ok(bob, "notify", itoa(room), "off"); !strings.Contains(out, "off") || !strings.Contains(out, "notify "+itoa(room)+" on") {
		t.Errorf("notify off said %q, want it off and how to turn it on", out)
	}
	if notify(bob) {
		t.Fatal("after notify off, rooms shows notify on")
	}
	if !notify(ada) {
		t.Fatal("Bob's notify off turned Ada's off too")
	}
	got := decode[struct {
		Room   uint64 `json:"room_id"`
		Notify bool   `json:"notify"`
	}](t, w.ok(bob, "notify", itoa(room), "on", "--json"))
	if got.Room != room || !got.Notify || !notify(bob) {
		t.Fatalf("notify on --json = %+v, rooms notify %v; want on", got, notify(bob))
	}
}

func TestNotify_RefusesAWordOtherThanOnOrOff(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.signUp("Ada"), w.signUp("Bob")
	room := w.awardedRoom(ada, bob, "Logo design")
	refused(t, w.run(bob, "", "notify", itoa(room), "maybe"), "on or off")
}

func TestNotify_OutsiderHearsNoSuchRoom(t *testing.T) {
	w := newWorld(t)
	ada, bob, eve := w.signUp("Ada"), w.signUp("Bob"), w.signUp("Eve")
	room := w.awardedRoom(ada, bob, "Logo design")
	refused(t, w.run(eve, "", "notify", itoa(room), "off"), "no such workroom")
}
