package workroom_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

var linkCodeForm = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`)

// TestLinkKey_AttachesTheKeyInUse: a code from the account, presented by a
// connection with a new key, makes that key the account's.
func TestLinkKey_AttachesTheKeyInUse(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "ada")
	code, expires, err := w.Svc.NewLinkCode(workroomtest.As(ada))
	if err != nil {
		t.Fatal(err)
	}
	if !linkCodeForm.MatchString(code) || !expires.Equal(w.Now().Add(workroom.LinkCodeTTL)) {
		t.Fatalf("code %q expires %v", code, expires)
	}
	laptop := workroomtest.Key("ada-laptop")
	u, err := w.Svc.LinkKey(w.AsKey(t, laptop), strings.ToLower(code))
	if err != nil || u.ID != ada.User.ID {
		t.Fatalf("LinkKey = %+v, %v", u, err)
	}
	id, _ := w.Svc.Authenticate(t.Context(), laptop)
	if id.User == nil || id.User.ID != ada.User.ID {
		t.Fatalf("the linked key authenticates as %+v", id.User)
	}
	// Used once.
	_, err = w.Svc.LinkKey(w.AsKey(t, workroomtest.Key("mallory")), code)
	wantCode(t, err, workroom.EINVALID)
}

func TestLinkKey_RefusesWithoutTheRightCode(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "ada")
	code, _, err := w.Svc.NewLinkCode(workroomtest.As(ada))
	if err != nil {
		t.Fatal(err)
	}
	mallory := workroomtest.Key("mallory")
	for _, guess := range []string{"", "0000-0000-0000-0000", code[:len(code)-1]} {
		_, err := w.Svc.LinkKey(w.AsKey(t, mallory), guess)
		wantCode(t, err, workroom.EINVALID)
		if !strings.Contains(err.Error(), "wrong, expired or already used") {
			t.Fatalf("LinkKey(%q) says %q", guess, err)
		}
	}
	w.Advance(workroom.LinkCodeTTL)
	_, err = w.Svc.LinkKey(w.AsKey(t, mallory), code)
	wantCode(t, err, workroom.EINVALID) // expired
	if id, _ := w.Svc.Authenticate(t.Context(), mallory); id.User != nil {
		t.Fatal("a key was added without its code")
	}
	// A known key cannot be moved to another account with a code.
	bob := w.SignUp(t, "bob")
	code, _, _ = w.Svc.NewLinkCode(workroomtest.As(ada))
	_, err = w.Svc.LinkKey(w.AsKey(t, bob.Key), code)
	wantCode(t, err, workroom.ECONFLICT)
}

func TestNewLinkCode_CapsOutstandingCodesAndKeys(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "ada")
	ctx := workroomtest.As(ada)
	for range workroom.MaxLinkCodes {
		if _, _, err := w.Svc.NewLinkCode(ctx); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := w.Svc.NewLinkCode(ctx)
	wantCode(t, err, workroom.ELIMIT)
	if !strings.Contains(err.Error(), "try again after 2026-11-26 12:10 UTC") {
		t.Fatalf("refusal says %q", err)
	}
	w.Advance(workroom.LinkCodeTTL)
	for i := 1; i < workroom.MaxKeysPerAccount; i++ {
		w.AddKey(t, ada, workroomtest.Key("ada-"+string(rune('a'+i))))
		w.Advance(time.Second)
	}
	_, _, err = w.Svc.NewLinkCode(ctx)
	wantCode(t, err, workroom.ELIMIT)
	wantRule(t, err, workroom.RuleTooManyKeys)
	if !strings.Contains(err.Error(), "the most it may hold") {
		t.Fatalf("full account says %q", err)
	}
}

// TestRecoverAccount_MailsALinkCodeToTheVerifiedAddress: a person who lost
// every key gets a code by mail and links a new key; the answer for an
// unknown or unverified address is the same, and mails nothing.
func TestRecoverAccount_MailsALinkCodeToTheVerifiedAddress(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "ada")
	w.SignUp(t, "bob") // unverified
	if err := w.Svc.Verify(workroomtest.As(ada), w.Code(t, "ada@example.com")); err != nil {
		t.Fatal(err)
	}
	clearOutbox(t, w)

	stranger := w.AsKey(t, workroomtest.Key("new-laptop"))
	for _, addr := range []string{"nobody@example.com", "bob@example.com"} {
		if err := w.Svc.RecoverAccount(stranger, addr); err != nil {
			t.Fatalf("RecoverAccount(%s) = %v, want the same answer as for a real address", addr, err)
		}
	}
	if mails, _ := w.Outbox.Pending(t.Context(), 10); len(mails) != 0 {
		t.Fatalf("recovery for unknown/unverified addresses mailed %+v", mails)
	}
	if err := w.Svc.RecoverAccount(stranger, "ADA@example.com"); err != nil {
		t.Fatal(err)
	}
	code := w.Code(t, "ada@example.com")
	u, err := w.Svc.LinkKey(stranger, code)
	if err != nil || u.ID != ada.User.ID {
		t.Fatalf("LinkKey with the recovery code = %+v, %v", u, err)
	}
	if id, _ := w.Svc.Authenticate(t.Context(), workroomtest.Key("new-laptop")); id.User == nil || id.User.ID != ada.User.ID {
		t.Fatal("the recovered key does not log in as the account")
	}
}

func TestRecoverAccount_IsCappedPerAddress(t *testing.T) {
	w := newWorld(t)
	stranger := w.AsKey(t, workroomtest.Key("x"))
	for range workroom.MaxCodeMailsPerAddress {
		if err := w.Svc.RecoverAccount(stranger, "nobody@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	err := w.Svc.RecoverAccount(stranger, "nobody@example.com")
	wantCode(t, err, workroom.ELIMIT)
	if !strings.Contains(err.Error(), "try again after") {
		t.Fatalf("capped recovery says %q", err)
	}
}

func clearOutbox(t *testing.T, w *workroomtest.World) {
	t.Helper()
	mails, err := w.Outbox.Pending(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if err := w.Outbox.Delivered(t.Context(), m.ID); err != nil {
			t.Fatal(err)
		}
	}
}
