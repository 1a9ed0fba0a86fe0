package workroom_test

import (
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestVerify_RightCodeVerifiesWrongCodeCounts(t *testing.T) {
	w := newWorld(t)
	ctx := workroomtest.As(w.SignUp(t, "ada"))
	code := w.Code(t, "ada@example.com")
	if len(code) != workroom.VerificationDigits {
		t.Fatalf("code %q has %d characters, want %d", code, len(code), workroom.VerificationDigits)
	}
	err := w.Svc.Verify(ctx, "0000000000")
	wantCode(t, err, workroom.EINVALID)
	if !strings.Contains(err.Error(), "9 tries left today") {
		t.Fatalf("wrong code says %q, want the tries left today", err)
	}
	if err := w.Svc.Verify(ctx, code); err != nil {
		t.Fatalf("right code refused: %v", err)
	}
	id, _ := w.Svc.Authenticate(t.Context(), workroomtest.Key("ada"))
	if !id.User.EmailVerified {
		t.Fatal("email not marked verified")
	}
	wantCode(t, w.Svc.Verify(ctx, code), workroom.ECONFLICT)
}

func TestVerify_ExpiredCodeIsRefused(t *testing.T) {
	w := newWorld(t)
	ctx := workroomtest.As(w.SignUp(t, "ada"))
	code := w.Code(t, "ada@example.com")
	w.Advance(workroom.VerificationTTL + time.Second)
	err := w.Svc.Verify(ctx, code)
	wantCode(t, err, workroom.ELIMIT)
	wantRule(t, err, workroom.RuleCodeExpired) // each transport says how to get a new one
	if err.Error() != "this code has expired" {
		t.Fatalf("expired code says %q", err)
	}
}

// TestVerify_AttemptCapHoldsAcrossResends: fresh codes bring no fresh
// tries; after the day's attempts even the right code is refused, with the
// time to come back, and the next day it works.
func TestVerify_AttemptCapHoldsAcrossResends(t *testing.T) {
	w := newWorld(t)
	ctx := workroomtest.As(w.SignUp(t, "ada"))
	tries := 0
	for resend := 0; tries < workroom.MaxVerifyAttemptsPerAccount; resend++ {
		if resend > 0 {
			w.Advance(workroom.VerificationResendGap)
			if err := w.Svc.ResendVerification(ctx); err != nil {
				t.Fatalf("resend %d: %v", resend, err)
			}
		}
		for range 3 {
			if tries == workroom.MaxVerifyAttemptsPerAccount {
				break
			}
			wantCode(t, w.Svc.Verify(ctx, "0000000000"), workroom.EINVALID)
			tries++
		}
	}
	w.Advance(workroom.VerificationResendGap)
	if err := w.Svc.ResendVerification(ctx); err != nil {
		t.Fatal(err)
	}
	err := w.Svc.Verify(ctx, w.Code(t, "ada@example.com"))
	wantCode(t, err, workroom.ELIMIT)
	if !strings.Contains(err.Error(), "try again after 2026-11-27 12:00 UTC") {
		t.Fatalf("capped attempt says %q, want when to try again", err)
	}
	w.Advance(workroom.CapWindow)
	if err := w.Svc.ResendVerification(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.Verify(ctx, w.Code(t, "ada@example.com")); err != nil {
		t.Fatalf("next day the right code is refused: %v", err)
	}
}

// TestVerify_MailCapPerAddressHoldsAcrossResendsAndSignUps: an address
// gets at most MaxCodeMailsPerAddress codes a day, however they are asked
// for (sign-ups with it by several accounts, resends).
func TestVerify_MailCapPerAddressHoldsAcrossResendsAndSignUps(t *testing.T) {
	w := newWorld(t)
	ctx := workroomtest.As(w.SignUp(t, "ada"))
	mailed := 1
	_, err := w.Svc.SignUp(t.Context(), workroomtest.Key("other"), "Other", "ADA@example.com")
	if err != nil {
		t.Fatal(err)
	}
	mailed++
	for ; mailed < workroom.MaxCodeMailsPerAddress; mailed++ {
		w.Advance(workroom.VerificationResendGap)
		if err := w.Svc.ResendVerification(ctx); err != nil {
			t.Fatalf("resend %d: %v", mailed, err)
		}
	}
	w.Advance(workroom.VerificationResendGap)
	err = w.Svc.ResendVerification(ctx)
	wantCode(t, err, workroom.ELIMIT)
	if !strings.Contains(err.Error(), "try again after 2026-11-27 12:00 UTC") {
		t.Fatalf("capped resend says %q, want when to try again", err)
	}
	_, err = w.Svc.SignUp(t.Context(), workroomtest.Key("third"), "Third", "ada@example.com")
	wantCode(t, err, workroom.ELIMIT)
	mails, _ := w.Outbox.Pending(t.Context(), 100)
	if len(mails) != workroom.MaxCodeMailsPerAddress {
		t.Fatalf("%d code mails queued, want %d", len(mails), workroom.MaxCodeMailsPerAddress)
	}
	w.Advance(workroom.CapWindow)
	if err := w.Svc.ResendVerification(ctx); err != nil {
		t.Fatalf("next day resend: %v", err)
	}
}

func TestVerify_ResendWithinAMinuteIsRefused(t *testing.T) {
	w := newWorld(t)
	ctx := workroomtest.As(w.SignUp(t, "ada"))
	err := w.Svc.ResendVerification(ctx)
	wantCode(t, err, workroom.ELIMIT)
	if !strings.Contains(err.Error(), "wait a minute (until 2026-11-26 12:01 UTC)") {
		t.Fatalf("early resend says %q", err)
	}
}
