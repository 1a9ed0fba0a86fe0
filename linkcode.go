package workroom

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// LinkCode is how a key joins an account: proof of possession, because a
// public key is public and anyone could otherwise attach someone else's.
// A signed-in key asks for a code (`keys add`), or the account's verified
// address is mailed one (`keys recover`); the person then connects with the
// new key, which the server does not know, and presents the code (`keys
// link CODE`, or the sign-up screen's "I already have an account"). The key
// that signed that connection is attached. A code is random, short-lived,
// used once, and only its hash is stored.
type LinkCode struct {
	Hash    string    `json:"hash"`
	UserID  UserID    `json:"user_id"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	// Recovery marks a code mailed to recover an account.
	Recovery bool `json:"recovery,omitempty"`
}

// Link code limits.
const (
	LinkCodeTTL = 10 * time.Minute
	// MaxLinkCodes is how many unused, unexpired codes one account holds.
	MaxLinkCodes = 3
	// linkCodeLength symbols of a 32-symbol alphabet are 80 random bits:
	// a code is looked up among every account's, so it must be unguessable
	// by anyone anywhere, not only by one account's owner.
	linkCodeLength = 16
	linkAlphabet   = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford's base32
)

// newLinkCode returns a fresh code, grouped by four for reading aloud and
// typing: XXXX-XXXX-XXXX-XXXX.
func newLinkCode() string {
	var b [linkCodeLength]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	var out strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(linkAlphabet[x%32]) // 256 is a multiple of 32: no bias
	}
	return out.String()
}

// hashLinkCode hashes a code as typed: case, dashes and spaces do not
// matter, and the letters Crockford's alphabet leaves out read as the
// digits they look like.
func hashLinkCode(code string) string {
	code = strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ', '\t':
			return -1
		case 'O', 'o':
			return '0'
		case 'I', 'i', 'L', 'l':
			return '1'
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("workroom-link:" + code))
	return hex.EncodeToString(sum[:])
}

// NewLinkCode gives the actor a code that links one more key to their
// account, valid for LinkCodeTTL. ELIMIT when the account holds
// MaxKeysPerAccount keys or MaxLinkCodes unused codes.
func (s *Service) NewLinkCode(ctx context.Context) (code string, expires time.Time, err error) {
	u, err := s.freshActor(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	keys, err := s.store.Keys(ctx, u.ID)
	if err != nil {
		return "", time.Time{}, err
	}
	if len(keys) >= MaxKeysPerAccount {
		return "", time.Time{}, errTooManyKeys()
	}
	now := s.now()
	code = newLinkCode()
	c := LinkCode{Hash: hashLinkCode(code), UserID: u.ID, Created: now, Expires: now.Add(LinkCodeTTL)}
	if err := s.store.CreateLinkCode(ctx, c, MaxLinkCodes, nil); ErrorRule(err) == RuleTooManyLinkCodes {
		return "", time.Time{}, Errorf(ELIMIT, "you have %d unused link codes, the most at once; use one, or try again after %s when the oldest has expired", MaxLinkCodes, clockTime(now.Add(LinkCodeTTL)))
	} else if err != nil {
		return "", time.Time{}, err
	}
	s.log.Info("link code issued", "user", u.ID)
	return code, c.Expires, nil
}

// LinkKey attaches the key in use — the one that signed this connection,
// from the context's identity — to the account that issued code, and uses
// the code up. The key must be unknown to the server and pass CheckKey.
// EINVALID for a wrong, expired or used code; ECONFLICT when the key
// already belongs to an account; ELIMIT when the account is full.
func (s *Service) LinkKey(ctx context.Context, code string) (*User, error) {
	id := IdentityFromContext(ctx)
	if id.Key.Fingerprint == "" || id.Key.Authorized == "" {
		return nil, Errorf(EINVALID, "missing public key: connect with the key you want to add")
	}
	if id.User != nil {
		return nil, Errorf(ECONFLICT, "the key in use already belongs to an account; a link code attaches a key that has none").Because(RuleLinkFromNewKey)
	}
	if err := CheckKey(id.Key); err != nil {
		return nil, err
	}
	k := id.Key
	k.Added = s.now()
	u, err := s.store.LinkKey(ctx, hashLinkCode(code), k, k.Added, MaxKeysPerAccount)
	switch {
	case err == nil:
	case ErrorCode(err) == ENOTFOUND: // no such code, or it expired
		return nil, Errorf(EINVALID, "that link code is wrong, expired or already used").Because(RuleLinkCodeInvalid)
	case ErrorRule(err) == RuleKeyRegistered: // registered meanwhile
		return nil, Errorf(ECONFLICT, "the key in use already belongs to an account").Because(RuleKeyRegistered)
	case ErrorRule(err) == RuleTooManyKeys:
		return nil, errTooManyKeys()
	case ErrorRule(err) == RuleDisabled:
		return nil, errDisabled()
	default:
		return nil, err
	}
	s.log.Info("key linked", "user", u.ID, "fingerprint", k.Fingerprint)
	return u, nil
}

func errTooManyKeys() *Error {
	return Errorf(ELIMIT, "the account has %d keys, the most it may hold", MaxKeysPerAccount).Because(RuleTooManyKeys)
}

// RecoverAccount is for a person who lost every key: it mails a link code
// to address if an account verified it, for `keys link CODE` from a new
// key. The answer is the same whether or not any account has the address,
// so nobody learns who is registered; the address's daily cap on code
// mails applies either way.
func (s *Service) RecoverAccount(ctx context.Context, address string) error {
	address, err := cleanEmail(address)
	if err != nil {
		return err
	}
	if err := s.takeCodeMail(ctx, address); err != nil {
		return err
	}
	u, err := s.store.UserByEmail(ctx, address)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil
	case err != nil:
		return err
	case u.Disabled:
		s.log.Info("recovery refused: account disabled", "user", u.ID)
		return nil
	}
	now := s.now()
	code := newLinkCode()
	c := LinkCode{Hash: hashLinkCode(code), UserID: u.ID, Created: now, Expires: now.Add(LinkCodeTTL), Recovery: true}
	err = s.store.CreateLinkCode(ctx, c, MaxLinkCodes, s.recoveryMail(u, code))
	if ErrorRule(err) == RuleTooManyLinkCodes {
		s.log.Info("recovery code not sent: codes outstanding", "user", u.ID)
		return nil
	} else if err != nil {
		return err
	}
	s.log.Info("recovery code mailed", "user", u.ID)
	s.mailQueued()
	return nil
}

// recoveryMail carries a recovery link code. Scripts read the line
// "Link code: CODE".
func (s *Service) recoveryMail(u *User, code string) *Mail {
	return s.newMail(u.Email, "Your workroom account recovery code", fmt.Sprintf(
		"Hello %s,\n\nSomeone asked to add a key to your workroom account.\n\nLink code: %s\n\nConnect with the key you want to add and run `keys link %s`\n(or choose \"I already have an account\" on the sign-up screen).\nIt expires in %d minutes and works once. If you did not ask, ignore this\nmail: nobody gets in without the code.\n",
		u.Name, code, code, int(LinkCodeTTL.Minutes())))
}
