package workroom

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Verification is the pending proof that a user reads their email: a
// one-time code, mailed at sign-up, typed back in the TUI or with `verify`.
// Only the code's hash is stored. A code expires; guessing is bounded by
// two daily caps that no resend resets: codes mailed per address, and
// attempts per account (see the README for the odds).
type Verification struct {
	CodeHash string    `json:"code_hash"`
	Sent     time.Time `json:"sent"`
	Expires  time.Time `json:"expires"`
}

// Verification limits.
const (
	VerificationTTL = 30 * time.Minute
	// VerificationResendGap is how long a user waits between new codes, so
	// nobody can use the server to flood a mailbox.
	VerificationResendGap = time.Minute
	// MaxCodeMailsPerAddress is how many codes (sign-up, resend, new
	// address, account recovery) one address is mailed per CapWindow.
	MaxCodeMailsPerAddress = 5
	// MaxVerifyAttemptsPerAccount is how many codes one account may try per
	// CapWindow, across every code it was sent.
	MaxVerifyAttemptsPerAccount = 10
	// VerificationDigits long codes make guessing hopeless under the caps:
	// at most 10 tries a day against 10^10 codes.
	VerificationDigits = 10
)

// newVerification makes a fresh code and the record that checks it.
func (s *Service) newVerification(now time.Time) (string, Verification) {
	max := big.NewInt(1)
	for range VerificationDigits {
		max.Mul(max, big.NewInt(10))
	}
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	code := fmt.Sprintf("%0*d", VerificationDigits, n)
	return code, Verification{CodeHash: hashCode(code), Sent: now, Expires: now.Add(VerificationTTL)}
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte("workroom-verification:" + code))
	return hex.EncodeToString(sum[:])
}

// verificationMail is the message that carries a code. Scripts read the
// line "Verification code: CODE"; keep it.
func (s *Service) verificationMail(u *User, code string) *Mail {
	return s.newMail(u.Email, "Your workroom verification code", fmt.Sprintf(
		"Hello %s,\n\nVerification code: %s\n\nEnter it in the workroom terminal, or run `verify %s` over SSH.\nIt expires in %d minutes. If you did not sign up, ignore this mail.\n",
		u.Name, code, code, int(VerificationTTL.Minutes())))
}

// Verify checks a code against the actor's pending verification and marks
// the address verified. Every attempt counts against the account's daily
// cap before the code is compared. EINVALID for a wrong code, ECONFLICT
// when already verified or when another account verified the address
// first, ELIMIT when the code expired or the day's attempts are used up
// (the message says when to try again).
func (s *Service) Verify(ctx context.Context, code string) error {
	u, err := s.freshActor(ctx)
	if err != nil {
		return err
	}
	if err := s.checkVerifiable(u); err != nil {
		return err
	}
	v, err := s.store.Verification(ctx, u.ID)
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ELIMIT, "no code is pending for %s", u.Email).Because(RuleNoCode)
	} else if err != nil {
		return err
	}
	left, err := s.take(ctx, verifyAttemptsCap(u.ID), MaxVerifyAttemptsPerAccount,
		"you have tried %d codes today, the most a day allows; try again after %s", MaxVerifyAttemptsPerAccount)
	if err != nil {
		return err
	}
	switch {
	case s.now().After(v.Expires):
		return Errorf(ELIMIT, "this code has expired").Because(RuleCodeExpired)
	case subtle.ConstantTimeCompare([]byte(hashCode(strings.TrimSpace(code))), []byte(v.CodeHash)) != 1:
		return Errorf(EINVALID, "wrong code; %d tries left today (the code is in the newest mail sent to %s)", left, u.Email)
	}
	joined, err := s.store.MarkVerified(ctx, u.ID, s.now())
	if ErrorRule(err) == RuleAddressTaken {
		return errAddressTaken(u.Email)
	} else if err != nil {
		return err
	}
	s.log.Info("email verified", "user", u.ID)
	s.joinedByInvitation(ctx, u, joined)
	return nil
}

// ResendVerification replaces the actor's code with a new one and mails it.
// ECONFLICT when the address is already verified, or was verified by
// another account; ELIMIT when asked again within VerificationResendGap or
// when the address had its day's codes.
func (s *Service) ResendVerification(ctx context.Context) error {
	u, err := s.freshActor(ctx)
	if err != nil {
		return err
	}
	if err := s.limit(ctx, actVerifyMail, s.cfg.Limits.VerifyMails); err != nil {
		return err
	}
	if err := s.checkVerifiable(u); err != nil {
		return err
	}
	now := s.now()
	if old, err := s.store.Verification(ctx, u.ID); err == nil && now.Sub(old.Sent) < VerificationResendGap {
		return Errorf(ELIMIT, "a code was sent less than a minute ago; check %s, or wait a minute (until %s) and ask again", u.Email, clockTime(old.Sent.Add(VerificationResendGap))).Because(RuleCodeRecent)
	}
	if err := s.takeCodeMail(ctx, u.Email); err != nil {
		return err
	}
	code, v := s.newVerification(now)
	m := s.verificationMail(u, code)
	return s.enqueueAndWait(ctx, m, func() error { return s.store.SetVerification(ctx, u.ID, v, m) })
}

// checkVerifiable refuses to verify an address that is verified already,
// by this account or (the address lost) by another. A verified address
// mail could not reach (EmailUndeliverable) may be verified again: the
// code arriving proves it works, and clears the mark.
func (s *Service) checkVerifiable(u *User) error {
	switch {
	case u.EmailVerified && !u.EmailUndeliverable:
		return Errorf(ECONFLICT, "%s is already verified", u.Email)
	case u.EmailLost:
		return errAddressTaken(u.Email)
	}
	return nil
}

// takeCodeMail counts one code mailed to address against its daily cap.
func (s *Service) takeCodeMail(ctx context.Context, address string) error {
	_, err := s.take(ctx, codeMailCap(address), MaxCodeMailsPerAddress,
		"%d codes were mailed to this address today, the most a day allows; check the mail already sent, or try again after %s", MaxCodeMailsPerAddress)
	return err
}
