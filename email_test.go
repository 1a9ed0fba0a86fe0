package workroom_test

import (
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestEmail_UnverifiedSignUpDoesNotHoldTheAddress: a squatter signs up
// with the owner's address; the owner signs up too, verifies, and gets it;
// the squatter loses it and is told how to set another.
func TestEmail_UnverifiedSignUpDoesNotHoldTheAddress(t *testing.T) {
	w := newWorld(t)
	squatter := w.SignUp(t, "squatter")
	squatCtx := workroomtest.As(squatter)
	u, err := w.Svc.ChangeEmail(squatCtx, "owner@example.com")
	if err != nil || u.Email != "owner@example.com" {
		t.Fatalf("ChangeEmail = %+v, %v", u, err)
	}
	owner, err := w.Svc.SignUp(t.Context(), workroomtest.Key("owner"), "Owner", "owner@example.com")
	if err != nil {
		t.Fatalf("the owner's sign-up is blocked by an unverified one: %v", err)
	}
	ownerCtx := workroomtest.As(&workroom.Identity{User: owner})
	if err := w.Svc.Verify(ownerCtx, w.Code(t, "owner@example.com")); err != nil {
		t.Fatal(err)
	}

	lost, _ := w.Svc.Authenticate(t.Context(), workroomtest.Key("squatter"))
	if !lost.User.EmailLost || lost.User.EmailVerified {
		t.Fatalf("squatter = %+v, want the address lost", lost.User)
	}
	err = w.Svc.Verify(squatCtx, "0000000000")
	wantCode(t, err, workroom.ECONFLICT)
	wantRule(t, err, workroom.RuleAddressTaken)
	if err.Error() != "owner@example.com was verified by another account" {
		t.Fatalf("loser's verify says %q", err)
	}
	wantCode(t, w.Svc.ResendVerification(squatCtx), workroom.ECONFLICT)

	_, err = w.Svc.SignUp(t.Context(), workroomtest.Key("late"), "Late", "OWNER@example.com")
	wantCode(t, err, workroom.ECONFLICT) // verified: held
	_, err = w.Svc.ChangeEmail(squatCtx, "owner@example.com")
	wantCode(t, err, workroom.ECONFLICT)

	if _, err := w.Svc.ChangeEmail(squatCtx, "squatter2@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.Verify(squatCtx, w.Code(t, "squatter2@example.com")); err != nil {
		t.Fatalf("verifying a new address after losing one: %v", err)
	}
}

func TestChangeEmail_RefusedOnceVerified(t *testing.T) {
	w := newWorld(t)
	ctx := workroomtest.As(w.SignUp(t, "ada"))
	if err := w.Svc.Verify(ctx, w.Code(t, "ada@example.com")); err != nil {
		t.Fatal(err)
	}
	_, err := w.Svc.ChangeEmail(ctx, "new@example.com")
	wantCode(t, err, workroom.ECONFLICT)
}

// TestIsAdmin_ByEmailOnlyOnceVerified: an admin's address counts only for
// the account that verified it, and only from then on.
func TestIsAdmin_ByEmailOnlyOnceVerified(t *testing.T) {
	w := newWorld(t)
	squat, err := w.Svc.SignUp(t.Context(), workroomtest.Key("squat"), "Squat", "boss@example.com")
	if err != nil {
		t.Fatal(err)
	}
	boss, err := w.Svc.SignUp(t.Context(), workroomtest.Key("boss"), "Boss", "boss@example.com")
	if err != nil {
		t.Fatal(err)
	}
	bossID := &workroom.Identity{Key: workroomtest.Key("boss"), User: boss}
	squatID := &workroom.Identity{Key: workroomtest.Key("squat"), User: squat}
	if w.Svc.IsAdmin(ctx, bossID) || w.Svc.IsAdmin(ctx, squatID) {
		t.Fatal("an unverified admin address makes an admin")
	}
	if err := w.Svc.Verify(workroomtest.As(bossID), w.Code(t, "boss@example.com")); err != nil {
		t.Fatal(err)
	}
	// A session that remembers the account as verified is not enough: the
	// store must say this account verified it.
	squat.EmailVerified = true
	if w.Svc.IsAdmin(ctx, squatID) {
		t.Fatal("the account that lost the address is admin")
	}
	fresh, _ := w.Svc.Authenticate(t.Context(), workroomtest.Key("boss"))
	if !w.Svc.IsAdmin(ctx, fresh) {
		t.Fatal("the account that verified the admin address is not admin")
	}
}
