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
// Only the code's hash is stored. A code expires, and a few wrong attempts
// use it up, so it cannot be guessed.
type Verification struct {
	CodeHash string    `json:"code_hash"`
	Sent     time.Time `json:"sent"`
	Expires  time.Time `json:"expires"`
	Attempts int       `json:"attempts"`
}

// Verification limits.
const (
	VerificationTTL         = 30 * time.Minute
	MaxVerificationAttempts = 5
	// VerificationResendGap is how long a user waits between new codes, so
	// nobody can use the server to flood a mailbox.
	VerificationResendGap = time.Minute
	verificationDigits    = 6
)

// newVerification makes a fresh code and the record that checks it.
func (s *Service) newVerification(now time.Time) (string, Verification) {
	max := big.NewInt(1)
	for range verificationDigits {
		max.Mul(max, big.NewInt(10))
	}
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	code := fmt.Sprintf("%0*d", verificationDigits, n)
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

// askForCode says how to get a new code, in the terminal UI or by command.
const askForCode = "ask for a new one (ctrl+r on the verify screen, or `verify --resend`)"

// Verify checks a code against the actor's pending verification and marks
// the address verified. EINVALID for a wrong code (with the attempts left),
// ECONFLICT when already verified, ELIMIT when the code is used up or
// expired (the message says how to get a new one).
func (s *Service) Verify(ctx context.Context, code string) error {
	u, err := s.actor(ctx)
	if err != nil {
		return err
	}
	v, err := s.store.VerifyAttempt(u.ID)
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ECONFLICT, "%s is already verified", u.Email)
	} else if err != nil {
		return err
	}
	switch {
	case s.now().After(v.Expires):
		return Errorf(ELIMIT, "this code has expired; "+askForCode)
	case v.Attempts > MaxVerificationAttempts:
		return Errorf(ELIMIT, "too many wrong codes; "+askForCode)
	case subtle.ConstantTimeCompare([]byte(hashCode(strings.TrimSpace(code))), []byte(v.CodeHash)) != 1:
		left := MaxVerificationAttempts - v.Attempts
		if left == 0 {
			return Errorf(EINVALID, "wrong code, and that was the last try; "+askForCode)
		}
		return Errorf(EINVALID, "wrong code; %d tries left (the code is in the mail sent to %s)", left, u.Email)
	}
	if err := s.store.MarkVerified(u.ID); err != nil {
		return err
	}
	s.log.Info("email verified", "user", u.ID)
	return nil
}

// ResendVerification replaces the actor's code with a new one and mails it.
// ECONFLICT when the address is already verified; ELIMIT when asked again
// within VerificationResendGap.
func (s *Service) ResendVerification(ctx context.Context) error {
	u, err := s.actor(ctx)
	if err != nil {
		return err
	}
	if err := s.limit(ctx, actVerifyMail, s.cfg.Limits.VerifyMails); err != nil {
		return err
	}
	u, err = s.store.User(u.ID)
	if err != nil {
		return err
	}
	if u.EmailVerified {
		return Errorf(ECONFLICT, "%s is already verified", u.Email)
	}
	now := s.now()
	if old, err := s.store.Verification(u.ID); err == nil && now.Sub(old.Sent) < VerificationResendGap {
		return Errorf(ELIMIT, "a code was sent less than a minute ago; check %s, or wait a minute and ask again", u.Email)
	}
	code, v := s.newVerification(now)
	if err := s.store.SetVerification(u.ID, v, s.verificationMail(u, code)); err != nil {
		return err
	}
	s.mailQueued()
	return nil
}
