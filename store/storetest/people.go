package storetest

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// markVerified is MarkVerified for cases that need only its error.
func markVerified(s workroom.Store, id workroom.UserID) error {
	_, err := s.MarkVerified(ctx, id, t0)
	return err
}

// pendingTo counts the mails due now addressed to to.
func pendingTo(t *testing.T, s workroom.Store, to string) int {
	t.Helper()
	due, err := s.PendingMail(ctx, t0.Add(time.Hour), all)
	must(t, err)
	n := 0
	for _, m := range due {
		if m.To == to {
			n++
		}
	}
	return n
}

// testAddAndRemoveMember: adding a member lists the room for them with
// its history read and enqueues the mail in the same transaction; adding
// twice refuses; removing takes the room out of their list.
func testAddAndRemoveMember(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	r := newRoom(t, s, ada, bob)
	post(t, s, r, ada, "before cy came")
	after, err := s.AddMember(ctx, workroom.Member{RoomID: r.ID, UserID: cy.ID, Name: "cy", Role: workroom.RoleTeam, Joined: t0}, &workroom.Mail{To: "cy@example.com", NextTry: t0})
	must(t, err)
	if after.Activity <= r.Activity {
		t.Fatalf("adding a member left the room's activity at %d (was %d)", after.Activity, r.Activity)
	}
	rooms, err := s.RoomsOf(ctx, cy.ID, 0, all)
	must(t, err)
	if len(rooms) != 1 || rooms[0].ID != r.ID || rooms[0].Role != workroom.RoleTeam || rooms[0].Unread != 0 {
		t.Fatalf("cy's rooms after AddMember = %+v, want room %d as team with nothing unread", rooms, r.ID)
	}
	if pendingTo(t, s, "cy@example.com") != 1 {
		t.Fatal("AddMember enqueued no mail")
	}
	_, err = s.AddMember(ctx, workroom.Member{RoomID: r.ID, UserID: cy.ID, Role: workroom.RoleGuest}, &workroom.Mail{To: "cy@example.com", NextTry: t0})
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleAlreadyMember)
	if pendingTo(t, s, "cy@example.com") != 1 {
		t.Fatal("a refused AddMember enqueued mail")
	}
	_, err = s.AddMember(ctx, workroom.Member{RoomID: r.ID + 99, UserID: cy.ID, Role: workroom.RoleGuest}, nil)
	wantCode(t, err, workroom.ENOTFOUND)

	// Activity after cy joined moves the room in every member's list,
	// cy's included.
	post(t, s, r, ada, "hello cy")
	if rooms, _ := s.RoomsOf(ctx, cy.ID, 0, all); len(rooms) != 1 || rooms[0].Unread != 1 {
		t.Fatalf("cy's rooms after a message = %+v, want one room with 1 unread", rooms)
	}
	must(t, s.SaveDraft(ctx, r.ID, cy.ID, "half a thought"))
	_, _, err = s.AppendMessage(ctx, &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "mail cy", Created: t0},
		[]workroom.Mail{{To: "cy@example.com", NextTry: t0, ReplyKey: &workroom.ReplyKey{Key: "cccc", RoomID: r.ID, UserID: cy.ID, Created: t0}}})
	must(t, err)
	must(t, s.RemoveMember(ctx, r.ID, cy.ID))
	if _, err := s.ReplyKey(ctx, "cccc"); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("a removed member's reply key still resolves: %v", err)
	}
	if _, err := s.Member(ctx, r.ID, cy.ID); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("Member after RemoveMember: %v, want ENOTFOUND", err)
	}
	if rooms, _ := s.RoomsOf(ctx, cy.ID, 0, all); len(rooms) != 0 {
		t.Fatalf("cy still lists %+v after removal", rooms)
	}
	if ms, _ := s.Members(ctx, r.ID); len(ms) != 2 {
		t.Fatalf("room has %d members after removal, want 2", len(ms))
	}
	if d, _ := s.Draft(ctx, r.ID, cy.ID); d != "" {
		t.Fatalf("a removed member's draft stayed: %q", d)
	}
	wantCode(t, s.RemoveMember(ctx, r.ID, cy.ID), workroom.ENOTFOUND)
	// Others' lists are untouched, and activity goes on.
	post(t, s, r, bob, "after")
	if rooms, _ := s.RoomsOf(ctx, ada.ID, 0, all); len(rooms) != 1 {
		t.Fatalf("ada lists %d rooms after cy's removal, want 1", len(rooms))
	}
}

