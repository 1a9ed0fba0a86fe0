package storetest

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
)

func testUsers(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	got, err := s.User(ctx, ada.ID)
	must(t, err)
	if got.Name != "ada" || got.Email != "ada@example.com" || got.EmailVerified {
		t.Fatalf("User = %+v", got)
	}
	_, err = s.User(ctx, ada.ID+100)
	wantCode(t, err, workroom.ENOTFOUND)

	err = s.CreateUser(ctx, &workroom.User{Name: "x", Email: "x@example.com"}, workroom.Key{Fingerprint: "SHA256:ada", Authorized: "k"}, workroom.Verification{}, &workroom.Mail{To: "x"})
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleKeyRegistered)
	if ms, _ := s.PendingMail(ctx, t0.Add(time.Hour), 10); len(ms) != 0 {
		t.Fatalf("refused sign-up left %d mails in the outbox", len(ms))
	}
}

func testKeys(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	k, err := s.KeyByFingerprint(ctx, "SHA256:ada")
	must(t, err)
	if k.UserID != ada.ID {
		t.Fatalf("key belongs to %d, want %d", k.UserID, ada.ID)
	}
	linkKey(t, s, ada, "ada2", t0.Add(time.Minute))
	keys, err := s.Keys(ctx, ada.ID)
	must(t, err)
	if len(keys) != 2 || keys[0].Fingerprint != "SHA256:ada" || keys[1].Fingerprint != "SHA256:ada2" || keys[1].UserID != ada.ID {
		t.Fatalf("Keys = %+v", keys)
	}
	bob := newUser(t, s, "bob")
	wantCode(t, s.RemoveKey(ctx, bob.ID, "SHA256:ada"), workroom.ENOTFOUND)
	must(t, s.RemoveKey(ctx, ada.ID, "SHA256:ada"))
	_, err = s.KeyByFingerprint(ctx, "SHA256:ada")
	wantCode(t, err, workroom.ENOTFOUND)
	if keys, _ := s.Keys(ctx, ada.ID); len(keys) != 1 {
		t.Fatalf("after remove Keys = %+v", keys)
	}
}

// linkKey attaches the key name to u through a fresh link code.
func linkKey(t *testing.T, s workroom.Store, u *workroom.User, name string, at time.Time) {
	t.Helper()
	hash := "hash-" + name
	must(t, s.CreateLinkCode(ctx, workroom.LinkCode{Hash: hash, UserID: u.ID, Created: at, Expires: at.Add(10 * time.Minute)}, 10, nil))
	got, err := s.LinkKey(ctx, hash, workroom.Key{Fingerprint: "SHA256:" + name, Authorized: "ssh-ed25519 " + name, Added: at}, at, 100)
	must(t, err)
	if got.ID != u.ID {
		t.Fatalf("LinkKey returned user %d, want %d", got.ID, u.ID)
	}
}

func testVerification(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	must(t, s.SetVerification(ctx, ada.ID, workroom.Verification{CodeHash: "new", Sent: t0}, &workroom.Mail{To: "ada@example.com", NextTry: t0}))
	v, err := s.Verification(ctx, ada.ID)
	must(t, err)
	if v.CodeHash != "new" {
		t.Fatalf("replaced verification = %+v", v)
	}
	if ms, _ := s.PendingMail(ctx, t0, 10); len(ms) != 1 {
		t.Fatalf("new code enqueued %d mails, want 1", len(ms))
	}
	must(t, markVerified(s, ada.ID))
	u, _ := s.User(ctx, ada.ID)
	if !u.EmailVerified {
		t.Fatal("MarkVerified did not mark the user")
	}
	_, err = s.Verification(ctx, ada.ID)
	wantCode(t, err, workroom.ENOTFOUND)
	got, err := s.UserByEmail(ctx, "ADA@example.com")
	must(t, err)
	if got.ID != ada.ID {
		t.Fatalf("UserByEmail = %+v, want ada", got)
	}
}

