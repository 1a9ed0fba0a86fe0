package workroom

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"
	"golang.org/x/text/unicode/norm"
)

// UserID identifies an account.
type UserID uint64

// User is an account on the marketplace: a client, a freelancer, or both.
// People authenticate with SSH public keys only; an account has one or more
// keys. The email address receives the sign-up code and, once verified,
// notifications and mail features.
type User struct {
	ID            UserID `json:"id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	// EmailLost is set when another account verified Email first: this
	// account no longer has an address until it sets another.
	EmailLost bool `json:"email_lost,omitempty"`
	// EmailUndeliverable is set when a delivery status notification said
	// mail to Email failed (bounce.go): no notifications go to it until
	// the person verifies it again (`verify --resend`, then `verify`).
	EmailUndeliverable bool      `json:"email_undeliverable,omitempty"`
	Disabled           bool      `json:"disabled,omitempty"`
	Created            time.Time `json:"created"`
	// TZ is the account's time zone, an IANA name ("Europe/Berlin"); ""
	// is UTC. Times are shown to the person in it (timezone.go).
	TZ string `json:"tz,omitempty"`
}

// Key is an SSH public key registered to an account. Transports parse the
// key; the service sees its fingerprint (as OpenSSH prints it, "SHA256:…")
// and its authorized_keys form.
type Key struct {
	Fingerprint string    `json:"fingerprint"`
	UserID      UserID    `json:"user_id"`
	Authorized  string    `json:"key"`
	Added       time.Time `json:"added"`
	// Comment tells the person's keys apart ("laptop"). SSH never sends
	// the comment of an authorized_keys line, so it is what the person
	// gave with `keys comment`; "" until then.
	Comment string `json:"comment,omitempty"`
}

// KeyOf returns the account key for an SSH public key: its fingerprint as
// OpenSSH prints it and its authorized_keys form without options or
// comment. Every way a key enters (authentication, `keys add`) uses it, so
// one key always has one fingerprint.
func KeyOf(pk ssh.PublicKey) Key {
	return Key{
		Fingerprint: ssh.FingerprintSHA256(pk),
		Authorized:  strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))),
	}
}

// Limits on account fields.
const (
	MaxNameLength  = 64
	MaxEmailLength = 254
)

// Identity is who is on the other end of a connection: the key they proved,
// and the account it belongs to (nil for a key nobody has registered).
type Identity struct {
	Key  Key
	User *User
	// Addr is the network address the connection comes from (an IP, no
	// port); "" when unknown. Rate limits count by it.
	Addr string
	// Server is the address (host:port) the client connected to, as the
	// server saw it; "" when unknown. Help text shows it, so what it
	// prints works as typed.
	Server string
	// Terminal says the connection's session has a terminal (ssh -t):
	// its input is a person's keys, so a command may ask a question.
	Terminal bool
}

// Authenticate returns the account a key belongs to. An unknown key is not
// an error: the identity comes back with a nil User and may only sign up.
// A disabled account is refused with EFORBIDDEN.
func (s *Service) Authenticate(ctx context.Context, key Key) (*Identity, error) {
	if key.Fingerprint == "" {
		return nil, Errorf(EINVALID, "missing key fingerprint")
	}
	k, err := s.store.KeyByFingerprint(ctx, key.Fingerprint)
	if ErrorCode(err) == ENOTFOUND {
		return &Identity{Key: key}, nil
	} else if err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, k.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errDisabled()
	}
	return &Identity{Key: *k, User: u}, nil
}

// IsAdmin reports whether the server's configuration names the user as an
// admin, by the fingerprint of the key in use or by email. An email counts
// only while the store says this account verified it, never by what the
// session remembers: an unverified sign-up with an admin's address is
// nobody.
func (s *Service) IsAdmin(ctx context.Context, id *Identity) bool {
	if id == nil || id.User == nil {
		return false
	}
	for _, a := range s.cfg.Admins {
		if a == id.Key.Fingerprint {
			return true
		}
		if strings.Contains(a, "@") && strings.EqualFold(a, id.User.Email) {
			if u, err := s.store.UserByEmail(ctx, a); err == nil && u.ID == id.User.ID && u.EmailVerified && !u.Disabled {
				return true
			}
		}
	}
	return false
}

// SignUp creates an account for a key nobody has registered and mails a
// verification code to the address. ECONFLICT when the key already belongs
// to an account or an account verified the email (an address others only
// signed up with is no obstacle: whoever verifies first gets it); EINVALID
// for a bad name or address or a key CheckKey refuses; ELIMIT when the
// address had its day's codes.
func (s *Service) SignUp(ctx context.Context, key Key, name, email string) (*User, error) {
	if key.Fingerprint == "" || key.Authorized == "" {
		return nil, Errorf(EINVALID, "missing public key")
	}
	if err := s.limitKey(ctx, actSignUp, s.cfg.Limits.SignUps, key); err != nil {
		return nil, err
	}
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	email, err = cleanEmail(email)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.KeyByFingerprint(ctx, key.Fingerprint); err == nil {
		return nil, errKeyRegistered()
	}
	if err := s.checkAddressFree(ctx, email); err != nil {
		return nil, err
	}
	if err := s.takeCodeMail(ctx, email); err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{Name: name, Email: email, Created: now}
	key.Added = now
	code, v := s.newVerification(now)
	m := s.verificationMail(u, code)
	switch err := s.enqueueAndWait(ctx, m, func() error { return s.store.CreateUser(ctx, u, key, v, m) }); ErrorRule(err) {
	case RuleKeyRegistered:
		return nil, errKeyRegistered()
	case RuleAddressOwned:
		return nil, errAddressVerified(email)
	default:
		if err != nil {
			return nil, err
		}
	}
	s.log.Info("signed up", "user", u.ID, "fingerprint", key.Fingerprint)
	return u, nil
}

// cleanName trims a display name, normalizes it to NFC (so one name has
// one spelling in bytes) and checks it is one line of visible text of a
// sensible length, with no invisible characters that would let it pass
// for someone else's name.
func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Errorf(EINVALID, "the name is empty").Because(RuleNameMissing)
	case !utf8.ValidString(name):
		return "", Errorf(EINVALID, "name must be UTF-8 text")
	}
	name = norm.NFC.String(name)
	switch {
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", Errorf(EINVALID, "name is longer than %d characters; use a shorter one", MaxNameLength)
	case strings.ContainsFunc(name, isControl):
		return "", Errorf(EINVALID, "name must not contain control characters")
	case invisibleInName(name) >= 0:
		return "", Errorf(EINVALID, "name contains the invisible character U+%04X; type the name with visible characters only", invisibleInName(name))
	case !HasVisibleText(name):
		return "", Errorf(EINVALID, "the name has no visible character").Because(RuleNameMissing)
	}
	return name, nil
}

// cleanEmail accepts a bare address (no display name) and returns it with
// the domain lowercased.
func cleanEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", Errorf(EINVALID, "the email address is empty").Because(RuleEmailMissing)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email || len(email) > MaxEmailLength || strings.ContainsFunc(email, isControl) {
		return "", Errorf(EINVALID, "%q is not an email address; give one like ada@example.com", email)
	}
	at := strings.LastIndexByte(email, '@')
	if at < 1 || !strings.Contains(email[at:], ".") && email[at+1:] != "localhost" {
		return "", Errorf(EINVALID, "%q is not an email address; give one like ada@example.com", email)
	}
	return email[:at] + strings.ToLower(email[at:]), nil
}

// isControl reports runes that must never be part of a name or address.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// Keys returns the actor's keys.
func (s *Service) Keys(ctx context.Context) ([]Key, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.Keys(ctx, u.ID)
}

// RemoveKey removes one of the actor's keys, and ends every session open
// with it (see WatchAccess). The last key cannot be removed: that would
// lock the account out for good.
func (s *Service) RemoveKey(ctx context.Context, fingerprint string) error {
	u, err := s.actor(ctx)
	if err != nil {
		return err
	}
	keys, err := s.store.Keys(ctx, u.ID)
	if err != nil {
		return err
	}
	found := false
	for _, k := range keys {
		found = found || k.Fingerprint == fingerprint
	}
	if !found {
		return Errorf(ENOTFOUND, "no key %s on your account", fingerprint).Because(RuleUnknownKey)
	}
	if len(keys) == 1 {
		return Errorf(ECONFLICT, "%s is your only key; an account keeps at least one", fingerprint).Because(RuleLastKey)
	}
	if err := stillWanted(ctx); err != nil {
		return err
	}
	if err := s.store.RemoveKey(ctx, u.ID, fingerprint); err != nil {
		return err
	}
	// Sessions open with the key end now, not at their next login.
	s.revoke(ReasonKeyRemoved, fingerprint)
	s.log.Info("key removed", "user", u.ID, "fingerprint", fingerprint)
	return nil
}

func errKeyRegistered() *Error {
	return Errorf(ECONFLICT, "this key already belongs to an account").Because(RuleKeyRegistered)
}

func errDisabled() *Error {
	return Errorf(EFORBIDDEN, "this account is disabled; contact the server's administrator").Because(RuleDisabled)
}

// actor returns the acting user from the context; EFORBIDDEN when there is
// none, with the way to get one.
func (s *Service) actor(ctx context.Context) (*User, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EFORBIDDEN, "this key has no account").Because(RuleNoAccount)
	}
	return u, nil
}