// testInvitationsBecomeMemberships: a pending invitation is kept by room
// and address (case-insensitive), replaced when invited again, and turns
// into a membership in the verification's transaction, for every room
// that invited the address.
func testInvitationsBecomeMemberships(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r1, r2 := newRoom(t, s, ada, bob), newRoom(t, s, ada, bob)
	invite := func(r *workroom.Room, email string, role workroom.Role) {
		t.Helper()
		must(t, s.Invite(ctx, workroom.Invitation{RoomID: r.ID, Email: email, Role: role, InvitedBy: ada.ID, Created: t0}, &workroom.Mail{To: email, NextTry: t0}))
	}
	invite(r1, "Dee@Example.com", workroom.RoleGuest)
	invite(r1, "dee@example.com", workroom.RoleTeam) // replaces, case-insensitive
	invite(r2, "dee@example.com", workroom.RoleGuest)
	invs, err := s.Invitations(ctx, r1.ID)
	must(t, err)
	if len(invs) != 1 || invs[0].Role != workroom.RoleTeam {
		t.Fatalf("r1's invitations = %+v, want one, as team", invs)
	}
	if pendingTo(t, s, "dee@example.com")+pendingTo(t, s, "Dee@Example.com") != 3 {
		t.Fatal("each invitation must enqueue its mail")
	}
	wantCode(t, s.Invite(ctx, workroom.Invitation{RoomID: r2.ID + 99, Email: "x@example.com"}, nil), workroom.ENOTFOUND)

	// Signing up with the address gives nothing; verifying it does.
	dee := &workroom.User{Name: "dee", Email: "DEE@example.com", Created: t0}
	must(t, s.CreateUser(ctx, dee, workroom.Key{Fingerprint: "SHA256:dee", Added: t0}, workroom.Verification{CodeHash: "h", Sent: t0, Expires: t0.Add(time.Hour)}, nil))
	if rooms, _ := s.RoomsOf(ctx, dee.ID, 0, all); len(rooms) != 0 {
		t.Fatalf("an unverified sign-up got rooms: %+v", rooms)
	}
	joined, err := s.MarkVerified(ctx, dee.ID, t0.Add(time.Minute))
	must(t, err)
	if len(joined) != 2 {
		t.Fatalf("verifying joined %+v, want both rooms", joined)
	}
	m1, err := s.Member(ctx, r1.ID, dee.ID)
	must(t, err)
	m2, err := s.Member(ctx, r2.ID, dee.ID)
	must(t, err)
	if m1.Role != workroom.RoleTeam || m2.Role != workroom.RoleGuest || !m1.Joined.Equal(t0.Add(time.Minute)) {
		t.Fatalf("memberships %+v %+v, want team in r1 and guest in r2, joined at verification", m1, m2)
	}
	if invs, _ := s.Invitations(ctx, r1.ID); len(invs) != 0 {
		t.Fatalf("accepted invitations stayed pending: %+v", invs)
	}

	// A cancelled invitation gives nothing.
	invite(r1, "eve@example.com", workroom.RoleGuest)
	must(t, s.CancelInvitation(ctx, r1.ID, "EVE@example.com"))
	wantCode(t, s.CancelInvitation(ctx, r1.ID, "eve@example.com"), workroom.ENOTFOUND)
	eve := &workroom.User{Name: "eve", Email: "eve@example.com", Created: t0}
	must(t, s.CreateUser(ctx, eve, workroom.Key{Fingerprint: "SHA256:eve", Added: t0}, workroom.Verification{CodeHash: "h", Sent: t0, Expires: t0.Add(time.Hour)}, nil))
	if joined, err := s.MarkVerified(ctx, eve.ID, t0); err != nil || len(joined) != 0 {
		t.Fatalf("verifying a cancelled address joined %+v (%v)", joined, err)
	}
}