// testAddressClaims: sign-ups may share an unverified address; the first
// to verify holds it, the others lose it, and a verified address is then
// refused to new sign-ups.
func testAddressClaims(t *testing.T, s workroom.Store) {
	squatter := newUser(t, s, "squat")
	owner := &workroom.User{Name: "owner", Email: "SQUAT@example.com", Created: t0}
	must(t, s.CreateUser(ctx, owner, workroom.Key{Fingerprint: "SHA256:owner", Authorized: "k"}, workroom.Verification{CodeHash: "h", Expires: t0.Add(time.Hour)}, nil))
	_, err := s.UserByEmail(ctx, "squat@example.com")
	wantCode(t, err, workroom.ENOTFOUND) // unverified: held by nobody

	must(t, markVerified(s, owner.ID))
	if u, err := s.UserByEmail(ctx, "squat@example.com"); err != nil || u.ID != owner.ID {
		t.Fatalf("UserByEmail = %+v, %v; want the account that verified", u, err)
	}
	lost, _ := s.User(ctx, squatter.ID)
	if !lost.EmailLost || lost.EmailVerified {
		t.Fatalf("the other claimant = %+v, want EmailLost", lost)
	}
	_, err = s.Verification(ctx, squatter.ID)
	wantCode(t, err, workroom.ENOTFOUND)
	wantRefusal(t, markVerified(s, squatter.ID), workroom.ECONFLICT, workroom.RuleAddressTaken)
	if u, _ := s.UserByEmail(ctx, "squat@example.com"); u.ID != owner.ID {
		t.Fatal("a losing MarkVerified took the address")
	}
	late := &workroom.User{Name: "late", Email: "squat@example.com"}
	wantRefusal(t, s.CreateUser(ctx, late, workroom.Key{Fingerprint: "SHA256:late", Authorized: "k"}, workroom.Verification{}, nil), workroom.ECONFLICT, workroom.RuleAddressOwned)
}

func testSetEmail(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	must(t, markVerified(s, bob.ID))
	wantRefusal(t, s.SetEmail(ctx, ada.ID, "BOB@example.com", workroom.Verification{}, nil), workroom.ECONFLICT, workroom.RuleAddressOwned)
	wantRefusal(t, s.SetEmail(ctx, bob.ID, "new@example.com", workroom.Verification{}, nil), workroom.ECONFLICT, workroom.RuleAddressVerified)

	must(t, s.SetEmail(ctx, ada.ID, "ada2@example.com", workroom.Verification{CodeHash: "h2"}, &workroom.Mail{To: "ada2@example.com", NextTry: t0}))
	u, _ := s.User(ctx, ada.ID)
	if u.Email != "ada2@example.com" || u.EmailVerified {
		t.Fatalf("after SetEmail user = %+v", u)
	}
	if v, err := s.Verification(ctx, ada.ID); err != nil || v.CodeHash != "h2" {
		t.Fatalf("after SetEmail verification = %+v, %v", v, err)
	}
	if ms, _ := s.PendingMail(ctx, t0, 10); len(ms) != 1 || ms[0].To != "ada2@example.com" {
		t.Fatalf("SetEmail enqueued %+v", ms)
	}
	// The old address is no longer Ada's claim: verifying it elsewhere
	// leaves her alone.
	cy := &workroom.User{Name: "cy", Email: "ada@example.com"}
	must(t, s.CreateUser(ctx, cy, workroom.Key{Fingerprint: "SHA256:cy", Authorized: "k"}, workroom.Verification{}, nil))
	must(t, markVerified(s, cy.ID))
	if u, _ := s.User(ctx, ada.ID); u.EmailLost {
		t.Fatal("an address Ada left was taken from her")
	}
	must(t, markVerified(s, ada.ID))
}

