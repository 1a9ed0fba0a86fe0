package command

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestInvite_AddsAVerifiedAccountAtOnceAndMembersShowsPendingToTheClient(t *testing.T) {
	w := newWorld(t)
	carol, fred, tina := w.signUp("Carol"), w.signUp("Fred"), w.signUp("Tina")
	w.ok(tina, "verify", w.Code(t, workroomtest.Email("Tina")))
	room := itoa(w.awardedRoom(carol, fred, "Logo"))

	out := w.ok(carol, "invite", room, "--team", workroomtest.Email("Tina"))
	if !strings.HasPrefix(out, "Tina (user ") || !strings.Contains(out, "is now a team member of workroom "+room) {
		t.Fatalf("invite printed %q", out)
	}
	if rooms := w.ok(tina, "rooms"); !strings.Contains(rooms, "Logo") {
		t.Fatalf("Tina's rooms lack the room:\n%s", rooms)
	}
	out = w.ok(carol, "invite", room, "--guest", "gus@example.com")
	if !strings.Contains(out, "Invited gus@example.com as a guest of workroom "+room) || !strings.Contains(out, "remove "+room+" gus@example.com") {
		t.Fatalf("invite of an unknown address printed %q", out)
	}
	members := w.ok(carol, "members", room)
	if !strings.Contains(members, "gus@example.com") || !strings.Contains(members, "invited") {
		t.Fatalf("the client's members lack the pending invitation:\n%s", members)
	}
	if m := w.ok(fred, "members", room); strings.Contains(m, "gus@example.com") {
		t.Fatalf("the freelancer sees the pending invitation:\n%s", m)
	}
	js := decode[membersJSON](t, w.ok(carol, "members", room, "--json"))
	if len(js.Invited) != 1 || js.Invited[0].Email != "gus@example.com" || js.Invited[0].Role != workroom.RoleGuest {
		t.Fatalf("members --json invited = %+v", js.Invited)
	}

	for args, want := range map[string]string{"": "invite needs --team EMAIL or --guest EMAIL", "--team a@example.com --guest b@example.com": "not both"} {
		r := w.run(carol, "", append([]string{"invite", room}, strings.Fields(args)...)...)
		if r.status != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("invite %s: status %d, %q; want a usage error saying %q", args, r.status, r.stderr, want)
		}
	}
	refused(t, w.run(fred, "", "invite", room, "--guest", "x@example.com"), "a freelancer of this workroom cannot add or remove people")
}

func TestRemove_ByIDNameOrEmailAndNeverTheClientOrFreelancer(t *testing.T) {
	w := newWorld(t)
	carol, fred, tina := w.signUp("Carol"), w.signUp("Fred"), w.signUp("Tina")
	w.ok(tina, "verify", w.Code(t, workroomtest.Email("Tina")))
	room := itoa(w.awardedRoom(carol, fred, "Logo"))
	w.ok(carol, "invite", room, "--team", workroomtest.Email("Tina"))
	w.ok(carol, "invite", room, "--guest", "gus@example.com")

	refused(t, w.run(carol, "", "remove", room, "Fred"), "Fred is the freelancer of this job")
	refused(t, w.run(carol, "", "remove", room, "carol"), "only team members and guests can be removed")
	refused(t, w.run(tina, "", "remove", room, "gus@example.com"), "a team member of this workroom cannot add or remove people")

	if out := w.ok(carol, "remove", room, "gus@example.com"); out != "Cancelled the invitation of gus@example.com to workroom "+room+".\n" {
		t.Fatalf("remove by email printed %q", out)
	}
	if out := w.ok(carol, "remove", room, "tina"); !strings.HasPrefix(out, "Removed Tina (user ") {
		t.Fatalf("remove by name printed %q", out)
	}
	refused(t, w.run(tina, "", "messages", room), "no such workroom: "+room)
	refused(t, w.run(carol, "", "remove", room, "Tina"), `nobody called "Tina" is in this workroom`)
}
