package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// The client invites and removes from the People pane: an account with a
// verified address joins at once, an unknown address waits as
// "invited", and x then y removes the member under the cursor.
func TestPeople_ClientInvitesAndRemovesFromThePane(t *testing.T) {
	f := newFixture(t)
	ada, bob, tess := f.SignUp(t, "Ada"), f.SignUp(t, "Bob"), f.SignUp(t, "Tess")
	f.Verify(t, tess)
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.openPeopleOf(t, ada, room, 120, 24)
	tm.waitText("a invite by email")

	invite := func(email, role string) {
		t.Helper()
		tm.press("a")
		tm.waitText("Invite (email):")
		tm.typeText(email)
		tm.press(keyEnter)
		tm.waitText("t team member")
		tm.press(role)
	}
	invite(tess.User.Email, "t")
	tm.waitText("Tess joined as a team member")
	tm.waitFor("Tess's row", regexp.MustCompile(`Tess +team +`).MatchString)
	invite("gus@example.com", "g")
	tm.waitText("Invited gus@example.com as a guest")
	tm.waitFor("the pending row", regexp.MustCompile(`gus@example.com +guest +invited`).MatchString)
	if m, err := f.Svc.Room(workroomtest.As(tess), room); err != nil || m.Role != workroom.RoleTeam {
		t.Fatalf("Tess's membership after the pane's invite: %+v, %v", m, err)
	}

	tm.press("j") // Bob: the hired freelancer cannot be removed
	tm.press("j") // Tess
	tm.press("x")
	tm.waitText("Remove Tess from this workroom?")
	tm.press("y")
	tm.waitText("Removed Tess")
	gone := regexp.MustCompile(`Tess +team`)
	tm.waitFor("Tess's row gone", func(s string) bool { return !gone.MatchString(s) })
	if _, err := f.Svc.Room(workroomtest.As(tess), room); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("Tess still reaches the room: %v", err)
	}
}

// Only the client is offered the keys; a freelancer's a types nothing.
func TestPeople_InviteKeysAreTheClientsOnly(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.openPeopleOf(t, bob, room, 120, 24)
	tm.waitText("Bob (you)") // loaded: the keys follow the role
	tm.press("?")
	screen := tm.waitText("refresh")
	if strings.Contains(screen, "invite by email") || strings.Contains(screen, "remove / cancel") {
		t.Fatalf("the freelancer is offered the client's keys:\n%s", screen)
	}
	tm.press("?")
	tm.press("a")
	tm.press("r") // refresh: once its reload shows, a has been handled
	tm.waitText("Bob (you)")
	if strings.Contains(tm.screen(), "Invite (email):") {
		t.Fatal("a opened the invitation for a freelancer")
	}
}

// Everyone's People pane follows who is in the room: an invitation
// accepted and a removal show without a key pressed.
func TestPeople_JoinsAndRemovalsShowLive(t *testing.T) {
	f := newFixture(t)
	ada, bob, tess := f.SignUp(t, "Ada"), f.SignUp(t, "Bob"), f.SignUp(t, "Tess")
	f.Verify(t, tess)
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.openPeopleOf(t, bob, room, 120, 24)
	tm.waitText("Bob (you)")
	if _, err := f.Svc.Invite(workroomtest.As(ada), room, tess.User.Email, workroom.RoleGuest); err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`Tess +guest`)
	tm.waitFor("Tess's row", row.MatchString)
	if _, err := f.Svc.Remove(workroomtest.As(ada), room, "Tess"); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("Tess's row gone", func(s string) bool { return !row.MatchString(s) })
}
