package workroom_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// mailsTo returns the pending mails to an address.
func mailsTo(t *testing.T, w *workroomtest.World, to string) []workroom.Mail {
	t.Helper()
	all, err := w.Outbox.Pending(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []workroom.Mail
	for _, m := range all {
		if strings.EqualFold(m.To, to) {
			out = append(out, m)
		}
	}
	return out
}

func TestInvite_VerifiedAccountJoinsAtOnceWithAMailAndALiveRow(t *testing.T) {
	w := newWorld(t)
	ada, bob, tess := w.SignUp(t, "Ada"), w.SignUp(t, "Bob"), w.SignUp(t, "Tess")
	w.Verify(t, tess)
	room := w.Room(t, ada, bob, "Logo").ID
	sub := subscribe(t, w, tess)
	inv, err := w.Svc.Invite(workroomtest.As(ada), room, strings.ToUpper(tess.User.Email[:1])+tess.User.Email[1:], workroom.RoleTeam)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Member == nil || inv.Member.UserID != tess.User.ID || inv.Pending != nil {
		t.Fatalf("Invite = %+v, want Tess a member at once", inv)
	}
	ev := next(t, sub, workroom.EventRoom)
	if ev.Row == nil || ev.Row.ID != room || ev.Row.Role != workroom.RoleTeam {
		t.Fatalf("event %+v, want the room's row as a team member", ev)
	}
	if rooms := roomsOf(t, w, workroomtest.As(tess)); len(rooms) != 1 || rooms[0].ID != room {
		t.Fatalf("Tess lists %+v", rooms)
	}
	ms := mailsTo(t, w, tess.User.Email)
	if len(ms) == 0 || !strings.Contains(ms[len(ms)-1].Body, "Ada added you to the workroom \"Logo\" as a team member") {
		t.Fatalf("no notice mailed to Tess: %+v", ms)
	}
	_, err = w.Svc.Invite(workroomtest.As(ada), room, tess.User.Email, workroom.RoleGuest)
	wantCode(t, err, workroom.ECONFLICT)
	if workroom.ErrorRule(err) != workroom.RuleAlreadyMember {
		t.Fatalf("inviting a member: %v, want RuleAlreadyMember", err)
	}
}

func TestInvite_UnknownAddressGetsAMailAndJoinsWhenItIsVerified(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo").ID
	inv, err := w.Svc.Invite(workroomtest.As(ada), room, "gus@example.com", workroom.RoleGuest)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Pending == nil || inv.Member != nil {
		t.Fatalf("Invite = %+v, want a pending invitation", inv)
	}
	ms := mailsTo(t, w, "gus@example.com")
	if len(ms) != 1 || !strings.Contains(ms[0].Body, "signup --name") || !strings.Contains(ms[0].Body, "as a guest") {
		t.Fatalf("invitation mail %+v, want how to connect and sign up", ms)
	}
	pending, err := w.Svc.Invitations(workroomtest.As(ada), room)
	if err != nil || len(pending) != 1 || pending[0].Email != "gus@example.com" {
		t.Fatalf("Invitations = %+v, %v", pending, err)
	}
	_, err = w.Svc.Invitations(workroomtest.As(bob), room)
	wantCode(t, err, workroom.EFORBIDDEN)

	gus := w.SignUp(t, "Gus")
	if rooms := roomsOf(t, w, workroomtest.As(gus)); len(rooms) != 0 {
		t.Fatalf("an unverified sign-up sees %+v", rooms)
	}
	sub := subscribe(t, w, gus)
	w.Verify(t, gus)
	if ev := next(t, sub, workroom.EventRoom); ev.Row == nil || ev.Row.ID != room || ev.Row.Role != workroom.RoleGuest {
		t.Fatalf("event %+v, want the room as a guest", ev)
	}
	if _, err := w.Svc.Room(workroomtest.As(gus), room); err != nil {
		t.Fatalf("Gus cannot open the room after verifying: %v", err)
	}
}

func TestInvite_OnlyTheClientInvites(t *testing.T) {
	w := newWorld(t)
	ada, bob, sam := w.SignUp(t, "Ada"), w.SignUp(t, "Bob"), w.SignUp(t, "Sam")
	room := w.Room(t, ada, bob, "Logo").ID
	_, err := w.Svc.Invite(workroomtest.As(bob), room, "x@example.com", workroom.RoleTeam)
	if workroom.ErrorCode(err) != workroom.EFORBIDDEN || workroom.ErrorRule(err) != workroom.RuleRoleNotAllowed ||
		err.Error() != "a freelancer of this workroom cannot add or remove people" {
		t.Fatalf("the freelancer inviting: %v", err)
	}
	_, err = w.Svc.Invite(workroomtest.As(sam), room, "x@example.com", workroom.RoleTeam)
	_, missing := w.Svc.Invite(workroomtest.As(sam), room+99, "x@example.com", workroom.RoleTeam)
	if workroom.ErrorCode(err) != workroom.ENOTFOUND || strings.Replace(err.Error(), itoa(room), "N", 1) != strings.Replace(missing.Error(), itoa(room+99), "N", 1) {
		t.Fatalf("an outsider inviting: %v; into a missing room: %v", err, missing)
	}
	_, err = w.Svc.Invite(workroomtest.As(ada), room, "x@example.com", workroom.RoleClient)
	wantCode(t, err, workroom.EINVALID)
	if len(mailsTo(t, w, "x@example.com")) != 0 {
		t.Fatal("a refused invitation mailed")
	}
}

func TestInvite_IsRateLimited(t *testing.T) {
	lim := workroom.NoLimits
	lim.Invitations = workroom.Rate{N: 2, Per: 3600e9}
	w := workroomtest.New(t, workroomtest.WithLimits(lim))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo").ID
	for _, a := range []string{"a@example.com", "b@example.com"} {
		if _, err := w.Svc.Invite(workroomtest.As(ada), room, a, workroom.RoleGuest); err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.Svc.Invite(workroomtest.As(ada), room, "c@example.com", workroom.RoleGuest)
	if workroom.ErrorCode(err) != workroom.ELIMIT || !strings.Contains(err.Error(), "too many invitations") {
		t.Fatalf("third invitation: %v, want ELIMIT", err)
	}
	if len(mailsTo(t, w, "c@example.com")) != 0 {
		t.Fatal("a refused invitation mailed")
	}
}

func TestInvite_StopsAtMaxRoomPeople(t *testing.T) {
	w := workroomtest.New(t, workroomtest.WithLimits(workroom.NoLimits))
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo").ID
	invite := func(i int) error {
		_, err := w.Svc.Invite(workroomtest.As(ada), room, "guest"+strconv.Itoa(i)+"@example.com", workroom.RoleGuest)
		return err
	}
	for i := 2; i < workroom.MaxRoomPeople; i++ { // the client and the freelancer hold two places
		if err := invite(i); err != nil {
			t.Fatalf("invitation %d: %v", i, err)
		}
	}
	err := invite(workroom.MaxRoomPeople)
	if workroom.ErrorCode(err) != workroom.ELIMIT || workroom.ErrorRule(err) != workroom.RuleTooManyPeople {
		t.Fatalf("one past the most: %v, want ELIMIT (%s)", err, workroom.RuleTooManyPeople)
	}
	if len(mailsTo(t, w, "guest"+strconv.Itoa(workroom.MaxRoomPeople)+"@example.com")) != 0 {
		t.Fatal("a refused invitation mailed")
	}
	if err := invite(2); err != nil {
		t.Fatalf("inviting a pending address again takes no new place, got %v", err)
	}
}

func TestRemove_TakesEffectAtOnceAndKeepsTheClientAndFreelancer(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo").ID
	tess := w.Member(t, ada, room, "Tess", workroom.RoleTeam)
	sub := subscribe(t, w, tess)
	enter(t, w, tess, sub, room)

	for _, who := range []string{"Ada", "bob", strconv.FormatUint(uint64(bob.User.ID), 10)} {
		_, err := w.Svc.Remove(workroomtest.As(ada), room, who)
		if workroom.ErrorRule(err) != workroom.RuleCannotRemove {
			t.Fatalf("removing %s: %v, want RuleCannotRemove", who, err)
		}
	}
	_, err := w.Svc.Remove(workroomtest.As(tess), room, "Bob")
	wantCode(t, err, workroom.EFORBIDDEN)
	_, err = w.Svc.Remove(workroomtest.As(ada), room, "Nobody")
	wantCode(t, err, workroom.ENOTFOUND)

	rm, err := w.Svc.Remove(workroomtest.As(ada), room, "TESS")
	if err != nil || rm.Member == nil || rm.Member.UserID != tess.User.ID {
		t.Fatalf("Remove = %+v, %v", rm, err)
	}
	if ev := next(t, sub, workroom.EventRemoved); ev.RoomID != room {
		t.Fatalf("event %+v, want removed from %d", ev, room)
	}
	_, err = w.Svc.Post(workroomtest.As(tess), room, "still here?", workroom.SourceCommand)
	_, missing := w.Svc.Post(workroomtest.As(tess), room+99, "still here?", workroom.SourceCommand)
	if workroom.ErrorCode(err) != workroom.ENOTFOUND || strings.Replace(err.Error(), itoa(room), "N", 1) != strings.Replace(missing.Error(), itoa(room+99), "N", 1) {
		t.Fatalf("a removed member posting: %v, want the missing room's answer %v", err, missing)
	}
	if rooms := roomsOf(t, w, workroomtest.As(tess)); len(rooms) != 0 {
		t.Fatalf("Tess still lists %+v", rooms)
	}
}

func TestRemove_ByEmailCancelsAPendingInvitation(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo").ID
	if _, err := w.Svc.Invite(workroomtest.As(ada), room, "gus@example.com", workroom.RoleGuest); err != nil {
		t.Fatal(err)
	}
	rm, err := w.Svc.Remove(workroomtest.As(ada), room, "GUS@example.com")
	if err != nil || rm.Invitation == nil {
		t.Fatalf("Remove = %+v, %v, want the invitation cancelled", rm, err)
	}
	gus := w.SignUp(t, "Gus")
	w.Verify(t, gus)
	if rooms := roomsOf(t, w, workroomtest.As(gus)); len(rooms) != 0 {
		t.Fatalf("a cancelled invitation still let Gus in: %+v", rooms)
	}
}