func testLinkCodes(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	code := func(hash string, at time.Time) workroom.LinkCode {
		return workroom.LinkCode{Hash: hash, UserID: ada.ID, Created: at, Expires: at.Add(10 * time.Minute)}
	}
	must(t, s.CreateLinkCode(ctx, code("a", t0), 2, &workroom.Mail{To: "ada@example.com", NextTry: t0}))
	if ms, _ := s.PendingMail(ctx, t0, 10); len(ms) != 1 {
		t.Fatalf("CreateLinkCode enqueued %d mails, want 1", len(ms))
	}
	must(t, s.CreateLinkCode(ctx, code("b", t0), 2, nil))
	wantRefusal(t, s.CreateLinkCode(ctx, code("c", t0), 2, nil), workroom.ELIMIT, workroom.RuleTooManyLinkCodes)
	wantCode(t, s.CreateLinkCode(ctx, workroom.LinkCode{Hash: "x", UserID: ada.ID + 99, Created: t0, Expires: t0.Add(time.Minute)}, 2, nil), workroom.ENOTFOUND)
	// Expired codes no longer count.
	must(t, s.CreateLinkCode(ctx, code("c", t0.Add(10*time.Minute)), 2, nil))

	key := workroom.Key{Fingerprint: "SHA256:new", Authorized: "k", Added: t0}
	_, err := s.LinkKey(ctx, "a", key, t0.Add(10*time.Minute), 10)
	wantCode(t, err, workroom.ENOTFOUND) // expired
	_, err = s.LinkKey(ctx, "nope", key, t0, 10)
	wantCode(t, err, workroom.ENOTFOUND)
	_, err = s.KeyByFingerprint(ctx, "SHA256:new")
	wantCode(t, err, workroom.ENOTFOUND)

	u, err := s.LinkKey(ctx, "c", key, t0.Add(11*time.Minute), 10)
	must(t, err)
	if u.ID != ada.ID {
		t.Fatalf("LinkKey = %+v", u)
	}
	if k, err := s.KeyByFingerprint(ctx, "SHA256:new"); err != nil || k.UserID != ada.ID {
		t.Fatalf("linked key = %+v, %v", k, err)
	}
	_, err = s.LinkKey(ctx, "c", workroom.Key{Fingerprint: "SHA256:other", Authorized: "k"}, t0.Add(11*time.Minute), 10)
	wantCode(t, err, workroom.ENOTFOUND) // used once
}

func testLinkKeyRefusals(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	must(t, s.CreateLinkCode(ctx, workroom.LinkCode{Hash: "h", UserID: ada.ID, Created: t0, Expires: t0.Add(time.Hour)}, 5, nil))
	_, err := s.LinkKey(ctx, "h", workroom.Key{Fingerprint: "SHA256:bob", Authorized: "k"}, t0, 10)
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleKeyRegistered)
	_, err = s.LinkKey(ctx, "h", workroom.Key{Fingerprint: "SHA256:new", Authorized: "k"}, t0, 1)
	wantRefusal(t, err, workroom.ELIMIT, workroom.RuleTooManyKeys)
	must(t, s.SetDisabled(ctx, ada.ID, true))
	_, err = s.LinkKey(ctx, "h", workroom.Key{Fingerprint: "SHA256:new", Authorized: "k"}, t0, 10)
	wantRefusal(t, err, workroom.EFORBIDDEN, workroom.RuleDisabled)
	must(t, s.SetDisabled(ctx, ada.ID, false))
	// None of the refusals used the code up.
	_, err = s.LinkKey(ctx, "h", workroom.Key{Fingerprint: "SHA256:new", Authorized: "k"}, t0, 2)
	must(t, err)
	if keys, _ := s.Keys(ctx, bob.ID); len(keys) != 1 {
		t.Fatalf("bob's keys = %+v", keys)
	}
}

func testTally(t *testing.T, s workroom.Store) {
	const day = 24 * time.Hour
	for want := 1; want <= 3; want++ {
		n, resets, err := s.Tally(ctx, "x", t0.Add(time.Duration(want)*time.Hour), day, 3)
		must(t, err)
		if n != want || !resets.Equal(t0.Add(time.Hour+day)) {
			t.Fatalf("count %d: got %d, resets %v", want, n, resets)
		}
	}
	n, _, err := s.Tally(ctx, "x", t0.Add(5*time.Hour), day, 3)
	must(t, err)
	if n != 4 {
		t.Fatalf("over the cap: got %d, want 4 (max+1)", n)
	}
	if n, _, _ := s.Tally(ctx, "y", t0, day, 3); n != 1 {
		t.Fatalf("another name counts separately: got %d", n)
	}
	if n, resets, _ := s.Tally(ctx, "x", t0.Add(time.Hour+day), day, 3); n != 1 || !resets.Equal(t0.Add(time.Hour+2*day)) {
		t.Fatalf("a new window: got %d, resets %v", n, resets)
	}
}
