package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

// TestHoldConnection_RefusesOverTheMostAndCountsReleases: an account
// holds at most max connections; another account is not affected; a
// release makes room, once however often it is called.
func TestHoldConnection_RefusesOverTheMostAndCountsReleases(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "ada"), w.SignUp(t, "bob")
	first, err := w.Svc.HoldConnection(ctx, ada.User.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.HoldConnection(ctx, ada.User.ID, 2); err != nil {
		t.Fatal(err)
	}
	_, err = w.Svc.HoldConnection(ctx, ada.User.ID, 2)
	if workroom.ErrorCode(err) != workroom.ELIMIT || !strings.Contains(workroom.ErrorMessage(err), "already has 2 connections open") {
		t.Fatalf("a third connection: %v; want ELIMIT naming the most", err)
	}
	if _, err := w.Svc.HoldConnection(ctx, bob.User.ID, 2); err != nil {
		t.Fatalf("another account refused: %v", err)
	}
	first()
	first()
	if _, err := w.Svc.HoldConnection(ctx, ada.User.ID, 2); err != nil {
		t.Fatalf("after a release: %v", err)
	}
	if _, err := w.Svc.HoldConnection(ctx, ada.User.ID, 2); err == nil {
		t.Fatal("a second release of one hold counted twice")
	}
}
